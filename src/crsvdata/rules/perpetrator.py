"""The rules of one alleged perpetrator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from crsvdata.findings import Finding, Severity

MINOR_AGE_GROUPS: Final[Mapping[str, bool]] = {
    "age_0_11": True,
    "age_12_17": True,
    "age_18_25": False,
    "age_26_40": False,
    "age_41_60": False,
    "age_61_plus": False,
}
"""Whether a perpetrator of each age group (code) is a minor; ``unknown`` says nothing either way."""


def perpetrator_rules(perpetrator: Mapping[str, Any]) -> list[Finding]:
    """The findings of one perpetrator (its JSON form), with pointers relative to the perpetrator."""
    found: list[Finding] = []
    if perpetrator.get("identified") is True and perpetrator.get("category") in (None, "unknown"):
        found.append(
            Finding(
                "perpetrator.identified_without_category",
                Severity.ERROR,
                "an identified perpetrator needs a known category",
                "/category",
            )
        )
    minor = perpetrator.get("minor")
    expected_minor = MINOR_AGE_GROUPS.get(perpetrator.get("age_group", ""))
    if minor is not None and expected_minor is not None and expected_minor != minor:
        found.append(
            Finding(
                "perpetrator.age_group_contradicts_minor",
                Severity.ERROR,
                "the age group and the minor flag disagree",
                "/minor",
            )
        )
    has_basis = perpetrator.get("identification_basis") is not None
    if perpetrator.get("identification_confidence") is not None and not has_basis:
        found.append(
            Finding(
                "perpetrator.confidence_without_basis",
                Severity.ERROR,
                "a confidence in an identification needs the basis of the identification",
                "/identification_confidence",
            )
        )
    return found
