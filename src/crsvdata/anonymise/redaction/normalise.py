"""Text preparation before any pass: one spelling of each letter, so that patterns and dictionaries see
the word a reader sees.

A case worker's text arrives with combining accents, soft hyphens and zero-width spaces, four different
apostrophes, words broken across a line with a hyphen, and Latin letters typed in the middle of Cyrillic
words (a Latin ``o`` in ``Тестенкo``). Each of those hides a name from an exact comparison, so the
redactor works on, and returns, the normalised text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from typing import Final

__all__ = ["fold", "normalise"]

_STRESS_MARKS: Final = frozenset("\u0300\u0301")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'", "\u2032": "'", "\u2018": "'"})
# A word broken at the end of a line: "Тесте-\nнко". A hyphen with a space before it is a dash, not this.
_LINE_BREAK_HYPHEN: Final = re.compile(r"(?<=[^\W\d_])[\-\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
_WORD: Final = re.compile(r"[^\W\d_]+")
_LATIN_LETTER: Final = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER: Final = re.compile(r"[\u0400-\u04ff]")
_LATIN_TO_CYRILLIC: Final = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
        "P": "Р", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "i": "і", "o": "о",
        "p": "р", "x": "х", "y": "у",
    }
)  # fmt: skip
_CYRILLIC_TO_LATIN: Final = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K", "М": "M", "О": "O",
        "Р": "P", "Т": "T", "Х": "X", "а": "a", "с": "c", "е": "e", "і": "i", "о": "o", "р": "p",
        "х": "x", "у": "y",
    }
)  # fmt: skip


@cache
def _invisible() -> re.Pattern[str]:
    """Every format character (category Cf: soft hyphen, zero-width space, direction marks...) and the
    stress accents, as one character class: a regex pass is far faster than a category test a letter."""
    chars = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"]
    return re.compile("[" + re.escape("".join(chars) + "".join(_STRESS_MARKS)) + "]")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _unmix(match: re.Match[str]) -> str:
    word = match.group()
    cyrillic = sum(1 for ch in word if _is_cyrillic(ch))
    if cyrillic == 0 or cyrillic == len(word):
        return word
    # A mixed word is read in the script most of its letters are in.
    if cyrillic * 2 >= len(word):
        return word.translate(_LATIN_TO_CYRILLIC)
    return word.translate(_CYRILLIC_TO_LATIN)


def normalise(text: str) -> str:
    """NFC; no invisible format characters or stress accents; one apostrophe (``'``); words broken with
    a hyphen at a line end joined; mixed-script words written in one script."""
    text = unicodedata.normalize("NFC", text)
    text = _invisible().sub("", text)
    text = text.translate(_APOSTROPHES)
    if "\n" in text:
        text = _LINE_BREAK_HYPHEN.sub("", text)
    if _LATIN_LETTER.search(text) is None or _CYRILLIC_LETTER.search(text) is None:
        return text  # one script only: nothing to unmix (the common case, and the fast one)
    return _WORD.sub(_unmix, text)


def fold(word: str) -> str:
    """The key a word is compared by: case-folded, ё as е, ґ as г (run on normalised text, whose words are
    already in one script)."""
    return word.casefold().replace("ё", "е").replace("ґ", "г")
