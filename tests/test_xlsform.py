"""The generated XLSForms: they compile with pyxform (and ODK Validate when Java is here) with no warning,
every rule the form enforces is present with both messages, and its regexes agree with the models."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyxform.validators import odk_validate
from pyxform.xls2xform import convert

from crsvdata.codes import load
from crsvdata.identifiers import check_erdr_number
from crsvdata.interop.xlsform import CASE_FORM_LISTS, case_form, identity_form, write_xlsform
from crsvdata.interop.xlsform.form import (
    CONSTRAINT_EN,
    CONSTRAINT_UK,
    EN,
    REQUIRED_EN,
    REQUIRED_UK,
    UK,
    FormSheets,
)
from crsvdata.testing import erdr_numbers

HAS_ODK_VALIDATE = shutil.which("java") is not None and odk_validate.install_exists()
CYRILLIC = re.compile("[а-яіїєґА-ЯІЇЄҐ]")


def _row(sheets: FormSheets, name: str) -> dict[str, str]:
    return next(row for row in sheets.survey if row.get("name") == name)


def _compile(sheets: FormSheets, tmp_path: Path, validate: bool = False) -> list[str]:
    path = tmp_path / "form.xlsx"
    write_xlsform(sheets, path)
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings, validate=validate)
    assert result.xform
    return warnings


@pytest.mark.parametrize("build", [case_form, identity_form])
def test_pyxform_compiles_without_warning(build, tmp_path: Path) -> None:
    assert _compile(build(), tmp_path) == []


@pytest.mark.skipif(not HAS_ODK_VALIDATE, reason="ODK Validate needs Java and pyxform's installed jar")
@pytest.mark.parametrize("build", [case_form, identity_form])
def test_odk_validate_accepts_the_form(build, tmp_path: Path) -> None:
    # ODK Validate parses the XForm with JavaRosa, the engine of ODK Collect (cycles, bad XPath, types).
    assert _compile(build(), tmp_path, validate=True) == []


@pytest.mark.skipif(not HAS_ODK_VALIDATE, reason="ODK Validate needs Java and pyxform's installed jar")
def test_odk_validate_refuses_a_cycle(tmp_path: Path) -> None:
    # A check that the validator really runs: the youngest age is computed from the age in years.
    sheets = case_form()
    _row(sheets, "age_years")["relevant"] = "${youngest_age} != ''"
    with pytest.raises(odk_validate.ODKValidateError):
        _compile(sheets, tmp_path, validate=True)


def test_every_current_code_is_a_choice_with_both_labels() -> None:
    choices = {(row["list_name"], row["name"]): row for row in case_form().choices}
    for name in CASE_FORM_LISTS:
        for code in load(name):
            if code.is_deprecated:
                continue
            row = choices[(name, code.code)]
            assert row[EN]
            assert row[UK]


def test_identity_questions_are_only_in_the_identity_form() -> None:
    identity = {"family_name", "given_name", "patronymic", "date_of_birth", "phone"}
    assert not {row.get("name") for row in case_form().survey} & identity
    assert identity <= {row.get("name") for row in identity_form().survey}


@pytest.mark.parametrize("build", [case_form, identity_form])
def test_every_constraint_and_required_rule_has_a_message_in_both_languages(build) -> None:
    for row in build().survey:
        if row.get("constraint"):
            assert row.get(CONSTRAINT_EN), row["name"]
            assert CYRILLIC.search(row.get(CONSTRAINT_UK, "")), row["name"]
        if REQUIRED_EN in row:
            assert CYRILLIC.search(row[REQUIRED_UK]), row["name"]


# Each rule the form enforces, as (question, what its expression must say). A rule removed from the form
# fails here by name.
EXPECTED_RULES = [
    ("record_id", "regex(., '^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$')"),
    ("source_organisation", "regex(., '^[a-z][a-z0-9_]{1,63}$')"),
    ("survivor_ref", "regex(., '^[A-Za-z][A-Za-z0-9._:-]{2,63}$')"),
    ("age_years", "(${age_band} = 'age_12_17' and . >= 12 and . <= 17)"),
    ("incident_start", ". <= today()"),
    ("incident_end", ". >= ${incident_start}"),
    ("incident_end", "${end_precision} = 'year'"),
    ("reported_on", ". >= ${incident_start}"),
    ("control_status", "(${country} != 'UA' and . = 'outside_ukraine')"),
    ("given_on", ". <= today()"),
    ("withdrawn_on", ". >= ${given_on}"),
    ("erdr_number", "regex(., '^[1-9]20(?:1[2-9]|[2-9][0-9])[0-9]{12}$')"),
    ("erdr_number", "int(substr(., 1, 5)) <= int(format-date(${registered_on}, '%Y'))"),
    ("stage_on", ". >= ${registered_on}"),
    ("incident_ids", "regex(., '^[A-Za-z0-9]"),
]


@pytest.fixture(scope="module")
def case_form_warnings(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _compile(case_form(), tmp_path_factory.mktemp("case"))


@pytest.mark.parametrize(("question", "fragment"), EXPECTED_RULES)
def test_the_rule_is_in_the_form(question: str, fragment: str, case_form_warnings: list[str]) -> None:
    assert fragment in _case_constraints()[question]
    assert case_form_warnings == []


def test_a_child_s_own_consent_needs_a_recorded_reason() -> None:
    sheets = case_form()
    exception = _row(sheets, "guardian_exception")
    assert exception["required"] == "yes"
    assert exception["relevant"] == "${granted} = 'yes' and ${given_by} = 'self' and ${is_child} = 'yes'"
    is_child = _row(sheets, "is_child")["calculation"]
    # The record rule: youngest possible age + whole years since the first incident's year < 18.
    assert "${youngest_age} + if(int(format-date(${given_on}, '%Y')) - ${first_incident_year} - 1 > 0" in (
        is_child
    )
    assert _row(sheets, "first_incident_year")["calculation"] == "min(${incident_year})"


def test_a_consent_names_one_organisation_or_one_category() -> None:
    category = _row(case_form(), "recipient_category")
    assert category["relevant"] == "${recipient_organisation} = ''"
    assert category["required"] == "yes"


@functools.cache
def _case_constraints() -> dict[str, str]:
    return case_form().constraints()


@functools.cache
def _form_regex(question: str) -> re.Pattern[str]:
    literal = re.search(r"regex\(\., '([^']*)'\)", _case_constraints()[question])
    assert literal is not None
    return re.compile(literal.group(1))


@given(erdr_numbers())
def test_the_form_s_erdr_regex_accepts_every_valid_erdr_number(number: str) -> None:
    assert _form_regex("erdr_number").search(number)


@given(st.text(alphabet="0123456789", min_size=15, max_size=19))
def test_the_form_s_erdr_regex_agrees_with_the_model(candidate: str) -> None:
    accepted = _form_regex("erdr_number").search(candidate) is not None
    assert accepted == (check_erdr_number(candidate) == ())


@given(st.text(alphabet="aZ09._:- /", max_size=70))
def test_the_form_s_identifier_regexes_agree_with_the_models(candidate: str) -> None:
    from pydantic import TypeAdapter, ValidationError

    from crsvdata.models._types import LocalId, PseudonymousRef

    for question, kind in (("survivor_ref", PseudonymousRef), ("incident_id", LocalId)):
        try:
            TypeAdapter(kind).validate_python(candidate)
            valid = True
        except ValidationError:
            valid = False
        assert (_form_regex(question).search(candidate) is not None) == valid, question


def test_hromadas_are_filtered_by_their_own_raion() -> None:
    choices = case_form().choices
    raions = {row["name"] for row in choices if row["list_name"] == "raion"}
    hromadas = [row for row in choices if row["list_name"] == "hromada"]
    assert hromadas
    assert all(row["raion"] in raions for row in hromadas)
    assert _row(case_form(), "hromada")["choice_filter"] == "raion = ${raion}"
