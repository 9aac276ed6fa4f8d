"""Alleged perpetrators of an incident: who they were, never who they are by name."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    Country,
    IdentificationBasis,
    IdentificationConfidence,
    InvolvementDegree,
    MilitaryRankCategory,
    PartyToConflict,
    PerpetratorAgeGroup,
    PerpetratorCategory,
    PerpetratorRelationship,
    Sex,
)
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import (
    AcceptWholeFloat,
    LocalId,
    NonEmptyList,
    NoNull,
    PseudonymousRef,
    ShortText,
    codelist,
)
from crsvdata.models.extensions import Extensions, ExternalIdentifiers

PerpetratorCount = Annotated[int, Field(ge=1, le=1000), AcceptWholeFloat]

MILITARY_UNIT_PATTERN = r"^[0-9]{5}$"
MilitaryUnitNumber = Annotated[
    str,
    Field(
        pattern=MILITARY_UNIT_PATTERN,
        description="The five-digit number of a military unit (в/ч, військова частина), e.g. 00001.",
        examples=["00001"],
    ),
]


class Perpetrator(CrsvModel):
    """One alleged perpetrator or group of perpetrators acting together.

    Names of perpetrators belong to the investigation's own systems, not to shared case data; this model
    only says whether they were identified.
    """

    perpetrator_id: LocalId
    extensions: Annotated[Extensions | None, NoNull] = None
    external_identifiers: Annotated[ExternalIdentifiers | None, NoNull] = None
    category: Annotated[PerpetratorCategory | None, NoNull] = codelist(
        "perpetrator_category", "The kind of actor (armed forces, detention staff, ...).", default=None
    )
    affiliation_state: Annotated[Country | None, NoNull] = codelist(
        "country", "The state the perpetrator acted for or was affiliated with (ISO 3166-1).", default=None
    )
    number: Annotated[PerpetratorCount | None, NoNull] = Field(
        default=None, description="How many perpetrators this entry stands for."
    )
    sex: Annotated[Sex | None, NoNull] = codelist("sex", "Sex of the perpetrator(s).", default=None)
    identified: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the perpetrator has been identified by investigators."
    )
    perpetrator_ref: Annotated[PseudonymousRef | None, NoNull] = Field(
        default=None,
        description=(
            "A pseudonymous reference to the same perpetrator across incidents and records, chosen by the "
            "organisation that holds the investigation's identity data; exported only as a keyed pseudonym."
        ),
    )
    party_to_conflict: Annotated[PartyToConflict | None, NoNull] = codelist(
        "party_to_conflict", "The party to the armed conflict the perpetrator acted for.", default=None
    )
    nationality: Annotated[Country | None, NoNull] = codelist(
        "country", "The perpetrator's nationality, distinct from the affiliation State.", default=None
    )
    unit_number: Annotated[MilitaryUnitNumber | None, NoNull] = Field(
        default=None, description="The military unit number (в/ч) the perpetrator belonged to."
    )
    unit_name: Annotated[ShortText | None, NoNull] = Field(
        default=None, description="The name of the unit or formation, as identified (no personal names)."
    )
    rank: Annotated[MilitaryRankCategory | None, NoNull] = codelist(
        "military_rank_category", "The category of the perpetrator's rank.", default=None
    )
    age_group: Annotated[PerpetratorAgeGroup | None, NoNull] = codelist(
        "perpetrator_age_group", "The perpetrator's age group (GBVIMS).", default=None
    )
    minor: Annotated[bool | None, NoNull] = Field(
        default=None,
        description="True when the perpetrator was under 18, false when an adult (GBVIMS age type).",
    )
    relationship: Annotated[PerpetratorRelationship | None, NoNull] = codelist(
        "perpetrator_relationship", "The perpetrator's relationship to the survivor (GBVIMS).", default=None
    )
    primary: Annotated[bool | None, NoNull] = Field(
        default=None, description="True for a primary perpetrator, false for a secondary one (GBVIMS)."
    )
    identification_basis: Annotated[NonEmptyList[IdentificationBasis] | None, NoNull] = codelist(
        "identification_basis",
        "What the identification rests on (uniform, call-sign, photo, ...).",
        default=None,
    )
    identification_confidence: Annotated[IdentificationConfidence | None, NoNull] = codelist(
        "identification_confidence", "How confident the identification is.", default=None
    )
    involvement: Annotated[NonEmptyList[InvolvementDegree] | None, NoNull] = codelist(
        "involvement_degree",
        "How the perpetrator took part (did it, ordered it, was present, ...).",
        default=None,
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "perpetrator.identified_without_category",
            "perpetrator.age_group_contradicts_minor",
            "perpetrator.confidence_without_basis",
        }
    )

    json_rule = rules.perpetrator_rules
