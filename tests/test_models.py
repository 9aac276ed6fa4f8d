"""The models: strategy-generated records validate, round-trip unchanged, and keep identity out."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from pydantic import ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.testing import case_records, identity_records

IDENTITY_FIELD_NAMES = {
    "name",
    "given_name",
    "family_name",
    "patronymic",
    "date_of_birth",
    "documents",
    "phones",
    "emails",
    "address",
}


@given(case_records())
def test_generated_case_records_round_trip_unchanged(record: CaseRecord) -> None:
    text = record.to_json()
    again = CaseRecord.model_validate_json(text)
    assert again == record
    assert again.to_json() == text


@given(identity_records())
def test_generated_identity_records_round_trip_unchanged(record: IdentityRecord) -> None:
    text = record.to_json()
    assert IdentityRecord.model_validate_json(text).to_json() == text


@given(case_records())
def test_serialised_records_never_contain_null(record: CaseRecord) -> None:
    assert "null" not in record.to_json()


def _all_field_names(model: type) -> set[str]:
    names: set[str] = set()
    schema = model.model_json_schema()  # type: ignore[attr-defined]
    for definition in [schema, *schema.get("$defs", {}).values()]:
        names.update(definition.get("properties", {}))
    return names


def test_case_record_has_no_identity_field() -> None:
    assert _all_field_names(CaseRecord).isdisjoint(IDENTITY_FIELD_NAMES)


def test_unknown_field_is_rejected_everywhere() -> None:
    with pytest.raises(ValidationError) as info:
        CaseRecord.model_validate_json(json.dumps({"record_id": "SYNTH-1", "full_name": "x"}))
    assert any(error["type"] == "extra_forbidden" for error in info.value.errors())


@given(case_records())
def test_explicit_null_is_rejected(record: CaseRecord) -> None:
    document = record.to_json_dict()
    document["incidents"][0]["narrative"] = None
    with pytest.raises(ValidationError) as info:
        CaseRecord.model_validate_json(json.dumps(document))
    assert [e["type"] for e in info.value.errors()] == ["null_not_allowed"]


@given(case_records())
def test_structure_only_context_skips_rules(record: CaseRecord) -> None:
    document = record.to_json_dict()
    document["updated_at"], document["created_at"] = "2022-03-01T00:00:00+00:00", "2022-03-02T00:00:00+00:00"
    text = json.dumps(document)
    CaseRecord.model_validate_json(text, context=STRUCTURE_ONLY)
    with pytest.raises(ValidationError):
        CaseRecord.model_validate_json(text)


def test_validation_errors_do_not_echo_values() -> None:
    secret = "Тестенко-SECRET-VALUE"
    document = {"record_id": secret, "survivor": {"survivor_ref": secret, "sex": secret}}
    with pytest.raises(ValidationError) as info:
        CaseRecord.model_validate_json(json.dumps(document, ensure_ascii=False))
    assert secret not in str(info.value)
    assert secret not in repr(info.value.errors(include_input=False))
