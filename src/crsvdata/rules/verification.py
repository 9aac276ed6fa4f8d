"""The rules of an incident's verification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from crsvdata.findings import Finding, Severity

VERIFIED_LEVELS: Final = frozenset({"verified_un", "verified_other"})
"""The ``verification_status`` codes of a concluded verification."""


def verification_rules(verification: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``verification`` (its JSON form)."""
    found: list[Finding] = []
    if verification["level"] in VERIFIED_LEVELS and verification.get("verified_on") is None:
        found.append(
            Finding(
                "verification.verified_without_date",
                Severity.ERROR,
                "a verified incident needs the day it was verified, which the reporting period counts",
                "/verified_on",
            )
        )
    return found
