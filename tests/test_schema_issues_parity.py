"""Structural issues explained through jsonschema-rs are exactly those python-jsonschema's errors gave.

``crsvdata.validation.schema_issues`` (compiled jsonschema-rs) against ``schema_issues_reference`` (the
former python-jsonschema explanation, kept unchanged): same codes, pointers, messages, lines and order,
on mutated synthetic documents of the three input kinds and on every invalid file of the conformance
suite. The generated documents must also be explained without falling back to the reference.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from crsvdata.schema.compiled import compiled_schema
from crsvdata.testing import case_records, identity_records
from crsvdata.validation import schema_issues as compiled_explanation
from crsvdata.validation.schema_issues import schema_issues
from crsvdata.validation.schema_issues_reference import schema_issues as reference_issues
from crsvdata.version import STANDARD_VERSION

ROOT: Final = Path(__file__).parents[1]
SUITE: Final = ROOT / "conformance" / STANDARD_VERSION / "invalid"
PACKAGE: Final = json.loads((ROOT / "examples/packages/referral-package.json").read_text("utf-8"))

Step = str | int
WRONG_VALUES: Final = [None, 0, 1.0, -3, 2.5, True, "", "x", [], {}, ["x"], {"a": 1}]
BAD_STRINGS: Final = [
    "not_a_code",
    "2022-13",
    "2022-02-30",
    "2022-1-1",
    "2023-Q5",
    "1899",
    "2024-01-02T03:04:05",
    "2024-01-02t03:04:05z",
    "2024-01-02T23:59:60Z",
    "2024-02-30T10:00:00+00:00",
    "\u0662\u0660\u0662\u0662-01-01",
    "UA-99",
    "12345",
    "a" * 300,
]
EXTRA_NAMES: Final = [
    "nickname",
    "full_name",
    "Тестенко Тестана",
    "has space",
    "a" * 70,
    "primero:x",
    "x:y\n",
]
DOCUMENT_TAGS: Final = [
    "rnokpp",
    "unzr",
    "passport_booklet",
    "id_card",
    "foreign_passport",
    "driving_licence",
]


def _places(value: Any, path: tuple[Step, ...] = ()) -> list[tuple[Step, ...]]:
    """Every place in a JSON value (the root included), parents before children."""
    places = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            places.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            places.extend(_places(item, (*path, index)))
    return places


def _at(document: Any, path: tuple[Step, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@st.composite
def _mutation(draw: st.DrawFn, document: Any) -> None:
    """Break ``document`` in place in one way, somewhere in it."""
    place = draw(st.sampled_from(_places(document)))
    value = _at(document, place)
    parent = _at(document, place[:-1]) if place else None
    kind = draw(st.sampled_from(["delete", "wrong", "bad_string", "extra", "list", "tag", "newline"]))
    if kind == "delete" and place:
        del parent[place[-1]]
    elif kind == "wrong" and place:
        parent[place[-1]] = copy.deepcopy(draw(st.sampled_from(WRONG_VALUES)))
    elif kind == "bad_string" and place:
        parent[place[-1]] = draw(st.sampled_from(BAD_STRINGS))
    elif kind == "newline" and isinstance(value, str) and place:
        parent[place[-1]] = value + "\n"
    elif kind == "extra" and isinstance(value, dict):
        value[draw(st.sampled_from(EXTRA_NAMES))] = draw(st.sampled_from(WRONG_VALUES[:6]))
    elif kind == "list" and isinstance(value, list):
        action = draw(st.sampled_from(["empty", "truncate", "double", "null_item"]))
        if action == "empty":
            value.clear()
        elif action == "truncate" and value:
            del value[1:]
        elif action == "double":
            value.extend(copy.deepcopy(value) * 30)
        else:
            value.append(None)
    elif kind == "tag" and isinstance(value, dict) and "type" in value:
        value["type"] = draw(st.sampled_from(DOCUMENT_TAGS))
    elif place:
        parent[place[-1]] = None


@st.composite
def _base_documents(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["case-record", "identity-record", "exchange-package"]))
    if kind == "case-record":
        return kind, draw(case_records()).to_json_dict()
    if kind == "identity-record":
        return kind, draw(identity_records()).to_json_dict()
    package = copy.deepcopy(PACKAGE)
    package["case_records"] = [draw(case_records()).to_json_dict()]
    package["identity_records"] = [draw(identity_records()).to_json_dict()]
    return kind, package


@st.composite
def broken_documents(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid synthetic document of one of the three input kinds, broken in one to four places."""
    kind, document = draw(_base_documents())
    for _ in range(draw(st.integers(1, 4))):
        draw(_mutation(document))
    return kind, document


def _explained(kind: str, document: Any) -> list[Any]:
    # The compiled path alone: any document it would hand to the reference raises here.
    failures, root = compiled_explanation._failures(kind, document)
    return [issue for failure in failures for issue in compiled_explanation._explain(failure, 7, root)]


