"""The rules of a referral and of a report made elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crsvdata.findings import Finding, Severity


def referral_rules(referral: Mapping[str, Any]) -> list[Finding]:
    """The findings of one referral (its JSON form), with pointers relative to the referral."""
    found: list[Finding] = []
    outcome_on = referral.get("outcome_on")
    if outcome_on is None:
        return found
    if "outcome" not in referral:
        found.append(
            Finding(
                "referral.outcome_date_without_outcome",
                Severity.ERROR,
                "an outcome date is given without an outcome",
                "/outcome_on",
            )
        )
    if outcome_on < referral["referred_on"]:
        found.append(
            Finding(
                "referral.outcome_before_referral",
                Severity.ERROR,
                "the outcome is dated before the referral",
                "/outcome_on",
            )
        )
    return found


def reported_elsewhere_rules(report: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``reported_elsewhere`` entry (its JSON form)."""
    found: list[Finding] = []
    has_organisation = "to_organisation" in report
    has_category = "to_category" in report
    if not has_organisation and not has_category:
        found.append(
            Finding(
                "reported.recipient_missing",
                Severity.ERROR,
                "name the organisation or the category of body the case was reported to",
            )
        )
    elif has_organisation and has_category:
        found.append(
            Finding(
                "reported.recipient_ambiguous",
                Severity.ERROR,
                "name either one organisation or one category, not both",
                "/to_category",
            )
        )
    return found
