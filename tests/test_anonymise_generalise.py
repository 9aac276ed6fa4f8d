"""Generalisation hierarchies: a band always contains the value, levels are monotone, truncation is exact."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.anonymise import (
    age_interval,
    generalise_age,
    generalise_date,
    generalise_partial_date,
    top_code,
)
from crsvdata.anonymise.generalise import (
    AGE_LEVELS,
    DATE_LEVELS,
    PLACE_LEVELS,
    age_json,
    gbvims_band_edges,
    generalise_period,
    generalise_place,
    period_bounds,
)
from crsvdata.codes.enums import Country, TerritoryControlStatus
from crsvdata.dates import partial_date_bounds
from crsvdata.geography import generalise_katotth, katotth_category, katotth_exists, katotth_pcode
from crsvdata.models import Age, IncidentDate, Location
from crsvdata.testing import ages, katotth_codes, locations, partial_dates

DAYS = st.dates(date(1950, 1, 1), date(2030, 12, 31))
EDGES = st.lists(st.integers(1, 119), max_size=8, unique=True).map(lambda rest: (0, *sorted(rest)))


def contains(interval: tuple[int, int | None], years: int) -> bool:
    lower, upper = interval
    return lower <= years and (upper is None or years <= upper)


@given(st.integers(0, 120), EDGES)
def test_age_band_always_contains_the_age(years: int, edges: tuple[int, ...]) -> None:
    assert contains(age_interval(years, edges), years)


def test_the_arx_off_by_one_is_impossible() -> None:
    # ARX's widely copied hierarchy files 5 under "0-4"; computed edges cannot.
    assert age_interval(5, (0, 5, 10)) == (5, 9)
    assert age_interval(4, (0, 5, 10)) == (0, 4)
    assert age_interval(10, (0, 5, 10)) == (10, None)


@given(st.integers(0, 120), st.integers(1, 120))
def test_top_coding_contains_the_value(years: int, threshold: int) -> None:
    lower, upper = top_code(years, threshold)
    assert contains((lower, upper), years)
    assert (upper is None) == (years >= threshold)


@given(ages(), st.integers(20, 100))
def test_every_age_level_contains_the_recorded_age(age: Age, top: int) -> None:
    for level in AGE_LEVELS[:-1]:
        interval = generalise_age(age, level, top)
        assert interval is not None
        if age.years is not None:
            assert contains(interval, age.years)
    assert generalise_age(age, "suppressed") is None


def check_monotone(values: list[Any], levels: tuple[str, ...], apply: Callable[[Any, str], Any]) -> None:
    """Each value at level i maps to one value at level i+1; coarser levels never have more values."""
    for finer, coarser in itertools.pairwise(levels):
        mapping: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
        for value in values:
            mapping[repr(apply(value, finer))].add(repr(apply(value, coarser)))
        assert all(len(targets) == 1 for targets in mapping.values()), (finer, coarser)
        assert len({t for targets in mapping.values() for t in targets}) <= len(mapping)


@given(st.lists(ages(), min_size=1, max_size=30))
def test_age_levels_are_monotone(values: list[Age]) -> None:
    check_monotone(values, AGE_LEVELS, generalise_age)


@given(st.lists(DAYS, min_size=1, max_size=30))
def test_date_levels_are_monotone(values: list[date]) -> None:
    check_monotone(values, DATE_LEVELS, generalise_date)


@given(st.lists(locations(), min_size=1, max_size=30))
def test_place_levels_are_monotone_and_contain_the_place(values: list[Location]) -> None:
    check_monotone(values, PLACE_LEVELS, generalise_place)
    for location in values:
        for level in PLACE_LEVELS[:-1]:
            place = generalise_place(location, level)
            assert place is not None
            assert place["country"] == location.country.value
            if "area" in place:
                assert location.katotth is not None
                assert location.katotth.startswith(place["area"])
            if location.subdivision is not None and level != "country":
                assert place["subdivision"] == location.subdivision


@given(katotth_codes(), st.sampled_from(("settlement", "hromada", "raion")))
def test_the_area_is_the_pcode_of_the_real_unit_at_that_level(code: str, level: str) -> None:
    location = Location(
        country=Country.UA, katotth=code, control_status=TerritoryControlStatus.GOVERNMENT_CONTROLLED
    )
    place = generalise_place(location, level)
    assert place is not None
    unit = generalise_katotth(code, level)  # type: ignore[arg-type]
    # The real unit's own p-code: its prefix down to its last non-zero group, present only below oblast.
    real_unit_level = {"P": 2, "H": 3}.get(katotth_category(unit) or "", 4)
    if katotth_category(unit) in {"O", "K"}:
        assert "area" not in place
    else:
        assert place["area"] == katotth_pcode(unit, real_unit_level)  # type: ignore[arg-type]
        assert katotth_exists(unit)


@given(DAYS, st.sampled_from(DATE_LEVELS[:-1]))
def test_date_truncation_contains_the_day_and_drops_finer_parts(day: date, level: str) -> None:
    text = generalise_date(day, level)
    assert text is not None
    first, last = period_bounds(text)
    assert first <= day <= last
    if level != "day":
        assert day.isoformat() not in text
        assert len(text) < 10
    if level in ("month", "year"):
        # Idempotence: truncating the truncated value again changes nothing.
        assert generalise_partial_date(text, level) == text


@given(partial_dates(date(2014, 2, 20), date(2026, 6, 30)), st.sampled_from(DATE_LEVELS[:-1]))
def test_partial_dates_never_gain_precision(value: str, level: str) -> None:
    text = generalise_partial_date(value, level)
    assert text is not None
    low, high = partial_date_bounds(value)
    first, last = period_bounds(text)
    assert first <= low
    assert high <= last


@given(
    partial_dates(date(2014, 2, 20), date(2020, 12, 31)),
    partial_dates(date(2021, 1, 1), date(2026, 6, 30)),
    st.sampled_from(DATE_LEVELS[:-1]),
)
def test_incident_ranges_are_contained(start: str, end: str, level: str) -> None:
    period = generalise_period(IncidentDate(start=start, end=end), level)
    assert period is not None
    first, last = period_bounds(period)
    assert first <= partial_date_bounds(start)[0]
    assert partial_date_bounds(end)[1] <= last


def test_gbvims_bands_come_from_the_code_list() -> None:
    assert gbvims_band_edges() == (0, 12, 18, 26, 41, 61)
    assert age_json((61, None)) == {"min_years": 61}


def test_unknown_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        generalise_date(date(2022, 1, 1), "week")
