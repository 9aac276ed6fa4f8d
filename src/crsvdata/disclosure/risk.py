"""Re-identification risk of any table: k-anonymity, l-diversity, t-closeness, uniques, global risk.

Works on any iterable of mappings (rows) or on a CSV file with a header (or a JSON Lines file of
objects), not only on crsvdata records. Definitions, all textbook:

* an *equivalence class* is the set of rows sharing one combination of quasi-identifier values;
  a missing value (absent key, ``None``, empty string, NaN) is a category of its own;
* a dotted name reaches into nested objects; where it meets a list it is applied to every item, and the
  value is the list of the items' values in order (``incidents.place`` of a record with two incidents is
  the pair of their places), as the export's own risk check reads it;
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

import gc
import math
import os
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

from crsvdata.disclosure.frames import column_problem, count_frame, frame_library
from crsvdata.errors import CrsvError
from crsvdata.io import csv_header, is_json_lines_path, iter_csv_columns, iter_csv_rows, read_documents
from crsvdata.io.sources import rows_of_json_text

__all__ = [
    "MISSING",
    "RiskInputError",
    "RiskReport",
    "SensitiveRisk",
    "measure_risk",
    "read_table",
    "recursive_c",
]


class RiskInputError(CrsvError, ValueError):
    """A table that cannot be measured as asked: a column it does not have, a row that is not an object.

    A ``ValueError`` too, as before. The message names columns and lines, never a cell's value.
    """

    code = "anonymise.unknown_column"


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


_ABSENT: Final = object()


def _lookup(row: Mapping[str, Any], column: str) -> Any:
    value = _resolve(row, column)
    return None if value is _ABSENT else value


def _resolve(row: Mapping[str, Any], column: str) -> Any:
    """The value of ``column`` in ``row``, or ``_ABSENT`` when the row does not have it at all."""
    if column in row:
        return row[column]
    return _walk(row, column.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    if isinstance(node, list):
        # A list is mapped over, item by item, so the value is a combination, never a silent None.
        values = [_walk(item, parts) for item in node]
        if node and all(value is _ABSENT for value in values):
            return _ABSENT
        return [None if value is _ABSENT else value for value in values]
    if not isinstance(node, Mapping) or parts[0] not in node:
        return _ABSENT
    return _walk(node[parts[0]], parts[1:])


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
    """Rows of a table file, read strictly (``InputError`` with a code and a line on any fault).

    ``.jsonl``/``.ndjson``: JSON Lines, one object a row; ``.json``: one JSON document, an object (one
    row) or an array of objects; anything else: CSV with a header (UTF-8, a byte-order mark allowed).
    """
    file = Path(path)
    if is_json_lines_path(file) or file.suffix.lower() == ".json":
        for document in read_documents(file):
            rows = document.value if isinstance(document.value, list) and document.line is None else None
            for position, row in enumerate([document.value] if rows is None else rows):
                if not isinstance(row, dict):
                    where = f"line {document.line}" if document.line else f"item {position}"
                    raise RiskInputError(f"{where} is not a JSON object", code="anonymise.row_not_object")
                yield row
        return
    for _number, row in iter_csv_rows(file):
        yield row


def measure_risk(
    rows: Iterable[Mapping[str, Any]] | os.PathLike[str] | str | bytes,
    quasi_identifiers: Sequence[str],
    sensitive: str | Sequence[str] | None = None,
) -> RiskReport:
    """Measure the re-identification and attribute-disclosure risk of a table.

    ``rows`` is an iterable of mappings, JSON text (``str`` or ``bytes``: an array of rows, one row, or
    JSON Lines), or a ``pathlib.Path`` of a CSV (header row), JSON Lines or JSON file, read as a stream:
    only the counts per class are kept. Dotted names reach into nested objects and map over lists. For a
    file, a column that no row has (a misspelt name, a path through a scalar) raises ``RiskInputError``
    instead of counting every row as missing; in-memory rows may omit any key.

    ``rows`` may also be a polars ``DataFrame`` or ``LazyFrame`` or a pandas ``DataFrame``: the rows are
    then counted by the library's own group-by, and the report is that of the frame's rows as dicts (every
    missing value of the library, such as null, NaN, NaT or ``pd.NA``, is the one missing category). For a
    frame, a column it does not have raises ``RiskInputError``, as for a file.
    """
    qis = tuple(quasi_identifiers)
    if not qis:
        raise ValueError("at least one quasi-identifier is needed")
    sensitives = (sensitive,) if isinstance(sensitive, str) else tuple(sensitive or ())
    if isinstance(rows, str | bytes):  # JSON text, as every crsvdata entry point reads a str
        rows = rows_of_json_text(rows)
    with _without_cyclic_gc():
        if frame_library(rows) is not None:
            return _measure_frame(rows, qis, sensitives)
        if isinstance(rows, os.PathLike):
            return _measure_file(Path(rows), qis, sensitives)
        return _measure(rows, qis, sensitives, None)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    # Counting allocates one tuple per row and makes no reference cycles; left on, the cyclic collector
    # would rescan every live row of an in-memory table again and again (a third of the time at 1M rows).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _measure_file(path: Path, qis: tuple[str, ...], sensitives: tuple[str, ...]) -> RiskReport:
    columns = (*qis, *sensitives)
    if not (is_json_lines_path(path) or path.suffix.lower() == ".json"):
        _check_header(path, columns)
        # Columnar: the cells of the named columns as tuples of strings, counted as they stream (no dict
        # per row). Every column is in the header, so none can be absent from every row.
        cells = Counter(iter_csv_columns(path, columns))
        return _report(_canonical_counts(cells, Counter()), qis, sensitives)
    seen: set[str] = set()
    report = _measure(read_table(path), qis, sensitives, seen)
    # Checked after the stream (a column can first appear on the last row); an empty table has no
    # columns to check.
    absent = [column for column in columns if column not in seen]
    if report.records and absent:
        raise RiskInputError(f"column(s) in no row of the file: {', '.join(absent)}")
    return report


def _measure_frame(frame: Any, qis: tuple[str, ...], sensitives: tuple[str, ...]) -> RiskReport:
    columns = (*qis, *sensitives)
    problem = column_problem(frame, columns)
    if problem:
        raise RiskInputError(problem)
    counted = count_frame(frame, columns)
    if isinstance(counted, Counter):
        return _report(_canonical_counts(counted, Counter()), qis, sensitives)
    return _measure(counted, qis, sensitives, None)


def _freeze(value: Any) -> Any:
    # A list becomes a tuple so that the raw value can be counted; _canonical maps both alike.
    if isinstance(value, list):
        return tuple([_freeze(item) for item in value])
    return value


def _count_raw(
    rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], seen: set[str]
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Hashable, ...]]]:
    """Rows counted by their raw value tuples, and (for the few rows holding an unhashable value such as a
    dict) by canonical tuples straight away; the columns of those rows go into ``seen`` here, the others'
    are read off the distinct raw tuples later. Canonicalising once per *distinct* tuple instead of once per
    row is what makes this fast: tables have far fewer distinct combinations than rows."""
    flat = not any("." in column for column in columns)
    pick = itemgetter(*columns)
    single = len(columns) == 1
    if flat and isinstance(rows, Sequence):
        # The common case, a list of flat rows with every key present and hashable values, is counted in
        # C; a row that is not like that makes the whole table go through the loop below instead.
        try:
            return _count_flat_rows(rows, pick, len(columns)), Counter()
        except (KeyError, TypeError):
            pass
    raw: Counter[tuple[Any, ...]] = Counter()
    canonical: Counter[tuple[Hashable, ...]] = Counter()
    for position, row in enumerate(rows):
        if not isinstance(row, Mapping):
            # A list, a string or a frame library's row is not a row of named cells: counting it would
            # silently read every column as missing.
            raise RiskInputError(
                f"row {position} is a {type(row).__name__}, not a mapping of column names to values",
                code="anonymise.row_not_object",
            )
        key: tuple[Any, ...]
        if flat:
            try:
                key = (pick(row),) if single else pick(row)
            except KeyError:
                key = tuple([row.get(column, _ABSENT) for column in columns])
        else:
            key = tuple([_freeze(_resolve(row, column)) for column in columns])
        try:
            raw[key] += 1
        except TypeError:
            canonical[tuple([_canonical_or_missing(value) for value in key])] += 1
            seen.update(column for column, value in zip(columns, key, strict=True) if value is not _ABSENT)
    return raw, canonical


_SEPARATOR: Final = "\x00"


def _count_flat_rows(
    rows: Sequence[Mapping[str, Any]], pick: itemgetter[Any], width: int
) -> Counter[tuple[Any, ...]]:
    """Flat rows counted by their raw value tuples, all in C. KeyError or TypeError when a row lacks a
    column or holds an unhashable value: the caller then counts the table row by row.

    Rows whose values are all strings are counted by the values joined into one string: a dict lookup of
    one string is about twice as fast as one of a tuple of strings. The joined keys are split back once
    per *distinct* key; a value that held the separator itself makes its key split into more than
    ``width`` parts, and the table is then counted by tuples, so two tables can never be confused.
    """
    if width == 1:
        return Counter({(value,): count for value, count in Counter(map(pick, rows)).items()})
    joined: Counter[str] = Counter()
    try:
        joined.update(map(_SEPARATOR.join, map(pick, rows)))
    except TypeError:
        # A value that is not a string (None, a number): that row and the rest are counted by tuples.
        # Every row before it was counted, one each, so their number is where it stands.
        rest: Counter[tuple[Any, ...]] = Counter(map(pick, islice(rows, joined.total(), None)))
    else:
        rest = Counter()
    counted: Counter[tuple[Any, ...]] = Counter()
    for key, count in joined.items():
        values = tuple(key.split(_SEPARATOR))
        if len(values) != width:
            return Counter(map(pick, rows))
        counted[values] = count
    for values, count in rest.items():
        counted[values] = counted.get(values, 0) + count
    return counted


def _canonical_or_missing(value: Any) -> Hashable:
    return MISSING if value is _ABSENT else _canonical(value)


def _canonical_counts(
    raw: Counter[tuple[Any, ...]], canonical: Counter[tuple[Hashable, ...]]
) -> Counter[tuple[Hashable, ...]]:
    """The counts per canonical tuple: each distinct raw value canonicalised once."""
    memo = {value: _canonical_or_missing(value) for value in set(chain.from_iterable(raw))}
    if not canonical and all(form is value for value, form in memo.items()):
        # Every value is its own canonical form (strings and numbers, none missing): nothing to merge.
        return raw
    merged = Counter(canonical)
    for key, count in raw.items():
        merged[tuple([memo[value] for value in key])] += count
    return merged


def _measure(
    rows: Iterable[Mapping[str, Any]],
    qis: tuple[str, ...],
    sensitives: tuple[str, ...],
    seen: set[str] | None,
) -> RiskReport:
    columns = (*qis, *sensitives)
    found: set[str] = set()
    raw, canonical = _count_raw(rows, columns, found)
    if seen is not None:
        seen |= found
        for key in raw:
            seen.update(column for column, value in zip(columns, key, strict=True) if value is not _ABSENT)
            if len(seen) == len(columns):
                break
    return _report(_canonical_counts(raw, canonical), qis, sensitives)


def _report(
    counts: Counter[tuple[Hashable, ...]], qis: tuple[str, ...], sensitives: tuple[str, ...]
) -> RiskReport:
    width = len(qis)
    # Plain dicts with .get, not Counter/defaultdict(Counter): a new key of those runs Python code
    # (Counter.__missing__, Counter.__init__) once per distinct combination, half this loop's time.
    class_counts: Mapping[tuple[Hashable, ...], int]
    by_class: dict[str, dict[tuple[Hashable, ...], dict[Hashable, int]]] = {name: {} for name in sensitives}
    overall: dict[str, dict[Hashable, int]] = {name: {} for name in sensitives}
    if not sensitives:
        class_counts = counts  # a key is its class
    elif len(sensitives) == 1:
        class_counts = _split_one_sensitive(counts, width, by_class[sensitives[0]], overall[sensitives[0]])
    else:
        class_counts = _split_sensitives(
            counts, width, [(by_class[name], overall[name]) for name in sensitives]
        )
    records = sum(class_counts.values())
    sizes = Counter(class_counts.values())
    report_sensitive: dict[str, SensitiveRisk] = {}
    if records:
        for name in sensitives:
            report_sensitive[name] = _sensitive_risk(
                name, by_class[name], class_counts, overall[name], records
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


def _split_one_sensitive(
    counts: Mapping[tuple[Hashable, ...], int],
    width: int,
    classes: dict[tuple[Hashable, ...], dict[Hashable, int]],
    whole: dict[Hashable, int],
) -> dict[tuple[Hashable, ...], int]:
    """Class sizes, and each class's and the whole table's counts of the one sensitive attribute."""
    for key, count in counts.items():
        quasi = key[:width]
        value = key[width]
        distribution = classes.get(quasi)
        if distribution is None:
            classes[quasi] = {value: count}
        else:
            distribution[value] = distribution.get(value, 0) + count
        whole[value] = whole.get(value, 0) + count
    return {quasi: sum(distribution.values()) for quasi, distribution in classes.items()}


def _split_sensitives(
    counts: Mapping[tuple[Hashable, ...], int],
    width: int,
    targets: list[tuple[dict[tuple[Hashable, ...], dict[Hashable, int]], dict[Hashable, int]]],
) -> dict[tuple[Hashable, ...], int]:
    class_counts: dict[tuple[Hashable, ...], int] = {}
    for key, count in counts.items():
        quasi = key[:width]
        class_counts[quasi] = class_counts.get(quasi, 0) + count
        for position, (classes, whole) in enumerate(targets, start=width):
            value = key[position]
            distribution = classes.get(quasi)
            if distribution is None:
                distribution = classes[quasi] = {}
            distribution[value] = distribution.get(value, 0) + count
            whole[value] = whole.get(value, 0) + count
    return class_counts


def _sensitive_risk(
    name: str,
    distributions: Mapping[tuple[Hashable, ...], Mapping[Hashable, int]],
    class_counts: Mapping[tuple[Hashable, ...], int],
    whole: Mapping[Hashable, int],
    records: int,
) -> SensitiveRisk:
    """The figures of ``recursive_c``, ``_entropy_l`` and ``_equal_distance`` (which the reference uses),
    in one pass over the classes. ``math.fsum`` is exactly rounded, so its terms need no sorting for the
    result to be the same to the last bit."""
    l_distinct = min(map(len, distributions.values()))
    values = list(whole)
    shares = [whole[value] / records for value in values]
    log, fsum = math.log, math.fsum
    l_entropy = math.inf
    c = 0
    t = 0.0
    for quasi, distribution in distributions.items():
        size = class_counts[quasi]
        ordered = sorted(distribution.values(), reverse=True)
        l_entropy = min(l_entropy, math.exp(-fsum([(n / size) * log(n / size) for n in ordered])))
        c = max(c, ordered[0] // sum(ordered[l_distinct - 1 :]) + 1)
        get = distribution.get
        t = max(
            t,
            0.5
            * fsum([abs(get(value, 0) / size - share) for value, share in zip(values, shares, strict=True)]),
        )
    return SensitiveRisk(
        attribute=name, l_distinct=l_distinct, l_entropy=l_entropy, recursive_c=c, t_closeness=t
    )


def _check_header(path: Path, columns: Sequence[str]) -> None:
    # A CSV column that does not exist is a mistake, not a column of missing values: say so.
    header = csv_header(path)
    absent = [column for column in columns if column not in header]
    if absent:
        raise RiskInputError(f"column(s) not in the CSV header: {', '.join(absent)}")
