"""Cross-field rules: each named breakage is reported with its stable code at its JSON pointer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from pydantic import ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.models import CaseRecord, CrsvModel
from crsvdata.testing import BREAKAGES, break_record, case_records
from crsvdata.validation import validate


def _subclasses(base: type[CrsvModel]) -> list[type[CrsvModel]]:
    return [sub for direct in base.__subclasses__() for sub in (direct, *_subclasses(direct))]


DECLARED_RULE_CODES = frozenset().union(*(model.rule_codes for model in _subclasses(CrsvModel)))


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
@given(record=case_records())
def test_each_breakage_is_reported_with_its_code_and_pointer(breakage: str, record: CaseRecord) -> None:
    broken = break_record(record.to_json_dict(), breakage)
    report = validate(broken.document)
    assert not report.valid
    found = {(issue.code, issue.pointer) for issue in report.errors}
    assert (broken.code, broken.pointer) in found
    if not broken.code.startswith("schema."):
        assert broken.code in DECLARED_RULE_CODES


@given(case_records())
def test_valid_records_have_no_errors(record: CaseRecord) -> None:
    report = validate(record.to_json_dict())
    assert report.valid, [(i.code, i.pointer) for i in report.errors]


@given(case_records())
def test_rule_failure_in_model_raises_the_code(record: CaseRecord) -> None:
    # The model itself raises the rule's code as the error type, at the member the finding points to
    # (the rule's object plus the finding's own pointer); without rules (structure only) the same
    # document is accepted.
    broken = break_record(record.to_json_dict(), "range_reversed")
    text = json.dumps(broken.document)
    with pytest.raises(ValidationError) as info:
        CaseRecord.model_validate_json(text)
    assert [(e["type"], e["loc"]) for e in info.value.errors()] == [
        ("date.range_reversed", ("incidents", 0, "incident_date", "end"))
    ]
    CaseRecord.model_validate_json(text, context=STRUCTURE_ONLY)
