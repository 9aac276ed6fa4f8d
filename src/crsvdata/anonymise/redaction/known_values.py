"""The record's own identity values, in every form a case worker may write them.

For each part of each name: the seven Ukrainian cases from shevchenko (which knows the fleeting vowel:
``Кравець`` -> ``Кравця``, ``Вовчок`` -> ``Вовчком``) and from the dictionary; the Russian form from
names-translator (``Олена`` -> ``Елена``, ``Петрівна`` -> ``Петровна``) declined by the Russian
dictionary; the diminutives of ``data/diminutives.csv`` (``Лена``, ``Льоною``) declined likewise; and the
Latin spellings of every form under the official and eleven other romanisation tables of translitua and
those of names-translator (``Olena``, ``Elena``, ``Testenko``). A word of the text matches when its
normalised, case-folded form is one of these, when one of its dictionary lemmas is a known name, or
when it starts with a known stem and has at most a case ending more. Parts of handles and addresses
(``@olena_testenko``, ``testenko1990``) are compared the same way. Digits match by their digits whatever
separates them; the date of birth in every written form (``dates.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache, lru_cache
from typing import Any, Final

from crsvdata.anonymise.redaction._data import table
from crsvdata.anonymise.redaction.dates import find_dates
from crsvdata.anonymise.redaction.morphology import analyse, inflections
from crsvdata.anonymise.redaction.normalise import fold, normalise
from crsvdata.models import IdentityRecord

__all__ = ["KnownValues"]

_LATIN_TABLE_NAMES: Final = (
    "UkrainianKMU", "UkrainianSimple", "RussianSimple", "UkrainianWWS", "UkrainianBritish",
    "UkrainianBGN", "UkrainianFrench", "UkrainianGerman", "UkrainianPassport2007",
    "UkrainianNational1996", "UkrainianPassport2004Alt", "RussianICAO", "RussianTelegram",
)  # fmt: skip
# The name libraries (shevchenko, names-translator, translitua: ~20 MB) load on the first identity value,
# not with the package: an export without narratives or identity records never needs them.
_MIN_STEM: Final = 4
_MAX_ENDING: Final = 4
_STEM_ENDINGS: Final = re.compile(
    r"(?:ий|ій|ой|ая|ія|а|я|о|е|є|и|і|ї|й|ь|у|ю|iy|yi|yy|ij|ia|ya|iu|yu|[aeiouy])$"
)
_PIECE: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_SEPARATOR: Final = r"(?:[ \t]?[\-–./][ \t]?|[ \t])"
_DIGIT_RUN: Final = re.compile(rf"\+?\(?\d(?:\)?{_SEPARATOR}?\(?\d)*")
_CODE: Final = re.compile(rf"(?<![\w])[^\W\d_]{{2}}[\s\-№#]*\d(?:{_SEPARATOR}?\d){{5}}(?!\d)")
_EMAIL: Final = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_GENDERS: Final = ("masculine", "feminine")
_FIELDS: Final = {"given": "given_name", "patronymic": "patronymic_name", "family": "family_name"}
_ADDRESS_WORDS: Final = frozenset(
    {
        "вул",
        "вулиця",
        "пр",
        "просп",
        "проспект",
        "пров",
        "провулок",
        "бульв",
        "бульвар",
        "пл",
        "площа",
        "буд",
        "будинок",
        "кв",
        "квартира",
        "м",
        "місто",
        "с",
        "село",
        "смт",
        "ш",
        "шосе",
        "мкр",
        "str",
        "street",
        "ul",
    }
)


@cache
def _translator() -> Any:
    import names_translator

    return names_translator.Transliterator()


@cache
def _latin_tables() -> tuple[Any, ...]:
    import translitua

    return tuple(getattr(translitua, name) for name in _LATIN_TABLE_NAMES if hasattr(translitua, name))


@cache
def _diminutive_table() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for full, forms in table("diminutives.csv"):
        group = {full, *forms}
        for member in group:
            groups.setdefault(member, set()).update(group)
    return {key: frozenset(value) for key, value in groups.items()}


def _shevchenko_forms(word: str, field: str) -> set[str]:
    import shevchenko

    forms: set[str] = set()
    for gender in _GENDERS:
        for case in shevchenko.CASES:
            try:
                result = shevchenko.in_case(case, gender=gender, **{field: word})
            except (ValueError, KeyError, IndexError, TypeError):
                continue
            value = result.get(field)
            if isinstance(value, str):
                forms.add(value)
    return forms


def _russian_forms(word: str, category: str) -> set[str]:
    try:
        translated = _translator()._translate_chunk(word, category)
    except (ValueError, KeyError, AttributeError):
        return set()
    return {form for form in translated if isinstance(form, str)}


def _latin(words: Iterable[str]) -> set[str]:
    import translitua

    latin: set[str] = set()
    for word in words:
        for transliteration_table in _latin_tables():
            latin.add(translitua.translit(word, transliteration_table).casefold())
    return {word for word in latin if word and word.isascii()}


@lru_cache(maxsize=1 << 16)
def name_forms(word: str, part: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every Cyrillic and Latin form of one name part (``given``, ``patronymic`` or ``family``).

    Cached: building the forms takes milliseconds (shevchenko, thirteen romanisation tables), and an
    export sees the same given names and patronymics in record after record."""
    cyrillic = {word, *_shevchenko_forms(word, _FIELDS[part])}
    cyrillic |= inflections(word)
    category = {"given": "first", "patronymic": "patronymic", "family": "last"}[part]
    russian = _russian_forms(word, category)
    if part == "given":
        russian |= set(_diminutive_table().get(fold(word), ()))
    for variant in russian:
        cyrillic.add(variant)
        cyrillic |= inflections(variant)
        cyrillic |= inflections(variant, russian=True)
        if part == "given" and re.search(r"[ієїґ']", variant) and variant.isalpha():
            cyrillic |= _shevchenko_forms(variant, "given_name")
    folded = {fold(form) for form in cyrillic if form}
    # Latin spellings of the nominative forms only: a Latin case ending is caught by the stem match.
    latin = _latin({word, *russian})
    return frozenset(folded), frozenset(latin)


