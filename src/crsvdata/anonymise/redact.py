"""Narrative redaction: the survivor's own identity values first, then detectors, then a fallback.

Names are the hard part of Ukrainian free text: a gazetteer finds a quarter of them, a capitalised-word
rule 83% (anonymisation.md, section 0.4). What works is *known-entity* redaction: the record's own name,
patronymic, address, phones and document numbers, matched on an inflection-tolerant stem (``Тестенко``
also finds ``Тестенкові``, ``Ольга`` also ``Ользі``), with Latin look-alike letters and the official
romanisation. Then format detectors (e-mails, Ukrainian phones via libphonenumber and a pattern, RNOKPP,
UNZR, passports, ID cards, IBAN UA, street addresses); then, for high-risk profiles, every capitalised word
not on a short list of common words.

Passes, in order: known values, detectors, fallback. Overlapping matches are merged and replaced right to
left by typed placeholders such as ``[NAME]``. Spans report offsets and kinds, never the values.
The text is NFC-normalised and invisible format characters are removed first, so that a name written
with a combining accent or a zero-width space is still found; the output is that normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import phonenumbers
from stdnum.ua import rntrc

from crsvdata.models import IdentityRecord

__all__ = [
    "ALL_DETECTORS",
    "DEFAULT_DETECTORS",
    "KnownValues",
    "RedactionResult",
    "Span",
    "name_stems",
    "placeholder",
    "redact_text",
    "transliterate",
]

PLACEHOLDER: Final = re.compile(r"\[[A-Z_]{2,20}\]")
"""What a placeholder looks like; later passes never match inside one, so redaction is idempotent."""


def placeholder(kind: str) -> str:
    """The placeholder that replaces a value of ``kind``: ``[NAME]``, ``[PHONE]``..."""
    return f"[{kind.upper()}]"


@dataclass(frozen=True, slots=True)
class Span:
    """One redacted stretch of the (normalised) input: offsets, kind and the pass that found it."""

    start: int
    end: int
    kind: str
    source: str
    """``known`` (the record's own identity values), ``detector`` or ``fallback``."""


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """The redacted text and where redactions were made. It holds no redacted value."""

    text: str
    spans: tuple[Span, ...]

    @property
    def counts(self) -> dict[str, int]:
        """How many spans of each kind were redacted."""
        return dict(Counter(span.kind for span in self.spans))


# --- text preparation -------------------------------------------------------------------------------


_STRESS_MARKS: Final = frozenset("\u0300\u0301")


def prepare_text(text: str) -> str:
    """NFC, without invisible format characters (zero-width spaces, soft hyphens, direction marks) and
    without stress accents, which Ukrainian writers sometimes put on a vowel (Тесте́нко)."""
    normalised = unicodedata.normalize("NFC", text)
    if any(unicodedata.category(ch) == "Cf" or ch in _STRESS_MARKS for ch in normalised):
        normalised = "".join(
            ch for ch in normalised if unicodedata.category(ch) != "Cf" and ch not in _STRESS_MARKS
        )
    return normalised


# --- stems, look-alikes and romanisation -------------------------------------------------------------

_ENDINGS: Final = tuple(
    sorted(
        ("ий", "ій", "ой", "ія", "ая", "а", "я", "о", "е", "є", "и", "і", "ї", "й", "ь", "у", "ю"),
        key=len,
        reverse=True,
    )
)
_MIN_STEM: Final = 3
# Velars alternate before -і in the dative and locative (Ольга -> Ользі, Лука -> Луці, Параска -> Парасці).
_ALTERNATIONS: Final = {"г": "з", "к": "ц", "х": "с"}
# Closed-syllable і alternates with о or е in the other cases (Сидір -> Сидора, Федір -> Федора).
_VOWEL_I: Final = re.compile(r"і(?=[бвгґджзйклмнпрстфхцчшщ]$)")

_ROMANISATION: Final = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_ROMANISATION_INITIAL: Final = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def transliterate(word: str) -> str:
    """The official romanisation of a Ukrainian word (Cabinet of Ministers resolution No. 55, 2010)."""
    lower = word.casefold().replace("зг", "zgh")
    out = []
    for index, ch in enumerate(lower):
        if index == 0 and ch in _ROMANISATION_INITIAL:
            out.append(_ROMANISATION_INITIAL[ch])
        else:
            out.append(_ROMANISATION.get(ch, ch))
    return "".join(out)


def name_stems(word: str) -> tuple[str, ...]:
    """The stems a name is looked for by: the word less a case ending, and its alternated forms.

    Stems are never shorter than three letters; a shorter word is matched whole.
    """
    lower = word.casefold()
    stem = lower
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= _MIN_STEM:
            stem = lower[: -len(ending)]
            break
    stems = [stem]
    if stem[-1:] in _ALTERNATIONS and len(stem) > _MIN_STEM:
        stems.append(stem[:-1] + _ALTERNATIONS[stem[-1]])
    if _VOWEL_I.search(stem):
        stems.extend(_VOWEL_I.sub(vowel, stem) for vowel in ("о", "е"))
    return tuple(dict.fromkeys(stems))


_STREET_WORDS: Final = frozenset(
    [
        "вул",
        "вулиця",
        "вулиці",
        "вулицю",
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
        "str",
        "street",
        "ul",
    ]
)
_MONTHS_GENITIVE: Final = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)  # fmt: skip


