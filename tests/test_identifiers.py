"""Tests for crsvdata.identifiers and the strategies in crsvdata.testing.identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import jsonschema
import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model
from stdnum.ua import rntrc

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.findings import Finding, Severity
from crsvdata.identifiers import (
    ERDR_PATTERN,
    FOREIGN_PASSPORT_PATTERN,
    ID_CARD_PATTERN,
    PASSPORT_BOOKLET_PATTERN,
    PHONE_E164_PATTERN,
    RNOKPP_PATTERN,
    UNZR_PATTERN,
    ErdrNumber,
    ErdrParts,
    ForeignPassportNumber,
    IdCardNumber,
    PassportBookletNumber,
    PhoneNumberE164,
    Rnokpp,
    Unzr,
    check_erdr_number,
    check_foreign_passport,
    check_id_card_number,
    check_passport_booklet,
    check_phone,
    check_rnokpp,
    check_unzr,
    erdr_year,
    normalise_document_number,
    normalise_phone,
    parse_erdr,
    rnokpp_birth_date,
    unzr_birth_date,
    unzr_check_digit,
)
from crsvdata.testing import identifiers as strategies
from crsvdata.validation.catalogue import ISSUE_CODES

MODEL_CONFIG = ConfigDict(strict=True, extra="forbid", hide_input_in_errors=True)


class RnokppModel(BaseModel):
    model_config = MODEL_CONFIG
    value: Rnokpp


class UnzrModel(BaseModel):
    model_config = MODEL_CONFIG
    value: Unzr


class BookletModel(BaseModel):
    model_config = MODEL_CONFIG
    value: PassportBookletNumber


class IdCardModel(BaseModel):
    model_config = MODEL_CONFIG
    value: IdCardNumber


class ForeignPassportModel(BaseModel):
    model_config = MODEL_CONFIG
    value: ForeignPassportNumber


class PhoneModel(BaseModel):
    model_config = MODEL_CONFIG
    value: PhoneNumberE164


class ErdrModel(BaseModel):
    model_config = MODEL_CONFIG
    value: ErdrNumber


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[BaseModel]
    annotation: Any
    pattern: str
    check: Callable[[object], tuple[Finding, ...]]
    valid: st.SearchStrategy[str]


KINDS = [
    Kind("rnokpp", RnokppModel, Rnokpp, RNOKPP_PATTERN, check_rnokpp, strategies.rnokpps()),
    Kind("unzr", UnzrModel, Unzr, UNZR_PATTERN, check_unzr, strategies.unzrs()),
    Kind(
        "passport_booklet",
        BookletModel,
        PassportBookletNumber,
        PASSPORT_BOOKLET_PATTERN,
        check_passport_booklet,
        strategies.passport_booklet_numbers(),
    ),
    Kind(
        "id_card_number",
        IdCardModel,
        IdCardNumber,
        ID_CARD_PATTERN,
        check_id_card_number,
        strategies.id_card_numbers(),
    ),
    Kind(
        "foreign_passport",
        ForeignPassportModel,
        ForeignPassportNumber,
        FOREIGN_PASSPORT_PATTERN,
        check_foreign_passport,
        strategies.foreign_passport_numbers(),
    ),
    Kind(
        "phone", PhoneModel, PhoneNumberE164, PHONE_E164_PATTERN, check_phone, strategies.phone_numbers_ua()
    ),
    Kind("erdr_number", ErdrModel, ErdrNumber, ERDR_PATTERN, check_erdr_number, strategies.erdr_numbers()),
]
KIND_IDS = [kind.name for kind in KINDS]

# Values that have the right format but break a rule, with the error type the rules raise.
RULE_BREAKERS = [
    (
        "rnokpp_checksum",
        RnokppModel,
        check_rnokpp,
        strategies.invalid_rnokpps(),
        "identifier.rnokpp_checksum",
    ),
    ("unzr_date", UnzrModel, check_unzr, strategies.unzrs_with_invalid_date(), "identifier.unzr_date"),
    ("phone_invalid", PhoneModel, check_phone, strategies.invalid_phone_numbers(), None),
]
RULE_BREAKER_IDS = [case[0] for case in RULE_BREAKERS]


def codes(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.code for finding in findings]


def assert_no_leak(value: str, exc: ValidationError) -> None:
    assert value not in str(exc)
    for error in exc.errors():
        assert value not in error["msg"]
        assert value not in error["type"]


# --- Properties shared by every identifier ----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_valid_values_pass_every_layer(kind: Kind, data: st.DataObject) -> None:
    value = data.draw(kind.valid)
    assert re.fullmatch(kind.pattern, value)
    assert kind.check(value) == ()
    assert kind.model.model_validate({"value": value}).model_dump() == {"value": value}
    assert kind.model.model_validate({"value": value}, context=STRUCTURE_ONLY).model_dump() == {
        "value": value
    }


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_schema_pattern_is_the_exported_pattern_and_examples_are_valid(kind: Kind) -> None:
    schema = TypeAdapter(kind.annotation).json_schema()
    assert schema["type"] == "string"
    assert schema["pattern"] == kind.pattern
    assert schema["description"]
    assert schema["examples"]
    for example in schema["examples"]:
        assert kind.check(example) == ()
        kind.model.model_validate({"value": example})


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_patterns_avoid_constructs_that_differ_between_regex_engines(kind: Kind) -> None:
    assert kind.pattern.startswith("^")
    assert kind.pattern.endswith("$")
    for construct in (r"\d", r"\w", r"\s", r"\Z", r"\A", "(?=", "(?!", "(?<", "(?P"):
        assert construct not in kind.pattern


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_structure_layer_agrees_with_the_json_schema(kind: Kind, data: st.DataObject) -> None:
    # Python's jsonschema uses re.search, where "$" also matches before a final newline (ECMA-262 and
    # pydantic's Rust regex do not): that case is pinned separately below.
    value = data.draw(
        st.one_of(
            kind.valid,
            st.from_regex(kind.pattern, fullmatch=True),
            st.text(alphabet="0123456789+-UAКВ ", max_size=20),
            st.text(max_size=20),
        )
    )
    assume(not value.endswith("\n"))
    schema_ok = jsonschema.Draft202012Validator(TypeAdapter(kind.annotation).json_schema()).is_valid(value)
    try:
        kind.model.model_validate({"value": value}, context=STRUCTURE_ONLY)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok
    assert model_ok == ("identifier." + kind.name + "_format" not in codes(kind.check(value)))


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_trailing_newline_and_non_ascii_digits_are_rejected(kind: Kind, data: st.DataObject) -> None:
    value = data.draw(kind.valid)
    arabic_indic = value.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for bad in (value + "\n", arabic_indic, " " + value):
        assert codes(kind.check(bad)) == [f"identifier.{kind.name}_format"]
        with pytest.raises(ValidationError) as info:
            kind.model.model_validate({"value": bad}, context=STRUCTURE_ONLY)
        assert info.value.errors()[0]["type"] == "string_pattern_mismatch"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_structure_holds_under_the_python_regex_engine(kind: Kind, data: st.DataObject) -> None:
    # With regex_engine="python-re" the Field pattern lets a final newline through ("$" matches before
    # it); the type's own validator must still reject it, with rules on or off.
    model = create_model(
        "PythonReModel",
        __config__=ConfigDict(**MODEL_CONFIG, regex_engine="python-re"),
        value=(kind.annotation, ...),
    )
    value = data.draw(kind.valid)
    assert model.model_validate({"value": value}).model_dump() == {"value": value}
    for context in (None, STRUCTURE_ONLY):
        with pytest.raises(ValidationError) as info:
            model.model_validate({"value": value + "\n"}, context=context)
        assert [error["type"] for error in info.value.errors()] == [f"identifier.{kind.name}_format"]
        assert_no_leak(value, info.value)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@pytest.mark.parametrize("bad", [None, 1234567890, b"1234567890", ["1234567890"]])
def test_check_functions_accept_any_value_and_report_non_strings(kind: Kind, bad: object) -> None:
    assert codes(kind.check(bad)) == [f"identifier.{kind.name}_format"]
    with pytest.raises(ValidationError):
        kind.model.model_validate({"value": bad})


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_findings_are_errors_with_empty_pointer(kind: Kind, data: st.DataObject) -> None:
    value = data.draw(st.text(max_size=25))
    for finding in kind.check(value):
        assert finding.pointer == ""
        assert finding.code.startswith("identifier.")
        # A format finding (the schema's pattern) is an error; a rule finding has its catalogued severity.
        expected = ISSUE_CODES[finding.code].severity if finding.code in ISSUE_CODES else Severity.ERROR
        assert finding.severity is expected, finding.code


# --- Rules: on by default, off with STRUCTURE_ONLY, never leaking the value ------------------------


@pytest.mark.parametrize(
    ("name", "model", "check", "strategy", "error_type"), RULE_BREAKERS, ids=RULE_BREAKER_IDS
)
@given(data=st.data())
def test_rule_errors_are_raised_only_when_rules_are_on(
    name: str,
    model: type[BaseModel],
    check: Callable[[object], tuple[Finding, ...]],
    strategy: st.SearchStrategy[str],
    error_type: str | None,
    data: st.DataObject,
) -> None:
    value = data.draw(strategy)
    findings = check(value)
    assert findings
    assert all(finding.severity is Severity.ERROR for finding in findings)
    expected_type = error_type or findings[0].code
    assert model.model_validate({"value": value}, context=STRUCTURE_ONLY).model_dump() == {"value": value}
    assert model.model_validate({"value": value}, context={"crsvdata_rules": False}).model_dump() == {
        "value": value
    }
    for context in (None, {}, {"crsvdata_rules": True}):
        with pytest.raises(ValidationError) as info:
            model.model_validate({"value": value}, context=context)
        errors = info.value.errors()
        assert [error["type"] for error in errors] == [expected_type]
        assert errors[0]["loc"] == ("value",)


@pytest.mark.parametrize(
    ("name", "model", "check", "strategy", "error_type"), RULE_BREAKERS, ids=RULE_BREAKER_IDS
)
@given(data=st.data())
def test_no_message_contains_the_value(
    name: str,
    model: type[BaseModel],
    check: Callable[[object], tuple[Finding, ...]],
    strategy: st.SearchStrategy[str],
    error_type: str | None,
    data: st.DataObject,
) -> None:
    value = data.draw(strategy)
    for finding in check(value):
        assert value not in finding.message
    with pytest.raises(ValidationError) as info:
        model.model_validate({"value": value})
    assert_no_leak(value, info.value)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@given(data=st.data())
def test_no_format_message_contains_the_value(kind: Kind, data: st.DataObject) -> None:
    # A valid value with one character too many or too few: close to the format, but off it.
    value = data.draw(kind.valid)
    for bad in (value + "7", value[:-1]):
        for finding in kind.check(bad):
            assert bad not in finding.message
        with pytest.raises(ValidationError) as info:
            kind.model.model_validate({"value": bad})
        assert_no_leak(bad, info.value)


# --- RNOKPP -----------------------------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_check_rnokpp_agrees_with_stdnum_on_any_ten_digits(value: str) -> None:
    assert (check_rnokpp(value) == ()) == rntrc.is_valid(value)
    if not rntrc.is_valid(value):
        assert codes(check_rnokpp(value)) == ["identifier.rnokpp_checksum"]


@given(strategies.invalid_rnokpps())
def test_invalid_rnokpps_fail_only_the_checksum(value: str) -> None:
    assert re.fullmatch(RNOKPP_PATTERN, value)
    assert not rntrc.is_valid(value)
    assert codes(check_rnokpp(value)) == ["identifier.rnokpp_checksum"]


def test_rnokpp_is_not_normalised_as_stdnum_does() -> None:
    assert rntrc.is_valid(" 1234567899 ")  # stdnum compacts spaces
    assert codes(check_rnokpp(" 1234567899 ")) == ["identifier.rnokpp_format"]
    assert codes(check_rnokpp("12345 67899")) == ["identifier.rnokpp_format"]


WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)


def _remainder(value: str) -> int:
    return sum(weight * int(digit) for weight, digit in zip(WEIGHTS, value, strict=False)) % 11


@given(strategies.rnokpps(), st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_of_an_rnokpp(value: str, position: int, shift: int) -> None:
    mutated = value[:position] + str((int(value[position]) + shift) % 10) + value[position + 1 :]
    detected = check_rnokpp(mutated) != ()
    if position == 9:
        assert detected  # a different check digit is always caught
    else:
        # Every weight is non-zero mod 11, so the remainder always changes; but "mod 11 then mod 10"
        # maps remainders 0 and 10 to the same check digit, so exactly that swap goes unnoticed.
        assert _remainder(mutated) != _remainder(value)
        assert detected == ({_remainder(value), _remainder(mutated)} != {0, 10})


def test_some_single_digit_changes_of_an_rnokpp_go_undetected() -> None:
    # Documented weakness of the official check digit: check_rnokpp must not claim more than it can.
    base = "000000000"
    valid = base + rntrc.calc_check_digit(base)
    undetected = [
        mutated
        for position in range(9)
        for digit in "0123456789"
        if (mutated := valid[:position] + digit + valid[position + 1 :]) != valid
        and check_rnokpp(mutated) == ()
    ]
    assert undetected
    assert all(rntrc.is_valid(value) for value in undetected)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.text("0123456789", min_size=4, max_size=4),
)
def test_rnokpp_birth_date_reads_days_since_1899_12_31(born: date, serial: str) -> None:
    days = (born - date(1899, 12, 31)).days
    body = f"{days:05d}{serial}"
    assert rnokpp_birth_date(body + rntrc.calc_check_digit(body)) == born


def test_rnokpp_birth_date_examples() -> None:
    # 39095 days after 1899-12-31 is 2007-01-14 (the layout check in domain-standards.md 4.4).
    assert rnokpp_birth_date("3909500007") == date(2007, 1, 14)
    assert rnokpp_birth_date("0000100000") == date(1900, 1, 1)
    assert rnokpp_birth_date("123456789") is None
    assert rnokpp_birth_date("12345678901") is None
    assert rnokpp_birth_date("١٢٣٤٥٦٧٨٩٠") is None


# --- UNZR -------------------------------------------------------------------------------------------


def test_unzr_check_digit_uses_7_3_1_weights() -> None:
    # 2*7+0*3+0*1+7*7+0*3+1*1+1*7+4*3+0*1+7*7+1*3+5*1 = 140
    assert unzr_check_digit("200701140715") == "0"
    assert unzr_check_digit("199004170042") == "9"
    with pytest.raises(ValueError, match="12 ASCII digits"):
        unzr_check_digit("1990041700")
    with pytest.raises(ValueError, match="12 ASCII digits"):
        unzr_check_digit("١٩٩٠٠٤١٧٠٠٤٢")


@given(strategies.unzrs())
def test_unzr_birth_date_is_the_date_part(value: str) -> None:
    born = unzr_birth_date(value)
    assert born is not None
    assert born.strftime("%Y%m%d") == value[:8]


@given(strategies.unzrs_with_invalid_date())
def test_unzr_with_impossible_date_is_an_error_and_has_no_birth_date(value: str) -> None:
    assert re.fullmatch(UNZR_PATTERN, value)
    assert codes(check_unzr(value)) == ["identifier.unzr_date"]
    assert unzr_birth_date(value) is None


@given(strategies.unzrs_with_wrong_check_digit())
def test_unzr_check_digit_mismatch_is_only_a_warning(value: str) -> None:
    findings = check_unzr(value)
    assert codes(findings) == ["identifier.unzr_check_digit"]
    assert findings[0].severity is Severity.WARNING
    assert value not in findings[0].message
    # The 7-3-1 weights are inferred [I], so the type accepts the value even with rules on.
    assert UnzrModel.model_validate({"value": value}).model_dump() == {"value": value}


@given(strategies.unzrs(), st.integers(0, 11), st.integers(1, 9))
def test_changing_one_digit_of_a_unzr_is_always_noticed(value: str, position: int, shift: int) -> None:
    index = position if position < 8 else position + 1  # skip the hyphen
    mutated = value[:index] + str((int(value[index]) + shift) % 10) + value[index + 1 :]
    # 7, 3 and 1 are all coprime with 10, so the expected check digit always moves.
    assert check_unzr(mutated) != ()


@pytest.mark.parametrize(
    "value",
    [
        "19901317-00429",  # month 13
        "19900017-00429",  # month 00
        "19900432-00429",  # day 32
        "19900400-00429",  # day 00
        "19900417-00009",  # serial 0000
        "1990041700429",  # no hyphen
        "19900417-0042",  # too short
    ],
)
def test_unzr_pattern_rejects(value: str) -> None:
    assert codes(check_unzr(value)) == ["identifier.unzr_format"]
    with pytest.raises(ValidationError):
        UnzrModel.model_validate({"value": value}, context=STRUCTURE_ONLY)


def test_unzr_feb_29_follows_the_calendar() -> None:
    leap = "20000229-0001" + unzr_check_digit("200002290001")
    common = "19000229-0001" + unzr_check_digit("190002290001")
    assert check_unzr(leap) == ()
    assert codes(check_unzr(common)) == ["identifier.unzr_date"]


# --- Identity documents -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("кв 123456", "КВ123456"),
        ("КВ-123-456", "КВ123456"),
        ("ґє\u00a0123\u2013456", "ҐЄ123456"),
        ("fa 123456", "FA123456"),
        (" 000 123 456 ", "000123456"),
    ],
)
def test_normalise_document_number(raw: str, normalised: str) -> None:
    assert normalise_document_number(raw) == normalised
    assert normalise_document_number(normalised) == normalised


def test_validators_never_normalise_document_numbers() -> None:
    for raw in ("кв123456", "КВ 123456", "КВ-123456"):
        assert codes(check_passport_booklet(raw)) == ["identifier.passport_booklet_format"]
        with pytest.raises(ValidationError):
            BookletModel.model_validate({"value": raw})
    assert check_passport_booklet(normalise_document_number("кв 123456")) == ()


@pytest.mark.parametrize("letters", ["ЁА", "ЪА", "ЫА", "ЭА", "IА", "KB", "ЇЇ"])
def test_passport_booklet_letter_set(letters: str) -> None:
    value = letters + "123456"
    # Ї is a Ukrainian letter; Ё, Ъ, Ы, Э are not, and Latin I / K / B are look-alikes.
    expected: list[str] = [] if letters == "ЇЇ" else ["identifier.passport_booklet_format"]
    assert codes(check_passport_booklet(value)) == expected


@given(strategies.passport_booklet_numbers())
def test_booklet_letters_cover_the_whole_class(value: str) -> None:
    assert all(letter in "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ" for letter in value[:2])


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (check_id_card_number, "12345678"),
        (check_id_card_number, "1234567890"),
        (check_foreign_passport, "fa123456"),
        (check_foreign_passport, "КВ123456"),
        (check_foreign_passport, "FA1234567"),
    ],
)
def test_document_patterns_reject(check: Callable[[object], tuple[Finding, ...]], value: str) -> None:
    findings = check(value)
    assert len(findings) == 1
    assert findings[0].code.endswith("_format")


# --- Phone numbers ----------------------------------------------------------------------------------


def _libphonenumber_valid(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


@given(
    st.one_of(
        strategies.phone_numbers_ua(),
        st.from_regex(PHONE_E164_PATTERN, fullmatch=True, alphabet="+0123456789"),
        st.from_regex(r"^\+380[0-9]{8,10}$", fullmatch=True),
        strategies.invalid_phone_numbers(),
    )
)
def test_check_phone_agrees_with_libphonenumber(value: str) -> None:
    found = codes(check_phone(value))
    assert ("identifier.phone_invalid" in found) == (not _libphonenumber_valid(value))
    if _libphonenumber_valid(value):
        canonical = phonenumbers.format_number(
            phonenumbers.parse(value, None), phonenumbers.PhoneNumberFormat.E164
        )
        assert ("identifier.phone_not_canonical" in found) == (canonical != value)


@given(strategies.phone_numbers_ua())
def test_ua_mobiles_are_mobiles(value: str) -> None:
    parsed = phonenumbers.parse(value, None)
    assert phonenumbers.region_code_for_number(parsed) == "UA"
    assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
    assert re.fullmatch(r"^\+380[0-9]{9}$", value)


@given(strategies.phone_numbers_ua())
def test_a_kept_trunk_prefix_is_not_canonical(value: str) -> None:
    with_trunk_zero = "+3800" + value[4:]
    assert _libphonenumber_valid(with_trunk_zero)  # libphonenumber drops the 0 and accepts it
    assert codes(check_phone(with_trunk_zero)) == ["identifier.phone_not_canonical"]
    with pytest.raises(ValidationError) as info:
        PhoneModel.model_validate({"value": with_trunk_zero})
    assert info.value.errors()[0]["type"] == "identifier.phone_not_canonical"
    assert_no_leak(with_trunk_zero, info.value)


@given(strategies.phone_numbers_ua())
def test_normalise_phone_reads_national_and_spaced_forms(value: str) -> None:
    national = "0" + value[4:]
    spaced = f"+38 ({national[:3]}) {national[3:6]}-{national[6:8]}-{national[8:]}"
    assert normalise_phone(value) == value
    assert normalise_phone(national) == value
    assert normalise_phone(spaced) == value
    assert normalise_phone(national, default_region="PL") != value


def test_normalise_phone_examples() -> None:
    assert normalise_phone("050 123 45 67") == "+380501234567"
    assert normalise_phone("+48 601 234 567") == "+48601234567"
    assert normalise_phone("not a phone") is None
    assert normalise_phone("12") is None
    assert normalise_phone("") is None


@pytest.mark.parametrize("region", ["PL", "DE", "GB", "US", "MD", "IL"])
def test_phones_abroad_are_accepted(region: str) -> None:
    # Survivors may be abroad: the type is E.164 for any country, not only +380.
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    value = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert check_phone(value) == ()
    assert PhoneModel.model_validate({"value": value}).model_dump() == {"value": value}


# --- ERDR -------------------------------------------------------------------------------------------


@given(strategies.erdr_numbers())
def test_parse_erdr_round_trips(value: str) -> None:
    parts = parse_erdr(value)
    assert parts.number == value
    assert parts == ErdrParts(body=int(value[0]), year=int(value[1:5]), unit=value[5:10], sequence=value[10:])
    assert erdr_year(value) == parts.year
    assert 2012 <= parts.year <= 2099
    assert len(parts.unit) == 5
    assert len(parts.sequence) == 7


@given(data=st.data(), first=st.integers(2012, 2099), second=st.integers(2012, 2099))
def test_erdr_numbers_respect_year_bounds(data: st.DataObject, first: int, second: int) -> None:
    low, high = sorted((first, second))
    value = data.draw(strategies.erdr_numbers(low, high))
    assert low <= erdr_year(value) <= high


@pytest.mark.parametrize(
    "value",
    [
        "12011000000000001",  # before the register started (2012)
        "02023000000000001",  # body digit 0
        "11923000000000001",  # year 1923
        "1202300000000001",  # 16 digits
        "120230000000000012",  # 18 digits
    ],
)
def test_erdr_pattern_rejects(value: str) -> None:
    assert codes(check_erdr_number(value)) == ["identifier.erdr_number_format"]
    with pytest.raises(ValueError, match="ERDR") as info:
        parse_erdr(value)
    assert value not in str(info.value)
    with pytest.raises(ValueError, match="ERDR"):
        erdr_year(value)


def test_erdr_year_examples() -> None:
    assert erdr_year("12012000000000001") == 2012
    assert erdr_year("42024000000000005") == 2024
    with pytest.raises(ValueError, match="ERDR"):
        strategies.erdr_numbers(2011, 2020)
