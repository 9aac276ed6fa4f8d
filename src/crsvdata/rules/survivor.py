"""The rules of a survivor's recorded age."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from crsvdata.codes import load as load_codelist
from crsvdata.findings import Finding, Severity

ADULT_AGE = 18
"""The age from which a survivor is an adult: the one definition every age rule and model uses."""


@cache
def _band_limits() -> Mapping[str, tuple[int, int | None]]:
    # Read once: the rule runs for every record, and scanning the code list per call was the cost.
    limits: dict[str, tuple[int, int | None]] = {}
    for row in load_codelist("age_band").rows:
        upper = row.extra.get("max_age") or ""
        limits[row.code] = (int(row.extra["min_age"]), int(upper) if upper else None)
    return limits


def age_band_limits(band: str) -> tuple[int, int | None]:
    """The inclusive lower and upper age of a band code (upper ``None`` for an open top band)."""
    return _band_limits()[band]


def age_rules(age: Mapping[str, Any]) -> list[Finding]:
    """The findings of an ``age_at_first_incident`` (its JSON form)."""
    found: list[Finding] = []
    years = age.get("years")
    if years is None:
        return found
    lower, upper = age_band_limits(age["band"])
    if years < lower or (upper is not None and years > upper):
        found.append(
            Finding(
                "age.band_mismatch", Severity.ERROR, "the exact age does not fall in the age band", "/years"
            )
        )
    return found
