"""What an attacker can learn about suppressed entries: feasible intervals by integer programming.

The attacker knows every published entry, that cells are non-negative integers and that every margin is
the sum of its cells. For a suppressed entry the set of values it can take in *some* table consistent
with all that is an interval ``[lo, hi]`` (``hi`` is None when unbounded); it is found by minimising and
maximising the entry with ``scipy.optimize.milp`` (HiGHS). Solving over the reals instead, as a linear
system, misses what non-negativity and integrality pin: a cell that "could be anything" over the reals
is often forced to one integer value.

Intervals are *inner* bounds whenever a solve stops early: a table achieving ``lo`` and one achieving
``hi`` were found, so the attacker can never narrow the interval below what is reported.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from crsvdata.disclosure.tables import IntArray, Key, Table, TableError, extend

__all__ = ["MAX_AUDIT_ENTRIES", "AuditLimitError", "Interval", "audit_suppression"]

MAX_AUDIT_ENTRIES: Final = 50_000
"""Largest table (cells and margins) the integer-programming audit accepts."""


class AuditLimitError(TableError):
    """The audit would exceed its bound on table size or number of solves; publish a coarser table."""

    code = "disclosure.audit_limit"


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a suppressed entry can take given the publication; ``hi`` None means unbounded."""

    lo: int
    hi: int | None

    @property
    def width(self) -> float:
        """``hi - lo`` (infinite when unbounded)."""
        return math.inf if self.hi is None else float(self.hi - self.lo)

    def to_dict(self) -> dict[str, int | None]:
        """JSON-ready: ``{"lo": ..., "hi": ...}`` with ``hi`` null when unbounded."""
        return {"lo": self.lo, "hi": self.hi}


class System:
    """The additivity structure of a table: which interior cells every entry sums."""

    def __init__(self, table: Table) -> None:
        self.shape = table.shape
        self.ext_shape = tuple(n + 1 for n in self.shape)
        self.n_cells = int(np.prod(self.shape))
        self.n_entries = int(np.prod(self.ext_shape))
        if self.n_entries > MAX_AUDIT_ENTRIES:
            raise AuditLimitError(
                f"the table has {self.n_entries} entries; the audit accepts at most {MAX_AUDIT_ENTRIES}"
            )
        self.cells = table.cells.reshape(-1).astype(np.int64)
        self.values = extend(table.cells).reshape(-1)
        self._grid = grid = np.indices(self.shape).reshape(len(self.shape), -1)
        cell_entries = np.ravel_multi_index(tuple(grid), self.ext_shape)
        self.is_cell = np.zeros(self.n_entries, dtype=bool)
        self.is_cell[cell_entries] = True
        self.cell_entry = cell_entries

    @cached_property
    def member(self) -> Any:
        """The sparse entries x cells matrix: 1 where an entry sums a cell.

        Built, and scipy imported (about 50 MB and 0.2 s), only when an integer program is set up: a
        table with nothing to suppress, such as most of an export manifest's, never needs it.
        """
        from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no stubs

        rows, cols = [], []
        for mask in itertools.product((False, True), repeat=len(self.shape)):
            coords = [
                np.full(self.n_cells, n) if m else self._grid[d]
                for d, (n, m) in enumerate(zip(self.shape, mask, strict=True))
            ]
            rows.append(np.ravel_multi_index(tuple(coords), self.ext_shape))
            cols.append(np.arange(self.n_cells))
        data = np.ones(self.n_cells * len(rows), dtype=np.float64)
        return sparse.csr_matrix(
            (data, (np.concatenate(rows), np.concatenate(cols))), shape=(self.n_entries, self.n_cells)
        )

    def flat(self, key: Key) -> int:
        """Flat entry index of ``key``."""
        return int(np.ravel_multi_index(key, self.ext_shape))

    def key(self, flat: int) -> Key:
        """Entry key of a flat index."""
        return tuple(int(i) for i in np.unravel_index(flat, self.ext_shape))

    def model(self, suppressed: npt.NDArray[np.bool_], assume_positive: bool) -> Model:
        """The attacker's integer program for this suppression pattern (a boolean per flat entry)."""
        return Model(self, suppressed, assume_positive)


