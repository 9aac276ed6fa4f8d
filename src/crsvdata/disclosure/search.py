"""The search for the least generalisation that meets k and l within a suppression budget.

Full-domain generalisation over a small lattice (one level per quasi-identifier, a few thousand nodes at
most for CRSV data), as ARX and anjana do, with record suppression of the classes that still fail. The
data are kept as integer codes: per quasi-identifier, each record holds the id of its tuple of values at
every allowed level, so a node is evaluated from the counts of distinct code combinations, never from
the records again.

Loss of a node = (1 - s) * P + s, where P is the mean generalisation height (0 finest, 1 suppressed)
and s the share of records suppressed: suppressing a record loses all of it. Nodes are tried in order of
P; since loss >= P, the search stops once P exceeds the best loss found, so the answer is optimal.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

__all__ = ["Column", "SearchResult", "person_diversity", "search"]


_SHORT_ID: Final = 0xFFFF
_UNSIGNED: Final[dict[str, type[np.unsignedinteger[Any]]]] = {"H": np.uint16, "I": np.uint32, "Q": np.uint64}


@dataclass
class Column:
    """One quasi-identifier (or sensitive attribute): its levels and each record's values, as codes.

    ``add`` takes the record's value at every level (as canonical strings); a sensitive attribute has one
    level.
    """

    name: str
    levels: tuple[str, ...]
    combos: list[tuple[str, ...]] = field(default_factory=list)
    ids: array[int] = field(default_factory=lambda: array("H"))
    """Each record's combo id: two bytes a record while there are at most 65,536 combos, then four."""
    _index: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def add(self, values: tuple[str, ...]) -> None:
        """Append one record's values at every level."""
        code = self._index.get(values)
        if code is None:
            code = self._index[values] = len(self.combos)
            self.combos.append(values)
            if code > _SHORT_ID and self.ids.typecode == "H":
                self.ids = array("I", self.ids)
        self.ids.append(code)

    def level_codes(self, level: int) -> list[int]:
        """For each combo id, the id of its value at ``level`` (equal values, equal ids)."""
        seen: dict[str, int] = {}
        return [seen.setdefault(combo[level], len(seen)) for combo in self.combos]

    def value(self, record: int, level: int) -> str:
        """A record's canonical value at ``level``."""
        return self.combos[self.ids[record]][level]


@dataclass(frozen=True)
class SearchResult:
    """The chosen node (a level index per quasi-identifier) and the classes it suppresses."""

    node: tuple[int, ...]
    suppressed_classes: frozenset[tuple[int, ...]]
    suppressed_records: int
    loss: float
    evaluated: int
    level_codes: tuple[list[int], ...] = field(repr=False)

    def class_of(self, qis: Sequence[Column], record: int) -> tuple[int, ...]:
        """The class key of a record under the chosen node."""
        return tuple(self.level_codes[q][column.ids[record]] for q, column in enumerate(qis))

    def is_suppressed(self, qis: Sequence[Column], record: int) -> bool:
        """True when the record's class fails k or l and is left out."""
        return self.class_of(qis, record) in self.suppressed_classes


def _height(node: tuple[int, ...], sizes: Sequence[int]) -> float:
    parts = [level / (size - 1) for level, size in zip(node, sizes, strict=True) if size > 1]
    return sum(parts) / len(parts) if parts else 0.0


def person_diversity(held: Iterable[AbstractSet[Hashable]]) -> int:
    """Distinct l of one class by persons, given the set of values each person holds in it.

    The distinct values of the class, except that a value every person holds is disclosed with
    certainty, so the class counts as 1: one person's records of other values never make the others'
    shared value diverse.
    """
    sets = list(held)
    if not sets:
        return 0
    if frozenset.intersection(*map(frozenset, sets)):
        return 1
    return len(frozenset().union(*sets))


_MAX_KEY: Final = 1 << 62
"""Bound of a combined integer key: past it, the key so far is renumbered (np.unique) before combining."""