# Latin letters that look like Cyrillic ones are read as Cyrillic when comparing words.
_TO_CYRILLIC: Final = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
        "P": "Р", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "i": "і", "o": "о",
        "p": "р", "x": "х", "y": "у", "\u2019": "'", "\u02bc": "'", "`": "'",
    }
)  # fmt: skip
_WORD: Final = re.compile(r"(?<!\[)[^\W\d_](?:\w|['\u2019\u02bc`](?=\w))*")
_DIGIT_RUN: Final = re.compile(r"(?<!\d)\+?\d(?:[\s\-().]*\d){5,}(?!\d)")
_LETTERS_DIGITS: Final = re.compile(r"(?<![\w])[^\W\d_]{2}[\s\-№]*\d{6}(?!\d)")
_DATE_YMD: Final = re.compile(r"(?<!\d)(\d{4})[\s\-./]+(\d{1,2})[\s\-./]+(\d{1,2})(?!\d)")
_DATE_DMY: Final = re.compile(r"(?<!\d)(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4})(?!\d)")
_DATE_WORDS: Final = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(_MONTHS_GENITIVE) + r")\s+(\d{4})(?!\d)", re.IGNORECASE
)
_HOUSE_NUMBER: Final = re.compile(
    r"[\s,.]+(?:буд(?:инок)?\.?\s*)?№?\s*\d{1,4}[а-яa-z]?(?:\s*[,/]\s*(?:кв(?:артира)?\.?\s*)?\d{1,4})?",
    re.IGNORECASE,
)
"""A house number (and flat) after a street name: ", 161", " буд. 4а", ", 12/3", " 7, кв. 15"."""
_MAX_SUFFIX: Final = 5
_MAX_LATIN_SUFFIX: Final = 3


