"""The per-(person, class) rows of the re-measure, built the plain way with dicts and sets.

This is what crsvdata's record-level export did before it grouped with numpy (``_Records.person_classes``
and ``_risk_table``); it stays here as the reference those are checked against, not in the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crsvdata.anonymise.records import MeasuredRow

__all__ = ["person_rows"]

_Held = str | set[str]
"""The values of one sensitive attribute a person holds in a class: one value as itself (most persons
hold one, and a set of one costs 200 bytes), several as a set."""
_Grouped = dict[tuple[int, tuple[str, ...]], list[_Held]]
"""Each (person, measured values) with what the person holds of each sensitive attribute."""


def _grouped(rows: Iterable[MeasuredRow]) -> _Grouped:
    grouped: _Grouped = {}
    for person, values, secrets_ in rows:
        held = grouped.get((person, values))
        if held is None:
            grouped[(person, values)] = list(secrets_)
            continue
        for at, value in enumerate(secrets_):
            seen = held[at]
            if isinstance(seen, set):
                seen.add(value)
            elif seen != value:
                held[at] = {seen, value}
    return grouped


def _as_set(held: _Held) -> set[str]:
    return {held} if isinstance(held, str) else held


def _rows_of(
    grouped: _Grouped, measured: tuple[str, ...], sensitive: tuple[str, ...]
) -> Iterator[dict[str, Any]]:
    for (_, values), held in grouped.items():
        yield {
            **dict(zip(measured, values, strict=True)),
            **{name: "|".join(sorted(_as_set(seen))) for name, seen in zip(sensitive, held, strict=True)},
        }


def person_rows(
    rows: Iterable[MeasuredRow], measured: tuple[str, ...], sensitive: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One row per person and class: a person's records in one class count once, and their sensitive
    values in it as one value (the sorted set), so no person can fill a class or its diversity alone."""
    return list(_rows_of(_grouped(rows), measured, sensitive))
