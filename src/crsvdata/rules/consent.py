"""The rules of one consent decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crsvdata.findings import Finding, Severity

NOT_RECORDED = "not_recorded"


def consent_rules(consent: Mapping[str, Any]) -> list[Finding]:
    """The findings of one consent (its JSON form), with pointers relative to the consent."""
    found: list[Finding] = []
    has_organisation = "recipient_organisation" in consent
    has_category = "recipient_category" in consent
    if not has_organisation and not has_category:
        found.append(
            Finding(
                "consent.recipient_missing",
                Severity.ERROR,
                "a consent must name a recipient organisation or category",
            )
        )
    elif has_organisation and has_category:
        found.append(
            Finding(
                "consent.recipient_ambiguous",
                Severity.ERROR,
                "a consent names either one organisation or one category, not both",
                "/recipient_category",
            )
        )
    granted = consent["granted"] is True
    method_missing = consent["method"] == NOT_RECORDED
    if granted and (method_missing or consent["given_by"] == NOT_RECORDED):
        found.append(
            Finding(
                "consent.grant_not_recorded",
                Severity.WARNING,
                "the grant is kept, but without a recorded method and giver it never authorises sharing",
                "/method" if method_missing else "/given_by",
            )
        )
    withdrawn_on = consent.get("withdrawn_on")
    if withdrawn_on is not None:
        if not granted:
            found.append(
                Finding(
                    "consent.withdrawn_not_granted",
                    Severity.ERROR,
                    "only a granted consent can be withdrawn",
                    "/withdrawn_on",
                )
            )
        if withdrawn_on < consent["given_on"]:
            found.append(
                Finding(
                    "consent.withdrawn_before_given",
                    Severity.ERROR,
                    "consent is withdrawn before it was given",
                    "/withdrawn_on",
                )
            )
    return found


def consent_recorded(consent: Mapping[str, Any]) -> bool:
    """False when the method or the giver is ``not_recorded``: such a grant never authorises sharing."""
    return bool(consent["method"] != NOT_RECORDED and consent["given_by"] != NOT_RECORDED)


def consent_holds_on(consent: Mapping[str, Any], day: str) -> bool:
    """True when the consent (JSON form) is granted, fully recorded and in force on ``day`` (YYYY-MM-DD)."""
    withdrawn_on = consent.get("withdrawn_on")
    return bool(
        consent["granted"] is True
        and consent_recorded(consent)
        and consent["given_on"] <= day
        and (withdrawn_on is None or day < withdrawn_on)
    )


def consent_covers(consent: Mapping[str, Any], purpose: str, organisation: str, category: str | None) -> bool:
    """True when the consent is for ``purpose`` and names this organisation or its category (or any)."""
    if consent["purpose"] != purpose:
        return False
    if "recipient_organisation" in consent:
        return bool(consent["recipient_organisation"] == organisation)
    return consent.get("recipient_category") in (category, "any")