def _fold(word: str) -> str:
    return word.translate(_TO_CYRILLIC).casefold()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", prepare_text(text)) if len(w) >= 2]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class KnownValues:
    """One person's identity values, prepared for the known-value pass.

    Nothing is compiled per person: the text is cut once into words, digit runs, letter-and-digit codes,
    e-mails and dates by patterns compiled at import, and each piece is compared with the person's values.
    A word matches a name when, Latin look-alikes read as Cyrillic and case folded, it starts with one of
    the name's stems and has at most five more letters (a case ending), or starts with the romanised name
    and has at most three more. A digit run matches when its digits contain a known phone (national
    number) or document number, whatever the separators.
    """

    __slots__ = ("_dobs", "_documents", "_emails", "_latin", "_numbers", "_stems")

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        places: Iterable[str] = (),
        streets: Iterable[str] = (),
        phones: Iterable[str] = (),
        documents: Iterable[str] = (),
        emails: Iterable[str] = (),
        date_of_birth: date | None = None,
    ) -> None:
        self._stems: list[tuple[str, str]] = []
        self._latin: list[tuple[str, str]] = []
        for kind, words in (("name", names), ("address", places), ("street", streets)):
            for word in words:
                self._stems.extend((stem, kind) for stem in name_stems(_fold(word)))
                latin = transliterate(word)
                if len(latin) >= _MIN_STEM and latin != word.casefold():
                    self._latin.append((latin, kind))
        self._numbers: list[tuple[str, str]] = []
        for phone in phones:
            digits = "".join(ch for ch in phone if ch.isdigit())
            national = digits[3:] if digits.startswith("380") else digits
            self._numbers.append((national, "phone"))
        self._documents: dict[str, str] = {}
        for kind_number in documents:
            kind, _, number = kind_number.partition(":")
            compact = re.sub(r"[\s\-]", "", number).translate(_TO_CYRILLIC).upper()
            if compact.isdigit():
                self._numbers.append((compact, kind))
            elif any(ch.isdigit() for ch in compact):
                self._documents[compact] = kind
                self._numbers.append(("".join(ch for ch in compact if ch.isdigit()), kind))
        self._emails = {email.casefold() for email in emails}
        self._dobs: set[date] = {date_of_birth} if date_of_birth is not None else set()

    def __repr__(self) -> str:
        return "KnownValues(<hidden>)"

    @classmethod
    def from_identity(cls, identity: IdentityRecord) -> KnownValues:
        """The values of ``identity``: names, settlement and street, phones, e-mails, documents, birth."""
        names: set[str] = set()
        for name in [identity.name, *(identity.other_names or ())]:
            if name is None:
                continue
            for part in (name.family_name, name.given_name, name.patronymic):
                if part:
                    names.update(_words(part))
        places: list[str] = []
        streets: list[str] = []
        if identity.address is not None:
            if identity.address.settlement:
                places = [
                    w
                    for w in _words(identity.address.settlement)
                    if _fold(w).rstrip(".") not in _STREET_WORDS
                ]
            if identity.address.street_address:
                streets = [
                    w
                    for w in re.findall(r"[^\W\d_][\w'’ʼ]*", prepare_text(identity.address.street_address))
                    if len(w) >= 2 and w.casefold().rstrip(".") not in _STREET_WORDS
                ]
        documents = [f"{d.type}:{d.number}" for d in identity.documents or ()]
        return cls(
            names=sorted(names),
            places=places,
            streets=streets,
            phones=identity.phones or (),
            documents=documents,
            emails=identity.emails or (),
            date_of_birth=identity.date_of_birth,
        )

    @classmethod
    def merged(cls, parts: Iterable[KnownValues]) -> KnownValues:
        """The values of several identity records of one survivor (held twice, or under two names)."""
        result = cls()
        for part in parts:
            result._stems.extend(part._stems)
            result._latin.extend(part._latin)
            result._numbers.extend(part._numbers)
            result._documents.update(part._documents)
            result._emails.update(part._emails)
            result._dobs.update(part._dobs)
        return result

    def _word_kind(self, word: str) -> str | None:
        folded = _fold(word)
        for stem, kind in self._stems:
            if folded.startswith(stem) and len(folded) - len(stem) <= _MAX_SUFFIX:
                return kind
        plain = word.casefold()
        for latin, kind in self._latin:
            if plain.startswith(latin) and len(plain) - len(latin) <= _MAX_LATIN_SUFFIX:
                return kind
        return None

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every match of the person's values in ``text`` as (start, end, kind)."""
        if self._stems or self._latin:
            for match in _WORD.finditer(text):
                kind = self._word_kind(match.group())
                if kind is None:
                    continue
                end = match.end()
                if kind == "street":
                    house = _HOUSE_NUMBER.match(text, end)
                    end = house.end() if house else end
                    kind = "address"
                yield match.start(), end, kind
        if self._numbers:
            for match in _DIGIT_RUN.finditer(text):
                digits = "".join(ch for ch in match.group() if ch.isdigit())
                for number, kind in self._numbers:
                    if number in digits:
                        yield (
                            match.start(),
                            match.end(),
                            "passport" if kind.endswith("passport") or kind.startswith("passport") else kind,
                        )
                        break
        if self._documents:
            for match in _LETTERS_DIGITS.finditer(text):
                compact = re.sub(r"[\s\-№]", "", match.group()).translate(_TO_CYRILLIC).upper()
                if compact in self._documents:
                    yield match.start(), match.end(), "passport"
        if self._emails and "@" in text:
            for match in _EMAIL.finditer(text):
                if match.group().casefold() in self._emails:
                    yield match.start(), match.end(), "email"
        if self._dobs:
            for pattern, order in ((_DATE_YMD, (0, 1, 2)), (_DATE_DMY, (2, 1, 0))):
                for match in pattern.finditer(text):
                    parts = [int(g) for g in match.groups()]
                    if _safe_date(parts[order[0]], parts[order[1]], parts[order[2]]) in self._dobs:
                        yield match.start(), match.end(), "date_of_birth"
            for match in _DATE_WORDS.finditer(text):
                month = _MONTHS_GENITIVE.index(match.group(2).casefold()) + 1
                if _safe_date(int(match.group(3)), month, int(match.group(1))) in self._dobs:
                    yield match.start(), match.end(), "date_of_birth"


