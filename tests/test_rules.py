"""Cross-field rules: each named breakage is reported with its stable code at its JSON pointer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.findings import Severity
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


@given(st.data())
def test_rule_failure_in_model_raises_the_code(data: st.DataObject) -> None:
    record = data.draw(case_records())
    broken = break_record(record.to_json_dict(), "range_reversed")
    report = validate(broken.document)
    assert all(issue.severity in (Severity.ERROR, Severity.WARNING) for issue in report.issues)
    assert "date.range_reversed" in {issue.code for issue in report.errors}
