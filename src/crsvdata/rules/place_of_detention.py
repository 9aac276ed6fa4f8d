"""The rules of a place of detention."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crsvdata.dates import earliest, latest
from crsvdata.findings import Finding, Severity
from crsvdata.geography import check_katotth


def place_of_detention_rules(place: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``place_of_detention`` (its JSON form)."""
    found: list[Finding] = []
    katotth = place.get("katotth")
    if katotth is not None:
        found.extend(finding.under("/katotth") for finding in check_katotth(katotth))
    held_from = place.get("held_from")
    held_until = place.get("held_until")
    if held_from is not None and held_until is not None and latest(held_until) < earliest(held_from):
        found.append(
            Finding(
                "detention.period_reversed",
                Severity.ERROR,
                "the detention ends before it starts",
                "/held_until",
            )
        )
    return found
