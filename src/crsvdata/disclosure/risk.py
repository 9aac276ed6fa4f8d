"""Re-identification risk of any table: k-anonymity, l-diversity, t-closeness, uniques, global risk.

Works on any iterable of mappings (rows) or on a CSV file with a header (or a JSON Lines file of
objects), not only on crsvdata records. Definitions, all textbook:

* an *equivalence class* is the set of rows sharing one combination of quasi-identifier values;
  a missing value (absent key, ``None``, empty string, NaN) is a category of its own;
* ``k`` is the size of the smallest class; ``sample_uniques`` the rows alone in their class;
* ``global_risk`` is the expected share of rows re-identified by an intruder who knows the
  quasi-identifiers of a person in the data (prosecutor model): ``sum(1/f_c) / N = classes / N``;
* for each sensitive attribute: distinct ``l`` (fewest distinct values in a class), entropy ``l``
  (smallest ``exp(H)`` of a class, reported as a float, not floored), recursive ``(c, l)`` as
  Machanavajjhala et al. define it (the counts ``r_1 >= r_2 >= ...`` sorted *descending*; a class is
  (c,l)-diverse when ``r_1 < c * (r_l + ... + r_m)``), and t-closeness with the equal ground distance
  (half the L1 distance between a class's distribution and the whole table's).

Every figure is computed from counts with exactly rounded sums (``math.fsum``), so it does not depend
on row order, index labels or column order (pycanon gets t-closeness wrong on a shuffled index).
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = ["MISSING", "RiskReport", "SensitiveRisk", "measure_risk", "read_table", "recursive_c"]


class _Missing:
    """The category of every missing value: one object, equal only to itself."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""What a missing value (absent, ``None``, ``""`` or NaN) counts as: a category of its own."""


def _canonical(value: Any) -> Hashable:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, list | tuple):
        return tuple(_canonical(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), repr(_canonical(v))) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return frozenset(_canonical(item) for item in value)
    if isinstance(value, Hashable):
        return value
    return repr(value)


def _lookup(row: Mapping[str, Any], column: str) -> Any:
    if column in row:
        return row[column]
    # Nested JSON objects: a dotted path ("survivor.sex") reaches into them.
    node: Any = row
    for part in column.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


@dataclass(frozen=True, slots=True)
class SensitiveRisk:
    """Attribute-disclosure figures for one sensitive attribute."""

    attribute: str
    l_distinct: int
    l_entropy: float
    recursive_c: int
    """The smallest integer c for which every class is recursive (c, l_distinct)-diverse."""
    t_closeness: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "attribute": self.attribute,
            "l_distinct": self.l_distinct,
            "l_entropy": round(self.l_entropy, 6),
            "recursive_c": self.recursive_c,
            "t_closeness": round(self.t_closeness, 6),
        }


