"""Consent: per purpose, per recipient, and withdrawable."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    ConsentGivenBy,
    ConsentMethod,
    ConsentPurpose,
    GuardianConsentException,
    RecipientCategory,
)
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import LocalId, NoNull, OrganisationCode, codelist


class Consent(CrsvModel):
    """One decision of the survivor (or their guardian) about one purpose and one recipient.

    A consent names either one organisation or one category of recipients. A refusal is recorded as
    ``granted: false``, so that "asked and refused" differs from "never asked" (no consent entry).
    """

    consent_id: LocalId
    purpose: ConsentPurpose = codelist("consent_purpose", "What the data may be used for.")
    recipient_organisation: Annotated[OrganisationCode | None, NoNull] = None
    recipient_category: Annotated[RecipientCategory | None, NoNull] = codelist(
        "recipient_category",
        "The category of recipients, when no single organisation is named.",
        default=None,
    )
    granted: bool = Field(description="True when consent was given, false when it was refused.")
    given_on: date = Field(description="The day the decision was made.")
    method: ConsentMethod = codelist("consent_method", "How the decision was recorded.")
    given_by: ConsentGivenBy = codelist("consent_given_by", "Who made the decision.")
    guardian_exception: Annotated[GuardianConsentException | None, NoNull] = codelist(
        "guardian_consent_exception",
        "Why a child's own consent stands without a guardian's (e.g. the guardian is the alleged "
        "perpetrator).",
        default=None,
    )
    withdrawn_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day the consent was withdrawn; from then on it no longer holds."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "consent.recipient_missing",
            "consent.recipient_ambiguous",
            "consent.withdrawn_before_given",
            "consent.withdrawn_not_granted",
            "consent.grant_not_recorded",
        }
    )

    json_rule = rules.consent_rules

    @property
    def recorded(self) -> bool:
        """False when the method or the giver is ``not_recorded``: such a grant never authorises sharing.

        An importer from a system that keeps only "consent: yes" must not invent how and by whom it was
        given; the grant is kept as information, and the consent gate treats it as no grant at all.
        """
        return (
            self.method is not ConsentMethod.NOT_RECORDED and self.given_by is not ConsentGivenBy.NOT_RECORDED
        )

    def holds_on(self, day: date) -> bool:
        """True when this is a granted, fully recorded consent in force on ``day``."""
        return (
            self.granted
            and self.recorded
            and self.given_on <= day
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )

    def covers(self, purpose: ConsentPurpose, organisation: str, category: RecipientCategory | None) -> bool:
        """True when the consent is for ``purpose`` and names this organisation or its category (or any)."""
        if self.purpose is not purpose:
            return False
        if self.recipient_organisation is not None:
            return self.recipient_organisation == organisation
        return self.recipient_category in (category, RecipientCategory.ANY)
