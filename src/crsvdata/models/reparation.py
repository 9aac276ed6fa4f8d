"""Reparation claims: the interim reparations pilot, Law 4067-IX, the RD4U register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    Currency,
    Rd4uCategory,
    ReparationForm,
    ReparationProgramme,
    ReparationStatus,
)
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import DecimalAmount, LocalId, NonEmptyList, NoNull, codelist


class Money(CrsvModel):
    """An amount of money in an ISO 4217 currency."""

    amount: DecimalAmount
    currency: Currency = codelist("currency", "ISO 4217 currency code, e.g. EUR or UAH.")

    rule_codes: ClassVar[frozenset[str]] = frozenset({"amount.not_positive"})

    json_rule = rules.money_rules

    def value(self) -> Decimal:
        """The amount as a ``Decimal``."""
        return Decimal(self.amount)


class Payment(CrsvModel):
    """One payment made under a claim."""

    paid_on: date = Field(description="The day the payment was made.")
    amount: Money


CLAIM_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9/._-]{2,39}$"
ClaimNumber = Annotated[
    str,
    Field(
        pattern=CLAIM_NUMBER_PATTERN,
        description=(
            "The number the programme gave the claim (letters, digits, '/', '.', '_', '-'). It links the "
            "claim to the programme's file on the person, so no export profile lets it out."
        ),
        examples=["SYNTH-RD4U-000001"],
    ),
]
DecisionNumber = Annotated[
    str,
    Field(
        pattern=CLAIM_NUMBER_PATTERN,
        description="The number of the commission's decision; it identifies the person, so it never leaves.",
        examples=["SYNTH-4067-0001"],
    ),
]
LAW_4067_PROGRAMMES = frozenset(ReparationProgramme(code) for code in rules.LAW_4067_PROGRAMME_CODES)


class Law4067Application(CrsvModel):
    """An application under Law of Ukraine No. 4067-IX: the commission's decision and the State Register.

    The commission decides on the status of a person affected by sexual violence related to the armed
    aggression; information on recognised persons is entered in the State Register of persons affected
    by the armed aggression.
    """

    submitted_on: date = Field(description="The day the application was submitted to the commission.")
    decision_number: Annotated[DecisionNumber | None, NoNull] = None
    decision_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day of the commission's decision."
    )
    state_register_entry: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the person is entered in the State Register; false when not."
    )
    state_register_entry_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day of the entry in the State Register."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {"reparation.law_4067_decision_before_application", "reparation.law_4067_register_date_without_entry"}
    )

    json_rule = rules.law_4067_application_rules


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
    claim_number: Annotated[ClaimNumber | None, NoNull] = None
    rd4u_categories: Annotated[NonEmptyList[Rd4uCategory] | None, NoNull] = codelist(
        "rd4u_category", "The RD4U claim categories of the claim (A2.4 for sexual violence).", default=None
    )
    incident_ids: Annotated[NonEmptyList[LocalId] | None, NoNull] = Field(
        default=None, description="The incidents of this record the claim covers."
    )
    law_4067_application: Annotated[Law4067Application | None, NoNull] = Field(
        default=None, description="The application under Law No. 4067-IX, for a claim under that law."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "reparation.decision_before_submission",
            "reparation.payment_before_decision",
            "reparation.payment_without_decision",
            "reparation.rd4u_categories_outside_rd4u",
            "reparation.law_4067_outside_programme",
        }
    )

    json_rule = rules.reparation_claim_rules
