"""Tests for crsvdata.geography and the KATOTTH strategies."""

from __future__ import annotations

import re
from typing import Any, get_args

import jsonschema
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.geography import (
    KATOTTH_PATTERN,
    UA_SUBDIVISION_PATTERN,
    KatotthCode,
    KatotthLevel,
    KatotthParts,
    PcodeLevel,
    UaSubdivisionCode,
    check_katotth,
    check_ua_subdivision,
    iso_subdivision_for_katotth,
    katotth_level1_for_iso,
    katotth_pcode,
    parse_katotth,
    subdivisions,
)
from crsvdata.testing.identifiers import invalid_katotth_codes, katotth_codes, ua_subdivision_codes

MODEL_CONFIG = ConfigDict(strict=True, extra="forbid", hide_input_in_errors=True)


class KatotthModel(BaseModel):
    model_config = MODEL_CONFIG
    value: KatotthCode


class SubdivisionModel(BaseModel):
    model_config = MODEL_CONFIG
    value: UaSubdivisionCode


# domain-standards.md section 4.3, copied by hand so that the packaged CSV is checked against it.
REFERENCE_TABLE = {
    "UA01000000000013043": "UA-43",
    "UA05000000000010236": "UA-05",
    "UA07000000000024379": "UA-07",
    "UA12000000000090473": "UA-12",
    "UA14000000000091971": "UA-14",
    "UA18000000000041385": "UA-18",
    "UA21000000000011690": "UA-21",
    "UA23000000000064947": "UA-23",
    "UA26000000000069363": "UA-26",
    "UA32000000000030281": "UA-32",
    "UA35000000000016081": "UA-35",
    "UA44000000000018893": "UA-09",
    "UA46000000000026241": "UA-46",
    "UA48000000000039575": "UA-48",
    "UA51000000000030770": "UA-51",
    "UA53000000000028050": "UA-53",
    "UA56000000000066151": "UA-56",
    "UA59000000000057109": "UA-59",
    "UA61000000000060328": "UA-61",
    "UA63000000000041885": "UA-63",
    "UA65000000000030969": "UA-65",
    "UA68000000000099709": "UA-68",
    "UA71000000000010357": "UA-71",
    "UA73000000000044923": "UA-77",
    "UA74000000000025378": "UA-74",
    "UA80000000000093317": "UA-30",
    "UA85000000000065278": "UA-40",
}

# The five real codes of domain-standards.md section 4.3 and the level each must get.
REFERENCE_EXAMPLES: list[tuple[str, KatotthLevel]] = [
    ("UA80000000000093317", 1),  # Kyiv
    ("UA80000000000126643", "additional"),  # Holosiivskyi district of Kyiv
    ("UA46140000000036328", 2),  # Yavoriv raion
    ("UA71020010000037786", 3),  # Buzhanska hromada
    ("UA73040190010054219", 4),  # Khotyn city
]

LEVELS: tuple[KatotthLevel, ...] = get_args(KatotthLevel)
PCODE_LEVELS: tuple[PcodeLevel, ...] = get_args(PcodeLevel)


def codes_of(value: object) -> list[str]:
    return [finding.code for finding in check_katotth(value)]


# --- The level-1 table and the ISO 3166-2 cross-walk ------------------------------------------------


def test_table_has_the_27_rows_of_the_reference() -> None:
    table = subdivisions()
    assert len(table) == 27
    assert {row.katotth: row.iso_3166_2 for row in table} == REFERENCE_TABLE


def test_crosswalk_is_a_bijection() -> None:
    katotth = [row.katotth for row in subdivisions()]
    iso = [row.iso_3166_2 for row in subdivisions()]
    assert len(set(katotth)) == len(set(iso)) == 27
    assert len({row.oblast_digits for row in subdivisions()}) == 27
    for level1, iso_code in REFERENCE_TABLE.items():
        assert iso_subdivision_for_katotth(level1) == iso_code
        assert katotth_level1_for_iso(iso_code) == level1


