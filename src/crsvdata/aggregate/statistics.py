"""Counts of case records by the standard's dimensions, written as CSV or HXL CSV once protected.


The counting unit is explicit (``survivors``, ``incidents`` or ``acts``) so that every dimension has
exactly one value per unit and margins are true sums. Protection is :mod:`crsvdata.disclosure`'s.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Final

from crsvdata.anonymise.generalise import generalise_partial_date
from crsvdata.codes.enums import Country
from crsvdata.disclosure.tables import Domain, PublishedTable
from crsvdata.models import CaseRecord
from crsvdata.models.dimensions import DIMENSIONS, UNIT_RANK, Dimension, Unit

__all__ = [
    "DIMENSIONS",
    "FIRST_YEAR",
    "CountTable",
    "Dimension",
    "check_dimensions",
    "count_records",
    "default_unit",
    "domains",
    "keyed_units",
    "person_units",
    "write_csv",
]

FIRST_YEAR: Final = 2014
"""The first year of a period domain: Russia's armed aggression against Ukraine began in 2014."""
UNKNOWN: Final = "unknown"
"""The category of a value that was not recorded, or not precisely enough for the table's period."""


@dataclass(frozen=True)
class CountTable:
    """Counts of one unit by dimensions, as observed (the full domains come from :func:`domains`)."""

    dimensions: tuple[str, ...]
    unit: Unit
    counts: Mapping[tuple[str, ...], int]


COUNT_HXL: Final[Mapping[str, str]] = {
    "survivors": "#affected+num+crsv_survivors",
    "incidents": "#indicator+num+crsv_incidents",
    "acts": "#indicator+num+crsv_acts",
}
FLAG_HXL: Final = "#meta+crsv_suppressed"


def default_unit(by: Sequence[str]) -> Unit:
    """The coarsest counting unit at which every dimension of ``by`` has one value."""
    ranks = [UNIT_RANK[DIMENSIONS[name].level] for name in by]
    return ("survivors", "incidents", "acts")[max(ranks, default=0)]


# --- counting ---------------------------------------------------------------------------------------


def _oblast(record: CaseRecord, incident_index: int) -> str:
    location = record.incidents[incident_index].location
    if location.country is not Country.UA:
        return "outside_ukraine"
    return location.subdivision or "unknown"


def _period(start: str, period: str) -> str:
    # A date less precise than the period (2022 in a table by month) cannot be placed in one category.
    value = generalise_partial_date(start, period)
    if value is None or len(value) < len(_period_label(FIRST_YEAR, 1, period)):
        return UNKNOWN
    return value


def _period_label(year: int, index: int, period: str) -> str:
    if period == "year":
        return str(year)
    if period == "quarter":
        return f"{year}-Q{index}"
    return f"{year}-{index:02d}"


def _period_domain(period: str, until: date) -> Domain:
    per_year = {"year": 1, "quarter": 4, "month": 12}[period]
    labels = [
        _period_label(year, index, period)
        for year in range(FIRST_YEAR, until.year + 1)
        for index in range(1, per_year + 1)
    ]
    return Domain("period", (*labels, UNKNOWN))


def domains(dimensions: Sequence[str], period: str, until: date) -> tuple[Domain, ...]:
    """The full domain of each dimension: every code of its code list, never only the observed ones.

    Publishing every category (zeros included) means a row's presence says nothing. Periods run from
    :data:`FIRST_YEAR` to ``until`` (the export day), whatever the data hold.
    """
    found = []
    for name in dimensions:
        if name == "period":
            found.append(_period_domain(period, until))
        elif name == "oblast":
            found.append(
                Domain.from_code_list("ua_subdivision", name="oblast", extra=(UNKNOWN, "outside_ukraine"))
            )
        elif name == "age_band":
            found.append(Domain.from_code_list("age_band", extra=(UNKNOWN,)))
        elif name == "control_status":
            found.append(Domain.from_code_list("territory_control_status", name="control_status"))
        else:
            found.append(Domain.from_code_list(name))
    return tuple(found)


