"""Reparation claims: the interim reparations pilot, Law 4067-IX, the RD4U register."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata.codes.enums import Currency, ReparationForm, ReparationProgramme, ReparationStatus
from crsvdata.findings import Finding
from crsvdata.models._base import CrsvModel, error
from crsvdata.models._types import DecimalAmount, LocalId, NonEmptyList, NoNull, codelist


class Money(CrsvModel):
    """An amount of money in an ISO 4217 currency."""

    amount: DecimalAmount
    currency: Currency = codelist("currency", "ISO 4217 currency code, e.g. EUR or UAH.")

    rule_codes: ClassVar[frozenset[str]] = frozenset({"amount.not_positive"})

    def rule_findings(self) -> Iterable[Finding]:
        if Decimal(self.amount) <= 0:
            yield error("amount.not_positive", "an amount must be greater than zero", "/amount")

    def value(self) -> Decimal:
        """The amount as a ``Decimal``."""
        return Decimal(self.amount)


class Payment(CrsvModel):
    """One payment made under a claim."""

    paid_on: date = Field(description="The day the payment was made.")
    amount: Money


class ReparationClaim(CrsvModel):
    """A claim or application for reparation, and what became of it."""

    claim_id: LocalId
    programme: ReparationProgramme = codelist(
        "reparation_programme", "The programme the claim was made under."
    )
    status: ReparationStatus = codelist("reparation_status", "Where the claim stands.")
    submitted_on: date = Field(description="The day the claim was submitted.")
    decision_on: Annotated[date | None, NoNull] = Field(default=None, description="The day of the decision.")
    forms: Annotated[NonEmptyList[ReparationForm] | None, NoNull] = codelist(
        "reparation_form", "The forms of reparation claimed or granted.", default=None
    )
    awarded: Annotated[Money | None, NoNull] = Field(default=None, description="The amount awarded, if any.")
    payments: Annotated[NonEmptyList[Payment] | None, NoNull] = Field(
        default=None, description="Payments made under the claim."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "reparation.decision_before_submission",
            "reparation.payment_before_decision",
            "reparation.payment_without_decision",
        }
    )

    def rule_findings(self) -> Iterable[Finding]:
        if self.decision_on is not None and self.decision_on < self.submitted_on:
            yield error(
                "reparation.decision_before_submission",
                "the decision is dated before the claim",
                "/decision_on",
            )
        for index, payment in enumerate(self.payments or ()):
            pointer = f"/payments/{index}/paid_on"
            if self.decision_on is None:
                yield error(
                    "reparation.payment_without_decision", "a payment is recorded without a decision", pointer
                )
            elif payment.paid_on < self.decision_on:
                yield error(
                    "reparation.payment_before_decision", "a payment is dated before the decision", pointer
                )
