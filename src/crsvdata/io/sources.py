"""One input convention for every entry point (``validate``, ``parse_*``, the readers, ``measure_risk``).

A *source* is one of:

- an ``os.PathLike`` (``pathlib.Path``): a file, JSON Lines by its suffix, else one JSON document;
- a ``str``: JSON **text** (one document or JSON Lines), never a file name: a ``str`` that happened to be
  a path would otherwise mean two things, and a record that is also a valid file name would be read
  from disk;
- ``bytes``: UTF-8 JSON text; a binary stream (anything with ``read``): its bytes;
- a ``Mapping``: a document already parsed (JSON form); a crsvdata model: its JSON form.

Readers return a :class:`OneShotIterator`: iterating a consumed one raises instead of yielding nothing, so
that a result reused by mistake can never look like an empty file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Generic, Protocol, TypeAlias, TypeVar, runtime_checkable

from crsvdata.io.reader import MAX_DOCUMENT_BYTES, InputError, decode_utf8, parse_json

T = TypeVar("T")


@runtime_checkable
class JsonModel(Protocol):
    """A crsvdata model: anything that writes its JSON form (``CrsvModel.to_json``)."""

    def to_json(self) -> str: ...


Source: TypeAlias = "os.PathLike[str] | str | bytes | IO[bytes] | Mapping[str, Any] | JsonModel"
"""What every crsvdata entry point accepts, with one meaning (see the module docstring)."""


def as_path(source: object) -> Path | None:
    """The file a source names, or ``None`` when it is not a path (a ``str`` is JSON text, not a path)."""
    return Path(os.fspath(source)) if isinstance(source, os.PathLike) else None


def in_memory_text(source: object) -> str | None:
    """The JSON text of a source held in memory (text, bytes, a stream, a mapping, a model); else None.

    Raises ``InputError`` (with a code, never a value) for bytes that are not UTF-8, a mapping that is
    not JSON (NaN, a non-text key) or a stream over the single-document size limit.
    """
    if isinstance(source, str):
        return source
    if isinstance(source, bytes | bytearray):
        return decode_utf8(bytes(source))
    if isinstance(source, JsonModel):
        return source.to_json()
    if isinstance(source, Mapping):
        try:
            return json.dumps(source, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            raise InputError(
                "input.not_json", "the mapping holds a value JSON cannot represent (NaN, a date object...)"
            ) from None
    if hasattr(source, "read"):
        data = source.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise InputError("input.too_large", "the stream is too large for one JSON document")
        return decode_utf8(data) if isinstance(data, bytes) else str(data)
    return None


def unsupported_source(source: object) -> TypeError:
    """The error for a source of no accepted kind (its type is named, its content never)."""
    return TypeError(
        f"unsupported source of type {type(source).__name__}: pass a pathlib.Path, JSON text (str), bytes, "
        "a binary stream, a mapping or a crsvdata model"
    )


class OneShotIterator(Iterator[T], Generic[T]):
    """An iterator over a stream that can be walked once; walking it again raises ``RuntimeError``."""

    def __init__(self, items: Iterator[T], what: str = "the records") -> None:
        self._items = items
        self._what = what
        self._exhausted = False

    def __iter__(self) -> OneShotIterator[T]:
        if self._exhausted:
            raise self._reused()
        return self

    def __next__(self) -> T:
        if self._exhausted:
            raise self._reused()
        try:
            return next(self._items)
        except StopIteration:
            self._exhausted = True
            raise

    def _reused(self) -> RuntimeError:
        return RuntimeError(
            f"{self._what} were already read: this iterator is one pass over a stream; read the source "
            "again (or keep list(...)) to use them twice"
        )


def rows_of_json_text(text: str | bytes) -> list[Mapping[str, Any]]:
    """The rows JSON text holds: an array of objects, one object, or JSON Lines of objects."""
    decoded = decode_utf8(text) if isinstance(text, bytes) else text
    lines = [line for line in decoded.splitlines() if line.strip()]
    try:
        values = [parse_json(decoded)]
    except InputError:
        if len(lines) < 2:
            raise
        values = [parse_json(line, number) for number, line in enumerate(lines, start=1)]
    if len(values) == 1 and isinstance(values[0], list):
        values = values[0]
    if not all(isinstance(value, dict) for value in values):
        raise InputError(
            "input.not_rows", "expected JSON objects (rows): an array of them, one, or JSON Lines"
        )
    return values