class Model:
    """Variables: the suppressed cells. Constraints: every published margin equals its value.

    With ``assume_positive`` every suppressed cell is at least 1: when zeros are published and never
    suppressed, "suppressed" itself tells the attacker the entry is not zero.
    """

    def __init__(self, system: System, suppressed: npt.NDArray[np.bool_], assume_positive: bool) -> None:
        self.system = system
        self.lower_bound = 1.0 if assume_positive else 0.0
        var_mask = suppressed[system.cell_entry]
        self.vars = np.flatnonzero(var_mask)
        fixed = np.flatnonzero(~var_mask)
        published_margins = np.flatnonzero(~suppressed & ~system.is_cell)
        block = system.member[published_margins]
        a = block[:, self.vars].tocsr()
        constant = block[:, fixed] @ system.cells[fixed].astype(np.float64)
        rhs = system.values[published_margins] - constant
        touched = np.diff(a.indptr) > 0
        self.a = a[touched]
        self.rhs = rhs[touched]
        self.constant_cells = system.cells.astype(np.float64).copy()
        n = len(self.vars)
        upper = np.full(n, np.inf)
        csc = self.a.tocsc()
        nonempty = np.diff(csc.indptr) > 0
        if nonempty.any() and csc.nnz:
            bounds_by_row = self.rhs[csc.indices]
            starts = csc.indptr[:-1][nonempty]
            upper[nonempty] = np.minimum.reduceat(bounds_by_row, starts)
        self.upper = upper

    def objective(self, flat: int) -> tuple[npt.NDArray[np.float64], float]:
        """Coefficients over the variables and the constant part of entry ``flat``."""
        row = self.system.member[flat]
        dense = np.asarray(row.todense()).reshape(-1)
        coefficients = dense[self.vars]
        constant = float(dense @ self.constant_cells - coefficients @ self.constant_cells[self.vars])
        return coefficients, constant

    def solve(
        self, flat: int, maximise: bool, time_limit: float
    ) -> tuple[float | None, npt.NDArray[np.int64] | None]:
        """Optimum of entry ``flat`` and a full table of cells achieving it.

        Returns ``(inf, None)`` when unbounded above, and the best table found (its value an inner
        bound) when the time limit stops the search; ``(None, None)`` if nothing was found in time.
        """
        coefficients, constant = self.objective(flat)
        if not coefficients.any():
            return constant, self.fill(np.zeros(0))
        from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]

        c = -coefficients if maximise else coefficients
        constraints = [LinearConstraint(self.a, self.rhs, self.rhs)] if self.a.shape[0] else []
        result = milp(
            c,
            integrality=np.ones(len(self.vars)),
            bounds=Bounds(np.full(len(self.vars), self.lower_bound), self.upper),
            constraints=constraints,
            options={"time_limit": time_limit},
        )
        if result.x is not None:
            x = np.round(result.x)
            return float(coefficients @ x) + constant, self.fill(x)
        if maximise and result.status in (3, 4):
            # The true table is feasible, so "infeasible or unbounded" means unbounded; the LP relaxation
            # confirms it (a rational polyhedron with an integer point is unbounded iff its LP is).
            relaxed = linprog(
                c,
                A_eq=self.a if self.a.shape[0] else None,
                b_eq=self.rhs if self.a.shape[0] else None,
                bounds=list(
                    zip(
                        np.full(len(self.vars), self.lower_bound),
                        [None if math.isinf(u) else u for u in self.upper],
                        strict=True,
                    )
                ),
                method="highs",
            )
            if relaxed.status == 3:
                return math.inf, None
        return None, None

    def fill(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        """The full cell vector with the variables set to ``x``."""
        cells = self.system.cells.copy()
        if len(x):
            cells[self.vars] = x.astype(np.int64)
        return cells


def audit_suppression(
    table: Table,
    suppressed: Iterable[Key],
    *,
    assume_positive: bool | None = None,
    time_limit: float = 10.0,
    max_solves: int = 5_000,
) -> Mapping[Key, Interval]:
    """The attacker's interval of every suppressed entry of ``table`` (two integer programs each).

    Independent of how the suppression pattern was chosen, so it can re-check any publication.
    ``assume_positive`` (default: true when no suppressed entry is zero, as :func:`suppress` guarantees)
    lets the attacker use "suppressed means at least 1". Raises :class:`AuditLimitError` above
    :data:`MAX_AUDIT_ENTRIES` entries or ``max_solves``.
    """
    system = System(table)
    hidden = np.zeros(system.n_entries, dtype=bool)
    keys = list(dict.fromkeys(suppressed))
    for key in keys:
        _check_key(table, key)
        hidden[system.flat(key)] = True
    if 2 * len(keys) > max_solves:
        raise AuditLimitError(f"auditing {len(keys)} suppressed entries needs more than {max_solves} solves")
    if assume_positive is None:
        assume_positive = bool((system.values[hidden] > 0).all())
    model = system.model(hidden, assume_positive)
    out: dict[Key, Interval] = {}
    for key in keys:
        flat = system.flat(key)
        lo, _ = model.solve(flat, False, time_limit)
        hi, _ = model.solve(flat, True, time_limit)
        true = int(system.values[flat])
        # A solve that found nothing in time still has the true table as a witness.
        low = true if lo is None else min(true, round(lo))
        high = None if hi is not None and math.isinf(hi) else max(true, round(hi if hi is not None else true))
        out[key] = Interval(low, high)
    return out


def _check_key(table: Table, key: Key) -> None:
    if len(key) != len(table.shape) or any(not 0 <= i <= n for i, n in zip(key, table.shape, strict=True)):
        raise TableError("an entry key does not fit the table's shape")


def values_of(cells: IntArray, shape: tuple[int, ...]) -> IntArray:
    """Every entry's value (flat) for a flat vector of interior cells."""
    return extend(cells.reshape(shape)).reshape(-1)
