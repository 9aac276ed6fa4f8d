"""Referrals to services across the multi-sectoral response."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import ReferralOutcome, ServiceSector
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import LocalId, NoNull, OrganisationCode, codelist
from crsvdata.models.extensions import Extensions, ExternalIdentifiers


class Referral(CrsvModel):
    """A referral of the survivor from one organisation to a service of another."""

    referral_id: LocalId
    extensions: Annotated[Extensions | None, NoNull] = None
    external_identifiers: Annotated[ExternalIdentifiers | None, NoNull] = None
    sector: ServiceSector = codelist("service_sector", "The kind of service the survivor was referred to.")
    from_organisation: OrganisationCode
    to_organisation: OrganisationCode
    referred_on: date = Field(description="The day of the referral.")
    outcome: Annotated[ReferralOutcome | None, NoNull] = codelist(
        "referral_outcome", "What came of the referral, once known.", default=None
    )
    outcome_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day the outcome was known."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {"referral.outcome_before_referral", "referral.outcome_date_without_outcome"}
    )

    json_rule = rules.referral_rules
