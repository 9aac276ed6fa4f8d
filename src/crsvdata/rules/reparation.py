"""The rules of a reparation claim, of its Law No. 4067-IX application and of an amount of money."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from crsvdata.codes import load as load_codelist
from crsvdata.findings import Finding, Severity

# From the code list (it refuses an unknown code), not the generated enums, which cost ~20 ms to import.
_PROGRAMMES: Final = load_codelist("reparation_programme")
LAW_4067_PROGRAMME_CODES: Final = frozenset(
    _PROGRAMMES.get(code).code for code in ("ua_law_4067_ix_status", "ua_law_4067_ix_interim_reparation")
)
"""The ``reparation_programme`` codes a Law No. 4067-IX application belongs to."""
RD4U_PROGRAMME_CODE: Final = _PROGRAMMES.get("rd4u_claim").code


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def money_rules(money: Mapping[str, Any]) -> list[Finding]:
    """The findings of one amount of money (its JSON form), with pointers relative to it."""
    found: list[Finding] = []
    if Decimal(money["amount"]) <= 0:
        found.append(_error("amount.not_positive", "an amount must be greater than zero", "/amount"))
    return found


def law_4067_application_rules(application: Mapping[str, Any]) -> list[Finding]:
    """The findings of one Law No. 4067-IX application (its JSON form)."""
    found: list[Finding] = []
    decision_on = application.get("decision_on")
    if decision_on is not None and decision_on < application["submitted_on"]:
        found.append(
            _error(
                "reparation.law_4067_decision_before_application",
                "the commission's decision is dated before the application",
                "/decision_on",
            )
        )
    if (
        application.get("state_register_entry_on") is not None
        and application.get("state_register_entry") is not True
    ):
        found.append(
            _error(
                "reparation.law_4067_register_date_without_entry",
                "a State Register entry date is given but the entry is not recorded as made",
                "/state_register_entry_on",
            )
        )
    return found


def reparation_claim_rules(claim: Mapping[str, Any]) -> list[Finding]:
    """The findings of one reparation claim (its JSON form), with pointers relative to the claim."""
    found: list[Finding] = []
    programme = claim["programme"]
    if claim.get("rd4u_categories") is not None and programme != RD4U_PROGRAMME_CODE:
        found.append(
            _error(
                "reparation.rd4u_categories_outside_rd4u",
                "RD4U categories belong only to a claim to the Register of Damage",
                "/rd4u_categories",
            )
        )
    if claim.get("law_4067_application") is not None and programme not in LAW_4067_PROGRAMME_CODES:
        found.append(
            _error(
                "reparation.law_4067_outside_programme",
                "a Law No. 4067-IX application belongs only to a claim under that law",
                "/law_4067_application",
            )
        )
    decision_on = claim.get("decision_on")
    if decision_on is not None and decision_on < claim["submitted_on"]:
        found.append(
            _error(
                "reparation.decision_before_submission",
                "the decision is dated before the claim",
                "/decision_on",
            )
        )
    for index, payment in enumerate(claim.get("payments") or ()):
        pointer = f"/payments/{index}/paid_on"
        if decision_on is None:
            found.append(
                _error(
                    "reparation.payment_without_decision", "a payment is recorded without a decision", pointer
                )
            )
        elif payment["paid_on"] < decision_on:
            found.append(
                _error(
                    "reparation.payment_before_decision", "a payment is dated before the decision", pointer
                )
            )
    return found
