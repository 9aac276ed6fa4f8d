"""Generalisation hierarchies: ages to bands, dates to month, quarter or year, places up the KATOTTH tree.

Every hierarchy here is a chain of levels, finest first, ending in ``suppressed`` (the value is left
out). Two properties hold for each and are property-tested:

* *containment*: the generalised value always contains the raw one (an age band contains the age, a
  month contains the day, a raion contains the hromada). ARX's widely copied age hierarchy breaks this
  (it files 5 under "0-4"), so band edges are computed, never typed by hand;
* *monotonicity*: each value at one level maps to exactly one value at every coarser level, so coarser
  levels never have more distinct values than finer ones.

Generalised values are JSON-ready (strings, dicts, ``None``): they are written into the anonymised record
as they are, and the disclosure check measures exactly what a recipient sees.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any, Final, Literal

from crsvdata.codes import load as load_codelist
from crsvdata.codes.enums import AgeBand
from crsvdata.dates import DatePrecision, partial_date_precision
from crsvdata.geography import (
    KatotthUnitLevel,
    PcodeLevel,
    generalise_katotth,
    iso_subdivision_for_katotth,
    katotth_exists,
    katotth_pcode,
)
from crsvdata.models import Age, IncidentDate, Location
from crsvdata.rules import ADULT_AGE

__all__ = [
    "AGE_LEVELS",
    "CATEGORICAL_LEVELS",
    "DATE_LEVELS",
    "PLACE_LEVELS",
    "AgeInterval",
    "age_interval",
    "gbvims_band_edges",
    "generalise_age",
    "generalise_category",
    "generalise_date",
    "generalise_partial_date",
    "generalise_period",
    "generalise_place",
    "period_bounds",
    "top_code",
]

AGE_LEVELS: Final = ("years", "band", "child_adult", "suppressed")
DATE_LEVELS: Final = ("day", "month", "quarter", "year", "suppressed")
PLACE_LEVELS: Final = ("settlement", "hromada", "raion", "oblast", "country", "suppressed")
CATEGORICAL_LEVELS: Final = ("value", "suppressed")

DateLevel = Literal["day", "month", "quarter", "year"]
AgeInterval = tuple[int, int | None]
"""Inclusive lower and upper age in years; upper ``None`` means "and over" (top-coded)."""

DEFAULT_TOP_CODE_AGE: Final = 80


# --- ages -------------------------------------------------------------------------------------------


@functools.cache
def gbvims_band_edges() -> tuple[int, ...]:
    """The lower edges of the ``age_band`` code list (GBVIMS bands), ascending: ``(0, 12, 18, ...)``."""
    return tuple(sorted(int(row.extra["min_age"]) for row in load_codelist("age_band").rows))


def age_interval(years: int, edges: Sequence[int]) -> AgeInterval:
    """The band of ``edges`` that contains ``years``: ``[edge_i, edge_{i+1} - 1]``, the last one open.

    ``edges`` are lower bounds, ascending, starting at or below ``years``; ValueError otherwise.
    """
    if years < 0:
        raise ValueError("an age cannot be negative")
    if not edges or list(edges) != sorted(set(edges)) or edges[0] > years:
        raise ValueError("band edges must be ascending, distinct and start at or below the age")
    index = max(i for i, edge in enumerate(edges) if edge <= years)
    upper = edges[index + 1] - 1 if index + 1 < len(edges) else None
    return edges[index], upper


def top_code(value: int, threshold: int) -> AgeInterval:
    """``value`` itself below ``threshold``, else the open interval ``threshold`` and over."""
    return (value, value) if value < threshold else (threshold, None)


def _band_limits(band: AgeBand) -> AgeInterval:
    row = load_codelist("age_band").get(band.value)
    upper = row.extra.get("max_age") or ""
    return int(row.extra["min_age"]), int(upper) if upper else None


def generalise_age(
    age: Age | None, level: str, top_code_at: int = DEFAULT_TOP_CODE_AGE
) -> AgeInterval | None:
    """The survivor's age at ``level`` of :data:`AGE_LEVELS`, or None (unknown or suppressed).

    ``years`` gives the exact age (top-coded at ``top_code_at``), or the band when only a band is known;
    ``band`` the GBVIMS band; ``child_adult`` 0-17 or 18 and over.
    """
    if age is None or level == "suppressed":
        return None
    if level == "years":
        if age.years is not None:
            return top_code(age.years, top_code_at)
        return _band_limits(age.band)
    if level == "band":
        if age.years is not None:
            return age_interval(age.years, gbvims_band_edges())
        return _band_limits(age.band)
    if level == "child_adult":
        lower = age.years if age.years is not None else _band_limits(age.band)[0]
        return (0, ADULT_AGE - 1) if lower < ADULT_AGE else (ADULT_AGE, None)
    raise ValueError(f"unknown age level {level!r}")


def age_json(interval: AgeInterval | None) -> dict[str, int] | None:
    """An age interval in the anonymised record's form (``min_years`` and, unless open, ``max_years``)."""
    if interval is None:
        return None
    lower, upper = interval
    return {"min_years": lower} if upper is None else {"min_years": lower, "max_years": upper}