@pytest.mark.parametrize(
    ("iso_code", "level1", "name_uk"),
    [
        ("UA-09", "UA44000000000018893", "Луганська область"),
        ("UA-77", "UA73000000000044923", "Чернівецька область"),
        ("UA-30", "UA80000000000093317", "Київ"),
        ("UA-40", "UA85000000000065278", "Севастополь"),
        ("UA-43", "UA01000000000013043", "Автономна Республіка Крим"),
        ("UA-14", "UA14000000000091971", "Донецька область"),
        ("UA-32", "UA32000000000030281", "Київська область"),
    ],
)
def test_crosswalk_exceptions_where_iso_and_katotth_digits_differ(
    iso_code: str, level1: str, name_uk: str
) -> None:
    assert katotth_level1_for_iso(iso_code) == level1
    assert iso_subdivision_for_katotth(level1) == iso_code
    (row,) = [row for row in subdivisions() if row.iso_3166_2 == iso_code]
    assert row.name_uk == name_uk


def test_iso_codes_and_names_match_pycountry() -> None:
    pycountry = pytest.importorskip("pycountry")
    expected = {sub.code: sub.name for sub in pycountry.subdivisions.get(country_code="UA")}
    assert {row.iso_3166_2: row.name_en for row in subdivisions()} == expected


def test_ukrainian_names_are_ukrainian() -> None:
    ukrainian = re.compile(r"^[А-ЩЬЮЯҐЄІЇа-щьюяґєії’ -]+$")
    for row in subdivisions():
        assert ukrainian.fullmatch(row.name_uk)
        if row.iso_3166_2 not in ("UA-30", "UA-40", "UA-43"):
            assert row.name_uk.endswith(" область")


def test_subdivisions_are_loaded_once() -> None:
    assert subdivisions() is subdivisions()


def test_subdivision_pattern_accepts_exactly_the_27_iso_codes() -> None:
    accepted = {
        f"UA-{number:02d}"
        for number in range(100)
        if re.fullmatch(UA_SUBDIVISION_PATTERN, f"UA-{number:02d}")
    }
    assert accepted == set(REFERENCE_TABLE.values())
    for iso_code in accepted:
        assert check_ua_subdivision(iso_code) == ()
        assert SubdivisionModel.model_validate({"value": iso_code}).model_dump() == {"value": iso_code}


@pytest.mark.parametrize(
    "value", ["UA-80", "UA-01", "UA-44", "UA-73", "UA-85", "ua-30", "UA30", "UA-30\n", "RU-CR"]
)
def test_subdivision_pattern_rejects(value: str) -> None:
    assert [finding.code for finding in check_ua_subdivision(value)] == ["identifier.ua_subdivision_format"]
    with pytest.raises(ValidationError):
        SubdivisionModel.model_validate({"value": value})


@pytest.mark.parametrize("value", ["UA-99", "UA-80", "80", "UA80000000000093317"])
def test_katotth_level1_for_iso_rejects_unknown_codes(value: str) -> None:
    with pytest.raises(ValueError, match="27 ISO") as info:
        katotth_level1_for_iso(value)
    assert value not in str(info.value)


@given(ua_subdivision_codes())
def test_subdivision_strategy(value: str) -> None:
    assert check_ua_subdivision(value) == ()
    assert iso_subdivision_for_katotth(katotth_level1_for_iso(value)) == value


# --- KATOTTH structure and rules --------------------------------------------------------------------


@pytest.mark.parametrize(("code", "level"), REFERENCE_EXAMPLES)
def test_reference_examples_parse_to_their_level_and_pass_the_rules(code: str, level: KatotthLevel) -> None:
    assert parse_katotth(code).level == level
    assert check_katotth(code) == ()
    assert KatotthModel.model_validate({"value": code}).model_dump() == {"value": code}


@pytest.mark.parametrize("code", sorted(REFERENCE_TABLE))
def test_level1_codes_are_level_1_and_valid(code: str) -> None:
    parts = parse_katotth(code)
    assert parts.level == 1
    assert parts.level1_code == code
    assert check_katotth(code) == ()


@pytest.mark.parametrize(
    "code",
    [
        "UA85000000000155841",  # Balaklavskyi district of Sevastopol
        "UA46060250010121390",  # Halytskyi district of Lviv (inside the settlement)
        "UA51100270010320268",  # Prymorskyi district of Odesa
    ],
)
def test_real_city_districts_are_consistent(code: str) -> None:
    assert parse_katotth(code).level == "additional"
    assert check_katotth(code) == ()


