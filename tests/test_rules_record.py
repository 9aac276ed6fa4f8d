"""The record's duplicate-identifier rule: every repeat of an identifier after its first is flagged.

The oracle counts earlier occurrences by index (a quadratic scan), not with the rule's set, and the lists
are grown to several entries over a tiny identifier alphabet so that repeats (and lists of one) are common.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crsvdata import rules
from crsvdata.models import CaseRecord
from crsvdata.testing import case_records
from crsvdata.validation import validate

LISTS = {
    "incidents": "incident_id",
    "consents": "consent_id",
    "referrals": "referral_id",
    "proceedings": "proceeding_id",
    "reparations": "claim_id",
}


def _repeats(ids: list[str]) -> list[int]:
    return [index for index in range(len(ids)) if any(ids[earlier] == ids[index] for earlier in range(index))]


@given(record=case_records(), data=st.data())
def test_every_repeat_of_an_identifier_in_a_list_is_flagged_where_it_stands(
    record: CaseRecord, data: st.DataObject
) -> None:
    document: dict[str, Any] = json.loads(record.to_json())
    expected = []
    for collection, field in LISTS.items():
        entries = document.get(collection)
        if not entries:
            continue
        size = data.draw(st.integers(1, 4), label=f"size of {collection}")
        grown = [copy.deepcopy(entries[index % len(entries)]) for index in range(size)]
        ids = data.draw(st.lists(st.sampled_from(["id-a", "id-b"]), min_size=size, max_size=size))
        for entry, identifier in zip(grown, ids, strict=True):
            entry[field] = identifier
        document[collection] = grown
        expected += [f"/{collection}/{index}/{field}" for index in _repeats(ids)]
    found = [f.pointer for f in rules.record_rules(document) if f.code == "record.duplicate_id"]
    assert found == expected
    # The validator, through the generated walk, reports the same when the grown record is well formed.
    issues = validate(document).issues
    if not any(issue.code.startswith("schema.") for issue in issues):
        assert [i.pointer for i in issues if i.code == "record.duplicate_id"] == expected


@given(record=case_records(), refs=st.lists(st.sampled_from(["ref-a", "ref-b", "survivor"]), max_size=4))
def test_each_affected_person_repeating_a_reference_or_naming_the_survivor_is_flagged(
    record: CaseRecord, refs: list[str]
) -> None:
    document: dict[str, Any] = json.loads(record.to_json())
    survivor_ref = document["survivor"]["survivor_ref"]
    named = [survivor_ref if ref == "survivor" else ref for ref in refs]
    if named:
        document["affected_persons"] = [{"person_ref": ref, "relationship": "other"} for ref in named]
    else:
        document.pop("affected_persons", None)
    expected = []
    for index, ref in enumerate(named):
        pointer = f"/affected_persons/{index}/person_ref"
        if ref == survivor_ref:
            expected.append(("affected.is_survivor", pointer))
        if ref in named[:index]:
            expected.append(("affected.duplicate_ref", pointer))
    found = [(f.code, f.pointer) for f in rules.record_rules(document) if f.code.startswith("affected.")]
    assert found == expected
