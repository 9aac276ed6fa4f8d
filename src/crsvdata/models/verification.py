"""Verification of an incident as the MRM and the UN Secretary-General's report record it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import VerificationStatus
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import AcceptWholeFloat, NoNull, OrganisationCode, codelist

SourceCount = Annotated[int, Field(ge=0, le=100000), AcceptWholeFloat]

VERIFIED_LEVELS = frozenset(VerificationStatus(level) for level in rules.VERIFIED_LEVELS)


class Verification(CrsvModel):
    """Who verified an incident, when, and on how many sources.

    The UN Secretary-General's annual report on conflict-related sexual violence counts verified
    incidents by the period in which they were verified, so the day of verification is kept apart from
    the day of the incident.
    """

    level: VerificationStatus = codelist("verification_status", "How far the incident has been verified.")
    verified_by: Annotated[OrganisationCode | None, NoNull] = Field(
        default=None, description="The organisation that verified the incident."
    )
    verified_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day the verification was concluded (the reporting period counts it)."
    )
    primary_sources: Annotated[SourceCount | None, NoNull] = Field(
        default=None, description="How many primary sources (survivors, eyewitnesses) were consulted."
    )
    secondary_sources: Annotated[SourceCount | None, NoNull] = Field(
        default=None,
        description="How many secondary sources (documents, second-hand accounts) were consulted.",
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset({"verification.verified_without_date"})

    json_rule = rules.verification_rules
