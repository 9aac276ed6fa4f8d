"""Models built without their checks (``checked_validator``) equal the models ``model_validate_json`` builds.

``crsvdata.parse`` builds a model only after the whole document has been validated, and then leaves out
every validator marked inert on valid JSON. These tests hold that shortcut to the full model: on
generated records (with integers also written as whole floats, which a converting validator turns back
into integers), on every valid conformance document and example, and in the shape of the schema (no
inert validator left, the converting ones kept).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel

from crsvdata._context import INERT_MARK, STRUCTURE_ONLY
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.models.checked import checked_validator, without_inert_validators
from crsvdata.testing import case_records, identity_records
from crsvdata.validation.engine import MODELS, sniff_kind, validate_document

ROOT = Path(__file__).parents[1]
DOCUMENTS = sorted(
    [*ROOT.joinpath("conformance").glob("*/*/*.json"), *ROOT.joinpath("examples").glob("*/*.json")]
)
MODELS_PARSED = (CaseRecord, IdentityRecord, ExchangePackage)


def _both(model: type[BaseModel], text: str | bytes) -> tuple[BaseModel, BaseModel]:
    full = model.model_validate_json(text, context=STRUCTURE_ONLY)
    checked = checked_validator(model).validate_json(text, context=STRUCTURE_ONLY)
    return full, checked


def _assert_same(model: type[BaseModel], text: str | bytes) -> None:
    full, checked = _both(model, text)
    assert type(checked) is type(full)
    assert checked == full
    assert checked.model_dump_json() == full.model_dump_json()


def _valid(text: bytes) -> bool:
    valid, issues = validate_document(text.decode(), orjson.loads(text), None)
    return valid and not any(issue.severity.value == "error" for issue in issues)


def _floated(value: Any, flags: list[bool]) -> Any:
    """``value`` with some integers written as whole floats (``34`` as ``34.0``), as JSON allows."""
    if isinstance(value, dict):
        return {key: _floated(item, flags) for key, item in value.items()}
    if isinstance(value, list):
        return [_floated(item, flags) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and flags and flags.pop():
        return float(value)
    return value


@given(case_records(), st.lists(st.booleans(), max_size=40))
def test_a_checked_case_record_is_the_full_model(record: CaseRecord, flags: list[bool]) -> None:
    text = orjson.dumps(_floated(record.to_json_dict(), flags))
    assume(_valid(text))
    _assert_same(CaseRecord, text)


@given(identity_records())
def test_a_checked_identity_record_is_the_full_model(record: IdentityRecord) -> None:
    text = record.to_json().encode()
    assert _valid(text)
    _assert_same(IdentityRecord, text)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: "/".join(path.parts[-3:]))
def test_every_valid_shipped_document_gives_the_full_model(path: Path) -> None:
    text = path.read_bytes()
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    kind = sniff_kind(document)
    if kind is None or not _valid(text):
        return
    _assert_same(MODELS[kind], text)


def _functions(node: Any) -> list[Any]:
    if isinstance(node, list):
        return [found for item in node for found in _functions(item)]
    if not isinstance(node, dict):
        return []
    found = []
    function = node.get("function")
    kind = node.get("type")
    if isinstance(kind, str) and kind.startswith("function-") and isinstance(function, dict):
        found.append(function.get("function"))
    return found + [f for key, item in node.items() if key != "serialization" for f in _functions(item)]


@pytest.mark.parametrize("model", MODELS_PARSED, ids=lambda model: model.__name__)
def test_the_checks_are_left_out_and_the_conversions_kept(model: type[BaseModel]) -> None:
    model.model_rebuild()
    before = _functions(model.__pydantic_core_schema__)
    left = _functions(without_inert_validators(model.__pydantic_core_schema__))
    assert any(getattr(f, INERT_MARK, False) for f in before)
    assert not any(getattr(f, INERT_MARK, False) for f in left)
    names_before = {getattr(f, "__name__", "") for f in before}
    names_left = {getattr(f, "__name__", "") for f in left}
    assert {"_reject_null", "_enforce_rules"} <= names_before - names_left
    assert "_whole_float_to_int" in names_before & names_left or model is not CaseRecord
