"""Parse a clean JSON Lines line in compiled code, or step aside for the strict reader.

``crsvdata.io.parse_json`` is the one strict JSON reader (duplicate keys, NaN, huge numbers, depth), built
on the standard library with a Python hook per object: about four ``orjson.loads`` per record. Most lines
of a bulk file are clean, and for those two compiled readers give the same value at a fraction of the
cost. Both are *sound by construction*: each returns a value only when it can vouch that the strict
reader would return that very value; anything else returns ``None`` and the exact reader decides, with
its codes and messages.

1. **Compact lines** (what orjson, ``JSON.stringify``, serde_json and Ruby's ``to_json`` write, and what
   crsvdata writes itself): ``orjson.loads``, then ``orjson.dumps`` of the value must give back the line
   byte for byte. orjson does not detect duplicate keys, but it never *writes* one, so a line that is
   its own re-serialisation has none; and a line orjson wrote is read by the strict reader to the value
   it was written from (shortest round-trip floats, integers of at most 20 digits, every control
   character escaped, at most 254 levels deep). A lone surrogate, NaN, an infinite number or a
   byte-order mark makes ``orjson.loads`` fail. Cost: about 1.3 ``orjson.loads`` per record.
2. **Any other line** (spaces after ``:``, ``\\u`` escapes, other number spellings): jiter, which detects
   duplicate keys itself, unless the line holds something the two readers could read differently (an
   integer too long for the strict reader, an exponent that overflows to infinity), or something jiter
   refuses that the strict reader reads (a lone surrogate escape, which the strict reader keeps as it
   is; a byte-order mark; invalid UTF-8). A surrogate pair is read by both as the one character it
   stands for, and a lone surrogate is refused by jiter (``tests/test_acceptor.py`` pins both), so
   surrogate escapes need no search of their own. Cost: about 2.8 ``orjson.loads`` per record.

A line that is not compact is recognised by its first 256 bytes (a space after a key's colon, or a
``\\u`` escape) and goes straight to jiter, so it pays for one reader, not two. The differential tests
check both readers in both directions on generated and mutated lines, compact and spaced: every value
returned here is the one the exact reader returns.
"""

from __future__ import annotations

from typing import Any, Final

import jiter
import orjson

__all__ = ["parse_clean_line", "parse_compact_line"]

# Every digit as 0 and E as e, so that one search finds each thing: one C pass over the line, two searches.
_FOLDED: Final = bytes.maketrans(b"123456789E", b"000000000e")
_LONG_DIGIT_RUN: Final = b"0" * 21
_HEAD: Final = 256
"""How much of a line is looked at to tell a spaced or escaped line from a compact one."""


def _looks_compact(data: bytes) -> bool:
    # Only a shortcut: a wrong guess costs time, never soundness (the round trip decides).
    head = data[:_HEAD]
    return b'": ' not in head and b"\\u" not in head


_LINE_ENDS: Final = (b"", b"\n", b"\r\n")


def parse_compact_line(data: bytes) -> Any | None:
    """The value of ``data`` when it is exactly orjson's serialisation of what orjson reads from it (a
    line ending after it allowed: it is JSON whitespace, and the readers of ``crsvdata.io`` keep it)."""
    try:
        value = orjson.loads(data)
        written = orjson.dumps(value)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        # Their messages may quote a key; they are never shown: the exact reader explains.
        return None
    # The comparison is the proof (see the module docstring): no duplicate key, one reading only.
    if data.startswith(written) and data[len(written) :] in _LINE_ENDS:
        return value
    return None


def _where_readers_could_differ(data: bytes) -> bool:
    """Whether the line holds something jiter and the strict reader might not read alike (conservative:
    a narrative that merely contains "2e" also counts; the strict reader then reads that line)."""
    # Not a regular expression, which cost ten times as much (as much as the parse itself).
    folded = data.translate(_FOLDED)
    # 21+ digits: the strict reader refuses integers over MAX_INTEGER_DIGITS (20); jiter reads them.
    # An exponent: the strict reader refuses a float that overflows; jiter returns inf.
    return _LONG_DIGIT_RUN in folded or b"0e" in folded


def parse_clean_line(data: bytes) -> Any | None:
    """The parsed value of one JSON Lines line when a fast reader can vouch for it, else ``None``.

    A value returned here is exactly what ``crsvdata.io.parse_json`` returns for the same line; ``None``
    says nothing about the line, only that the exact reader must look at it.
    """
    if _looks_compact(data):
        value = parse_compact_line(data)
        if value is not None:
            return value
    if _where_readers_could_differ(data):
        return None
    try:
        return jiter.from_json(data, catch_duplicate_keys=True, allow_inf_nan=False, cache_mode="keys")
    except ValueError:
        # jiter's messages may quote a key; they are never shown: the exact reader explains.
        return None