def _units(record: CaseRecord, unit: Unit, period: str) -> Iterator[dict[str, str]]:
    survivor = record.survivor
    age = survivor.age_at_first_incident
    base = {
        "sex": survivor.sex.value,
        "age_band": age.band.value if age is not None else "unknown",
        "survivor_status": survivor.status.value,
    }
    if unit == "survivors":
        yield base
        return
    for index, incident in enumerate(record.incidents):
        values = {
            **base,
            "oblast": _oblast(record, index),
            "control_status": incident.location.control_status.value,
            "period": _period(incident.incident_date.start, period),
        }
        if unit == "incidents":
            yield values
            continue
        for form in sorted({act.form.value for act in incident.acts}):
            yield {**values, "form_of_violence": form}


def keyed_units(
    records: Iterable[CaseRecord], by: Sequence[str], unit: Unit, period: str, record_key: bytes
) -> Iterator[tuple[tuple[str, ...], bytes]]:
    """Each counting unit's labels with its record key, for cell-key perturbation.

    The key is an HMAC, under a secret key, of the *person* (organisation and survivor reference): the
    same person gives the same key in every release, so a cell with the same contributors gets the same
    noise whenever it is published, and a difference of two releases is noise, not a person.
    """
    for record in records:
        person = f"{record.source_organisation}\x1f{record.survivor.survivor_ref}".encode()
        key = hmac.new(record_key, b"crsvdata/cell-key/v1\x1f" + person, hashlib.sha256).digest()
        for values in _units(record, unit, period):
            yield tuple(values[name] for name in by), key


def person_units(
    records: Iterable[CaseRecord], by: Sequence[str], unit: Unit, period: str
) -> Iterator[tuple[tuple[str, ...], tuple[str, str]]]:
    """Each counting unit's labels with its *person* (organisation, survivor reference), in input order.

    The person is the unit of privacy of a differentially private table: it is used in memory to bound
    each person's contribution and is never written anywhere.
    """
    for record in records:
        person = (record.source_organisation, record.survivor.survivor_ref)
        for values in _units(record, unit, period):
            yield tuple(values[name] for name in by), person


def check_dimensions(by: Sequence[str], unit: Unit | None, period: str) -> Unit:
    """The counting unit for ``by``; ValueError for an unknown or repeated dimension, a bad period or unit."""
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    if len(set(by)) != len(by):
        raise ValueError("a dimension is named twice")
    if period not in ("year", "quarter", "month"):
        raise ValueError("period must be year, quarter or month")
    chosen: Unit = unit or default_unit(by)
    if UNIT_RANK[chosen] < UNIT_RANK[default_unit(by)]:
        raise ValueError(
            f"a dimension has several values per {chosen[:-1]}: count {default_unit(by)} instead"
        )
    return chosen


def count_records(
    records: Iterable[CaseRecord], by: Sequence[str], unit: Unit | None = None, period: str = "year"
) -> CountTable:
    """Count ``unit`` (default: :func:`default_unit`) by the dimensions ``by``.

    ``period`` is ``year``, ``quarter`` or ``month``; an incident dated less precisely keeps its own
    precision (``2022`` in a table by month). ValueError for an unknown dimension or a unit too coarse
    for a dimension (forms of violence need ``acts``).
    """
    chosen = check_dimensions(by, unit, period)
    counts: Counter[tuple[str, ...]] = Counter()
    for record in records:
        for values in _units(record, chosen, period):
            counts[tuple(values[name] for name in by)] += 1
    return CountTable(tuple(by), chosen, dict(counts))


def write_csv(table: PublishedTable, unit: Unit, handle: IO[str], *, hxl: bool = False) -> None:
    """Write the published table as CSV: one column per dimension, the count, and ``suppressed``.

    Every category of every domain has its row (cells first, then margins). With ``hxl`` a second row
    carries HXL hashtags (custom ``+crsv_*`` attributes are crsvdata's own).
    """
    dimensions = [domain.name for domain in table.domains]
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([*dimensions, unit, "suppressed"])
    if hxl:
        writer.writerow([*(DIMENSIONS[d].hxl for d in dimensions), COUNT_HXL[unit], FLAG_HXL])
    for labels, count in table.rows():
        writer.writerow([*labels, "" if count is None else count, "" if count is not None else "true"])
