"""Counts by chosen dimensions, with primary and secondary small-cell suppression, as CSV or HXL CSV.

A table is published with all its margins (every dimension also has a ``_total`` category). Rules:

* *primary*: an entry (cell or margin) counting 1 to ``threshold - 1`` is suppressed; zeros are shown;
* *secondary*: no line of the table (one dimension varying, the others fixed, its total included) may
  hold exactly one suppressed entry, or that entry would be its total minus the rest. The smallest
  positive entry of the line is suppressed with it (a total if nothing else is positive);
* *audit*: lines are not the whole story (a suppressed entry can be pinned by a chain of lines), so
  the linear system "every line sums to its total" is solved over the suppressed entries, and any
  entry it determines gets one more complementary suppression, until none is determined.

Complementary suppressions are positive entries whenever possible: a suppressed zero could let
non-negativity pin a neighbour. Every published count is therefore 0 or at least the threshold, and
no suppressed entry follows from the published ones.

The counting unit is explicit (``survivors``, ``incidents`` or ``acts``) so that every dimension has
exactly one value per unit and margins are true sums.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Final, Literal

from crsvdata.anonymise.generalise import generalise_partial_date
from crsvdata.codes.enums import Country
from crsvdata.models import CaseRecord

__all__ = [
    "DIMENSIONS",
    "TOTAL",
    "CountTable",
    "Dimension",
    "SuppressedTable",
    "count_records",
    "default_unit",
    "determined_entries",
    "suppress_small_cells",
    "write_csv",
]

TOTAL: Final = "_total"
"""The category of a margin: the sum over every category of that dimension."""

Unit = Literal["survivors", "incidents", "acts"]
_UNIT_RANK: Final[Mapping[str, int]] = {"survivors": 0, "incidents": 1, "acts": 2}
_MAX_ENTRIES: Final = 200_000


@dataclass(frozen=True, slots=True)
class Dimension:
    """A dimension one can count by: where its value lives and its HXL hashtag."""

    name: str
    level: Unit
    hxl: str
    description: str


DIMENSIONS: Final[Mapping[str, Dimension]] = {
    d.name: d
    for d in (
        Dimension(
            "form_of_violence", "acts", "#indicator+type+crsv_form_of_violence", "form of sexual violence"
        ),
        Dimension(
            "oblast", "incidents", "#adm1+code+v_iso3166_2", "ISO 3166-2:UA code of the incident's oblast"
        ),
        Dimension(
            "control_status", "incidents", "#status+crsv_territory_control", "who controlled the territory"
        ),
        Dimension(
            "period", "incidents", "#date+occurred", "when the incident started (year, quarter or month)"
        ),
        Dimension("sex", "survivors", "#group+crsv_sex", "sex of the survivor"),
        Dimension("age_band", "survivors", "#group+crsv_age_band", "GBVIMS age band at the first incident"),
        Dimension("survivor_status", "survivors", "#group+crsv_survivor_status", "civilian, detainee, POW"),
    )
}
"""The dimensions of ``crsvdata stats --by``. The ``+crsv_*`` HXL attributes are crsvdata's own."""

COUNT_HXL: Final[Mapping[str, str]] = {
    "survivors": "#affected+num+crsv_survivors",
    "incidents": "#indicator+num+crsv_incidents",
    "acts": "#indicator+num+crsv_acts",
}
FLAG_HXL: Final = "#meta+crsv_suppressed"


def default_unit(by: Sequence[str]) -> Unit:
    """The coarsest counting unit at which every dimension of ``by`` has one value."""
    ranks = [_UNIT_RANK[DIMENSIONS[name].level] for name in by]
    return ("survivors", "incidents", "acts")[max(ranks, default=0)]


# --- counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountTable:
    """Counts of one unit by dimensions: only the observed categories, zeros implied."""

    dimensions: tuple[str, ...]
    unit: Unit
    counts: Mapping[tuple[str, ...], int]

    @property
    def categories(self) -> tuple[tuple[str, ...], ...]:
        """The observed categories of each dimension, sorted."""
        return tuple(tuple(sorted({key[i] for key in self.counts})) for i in range(len(self.dimensions)))


def _oblast(record: CaseRecord, incident_index: int) -> str:
    location = record.incidents[incident_index].location
    if location.country is not Country.UA:
        return "outside_ukraine"
    return location.subdivision or "unknown"


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
            "period": generalise_partial_date(incident.incident_date.start, period) or "unknown",
        }
        if unit == "incidents":
            yield values
            continue
        for form in sorted({act.form.value for act in incident.acts}):
            yield {**values, "form_of_violence": form}


