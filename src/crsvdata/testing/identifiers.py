"""Hypothesis strategies for Ukrainian identifiers and KATOTTH codes.

Every value is synthetic: drawn at random in the right format (with a correct check digit where one
exists), never copied from a real person. Values can still collide with a real number by chance, so use
them only as test data.

The "valid" strategies produce values that pass the matching ``check_*`` function with no findings. The
"invalid" ones keep the structural format (so they pass the JSON Schema and the structure-only layer of
the models) but break exactly one rule, which is what tests of the rule layer need.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Final

import phonenumbers
from hypothesis import strategies as st
from stdnum.ua import rntrc

from crsvdata.geography import KatotthLevel, all_katotth_codes, katotth_category, katotth_exists, subdivisions
from crsvdata.identifiers import PHONE_E164_PATTERN, unzr_check_digit

__all__ = [
    "erdr_numbers",
    "foreign_passport_numbers",
    "id_card_numbers",
    "invalid_katotth_codes",
    "invalid_phone_numbers",
    "invalid_rnokpps",
    "katotth_codes",
    "passport_booklet_numbers",
    "phone_numbers_ua",
    "rnokpps",
    "ua_subdivision_codes",
    "unknown_katotth_codes",
    "unzrs",
    "unzrs_with_invalid_date",
    "unzrs_with_wrong_check_digit",
]

_DIGITS: Final = "0123456789"
_LATIN_CAPITALS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The letter class of PASSPORT_BOOKLET_PATTERN: А-Щ (U+0410-U+0429), then Ь Ю Я Ґ Є І Ї.
_BOOKLET_LETTERS: Final = "".join(chr(code) for code in range(0x0410, 0x042A)) + "ЬЮЯҐЄІЇ"
_SPECIAL_STATUS_CITIES: Final = ("80", "85")


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=_DIGITS, min_size=count, max_size=count)


def _zero_padded(low: int, high: int, width: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda number: str(number).zfill(width))


# --- RNOKPP -----------------------------------------------------------------------------------------


def rnokpps() -> st.SearchStrategy[str]:
    """Valid RNOKPPs: 9 random digits and the check digit python-stdnum computes for them."""
    return _digits(9).map(lambda body: body + rntrc.calc_check_digit(body))


def invalid_rnokpps() -> st.SearchStrategy[str]:
    """10-digit strings whose last digit is *not* the RNOKPP check digit (format right, checksum wrong)."""

    def wrong(body: str, offset: int) -> str:
        return body + str((int(rntrc.calc_check_digit(body)) + offset) % 10)

    return st.builds(wrong, _digits(9), st.integers(1, 9))


# --- UNZR -------------------------------------------------------------------------------------------


def _unzr(year: int, month: int, day: int, serial: int, check_offset: int = 0) -> str:
    digits = f"{year:04d}{month:02d}{day:02d}{serial:04d}"
    check = (int(unzr_check_digit(digits)) + check_offset) % 10
    return f"{digits[:8]}-{digits[8:]}{check}"


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def unzrs(min_date: date = date(1900, 1, 1), max_date: date = date(2099, 12, 31)) -> st.SearchStrategy[str]:
    """Valid UNZRs: a date of birth in ``[min_date, max_date]``, a serial 0001-9999, the 7-3-1 check digit."""
    return st.builds(
        lambda born, serial: _unzr(born.year, born.month, born.day, serial),
        st.dates(min_value=min_date, max_value=max_date),
        st.integers(1, 9999),
    )


def unzrs_with_invalid_date() -> st.SearchStrategy[str]:
    """UNZRs that match the pattern (month 01-12, day 01-31) but whose date is not a real calendar date.

    The check digit is right, so the only finding is ``identifier.unzr_date``.
    """
    years = st.integers(1900, 2099)
    impossible: st.SearchStrategy[tuple[int, int, int]] = st.one_of(
        st.tuples(years, st.sampled_from([(2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31)])).map(
            lambda pair: (pair[0], pair[1][0], pair[1][1])
        ),
        years.filter(lambda year: not _is_leap(year)).map(lambda year: (year, 2, 29)),
        # Year 0000 fits the four digits, but no calendar has it.
        st.dates(date(2001, 1, 1), date(2001, 12, 31)).map(lambda day: (0, day.month, day.day)),
    )
    return st.builds(
        lambda ymd, serial: _unzr(ymd[0], ymd[1], ymd[2], serial), impossible, st.integers(1, 9999)
    )


def unzrs_with_wrong_check_digit(
    min_date: date = date(1900, 1, 1), max_date: date = date(2099, 12, 31)
) -> st.SearchStrategy[str]:
    """UNZRs with a real date but a check digit the 7-3-1 method does not give (a warning, not an error)."""
    return st.builds(
        lambda born, serial, offset: _unzr(born.year, born.month, born.day, serial, offset),
        st.dates(min_value=min_date, max_value=max_date),
        st.integers(1, 9999),
        st.integers(1, 9),
    )


# --- Identity documents -----------------------------------------------------------------------------


def passport_booklet_numbers() -> st.SearchStrategy[str]:
    """Old-style passport booklet numbers: 2 Ukrainian Cyrillic capitals and 6 digits, no space."""
    letters = st.text(alphabet=_BOOKLET_LETTERS, min_size=2, max_size=2)
    return st.builds(str.__add__, letters, _digits(6))


def id_card_numbers() -> st.SearchStrategy[str]:
    """ID-card document numbers: 9 digits."""
    return _digits(9)


def foreign_passport_numbers() -> st.SearchStrategy[str]:
    """Passport-for-travel-abroad numbers: 2 Latin capitals and 6 digits."""
    letters = st.text(alphabet=_LATIN_CAPITALS, min_size=2, max_size=2)
    return st.builds(str.__add__, letters, _digits(6))


# --- Phone numbers ----------------------------------------------------------------------------------


def phone_numbers_ua() -> st.SearchStrategy[str]:
    """Ukrainian mobile numbers in E.164 (``+380`` and 9 digits) that libphonenumber accepts as valid.

    Drawn from the mobile pattern of the installed libphonenumber metadata for UA, so they follow it
    when operators' ranges change.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("UA")
    pattern = None if metadata is None or metadata.mobile is None else metadata.mobile.national_number_pattern
    if pattern is None:
        raise RuntimeError("the installed phonenumbers package has no mobile pattern for Ukraine")
    # alphabet pins \d in the metadata pattern to ASCII digits.
    national = st.from_regex(f"(?:{pattern})", fullmatch=True, alphabet=_DIGITS)
    return national.map(lambda number: "+380" + number)


