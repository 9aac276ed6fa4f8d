"""Ukrainian personal and case identifiers: pydantic types, check functions and small helpers.

Every identifier has three faces, and they must agree:

* a regex (``*_PATTERN``) that is the whole *structural* check. The pydantic type puts it in
  ``Field(pattern=...)``, so it is also what the published JSON Schema says. The patterns are written to
  mean the same in Python ``re``, pydantic-core's Rust regex and ECMA-262 (ajv): ``[0-9]`` rather than
  ``\\d`` (Python and Rust read ``\\d`` as any Unicode digit, ECMA-262 as ASCII only), no lookarounds, no
  backreferences, no ``\\Z``, anchored with ``^`` and ``$``;
* *rules* that JSON Schema cannot express (checksums, calendar dates, libphonenumber validity). They run
  in the type's ``AfterValidator`` unless the validation context switches them off
  (:data:`crsvdata._context.STRUCTURE_ONLY`), and raise ``PydanticCustomError`` with a stable dotted code;
* a ``check_*`` function that runs both layers on any value and returns :class:`~crsvdata.findings.Finding`
  tuples (empty means valid). Rules that the domain reference marks as only inferred ([I]) are reported
  as warnings there and never make the pydantic type reject.

No message ever contains the value: these are direct identifiers of survivors. Validators never
normalise either; :func:`normalise_document_number` and :func:`normalise_phone` are separate, explicit
steps for the caller.

Confidence marks ([C] confirmed, [I] inferred) refer to ``domain-standards.md`` sections 4.2 and 4.4-4.6.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Final

from crsvdata._lazy import lazy_exports

if TYPE_CHECKING:
    from pydantic import AfterValidator, ValidationInfo

    from crsvdata.identifiers._types import (
        ErdrNumber,
        ForeignPassportNumber,
        IdCardNumber,
        PassportBookletNumber,
        PhoneNumberE164,
        Rnokpp,
        Unzr,
    )

from crsvdata._context import inert_on_valid_json, rules_enabled
from crsvdata.findings import Finding, Severity

__all__ = [
    "ERDR_PATTERN",
    "FOREIGN_PASSPORT_PATTERN",
    "ID_CARD_PATTERN",
    "PASSPORT_BOOKLET_PATTERN",
    "PHONE_E164_PATTERN",
    "RNOKPP_PATTERN",
    "UNZR_PATTERN",
    "ErdrNumber",
    "ErdrParts",
    "ForeignPassportNumber",
    "IdCardNumber",
    "IdentifierSpec",
    "PassportBookletNumber",
    "PhoneNumberE164",
    "Rnokpp",
    "Unzr",
    "check_erdr_number",
    "check_foreign_passport",
    "check_id_card_number",
    "check_passport_booklet",
    "check_phone",
    "check_rnokpp",
    "check_unzr",
    "erdr_year",
    "normalise_document_number",
    "normalise_phone",
    "parse_erdr",
    "rnokpp_birth_date",
    "unzr_birth_date",
    "unzr_check_digit",
]

_PYDANTIC_TYPES: Final = frozenset(
    {
        "ErdrNumber",
        "ForeignPassportNumber",
        "IdCardNumber",
        "PassportBookletNumber",
        "PhoneNumberE164",
        "Rnokpp",
        "Unzr",
    }
)
"""The identifier types, defined in ``_types`` and imported from here on first use."""


# The pydantic types are built on first use. The rules call only the check functions, so a valid file is
# checked without importing pydantic (tests/test_lean_start.py).
__getattr__, __dir__ = lazy_exports(
    __name__, globals(), dict.fromkeys(_PYDANTIC_TYPES, "crsvdata.identifiers._types")
)


def _no_rules(value: str) -> tuple[Finding, ...]:
    return ()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True, slots=True)
class IdentifierSpec:
    """The structural pattern and the rules of one identifier, shared by its type and its check function.

    ``rules`` is only ever called on a value that matches ``pattern``.
    """

    kind: str
    format_message: str
    pattern: str
    rules: Callable[[str], tuple[Finding, ...]] = _no_rules

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (compiled on first use: most files hold few kinds of identifier)."""
        return _compiled(self.pattern)

    def matches(self, value: object) -> bool:
        # fullmatch, not match: Python's "$" also matches before a final newline, which pydantic's Rust
        # regex and ECMA-262 do not.
        return isinstance(value, str) and self.regex.fullmatch(value) is not None

    def check(self, value: object) -> tuple[Finding, ...]:
        if not isinstance(value, str) or not self.matches(value):
            return (Finding(f"identifier.{self.kind}_format", Severity.ERROR, self.format_message),)
        return self.rules(value)

    def validator(self) -> AfterValidator:
        """The pydantic validator of the identifier's type (pydantic is imported here, for the types only)."""
        from pydantic import AfterValidator
        from pydantic_core import PydanticCustomError

        @inert_on_valid_json
        def validate(value: str, info: ValidationInfo) -> str:
            # The Field pattern has already run, but under regex_engine="python-re" "$" would let a final
            # newline through; the rules below rely on the exact structure.
            if not self.matches(value):
                raise PydanticCustomError(f"identifier.{self.kind}_format", self.format_message)
            if rules_enabled(info.context):
                for finding in self.rules(value):
                    if finding.severity is Severity.ERROR:
                        raise PydanticCustomError(finding.code, finding.message)
            return value

        return AfterValidator(validate)


