"""Standard 1.1 fields in exports: none leaves unless a profile lists it; perpetrator_ref only keyed."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from anonymise_strategies import EXPORT_DAY, KEY, with_consent
from crsvdata.anonymise import Recipient, export
from crsvdata.anonymise.fields import FIELD_TABLE
from crsvdata.anonymise.profiles import ExportProfile, profile_names
from crsvdata.codes.enums import ConsentPurpose, RecipientCategory
from crsvdata.models import CaseRecord
from crsvdata.models.anonymised import TOKEN_PATTERN

NEW_PERPETRATOR_FIELDS = {
    "perpetrator_ref",
    "party_to_conflict",
    "nationality",
    "unit_number",
    "rank",
    "age_group",
    "minor",
    "relationship",
    "primary",
    "identification_basis",
    "identification_confidence",
    "involvement",
}
NEW_INCIDENT_FIELDS = {
    "place_type",
    "time_of_day",
    "displacement_stage",
    "abduction_status",
    "goods_or_money_exchanged",
    "previous_incidents",
    "detention_facility_type",
    "conflict_classification",
    "gbvims_type",
}
NEW_PATHS = {f"incidents.perpetrators.{name}" for name in NEW_PERPETRATOR_FIELDS} | {
    f"incidents.{name}" for name in NEW_INCIDENT_FIELDS
}
PURPOSE = ConsentPurpose.INVESTIGATION_PROSECUTION
PROSECUTOR = Recipient("ua_office_prosecutor_general", RecipientCategory.PROSECUTION)


def test_every_new_field_has_an_entry_and_no_shipped_profile_lets_one_out() -> None:
    assert set(FIELD_TABLE) >= NEW_PATHS
    for name in profile_names():
        listed = set(ExportProfile.load(name).fields)
        assert not listed & NEW_PATHS, (name, sorted(listed & NEW_PATHS))


def test_identifying_parts_of_a_place_of_detention_have_no_entry() -> None:
    # A facility's KATOTTH code with the period held can single out a detainee: not exportable at all.
    outputs = {entry.output for entry in FIELD_TABLE.values()}
    assert not {"held_from", "held_until", "unit_name", "legal_qualifications"} & outputs
    assert "incidents.place_of_detention" not in FIELD_TABLE


def test_perpetrator_ref_can_only_be_pseudonymised() -> None:
    entry = FIELD_TABLE["incidents.perpetrators.perpetrator_ref"]
    assert entry.transforms == frozenset({"pseudonymise"})
    assert entry.role == "token"


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cases" / "occupation-detention.json"
RAW_REF = "SYNTH-PERP-000777"


def _investigation_with_perpetrator_ref() -> ExportProfile:
    text = (resources.files("crsvdata.anonymise") / "profiles" / "investigation.toml").read_text("utf-8")
    kept = '"incidents.perpetrators.identified" = { transform = "keep" }'
    assert kept in text
    text = text.replace(
        kept, kept + '\n"incidents.perpetrators.perpetrator_ref" = { transform = "pseudonymise" }'
    )
    return ExportProfile.from_toml(text.encode(), "with-perpetrator-ref.toml")


def _two_records_sharing_a_perpetrator() -> list[CaseRecord]:
    records = []
    for number in (1, 2):
        document = json.loads(EXAMPLE.read_text("utf-8"))
        document["record_id"] = f"SYNTH-CASE-77{number}"
        document["survivor"]["survivor_ref"] = f"SYN-SURV-77{number}"
        document["incidents"][0]["perpetrators"][0]["perpetrator_ref"] = RAW_REF
        records.append(with_consent(CaseRecord.model_validate_json(json.dumps(document)), PURPOSE))
    return records


def test_a_listed_perpetrator_ref_leaves_as_a_keyed_pseudonym_that_links_across_records() -> None:
    records = _two_records_sharing_a_perpetrator()
    profile = _investigation_with_perpetrator_ref()
    result = export(records, profile, keys=KEY, recipient=PROSECUTOR, on=EXPORT_DAY)
    tokens = [
        p["perpetrator_ref"]
        for r in result.records
        for i in r["incidents"]
        for p in i.get("perpetrators", ())
    ]
    assert len(tokens) == 2
    assert all(re.fullmatch(TOKEN_PATTERN, token) for token in tokens)
    assert tokens[0] == tokens[1]
    assert RAW_REF not in result.data.decode("utf-8") + result.manifest.to_json()


def test_the_shipped_investigation_profile_drops_perpetrator_ref() -> None:
    records = _two_records_sharing_a_perpetrator()
    result = export(records, "investigation", keys=KEY, recipient=PROSECUTOR, on=EXPORT_DAY)
    assert len(result.records) == 2
    assert RAW_REF not in result.data.decode("utf-8")
    assert all(
        "perpetrator_ref" not in p
        for r in result.records
        for i in r["incidents"]
        for p in i.get("perpetrators", ())
    )
