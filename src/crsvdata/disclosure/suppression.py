"""Primary and secondary cell suppression, audited by integer programming (as τ-ARGUS and sdcTable do).

Rules, with ``t`` the threshold (default 5):

* **Primary.** Every entry counting 1 to ``t - 1`` is suppressed, *margins included*: a margin of 2 says
  "two women in this oblast" as plainly as a cell does. Zeros are published: the domain is the whole code
  list, so a zero row is as likely as any other and says nothing about who is counted.
* **Zeros are never suppressed** (unless the whole table is). So the attacker knows that every suppressed
  entry is at least 1, and the audit gives the attacker that knowledge; it is what pinned "forced
  pregnancy, female = 1" in the reported attack.
* **Protection rule.** The attacker knows every published entry, additivity, non-negativity,
  integrality and "suppressed means at least 1". For each suppressed entry with feasible interval
  ``[lo, hi]``:

  - a primary entry needs ``hi >= t`` and ``hi - lo >= t - 1``: the attacker cannot rule out that it is
    a publishable count, so cannot tell the group is small, and cannot narrow it to fewer than ``t``
    values (a count of 1 hides among 1..t at least);
  - every suppressed entry needs ``hi > lo``: nothing suppressed is in fact exactly determined.

* **Secondary.** First the cheap rule that no line (one dimension varying, its total included) holds
  exactly one suppressed entry; then every suppressed entry is audited, and while one fails, one more
  positive entry is suppressed (on a line through it when possible: the smallest cell first, then
  margins) and it is audited again. Suppressing an entry removes a constraint, so an interval can only
  widen and an entry that passed stays passed: each entry is settled once.
* **Whole table.** Once every positive entry is suppressed, nothing constrains the suppressed entries
  from above and every one passes; the result then says ``whole_table_suppressed``: only zeros remain.

The audit keeps every table it finds that is consistent with the publication (the true table first).
An entry's reported interval is the range of its values over those tables: an *inner* bound, because
each end is achieved by a table the attacker cannot exclude. Integer programs are solved only for
entries the known tables do not already prove safe, so most entries cost no solve at all.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from crsvdata.disclosure.audit import AuditLimitError, Interval, System, values_of
from crsvdata.disclosure.tables import Key, PublishedTable, Table, TableError

__all__ = ["DEFAULT_THRESHOLD", "SuppressionResult", "suppress"]

DEFAULT_THRESHOLD: Final = 5


@dataclass(frozen=True)
class SuppressionResult:
    """A suppressed publication and its audit, for the manifest.

    ``intervals`` maps every suppressed entry to the values the attacker cannot exclude. ``primary`` and
    ``secondary`` partition the suppressed entries. ``solves`` counts integer programs solved.
    """

    published: PublishedTable
    primary: frozenset[Key]
    secondary: frozenset[Key]
    intervals: Mapping[Key, Interval]
    threshold: int
    solves: int
    whole_table_suppressed: bool

    def summary(self) -> dict[str, object]:
        """Counts and the rule, JSON-ready, without any cell value."""
        return {
            "method": "cell_suppression",
            "threshold": self.threshold,
            "entries": len(self.published.values),
            "suppressed_primary": len(self.primary),
            "suppressed_secondary": len(self.secondary),
            "whole_table_suppressed": self.whole_table_suppressed,
            "audit": "milp",
            "rule": "primary: hi >= threshold and hi - lo >= threshold - 1; every suppressed: hi > lo",
            "attacker": "knows published entries, additivity, integrality, suppressed >= 1",
            "solves": self.solves,
        }


class _Auditor:
    def __init__(self, table: Table, threshold: int, time_limit: float, max_solves: int) -> None:
        self.system = System(table)
        self.threshold = threshold
        self.time_limit = time_limit
        self.max_solves = max_solves
        self.solves = 0
        values = self.system.values
        self.values = values
        self.primary = (values > 0) & (values < threshold)
        self.suppressed = self.primary.copy()
        self.lo = values.astype(np.float64).copy()
        self.hi = values.astype(np.float64).copy()
        self.exact_lo: set[int] = set()
        self.exact_hi: set[int] = set()
        self._model = None if not self.suppressed.any() else self.system.model(self.suppressed, True)

    # --- the pool of tables consistent with the publication ---

    def _add(self, cells: npt.NDArray[np.int64]) -> None:
        entries = values_of(cells, self.system.shape).astype(np.float64)
        np.minimum(self.lo, entries, out=self.lo)
        np.maximum(self.hi, entries, out=self.hi)

    def _needs(self, flat: int) -> tuple[bool, bool]:
        lo, hi = self.lo[flat], self.hi[flat]
        down = up = False
        if self.primary[flat]:
            narrow = hi - lo < self.threshold - 1
            down = narrow and lo > 1
            up = hi < self.threshold or narrow
        if hi <= lo:
            down = down or lo > 1
            up = True
        return down, up

    def _solve(self, flat: int, maximise: bool) -> None:
        if self.solves >= self.max_solves:
            raise AuditLimitError(
                f"the audit needed more than {self.max_solves} integer programs; publish a coarser table"
            )
        self.solves += 1
        model = self._model if self._model is not None else self.system.model(self.suppressed, True)
        self._model = model
        value, cells = model.solve(flat, maximise, self.time_limit)
        if cells is not None:
            self._add(cells)
        if value is not None and math.isinf(value):
            self.hi[flat] = math.inf
        (self.exact_hi if maximise else self.exact_lo).add(flat)

    def settle(self, flat: int) -> int | None:
        """Check ``flat``, solving where the known tables do not settle it; the complement added, if any."""
        down, up = self._needs(flat)
        if not (down or up):
            return None
        if down and flat not in self.exact_lo:
            self._solve(flat, False)
        if up and flat not in self.exact_hi:
            self._solve(flat, True)
        down, up = self._needs(flat)
        if not (down or up):
            return None
        complement = self._complement(flat)
        if complement is None:
            # Every positive entry is hidden, so only a solve stopped by its time limit can leave this.
            raise AuditLimitError("an integer program hit its time limit; publish a coarser table")
        self.add(complement)
        return complement

    def add(self, flat: int) -> None:
        """Suppress one more entry: constraints change, so no optimum is known exactly any more."""
        self.suppressed[flat] = True
        self.exact_lo.clear()
        self.exact_hi.clear()
        self._model = None

    def _complement(self, flat: int) -> int | None:
        system = self.system
        key = system.key(flat)
        on_lines: list[int] = []
        for d, n in enumerate(system.ext_shape):
            for i in range(n):
                if i != key[d]:
                    other = list(key)
                    other[d] = i
                    on_lines.append(system.flat(tuple(other)))
        for pool in (np.array(on_lines, dtype=np.int64), np.arange(system.n_entries)):
            usable = pool[~self.suppressed[pool] & (self.values[pool] > 0)]
            if len(usable):
                return int(min(usable, key=lambda f: (not system.is_cell[f], int(self.values[f]), int(f))))
        return None

    def line_rule(self) -> None:
        """No line may hold exactly one suppressed entry: it would be the line's total minus the rest."""
        system = self.system
        hidden = self.suppressed.reshape(system.ext_shape)
        values = self.values.reshape(system.ext_shape)
        changed = True
        while changed:
            changed = False
            for axis in range(len(system.ext_shape)):
                lone = np.argwhere(hidden.sum(axis=axis) == 1)
                for rest in lone:
                    index = [
                        slice(None) if d == axis else int(rest[d - (d > axis)]) for d in range(hidden.ndim)
                    ]
                    line_hidden = hidden[tuple(index)]
                    if int(line_hidden.sum()) != 1:
                        continue
                    line_values = values[tuple(index)]
                    open_positions = [
                        p for p in range(len(line_values)) if not line_hidden[p] and line_values[p] > 0
                    ]
                    if not open_positions:
                        continue  # the integer-programming audit will find what this entry needs
                    last = len(line_values) - 1
                    ranked = sorted(
                        open_positions,
                        key=lambda p: (p == last, int(line_values[p]), p),
                    )
                    chosen = list(index)
                    chosen[axis] = ranked[0]
                    hidden[tuple(chosen)] = True
                    changed = True
        self.suppressed = hidden.reshape(-1)
        self._model = None


