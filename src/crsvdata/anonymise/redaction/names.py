"""Person names in any narrative, known to the record or not.

Ukrainian writes proper nouns with a capital letter, so a capitalised word that does not start a sentence
is redacted unless it is on the short list of safe proper nouns (countries, institutions): it is a name,
a place or an organisation's name, and each can identify. A capitalised word that starts a sentence is
redacted when the dictionary can read it as a given name, surname or patronymic (and not as a pronoun,
conjunction or the like), when neither dictionary knows it, when it is a diminutive, or when a name, an
initial or a word like ``сусідка`` or ``сержант`` stands next to it. A lower-case word is redacted when
every dictionary reading of it is a name (``миколи``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Final

from crsvdata.anonymise.redaction._data import table, word_set
from crsvdata.anonymise.redaction.morphology import WordInfo, analyse
from crsvdata.anonymise.redaction.normalise import fold
from crsvdata.anonymise.redaction.places import is_settlement, settlement_markers

__all__ = ["Token", "find_names", "tokens"]

_TOKEN: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_INITIAL: Final = re.compile(r"(?<![\w])[A-ZА-ЩЬЮЯҐЄІЇ]\.(?:\s?[A-ZА-ЩЬЮЯҐЄІЇ]\.)?")
_SENTENCE_END: Final = frozenset(".!?…\n")
_OPENERS: Final = frozenset(" \t\r«\"„“'(—–-[")
_ACRONYM_MAX: Final = 5
# Lower-case abbreviations after whose dot a sentence does not end ("с. Вербівка", "вул. Миру").
_EXTRA_ABBREVIATIONS: Final = frozenset(
    {"р", "рр", "нар", "буд", "ім", "гр", "ст", "див", "тел", "обл", "кв", "п", "т", "зокр", "напр", "св"}
)

Token = tuple[int, int, str]


def tokens(text: str) -> list[Token]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@cache
def _abbreviations() -> frozenset[str]:
    return settlement_markers() | word_set("street_types.txt") | _EXTRA_ABBREVIATIONS


@cache
def _diminutives() -> frozenset[str]:
    return frozenset(form for full, forms in table("diminutives.csv") for form in (full, *forms))


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:
        if text[index] == "\n":
            return True
        index -= 1
    if index < 0:
        return True
    if text[index] not in _SENTENCE_END:
        return False
    if text[index] != ".":
        return True
    word = re.search(r"([^\W\d_]+)$", text[max(0, index - 12) : index])
    if word is None:
        return True
    before = word.group(1)
    return not (len(before) == 1 or before.casefold() in _abbreviations())


def _is_safe(folded: str, info: WordInfo) -> bool:
    safe = word_set("safe_proper_nouns.txt")
    return folded in safe or (not info.person_only and bool(info.lemmas & safe))


def _is_diminutive(folded: str, info: WordInfo) -> bool:
    diminutives = _diminutives()
    return folded in diminutives or any(lemma in diminutives for lemma in info.lemmas)


def _classify(text: str, start: int, word: str) -> tuple[str | None, bool]:
    """The kind of one word (``name``, ``place``, ``proper_noun`` or None) and whether it is a strong
    name signal that makes its capitalised neighbours names too."""
    folded = fold(word)
    info = analyse(folded)
    capitalised = word[0].isupper()
    if not capitalised:
        strong = info.person_only and len(folded) >= 3
        return ("name", True) if strong else (None, False)
    if len(word) < 2 or _is_safe(folded, info):
        return None, False
    triggers = word_set("name_triggers.txt")
    if folded in triggers or info.lemmas & triggers:
        return None, False
    all_caps = word.isupper() and len(word) > 1
    if all_caps and len(word) <= _ACRONYM_MAX and not (info.person and not info.abbreviation):
        return None, False
    latin = word.isascii()
    initial = _starts_sentence(text, start)
    person = not info.closed_class and (info.person or _is_diminutive(folded, info))
    settlement = is_settlement(folded, info)
    if latin:
        return ("name", True) if not initial or not info.known else (None, False)
    if settlement and not initial:
        return "place", False
    if person:
        return "name", True
    if settlement or info.place:
        return ("place", False) if not initial or not info.closed_class else (None, False)
    if not info.known:
        return "name", True
    if not initial:
        return "proper_noun", False
    return None, False


def _gap(text: str, end: int, start: int) -> bool:
    """Only spaces (or an initial's dot and spaces, or a hyphen) between two words."""
    between = text[end:start]
    return len(between) <= 3 and between.strip(" \t\n-") == ""


def find_names(text: str) -> Iterator[tuple[int, int, str]]:
    """Every person name, place and other proper noun in ``text`` (normalised) as (start, end, kind)."""
    words = tokens(text)
    kinds: list[str | None] = []
    strong: list[bool] = []
    for start, _, word in words:
        kind, is_strong = _classify(text, start, word)
        kinds.append(kind)
        strong.append(is_strong)
    triggers = word_set("name_triggers.txt")
    markers = settlement_markers()
    for index, (start, end, word) in enumerate(words):
        if kinds[index] is not None or not word[0].isupper():
            continue
        reading = analyse(fold(word))
        if reading.closed_class and not reading.person:
            # "Потім Олена", "Тоді Микола": an adverb, pronoun or conjunction is never a name, whatever
            # stands next to it (a surname is a noun or an adjective).
            continue
        previous = words[index - 1] if index else None
        following = words[index + 1] if index + 1 < len(words) else None
        if previous is not None and _gap(text, previous[1], start):
            previous_folded = fold(previous[2])
            if previous_folded in markers:
                kinds[index] = "place"
                continue
            if strong[index - 1] or previous_folded in triggers or analyse(previous_folded).lemmas & triggers:
                kinds[index] = "name"
                continue
        if (
            previous is not None
            and fold(previous[2]) in triggers
            and text[previous[1] : start].strip() in '«"„'
        ):
            kinds[index] = "name"
            continue
        is_trigger = fold(word) in triggers or bool(analyse(fold(word)).lemmas & triggers)
        if not is_trigger and _INITIAL.match(text, end + 1 if text[end : end + 1] == " " else end):
            kinds[index] = "name"
            continue
        if following is not None and strong[index + 1] and _gap(text, end, following[0]) and not is_trigger:
            kinds[index] = "name"
    # A word after a settlement marker is a place even when the dictionary reads it as a name (село Надія).
    for index, (start, end, word) in enumerate(words):
        if index and kinds[index] == "name" and word[0].isupper() and fold(words[index - 1][2]) in markers:
            kinds[index] = "place"
        if kinds[index] is not None:
            yield start, end, kinds[index] or "name"
    for match in _INITIAL.finditer(text):
        after = re.match(r"\s*([^\W\d_]+)", text[match.end() : match.end() + 40])
        before = re.search(r"([^\W\d_]+)\s*$", text[max(0, match.start() - 40) : match.start()])
        near_capital = (after is not None and after.group(1)[0].isupper()) or (
            before is not None and before.group(1)[0].isupper()
        )
        if near_capital:
            yield match.start(), match.end(), "name"