def _stem(word: str) -> str:
    stem = _STEM_ENDINGS.sub("", word)
    return stem if len(stem) >= _MIN_STEM else word


class KnownValues:
    """One person's identity values, prepared for the known-value pass. Its repr shows none of them."""

    __slots__ = ("_dobs", "_documents", "_emails", "_forms", "_lemmas", "_numbers", "_stems")

    def __init__(
        self,
        *,
        names: Iterable[tuple[str, str]] = (),
        places: Iterable[str] = (),
        phones: Iterable[str] = (),
        documents: Iterable[str] = (),
        emails: Iterable[str] = (),
        date_of_birth: date | None = None,
    ) -> None:
        """``names`` are (part, word) pairs, part one of ``given``, ``patronymic``, ``family``."""
        self._forms: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        self._lemmas: dict[str, str] = {}
        for part, word in names:
            cyrillic, latin = name_forms(word, part)
            for form in cyrillic | latin:
                self._forms[form] = "name"
            for form in cyrillic | latin:
                self._stems.setdefault(_stem(form), "name")
            self._lemmas[fold(word)] = "name"
        for word in places:
            folded = fold(word)
            self._forms.setdefault(folded, "address")
            self._stems.setdefault(_stem(folded), "address")
            self._lemmas.setdefault(folded, "address")
            for romanised in _latin([folded]):
                self._stems.setdefault(_stem(romanised), "address")
        self._numbers: list[tuple[str, str]] = []
        for phone in phones:
            digits = "".join(ch for ch in phone if ch.isdigit())
            national = digits[3:] if digits.startswith("380") else digits
            self._numbers.append((national[-9:], "phone"))
        self._documents: dict[str, str] = {}
        for kind_number in documents:
            kind, _, number = kind_number.partition(":")
            kind = "passport" if "passport" in kind else kind
            compact = fold(re.sub(r"[\s\-№#]", "", normalise(number)))
            digits = "".join(ch for ch in compact if ch.isdigit())
            if len(digits) >= 6:
                self._numbers.append((digits, kind))
            if not compact.isdigit():
                self._documents[compact] = kind
        self._emails = {email.casefold() for email in emails}
        self._dobs: set[date] = {date_of_birth} if date_of_birth is not None else set()

    def __repr__(self) -> str:
        return "KnownValues(<hidden>)"

    @classmethod
    def from_identity(cls, identity: IdentityRecord) -> KnownValues:
        """The values of ``identity``: every name, settlement and street, phones, e-mails, documents."""
        names: list[tuple[str, str]] = []
        for name in [identity.name, *(identity.other_names or ())]:
            if name is None:
                continue
            for part, value in (("family", name.family_name), ("given", name.given_name),
                                ("patronymic", name.patronymic)):  # fmt: skip
                for word in _PIECE.findall(normalise(value or "")):
                    if len(word) >= 2:
                        names.append((part, word))
        places: list[str] = []
        if identity.address is not None:
            for text in (identity.address.settlement, identity.address.street_address):
                for word in _PIECE.findall(normalise(text or "")):
                    if len(word) >= 3 and fold(word) not in _ADDRESS_WORDS:
                        places.append(word)
        return cls(
            names=names,
            places=places,
            phones=identity.phones or (),
            documents=[f"{d.type}:{d.number}" for d in identity.documents or ()],
            emails=identity.emails or (),
            date_of_birth=identity.date_of_birth,
        )

    @classmethod
    def merged(cls, parts: Iterable[KnownValues]) -> KnownValues:
        """The values of several identity records of one survivor (held twice, or under two names)."""
        result = cls()
        for part in parts:
            for key, kind in part._forms.items():
                result._forms.setdefault(key, kind)
            for key, kind in part._stems.items():
                result._stems.setdefault(key, kind)
            for key, kind in part._lemmas.items():
                result._lemmas.setdefault(key, kind)
            result._numbers.extend(part._numbers)
            result._documents.update(part._documents)
            result._emails.update(part._emails)
            result._dobs.update(part._dobs)
        return result

    def _word_kind(self, word: str) -> str | None:
        folded = fold(word)
        kind = self._forms.get(folded)
        if kind is not None:
            return kind
        for cut in range(_MAX_ENDING + 1):
            if len(folded) - cut < _MIN_STEM:
                break
            kind = self._stems.get(folded[: len(folded) - cut] if cut else folded)
            if kind is not None:
                return kind
        if not folded.isascii():
            for lemma in analyse(folded).lemmas:
                kind = self._lemmas.get(lemma)
                if kind is not None:
                    return kind
        return None

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every match of the person's values in ``text`` (normalised) as (start, end, kind)."""
        if self._forms:
            for match in _PIECE.finditer(text):
                kind = self._word_kind(match.group())
                if kind is not None:
                    yield match.start(), match.end(), kind
        if self._numbers and any(ch.isdigit() for ch in text):
            for match in _DIGIT_RUN.finditer(text):
                digits = "".join(ch for ch in match.group() if ch.isdigit())
                for number, kind in self._numbers:
                    if number in digits:
                        yield match.start(), match.end(), kind
                        break
        if self._documents:
            for match in _CODE.finditer(text):
                if fold(re.sub(r"[\s\-–./№#]", "", match.group())) in self._documents:
                    yield match.start(), match.end(), "passport"
        if self._emails and "@" in text:
            for match in _EMAIL.finditer(text):
                if match.group().casefold() in self._emails:
                    yield match.start(), match.end(), "email"
        if self._dobs:
            for start, end, value, _ in find_dates(text):
                if value in self._dobs:
                    yield start, end, "date_of_birth"
