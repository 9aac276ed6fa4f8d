"""The rules of the rules layer, over a document's parsed JSON, give what the models' rules give."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings

from crsvdata import rules
from crsvdata.models import CaseRecord, collect_rule_findings
from crsvdata.testing import case_records


def _rules_over_json(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    found = []
    for index, consent in enumerate(document.get("consents", ())):
        found += [
            (f.code, f.severity, f.message, f"/consents/{index}{f.pointer}")
            for f in rules.consent_rules(consent)
        ]
    return found


@settings(max_examples=30, deadline=None)
@given(case_records())
def test_consent_rules_over_parsed_json_equal_the_models(record: CaseRecord) -> None:
    document = json.loads(record.to_json())
    expected = [
        (f.code, f.severity, f.message, f.pointer)
        for f in collect_rule_findings(record)
        if f.pointer.startswith("/consents/")
        and f.code.startswith("consent.")
        and f.pointer.count("/") <= 3
        and f.code != "consent.minor_needs_guardian"
        and f.code != "consent.after_record"
    ]
    assert _rules_over_json(document) == expected
