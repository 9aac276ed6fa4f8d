"""Reading JSON and JSON Lines safely, and writing files atomically.

Everything that can go wrong with input bytes (wrong encoding, broken or hostile JSON, files that are
too big or too deep) becomes an ``InputError`` with a stable code and a location, never a traceback and
never a message that quotes the input: a CRSV file may hold a survivor's name in any byte of it.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from crsvdata.errors import CrsvError

MAX_LINE_BYTES: Final = 16 * 1024 * 1024
"""The largest JSON Lines record accepted; a longer line is reported and skipped, never loaded whole."""
MAX_DOCUMENT_BYTES: Final = 512 * 1024 * 1024
"""The largest single JSON document accepted (use JSON Lines for bigger data sets)."""
MAX_INTEGER_DIGITS: Final = 20

_READ_CHUNK: Final = 1024 * 1024


class InputError(CrsvError):
    """Input that cannot be read as JSON. ``message`` never quotes the input.

    ``code`` is an ``input.*`` issue code; ``line`` (JSON Lines) and ``byte_offset`` locate the problem.
    """

    code = "input.unreadable"

    def __init__(
        self, code: str, message: str, line: int | None = None, byte_offset: int | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.line = line
        self.byte_offset = byte_offset


def decode_utf8(data: bytes, line: int | None = None) -> str:
    """Decode UTF-8 strictly; a UTF-8 byte-order mark is accepted and dropped, UTF-16 is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("input.utf16", "the input is UTF-16 encoded; re-encode it as UTF-8", line, 0)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            "input.invalid_utf8",
            f"the input is not valid UTF-8 (first bad byte at offset {exc.start})",
            line,
            exc.start,
        ) from None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Two parsers would read different values from such an object: refuse it.
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


def _reject_constant(name: str) -> Any:
    raise InputError("input.non_finite_number", f"{name} is not a JSON number; JSON has no NaN or Infinity")


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise InputError("input.number_too_large", "a number is too large to be represented")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InputError("input.number_too_large", "an integer has too many digits")
    return int(text)


def parse_json(text: str, line: int | None = None) -> Any:
    """Parse one JSON text strictly: no duplicate keys, no NaN/Infinity, no raw control characters."""
    if not text.strip():
        raise InputError("input.empty", "the input is empty", line)
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
        )
    except InputError as exc:
        raise InputError(exc.code, exc.message, line, exc.byte_offset) from None
    except _DuplicateKeyError:
        raise InputError("input.duplicate_key", "an object has the same key twice", line) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if line is None else f"column {exc.colno}"
        ends_early = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        code = "input.truncated" if ends_early else "input.json_syntax"
        raise InputError(code, f"invalid JSON at {where}: {exc.msg}", line, exc.pos) from None
    except RecursionError:
        raise InputError("input.too_deep", "the JSON is nested too deeply", line) from None


def read_bytes(path: Path) -> bytes:
    """Read a whole file, refusing directories, missing files and files over ``MAX_DOCUMENT_BYTES``."""
    if path.is_dir():
        raise InputError("input.is_directory", "the path is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError("input.too_large", "the file is too large for one JSON document; use JSON Lines")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("input.not_found", "the file does not exist") from None
    except PermissionError:
        raise InputError("input.unreadable", "the file cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError("input.unreadable", f"the file cannot be read ({exc.strerror})") from None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a JSON Lines stream: its 1-based number and its bytes (or the error that replaced them)."""

    number: int
    data: bytes
    error: InputError | None = None


def iter_lines(
    stream: IO[bytes], max_line_bytes: int = MAX_LINE_BYTES, first_number: int = 1
) -> Iterator[Line]:
    """Yield the non-blank lines of a JSON Lines stream with flat memory, however long the file.

    A line longer than ``max_line_bytes`` is reported as an error and skipped by reading on to its end in
    chunks, so a single huge line never sits in memory.
    """
    number = first_number - 1
    while True:
        data = stream.readline(max_line_bytes + 1)
        if not data:
            return
        number += 1
        if len(data) > max_line_bytes and not data.endswith(b"\n"):
            while True:
                rest = stream.readline(_READ_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Line(
                number,
                b"",
                InputError("input.line_too_long", f"the line is longer than {max_line_bytes} bytes", number),
            )
            continue
        if data.strip():
            yield Line(number, data)


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write ``path`` all at once: to a temporary file beside it, renamed into place only on success.

    On any failure the temporary file is removed and no file (not even a partial one) is left at ``path``.
    """
    directory = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(descriptor, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