def test_parse_katotth_fields() -> None:
    parts = parse_katotth("UA73040190010054219")
    assert parts == KatotthParts(
        oblast="73", raion="04", hromada="019", settlement="001", district="00", uid="54219"
    )
    assert parts.level1_prefix == "UA73"
    assert parts.level1_code == "UA73000000000044923"
    assert parse_katotth("UA99000000000000000").level1_code is None


@pytest.mark.parametrize("level", LEVELS)
@given(data=st.data())
def test_generated_codes_have_their_level_and_pass(level: KatotthLevel, data: st.DataObject) -> None:
    code = data.draw(katotth_codes(level))
    assert re.fullmatch(KATOTTH_PATTERN, code)
    assert parse_katotth(code).level == level
    assert check_katotth(code) == ()
    assert KatotthModel.model_validate({"value": code}).model_dump() == {"value": code}


@given(katotth_codes())
def test_parse_round_trips(code: str) -> None:
    parts = parse_katotth(code)
    fields = (parts.oblast, parts.raion, parts.hromada, parts.settlement, parts.district, parts.uid)
    assert [len(field) for field in fields] == [2, 2, 3, 3, 2, 5]
    assert "UA" + "".join(fields) == code
    assert parts.code == code


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_level_derivation_on_any_digits(digits: str) -> None:
    parts = parse_katotth("UA" + digits)
    mm, ppp, hhh, rr = digits[10:12], digits[7:10], digits[4:7], digits[2:4]
    if mm != "00":
        assert parts.level == "additional"
    elif ppp != "000":
        assert parts.level == 4
    elif hhh != "000":
        assert parts.level == 3
    elif rr != "00":
        assert parts.level == 2
    else:
        assert parts.level == 1


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_structure_rule_is_about_gaps_between_levels(digits: str) -> None:
    parts = parse_katotth("UA" + digits)
    raion, hromada, settlement = parts.raion != "00", parts.hromada != "000", parts.settlement != "000"
    district = parts.district != "00"
    under_special_city = parts.oblast in ("80", "85") and not (raion or hromada or settlement)
    gap = (
        (hromada and not raion)
        or (settlement and not hromada)
        or (district and not settlement and not under_special_city)
    )
    assert ("identifier.katotth_structure" in codes_of(parts.code)) == gap
    known = parts.oblast in {row.oblast_digits for row in subdivisions()}
    assert ("identifier.katotth_oblast" in codes_of(parts.code)) == (not known)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("UA14000120000000000", ["identifier.katotth_structure"]),  # hromada without raion
        ("UA14010000010000000", ["identifier.katotth_structure"]),  # settlement without hromada
        ("UA14000000000100000", ["identifier.katotth_structure"]),  # district right under an oblast
        ("UA14010010000100000", ["identifier.katotth_structure"]),  # district in a hromada, no settlement
        ("UA80010000000100000", ["identifier.katotth_structure"]),  # Kyiv district under a raion
        ("UA99000000000012345", ["identifier.katotth_oblast"]),
        ("UA00000000000000000", ["identifier.katotth_oblast"]),
        ("UA02000120000000000", ["identifier.katotth_oblast", "identifier.katotth_structure"]),
        ("UA8000000000009331", ["identifier.katotth_format"]),
        ("ua80000000000093317", ["identifier.katotth_format"]),
        ("UA 80000000000093317", ["identifier.katotth_format"]),
        ("UA80000000000093317\n", ["identifier.katotth_format"]),
        ("UA٨٠٠٠٠٠٠٠٠٠٠٠٠٩٣٣١٧", ["identifier.katotth_format"]),
    ],
)
def test_check_katotth_examples(code: str, expected: list[str]) -> None:
    assert codes_of(code) == expected


@given(invalid_katotth_codes())
def test_rule_breaking_codes_fail_only_with_rules_on(code: str) -> None:
    found = codes_of(code)
    assert found
    assert set(found) <= {"identifier.katotth_structure", "identifier.katotth_oblast"}
    assert KatotthModel.model_validate({"value": code}, context=STRUCTURE_ONLY).model_dump() == {
        "value": code
    }
    with pytest.raises(ValidationError) as info:
        KatotthModel.model_validate({"value": code})
    errors = info.value.errors()
    assert [error["type"] for error in errors] == found[:1]
    assert code not in str(info.value)
    assert all(code not in error["msg"] for error in errors)
    assert all(code not in finding.message for finding in check_katotth(code))