# --- dates ------------------------------------------------------------------------------------------

_PRECISION_RANK: Final = {"day": 0, "month": 1, "quarter": 2, "year": 3}


def generalise_date(day: date, level: str) -> str | None:
    """``day`` truncated to ``level``: ``2024-03-17``, ``2024-03``, ``2024-Q1``, ``2024``, or None."""
    if level == "suppressed":
        return None
    if level == "day":
        return day.isoformat()
    if level == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if level == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if level == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown date level {level!r}")


def generalise_partial_date(value: str, level: str) -> str | None:
    """A partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) at ``level``, never finer than it was.

    A year stays a year at month level: generalisation never invents precision.
    """
    if level == "suppressed":
        return None
    precision = partial_date_precision(value)
    if precision is None:
        raise ValueError("not a partial date")
    own = {DatePrecision.DAY: "day", DatePrecision.MONTH: "month", DatePrecision.YEAR: "year"}[precision]
    effective = level if _PRECISION_RANK[level] >= _PRECISION_RANK[own] else own
    year = int(value[:4])
    month = int(value[5:7]) if own != "year" else 1
    day = int(value[8:10]) if own == "day" else 1
    return generalise_date(date(year, month, day), effective)


def generalise_period(incident_date: IncidentDate, level: str) -> str | None:
    """An incident date (a partial date or a range) at ``level``: ``2022-03`` or ``2022-03/2022-05``."""
    if level == "suppressed":
        return None
    start = generalise_partial_date(incident_date.start, level)
    if incident_date.end is None:
        return start
    end = generalise_partial_date(incident_date.end, level)
    return start if end == start else f"{start}/{end}"


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day a generalised period (or ``a/b`` range) stands for."""
    first, _, last = period.partition("/")
    return _one_period_bounds(first)[0], _one_period_bounds(last or first)[1]


def _one_period_bounds(text: str) -> tuple[date, date]:
    import calendar

    year = int(text[:4])
    if len(text) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    if text[5] == "Q":
        quarter = int(text[6])
        first_month, last_month = 3 * quarter - 2, 3 * quarter
        return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
    month = int(text[5:7])
    if len(text) == 7:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(text)
    return day, day


# --- places -----------------------------------------------------------------------------------------

_PCODE_LEVEL: Final[dict[str, PcodeLevel]] = {"settlement": 4, "hromada": 3, "raion": 2}
_UNIT_LEVEL: Final[dict[str, KatotthUnitLevel]] = {
    "settlement": "settlement",
    "hromada": "hromada",
    "raion": "raion",
}


def _strip_zero_groups(pcode: str) -> str:
    # generalise_katotth keeps zeros when the code is coarser than asked (OCHA's habit for Kyiv); the
    # anonymised record states only what is known, so trailing all-zero groups are cut off.
    groups = [pcode[:4], pcode[4:6], pcode[6:9], pcode[9:12]]
    kept = [groups[0]]
    for group in groups[1:]:
        if not group or set(group) == {"0"}:
            break
        kept.append(group)
    return "".join(kept)


def generalise_place(location: Location, level: str) -> dict[str, Any] | None:
    """A location at ``level`` of :data:`PLACE_LEVELS`, as ``{country, subdivision?, area?}`` or None.

    ``area`` is the OCHA p-code prefix of the raion (``UA1412``), hromada (9 characters) or settlement (12)
    cut from the KATOTTH code, never finer than the code itself. Outside Ukraine only the country is
    ever given, at any level.
    """
    if level == "suppressed":
        return None
    if level not in PLACE_LEVELS:
        raise ValueError(f"unknown place level {level!r}")
    place: dict[str, Any] = {"country": location.country.value}
    if level == "country":
        return place
    subdivision = location.subdivision
    if subdivision is None and location.katotth is not None:
        try:
            subdivision = iso_subdivision_for_katotth(location.katotth)
        except ValueError:
            subdivision = None
    if subdivision is not None:
        place["subdivision"] = subdivision
    if level != "oblast" and location.katotth is not None:
        code = location.katotth
        if katotth_exists(code):
            # The real unit at that level from the codifier; its p-code is its prefix at its own level, so
            # a settlement directly under an oblast (no raion) gives no area rather than zeros.
            code = generalise_katotth(code, _UNIT_LEVEL[level])
        # A code outside the vendored edition only reaches here with rules switched off; its digits still
        # name its ancestors, so it is cut the same way.
        area = _strip_zero_groups(katotth_pcode(code, _PCODE_LEVEL[level]))
        if len(area) > 4:
            place["area"] = area
    return place


# --- categories -------------------------------------------------------------------------------------


def generalise_category(value: str | None, level: str) -> str | None:
    """A code kept as it is (``value``) or left out (``suppressed``)."""
    if level == "value":
        return value
    if level == "suppressed":
        return None
    raise ValueError(f"unknown level {level!r} for a code")
