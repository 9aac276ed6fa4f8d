"""The anonymised case record: what a record-level export profile may let out, and nothing else.

It is a different type from ``CaseRecord`` on purpose: it has no field for a name, a document number, a
phone, an address or a raw narrative, and every quasi-identifier is in its generalised form (an age
range, a period, an area code). Which of its optional fields are filled is decided by the export profile
(its allow-list); this model and its published schema bound what any profile can ever emit.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Field

from crsvdata.codes.enums import (
    AbductionStatus,
    AffectedPersonRole,
    ArmedConflictClassification,
    ChildSeparationStatus,
    ConflictNexusIndicator,
    Country,
    CriminalCodeArticle,
    DetentionFacilityType,
    Disability,
    DisplacementStage,
    DisplacementStatus,
    Ethnicity,
    FormOfViolence,
    GbvimsCoreType,
    IdentificationBasis,
    IdentificationConfidence,
    IncidentContext,
    InvolvementDegree,
    Jurisdiction,
    MaritalStatus,
    MilitaryRankCategory,
    PartyToConflict,
    PerpetratorAgeGroup,
    PerpetratorCategory,
    PerpetratorRelationship,
    PlaceType,
    ProceedingStage,
    ReferralOutcome,
    Religion,
    ReparationForm,
    ReparationProgramme,
    ReparationStatus,
    ServiceSector,
    Sex,
    SurvivorStatus,
    TerritoryControlStatus,
    TimeOfDay,
    VerificationStatus,
)
from crsvdata.geography import UaSubdivisionCode
from crsvdata.identifiers import ErdrNumber
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import (
    AcceptWholeFloat,
    LocalId,
    NonEmptyList,
    NoNull,
    OrganisationCode,
    codelist,
    document_marker,
)
from crsvdata.models.perpetrator import MilitaryUnitNumber
from crsvdata.models.reparation import Money
from crsvdata.version import RecordStandardVersion

__all__ = [
    "AgeRange",
    "AnonymisedAct",
    "AnonymisedCaseRecord",
    "AnonymisedIncident",
    "AnonymisedPayment",
    "AnonymisedPerpetrator",
    "AnonymisedPlace",
    "AnonymisedProceeding",
    "AnonymisedReparation",
    "AnonymisedService",
    "AnonymisedSurvivor",
]

TOKEN_PATTERN: Final = r"^p[su]1\.[a-z0-9][a-z0-9-]{0,15}\.[a-z][a-z0-9_]{0,19}\.[A-Z2-7]{26}$"
"""A keyed pseudonym ``p<s|u>1.<key id>.<kind>.<26 base32 characters>`` (crsvdata.anonymise)."""
_PERIOD_PART = r"(19|20)[0-9]{2}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"
PERIOD_PATTERN = f"^{_PERIOD_PART}(/{_PERIOD_PART})?$"
AREA_PATTERN = r"^UA[0-9]{4}([0-9]{3}([0-9]{3})?)?$"
PROFILE_NAME_PATTERN = r"^[a-z][a-z0-9_]{1,31}$"
VERSION_PATTERN = r"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$"

Token = Annotated[
    str,
    Field(
        pattern=TOKEN_PATTERN,
        description=(
            "A pseudonym: 'ps1' (keyed, linkable within the recipient's domain) or 'pu1' (random, "
            "unlinkable), the key id, the kind of value, and 26 base32 characters. It cannot be reversed "
            "without the key, which never leaves the exporting organisation."
        ),
        examples=["ps1.k2026a.survivor.5J3QKXW2M7RTAZ4N6PBVY2D3EF"],
    ),
]
Period = Annotated[
    str,
    Field(
        pattern=PERIOD_PATTERN,
        description=(
            "A generalised date: a year (2022), a quarter (2022-Q1), a month (2022-03) or a day "
            "(2022-03-14), or a range of two of them separated by '/'."
        ),
        examples=["2022-03", "2022-Q1/2022-Q2"],
    ),
]
AreaCode = Annotated[
    str,
    Field(
        pattern=AREA_PATTERN,
        description=(
            "OCHA p-code prefix cut from the KATOTTH code: raion (UA + 4 digits), hromada (+3) or "
            "settlement (+3 more)."
        ),
        examples=["UA6506"],
    ),
]
Years = Annotated[int, Field(ge=0, le=120), AcceptWholeFloat]


class AgeRange(CrsvModel):
    """An age at the first incident, generalised to a range; an open range means 'and over'.

    Exports only write ranges with ``min_years <= max_years`` (the generalisation hierarchies are tested
    for it); the model checks structure only, like its published schema.
    """

    min_years: Years = Field(description="The youngest age in the range (completed years).")
    max_years: Annotated[Years | None, NoNull] = Field(
        default=None, description="The oldest age in the range; absent for an open (top-coded) range."
    )


class AnonymisedPlace(CrsvModel):
    """Where an incident happened, no more precisely than the profile allows."""

    country: Country = codelist("country", "Country (ISO 3166-1 alpha-2).")
    subdivision: Annotated[UaSubdivisionCode | None, NoNull] = codelist(
        "ua_subdivision", "Oblast, Crimea, Kyiv or Sevastopol (ISO 3166-2:UA).", default=None
    )
    area: Annotated[AreaCode | None, NoNull] = None


class AnonymisedAct(CrsvModel):
    """One form of sexual violence suffered in the incident."""

    form: FormOfViolence = codelist("form_of_violence", "The form of sexual violence.")
    repeated: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when this form was suffered more than once in the incident."
    )
    perpetrator_ids: Annotated[NonEmptyList[LocalId] | None, NoNull] = Field(
        default=None, description="The perpetrators of this incident who committed this act."
    )


class AnonymisedPerpetrator(CrsvModel):
    """An alleged perpetrator, described by category only."""

    perpetrator_id: LocalId
    category: Annotated[PerpetratorCategory | None, NoNull] = codelist(
        "perpetrator_category", "The kind of actor.", default=None
    )
    affiliation_state: Annotated[Country | None, NoNull] = codelist(
        "country", "The state the perpetrator acted for (ISO 3166-1).", default=None
    )
    number: Annotated[Annotated[int, Field(ge=1, le=1000), AcceptWholeFloat] | None, NoNull] = Field(
        default=None, description="How many perpetrators this entry stands for."
    )
    sex: Annotated[Sex | None, NoNull] = codelist("sex", "Sex of the perpetrator(s).", default=None)
    identified: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the perpetrator has been identified by investigators."
    )
    perpetrator_ref: Annotated[Token | None, NoNull] = Field(
        default=None, description="The keyed pseudonym of the perpetrator's cross-record reference."
    )
    party_to_conflict: Annotated[PartyToConflict | None, NoNull] = codelist(
        "party_to_conflict", "The party to the armed conflict the perpetrator acted for.", default=None
    )
    nationality: Annotated[Country | None, NoNull] = codelist(
        "country", "The perpetrator's nationality.", default=None
    )
    unit_number: Annotated[MilitaryUnitNumber | None, NoNull] = Field(
        default=None, description="The military unit number (в/ч); only profiles that list it carry it."
    )
    rank: Annotated[MilitaryRankCategory | None, NoNull] = codelist(
        "military_rank_category", "The category of the perpetrator's rank.", default=None
    )
    age_group: Annotated[PerpetratorAgeGroup | None, NoNull] = codelist(
        "perpetrator_age_group", "The perpetrator's age group.", default=None
    )
    minor: Annotated[bool | None, NoNull] = Field(
        default=None, description="True for a perpetrator under 18."
    )
    relationship: Annotated[PerpetratorRelationship | None, NoNull] = codelist(
        "perpetrator_relationship", "The perpetrator's relationship to the survivor.", default=None
    )
    primary: Annotated[bool | None, NoNull] = Field(
        default=None, description="True for a primary perpetrator, false for a secondary one."
    )
    identification_basis: Annotated[NonEmptyList[IdentificationBasis] | None, NoNull] = codelist(
        "identification_basis", "What the identification rests on.", default=None
    )
    identification_confidence: Annotated[IdentificationConfidence | None, NoNull] = codelist(
        "identification_confidence", "How confident the identification is.", default=None
    )
    involvement: Annotated[NonEmptyList[InvolvementDegree] | None, NoNull] = codelist(
        "involvement_degree", "How the perpetrator took part.", default=None
    )


class AnonymisedIncident(CrsvModel):
    """An incident with generalised date and place, and the narrative only if redacted and allowed."""

    incident_ref: Annotated[LocalId | None, NoNull] = Field(
        default=None, description="The incident's identifier within its record (e.g. inc-1)."
    )
    period: Annotated[Period | None, NoNull] = None
    reported_period: Annotated[Period | None, NoNull] = None
    place: Annotated[AnonymisedPlace | None, NoNull] = Field(
        default=None, description="Where the incident happened, generalised."
    )
    control_status: Annotated[TerritoryControlStatus | None, NoNull] = codelist(
        "territory_control_status", "Who controlled the territory on the incident date.", default=None
    )
    contexts: Annotated[NonEmptyList[IncidentContext] | None, NoNull] = codelist(
        "incident_context", "The settings of the incident.", default=None
    )
    acts: Annotated[NonEmptyList[AnonymisedAct] | None, NoNull] = Field(
        default=None, description="The forms of sexual violence suffered."
    )
    perpetrators: Annotated[NonEmptyList[AnonymisedPerpetrator] | None, NoNull] = Field(
        default=None, description="The alleged perpetrators, by category."
    )
    conflict_nexus: Annotated[NonEmptyList[ConflictNexusIndicator] | None, NoNull] = codelist(
        "conflict_nexus_indicator", "What links the violence to the armed conflict.", default=None
    )
    place_type: Annotated[PlaceType | None, NoNull] = codelist(
        "place_type", "The kind of place of the incident.", default=None
    )
    time_of_day: Annotated[TimeOfDay | None, NoNull] = codelist(
        "time_of_day", "The time of day of the incident.", default=None
    )
    displacement_stage: Annotated[DisplacementStage | None, NoNull] = codelist(
        "displacement_stage", "The survivor's stage of displacement at the incident.", default=None
    )
    abduction_status: Annotated[AbductionStatus | None, NoNull] = codelist(
        "abduction_status", "Whether and how the survivor was abducted.", default=None
    )
    goods_or_money_exchanged: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when money, goods, benefits or services were exchanged."
    )
    previous_incidents: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the survivor reports earlier incidents."
    )
    detention_facility_type: Annotated[DetentionFacilityType | None, NoNull] = codelist(
        "detention_facility_type", "The kind of place of deprivation of liberty.", default=None
    )
    conflict_classification: Annotated[ArmedConflictClassification | None, NoNull] = codelist(
        "armed_conflict_classification", "International or non-international armed conflict.", default=None
    )
    gbvims_type: Annotated[GbvimsCoreType | None, NoNull] = codelist(
        "gbvims_core_type", "The GBVIMS core type of the incident.", default=None
    )
    verification_status: Annotated[VerificationStatus | None, NoNull] = codelist(
        "verification_status", "How far the information has been verified.", default=None
    )
    narrative_redacted: Annotated[str | None, NoNull] = Field(
        default=None,
        min_length=1,
        max_length=20000,
        description=(
            "The narrative after redaction: the survivor's own names, address, phones and document "
            "numbers, then detected identifiers, replaced by typed placeholders such as [NAME]. Only "
            "profiles that allow it carry it."
        ),
    )


class AnonymisedSurvivor(CrsvModel):
    """The survivor, by pseudonym and coarse attributes."""

    survivor_ref: Annotated[Token | None, NoNull] = None
    sex: Annotated[Sex | None, NoNull] = codelist("sex", "Sex of the survivor.", default=None)
    age: Annotated[AgeRange | None, NoNull] = Field(
        default=None, description="Age at the first incident, generalised to a range."
    )
    status: Annotated[SurvivorStatus | None, NoNull] = codelist(
        "survivor_status", "Civilian, prisoner of war or civilian detainee.", default=None
    )
    role: Annotated[AffectedPersonRole | None, NoNull] = codelist(
        "affected_person_role", "Direct victim, witness or family member.", default=None
    )
    displacement_status: Annotated[DisplacementStatus | None, NoNull] = codelist(
        "displacement_status", "Displacement status when the case was recorded.", default=None
    )
    disabilities: Annotated[NonEmptyList[Disability] | None, NoNull] = codelist(
        "disability", "Functional difficulties (Washington Group domains).", default=None
    )
    nationality: Annotated[Country | None, NoNull] = codelist(
        "country", "Nationality (ISO 3166-1 alpha-2).", default=None
    )
    ethnicity: Annotated[Ethnicity | None, NoNull] = codelist(
        "ethnicity", "Ethnic affiliation, only where a profile counts it as a quasi-identifier.", default=None
    )
    religion: Annotated[Religion | None, NoNull] = codelist(
        "religion",
        "Religious affiliation, only where a profile counts it as a quasi-identifier.",
        default=None,
    )
    country_of_origin: Annotated[Country | None, NoNull] = codelist(
        "country", "Country of origin, only where a profile counts it as a quasi-identifier.", default=None
    )
    marital_status: Annotated[MaritalStatus | None, NoNull] = codelist(
        "marital_status",
        "Marital status, only where a profile counts it as a quasi-identifier.",
        default=None,
    )
    child_separation: Annotated[ChildSeparationStatus | None, NoNull] = codelist(
        "child_separation_status",
        "Unaccompanied or separated child, only where a profile counts it as a quasi-identifier.",
        default=None,
    )


class AnonymisedProceeding(CrsvModel):
    """A criminal proceeding about incidents of the record."""

    proceeding_ref: LocalId
    jurisdiction: Jurisdiction = codelist("jurisdiction", "Where the proceeding runs.")
    erdr_number: Annotated[ErdrNumber | None, NoNull] = None
    registered: Annotated[Period | None, NoNull] = None
    stage: ProceedingStage = codelist("proceeding_stage", "The stage the proceeding has reached.")
    stage_period: Annotated[Period | None, NoNull] = None
    articles: Annotated[NonEmptyList[CriminalCodeArticle] | None, NoNull] = codelist(
        "criminal_code_article", "Articles of the Criminal Code of Ukraine.", default=None
    )
    incident_refs: Annotated[NonEmptyList[LocalId] | None, NoNull] = Field(
        default=None, description="The incidents of this record the proceeding covers."
    )


class AnonymisedPayment(CrsvModel):
    """A payment made under a claim."""

    paid: Annotated[Period | None, NoNull] = None
    amount: Annotated[Money | None, NoNull] = Field(default=None, description="The amount paid.")


class AnonymisedReparation(CrsvModel):
    """A reparation claim and what became of it."""

    claim_ref: LocalId
    programme: ReparationProgramme = codelist("reparation_programme", "The programme of the claim.")
    status: ReparationStatus = codelist("reparation_status", "Where the claim stands.")
    submitted: Annotated[Period | None, NoNull] = None
    decided: Annotated[Period | None, NoNull] = None
    forms: Annotated[NonEmptyList[ReparationForm] | None, NoNull] = codelist(
        "reparation_form", "The forms of reparation claimed or granted.", default=None
    )
    awarded: Annotated[Money | None, NoNull] = Field(default=None, description="The amount awarded.")
    payments: Annotated[NonEmptyList[AnonymisedPayment] | None, NoNull] = Field(
        default=None, description="Payments made under the claim."
    )


class AnonymisedService(CrsvModel):
    """A service the survivor was referred to, without organisations or dates."""

    sector: ServiceSector = codelist("service_sector", "The kind of service.")
    outcome: Annotated[ReferralOutcome | None, NoNull] = codelist(
        "referral_outcome", "What came of the referral.", default=None
    )


class AnonymisedCaseRecord(CrsvModel):
    """One case record after an export profile: pseudonymised, minimised and generalised.

    No field can hold a name, a document number, a phone, an e-mail or an address; the narrative is only
    ever the redacted one. ``profile`` and ``profile_version`` say which allow-list made it.
    """

    document_type: Literal["anonymised-case-record"] = document_marker("anonymised-case-record")
    standard_version: RecordStandardVersion = Field(
        description="The version of the crsvdata standard (major.minor)."
    )
    profile: Annotated[
        str, Field(pattern=PROFILE_NAME_PATTERN, description="The export profile that made this record.")
    ]
    profile_version: Annotated[
        str, Field(pattern=VERSION_PATTERN, description="The version of that export profile.")
    ]
    record_ref: Annotated[Token | None, NoNull] = None
    source_organisation: Annotated[OrganisationCode | None, NoNull] = None
    survivor: Annotated[AnonymisedSurvivor | None, NoNull] = Field(
        default=None, description="The survivor, by pseudonym and coarse attributes."
    )
    incidents: Annotated[NonEmptyList[AnonymisedIncident] | None, NoNull] = Field(
        default=None, description="The incidents, generalised."
    )
    proceedings: Annotated[NonEmptyList[AnonymisedProceeding] | None, NoNull] = Field(
        default=None, description="Criminal proceedings (only in profiles for investigators)."
    )
    reparations: Annotated[NonEmptyList[AnonymisedReparation] | None, NoNull] = Field(
        default=None, description="Reparation claims (only in profiles for reparation bodies)."
    )
    services: Annotated[NonEmptyList[AnonymisedService] | None, NoNull] = Field(
        default=None, description="Services the survivor was referred to."
    )
