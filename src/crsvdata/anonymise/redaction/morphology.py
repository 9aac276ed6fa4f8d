"""What the dictionaries say of a word: its lemmas, and whether it can be a given name, surname or
patronymic.

pymorphy3 with the Ukrainian dictionary (pymorphy3-dicts-uk, from VESUM) tags names ``Name``, surnames
``Surn`` and patronymics ``Patr``, knows their declension (``Кравця`` is ``кравець``, ``Миколою`` is
``микола``) and, for a word it does not know, guesses from the ending (``Вигаданенко`` is a surname).
The Russian dictionary (pymorphy3-dicts-ru, which pymorphy3 installs anyway) does the same for the
Russian forms case workers write (``Елена Петровна``). Each analyser is built once per process, and each
distinct word is analysed once (a bounded cache), since a 100,000-record export repeats its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

__all__ = ["WordInfo", "analyse", "inflections", "warm_up"]

_PERSON_TAGS: Final = frozenset({"Name", "Surn", "Patr"})
# Parts of speech that never name a person: a word that can be one of these is not a name at the start
# of a sentence ("Вона" is also the genitive of a surname "Вон"), unless it is also the vocative of a given
# name ("Зоряно" is an adverb and the vocative of Зоряна).
_CLOSED_CLASS: Final = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "ADVB", "NUMR", "PRED", "COMP"})


@cache
def _uk() -> Any:
    import pymorphy3  # its dictionaries load here, on the first word analysed, not with the package

    return pymorphy3.MorphAnalyzer(lang="uk")


@cache
def _ru() -> Any:
    import pymorphy3  # its dictionaries load here, on the first word analysed, not with the package

    return pymorphy3.MorphAnalyzer(lang="ru")


@dataclass(frozen=True, slots=True)
class WordInfo:
    """The dictionaries' reading of one lower-case word."""

    lemmas: frozenset[str]
    """Normal forms of every Ukrainian (and, for a Russian name, Russian) reading."""
    person: bool
    """Some reading is a given name, surname or patronymic."""
    person_only: bool
    """Every Ukrainian reading is a name, surname or patronymic, and the word is in the dictionary."""
    closed_class: bool
    """Some reading is a pronoun, preposition, conjunction, particle, adverb or numeral."""
    known: bool
    """The Ukrainian or Russian dictionary has the word (not only a guess from its ending)."""
    place: bool
    """Some reading is tagged a geographical name."""
    abbreviation: bool


def _is_dictionary_parse(parse: Any) -> bool:
    return type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"


@lru_cache(maxsize=1 << 18)
def analyse(word: str) -> WordInfo:
    """The reading of ``word`` (lower case, normalised)."""
    uk_parses = _uk().parse(word)
    lemmas = {parse.normal_form for parse in uk_parses}
    grammemes = [parse.tag.grammemes for parse in uk_parses]
    uk_known = bool(_uk().word_is_known(word))
    person = any(g & _PERSON_TAGS for g in grammemes)
    person_only = uk_known and all(g & _PERSON_TAGS for g in grammemes)
    vocative_name = any({"Name", "voct"} <= g for g in grammemes)
    closed = any(g & _CLOSED_CLASS for g in grammemes) and not vocative_name
    place = any("Geox" in g for g in grammemes)
    abbreviation = any("Abbr" in g for g in grammemes)
    ru_known = False
    if not uk_known or not person:
        # Only words the Russian dictionary has: its guesses from endings read Ukrainian verbs as names.
        ru_known = bool(_ru().word_is_known(word))
        ru_dictionary = (
            [parse for parse in _ru().parse(word) if _is_dictionary_parse(parse)] if ru_known else []
        )
        for parse in ru_dictionary:
            tags = parse.tag.grammemes
            if tags & _PERSON_TAGS:
                person = True
                lemmas.add(parse.normal_form)
            if "Geox" in tags:
                place = True
                lemmas.add(parse.normal_form)
        if not uk_known and ru_dictionary:
            closed = closed or any(parse.tag.grammemes & _CLOSED_CLASS for parse in ru_dictionary)
    return WordInfo(
        lemmas=frozenset(lemmas),
        person=person,
        person_only=person_only,
        closed_class=closed,
        known=uk_known or ru_known,
        place=place,
        abbreviation=abbreviation,
    )


def inflections(word: str, *, russian: bool = False) -> set[str]:
    """Every form of every person-name reading of ``word`` the dictionary knows (lower case)."""
    analyser = _ru() if russian else _uk()
    forms: set[str] = set()
    for parse in analyser.parse(word.casefold()):
        if parse.tag.grammemes & _PERSON_TAGS:
            forms.update(form.word for form in parse.lexeme)
    return forms


def warm_up() -> None:
    """Load both dictionaries now (an export calls this before its first record)."""
    analyse("олена")
    analyse("елена")
