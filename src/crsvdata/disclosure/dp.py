"""Differentially private count tables through OpenDP: ε-DP per *person*, every entry noisy.

The unit of privacy is a person (in crsvdata: ``source_organisation`` and ``survivor_ref``), not a record
or an act. A person may contribute many counting units (incidents, acts) to a table, so each person's
contribution is bounded first: :func:`bound_units` keeps the first ``max_units_per_person`` units of each
person in input order and drops the rest (which units a person keeps depends only on that person's own
units, so the bound does not couple people). Each kept unit adds 1 to its cell and to every margin it
belongs to, which is ``2 ** d`` entries of a ``d``-dimensional table, so adding or removing one person
changes the vector of all entries (cells and margins) by at most ``c * 2 ** d`` in L1 norm.

:func:`release` builds OpenDP's Laplace measurement over integer vectors (discrete Laplace, sampled by
OpenDP, never by crsvdata) for that sensitivity, asks the measurement itself (``measurement.map``) for
the privacy loss, refuses if it exceeds ε, and publishes every entry of the full domain, zeros included.
Noisy counts are published as they are, negative ones too: the noise is unbiased, and clamping at zero
(free post-processing a reader may do) would bias every sum upwards. Margins are noisy on their own and
need not equal the sum of their published cells.

``opendp`` is an optional dependency (``pip install "crsvdata[dp]"``); without it :func:`release` raises
:class:`DPUnavailableError`. Error messages never contain a value from the data.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from crsvdata.disclosure.tables import Domain, Key, PublishedTable, Table, TableError

__all__ = [
    "DEFAULT_MAX_UNITS_PER_PERSON",
    "BoundedUnits",
    "DPError",
    "DPRelease",
    "DPUnavailableError",
    "bound_units",
    "laplace_measurement",
    "release",
    "sensitivity",
]

DEFAULT_MAX_UNITS_PER_PERSON: Final = 5
"""The default bound ``c`` on units per person. It must never be chosen by looking at the data."""

PersonUnit = tuple[Sequence[str], Hashable]
"""One counting unit: its category in each dimension and the person it belongs to (never published)."""


class DPError(TableError):
    """A differentially private release was asked for with parameters that give no guarantee."""

    code = "disclosure.dp_parameter"


class DPUnavailableError(TableError):
    """OpenDP is not installed: ``pip install "crsvdata[dp]"``."""

    code = "disclosure.dp_unavailable"


def _opendp() -> Any:
    try:
        import opendp.prelude as dp
    except ImportError:
        raise DPUnavailableError(
            'differential privacy needs OpenDP: pip install "crsvdata[dp]" (or opendp>=0.16)'
        ) from None
    dp.enable_features("contrib")
    return dp


@dataclass(frozen=True)
class BoundedUnits:
    """A table of at most ``max_units_per_person`` units per person, and how many units were dropped."""

    table: Table
    max_units_per_person: int
    units_in: int
    units_dropped: int
    persons: int


def bound_units(
    domains: Sequence[Domain], units: Iterable[PersonUnit], max_units_per_person: int
) -> BoundedUnits:
    """Count the units, keeping for each person only the first ``max_units_per_person`` in input order."""
    if isinstance(max_units_per_person, bool) or not isinstance(max_units_per_person, int):
        raise DPError("the bound on units per person must be an integer")
    if max_units_per_person < 1:
        raise DPError("the bound on units per person must be at least 1")
    doms = tuple(domains)
    cells = np.zeros(tuple(len(d) for d in doms), dtype=np.int64)
    kept: dict[Hashable, int] = {}
    units_in = dropped = 0
    for number, (labels, person) in enumerate(units):
        units_in += 1
        if isinstance(labels, str) or len(labels) != len(doms):
            raise TableError(f"unit number {number} has the wrong number of categories")
        key = tuple(d.index(label) for d, label in zip(doms, labels, strict=True))
        seen = kept.get(person, 0)
        if seen >= max_units_per_person:
            dropped += 1
            continue
        kept[person] = seen + 1
        cells[key] += 1
    return BoundedUnits(Table(doms, cells), max_units_per_person, units_in, dropped, len(kept))


def sensitivity(dimensions: int, max_units_per_person: int) -> int:
    """L1 sensitivity of the vector of all entries: ``c`` units, each in ``2 ** d`` entries."""
    if dimensions < 1 or max_units_per_person < 1:
        raise DPError("a table needs a dimension and a bound of at least one unit per person")
    return max_units_per_person << dimensions


def _check_epsilon(epsilon: float) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float):
        raise DPError("epsilon must be a number")
    value = float(epsilon)
    if not math.isfinite(value) or value <= 0:
        raise DPError("epsilon must be a finite number greater than 0")
    return value


def laplace_measurement(size: int, scale: float) -> Any:
    """OpenDP's Laplace measurement on integer vectors of ``size`` entries under the L1 distance."""
    dp = _opendp()
    space = dp.vector_domain(dp.atom_domain(T=int), size=size), dp.l1_distance(T=int)
    return dp.m.make_laplace(*space, scale=scale)


