"""The case record: everything about one survivor's case that partners may exchange, and no identity."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from crsvdata.codes.enums import ConfidentialityLevel, ConsentGivenBy, ConsentPurpose, RecordStatus
from crsvdata.findings import Finding
from crsvdata.models._base import CrsvModel, error, warning
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
from crsvdata.models.survivor import ADULT_AGE, Survivor
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

    def rule_findings(self) -> Iterable[Finding]:
        if self.updated_at < self.created_at:
            yield error(
                "record.updated_before_created", "the record is updated before it was created", "/updated_at"
            )
        yield from self._duplicate_ids()
        yield from self._provenance()
        yield from self._affected_persons()
        yield from self._dates_within_record()
        yield from self._consents_of_children()
        yield from self._references()

    def _duplicate_ids(self) -> Iterator[Finding]:
        groups: Sequence[tuple[str, str, Sequence[str]]] = (
            ("incidents", "incident_id", [i.incident_id for i in self.incidents]),
            ("consents", "consent_id", [c.consent_id for c in self.consents or ()]),
            ("referrals", "referral_id", [r.referral_id for r in self.referrals or ()]),
            ("proceedings", "proceeding_id", [p.proceeding_id for p in self.proceedings or ()]),
            ("reparations", "claim_id", [c.claim_id for c in self.reparations or ()]),
        )
        for collection, field, ids in groups:
            seen: set[str] = set()
            for index, identifier in enumerate(ids):
                if identifier in seen:
                    yield error(
                        "record.duplicate_id",
                        "two entries of one list share an identifier",
                        f"/{collection}/{index}/{field}",
                    )
                seen.add(identifier)

    def _provenance(self) -> Iterator[Finding]:
        is_duplicate = self.record_status is RecordStatus.DUPLICATE
        if is_duplicate and self.duplicate_of is None:
            yield error(
                "record.duplicate_of_missing",
                "a record marked as a duplicate must name the record it duplicates",
                "/record_status",
            )
        elif not is_duplicate and self.duplicate_of is not None:
            yield error(
                "record.duplicate_of_unexpected",
                "duplicate_of is given but the record status is not duplicate",
                "/duplicate_of",
            )
        if self.duplicate_of is not None and self.duplicate_of == self.record_id:
            yield error("record.duplicate_of_self", "a record cannot duplicate itself", "/duplicate_of")

    def _affected_persons(self) -> Iterator[Finding]:
        seen: set[str] = set()
        for index, person in enumerate(self.affected_persons or ()):
            pointer = f"/affected_persons/{index}/person_ref"
            if person.person_ref == self.survivor.survivor_ref:
                yield error(
                    "affected.is_survivor",
                    "an affected person has the survivor's own reference: the survivor is recorded once",
                    pointer,
                )
            if person.person_ref in seen:
                yield error("affected.duplicate_ref", "two affected persons share a reference", pointer)
            seen.add(person.person_ref)

    def _dates_within_record(self) -> Iterator[Finding]:
        last_day = self.updated_at.date()
        for index, incident in enumerate(self.incidents):
            if incident.incident_date.first_day() > last_day:
                yield error(
                    "incident.after_record",
                    "the incident starts after the record was last updated",
                    f"/incidents/{index}/incident_date/start",
                )
            if incident.reported_on is not None and incident.reported_on > last_day:
                yield error(
                    "incident.reported_after_record",
                    "the incident is reported after the record was last updated",
                    f"/incidents/{index}/reported_on",
                )
        for index, consent in enumerate(self.consents or ()):
            if consent.given_on > last_day:
                yield error(
                    "consent.after_record",
                    "a consent is dated after the record was last updated",
                    f"/consents/{index}/given_on",
                )

    def first_incident_day(self) -> date:
        """The latest day on which the earliest incident can have started (bounds the survivor's age)."""
        return min(incident.incident_date.first_day() for incident in self.incidents)

    def may_be_child_on(self, day: date) -> bool:
        """True when the survivor may have been under 18 on ``day``, given the recorded age.

        Without a recorded age nothing is known and this is False; the question is then the case
        worker's, not the data's.
        """
        age = self.survivor.age_at_first_incident
        if age is None:
            return False
        whole_years_since = max(0, day.year - self.first_incident_day().year - 1)
        return age.youngest_possible() + whole_years_since < ADULT_AGE

    def _consents_of_children(self) -> Iterator[Finding]:
        for index, consent in enumerate(self.consents or ()):
            if (
                consent.granted
                and consent.given_by is ConsentGivenBy.SELF
                and consent.guardian_exception is None
                and self.may_be_child_on(consent.given_on)
            ):
                yield error(
                    "consent.minor_needs_guardian",
                    "the survivor may have been a child when consenting: consent must be given by a parent "
                    "or guardian, or the reason it is not must be recorded",
                    f"/consents/{index}/given_by",
                )

    def _references(self) -> Iterator[Finding]:
        incident_ids = {incident.incident_id for incident in self.incidents}
        for p_index, proceeding in enumerate(self.proceedings or ()):
            for i_index, ref in enumerate(proceeding.incident_ids):
                if ref not in incident_ids:
                    yield error(
                        "proceeding.unknown_incident_ref",
                        "a proceeding refers to an incident that this record does not contain",
                        f"/proceedings/{p_index}/incident_ids/{i_index}",
                    )
        for c_index, claim in enumerate(self.reparations or ()):
            for i_index, ref in enumerate(claim.incident_ids or ()):
                if ref not in incident_ids:
                    yield error(
                        "reparation.unknown_incident_ref",
                        "a reparation claim refers to an incident that this record does not contain",
                        f"/reparations/{c_index}/incident_ids/{i_index}",
                    )
        for r_index, referral in enumerate(self.referrals or ()):
            if referral.to_organisation == self.source_organisation:
                continue
            if not any(
                consent.covers(ConsentPurpose.REFERRAL, referral.to_organisation, None)
                and consent.holds_on(referral.referred_on)
                for consent in self.consents or ()
            ):
                yield warning(
                    "referral.without_consent",
                    "no referral consent naming the receiving organisation held on the referral day",
                    f"/referrals/{r_index}",
                )

    def consents_for(self, purpose: ConsentPurpose, organisation: str, on: date) -> list[Consent]:
        """The granted consents for ``purpose`` to ``organisation`` in force on ``on``."""
        return [c for c in self.consents or () if c.covers(purpose, organisation, None) and c.holds_on(on)]
