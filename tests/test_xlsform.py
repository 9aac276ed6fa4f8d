"""The generated XLSForms compile with pyxform (the reference compiler) with no error and no warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from crsvdata.codes import load
from crsvdata.interop.xlsform import CASE_FORM_LISTS, case_form, identity_form, write_xlsform
from crsvdata.interop.xlsform.form import EN, UK


@pytest.mark.parametrize("build", [case_form, identity_form])
def test_pyxform_compiles_without_warning(build, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_xlsform(build(), path)
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert result.xform
    assert warnings == []


def test_every_current_code_is_a_choice_with_both_labels() -> None:
    choices = {(row["list_name"], row["name"]): row for row in case_form().choices}
    for name in CASE_FORM_LISTS:
        for code in load(name):
            if code.is_deprecated:
                continue
            row = choices[(name, code.code)]
            assert row[EN]
            assert row[UK]


def test_identity_questions_are_not_in_the_case_form() -> None:
    names = {row.get("name") for row in case_form().survey}
    assert not names & {"family_name", "given_name", "patronymic", "date_of_birth", "phone"}