@given(broken_documents())
def test_generated_broken_documents_get_the_reference_explanation(case: tuple[str, Any]) -> None:
    kind, document = case
    expected = reference_issues(kind, document, 7)
    note(f"{kind}: {[(issue.code, issue.pointer) for issue in expected]}")
    _explained(kind, document)  # no fallback to the reference
    assert schema_issues(kind, document, 7) == expected


def _suite_files() -> list[Path]:
    return sorted(SUITE.glob("*.json"))


@pytest.mark.parametrize("path", _suite_files(), ids=lambda path: path.name)
def test_conformance_invalid_files_get_the_reference_explanation(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    kind = path.name.split(".", 1)[0]
    expected = reference_issues(kind, document)
    _explained(kind, document)
    assert schema_issues(kind, document) == expected


def test_the_suite_and_the_mutations_reach_the_explanation() -> None:
    # Guards against a parity test that compares empty lists: the suite has schema-layer files.
    explained = [path for path in _suite_files() if reference_issues(path.name.split(".", 1)[0], _load(path))]
    assert len(explained) >= 30


def _load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def test_a_trailing_newline_is_judged_as_python_jsonschema_judges_it() -> None:
    # python-jsonschema's re.search lets "$" match before a final newline; Rust's regex does not.
    document = copy.deepcopy(PACKAGE)
    document["case_records"][0]["survivor"]["extensions"] = {"primero:x\n": 1, "bad key": 2}
    document["package_id"] += "\n"
    expected = reference_issues("exchange-package", document)
    assert expected
    assert schema_issues("exchange-package", document) == expected


def test_two_issues_at_one_place_come_in_python_jsonschema_order() -> None:
    # jsonschema-rs reports "type" before "enum"; python-jsonschema follows the schema's key order.
    document = copy.deepcopy(PACKAGE)
    document["case_records"][0]["survivor"]["sex"] = True
    document["case_records"][0]["survivor"]["status"] = 3
    expected = reference_issues("exchange-package", document)
    at_sex = [issue.code for issue in expected if issue.pointer == "/case_records/0/survivor/sex"]
    assert sorted(at_sex) == ["schema.enum", "schema.type"]
    assert schema_issues("exchange-package", document) == expected


def test_a_date_branch_valid_for_python_is_no_issue() -> None:
    # "2022\n" matches the year branch for python-jsonschema: the anyOf holds, nothing is reported there.
    document = copy.deepcopy(PACKAGE)
    document["case_records"][0]["incidents"][0]["incident_date"] = {"start": "2022\n", "end": "2022-13"}
    expected = reference_issues("exchange-package", document)
    assert [issue.pointer for issue in expected] == ["/case_records/0/incidents/0/incident_date/end"]
    assert schema_issues("exchange-package", document) == expected


def test_text_jsonschema_rs_cannot_read_goes_to_the_reference() -> None:
    document = copy.deepcopy(PACKAGE)
    document["case_records"][0]["survivor"]["nickname"] = "\ud800"
    assert schema_issues("exchange-package", document) == reference_issues("exchange-package", document)


def test_every_published_input_schema_is_compiled() -> None:
    for name in ("case-record", "identity-record", "exchange-package"):
        compiled = compiled_schema(name)
        assert compiled.unsupported is None
        assert compiled.schema["$id"].endswith(f"{name}.schema.json")


def test_a_schema_with_an_unknown_keyword_or_an_unportable_pattern_is_not_compiled() -> None:
    from crsvdata.schema import compiled

    assert compiled._unsupported({"type": "object", "not": {"required": ["a"]}}) is not None
    assert compiled._unsupported({"properties": {"a": {"pattern": "^\\w+$"}}}) is not None
    assert compiled._unsupported({"properties": {"a": {"pattern": "^[a-z](?:-[0-9])?$"}}}) is None


def test_validating_invalid_json_lines_does_not_import_python_jsonschema(tmp_path: Path) -> None:
    source = ROOT / "examples/synthetic/case-records.jsonl"
    lines = source.read_text("utf-8").splitlines()[:3]
    broken = [json.loads(line) for line in lines]
    del broken[0]["survivor"]
    broken[1]["survivor"]["sex"] = "not_a_code"
    broken[2]["nickname"] = 1
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in broken) + "\n", "utf-8")
    script = (
        "import sys, crsvdata\n"
        f"report = crsvdata.validate(__import__('pathlib').Path({str(path)!r}))\n"
        "codes = sorted({issue.code for issue in report.errors})\n"
        "loaded = sorted(n for n in sys.modules if n == 'jsonschema' or n.startswith('jsonschema.'))\n"
        "print(report.invalid_documents, codes, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # Three invalid records, explained (not by the model's fallback), and python-jsonschema never loaded.
    expected = "3 ['schema.additional_properties', 'schema.enum', 'schema.required'] []"
    assert result.stdout.strip() == expected, result.stderr
