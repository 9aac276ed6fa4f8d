"""The rules of a place of detention."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from crsvdata.dates import earliest, latest
from crsvdata.findings import Finding, Severity
from crsvdata.geography import check_katotth


def place_of_detention_rules(place: Mapping[str, Any]) -> Iterator[Finding]:
    """The findings of one ``place_of_detention`` (its JSON form)."""
    katotth = place.get("katotth")
    if katotth is not None:
        yield from (finding.under("/katotth") for finding in check_katotth(katotth))
    held_from = place.get("held_from")
    held_until = place.get("held_until")
    if held_from is not None and held_until is not None and latest(held_until) < earliest(held_from):
        yield Finding(
            "detention.period_reversed", Severity.ERROR, "the detention ends before it starts", "/held_until"
        )
