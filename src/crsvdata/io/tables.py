"""Reading CSV tables with the same strictness as JSON: UTF-8 only, limits, a code and a line for every fault.

The standard library's ``csv`` module raises bare ``csv.Error`` (a field over its size limit, a NUL byte)
and decoding raises ``UnicodeDecodeError``; here each becomes an ``InputError``. A row with more or fewer
cells than the header is refused rather than padded or truncated, and a header that names a column twice
is refused rather than letting the last cell win: either would silently change what is measured.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from crsvdata.io.reader import MAX_LINE_BYTES, InputError, open_input

__all__ = ["csv_header", "iter_csv_columns", "iter_csv_rows"]


class _Lines:
    """Physical lines of a binary stream decoded strictly as UTF-8, with their numbers and a length limit."""

    def __init__(self, stream: io.TextIOWrapper, max_chars: int) -> None:
        self._stream = stream
        self._max = max_chars
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = self._stream.readline(self._max + 1)
        except UnicodeDecodeError:
            raise InputError("input.invalid_utf8", "the input is not valid UTF-8", self.number + 1) from None
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self._max and not line.endswith(("\n", "\r")):
            raise InputError(
                "input.line_too_long", f"a line is longer than {self._max} characters", self.number
            )
        return line


def csv_header(path: Path, delimiter: str = ",") -> list[str]:
    """The column names of a CSV file's header row (checked like :func:`iter_csv_rows` checks them)."""
    header = next(_read(path, delimiter))
    assert isinstance(header, list)  # the first item _read yields is always the header
    return header


def iter_csv_rows(path: Path, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a CSV file with a header row; flat memory.

    A UTF-8 byte-order mark is accepted; UTF-16, invalid UTF-8, NUL bytes, cells over the csv module's
    field size limit (128 KiB by default; a table cell is not a document), lines over ``MAX_LINE_BYTES``,
    ragged rows and repeated column names raise ``InputError`` with the line. ``delimiter`` is the cell
    separator (``;`` where a spreadsheet's locale uses the comma for decimals).
    """
    items = _read(path, delimiter)
    names = next(items)
    assert isinstance(names, list)
    for item in items:
        assert isinstance(item, tuple)
        number, cells = item
        yield number, dict(zip(names, cells, strict=True))


def iter_csv_columns(path: Path, columns: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """The cells of ``columns``, in that order, for each data row: the columnar form of :func:`iter_csv_rows`.

    Checked exactly as :func:`iter_csv_rows` checks (every row, every cell), but no dict is built per row.
    A column the header lacks raises ``ValueError``.
    """
    items = _read(path)
    names = next(items)
    assert isinstance(names, list)
    absent = [column for column in columns if column not in names]
    if absent:
        # The caller's mistake, not the file's: the caller checks the header first (csv_header).
        raise ValueError(f"column(s) not in the CSV header: {', '.join(absent)}")
    positions = [names.index(column) for column in columns]
    for item in items:
        assert isinstance(item, tuple)
        cells = item[1]
        yield tuple([cells[position] for position in positions])


def _read(path: Path, delimiter: str = ",") -> Iterator[list[str] | tuple[int, list[str]]]:
    # The header first, then (line, row) pairs: one reader for the header check and the rows.
    with open_input(path) as raw:
        start = raw.read(3)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError("input.utf16", "the input is UTF-16 encoded; re-encode it as UTF-8", 1, 0)
        if start != b"\xef\xbb\xbf":
            raw.seek(0)
        # newline="" hands line ends to the csv module untouched, as it requires.
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
        lines = _Lines(text, MAX_LINE_BYTES)
        reader = csv.reader(lines, strict=True, delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError("input.empty", "the input is empty")
            names = list(header)
            if len(set(names)) != len(names):
                raise InputError("input.duplicate_column", "the header names a column twice", 1)
            yield names
            for row in reader:
                if not row:
                    continue
                if len(row) != len(names):
                    raise InputError(
                        "input.csv_syntax",
                        f"the row has {len(row)} cells; the header has {len(names)}",
                        lines.number,
                    )
                yield lines.number, row
        except csv.Error as exc:
            raise _csv_error(exc, lines.number) from None


def _csv_error(exc: csv.Error, line: int) -> InputError:
    # The csv module's messages name the fault, not the cell; still, only known wordings are passed on,
    # in case a future version quotes data.
    text = str(exc)
    if "field larger than field limit" in text:
        limit = csv.field_size_limit()
        return InputError("input.field_too_large", f"a cell is longer than {limit} characters", line)
    if "NUL" in text:
        return InputError("input.csv_syntax", "the CSV cannot be read: a line contains a NUL byte", line)
    return InputError("input.csv_syntax", "the CSV cannot be read: malformed quoting", line)