def _error(code: str, message: str) -> Finding:
    return Finding(code, Severity.ERROR, message)


# --- RNOKPP -----------------------------------------------------------------------------------------

RNOKPP_PATTERN: Final = r"^[0-9]{10}$"

_RNOKPP_EPOCH: Final = date(1899, 12, 31)


def _rnokpp_rules(value: str) -> tuple[Finding, ...]:
    # python-stdnum and phonenumbers are imported where they are used: together they cost ~30 ms, and a
    # file of case records (which hold neither) is validated without them.
    from stdnum.ua import rntrc

    if rntrc.is_valid(value):
        return ()
    return (_error("identifier.rnokpp_checksum", "the RNOKPP check digit does not match the other digits"),)


_RNOKPP: Final = IdentifierSpec(
    kind="rnokpp",
    format_message="an RNOKPP must be exactly 10 digits (0-9), with no spaces",
    pattern=RNOKPP_PATTERN,
    rules=_rnokpp_rules,
)


def check_rnokpp(value: object) -> tuple[Finding, ...]:
    """Check an RNOKPP: 10 ASCII digits and a matching check digit (python-stdnum ``ua.rntrc``) [C].

    The mod-11-then-mod-10 check digit is weak: remainders 0 and 10 both give check digit 0, so about one
    single-digit typo in sixty goes undetected.
    """
    return _RNOKPP.check(value)


def rnokpp_birth_date(value: str) -> date | None:
    """The date of birth encoded in an RNOKPP, or None if ``value`` is not 10 digits.

    Digits 1-5 count the days since 1899-12-31. This layout is inferred [I] (third-party tools and a
    fixture whose RNOKPP and date of birth agree), not documented by the tax authority, and the check digit
    is not verified here: treat the result as a hint, never as the person's recorded date of birth.
    """
    if not _RNOKPP.matches(value):
        return None
    return _RNOKPP_EPOCH + timedelta(days=int(value[:5]))


# --- UNZR -------------------------------------------------------------------------------------------

UNZR_PATTERN: Final = (
    r"^[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])-"
    r"(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})[0-9]$"
)

_MRZ_WEIGHTS: Final = (7, 3, 1)


