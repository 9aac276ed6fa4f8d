"""Keeping any number of issues with flat memory: the newest in memory, the rest in a temporary file.

A bulk file can have an issue on every other line (a deprecated code is a warning on a valid record), so
a report of a million records may list half a million issues. The command line writes them only at the
end (the JSON report gives its counts before its issues), so it keeps them here: a few thousand as
objects, the rest as compact batches in an unnamed temporary file, read back in the order they came.
What is written is what the report prints (codes, severities, messages, pointers, lines), never a value
from the data (messages never quote one), and the file has no name and is gone when the spool is closed.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable, Iterator
from typing import IO, Final

from crsvdata.findings import Severity
from crsvdata.validation.report import Issue

__all__ = ["IssueSpool"]

IN_MEMORY: Final = 4096
"""How many issues are kept as objects before they are written out as one batch."""

_Fields = tuple[str, str, str, str, int | None, str | None, str | None]


class IssueSpool:
    """An append-only sequence of issues whose memory does not grow with their number; iterate to read."""

    def __init__(self, in_memory: int = IN_MEMORY) -> None:
        self._in_memory = max(in_memory, 1)
        self._recent: list[Issue] = []
        self._file: IO[bytes] | None = None
        self._count = 0
        self.errors = 0
        """How many of the issues are errors."""
        self.warnings = 0
        """How many of the issues are warnings."""

    def append(self, issue: Issue) -> None:
        self._recent.append(issue)
        self._count += 1
        if issue.severity is Severity.ERROR:
            self.errors += 1
        elif issue.severity is Severity.WARNING:
            self.warnings += 1
        if len(self._recent) >= self._in_memory:
            self._write_recent()

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.append(issue)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Issue]:
        if self._file is not None:
            # Not while appending: reading moves the file's position, which is set back to its end after.
            self._file.flush()
            self._file.seek(0)
            try:
                while True:
                    try:
                        batch: list[_Fields] = marshal.load(self._file)
                    except EOFError:
                        break
                    for code, severity, message, pointer, line, source, cell in batch:
                        yield Issue(code, Severity(severity), message, pointer, line, source, cell)
            finally:
                self._file.seek(0, os.SEEK_END)
        yield from list(self._recent)

    def close(self) -> None:
        """Drop the issues and the temporary file."""
        self._recent = []
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> IssueSpool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _write_recent(self) -> None:
        if self._file is None:
            import tempfile  # only for a report with thousands of issues: tempfile loads random and shutil

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        batch = [
            (i.code, i.severity.value, i.message, i.pointer, i.line, i.source, i.cell) for i in self._recent
        ]
        marshal.dump(batch, self._file)
        self._recent = []
