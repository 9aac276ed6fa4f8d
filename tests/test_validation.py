"""The validation report: codes all catalogued, schema issues located like any JSON Schema validator would."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from crsvdata import validate
from crsvdata.models import CaseRecord, CrsvModel
from crsvdata.testing import case_records
from crsvdata.validation.catalogue import ISSUE_CODES

ROOT = Path(__file__).parents[1]
SOURCE = ROOT / "src" / "crsvdata"
PACKAGE = json.loads((ROOT / "examples/packages/referral-package.json").read_text("utf-8"))


def _subclasses(base: type[CrsvModel]) -> list[type[CrsvModel]]:
    return [sub for direct in base.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_every_rule_code_is_catalogued() -> None:
    declared = set().union(*(model.rule_codes for model in _subclasses(CrsvModel)))
    assert declared - set(ISSUE_CODES) == set()


def test_every_code_literal_in_the_source_is_catalogued() -> None:
    pattern = re.compile(r'"((?:input|document|schema|identifier|codelist)\.[a-z_]+)"')
    found = {match for path in SOURCE.rglob("*.py") for match in pattern.findall(path.read_text("utf-8"))}
    assert found, "the scan found no codes: the pattern is wrong"
    assert found - set(ISSUE_CODES) == set()


def test_catalogue_entries_are_complete() -> None:
    for code, entry in ISSUE_CODES.items():
        assert entry.code == code
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", code)
        assert entry.title
        assert entry.fix


def _codes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(issue.code, issue.pointer) for issue in validate(document).errors}


def test_wrong_document_number_is_explained_in_its_own_branch() -> None:
    document = json.loads(json.dumps(PACKAGE))
    document["identity_records"][0]["documents"] = [{"type": "rnokpp", "number": "12345"}]
    assert _codes(document) == {("schema.pattern", "/identity_records/0/documents/0/number")}


def test_unknown_document_type_is_a_discriminator_issue() -> None:
    document = json.loads(json.dumps(PACKAGE))
    document["identity_records"][0]["documents"] = [{"type": "driving_licence", "number": "1"}]
    assert _codes(document) == {("schema.discriminator", "/identity_records/0/documents/0/type")}


def test_impossible_partial_date_is_a_format_issue() -> None:
    document = json.loads(json.dumps(PACKAGE))
    document["case_records"][0]["incidents"][0]["incident_date"] = {"start": "2022-13"}
    assert _codes(document) == {("schema.format", "/case_records/0/incidents/0/incident_date/start")}


def test_unexpected_member_with_a_data_like_name_is_not_named() -> None:
    document = json.loads(json.dumps(PACKAGE))
    document["case_records"][0]["survivor"]["Тестенко Тестана"] = 1
    document["case_records"][0]["survivor"]["nickname"] = 1
    report = validate(document)
    pointers = sorted(issue.pointer for issue in report.errors)
    assert pointers == ["/case_records/0/survivor", "/case_records/0/survivor/nickname"]
    assert "Тестенко" not in json.dumps(report.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("value", [None, "null"])
def test_null_is_a_type_issue(value: Any) -> None:
    document = json.loads(json.dumps(PACKAGE))
    document["case_records"][0]["survivor"]["displacement_status"] = None if value is None else value
    expected = "schema.type" if value is None else "schema.enum"
    assert _codes(document) == {(expected, "/case_records/0/survivor/displacement_status")}


@given(case_records())
def test_issue_messages_never_contain_document_strings(record: CaseRecord) -> None:
    document = record.to_json_dict()
    document["survivor"]["sex"] = "Тестенко-" + record.record_id
    document["incidents"][0]["narrative"] = None
    report = validate(document)
    # Both planted values are reported (so the report had the chance to quote them), and neither is quoted.
    assert {(issue.code, issue.pointer) for issue in report.errors} >= {
        ("schema.enum", "/survivor/sex"),
        ("schema.type", "/incidents/0/narrative"),
    }
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert "Тестенко" not in text
    assert record.record_id not in text


def test_deprecated_codes_give_warnings_not_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    # The deprecated codes are literals of the generated rule walk: generate one that deprecates "male".
    import types

    from crsvdata.validation import engine
    from tools import walker

    generated = types.ModuleType("rule_walk_deprecating_male")
    exec(walker.render_walker(deprecated={"sex": frozenset({"male"})}), generated.__dict__)
    monkeypatch.setattr(engine, "findings_in_json", generated.findings_in_json)
    report = validate(ROOT / "examples/cases/occupation-detention.json")
    assert report.valid
    assert {(i.code, i.pointer) for i in report.warnings} >= {
        ("codelist.deprecated", "/survivor/sex"),
        ("codelist.deprecated", "/incidents/0/perpetrators/0/sex"),
    }


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_library_error_derives_from_one_base_and_carries_a_catalogued_code() -> None:
    import importlib
    import pkgutil

    import crsvdata
    from crsvdata.errors import CrsvError

    for module in pkgutil.walk_packages(crsvdata.__path__, "crsvdata."):
        importlib.import_module(module.name)
    errors = _subclasses(CrsvError) | {CrsvError}
    assert len(errors) >= 8, "the walk did not import the error tree"
    for error in errors:
        assert error.code in ISSUE_CODES, f"{error.__name__}.code {error.code!r} is not catalogued"
    # Every public exception class crsvdata defines is in the tree (private ones never leave their module).
    for module in pkgutil.walk_packages(crsvdata.__path__, "crsvdata."):
        namespace = vars(importlib.import_module(module.name))
        for value in namespace.values():
            if (
                isinstance(value, type)
                and issubclass(value, Exception)
                and value.__module__ == module.name
                and not value.__name__.startswith("_")
            ):
                assert issubclass(value, CrsvError), f"{module.name}.{value.__name__} is outside CrsvError"