def _combine(
    rows: int, parts: Iterable[npt.NDArray[np.integer[Any]]], sizes: Sequence[int]
) -> npt.NDArray[np.int64]:
    """One integer per row, equal exactly when every part is equal (mixed radix; renumbered on overflow).

    ``parts`` may be a generator: one part is held at a time besides the key, and the key is updated in
    place, so a part of narrow unsigned ints (a view of a column's buffer) is never copied as int64.
    """
    key = np.zeros(rows, dtype=np.int64)
    bound = 1
    for part, size in zip(parts, sizes, strict=True):
        size = max(size, 1)
        if bound * size >= _MAX_KEY:
            uniques, key = np.unique(key, return_inverse=True)
            key = key.astype(np.int64).reshape(-1)
            bound = max(len(uniques), 1)
        key *= size
        # uint64 with int64 would be added as floats; every part's ids are below _MAX_KEY.
        np.add(key, part.astype(np.int64) if part.dtype == np.uint64 else part, out=key)
        bound *= size
    return key


@dataclass(frozen=True)
class _Evaluation:
    """One node over the distinct bottom rows: its classes, their sizes and which of them fail."""

    classes: npt.NDArray[np.int64]
    """The class of each bottom row (0 .. number of classes - 1)."""
    records: npt.NDArray[np.int64]
    units: npt.NDArray[np.int64]
    failing: npt.NDArray[np.bool_]


class _Bottom:
    """The distinct combinations of (quasi-identifier ids, sensitive ids, person) and their counts."""

    def __init__(self, qis: Sequence[Column], sensitive: Sequence[Column], persons: Sequence[int] | None):
        # Views of the columns' own buffers (no copy): a copy as int64 would cost 8 bytes per record each.
        columns = [_view(c.ids) for c in qis] + [_view(s.ids) for s in sensitive]
        if persons is not None:
            columns.append(_view(persons))
        sizes = [int(c.max()) + 1 if len(c) else 1 for c in columns]
        key = _combine(len(columns[0]), columns, sizes)
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        del key
        q_count = len(qis)
        self.counts = counts.astype(np.int64)
        self.qi = [_ids(column[first]) for column in columns[:q_count]]
        self.sensitive = [_ids(column[first]) for column in columns[q_count : q_count + len(sensitive)]]
        self.owners = _ids(columns[-1][first]) if persons is not None else None
        self.owner_count = sizes[-1] if persons is not None else 0
        self.value_counts = [sizes[q_count + s] for s in range(len(sensitive))]