def count_records(
    records: Iterable[CaseRecord], by: Sequence[str], unit: Unit | None = None, period: str = "year"
) -> CountTable:
    """Count ``unit`` (default: :func:`default_unit`) by the dimensions ``by``.

    ``period`` is ``year``, ``quarter`` or ``month``; an incident dated less precisely keeps its own
    precision (``2022`` in a table by month). ValueError for an unknown dimension or a unit too coarse
    for a dimension (forms of violence need ``acts``).
    """
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    if len(set(by)) != len(by):
        raise ValueError("a dimension is named twice")
    if period not in ("year", "quarter", "month"):
        raise ValueError("period must be year, quarter or month")
    chosen: Unit = unit or default_unit(by)
    if _UNIT_RANK[chosen] < _UNIT_RANK[default_unit(by)]:
        raise ValueError(
            f"a dimension has several values per {chosen[:-1]}: count {default_unit(by)} instead"
        )
    counts: Counter[tuple[str, ...]] = Counter()
    for record in records:
        for values in _units(record, chosen, period):
            counts[tuple(values[name] for name in by)] += 1
    return CountTable(tuple(by), chosen, dict(counts))


# --- the extended table and its lines ---------------------------------------------------------------

Key = tuple[int, ...]


@dataclass
class SuppressedTable:
    """A count table with all its margins, and which entries are suppressed.

    ``entries`` maps an index tuple (the last index of each dimension is its total) to the true count;
    only ``published()`` is meant to leave the organisation.
    """

    dimensions: tuple[str, ...]
    unit: Unit
    categories: tuple[tuple[str, ...], ...]
    entries: dict[Key, int]
    suppressed: set[Key]
    primary: set[Key]
    threshold: int
    secondary: set[Key] = field(default_factory=set)

    def label(self, key: Key) -> tuple[str, ...]:
        """The category labels of an entry (``_total`` for a margin)."""
        return tuple(
            TOTAL if index == len(cats) else cats[index]
            for index, cats in zip(key, self.categories, strict=True)
        )

    def published(self) -> Iterator[tuple[tuple[str, ...], int | None]]:
        """Every entry as (labels, count), the count None when suppressed; cells first, then margins."""
        for key in sorted(
            self.entries, key=lambda k: (sum(i == len(c) for i, c in zip(k, self.categories, strict=True)), k)
        ):
            yield self.label(key), None if key in self.suppressed else self.entries[key]


def _extend(table: CountTable) -> tuple[tuple[tuple[str, ...], ...], dict[Key, int]]:
    categories = table.categories
    shape = [len(c) + 1 for c in categories]
    size = 1
    for n in shape:
        size *= n
    if size > _MAX_ENTRIES:
        raise ValueError(f"the table would have {size} entries; count by fewer or coarser dimensions")
    entries: dict[Key, int] = dict.fromkeys(itertools.product(*(range(n) for n in shape)), 0)
    index = [{category: i for i, category in enumerate(cats)} for cats in categories]
    for labels, count in table.counts.items():
        cell = tuple(index[d][label] for d, label in enumerate(labels))
        # Every margin the cell belongs to: each subset of its coordinates replaced by the total index.
        for mask in itertools.product((False, True), repeat=len(cell)):
            key = tuple(shape[d] - 1 if total else cell[d] for d, total in enumerate(mask))
            entries[key] += count
    return categories, entries


def _lines(shape: Sequence[int]) -> Iterator[list[Key]]:
    for d, n in enumerate(shape):
        others = [range(m) for i, m in enumerate(shape) if i != d]
        for fixed in itertools.product(*others):
            line = []
            for position in range(n):
                key = list(fixed)
                key.insert(d, position)
                line.append(tuple(key))
            yield line


_PRIME: Final = (1 << 61) - 1


