"""The generated rule walk finds what the run-time walks over the models' plans find, finding for finding.

``crsvdata.validation.rule_walk`` (written by ``tools/walker.py``) is what ``validate_document`` runs on
schema-valid documents. Its findings must be those of ``rule_findings_in_json`` followed by those of
``deprecated_code_findings_in_json``: same codes, severities, messages and pointers, in the same order,
for generated, broken and mutated documents and every conformance document the schema accepts. The
deprecated-code walk is also generated for every code of every list deprecated at once, so that each
member holding a code is exercised (the standard deprecates only a few codes).
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from crsvdata.codes import load, names
from crsvdata.findings import Finding
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.testing import broken_case_records, case_records, identity_records
from crsvdata.validation import rule_walk
from crsvdata.validation.acceptor import structure_accepted
from crsvdata.validation.codelists import _json_plan, _walk_json, deprecated_code_findings_in_json
from crsvdata.validation.engine import MODELS, SCHEMA_NAMES, sniff_kind
from tests.test_fast_path_soundness import mutated
from tests.test_rules_identity import package_documents
from tools import walker

Row = tuple[str, str, str, str]

EVERY_CODE: frozenset[tuple[str, str]] = frozenset(
    (name, row.code) for name in names() for row in load(name).rows
)


def _rows(findings: list[Finding]) -> list[Row]:
    return [(f.code, str(f.severity), f.message, f.pointer) for f in findings]


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("generated_rule_walk")
    exec(compile(source, "<generated rule_walk>", "exec"), module.__dict__)
    return module


ALL_DEPRECATED = _module(
    walker.render_walker(
        deprecated={name: frozenset(row.code for row in load(name).rows) for name in names()}
    )
)
"""The walk generated as though every code of every list were deprecated."""


def _valid_kind(document: Any) -> str | None:
    kind = sniff_kind(document)
    if kind is None or not structure_accepted(SCHEMA_NAMES[kind], document):
        return None
    return kind


def _check(document: Any) -> list[Row]:
    """Assert the generated walks agree with the run-time walks; return the findings (empty: not valid)."""
    kind = _valid_kind(document)
    if kind is None:
        return []
    model: type[BaseModel] = MODELS[kind]
    expected = [*rule_findings_in_json(model, document), *deprecated_code_findings_in_json(model, document)]
    found = rule_walk.findings_in_json(kind, document)
    assert _rows(found) == _rows(expected)
    every: list[Finding] = []
    ALL_DEPRECATED.DEPRECATED_CODE_WALKS[kind](document, every)
    plan = _json_plan(model, EVERY_CODE)
    assert _rows(every) == _rows(list(_walk_json(plan, document, "") if plan else []))
    return _rows(found) + _rows(every)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_generated_and_mutated_case_records(data: st.DataObject) -> None:
    document = data.draw(case_records()).to_json_dict()
    assert _check(document), "a generated record uses codes, so the all-deprecated walk finds some"
    _check(data.draw(mutated(document)))


@SETTINGS
@given(broken_case_records())
def test_records_broken_on_purpose(broken: Any) -> None:
    _check(broken.document)


@SETTINGS
@given(st.data())
def test_generated_and_mutated_identity_records(data: st.DataObject) -> None:
    document = data.draw(identity_records()).to_json_dict()
    _check(document)
    _check(data.draw(mutated(document)))


@SETTINGS
@given(st.data())
def test_generated_and_mutated_exchange_packages(data: st.DataObject) -> None:
    # Identity documents of every type, linked or not, some with rule findings (tests/test_rules_identity.py).
    document = data.draw(package_documents())
    assert _valid_kind(document) == "exchange_package"
    _check(document)
    _check(data.draw(mutated(document)))


CONFORMANCE = sorted(Path(__file__).parent.parent.joinpath("conformance").glob("*/*/*.json"))


def test_every_conformance_document_the_schema_accepts() -> None:
    checked = found = 0
    for path in CONFORMANCE:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if _valid_kind(document) is not None:
            checked += 1
            found += bool(_check(document))
    assert checked > 10
    assert found > 0


def test_the_generated_module_is_in_sync_and_a_stale_one_is_reported(tmp_path: Path) -> None:
    assert walker.check_walker() == []
    stale = tmp_path / "rule_walk.py"
    stale.write_text(walker.WALKER_PATH.read_text(encoding="utf-8").replace("_anchor(", "_anchored("))
    assert walker.check_walker(stale) != []
    assert walker.check_walker(tmp_path / "missing.py") != []


def test_the_generated_module_imports_no_model_nor_pydantic() -> None:
    source = walker.WALKER_PATH.read_text(encoding="utf-8")
    imported = [line.split()[1] for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert imported
    assert all(
        name in {"collections.abc", "typing", "crsvdata.findings"} or name.startswith("crsvdata.rules.")
        for name in imported
    ), imported


def test_a_deprecated_code_is_found_where_the_standard_deprecates_one() -> None:
    # The committed module really walks to the one list the standard deprecates codes in.
    deprecated = walker.deprecated_codes()
    assert sorted(deprecated) == ["incident_context"]
    document = {"incidents": [{"contexts": ["armed_conflict", *sorted(deprecated["incident_context"])]}]}
    out: list[Finding] = []
    rule_walk.DEPRECATED_CODE_WALKS["case_record"](document, out)
    assert [f.pointer for f in out] == ["/incidents/0/contexts/1"]


@pytest.mark.parametrize("kind", sorted(SCHEMA_NAMES))
def test_every_input_kind_has_both_walks(kind: str) -> None:
    assert kind in rule_walk.RULE_WALKS
    assert kind in rule_walk.DEPRECATED_CODE_WALKS
