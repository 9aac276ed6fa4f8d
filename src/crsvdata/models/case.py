"""The case record: everything about one survivor's case that partners may exchange, and no identity."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import ConfidentialityLevel, ConsentPurpose, RecordStatus
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import (
    NonEmptyList,
    NoNull,
    OrganisationCode,
    Timestamp,
    codelist,
    document_marker,
)
from crsvdata.models.affected_person import AffectedPerson
from crsvdata.models.consent import Consent
from crsvdata.models.extensions import Extensions, ExternalIdentifiers
from crsvdata.models.incident import Incident
from crsvdata.models.proceeding import LegalProceeding
from crsvdata.models.provenance import ReportedElsewhere
from crsvdata.models.referral import Referral
from crsvdata.models.reparation import ReparationClaim
from crsvdata.models.survivor import Survivor
from crsvdata.version import RecordStandardVersion

"""The ``standard_version`` a record of this major.minor carries (patch releases never change data)."""

RECORD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$"


class CaseRecord(CrsvModel):
    """One survivor's case: incidents, consents, referrals, proceedings and reparation claims.

    It carries no direct identifier: the survivor is a pseudonymous ``survivor_ref``, and names, numbers,
    phones and addresses live in an ``IdentityRecord`` that stays with the organisation that holds it.
    """

    document_type: Literal["case-record"] = document_marker("case-record")
    record_id: Annotated[
        str,
        Field(
            pattern=RECORD_ID_PATTERN,
            description="The record's identifier, unique within its source organisation.",
            examples=["SYNTH-000001"],
        ),
    ]
    extensions: Annotated[Extensions | None, NoNull] = None
    external_identifiers: Annotated[ExternalIdentifiers | None, NoNull] = None
    standard_version: RecordStandardVersion = Field(
        description="The version of the crsvdata standard (major.minor)."
    )
    source_organisation: OrganisationCode
    created_at: Timestamp = Field(description="When the record was created (with a UTC offset).")
    updated_at: Timestamp = Field(description="When the record was last changed (with a UTC offset).")
    confidentiality: ConfidentialityLevel = codelist(
        "confidentiality_level", "How the record must be handled."
    )
    survivor: Survivor
    incidents: NonEmptyList[Incident] = Field(description="The incidents of the case; at least one.")
    consents: Annotated[NonEmptyList[Consent] | None, NoNull] = Field(
        default=None, description="Every consent decision, per purpose and recipient."
    )
    referrals: Annotated[NonEmptyList[Referral] | None, NoNull] = None
    proceedings: Annotated[NonEmptyList[LegalProceeding] | None, NoNull] = None
    reparations: Annotated[NonEmptyList[ReparationClaim] | None, NoNull] = None
    record_status: Annotated[RecordStatus | None, NoNull] = codelist(
        "record_status", "Whether the case is open, closed, or a duplicate of another record.", default=None
    )
    duplicate_of: Annotated[str | None, Field(pattern=RECORD_ID_PATTERN), NoNull] = Field(
        default=None,
        description="The record this one duplicates; required when, and only when, the status is duplicate.",
    )
    reported_elsewhere: Annotated[NonEmptyList[ReportedElsewhere] | None, NoNull] = Field(
        default=None,
        description="Other bodies the case was reported to, so that statistics can avoid counting it twice.",
    )
    affected_persons: Annotated[NonEmptyList[AffectedPerson] | None, NoNull] = Field(
        default=None, description="Family members and dependants affected too, by pseudonymous reference."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "record.updated_before_created",
            "record.duplicate_id",
            "incident.after_record",
            "incident.reported_after_record",
            "consent.after_record",
            "consent.minor_needs_guardian",
            "proceeding.unknown_incident_ref",
            "referral.without_consent",
            "record.duplicate_of_missing",
            "record.duplicate_of_unexpected",
            "record.duplicate_of_self",
            "reparation.unknown_incident_ref",
            "affected.duplicate_ref",
            "affected.is_survivor",
        }
    )

    json_rule = rules.record_rules

    def first_incident_day(self) -> date:
        """The latest day on which the earliest incident can have started (bounds the survivor's age)."""
        return rules.first_incident_day(self._age_facts())

    def may_be_child_on(self, day: date) -> bool:
        """True when the survivor may have been under 18 on ``day``, given the recorded age.

        Without a recorded age nothing is known and this is False; the question is then the case
        worker's, not the data's.
        """
        return rules.may_be_child_on(self._age_facts(), day)

    def _age_facts(self) -> dict[str, Any]:
        # Only the parts the age rules read, in JSON form: dumping the whole record per question costs
        # ten times the rule (tests/test_rules_identity.py checks the answers equal the whole record's).
        return {
            "survivor": self.survivor.to_json_dict(),
            "incidents": [
                {"incident_date": incident.incident_date.to_json_dict()} for incident in self.incidents
            ],
        }

    def consents_for(self, purpose: ConsentPurpose, organisation: str, on: date) -> list[Consent]:
        """The granted consents for ``purpose`` to ``organisation`` in force on ``on``."""
        day = on.isoformat()
        found = []
        for consent in self.consents or ():
            data = consent.to_json_dict()
            if rules.consent_covers(data, purpose.value, organisation, None) and rules.consent_holds_on(
                data, day
            ):
                found.append(consent)
        return found
