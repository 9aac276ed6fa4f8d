"""Reading JSON and JSON Lines safely: the one reader every command uses.

Everything that can go wrong with input bytes (wrong encoding, broken or hostile JSON, files that are
too big or too deep) becomes an ``InputError`` with a stable code and a location, never a traceback and
never a message that quotes the input: a CRSV file may hold a survivor's name in any byte of it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from crsvdata.errors import CrsvError
from crsvdata.io.clean import parse_clean_line

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
    # Two parsers would read different values from an object with a key twice (one takes the first, one
    # the last: a refused consent followed by a granted one): refuse it. dict() runs in C; comparing sizes
    # finds a repeat without a Python loop over the members.
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


class _DuplicateKeyError(Exception):
    """Raised inside the JSON scanner; turned into an InputError that does not name the key."""


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


_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")


def _holds_lone_surrogate(value: Any) -> bool:
    # Without recursion: the value may be nested as deeply as the parser allowed.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def parse_json(text: str, line: int | None = None) -> Any:
    """Parse one JSON text strictly: no duplicate keys, no NaN/Infinity, no raw control characters, no
    lone surrogate escapes (half of a character, which no UTF-8 text or schema validator can hold)."""
    value = _parse_json(text, line)
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _holds_lone_surrogate(value):
        message = "a string holds a \\uD800-\\uDFFF escape without its other half (not Unicode text)"
        raise InputError("input.lone_surrogate", message, line)
    return value


def _parse_json(text: str, line: int | None) -> Any:
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


def open_input(path: Path) -> IO[bytes]:
    """Open a file for reading, turning every way it can fail into an ``InputError`` with a code."""
    if path.is_dir():
        raise InputError("input.is_directory", "the path is a directory, not a file")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError("input.not_found", "the file does not exist") from None
    except IsADirectoryError:
        raise InputError("input.is_directory", "the path is a directory, not a file") from None
    except PermissionError:
        raise InputError("input.unreadable", "the file cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError("input.unreadable", f"the file cannot be read ({exc.strerror})") from None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Read a whole file, refusing directories, missing files and files over ``MAX_DOCUMENT_BYTES``.

    At most one byte more than the limit is read, so a device or a file that grows cannot exhaust memory.
    """
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    with open_input(path) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise InputError("input.unreadable", f"the file cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError("input.too_large", "the file is too large for one JSON document; use JSON Lines")
    return data


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a JSON Lines stream: its 1-based number and its bytes (or the error that replaced them).

    ``offset`` is where the line starts in the stream, so that an index can seek back to it.
    """

    number: int
    data: bytes
    error: InputError | None = None
    offset: int = 0


def too_long_line(number: int, max_line_bytes: int = MAX_LINE_BYTES, offset: int = 0) -> Line:
    """What :func:`iter_lines` yields for a line longer than ``max_line_bytes``: no data, the error."""
    message = f"the line is longer than {max_line_bytes} bytes"
    return Line(number, b"", InputError("input.line_too_long", message, number), offset)


def iter_lines(
    stream: IO[bytes], max_line_bytes: int = MAX_LINE_BYTES, first_number: int = 1, first_offset: int = 0
) -> Iterator[Line]:
    """Yield the non-blank lines of a JSON Lines stream with flat memory, however long the file.

    A line longer than ``max_line_bytes`` is reported as an error and skipped by reading on to its end in
    chunks, so a single huge line never sits in memory.
    """
    number = first_number - 1
    offset = first_offset
    while True:
        start = offset
        data = stream.readline(max_line_bytes + 1)
        if not data:
            return
        number += 1
        offset += len(data)
        if len(data) > max_line_bytes and not data.endswith(b"\n"):
            while True:
                rest = stream.readline(_READ_CHUNK)
                offset += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield too_long_line(number, max_line_bytes, start)
            continue
        if data.strip():
            yield Line(number, data, None, start)


# --- the one reader: a file of JSON documents -------------------------------------------------------

JSON_LINES_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})
"""A file with one of these suffixes is JSON Lines; any other file is one JSON document (pretty or not)."""


def is_json_lines_path(path: Path) -> bool:
    """Whether ``path`` is read as JSON Lines (by its suffix) rather than as one JSON document."""
    return path.suffix.lower() in JSON_LINES_SUFFIXES


@dataclass(frozen=True, slots=True)
class Document:
    """One JSON document read strictly: its text (for a model's JSON parser) and its parsed value.

    ``line`` is its JSON Lines line number (None for a file that is one document); ``offset`` where its
    bytes start in the file.
    """

    text: str
    value: Any
    line: int | None = None
    offset: int = 0


def load_line(line: Line, *, exactly: bool = False) -> Document:
    """Decode and parse one JSON Lines line strictly; an ``InputError`` (with the line) when it cannot be.

    A clean line is parsed by the compiled reader of :mod:`crsvdata.io.clean`, which returns exactly
    what the strict reader would; ``exactly=True`` uses the strict reader alone (the reference in tests).
    """
    if line.error is not None:
        raise line.error
    value = None if exactly else parse_clean_line(line.data)
    if value is not None:
        # Clean lines are valid UTF-8 without a BOM (jiter refuses anything else), so a plain decode.
        return Document(line.data.decode("utf-8"), value, line.number, line.offset)
    text = decode_utf8(line.data, line=line.number)
    return Document(text, parse_json(text, line=line.number), line.number, line.offset)


def load_document(path: Path) -> Document:
    """Read a file that is one JSON document (a BOM allowed, pretty-printed or not) strictly."""
    text = decode_utf8(read_bytes(path))
    return Document(text, parse_json(text))


def scan_documents(path: Path, *, json_lines: bool | None = None) -> Iterator[Document | InputError]:
    """Every document of a file, or the ``InputError`` that replaced a bad one, in file order.

    The file is JSON Lines when ``json_lines`` says so or, when it is None, when its suffix is ``.jsonl``
    or ``.ndjson``; it is then read line by line with flat memory and a bad line does not stop the scan.
    Otherwise the file is one JSON document, and any problem with it is raised. A problem with the file
    as a whole (missing, a directory, unreadable, empty) is always raised, not yielded, and has no line.
    """
    lines_mode = is_json_lines_path(path) if json_lines is None else json_lines
    if not lines_mode:
        yield load_document(path)
        return
    seen_any = False
    with open_input(path) as stream:
        for item in scan_lines(iter_lines(stream)):
            seen_any = True
            yield item
    if not seen_any:
        raise InputError("input.empty", "the input is empty")


def scan_lines(lines: Iterable[Line]) -> Iterator[Document | InputError]:
    """Each line's document, or the ``InputError`` that replaced it: :func:`scan_documents` on lines."""
    for line in lines:
        try:
            yield load_line(line)
        except InputError as exc:
            yield exc


def read_documents(path: Path, *, json_lines: bool | None = None) -> Iterator[Document]:
    """The documents of a file like :func:`scan_documents`, raising ``InputError`` at the first bad one."""
    for item in scan_documents(path, json_lines=json_lines):
        if isinstance(item, InputError):
            raise item
        yield item