@given(st.one_of(katotth_codes(), invalid_katotth_codes(), st.text(max_size=22)))
def test_katotth_structure_layer_agrees_with_the_json_schema(value: str) -> None:
    assume(not value.endswith("\n"))  # Python's re.search lets "$" match before it; ECMA-262 does not
    schema_ok = jsonschema.Draft202012Validator(TypeAdapter(KatotthCode).json_schema()).is_valid(value)
    try:
        KatotthModel.model_validate({"value": value}, context=STRUCTURE_ONLY)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok == ("identifier.katotth_format" not in codes_of(value))


@pytest.mark.parametrize(
    ("annotation", "value", "error_type"),
    [
        (KatotthCode, "UA80000000000093317", "identifier.katotth_format"),
        (UaSubdivisionCode, "UA-30", "identifier.ua_subdivision_format"),
    ],
)
def test_structure_holds_under_the_python_regex_engine(annotation: Any, value: str, error_type: str) -> None:
    model = create_model(
        "PythonReModel",
        __config__=ConfigDict(**MODEL_CONFIG, regex_engine="python-re"),
        value=(annotation, ...),
    )
    assert model.model_validate({"value": value}).model_dump() == {"value": value}
    for context in (None, STRUCTURE_ONLY):
        with pytest.raises(ValidationError) as info:
            model.model_validate({"value": value + "\n"}, context=context)
        assert [error["type"] for error in info.value.errors()] == [error_type]


def test_katotth_schema() -> None:
    schema = TypeAdapter(KatotthCode).json_schema()
    assert schema["pattern"] == KATOTTH_PATTERN
    for example in schema["examples"]:
        assert check_katotth(example) == ()
    assert TypeAdapter(UaSubdivisionCode).json_schema()["pattern"] == UA_SUBDIVISION_PATTERN


@pytest.mark.parametrize("value", ["UA8000000000009331", "UA80", "80000000000093317", ""])
def test_parse_katotth_rejects_without_echoing(value: str) -> None:
    with pytest.raises(ValueError, match="KATOTTH") as info:
        parse_katotth(value)
    assert not value or value not in str(info.value)


# --- Cross-walk and generalisation of any code ------------------------------------------------------


@given(katotth_codes())
def test_iso_subdivision_for_katotth_follows_the_oblast_digits(code: str) -> None:
    iso_code = iso_subdivision_for_katotth(code)
    assert katotth_level1_for_iso(iso_code)[:4] == code[:4]


def test_iso_subdivision_for_katotth_rejects_unknown_oblast() -> None:
    with pytest.raises(ValueError, match="27 level-1"):
        iso_subdivision_for_katotth("UA99000000000012345")
    with pytest.raises(ValueError, match="KATOTTH"):
        iso_subdivision_for_katotth("UA-30")


@given(katotth_codes(), st.sampled_from(PCODE_LEVELS), st.sampled_from(PCODE_LEVELS))
def test_generalise_is_a_monotone_prefix(code: str, first: PcodeLevel, second: PcodeLevel) -> None:
    coarse_level, fine_level = sorted((first, second))
    coarse, fine = katotth_pcode(code, coarse_level), katotth_pcode(code, fine_level)
    assert code.startswith(fine)
    assert fine.startswith(coarse)
    assert len(coarse) <= len(fine)
    assert check_katotth(coarse) != ()  # a p-code prefix is not a KATOTTH code


@given(katotth_codes())
def test_generalise_lengths_match_ocha_pcodes(code: str) -> None:
    assert [len(katotth_pcode(code, level)) for level in PCODE_LEVELS] == [4, 6, 9, 12]
    assert katotth_pcode(code, 1) == parse_katotth(code).level1_prefix


def test_generalise_examples() -> None:
    code = "UA73040190010054219"
    assert katotth_pcode(code, 1) == "UA73"
    assert katotth_pcode(code, 2) == "UA7304"
    assert katotth_pcode(code, 3) == "UA7304019"
    assert katotth_pcode(code, 4) == "UA7304019001"
    # The district digits never reach a p-code: ADM4 stops at the settlement.
    assert katotth_pcode("UA80000000000126643", 4) == "UA8000000000"
    assert katotth_pcode("UA46060250010121390", 4) == "UA4606025001"


def test_generalise_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="level"):
        katotth_pcode("UA73040190010054219", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="KATOTTH"):
        katotth_pcode("UA7304", 1)