def unzr_check_digit(digits: str) -> str:
    """The MRZ-style check digit for the 12 digits of a UNZR (date and serial, without the hyphen).

    ICAO 9303 machine-readable-zone method: weights 7, 3, 1 repeating, sum mod 10. That the UNZR uses this
    method is confirmed [C]; the exact weights and the span of 12 digits are inferred [I].
    """
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        raise ValueError("a UNZR check digit is computed over exactly 12 ASCII digits")
    total = sum(int(digit) * _MRZ_WEIGHTS[index % 3] for index, digit in enumerate(digits))
    return str(total % 10)


def _unzr_date(value: str) -> date | None:
    try:
        return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _unzr_rules(value: str) -> tuple[Finding, ...]:
    if _unzr_date(value) is None:
        return (_error("identifier.unzr_date", "the date part of the UNZR is not a real calendar date"),)
    return ()


def _unzr_inferred_rules(value: str) -> tuple[Finding, ...]:
    digits = value[:8] + value[9:13]
    if unzr_check_digit(digits) != value[13]:
        return (
            Finding(
                "identifier.unzr_check_digit",
                Severity.WARNING,
                "the UNZR check digit does not match the 7-3-1 method, which is only inferred",
            ),
        )
    return ()


_UNZR: Final = IdentifierSpec(
    kind="unzr",
    format_message=(
        "a UNZR must be 8 digits of a date (YYYYMMDD), a hyphen, a 4-digit serial from 0001 and a check digit"
    ),
    pattern=UNZR_PATTERN,
    rules=_unzr_rules,
)


def check_unzr(value: object) -> tuple[Finding, ...]:
    """Check a UNZR: the pattern, a real calendar date (error), and the check digit (warning only).

    The check digit is computed "the way machine-readable-zone check digits are" [C], but the 7-3-1
    weights over the 12 digits are inferred [I], so a mismatch is a warning and the ``Unzr`` type accepts
    it.
    """
    findings = _UNZR.check(value)
    if findings or not isinstance(value, str):
        return findings
    return _unzr_inferred_rules(value)


def unzr_birth_date(value: str) -> date | None:
    """The date of birth at the start of a UNZR [C], or None if ``value`` is not a UNZR with a real date."""
    if not _UNZR.matches(value):
        return None
    return _unzr_date(value)


# --- Identity documents -----------------------------------------------------------------------------

PASSPORT_BOOKLET_PATTERN: Final = r"^[А-ЩЬЮЯҐЄІЇ]{2}[0-9]{6}$"
ID_CARD_PATTERN: Final = r"^[0-9]{9}$"
FOREIGN_PASSPORT_PATTERN: Final = r"^[A-Z]{2}[0-9]{6}$"

_PASSPORT_BOOKLET: Final = IdentifierSpec(
    kind="passport_booklet",
    format_message=(
        "a passport booklet number must be 2 upper-case Ukrainian Cyrillic letters and 6 digits, no spaces"
    ),
    pattern=PASSPORT_BOOKLET_PATTERN,
)
_ID_CARD: Final = IdentifierSpec(
    kind="id_card_number",
    format_message="an ID-card document number must be exactly 9 digits (0-9)",
    pattern=ID_CARD_PATTERN,
)
_FOREIGN_PASSPORT: Final = IdentifierSpec(
    kind="foreign_passport",
    format_message="a passport for travel abroad must be 2 upper-case Latin letters and 6 digits, no spaces",
    pattern=FOREIGN_PASSPORT_PATTERN,
)


def check_passport_booklet(value: object) -> tuple[Finding, ...]:
    """Check an old-style passport booklet number (pattern only; no checksum exists)."""
    return _PASSPORT_BOOKLET.check(value)


def check_id_card_number(value: object) -> tuple[Finding, ...]:
    """Check an ID-card document number (pattern only; no checksum is documented)."""
    return _ID_CARD.check(value)


def check_foreign_passport(value: object) -> tuple[Finding, ...]:
    """Check a passport-for-travel-abroad number (pattern only; the format itself is inferred [I])."""
    return _FOREIGN_PASSPORT.check(value)


# Hyphen-like characters people type or paste between series and number.
_DOCUMENT_SEPARATORS: Final = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")


