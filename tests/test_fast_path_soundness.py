"""The fast tier of validation is sound, and its reports are the exact path's.

The fast tier lets the published schema (compiled by jsonschema-rs) decide structure and runs the rules
over the parsed JSON; the exact path builds the models and runs the rules on them. For generated records,
records broken on purpose and records mutated at random places (members removed or added, values of
another type, strings with a final newline, odd dates and date-times, numbers out of range):

- soundness: whatever the schema accepts, the models accept (the fast tier never passes what the exact
  path refuses);
- the rule findings over the JSON equal the findings of the models, code for code, in order;
- ``validate_document`` gives the report the exact path gives.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.findings import Severity
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord, collect_rule_findings
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.testing import broken_case_records, case_records, identity_records
from crsvdata.validation.acceptor import structure_accepted
from crsvdata.validation.codelists import deprecated_code_findings
from crsvdata.validation.engine import SCHEMA_NAMES, _structural_issues, sniff_kind, validate_document
from crsvdata.validation.report import Issue
from crsvdata.validation.schema_issues import schema_issues

Document = dict[str, Any]
JsonPath = tuple[str | int, ...]

STRING_VARIANTS = st.sampled_from(
    [
        "",
        " ",
        "2024\n",
        "2024-04\n",
        "2024-04-01\n",
        "2024-02-30",
        "2023-02-29",
        "2024-13",
        "1899",
        "2100-01-01",
        "2024-04-01T10:00:00",
        "2024-04-01T10:00:00+0300",
        "2024-04-01 10:00:00Z",
        "2024-04-01t10:00:00z",
        "2024-04-01T10:00Z",
        "2024-04-01T23:59:60Z",
        "2024-04-01T10:00:00.123456789+03:00",
        "2024-04-01T10:00:00-00:00",
        "2024-04-01T24:00:00Z",
        "x" * 501,
        "female",
        "unfpa",
        "ORG\n",
        "SYN-SURV-000001\n",
        "42",
        "3000.00",
        "3000.00\n",
        "01",
        "\u0000",
        "\ud7ff",
        "12/2024/0001",
        "UA01020030040050067",
        "UA01020030040050067\n",
    ]
)
OTHER_VALUES = st.one_of(
    STRING_VARIANTS,
    st.sampled_from([None, True, False, 0, -1, 1.5, 34.0, 2**53, 10**20, 150, [], {}, [None], {"x": 1}]),
)
NEW_MEMBERS = st.sampled_from(["unexpected", "x_extension", "a b", "document_type", "notes", "$ref"])


def _paths(value: Any, path: JsonPath = ()) -> list[JsonPath]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _parent(document: Any, path: JsonPath) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


@st.composite
def mutated(draw: st.DrawFn, document: Document) -> Document:
    """``document`` changed at one to three random places, in one of many ways."""
    changed = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(changed)[1:] or [()]))
        if not path:
            break
        parent = _parent(changed, path)
        how = draw(st.sampled_from(["replace", "remove", "add", "duplicate", "empty"]))
        target = parent[path[-1]]
        if how == "replace":
            parent[path[-1]] = draw(OTHER_VALUES)
        elif how == "remove":
            del parent[path[-1]]
        elif how == "add" and isinstance(target, dict):
            target[draw(NEW_MEMBERS)] = draw(OTHER_VALUES)
        elif how == "duplicate" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[0]))
        elif how == "empty" and isinstance(target, list | dict):
            target.clear()
    return changed


MODELS: dict[str, type[BaseModel]] = {"case_record": CaseRecord, "identity_record": IdentityRecord}


def _exact_report(text: str, document: Document) -> tuple[bool, list[Issue]]:
    """Validation as the exact path does it: the models decide structure and the models run the rules."""
    kind = sniff_kind(document)
    assert kind in MODELS
    try:
        model = MODELS[kind].model_validate_json(text, context=STRUCTURE_ONLY)
    except ValidationError as exc:
        # As the engine does: the models' own errors stand in should the schema's explanation find none.
        explained = schema_issues(SCHEMA_NAMES[kind], document, None)
        return False, explained or list(_structural_issues(exc))
    issues = [Issue.from_finding(f) for f in collect_rule_findings(model)]
    issues += [Issue.from_finding(f) for f in deprecated_code_findings(model)]
    return not any(issue.severity is Severity.ERROR for issue in issues), issues


def _model_or_refusal(model: type[BaseModel], text: str) -> tuple[BaseModel | None, object]:
    try:
        return model.model_validate_json(text, context=STRUCTURE_ONLY), None
    except ValidationError as exc:
        return None, exc.errors(include_input=False, include_url=False)


def _check(document: Document) -> bool:
    """Assert every promise for one document; return whether the schema accepted it."""
    kind = sniff_kind(document)
    if kind not in MODELS:
        return False
    text = json.dumps(document, ensure_ascii=False)
    accepted = structure_accepted(SCHEMA_NAMES[kind], document)
    model, refusal = _model_or_refusal(MODELS[kind], text)
    assert refusal is None or not accepted, f"the schema accepts what the models refuse: {refusal}"
    if model is not None:
        assert list(rule_findings_in_json(MODELS[kind], document)) == list(collect_rule_findings(model))
    assert validate_document(text, document) == _exact_report(text, document)
    return accepted


# Each example validates whole records three ways (schema, models, report): slow by nature.
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_generated_and_mutated_case_records(data: st.DataObject) -> None:
    document = data.draw(case_records()).to_json_dict()
    assert _check(document)  # a generated record is valid: the schema must accept it
    _check(data.draw(mutated(document)))


@SETTINGS
@given(broken_case_records())
def test_records_broken_on_purpose(broken: Any) -> None:
    _check(broken.document)


@SETTINGS
@given(st.data())
def test_generated_and_mutated_identity_records(data: st.DataObject) -> None:
    document = data.draw(identity_records()).to_json_dict()
    assert _check(document)
    _check(data.draw(mutated(document)))


@pytest.mark.parametrize("value", ["2024\n", "2024-04\n", "2024-04-01\n"])
def test_a_partial_date_with_a_final_newline_is_refused_by_both(value: str) -> None:
    document = _a_valid_record()
    document["incidents"][0]["incident_date"]["start"] = value
    assert not _check(document)


def _a_valid_record() -> Document:
    found: list[Document] = []

    @settings(max_examples=1, database=None)
    @given(case_records())
    def take(record: CaseRecord) -> None:
        found.append(record.to_json_dict())

    take()
    return found[0]


CONFORMANCE = sorted(Path(__file__).parent.parent.joinpath("conformance").glob("*/*/*.json"))


@pytest.mark.parametrize("path", CONFORMANCE, ids=lambda path: "/".join(path.parts[-3:]))
def test_every_conformance_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return  # not JSON at all: the reader refuses it before any tier is involved
    if sniff_kind(document) == "exchange_package":
        accepted = structure_accepted("exchange-package", document)
        package, refusal = _model_or_refusal(ExchangePackage, text)
        assert refusal is None or not accepted, refusal
        if package is not None:
            expected = list(collect_rule_findings(package))
            assert list(rule_findings_in_json(ExchangePackage, document)) == expected
        return
    if isinstance(document, dict):
        _check(document)
