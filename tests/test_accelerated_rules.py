"""The accelerated build (rules compiled with mypyc) gives exactly the findings of the pure-Python rules.

A copy of the package is compiled with ``tools/accelerate.py`` (what ``make accelerate`` does in place);
a subprocess importing that copy computes the findings of generated, broken and mutated documents, and
they must equal the findings of the pure-Python modules this test process runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crsvdata import rules
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.testing import broken_case_records, case_records, identity_records
from tools import accelerate

FINDINGS_SCRIPT = """
import json, sys
import crsvdata.rules.record as compiled_module
import crsvdata.validation.rule_walk as compiled_walk
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.models.json_rules import rule_findings_in_json
models = {"case": CaseRecord, "identity": IdentityRecord}
kinds = {"case": "case_record", "identity": "identity_record"}
print(json.dumps({"rules_module": compiled_module.__file__, "walk_module": compiled_walk.__file__}))
for line in sys.stdin:
    kind, document = json.loads(line)
    found = rule_findings_in_json(models[kind], document)
    walked = []
    compiled_walk.RULE_WALKS[kinds[kind]](document, walked)
    assert walked == list(rule_findings_in_json(models[kind], document))
    print(json.dumps([[f.code, str(f.severity), f.message, f.pointer] for f in found]))
"""


@pytest.fixture(scope="module")
def compiled_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = accelerate.copy_package(tmp_path_factory.mktemp("accelerated"))
    built = accelerate.compile_in(root)
    assert {path.name.split(".")[0] for path in built} >= {"record", "consent", "dates", "rule_walk"}
    return root


def _findings(kind: str, document: dict[str, Any]) -> list[list[str]]:
    model = CaseRecord if kind == "case" else IdentityRecord
    return [[f.code, str(f.severity), f.message, f.pointer] for f in rule_findings_in_json(model, document)]


def _compiled_findings(root: Path, documents: list[tuple[str, dict[str, Any]]]) -> list[list[list[str]]]:
    environment = dict(os.environ, PYTHONPATH=str(root))
    result = subprocess.run(
        [sys.executable, "-c", FINDINGS_SCRIPT],
        input="".join(json.dumps(item) + "\n" for item in documents),
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    first, *lines = result.stdout.splitlines()
    # The subprocess really ran the compiled module, not the .py beside it.
    for module in json.loads(first).values():
        assert not module.endswith(".py")
        assert module.startswith(str(root))
    return [json.loads(line) for line in lines]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    which = draw(st.sampled_from(["case", "broken", "identity"]))
    if which == "case":
        return "case", draw(case_records()).to_json_dict()
    if which == "broken":
        return "case", draw(broken_case_records()).document
    return "identity", draw(identity_records()).to_json_dict()


def _generated(count: int) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []

    # Whole records per example: slow by nature. The comparison runs once, over everything generated.
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents())
    def collect(item: tuple[str, dict[str, Any]]) -> None:
        found.append(item)

    collect()
    return found


def test_compiled_rules_give_the_findings_of_the_pure_python_rules(compiled_root: Path) -> None:
    batch = [(kind, document) for kind, document in _generated(150) if _structurally_valid(kind, document)]
    expected = [_findings(kind, document) for kind, document in batch]
    assert any(expected), "the batch must hold documents with findings, or the comparison proves little"
    assert _compiled_findings(compiled_root, batch) == expected


def _structurally_valid(kind: str, document: dict[str, Any]) -> bool:
    from crsvdata.validation.acceptor import structure_accepted

    return structure_accepted("case-record" if kind == "case" else "identity-record", document)


def test_the_pure_python_rules_are_what_this_process_runs() -> None:
    # The reference side of the comparison must be the .py modules, not an accelerated build left behind.
    assert rules.record_rules.__module__ == "crsvdata.rules.record"
    assert sys.modules["crsvdata.rules.record"].__file__.endswith(".py")  # type: ignore[union-attr]