def normalise_document_number(value: str) -> str:
    """Remove whitespace and hyphens and upper-case the letters, e.g. ``"кв 123-456"`` -> ``"КВ123456"``.

    This is the caller's explicit clean-up step before validation; the types never do it. It does not
    transliterate Latin look-alikes (``"KB"`` stays Latin), because guessing the script of a letter would
    silently change which document the number names.
    """
    return _DOCUMENT_SEPARATORS.sub("", value).upper()


# --- Phone numbers ----------------------------------------------------------------------------------

PHONE_E164_PATTERN: Final = r"^\+[1-9][0-9]{6,14}$"


def _phone_rules(value: str) -> tuple[Finding, ...]:
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return (_error("identifier.phone_invalid", "the phone number cannot be read as a telephone number"),)
    if not phonenumbers.is_valid_number(parsed):
        return (_error("identifier.phone_invalid", "the phone number is not a valid number for its country"),)
    # libphonenumber drops a national trunk prefix after the country code (+380 0…), so such a string is
    # "valid" but not the E.164 form; two spellings of one number would defeat matching and redaction.
    if phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value:
        return (
            _error(
                "identifier.phone_not_canonical",
                "the phone number is not in canonical E.164 form (for example, a trunk prefix 0 was kept)",
            ),
        )
    return ()


_PHONE: Final = IdentifierSpec(
    kind="phone",
    format_message="a phone number must be in E.164 form: '+' and 7 to 15 digits, no spaces or punctuation",
    pattern=PHONE_E164_PATTERN,
    rules=_phone_rules,
)


def check_phone(value: object) -> tuple[Finding, ...]:
    """Check an E.164 phone number: the pattern, libphonenumber validity and canonical form."""
    return _PHONE.check(value)


def normalise_phone(text: str, default_region: str = "UA") -> str | None:
    """Read a phone number as people write it and return it in E.164, or None if it is not one.

    ``"050 123 45 67"`` and ``"+38 (050) 123-45-67"`` both give ``"+380501234567"``. The number needs only
    a possible length for its country, not full validity, because this is used to *find* a known number
    in text for redaction, where missing a match is worse than an extra one.
    """
    import phonenumbers

    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# --- ERDR -------------------------------------------------------------------------------------------

ERDR_PATTERN: Final = r"^[1-9]20(?:1[2-9]|[2-9][0-9])[0-9]{12}$"

_ERDR: Final = IdentifierSpec(
    kind="erdr_number",
    format_message=(
        "an ERDR number must be 17 digits: a non-zero first digit, a year from 2012, then 12 digits"
    ),
    pattern=ERDR_PATTERN,
)


@dataclass(frozen=True, slots=True)
class ErdrParts:
    """The parts of an ERDR number, as the structure ``B YYYY UUUUU NNNNNNN`` is *inferred* [I].

    Two real numbers fit this reading, but no official text describes it: do not build rules on ``body``
    or ``unit``. Only ``year`` (the year of entry) is used, and only to compare with registration dates.
    """

    body: int
    year: int
    unit: str
    sequence: str

    @property
    def number(self) -> str:
        """The 17-digit ERDR number these parts come from."""
        return f"{self.body}{self.year:04d}{self.unit}{self.sequence}"


def check_erdr_number(value: object) -> tuple[Finding, ...]:
    """Check an ERDR number (pattern only: 17 digits with a year of entry of 2012 or later)."""
    return _ERDR.check(value)


def parse_erdr(value: str) -> ErdrParts:
    """Split an ERDR number into its inferred parts; ValueError if it does not match the pattern."""
    if not _ERDR.matches(value):
        raise ValueError(_ERDR.format_message)
    return ErdrParts(body=int(value[0]), year=int(value[1:5]), unit=value[5:10], sequence=value[10:17])


def erdr_year(value: str) -> int:
    """The year of entry in an ERDR number (digits 2-5) [I]; ValueError if it does not match the pattern."""
    return parse_erdr(value).year