# --- detectors --------------------------------------------------------------------------------------

_EMAIL: Final = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IBAN_UA: Final = re.compile(r"(?<![\w])UA\s?\d{2}(?:\s?[0-9A-Z]){25}(?![\w])", re.IGNORECASE)
_UNZR: Final = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[\s\-]?\d{5}(?!\d)")
_TEN_DIGITS: Final = re.compile(r"(?<!\d)\d{10}(?!\d)")
_PASSPORT: Final = re.compile(r"(?<![\w])[А-ЩЬЮЯҐЄІЇA-Z]{2}\s?№?\s?\d{6}(?!\d)")
_NINE_DIGITS: Final = re.compile(r"(?<!\d)\d{9}(?!\d)")
_PHONE_UA: Final = re.compile(
    r"(?<![\w+])(?:\+\s*)?(?:3\s*8[\s\-]*)?(?:\(\s*)?0\d{2}\s*\)?[\s\-]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)"
)
_PHONE_INTL: Final = re.compile(r"(?<![\w+])\+\s*\d(?:[\s\-().]*\d){7,14}(?!\d)")
_LONG_NUMBER: Final = re.compile(r"(?<![\d\w])\d(?:[\s\-./]?\d){5,}(?!\d)")
_ADDRESS: Final = re.compile(
    r"(?<![\w])(?:вул(?:иц[яіюе]|\.)?|просп(?:ект\w{0,2}|\.)?|пров(?:ул\w{0,4}|\.)?|бульв(?:ар\w{0,2}|\.)?)"
    r"\s*[^\W\d_][\w'’ʼ\-]*(?:\s+[^\W\d_][\w'’ʼ\-]*)?(?:[\s,.]+(?:буд(?:инок)?\.?\s*)?№?\s*\d{1,4}[а-яa-z]?"
    r"(?:\s*[,/]\s*(?:кв(?:артира)?\.?\s*)?\d{1,4})?)?",
    re.IGNORECASE,
)
_CAPITALISED: Final = re.compile(r"(?<![\w\[])[A-ZА-ЩЬЮЯҐЄІЇ][\w'’ʼ\-]*")


_Detector = Callable[[str], Iterator[tuple[int, int, str]]]


def _regex_detector(pattern: re.Pattern[str], kind: str) -> _Detector:
    def find(text: str) -> Iterator[tuple[int, int, str]]:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), kind

    return find


