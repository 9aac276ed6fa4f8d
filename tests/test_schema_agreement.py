"""The Python models (structure layer) and the published JSON Schemas accept the same documents.

Three directions: documents generated from the committed schema are accepted by the models and round-trip;
documents from ``crsvdata.testing`` are accepted by the schema; mutated documents are rejected by both or
accepted by both.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pydantic import BaseModel, ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.schema.documents import DOCUMENT_TYPES
from crsvdata.schema.registry import load_schema, validator
from crsvdata.testing import case_records, identity_records

DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}")
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=8), inner, max_size=2),
    max_leaves=4,
)


def model_accepts(model: type[BaseModel], document: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(document, ensure_ascii=False), context=STRUCTURE_ONLY)
    except ValidationError:
        return False
    return True


def _has_trailing_newline_string(value: Any) -> bool:
    # python-jsonschema matches patterns with re.search, where "$" also matches before a final "\n";
    # ECMA-262 (ajv) and the models do not. Such strings are a known python-jsonschema quirk, not ours.
    if isinstance(value, str):
        return value.endswith("\n")
    if isinstance(value, dict):
        return any(
            _has_trailing_newline_string(k) or _has_trailing_newline_string(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_trailing_newline_string(v) for v in value)
    return False


def _accepted_and_round_tripped(model: type[BaseModel], document: Any) -> None:
    assume(not _has_trailing_newline_string(document))
    parsed = model.model_validate_json(json.dumps(document, ensure_ascii=False), context=STRUCTURE_ONLY)
    dumped = json.loads(parsed.model_dump_json(exclude_none=True))
    # Every document is written with its document_type marker, except one declaring 1.0 (written as 1.0).
    expected = dict(document)
    if expected.get("standard_version") == "1.0":
        expected.pop("document_type", None)
    else:
        expected.setdefault("document_type", next(t.marker for t in DOCUMENT_TYPES if t.model is model))
    assert _instants(dumped) == _instants(expected)


MAX_GENERATED_ITEMS = 2


def _with_short_arrays(node: Any) -> Any:
    """The schema with every array capped at two items (never below its minItems): enough to exercise each
    array's item schema and the step from one item to several, without megabyte documents that make
    generation too slow and exceed Hypothesis's entropy budget. Every other keyword is kept."""
    if isinstance(node, dict):
        capped = {key: _with_short_arrays(value) for key, value in node.items()}
        if node.get("type") == "array" or "items" in node:
            limit = min(node.get("maxItems", MAX_GENERATED_ITEMS), MAX_GENERATED_ITEMS)
            capped["maxItems"] = max(node.get("minItems", 0), limit)
        return capped
    if isinstance(node, list):
        return [_with_short_arrays(value) for value in node]
    return node


# Each strategy is built once (deferred to its first draw, not at import), not per test body or example:
# building a strategy from a schema is slow.
IDENTITY_DOCUMENTS = st.deferred(lambda: from_schema(_with_short_arrays(load_schema("identity-record"))))
CASE_DOCUMENTS = st.deferred(lambda: from_schema(_with_short_arrays(load_schema("case-record"))))


@settings(max_examples=40)
@given(IDENTITY_DOCUMENTS)
def test_schema_generated_identity_records_are_accepted_and_round_trip(document: Any) -> None:
    _accepted_and_round_tripped(IdentityRecord, document)


@settings(max_examples=40)
@given(CASE_DOCUMENTS)
def test_schema_generated_case_records_are_accepted_and_round_trip(document: Any) -> None:
    _accepted_and_round_tripped(CaseRecord, document)


def _instants(value: Any) -> Any:
    # "Z" and "+00:00" name the same instant; the round trip may write either.
    if isinstance(value, str) and DATE_TIME.match(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if isinstance(value, dict):
        return {k: _instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_instants(v) for v in value]
    return value


@given(case_records())
def test_strategy_case_records_are_schema_valid(record: CaseRecord) -> None:
    errors = list(validator("case-record").iter_errors(record.to_json_dict()))
    assert errors == []


@given(identity_records())
def test_strategy_identity_records_are_schema_valid(record: IdentityRecord) -> None:
    errors = list(validator("identity-record").iter_errors(record.to_json_dict()))
    assert errors == []


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def mutated_case_documents(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(draw(case_records()).to_json_dict())
    path = draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(JSON_VALUES)
    else:
        parent.append(draw(JSON_VALUES))
    return document


@settings(max_examples=300)
@given(mutated_case_documents())
def test_mutated_documents_get_the_same_verdict_from_both(document: dict[str, Any]) -> None:
    assume(not _has_trailing_newline_string(document))
    schema_verdict = validator("case-record").is_valid(document)
    assert model_accepts(CaseRecord, document) == schema_verdict