@dataclass(frozen=True)
class DPRelease:
    """A differentially private table and what the manifest says about it (no data value)."""

    published: PublishedTable
    epsilon: float
    sensitivity: int
    privacy_loss: float
    noise_scale: float
    bounded: BoundedUnits

    def summary(self) -> dict[str, object]:
        """JSON-ready description of the release for the manifest."""
        return {
            "method": "differential_privacy",
            "library": "opendp",
            "mechanism": "discrete Laplace on the vector of cells and margins (OpenDP make_laplace)",
            "privacy_unit": "person (source_organisation, survivor_ref)",
            "epsilon": self.epsilon,
            "privacy_loss": self.privacy_loss,
            "sensitivity": self.sensitivity,
            "noise_scale": self.noise_scale,
            "max_units_per_person": self.bounded.max_units_per_person,
            "units_dropped_by_bound": self.bounded.units_dropped,
            "entries": len(self.published.values),
            "note": "noisy counts are published as they are (may be negative); margins are noisy on their "
            "own. units_dropped_by_bound and the record counts of this manifest are exact, not private",
        }


def release(
    domains: Sequence[Domain],
    units: Iterable[PersonUnit],
    epsilon: float,
    max_units_per_person: int = DEFAULT_MAX_UNITS_PER_PERSON,
) -> DPRelease:
    """Publish every entry (cells and margins) of the bounded table with OpenDP's discrete Laplace noise.

    The release is ``epsilon``-differentially private for adding or removing one person with any number of
    units (at most ``max_units_per_person`` of them are counted).
    """
    eps = _check_epsilon(epsilon)
    dp = _opendp()
    bounded = bound_units(domains, units, max_units_per_person)
    table = bounded.table
    entries = table.entries
    size = int(entries.size)
    d_in = sensitivity(len(table.domains), max_units_per_person)
    scale = d_in / eps
    measurement = laplace_measurement(size, scale)
    if float(measurement.map(d_in)) > eps:  # rounding: let OpenDP find the nearest scale that passes
        scale = float(dp.binary_search_param(lambda s: laplace_measurement(size, s), d_in=d_in, d_out=eps))
        measurement = laplace_measurement(size, scale)
    loss = float(measurement.map(d_in))
    if loss > eps:
        raise DPError("the measurement's privacy loss exceeds epsilon")
    noisy = measurement([int(v) for v in entries.reshape(-1)])
    if len(noisy) != size:
        raise DPError("the measurement returned the wrong number of entries")
    values: dict[Key, int | None] = {}
    for flat, index in enumerate(np.ndindex(entries.shape)):
        values[tuple(int(i) for i in index)] = int(noisy[flat])
    published = PublishedTable(table.domains, values, "differential_privacy", 0)
    return DPRelease(published, eps, d_in, loss, scale, bounded)