@dataclass(frozen=True)
class RiskReport:
    """Risk figures for one table and one set of quasi-identifiers. It holds counts, never values."""

    records: int
    quasi_identifiers: tuple[str, ...]
    classes: int
    k: int
    """The smallest class size; 0 for an empty table."""
    sample_uniques: int
    global_risk: float
    class_sizes: Mapping[int, int] = field(repr=False)
    """Class size -> number of classes of that size."""
    sensitive: Mapping[str, SensitiveRisk] = field(default_factory=dict)

    @property
    def max_risk(self) -> float:
        """The highest re-identification probability of any row (1/k; 0 for an empty table)."""
        return 1.0 / self.k if self.k else 0.0

    def records_below(self, k: int) -> int:
        """How many rows are in classes smaller than ``k``."""
        return sum(size * count for size, count in self.class_sizes.items() if size < k)

    @property
    def l_distinct(self) -> int | None:
        """The smallest distinct l over all sensitive attributes (None without any)."""
        return min((s.l_distinct for s in self.sensitive.values()), default=None)

    @property
    def l_entropy(self) -> float | None:
        """The smallest entropy l over all sensitive attributes (None without any)."""
        return min((s.l_entropy for s in self.sensitive.values()), default=None)

    @property
    def t_closeness(self) -> float | None:
        """The largest t over all sensitive attributes (None without any)."""
        return max((s.t_closeness for s in self.sensitive.values()), default=None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (counts and figures only)."""
        return {
            "records": self.records,
            "quasi_identifiers": list(self.quasi_identifiers),
            "classes": self.classes,
            "k": self.k,
            "sample_uniques": self.sample_uniques,
            "global_risk": round(self.global_risk, 6),
            "max_risk": round(self.max_risk, 6),
            "records_below_5": self.records_below(5),
            "sensitive": [s.to_dict() for _, s in sorted(self.sensitive.items())],
        }


def recursive_c(counts: Iterable[int], l: int) -> int:  # noqa: E741  (l is the textbook's name)
    """The smallest integer c with ``r_1 < c * (r_l + ... + r_m)`` for one class's value counts.

    The counts are sorted descending, as the definition requires. ValueError when the class has fewer
    than ``l`` distinct values (it is then not (c,l)-diverse for any c).
    """
    ordered = sorted((count for count in counts if count > 0), reverse=True)
    if l < 1 or len(ordered) < l:
        raise ValueError("a class needs at least l distinct values to be (c,l)-diverse")
    tail = sum(ordered[l - 1 :])
    return ordered[0] // tail + 1


def _entropy_l(counts: Iterable[int]) -> float:
    values = [count for count in counts if count > 0]
    total = sum(values)
    entropy = -math.fsum(sorted((c / total) * math.log(c / total) for c in values))
    return math.exp(entropy)


def _equal_distance(
    class_counts: Mapping[Hashable, int], overall: Mapping[Hashable, int], total: int
) -> float:
    size = sum(class_counts.values())
    terms = [abs(class_counts.get(v, 0) / size - overall[v] / total) for v in overall]
    return 0.5 * math.fsum(sorted(terms))


def read_table(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows of a CSV file with a header (UTF-8, a byte-order mark allowed) or of a JSON Lines file."""
    file = Path(path)
    if file.suffix.lower() in (".jsonl", ".ndjson"):
        with file.open("r", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        raise ValueError(f"line {number} is not valid JSON") from None
                    if not isinstance(row, dict):
                        raise ValueError(f"line {number} is not a JSON object")
                    yield row
        return
    with file.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            return
        yield from reader


def measure_risk(
    rows: Iterable[Mapping[str, Any]] | str | os.PathLike[str],
    quasi_identifiers: Sequence[str],
    sensitive: str | Sequence[str] | None = None,
) -> RiskReport:
    """Measure the re-identification and attribute-disclosure risk of a table.

    ``rows`` is an iterable of mappings, or the path of a CSV (header row) or JSON Lines file, read as a
    stream: only the counts per class are kept. Dotted names reach into nested objects.
    """
    qis = tuple(quasi_identifiers)
    if not qis:
        raise ValueError("at least one quasi-identifier is needed")
    sensitives = (sensitive,) if isinstance(sensitive, str) else tuple(sensitive or ())
    if isinstance(rows, str | os.PathLike):
        if Path(rows).suffix.lower() not in (".jsonl", ".ndjson"):
            _check_header(Path(rows), (*qis, *sensitives))
        rows = read_table(rows)
    class_counts: Counter[tuple[Hashable, ...]] = Counter()
    by_class: dict[str, defaultdict[tuple[Hashable, ...], Counter[Hashable]]] = {
        name: defaultdict(Counter) for name in sensitives
    }
    overall: dict[str, Counter[Hashable]] = {name: Counter() for name in sensitives}
    for row in rows:
        key = tuple(_canonical(_lookup(row, column)) for column in qis)
        class_counts[key] += 1
        for name in sensitives:
            value = _canonical(_lookup(row, name))
            by_class[name][key][value] += 1
            overall[name][value] += 1
    records = sum(class_counts.values())
    sizes = Counter(class_counts.values())
    report_sensitive: dict[str, SensitiveRisk] = {}
    if records:
        for name in sensitives:
            distributions = by_class[name]
            l_distinct = min(len(counts) for counts in distributions.values())
            report_sensitive[name] = SensitiveRisk(
                attribute=name,
                l_distinct=l_distinct,
                l_entropy=min(_entropy_l(counts.values()) for counts in distributions.values()),
                recursive_c=max(
                    recursive_c(counts.values(), l_distinct) for counts in distributions.values()
                ),
                t_closeness=max(
                    _equal_distance(counts, overall[name], records) for counts in distributions.values()
                ),
            )
    return RiskReport(
        records=records,
        quasi_identifiers=qis,
        classes=len(class_counts),
        k=min(class_counts.values(), default=0),
        sample_uniques=sizes.get(1, 0),
        global_risk=len(class_counts) / records if records else 0.0,
        class_sizes=dict(sorted(sizes.items())),
        sensitive=report_sensitive,
    )


def _check_header(path: Path, columns: Sequence[str]) -> None:
    # A CSV column that does not exist is a mistake, not a column of missing values: say so.
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    absent = [column for column in columns if column not in header]
    if absent:
        raise ValueError(f"column(s) not in the CSV header: {', '.join(absent)}")
