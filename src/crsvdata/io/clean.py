"""Parse a clean JSON Lines line in compiled code, or step aside for the strict reader.

``crsvdata.io.parse_json`` is the one strict JSON reader (duplicate keys, NaN, huge numbers, depth), built
on the standard library with a Python hook per object: about four ``orjson.loads`` per record. Most lines
of a bulk file are clean, and for those jiter (Rust; it detects duplicate keys itself) gives the same
value at a fraction of the cost. This is *sound by construction*: it returns a value only when jiter
parsed the line and nothing in it is where the two readers could differ (an integer too long for the
strict reader, an exponent that overflows to infinity), or where jiter refuses what the strict reader
reads (a lone surrogate escape, which the strict reader keeps as it is; a byte-order mark; invalid UTF-8).
Anything else returns ``None`` and the exact reader decides, with its codes and messages. A surrogate
pair is read by both as the one character it stands for, and a lone surrogate is refused by jiter
(``tests/test_acceptor.py`` pins both), so surrogate escapes need no search of their own. That differential
test checks both directions on generated and mutated lines: every value returned here is the one the
exact reader returns.
"""

from __future__ import annotations

from typing import Any, Final

import jiter

__all__ = ["parse_clean_line"]

# Every digit as 0 and E as e, so that one search finds each thing: one C pass over the line, two searches.
_FOLDED: Final = bytes.maketrans(b"123456789E", b"000000000e")
_LONG_DIGIT_RUN: Final = b"0" * 21


def _where_readers_could_differ(data: bytes) -> bool:
    """Whether the line holds something the two readers might not read alike (conservative: a narrative
    that merely contains "2e" also counts; the strict reader then reads that line)."""
    # Not a regular expression, which cost ten times as much (as much as the parse itself).
    folded = data.translate(_FOLDED)
    # 21+ digits: the strict reader refuses integers over MAX_INTEGER_DIGITS (20); jiter reads them.
    # An exponent: the strict reader refuses a float that overflows; jiter returns inf.
    return _LONG_DIGIT_RUN in folded or b"0e" in folded


def parse_clean_line(data: bytes) -> Any | None:
    """The parsed value of one JSON Lines line when the fast reader can vouch for it, else ``None``.

    A value returned here is exactly what ``crsvdata.io.parse_json`` returns for the same line; ``None``
    says nothing about the line, only that the exact reader must look at it.
    """
    if _where_readers_could_differ(data):
        return None
    try:
        return jiter.from_json(data, catch_duplicate_keys=True, allow_inf_nan=False, cache_mode="keys")
    except ValueError:
        # jiter's messages may quote a key; they are never shown: the exact reader explains.
        return None
