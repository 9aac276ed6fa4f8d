"""The lattice search as it was before it was held in numpy (commit e3b655f), kept as the reference:
dicts, sets and Python loops over the distinct bottom rows, one evaluation per node.

The text below is that module's, unchanged but for this docstring.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

__all__ = ["Column", "SearchResult", "person_diversity", "search"]


@dataclass
class Column:
    """One quasi-identifier (or sensitive attribute): its levels and each record's values, as codes.

    ``add`` takes the record's value at every level (as canonical strings); a sensitive attribute has one
    level.
    """

    name: str
    levels: tuple[str, ...]
    combos: list[tuple[str, ...]] = field(default_factory=list)
    ids: array[int] = field(default_factory=lambda: array("I"))
    _index: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def add(self, values: tuple[str, ...]) -> None:
        """Append one record's values at every level."""
        code = self._index.get(values)
        if code is None:
            code = self._index[values] = len(self.combos)
            self.combos.append(values)
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


def _units(class_keys: Sequence[tuple[int, ...]], owners: Sequence[int]) -> dict[tuple[int, ...], int]:
    """The number of distinct persons in each class."""
    members: defaultdict[tuple[int, ...], set[int]] = defaultdict(set)
    for cls, owner in zip(class_keys, owners, strict=True):
        members[cls].add(owner)
    return {cls: len(people) for cls, people in members.items()}


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


def _low_diversity(
    class_keys: Sequence[tuple[int, ...]],
    values: Sequence[int],
    owners: Sequence[int],
    l: int,  # noqa: E741
) -> set[tuple[int, ...]]:
    """The classes with fewer than ``l`` distinct values (by person when ``owners`` is given)."""
    if not owners:
        distinct: defaultdict[tuple[int, ...], set[int]] = defaultdict(set)
        for cls, value in zip(class_keys, values, strict=True):
            distinct[cls].add(value)
        return {cls for cls, seen in distinct.items() if len(seen) < l}
    held: defaultdict[tuple[int, ...], defaultdict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for cls, value, owner in zip(class_keys, values, owners, strict=True):
        held[cls][owner].add(value)
    return {cls for cls, people in held.items() if person_diversity(people.values()) < l}


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
    """
    records = len(qis[0].ids) if qis else 0
    sizes = [len(column.levels) for column in qis]
    nodes = sorted(itertools.product(*(range(size) for size in sizes)), key=lambda n: (_height(n, sizes), n))
    if records == 0 or not qis:
        node = nodes[0] if nodes else ()
        codes = tuple(column.level_codes(level) for column, level in zip(qis, node, strict=True))
        return SearchResult(node, frozenset(), 0, 0.0, 0, codes)
    by_person = persons is not None
    person_ids: Sequence[Sequence[int]] = (persons,) if persons is not None else ()
    bottom = Counter(zip(*(c.ids for c in qis), *(s.ids for s in sensitive), *person_ids, strict=True))
    # Columns of the distinct bottom combinations: each node maps them with C-level ``map`` calls.
    keys = list(bottom)
    counts = [bottom[key] for key in keys]
    q_count = len(qis)
    columns = [[key[q] for key in keys] for q in range(q_count)]
    sensitive_values = [[key[q_count + s] for key in keys] for s in range(len(sensitive))]
    owners = [key[-1] for key in keys] if by_person else []
    check_l = bool(sensitive) and l > 1
    budget = int(max_suppressed_fraction * records + 1e-9)
    level_codes = [[column.level_codes(level) for level in range(len(column.levels))] for column in qis]
    best: tuple[float, int, tuple[int, ...], frozenset[tuple[int, ...]]] | None = None
    evaluated = 0
    for node in nodes:
        height = _height(node, sizes)
        if best is not None and height > best[0]:
            break
        evaluated += 1
        mapped = [list(map(level_codes[q][node[q]].__getitem__, columns[q])) for q in range(q_count)]
        class_keys = list(zip(*mapped, strict=True))
        classes: dict[tuple[int, ...], int] = {}
        for cls, count in zip(class_keys, counts, strict=True):
            classes[cls] = classes.get(cls, 0) + count
        units = _units(class_keys, owners) if by_person else classes
        failing_set = {cls for cls, size in units.items() if size < k}
        if check_l:
            for values in sensitive_values:
                failing_set.update(_low_diversity(class_keys, values, owners, l))
        failing = frozenset(failing_set)
        suppressed = sum(classes[cls] for cls in failing)
        kept = records - suppressed
        if suppressed > budget or kept == 0:
            continue
        kept_units = sum(size for cls, size in units.items() if cls not in failing)
        if (len(classes) - len(failing)) / kept_units > max_global_risk + 1e-12:
            continue
        share = suppressed / records
        loss = (1 - share) * height + share
        candidate = (loss, suppressed, node, failing)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None:
        return None
    loss, suppressed, node, failing = best
    codes = tuple(level_codes[q][node[q]] for q in range(q_count))
    return SearchResult(node, failing, suppressed, loss, evaluated, codes)
