"""An incident: one episode of violence, the unit prosecutors count."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    ArmedConflictClassification,
    ConfidentialityLevel,
    ConflictNexusIndicator,
    Country,
    GbvimsCoreType,
    IncidentContext,
    TerritoryControlStatus,
    VerificationStatus,
)
from crsvdata.dates import earliest, latest
from crsvdata.geography import KatotthCode, UaSubdivisionCode
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import LocalId, Narrative, NonEmptyList, NoNull, PartialDate, codelist
from crsvdata.models.act import Act
from crsvdata.models.circumstances import Circumstances
from crsvdata.models.consequence import Consequences, consequences_field
from crsvdata.models.extensions import Extensions, ExternalIdentifiers
from crsvdata.models.gbvims import gbvims_incident_type
from crsvdata.models.legal_qualification import LegalQualification
from crsvdata.models.perpetrator import Perpetrator
from crsvdata.models.verification import Verification


class IncidentDate(CrsvModel):
    """When an incident happened: a partial date, or a range of them, possibly estimated."""

    start: PartialDate
    end: Annotated[PartialDate | None, NoNull] = Field(
        default=None, description="The last day, month or year of an incident that lasted (e.g. detention)."
    )
    estimated: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the date is an estimate."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset({"date.range_reversed"})

    json_rule = rules.incident_date_rules

    def first_day(self) -> date:
        """The earliest day the incident can have started."""
        return earliest(self.start)

    def last_day(self) -> date:
        """The latest day the incident can have ended."""
        return latest(self.end if self.end is not None else self.start)


class Location(CrsvModel):
    """Where an incident happened, and who controlled the territory *at that time*."""

    country: Country = codelist("country", "Country (ISO 3166-1 alpha-2); UA for Ukraine, Crimea included.")
    subdivision: Annotated[UaSubdivisionCode | None, NoNull] = codelist(
        "ua_subdivision", "Oblast, Crimea, Kyiv or Sevastopol (ISO 3166-2:UA).", default=None
    )
    katotth: Annotated[KatotthCode | None, NoNull] = Field(
        default=None, description="The KATOTTH code of the most precise known unit (hromada, settlement...)."
    )
    control_status: TerritoryControlStatus = codelist(
        "territory_control_status",
        "Who controlled the territory on the incident date; never today's status for a past incident.",
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "location.katotth_subdivision_mismatch",
            "location.subdivision_outside_ukraine",
            "location.control_status_country_mismatch",
        }
    )

    json_rule = rules.location_rules


class Incident(CrsvModel):
    """One episode: when, where, in what context, what was done and by whom."""

    incident_id: LocalId
    extensions: Annotated[Extensions | None, NoNull] = None
    external_identifiers: Annotated[ExternalIdentifiers | None, NoNull] = None
    incident_date: IncidentDate
    reported_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day the incident was first reported to the recording organisation."
    )
    location: Location
    contexts: NonEmptyList[IncidentContext] = codelist(
        "incident_context", "The settings of the incident (occupation, detention or filtration, ...)."
    )
    acts: NonEmptyList[Act] = Field(description="The forms of sexual violence suffered; at least one.")
    perpetrators: Annotated[NonEmptyList[Perpetrator] | None, NoNull] = Field(
        default=None, description="The alleged perpetrators, when anything is known of them."
    )
    conflict_nexus: Annotated[NonEmptyList[ConflictNexusIndicator] | None, NoNull] = codelist(
        "conflict_nexus_indicator", "What links the violence to the armed conflict.", default=None
    )
    circumstances: Annotated[Circumstances | None, NoNull] = Field(
        default=None, description="Place type, time of day, displacement, abduction, exchange, detention."
    )
    conflict_classification: Annotated[ArmedConflictClassification | None, NoNull] = codelist(
        "armed_conflict_classification",
        "International or non-international armed conflict; international for the war against Ukraine.",
        default=None,
    )
    legal_qualifications: Annotated[NonEmptyList[LegalQualification] | None, NoNull] = Field(
        default=None, description="Candidate, charged or convicted qualifications of this incident."
    )
    gbvims_type: Annotated[GbvimsCoreType | None, NoNull] = codelist(
        "gbvims_core_type",
        "The one GBVIMS core type of the incident; must equal the type derived from the acts when one is.",
        default=None,
    )
    verification_status: Annotated[VerificationStatus | None, NoNull] = codelist(
        "verification_status", "How far the information has been verified.", default=None
    )
    confidentiality: Annotated[ConfidentialityLevel | None, NoNull] = codelist(
        "confidentiality_level", "A stricter level for this incident than the record's own.", default=None
    )
    narrative: Annotated[Narrative | None, NoNull] = None
    verification: Annotated[Verification | None, NoNull] = Field(
        default=None, description="How and by whom the incident was verified (MRM)."
    )
    consequences: Consequences = consequences_field()

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "incident.reported_before_incident",
            "incident.unknown_perpetrator_ref",
            "incident.duplicate_perpetrator_id",
            "incident.gbvims_type_mismatch",
            "qualification.conflict_mismatch",
            "qualification.unknown_perpetrator_ref",
        }
    )

    json_rule = rules.incident_rules

    def derived_gbvims_type(self) -> GbvimsCoreType | None:
        """The GBVIMS core type the acts amount to by the elimination order (None: no act has one)."""
        return gbvims_incident_type(act.form for act in self.acts)