def _ten_digits(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _TEN_DIGITS.finditer(text):
        # A valid check digit says RNOKPP; any other 10-digit run is still redacted, as a number.
        yield match.start(), match.end(), "rnokpp" if rntrc.is_valid(match.group()) else "number"


def _phones(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _PHONE_UA.finditer(text):
        yield match.start(), match.end(), "phone"
    for match in _PHONE_INTL.finditer(text):
        yield match.start(), match.end(), "phone"
    if any(ch.isdigit() for ch in text):
        matcher = phonenumbers.PhoneNumberMatcher(text, "UA", leniency=phonenumbers.Leniency.POSSIBLE)
        for found in matcher:
            yield found.start, found.end, "phone"


_DETECTORS: Final = {
    "email": _regex_detector(_EMAIL, "email"),
    "iban_ua": _regex_detector(_IBAN_UA, "iban"),
    "unzr": _regex_detector(_UNZR, "unzr"),
    "rnokpp": _ten_digits,
    "passport_ua": _regex_detector(_PASSPORT, "passport"),
    "idcard_ua": _regex_detector(_NINE_DIGITS, "id_card"),
    "phone_ua": _phones,
    "address_ua": _regex_detector(_ADDRESS, "address"),
    "long_number": _regex_detector(_LONG_NUMBER, "number"),
}
ALL_DETECTORS: Final = tuple(_DETECTORS)
DEFAULT_DETECTORS: Final = (
    "email",
    "iban_ua",
    "unzr",
    "rnokpp",
    "passport_ua",
    "idcard_ua",
    "phone_ua",
    "address_ua",
)

# Capitalised words that are common at the start of a sentence or name no one: the fallback keeps them.
_COMMON_WORDS: Final = frozenset(
    [
        "я",
        "ти",
        "ми",
        "ви",
        "він",
        "вона",
        "воно",
        "вони",
        "це",
        "цей",
        "ця",
        "ці",
        "той",
        "та",
        "те",
        "ті",
        "але",
        "а",
        "і",
        "й",
        "та",
        "потім",
        "після",
        "коли",
        "тоді",
        "там",
        "тут",
        "її",
        "його",
        "їх",
        "їй",
        "йому",
        "їм",
        "у",
        "в",
        "на",
        "з",
        "із",
        "зі",
        "до",
        "від",
        "за",
        "під",
        "над",
        "по",
        "при",
        "про",
        "через",
        "що",
        "як",
        "де",
        "бо",
        "не",
        "ні",
        "так",
        "усі",
        "всі",
        "все",
        "один",
        "одна",
        "одне",
        "одного",
        "кожен",
        "хтось",
        "ніхто",
        "вже",
        "ще",
        "також",
        "тому",
        "оскільки",
        "якщо",
        "хоча",
        "між",
        "близько",
        "під_час",
        "наприкінці",
        "наприклад",
        "спочатку",
        "згодом",
        "пізніше",
        "раніше",
        "вранці",
        "ввечері",
        "вночі",
        "вдень",
        "уранці",
        "зранку",
        "сьогодні",
        "вчора",
        "завтра",
        "тел",
        "телефон",
        "рнокпп",
        "іпн",
        "унзр",
        "паспорт",
        "id",
        "iban",
        "email",
        "e-mail",
        "the",
        "a",
        "an",
        "he",
        "she",
        "they",
        "we",
        "i",
        "it",
        "this",
        "that",
        "then",
        "after",
        "when",
        "there",
    ]
)
_COMMON_PREFIXES: Final = (
    "україн", "російськ", "росі", "рф", "зсу", "оон", "січ", "лют", "берез", "квіт", "трав", "черв", "лип",
    "серп", "верес", "жовт", "листопад", "груд", "понеділ", "вівтор", "серед", "четвер", "п'ятниц",
    "субот", "неділ", "synthetic",
)  # fmt: skip


def _capitalised(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _CAPITALISED.finditer(text):
        word = match.group().casefold()
        if word in _COMMON_WORDS or word.startswith(_COMMON_PREFIXES):
            continue
        yield match.start(), match.end(), "proper_noun"


# --- the redactor -----------------------------------------------------------------------------------


def _merge(candidates: list[tuple[int, int, str, str, int]]) -> list[Span]:
    # Sorted by start; an overlap joins two spans and keeps the kind of the earlier pass (lower rank).
    candidates.sort(key=lambda c: (c[0], -c[1], c[4]))
    merged: list[tuple[int, int, str, str, int]] = []
    for start, end, kind, source, rank in candidates:
        if merged and start < merged[-1][1]:
            m_start, m_end, m_kind, m_source, m_rank = merged[-1]
            if rank < m_rank:
                m_kind, m_source, m_rank = kind, source, rank
            merged[-1] = (m_start, max(m_end, end), m_kind, m_source, m_rank)
        else:
            merged.append((start, end, kind, source, rank))
    return [Span(start, end, kind, source) for start, end, kind, source, _ in merged]


def redact_text(
    text: str,
    known: KnownValues | None = None,
    detectors: Sequence[str] = DEFAULT_DETECTORS,
    *,
    fallback: bool = False,
) -> RedactionResult:
    """Redact ``text``: the known values of the person, the named detectors, then (optionally) the
    capitalised-word fallback. Returns the redacted text and the spans, without the values.

    ``detectors`` are names from :data:`ALL_DETECTORS`; ValueError for an unknown one.
    """
    unknown = [name for name in detectors if name not in _DETECTORS]
    if unknown:
        raise ValueError(f"unknown detector(s): {', '.join(unknown)}")
    prepared = prepare_text(text)
    protected = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(prepared)]

    def free(start: int, end: int) -> bool:
        return start < end and not any(start < p_end and p_start < end for p_start, p_end in protected)

    candidates: list[tuple[int, int, str, str, int]] = []
    rank = 0
    if known is not None:
        candidates.extend((s, e, k, "known", rank) for s, e, k in known.find(prepared) if free(s, e))
    for name in detectors:
        rank += 1
        candidates.extend((s, e, k, "detector", rank) for s, e, k in _DETECTORS[name](prepared) if free(s, e))
    if fallback:
        rank += 1
        candidates.extend((s, e, k, "fallback", rank) for s, e, k in _capitalised(prepared) if free(s, e))
    spans = _merge(candidates)
    pieces = []
    position = 0
    for span in spans:
        pieces.append(prepared[position : span.start])
        pieces.append(placeholder(span.kind))
        position = span.end
    pieces.append(prepared[position:])
    return RedactionResult("".join(pieces), tuple(spans))