def suppress(
    table: Table,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    time_limit: float = 10.0,
    max_solves: int = 5_000,
) -> SuppressionResult:
    """Suppress ``table`` so that every suppressed entry passes the protection rule (module docs).

    ``time_limit`` bounds each integer program (seconds; a solve stopped early only makes the result
    more cautious), ``max_solves`` the whole audit. Raises :class:`AuditLimitError` above either bound
    or above :data:`crsvdata.disclosure.audit.MAX_AUDIT_ENTRIES` entries.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise TableError("the threshold must be an integer of at least 2 (1 would protect nothing)")
    auditor = _Auditor(table, threshold, time_limit, max_solves)
    system = auditor.system
    if auditor.suppressed.any():
        auditor.line_rule()
        # An entry that passed stays passed (suppressing more only relaxes the attacker's program), so
        # each is settled once; a failing one stays at the head until complements make it pass.
        pending = deque(int(f) for f in np.flatnonzero(auditor.suppressed))
        while pending:
            added = auditor.settle(pending[0])
            if added is None:
                pending.popleft()
            else:
                pending.append(added)
    positive = auditor.values > 0
    # "Whole table": nothing but zeros is left to read (zeros are true and say nothing about anyone).
    whole = bool(positive.any() and auditor.suppressed[positive].all())
    hidden = auditor.suppressed
    values: dict[Key, int | None] = {}
    intervals: dict[Key, Interval] = {}
    primary: set[Key] = set()
    for flat in range(system.n_entries):
        key = system.key(flat)
        if hidden[flat]:
            values[key] = None
            hi = auditor.hi[flat]
            intervals[key] = Interval(int(auditor.lo[flat]), None if math.isinf(hi) else int(hi))
            if auditor.primary[flat]:
                primary.add(key)
        else:
            values[key] = int(auditor.values[flat])
    suppressed_keys = frozenset(intervals)
    published = PublishedTable(table.domains, values, "cell_suppression", threshold, whole)
    return SuppressionResult(
        published=published,
        primary=frozenset(primary),
        secondary=suppressed_keys - primary,
        intervals=intervals,
        threshold=threshold,
        solves=auditor.solves,
        whole_table_suppressed=whole,
    )
