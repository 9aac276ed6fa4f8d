"""The per-row implementation of ``measure_risk`` before it counted distinct raw tuples, kept verbatim as a
reference: the columnar implementation must give the identical report on any table."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from crsvdata.disclosure.risk import (
    _ABSENT,
    MISSING,
    RiskReport,
    SensitiveRisk,
    _canonical,
    _entropy_l,
    _equal_distance,
    _resolve,
    recursive_c,
)

__all__ = ["reference_measure"]


def reference_measure(
    rows: Iterable[Mapping[str, Any]],
    qis: tuple[str, ...],
    sensitives: tuple[str, ...],
    seen: set[str] | None,
) -> RiskReport:
    class_counts: Counter[tuple[Hashable, ...]] = Counter()
    by_class: dict[str, defaultdict[tuple[Hashable, ...], Counter[Hashable]]] = {
        name: defaultdict(Counter) for name in sensitives
    }
    overall: dict[str, Counter[Hashable]] = {name: Counter() for name in sensitives}
    columns = (*qis, *sensitives)
    for row in rows:
        found = [_resolve(row, column) for column in columns]
        if seen is not None and len(seen) < len(columns):
            seen.update(column for column, value in zip(columns, found, strict=True) if value is not _ABSENT)
        canonical = [MISSING if value is _ABSENT else _canonical(value) for value in found]
        key = tuple(canonical[: len(qis)])
        class_counts[key] += 1
        for name, value in zip(sensitives, canonical[len(qis) :], strict=True):
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
