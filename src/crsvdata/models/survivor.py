"""The survivor as case data knows them: by pseudonymous reference and a few coarse attributes."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    AffectedPersonRole,
    AgeBand,
    ChildSeparationStatus,
    Country,
    Disability,
    DisplacementStatus,
    Ethnicity,
    MaritalStatus,
    Religion,
    Sex,
    SurvivorStatus,
)
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import AcceptWholeFloat, NonEmptyList, NoNull, PseudonymousRef, codelist
from crsvdata.rules import ADULT_AGE as ADULT_AGE  # one definition, in the rules layer; kept importable here

AgeYears = Annotated[int, Field(ge=0, le=120), AcceptWholeFloat]


def age_band_limits(band: AgeBand) -> tuple[int, int | None]:
    """The inclusive lower and upper age of a band (upper ``None`` for an open top band)."""
    return rules.age_band_limits(band.value)


class Age(CrsvModel):
    """Age at the first incident: always a band, the exact years when known."""

    band: AgeBand = codelist("age_band", "The age band at the first incident.")
    years: Annotated[AgeYears | None, NoNull] = Field(
        default=None, description="Exact age in completed years at the first incident."
    )
    estimated: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the age is an estimate; absent when it is not."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset({"age.band_mismatch"})

    json_rule = rules.age_rules

    def youngest_possible(self) -> int:
        """The lowest age consistent with what is recorded."""
        return self.years if self.years is not None else age_band_limits(self.band)[0]


class Survivor(CrsvModel):
    """The person the case is about, referred to only by a pseudonymous reference."""

    survivor_ref: PseudonymousRef
    sex: Sex = codelist("sex", "Sex of the survivor as recorded by the survivor or case worker.")
    age_at_first_incident: Annotated[Age | None, NoNull] = Field(
        default=None, description="Age at the first incident in this record."
    )
    status: SurvivorStatus = codelist(
        "survivor_status",
        "Status at the time of the incidents: civilian, prisoner of war, civilian detainee.",
    )
    role: AffectedPersonRole = codelist(
        "affected_person_role",
        "Whether the person is a direct victim, a witness or a family member (Law 4067-IX).",
    )
    displacement_status: Annotated[DisplacementStatus | None, NoNull] = codelist(
        "displacement_status", "Displacement status when the case was recorded.", default=None
    )
    disabilities: Annotated[NonEmptyList[Disability] | None, NoNull] = codelist(
        "disability", "Functional difficulties (Washington Group domains), when recorded.", default=None
    )
    nationality: Annotated[Country | None, NoNull] = codelist(
        "country", "Nationality (ISO 3166-1 alpha-2).", default=None
    )
    # Each of the following is a quasi-identifier (and ethnicity and religion are special-category data):
    # the anonymiser's field table counts them in the risk model, and no profile lets them out raw.
    ethnicity: Annotated[Ethnicity | None, NoNull] = codelist(
        "ethnicity", "Ethnic affiliation as the survivor states it.", default=None
    )
    religion: Annotated[Religion | None, NoNull] = codelist(
        "religion", "Religious affiliation as the survivor states it.", default=None
    )
    country_of_origin: Annotated[Country | None, NoNull] = codelist(
        "country",
        "Country of origin (ISO 3166-1 alpha-2), when it differs from the nationality.",
        default=None,
    )
    marital_status: Annotated[MaritalStatus | None, NoNull] = codelist(
        "marital_status", "Civil or marital status when the case was recorded.", default=None
    )
    child_separation: Annotated[ChildSeparationStatus | None, NoNull] = codelist(
        "child_separation_status",
        "For a child survivor: unaccompanied, separated, or neither (GBVIMS).",
        default=None,
    )