def _is_valid_e164(value: str) -> bool:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == value
    )


def invalid_phone_numbers() -> st.SearchStrategy[str]:
    """Strings in E.164 shape that are not a valid phone number in canonical form for libphonenumber."""
    shaped = st.from_regex(PHONE_E164_PATTERN, fullmatch=True, alphabet="+" + _DIGITS)
    return shaped.filter(lambda value: not _is_valid_e164(value))


# --- ERDR -------------------------------------------------------------------------------------------


def erdr_numbers(min_year: int = 2012, max_year: int = 2099) -> st.SearchStrategy[str]:
    """ERDR numbers: a body digit 1-9, a year of entry in ``[min_year, max_year]`` and 12 more digits."""
    if not 2012 <= min_year <= max_year <= 2099:
        raise ValueError("ERDR years must satisfy 2012 <= min_year <= max_year <= 2099")
    return st.builds(
        lambda body, year, rest: f"{body}{year}{rest}",
        st.integers(1, 9),
        st.integers(min_year, max_year),
        _digits(12),
    )


# --- Geography --------------------------------------------------------------------------------------


def _oblasts() -> st.SearchStrategy[str]:
    return st.sampled_from([subdivision.oblast_digits for subdivision in subdivisions()])


def katotth_codes(level: KatotthLevel | None = None) -> st.SearchStrategy[str]:
    """Real KATOTTH codes at ``level`` (any level if None), sampled from the vendored codifier.

    Level 1 is an oblast, Crimea, Kyiv or Sevastopol; 2 a raion; 3 a hromada; 4 a city, town or village;
    "additional" a city district. Every code exists in :data:`crsvdata.geography.KATOTTH_EDITION`.
    """
    return _katotth_codes(level)


_CATEGORIES_AT_LEVEL: dict[KatotthLevel, frozenset[str]] = {
    1: frozenset("OK"),
    2: frozenset("P"),
    3: frozenset("H"),
    4: frozenset("MTCX"),
    "additional": frozenset("B"),
}


@functools.cache
def _katotth_codes(level: KatotthLevel | None) -> st.SearchStrategy[str]:
    # Built once per level: composite strategies (locations, addresses) draw from it for every record.
    if level is None:
        # Levels first, so that the 27 level-1 codes are drawn as often as the 29,000 settlements.
        return st.one_of([katotth_codes(each) for each in (1, 2, 3, 4, "additional")])
    if level not in _CATEGORIES_AT_LEVEL:
        raise ValueError("level must be 1, 2, 3, 4, 'additional' or None")
    wanted = _CATEGORIES_AT_LEVEL[level]
    return st.sampled_from([code for code in all_katotth_codes() if katotth_category(code) in wanted])


def unknown_katotth_codes() -> st.SearchStrategy[str]:
    """Well-formed KATOTTH codes that pass every structural rule but are not in the codifier.

    A real code with another unique key: the structural digits of a real unit name exactly one code.
    """
    return (
        st.tuples(katotth_codes(), _digits(5))
        .map(lambda pair: pair[0][:14] + pair[1])
        .filter(lambda code: not katotth_exists(code))
    )


def _joined(groups: list[st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    return st.tuples(*groups).map(lambda parts: "UA" + "".join(parts))


def _not_special_city(digits: str) -> bool:
    return digits not in _SPECIAL_STATUS_CITIES


def invalid_katotth_codes() -> st.SearchStrategy[str]:
    """``UA`` and 17 digits, but breaking a KATOTTH rule: an unknown oblast or a gap between levels."""
    known = {subdivision.oblast_digits for subdivision in subdivisions()}
    unknown_oblast = st.tuples(
        _zero_padded(0, 99, 2).filter(lambda digits: digits not in known), _digits(15)
    ).map(lambda parts: "UA" + "".join(parts))
    nonzero2, nonzero3 = _zero_padded(1, 99, 2), _zero_padded(1, 999, 3)
    gap = st.one_of(
        # hromada without raion
        _joined([_oblasts(), st.just("00"), nonzero3, _digits(3), _digits(2), _digits(5)]),
        # settlement without hromada
        _joined([_oblasts(), _digits(2), st.just("000"), nonzero3, _digits(2), _digits(5)]),
        # city district with a raion or hromada but no settlement
        _joined([_oblasts(), nonzero2, _digits(3), st.just("000"), nonzero2, _digits(5)]),
        # city district directly under an oblast that is not a city with special status
        _joined([_oblasts().filter(_not_special_city), st.just("0" * 8), nonzero2, _digits(5)]),
    )
    return st.one_of(unknown_oblast, gap)


def ua_subdivision_codes() -> st.SearchStrategy[str]:
    """The 27 ISO 3166-2:UA codes."""
    return st.sampled_from([subdivision.iso_3166_2 for subdivision in subdivisions()])