def _ids(values: Sequence[int] | npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


def _view(values: Sequence[int]) -> npt.NDArray[np.integer[Any]]:
    """An array over ``values``: the buffer itself for an ``array`` of unsigned ints, else a copy."""
    if isinstance(values, array) and values.typecode in _UNSIGNED:
        return np.frombuffer(values, dtype=_UNSIGNED[values.typecode])
    return _ids(values)


def _evaluate(
    bottom: _Bottom,
    codes: Sequence[npt.NDArray[np.int64]],
    k: int,
    l: int,  # noqa: E741
    check_l: bool,
) -> _Evaluation:
    sizes = [int(code.max()) + 1 if len(code) else 1 for code in codes]
    mapped = (code[column] for code, column in zip(codes, bottom.qi, strict=True))
    _, classes = np.unique(_combine(len(bottom.counts), mapped, sizes), return_inverse=True)
    classes = classes.astype(np.int64).reshape(-1)
    count = int(classes.max()) + 1 if len(classes) else 0
    records = np.bincount(classes, weights=bottom.counts, minlength=count).astype(np.int64)
    owners = bottom.owners
    if owners is not None:
        # A class's size is its number of distinct persons.
        pairs = np.unique(classes * bottom.owner_count + owners)
        units = np.bincount(pairs // bottom.owner_count, minlength=count).astype(np.int64)
    else:
        units = records
    failing = units < k
    if check_l:
        for values, size in zip(bottom.sensitive, bottom.value_counts, strict=True):
            failing |= _diversity(classes, values, size, owners, bottom.owner_count, count) < l
    return _Evaluation(classes, records, units, failing)


def _diversity(
    classes: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
    size: int,
    owners: npt.NDArray[np.int64] | None,
    owner_count: int,
    count: int,
) -> npt.NDArray[np.int64]:
    """Each class's distinct l, by persons (:func:`person_diversity`) when ``owners`` is given."""
    held = np.unique(classes * size + values)  # the distinct (class, value) pairs
    distinct = np.bincount(held // size, minlength=count).astype(np.int64)
    if owners is None:
        return distinct
    # A value every person of the class holds is disclosed: the class counts as 1.
    pairs, person_of = np.unique(classes * owner_count + owners, return_inverse=True)
    pair_class = pairs // owner_count
    triples = np.unique(person_of.astype(np.int64).reshape(-1) * size + values)
    class_values, holders = np.unique(pair_class[triples // size] * size + triples % size, return_counts=True)
    persons = np.bincount(pair_class, minlength=count)
    of_class = class_values // size
    everyone = np.zeros(count, dtype=bool)
    everyone[of_class[holders == persons[of_class]]] = True
    return np.where(everyone, 1, distinct)


def search(
    qis: Sequence[Column],
    sensitive: Sequence[Column],
    *,
    k: int,
    l: int,  # noqa: E741
    max_global_risk: float,
    max_suppressed_fraction: float,
    persons: Sequence[int] | None = None,
) -> SearchResult | None:
    """The least-loss node meeting the thresholds, or None when no node within the levels does.

    A node is acceptable when, after suppressing the classes smaller than ``k`` or with fewer than ``l``
    distinct values of any sensitive attribute, at most ``max_suppressed_fraction`` of the records are
    suppressed and the classes left give a global risk (classes / records) of at most
    ``max_global_risk``.

    With ``persons`` (a person id per record), classes are measured by persons, not records: a class's
    size is the number of distinct persons in it, l is :func:`person_diversity`, and the global risk
    is classes per person; so the records of one person can never fill a class. The suppression
    budget stays a share of records.

    The distinct bottom rows are held as integer arrays (numpy), a few machine words each, and every
    node is evaluated on them by sorting, never by a Python loop over records.
    """
    records = len(qis[0].ids) if qis else 0
    sizes = [len(column.levels) for column in qis]
    nodes = sorted(itertools.product(*(range(size) for size in sizes)), key=lambda n: (_height(n, sizes), n))
    if records == 0 or not qis:
        node = nodes[0] if nodes else ()
        codes = tuple(column.level_codes(level) for column, level in zip(qis, node, strict=True))
        return SearchResult(node, frozenset(), 0, 0.0, 0, codes)
    bottom = _Bottom(qis, sensitive, persons)
    check_l = bool(sensitive) and l > 1
    budget = int(max_suppressed_fraction * records + 1e-9)
    level_codes = [[column.level_codes(level) for level in range(len(column.levels))] for column in qis]
    arrays = [[_ids(codes) for codes in per_level] for per_level in level_codes]
    q_count = len(qis)
    best: tuple[float, int, tuple[int, ...], _Evaluation] | None = None
    evaluated = 0
    for node in nodes:
        height = _height(node, sizes)
        if best is not None and height > best[0]:
            break
        evaluated += 1
        found = _evaluate(bottom, [arrays[q][node[q]] for q in range(q_count)], k, l, check_l)
        suppressed = int(found.records[found.failing].sum())
        kept = records - suppressed
        if suppressed > budget or kept == 0:
            continue
        kept_units = int(found.units[~found.failing].sum())
        classes_left = len(found.records) - int(found.failing.sum())
        if classes_left / kept_units > max_global_risk + 1e-12:
            continue
        share = suppressed / records
        loss = (1 - share) * height + share
        if best is None or (loss, suppressed, node) < best[:3]:
            best = (loss, suppressed, node, found)
    if best is None:
        return None
    loss, suppressed, node, found = best
    codes = tuple(level_codes[q][node[q]] for q in range(q_count))
    # The failing classes as tuples of level codes (SearchResult.class_of), from one row of each.
    rows = np.unique(found.classes, return_index=True)[1]
    mapped = [arrays[q][node[q]][bottom.qi[q]] for q in range(q_count)]
    failing = frozenset(
        tuple(int(mapped[q][row]) for q in range(q_count))
        for row, fails in zip(rows, found.failing, strict=True)
        if fails
    )
    return SearchResult(node, failing, suppressed, loss, evaluated, codes)
