"""Extensions and external identifiers: shape-only validation, and never exported by any profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from anonymise_strategies import EXPORT_DAY, KEY, with_consent
from crsvdata.anonymise import ExportProfile, Recipient, export
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.profiles import profile_names
from crsvdata.codes.enums import ConsentPurpose
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.models.extensions import EXTENSION_KEY_PATTERN
from crsvdata.schema.registry import validator
from crsvdata.testing import case_records

ROOT = Path(__file__).parents[1]
IDENTITIES = ROOT / "examples/synthetic/identity-records.jsonl"
CASES = ROOT / "examples/synthetic/case-records.jsonl"
PURPOSES = {
    "investigation": ConsentPurpose.INVESTIGATION_PROSECUTION,
    "reparations": ConsentPurpose.REPARATIONS,
    "research": ConsentPurpose.RESEARCH,
    "statistics": ConsentPurpose.STATISTICS,
}
MARK = "SYNTHEXTVALUE"


def with_foreign_values(record: CaseRecord, tag: int) -> tuple[CaseRecord, set[str]]:
    """The record with a marked extension and external id on every entry that can hold them."""
    document = record.to_json_dict()
    marks: set[str] = set()

    def mark(entry: dict[str, Any], where: str) -> None:
        value, identifier = f"{MARK}-{tag}-{where}", f"SYNTHXID-{tag}-{where}"
        marks.update({value, identifier})
        entry["extensions"] = {"primero:name_first": value, "other:nested": {"deep": [value]}}
        entry["external_identifiers"] = [{"scheme": "other", "value": identifier}]

    mark(document, "record")
    for i, incident in enumerate(document["incidents"]):
        mark(incident, f"incident{i}")
        for j, perpetrator in enumerate(incident.get("perpetrators") or ()):
            mark(perpetrator, f"perp{i}-{j}")
    for k, referral in enumerate(document.get("referrals") or ()):
        mark(referral, f"referral{k}")
    return CaseRecord.model_validate_json(json.dumps(document)), marks


@pytest.mark.parametrize(
    "extensions",
    [{"note": 1}, {"Primero:x": 1}, {"primero:": 1}, {"primero:a b": 1}],
)
def test_malformed_extensions_are_refused_by_model_and_schema(extensions: dict[str, Any]) -> None:
    document = json.loads(CASES.read_text().splitlines()[0])
    document["extensions"] = extensions
    with pytest.raises(ValidationError):
        CaseRecord.model_validate_json(json.dumps(document))
    assert list(validator("case-record").iter_errors(document))


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(EXTENSION_KEY_PATTERN, fullmatch=True),
        st.recursive(
            st.none() | st.booleans() | st.integers(-10, 10) | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=5,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_well_formed_extensions_are_accepted_by_model_and_schema(extensions: dict[str, Any]) -> None:
    document = json.loads(CASES.read_text().splitlines()[0])
    document["extensions"] = extensions
    CaseRecord.model_validate_json(json.dumps(document))
    assert list(validator("case-record").iter_errors(document)) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(case_records(), min_size=1, max_size=3), st.sampled_from(sorted(PURPOSES)))
def test_no_extension_value_or_external_id_leaves_in_any_profile(
    records: list[CaseRecord], name: str
) -> None:
    profile = ExportProfile.load(name)
    pairs = [with_foreign_values(with_consent(r, PURPOSES[name]), n) for n, r in enumerate(records)]
    marks = set().union(*(m for _, m in pairs))
    try:
        result = export(
            [r for r, _ in pairs], profile, keys=KEY, recipient=Recipient("test_recipient"), on=EXPORT_DAY
        )
    except AnonymisationError as exc:  # a profile may refuse a tiny export (k): nothing leaves at all
        refusal = str(exc)
        assert not any(m in refusal for m in marks)
        return
    text = result.data.decode("utf-8") + result.manifest.to_json()
    assert "SYNTHXID" not in text
    assert MARK not in text


def test_the_referral_profile_never_carries_extensions_or_external_ids() -> None:
    identities = [IdentityRecord.model_validate_json(line) for line in IDENTITIES.read_text().splitlines()]
    record = CaseRecord.model_validate_json(CASES.read_text().splitlines()[0])
    day = min(record.created_at.date(), record.updated_at.date())
    document = record.to_json_dict()
    document["consents"] = [
        {
            "consent_id": "c-ref",
            "purpose": "referral",
            "recipient_organisation": "la_strada_ukraine",
            "granted": True,
            "given_on": day.isoformat(),
            "method": "written",
            "given_by": "parent_or_guardian",
        }
    ]
    document["referrals"] = [
        {
            "referral_id": "r-1",
            "sector": "legal_aid",
            "from_organisation": record.source_organisation,
            "to_organisation": "la_strada_ukraine",
            "referred_on": day.isoformat(),
        }
    ]
    marked, _ = with_foreign_values(CaseRecord.model_validate_json(json.dumps(document)), 0)
    identity = next(i for i in identities if i.survivor_ref == record.survivor.survivor_ref)
    identity = identity.model_copy(update={"extensions": {"primero:location_current": f"{MARK}-identity"}})
    assert "referral" in profile_names()
    result = export(
        [marked],
        "referral",
        keys=KEY,
        recipient=Recipient("la_strada_ukraine"),
        on=EXPORT_DAY,
        identities=[identity],
    )
    text = result.data.decode("utf-8")
    package = json.loads(text)
    assert package["case_records"][0].get("referrals"), "the referral itself must leave"
    assert MARK not in text
    assert "SYNTHXID" not in text