def determined_entries(entries: Mapping[Key, int], suppressed: set[Key], shape: Sequence[int]) -> set[Key]:
    """The suppressed entries whose value follows from the published ones by the line sums.

    Solves "cells of a line sum to its total" for the unknowns by sparse elimination modulo a 61-bit
    prime (a wrong answer would need the prime to divide a minor of a 0/±1 matrix). An unknown is
    determined exactly when its unit vector lies in the row space, i.e. when its reduced row has no
    other unknown.
    """
    variables = {key: i for i, key in enumerate(sorted(suppressed))}
    pivots: dict[int, dict[int, int]] = {}
    for line in _lines(shape):
        row: dict[int, int] = {}
        last = len(line) - 1
        for position, key in enumerate(line):
            if key in variables:
                coefficient = _PRIME - 1 if position == last else 1
                row[variables[key]] = (row.get(variables[key], 0) + coefficient) % _PRIME
        if not row:
            continue
        _insert(pivots, row)
    determined = set()
    by_index = {i: key for key, i in variables.items()}
    for pivot, row in pivots.items():
        if len(row) == 1:
            determined.add(by_index[pivot])
    return determined


def _insert(pivots: dict[int, dict[int, int]], row: dict[int, int]) -> None:
    # Reduce the new row by the existing pivot rows, then make it a pivot and clear its column elsewhere,
    # keeping the system in reduced row echelon form.
    for var in [v for v in row if v in pivots]:
        factor = row.get(var, 0)
        if factor:
            for v, c in pivots[var].items():
                value = (row.get(v, 0) - factor * c) % _PRIME
                if value:
                    row[v] = value
                else:
                    row.pop(v, None)
    row = {v: c for v, c in row.items() if c}
    if not row:
        return
    pivot = min(row)
    inverse = pow(row[pivot], _PRIME - 2, _PRIME)
    row = {v: c * inverse % _PRIME for v, c in row.items()}
    for other in pivots.values():
        factor = other.get(pivot, 0)
        if factor:
            for v, c in row.items():
                value = (other.get(v, 0) - factor * c) % _PRIME
                if value:
                    other[v] = value
                else:
                    other.pop(v, None)
    pivots[pivot] = row


def _complement(
    line: list[Key], entries: Mapping[Key, int], suppressed: set[Key], allow_zero: bool
) -> Key | None:
    last = line[-1]
    cells = [k for k in line[:-1] if k not in suppressed and entries[k] > 0]
    if cells:
        return min(cells, key=lambda k: (entries[k], k))
    if last not in suppressed and entries[last] > 0:
        return last
    if allow_zero:
        zeros = [k for k in line if k not in suppressed]
        if zeros:
            return zeros[0]
    return None


def suppress_small_cells(table: CountTable, threshold: int = 5) -> SuppressedTable:
    """Primary and secondary small-cell suppression of ``table`` and its margins (see module docs)."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    categories, entries = _extend(table)
    shape = [len(c) + 1 for c in categories]
    primary = {key for key, value in entries.items() if 0 < value < threshold}
    suppressed = set(primary)
    lines = list(_lines(shape))
    lines_of: dict[Key, list[list[Key]]] = {}
    for line in lines:
        for key in line:
            lines_of.setdefault(key, []).append(line)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(key in suppressed for key in line) == 1:
                    extra = _complement(line, entries, suppressed, allow_zero=True)
                    if extra is not None:
                        suppressed.add(extra)
                        changed = True
        pinned = determined_entries(entries, suppressed, shape)
        pinned = {key for key in pinned if entries[key] > 0}
        if not pinned:
            break
        added = False
        for key in sorted(pinned):
            for allow_zero in (False, True):
                for line in lines_of[key]:
                    extra = _complement(line, entries, suppressed, allow_zero)
                    if extra is not None:
                        suppressed.add(extra)
                        added = True
                        break
                if added:
                    break
            if added:
                break
        if not added:
            break
    return SuppressedTable(
        dimensions=table.dimensions,
        unit=table.unit,
        categories=categories,
        entries=entries,
        suppressed=suppressed,
        primary=primary,
        threshold=threshold,
        secondary=suppressed - primary,
    )


def write_csv(table: SuppressedTable, handle: IO[str], *, hxl: bool = False) -> None:
    """Write the published table as CSV: one column per dimension, ``count`` and ``suppressed``.

    With ``hxl`` a second row carries HXL hashtags (custom ``+crsv_*`` attributes are crsvdata's own).
    """
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([*table.dimensions, table.unit, "suppressed"])
    if hxl:
        writer.writerow([*(DIMENSIONS[d].hxl for d in table.dimensions), COUNT_HXL[table.unit], FLAG_HXL])
    for labels, count in table.published():
        writer.writerow([*labels, "" if count is None else count, "" if count is not None else "true"])
