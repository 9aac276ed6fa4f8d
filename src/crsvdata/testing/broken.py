"""Records broken in exactly one named way, for testing that validators catch each problem.

Every breakage takes a valid case record in its JSON form and returns a copy with one defect, together
with the issue code and JSON pointer a validator must report. Partner tools can use ``broken_case_records``
to check that their own validation (in any language, through the published schema) rejects each defect.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st

from crsvdata.testing.records import case_records

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class BrokenRecord:
    """A record with one defect: the ``code`` and ``pointer`` a validator must report, and the document."""

    breakage: str
    code: str
    pointer: str
    document: Document


Breakage = Callable[[Document], tuple[str, str]]
"""Mutates a document in place and returns the expected (code, pointer)."""


def _missing_survivor(doc: Document) -> tuple[str, str]:
    del doc["survivor"]
    # A missing member is located where it should be, not at its parent object.
    return "schema.required", "/survivor"


def _unknown_field(doc: Document) -> tuple[str, str]:
    doc["survivor"]["full_name"] = "SYNTHETIC"
    return "schema.additional_properties", "/survivor/full_name"


def _unknown_code(doc: Document) -> tuple[str, str]:
    doc["survivor"]["sex"] = "not_a_code"
    return "schema.enum", "/survivor/sex"


def _null_value(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["narrative"] = None
    return "schema.type", "/incidents/0/narrative"


def _naive_datetime(doc: Document) -> tuple[str, str]:
    doc["created_at"] = "2024-01-02T03:04:05"
    doc["updated_at"] = "2024-01-02T03:04:05+00:00"
    return "schema.format", "/created_at"


def _no_acts(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["acts"] = []
    return "schema.min_items", "/incidents/0/acts"


def _impossible_day(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["incident_date"] = {"start": "2022-02-30"}
    return "schema.format", "/incidents/0/incident_date/start"


def _updated_before_created(doc: Document) -> tuple[str, str]:
    doc["created_at"], doc["updated_at"] = "2024-05-02T10:00:00+00:00", "2024-05-01T10:00:00+00:00"
    for incident in doc["incidents"]:
        incident["incident_date"] = {"start": "2023"}
        incident.pop("reported_on", None)
    doc.pop("consents", None)
    doc.pop("referrals", None)
    return "record.updated_before_created", "/updated_at"


def _range_reversed(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["incident_date"] = {"start": "2022-05", "end": "2022-03-14"}
    doc["incidents"][0].pop("reported_on", None)
    return "date.range_reversed", "/incidents/0/incident_date/end"


def _reported_before_incident(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["incident_date"] = {"start": "2022-06"}
    doc["incidents"][0]["reported_on"] = "2022-05-31"
    return "incident.reported_before_incident", "/incidents/0/reported_on"


def _consent_withdrawn_before_given(doc: Document) -> tuple[str, str]:
    consents = doc.setdefault("consents", [])
    consents.append(
        {
            "consent_id": "broken-consent",
            "purpose": "statistics",
            "recipient_category": "un_agencies",
            "granted": True,
            "given_on": "2022-06-10",
            "method": "written",
            "given_by": "parent_or_guardian",
            "withdrawn_on": "2022-06-01",
        }
    )
    return "consent.withdrawn_before_given", f"/consents/{len(consents) - 1}/withdrawn_on"


def _child_consents_alone(doc: Document) -> tuple[str, str]:
    doc["survivor"]["age_at_first_incident"] = {"band": "age_12_17", "years": 14}
    consents = doc.setdefault("consents", [])
    first = min(i["incident_date"]["start"] for i in doc["incidents"])[:4]
    consents.append(
        {
            "consent_id": "broken-consent",
            "purpose": "services",
            "recipient_category": "service_providers",
            "granted": True,
            "given_on": f"{first}-12-31",
            "method": "oral_witnessed",
            "given_by": "self",
        }
    )
    doc["created_at"] = f"{int(first) + 1}-01-01T00:00:00+00:00"
    doc["updated_at"] = doc["created_at"]
    doc.pop("referrals", None)
    doc.pop("proceedings", None)
    doc.pop("reparations", None)
    doc["consents"] = [c for c in consents if c["given_on"] <= doc["updated_at"][:10]]
    for incident in doc["incidents"]:
        incident["incident_date"] = {"start": first}
        incident.pop("reported_on", None)
    return "consent.minor_needs_guardian", f"/consents/{len(doc['consents']) - 1}/given_by"


def _outcome_before_referral(doc: Document) -> tuple[str, str]:
    referrals = doc.setdefault("referrals", [])
    referrals.append(
        {
            "referral_id": "broken-referral",
            "sector": "mhpss",
            "from_organisation": doc["source_organisation"],
            "to_organisation": doc["source_organisation"],
            "referred_on": "2022-06-10",
            "outcome": "service_provided",
            "outcome_on": "2022-06-01",
        }
    )
    return "referral.outcome_before_referral", f"/referrals/{len(referrals) - 1}/outcome_on"


def _erdr_year_after_registration(doc: Document) -> tuple[str, str]:
    proceedings = doc.setdefault("proceedings", [])
    proceedings.append(
        {
            "proceeding_id": "broken-proceeding",
            "jurisdiction": "ua_national",
            "erdr_number": "42024000000000001",
            "registered_on": "2023-12-31",
            "stage": "pre_trial_investigation",
            "incident_ids": [doc["incidents"][0]["incident_id"]],
        }
    )
    return "proceeding.erdr_year_after_registration", f"/proceedings/{len(proceedings) - 1}/erdr_number"


def _katotth_in_other_oblast(doc: Document) -> tuple[str, str]:
    doc["incidents"][0]["location"] = {
        "country": "UA",
        "subdivision": "UA-65",
        "katotth": "UA14000000000091971",
        "control_status": "temporarily_occupied",
    }
    return "location.katotth_subdivision_mismatch", "/incidents/0/location/katotth"


def _amount_not_positive(doc: Document) -> tuple[str, str]:
    claims = doc.setdefault("reparations", [])
    claims.append(
        {
            "claim_id": "broken-claim",
            "programme": "gsf_interim_reparations_pilot",
            "status": "granted",
            "submitted_on": "2024-04-15",
            "decision_on": "2024-05-15",
            "awarded": {"amount": "0.00", "currency": "EUR"},
        }
    )
    return "amount.not_positive", f"/reparations/{len(claims) - 1}/awarded/amount"


def _payment_before_decision(doc: Document) -> tuple[str, str]:
    claims = doc.setdefault("reparations", [])
    claims.append(
        {
            "claim_id": "broken-claim",
            "programme": "gsf_interim_reparations_pilot",
            "status": "paid",
            "submitted_on": "2024-04-15",
            "decision_on": "2024-05-15",
            "payments": [{"paid_on": "2024-05-01", "amount": {"amount": "3000.00", "currency": "EUR"}}],
        }
    )
    return "reparation.payment_before_decision", f"/reparations/{len(claims) - 1}/payments/0/paid_on"


def _identified_without_category(doc: Document) -> tuple[str, str]:
    incident = doc["incidents"][0]
    perpetrators = incident.setdefault("perpetrators", [])
    perpetrators.append({"perpetrator_id": "broken-perpetrator", "identified": True})
    return (
        "perpetrator.identified_without_category",
        f"/incidents/0/perpetrators/{len(perpetrators) - 1}/category",
    )


def _age_outside_band(doc: Document) -> tuple[str, str]:
    doc["survivor"]["age_at_first_incident"] = {"band": "age_26_40", "years": 19}
    return "age.band_mismatch", "/survivor/age_at_first_incident/years"


BREAKAGES: Final[dict[str, Breakage]] = {
    "missing_survivor": _missing_survivor,
    "unknown_field": _unknown_field,
    "unknown_code": _unknown_code,
    "null_value": _null_value,
    "naive_datetime": _naive_datetime,
    "no_acts": _no_acts,
    "impossible_day": _impossible_day,
    "updated_before_created": _updated_before_created,
    "range_reversed": _range_reversed,
    "reported_before_incident": _reported_before_incident,
    "consent_withdrawn_before_given": _consent_withdrawn_before_given,
    "child_consents_alone": _child_consents_alone,
    "outcome_before_referral": _outcome_before_referral,
    "erdr_year_after_registration": _erdr_year_after_registration,
    "katotth_in_other_oblast": _katotth_in_other_oblast,
    "amount_not_positive": _amount_not_positive,
    "payment_before_decision": _payment_before_decision,
    "identified_without_category": _identified_without_category,
    "age_outside_band": _age_outside_band,
}
"""Every named breakage; the key is what ``BrokenRecord.breakage`` says."""


def break_record(document: Document, breakage: str) -> BrokenRecord:
    """Apply one named breakage to a copy of a valid case record's JSON form."""
    broken = copy.deepcopy(document)
    code, pointer = BREAKAGES[breakage](broken)
    return BrokenRecord(breakage, code, pointer, broken)


def broken_case_records(breakage: str | None = None) -> st.SearchStrategy[BrokenRecord]:
    """Case records broken in one named way (any, or the one named)."""
    names = st.just(breakage) if breakage is not None else st.sampled_from(sorted(BREAKAGES))
    return st.builds(lambda record, name: break_record(record.to_json_dict(), name), case_records(), names)
