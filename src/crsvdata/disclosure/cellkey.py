"""Cell-key perturbation (ABS TableBuilder, ONS 2021 Census): the same contributors always get the same
noise.

Every counting unit carries a *record key*, a uniform integer in ``[0, R)`` that the caller derives from a
keyed HMAC of the unit (see :func:`crsvdata.disclosure.tables.record_key`). A cell's *key* is the sum of
its contributors' record keys modulo ``R``. The noise added to a cell is read from a published
perturbation table (p-table) at the row of the cell's true count and the column range holding its key.
So a cell with the same contributors gets the same published value in every release and in every table
it appears in; averaging many releases does not wash the noise out.

Margins are perturbed as cells of their own (their key is the sum over all their contributors), so a
published margin is *not* the sum of its published cells: additivity is given up on purpose, since an
additive perturbed table could be solved for its cells again.

What it protects and what it does not, stated plainly (the tests measure both):

* a published small count is never its true value with certainty, and a count can be published as 0;
* between two releases a new contributor changes a cell by a *noisy* amount, so an attacker cannot read
  "+1" off the difference with more than the probability :meth:`PTable.exact_difference_probability`;
* but a cell whose contributors did not change is published identically, so when only one person joins
  between releases, the cells that changed are hers. Cell-key perturbation alone does not hide *where*
  a newcomer was counted. Release updates in batches (see the docs), or use formal differential privacy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import numpy as np

from crsvdata.disclosure.tables import PublishedTable, Table, TableError

__all__ = ["DEFAULT_PTABLE", "PTable", "perturb"]


@dataclass(frozen=True)
class PTable:
    """A perturbation table: for each true count ``n`` (up to ``len(rows) - 1``; larger counts use the
    last row) the noise values and how many of the ``modulus`` cell keys get each, in key order."""

    modulus: int
    rows: tuple[tuple[tuple[int, int], ...], ...]

    def __post_init__(self) -> None:
        if self.modulus < 2 or not self.rows:
            raise TableError("a p-table needs a modulus of at least 2 and at least one row")
        for n, row in enumerate(self.rows):
            if sum(weight for _, weight in row) != self.modulus or any(w <= 0 for _, w in row):
                raise TableError(f"p-table row {n}: weights must be positive and sum to the modulus")
            if any(n + noise < 0 for noise, _ in row):
                raise TableError(f"p-table row {n}: a noise would make the count negative")

    def row(self, count: int) -> tuple[tuple[int, int], ...]:
        """The row used for a true ``count``."""
        return self.rows[min(count, len(self.rows) - 1)]

    def noise(self, count: int, cell_key: int) -> int:
        """The noise for a cell with true ``count`` and key ``cell_key``."""
        position = cell_key % self.modulus
        for noise, weight in self.row(count):
            if position < weight:
                return noise
            position -= weight
        raise AssertionError("unreachable: weights sum to the modulus")

    def distribution(self, count: int) -> Mapping[int, Fraction]:
        """Published value -> probability, for a true ``count`` and a uniform cell key."""
        out: dict[int, Fraction] = {}
        for noise, weight in self.row(count):
            out[count + noise] = out.get(count + noise, Fraction(0)) + Fraction(weight, self.modulus)
        return out

    @property
    def max_noise(self) -> int:
        """D: the largest absolute noise."""
        return max(abs(noise) for row in self.rows for noise, _ in row)

    def variance(self, count: int) -> Fraction:
        """V: the variance of the noise at a true ``count``."""
        row = self.row(count)
        mean = self.bias(count)
        return sum((Fraction(w, self.modulus) * (noise - mean) ** 2 for noise, w in row), Fraction(0))

    def bias(self, count: int) -> Fraction:
        """Expected noise at a true ``count`` (0 means unbiased)."""
        return sum((Fraction(noise * w, self.modulus) for noise, w in self.row(count)), Fraction(0))

    @property
    def zeros_stay_zero(self) -> bool:
        """True if a cell nobody contributes to is always published as 0 (ABS practice)."""
        return self.rows[0] == ((0, self.modulus),)

    def exact_probability(self, count: int) -> Fraction:
        """Probability that a cell with true ``count`` is published as exactly ``count``."""
        return self.distribution(count).get(count, Fraction(0))

    def exact_difference_probability(self, count: int) -> Fraction:
        """Probability that, when one contributor joins a cell of ``count``, the published value rises by
        exactly 1 (the new key is uniform and independent of the old one)."""
        before, after = self.distribution(count), self.distribution(count + 1)
        return sum((p * after.get(v + 1, Fraction(0)) for v, p in before.items()), Fraction(0))

    def describe(self) -> dict[str, object]:
        """A JSON-ready description for the manifest: the table itself is public by design."""
        return {
            "modulus": self.modulus,
            "rows": [[[noise, weight] for noise, weight in row] for row in self.rows],
            "max_noise": self.max_noise,
            "variance": {str(n): float(self.variance(n)) for n in range(len(self.rows))},
            "zeros_stay_zero": self.zeros_stay_zero,
        }


def _scaled(modulus: int, row: Sequence[tuple[int, int]], parts: int) -> tuple[tuple[int, int], ...]:
    return tuple((noise, weight * modulus // parts) for noise, weight in row)


_R: Final = 1 << 16
DEFAULT_PTABLE: Final = PTable(
    _R,
    (
        ((0, _R),),
        # n = 1: published 0, 1, 2 or 3 with probabilities 6, 6, 2, 2 in 16: unbiased, variance 1.
        _scaled(_R, ((-1, 6), (0, 6), (1, 2), (2, 2)), 16),
        # n >= 2: noise -2..+2 with 2, 3, 6, 3, 2 in 16: unbiased, variance 11/8; n = 2 may become 0.
        _scaled(_R, ((-2, 2), (-1, 3), (0, 6), (1, 3), (2, 2)), 16),
    ),
)
"""crsvdata's default p-table: D = 2, V = 1 at a count of 1 and 11/8 above, zeros stay zero, no count
is published as itself with probability above 3/8, and 0 can come from a true 0, 1 or 2."""


def perturb(table: Table, ptable: PTable = DEFAULT_PTABLE) -> PublishedTable:
    """Publish every entry of a keyed ``table`` (cells and margins) with cell-key noise.

    The table must come from :meth:`Table.from_units` with ``modulus == ptable.modulus``. Published
    counts are never negative. ``threshold`` of the result is 0: nothing is suppressed.
    """
    if table.key_modulus != ptable.modulus:
        raise TableError("the table's record keys and the p-table must use the same modulus")
    entries = table.entries
    keys = table.entry_cell_keys
    values: dict[tuple[int, ...], int | None] = {}
    for index in np.ndindex(entries.shape):
        count = int(entries[index])
        values[tuple(int(i) for i in index)] = count + ptable.noise(count, int(keys[index]))
    return PublishedTable(table.domains, values, "cell_key_perturbation", 0)
