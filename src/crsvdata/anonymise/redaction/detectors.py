"""Pattern detectors: contacts, numbers, dates of birth, addresses, facilities and units.

Each detector takes the normalised text and yields ``(start, end, kind)``. They do not know whose record
the text belongs to; the known-value pass (``known_values.py``) and the name pass (``names.py``) do.
Numbers are found by their digits, whatever separates them (``0 67 123 45 67``, ``АА 123 456``,
``1234 567 890``), so that spacing a number out does not hide it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Final

from crsvdata.anonymise.redaction._data import word_set
from crsvdata.anonymise.redaction.dates import find_dates

__all__ = ["DETECTORS", "Detector", "Found"]

Found = tuple[int, int, str]
Detector = Callable[[str], Iterator[Found]]

_TLDS: Final = r"(?:com|net|org|ua|ru|info|me|io|biz|online|site|eu|de|pl|gov|edu|by|kz|uk|us|app|xyz)"
_EMAIL: Final = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# "olena (at) example (dot) org", "olena[at]example.org", "olena at example dot org", "olena собака ukr.net"
_AT: Final = r"(?:\s*[(\[{<]\s*(?:at|ат|собака|@)\s*[)\]}>]\s*|\s+(?:at|собака)\s+|\s*@\s*)"
_DOT: Final = r"(?:\s*[(\[{<]\s*(?:dot|крапка|точка|\.)\s*[)\]}>]\s*|\s+(?:dot|крапка|точка)\s+|\.)"
_EMAIL_OBFUSCATED: Final = re.compile(
    rf"(?<![\w.])[A-Za-z0-9][\w.%+\-]*{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}{_TLDS}\b",
    re.IGNORECASE,
)
_URL: Final = re.compile(
    rf"(?:(?:https?|ftp)://|www\.)[^\s<>«»\"]+|(?<![\w@.])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.{_TLDS}\b"
    r"(?:/[^\s<>«»\"]*)?",
    re.IGNORECASE,
)
_HANDLE: Final = re.compile(r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,40}")
_IBAN_UA: Final = re.compile(r"(?<![\w])UA\s?\d{2}(?:\s?[0-9A-Z]){25}(?![\w])", re.IGNORECASE)
_UNZR: Final = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s?(?:0[1-9]|1[0-2])\s?(?:0[1-9]|[12]\d|3[01])\s*[\-–]?\s*\d{5}(?!\d)"
)
_PASSPORT: Final = re.compile(
    r"(?<![\w])[А-ЩЬЮЯҐЄІЇA-Z]{2}\s?[№#]?\s?\d(?:(?:[ \t]?[\-–./][ \t]?|[ \t])?\d){5}(?![\d])|"
    r"(?<=паспорт)[\s:а-яі]*?\b[а-щьюяґєіїa-z]{2}\s?[№#]?\s?\d{6}(?!\d)",
    re.IGNORECASE,
)
# A run of digits with single separators between groups; its digits are counted, not its characters.
_SEPARATOR: Final = r"(?:[ \t]?[\-–./][ \t]?|[ \t])"
_DIGIT_RUN: Final = re.compile(rf"(?<![\w+])\+?\(?\d(?:\)?{_SEPARATOR}?\(?\d)*\)?(?!\w)")
_YEAR_RANGE: Final = re.compile(r"(?:19|20)\d{2}\s?[\-–.]\s?(?:19|20)\d{2}")
_MIN_NUMBER_DIGITS: Final = 7
_PHONE_KINDS: Final = frozenset({"phone"})
_ADDRESS_TAIL: Final = (
    r"(?:[\s,.]+(?:(?:буд(?:инок)?|б|д|дом)\.?\s*)?№?\s*\d{1,4}(?:\s?[-/]?\s?[а-яa-z])?\b"
    r"(?:\s*[,/]\s*(?:(?:кв(?:артира)?|к|оф|офіс|корп(?:ус)?|під'їзд)\.?\s*)?\d{1,4}[а-яa-z]?)*)?"
)
_NAME_WORD: Final = r"(?:\d{1,3}-?[а-яіїє]{0,3}\s+)?[^\W\d_][\w'\-]*"


@cache
def _address_pattern() -> re.Pattern[str]:
    words = sorted(word_set("street_types.txt"), key=len, reverse=True)
    # Full words take a case ending (на проспекті, у провулку); abbreviations must stand alone (пр, пл).
    stems = "|".join(re.escape(re.sub(r"[аяоеиіїьй]$", "", m)) for m in words if len(m) >= 5)
    abbreviations = "|".join(re.escape(m) for m in words if len(m) < 5)
    markers = rf"(?:{stems})[а-яіїєу]{{0,3}}|(?:{abbreviations})"
    return re.compile(
        rf"(?<![\w])(?:{markers})(?![^\W\d_])\.?\s*(?:{_NAME_WORD})(?:\s+(?!(?:в|у|на|і|та|де|з)\b)"
        rf"{_NAME_WORD}){{0,2}}?{_ADDRESS_TAIL}",
        re.IGNORECASE,
    )


_HOUSE: Final = re.compile(
    r"(?<![\w])(?:буд(?:инок)?|будинку)\.?\s*№?\s*\d{1,4}[а-яa-z]?(?:\s*,?\s*(?:кв(?:артира)?|квартир[іау])\.?\s*"
    r"\d{1,4})?|(?<![\w])кв(?:артира|артирі|\.)\s*№?\s*\d{1,4}",
    re.IGNORECASE,
)


@cache
def _number_words_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(word_set("number_words.txt"), key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{words})(?:[\s,\-]+(?:{words})){{4,}}(?![\w])", re.IGNORECASE)


_BIRTH_CONTEXT: Final = re.compile(
    r"(?:\bнар\.|\bнародж\w*|\bнародил\w*|\bр\.\s?н\.|\bд\.\s?н\.|\bрожд\w*|\bродил\w*|\bг\.\s?р\.|\bDOB\b|"
    r"\bborn\b)",
    re.IGNORECASE,
)
_YEAR_OF_BIRTH: Final = re.compile(
    r"(?<!\d)(?:19|20)\d{2}"
    r"(?=\s*(?:р\.\s?н\.|р\.\s?нар\.|року народження|г\.\s?р\.|года рождения|р\.н|рн\b))",
    re.IGNORECASE,
)
_BIRTH_YEAR_AFTER: Final = re.compile(r"[\s:,\-]*(?:у|в)?\s*(?:19|20)\d{2}(?:\s*(?:р\.|року|г\.))?")


@cache
def _facility_pattern() -> re.Pattern[str]:
    # The stem of each noun, so that every case form follows it (школа, школі, школою).
    stems = {re.sub(r"[аяоеиіїьй]$", "", word) for word in word_set("facility_words.txt")}
    nouns = "|".join(re.escape(w) for w in sorted(stems, key=len, reverse=True))
    numbered = r"(?:№\s*\d+[а-яa-z]?|\d{1,4}\b|[«\"„][^»\"“]{1,60}[»\"“])"
    named = r"[A-ZА-ЩЬЮЯҐЄІЇ][\w'\-]+(?:\s+[A-ZА-ЩЬЮЯҐЄІЇ][\w'\-]+)*"
    # Case-insensitive for the noun only: the name after it must be a number or quoted (a few words
    # may come between: "колонії суворого режиму № 77"), or capitalised right after the noun.
    noun = rf"(?<![\w])(?i:(?:{nouns})[а-яіїє]{{0,4}})"
    return re.compile(rf"{noun}(?:(?:\s+[а-яіїє'\-]+){{0,2}}?\s*{numbered}|\s+{named})")


_MILITARY_UNIT: Final = re.compile(
    r"(?<![\w])(?:в/ч|в\.ч\.|військов\w+\s+частин\w*)\s*№?\s*[А-ЯA-Z]?\s?\d{3,5}|"
    r"(?<![\w])\d{1,3}\s?-?(?:[а-яі]{1,3})?\s+(?:окрем\w+\s+)?(?:[а-яіїє'\-]+\s+){0,2}?"
    r"(?:бригад|полк|батальйон|дивізі|загон|рот)\w*",
    re.IGNORECASE,
)


def _regex(
    pattern: re.Pattern[str] | Callable[[], re.Pattern[str]],
    kind: str,
    needs: Callable[[str], bool] | None = None,
) -> Detector:
    """A detector from a pattern; ``needs`` is a cheap test that skips texts the pattern cannot match."""

    def find(text: str) -> Iterator[Found]:
        if needs is not None and not needs(text):
            return
        compiled = pattern if isinstance(pattern, re.Pattern) else pattern()
        for match in compiled.finditer(text):
            yield match.start(), match.end(), kind

    return find


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _numbers(text: str) -> Iterator[Found]:
    """Runs of at least seven digits, spaced or not; dates and year ranges are left to the date pass."""
    if not any(ch.isdigit() for ch in text):
        return
    date_spans = [(start, end) for start, end, _, _ in find_dates(text)]
    for match in _DIGIT_RUN.finditer(text):
        value = match.group().rstrip(".-) ")
        digits = _digits(value)
        if len(digits) < _MIN_NUMBER_DIGITS or _YEAR_RANGE.fullmatch(value):
            continue
        start, end = match.start(), match.start() + len(value)
        if any(d_start <= start and end <= d_end for d_start, d_end in date_spans):
            continue
        if len(digits) == 10 and _is_rnokpp(digits):
            kind = "rnokpp"
        elif len(digits) == 9:
            kind = "id_card"
        elif len(digits) in (9, 10, 12) and digits.lstrip("+").startswith(("0", "380", "80")):
            kind = "phone"
        else:
            kind = "number"
        yield start, end, kind


def _is_rnokpp(digits: str) -> bool:
    from stdnum.ua import rntrc  # python-stdnum and phonenumbers (~15 MB) load with the first number seen

    return bool(rntrc.is_valid(digits))


def _phones(text: str) -> Iterator[Found]:
    if sum(ch.isdigit() for ch in text) < _MIN_NUMBER_DIGITS:
        return
    import phonenumbers

    for found in phonenumbers.PhoneNumberMatcher(text, "UA", leniency=phonenumbers.Leniency.POSSIBLE):
        yield found.start, found.end, "phone"


def _birth_dates(text: str) -> Iterator[Found]:
    """A date or a year written next to a word for birth (``нар. 1 січ. 1990``, ``1990 р.н.``)."""
    for match in _YEAR_OF_BIRTH.finditer(text):
        yield match.start(), match.end(), "date_of_birth"
    found = list(_BIRTH_CONTEXT.finditer(text))
    if not found:
        return
    contexts = [match.end() for match in found]
    # The date may come after the word ("нар. 1 січ. 1990") or before it ("1 січня 1990 року народження").
    context_starts = [match.start() for match in found]
    for start, end, _, _ in find_dates(text):
        if any(0 <= start - context <= 40 for context in contexts) or any(
            0 <= context - end <= 12 for context in context_starts
        ):
            yield start, end, "date_of_birth"
    for context in contexts:
        year = _BIRTH_YEAR_AFTER.match(text, context)
        if year and any(ch.isdigit() for ch in year.group()):
            yield year.start(), year.end(), "date_of_birth"


_ANY_DIGIT: Final = re.compile(r"\d")
_ANY_LATIN: Final = re.compile(r"[A-Za-z]")
_UNIT_WORDS: Final = re.compile(r"в/ч|в\.ч\.|частин|бригад|полк|батальйон|дивізі|загон|рот", re.IGNORECASE)


def _has_digit(text: str) -> bool:
    return _ANY_DIGIT.search(text) is not None


def _has_latin(text: str) -> bool:
    return _ANY_LATIN.search(text) is not None


def _has_at(text: str) -> bool:
    return "@" in text


def _has_unit_word(text: str) -> bool:
    return _UNIT_WORDS.search(text) is not None


DETECTORS: Final[dict[str, Detector]] = {
    "email": _regex(_EMAIL, "email", _has_at),
    "email_obfuscated": _regex(_EMAIL_OBFUSCATED, "email", _has_latin),
    "url": _regex(_URL, "url", _has_latin),
    "handle": _regex(_HANDLE, "handle", _has_at),
    "iban_ua": _regex(_IBAN_UA, "iban", _has_digit),
    "unzr": _regex(_UNZR, "unzr", _has_digit),
    "passport_ua": _regex(_PASSPORT, "passport", _has_digit),
    "phone_ua": _phones,
    "numbers": _numbers,
    "spelled_number": _regex(_number_words_pattern, "number"),
    "birth_date": _birth_dates,
    "address_ua": _regex(_address_pattern, "address"),
    "house_number": _regex(_HOUSE, "address", _has_digit),
    "facility": _regex(_facility_pattern, "facility"),
    "military_unit": _regex(_MILITARY_UNIT, "unit", _has_unit_word),
}
