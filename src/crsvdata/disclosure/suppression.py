"""Small-cell suppression of a count table: primary, secondary, and an audit of what the margins pin.

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
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

__all__ = ["TOTAL", "CountTable", "Key", "SuppressedTable", "determined_entries", "suppress_small_cells"]

TOTAL: Final = "_total"
"""The category of a margin: the sum over every category of that dimension."""
_MAX_ENTRIES: Final = 200_000


@dataclass(frozen=True)
class CountTable:
    """Counts of one unit by dimensions: only the observed categories, zeros implied."""

    dimensions: tuple[str, ...]
    unit: str
    counts: Mapping[tuple[str, ...], int]

    @property
    def categories(self) -> tuple[tuple[str, ...], ...]:
        """The observed categories of each dimension, sorted."""
        return tuple(tuple(sorted({key[i] for key in self.counts})) for i in range(len(self.dimensions)))


# --- the extended table and its lines ---------------------------------------------------------------

Key = tuple[int, ...]


@dataclass
class SuppressedTable:
    """A count table with all its margins, and which entries are suppressed.

    ``entries`` maps an index tuple (the last index of each dimension is its total) to the true count;
    only ``published()`` is meant to leave the organisation.
    """

    dimensions: tuple[str, ...]
    unit: str
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
