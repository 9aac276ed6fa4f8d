"""Crosswalks that hold only under conditions, and their evaluation for one concrete incident.

A crosswalk cell says what a form of violence *can* be qualified as; some targets apply only to some
incidents: the MRM only to children, art. 155 and 156 only under 16, art. 434 only to prisoners of war,
RD4U only to events from 24 February 2022, a war crime of art. 8(2)(b) only in an international armed
conflict. ``_crosswalk_conditions.csv`` states each such condition in a machine-readable form
(``key=value``, several separated by spaces, all of which must hold), and :func:`conditional_crosswalk`
evaluates a crosswalk for the :class:`CrosswalkFacts` of one incident.

Evaluation is three-valued: a condition holds (``True``), fails (``False``) or cannot be decided from what
is recorded (``None``, e.g. the survivor's age is unknown). A failed target is never suggested; an
undecided one is suggested and marked as such, so that nothing is silently dropped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Final

from crsvdata.codes import _read_data, crosswalk_values, read_csv_text

__all__ = [
    "CONDITION_COLUMNS",
    "CONDITION_KEYS",
    "ConditionRule",
    "CrosswalkFacts",
    "CrosswalkSuggestion",
    "condition_rules",
    "conditional_crosswalk",
    "evaluate_condition",
    "parse_condition",
]

CONDITION_COLUMNS: Final = ("list", "column", "target", "condition", "description")
CONDITION_KEYS: Final = frozenset({"survivor_age_below", "incident_from", "victim_status", "conflict"})
"""The facts a condition may test; see :class:`CrosswalkFacts`."""

_CONDITIONS_FILE: Final = "_crosswalk_conditions.csv"


@dataclass(frozen=True, slots=True)
class CrosswalkFacts:
    """What a condition may test about one incident; ``None`` wherever the record does not say."""

    survivor_age_min: int | None = None
    """The youngest age the survivor can have had at the incident."""
    survivor_age_max: int | None = None
    """The oldest age the survivor can have had at the incident (``None``: unknown or open band)."""
    incident_first_day: date | None = None
    incident_last_day: date | None = None
    victim_status: str | None = None
    """A code of ``survivor_status``; ``"unknown"`` counts as not recorded."""
    conflict: str | None = None
    """A code of ``armed_conflict_classification``; ``"unknown"`` counts as not recorded."""


@dataclass(frozen=True, slots=True)
class ConditionRule:
    """One row of ``_crosswalk_conditions.csv``."""

    list: str
    column: str
    target: str
    """A target code, ``*`` for every code of the column, or a prefix ending in ``*``."""
    condition: tuple[tuple[str, str], ...]
    description: str

    def covers(self, target: str) -> bool:
        if self.target.endswith("*"):
            return target.startswith(self.target[:-1])
        return target == self.target


@dataclass(frozen=True, slots=True)
class CrosswalkSuggestion:
    """A crosswalk target for one incident, and whether its conditions are known to hold."""

    code: str
    conditions_met: bool | None
    """``True``: no condition, or all hold; ``None``: some cannot be decided from the record."""


def parse_condition(text: str) -> tuple[tuple[str, str], ...]:
    """Parse ``key=value key=value`` into pairs; raises ``ValueError`` for an unknown key or form."""
    pairs: list[tuple[str, str]] = []
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(f"condition part {part!r} is not key=value")
        if key not in CONDITION_KEYS:
            raise ValueError(f"unknown condition key {key!r}; known: {', '.join(sorted(CONDITION_KEYS))}")
        if key == "survivor_age_below":
            int(value)
        elif key == "incident_from":
            date.fromisoformat(value)
        pairs.append((key, value))
    if not pairs:
        raise ValueError("empty condition")
    return tuple(pairs)


def parse_condition_rules(text: str) -> tuple[ConditionRule, ...]:
    header, rows = read_csv_text(text)
    if header != CONDITION_COLUMNS:
        raise ValueError(f"{_CONDITIONS_FILE} header must be {','.join(CONDITION_COLUMNS)}")
    return tuple(
        ConditionRule(
            row["list"], row["column"], row["target"], parse_condition(row["condition"]), row["description"]
        )
        for row in rows
    )


@functools.cache
def condition_rules() -> tuple[ConditionRule, ...]:
    """All conditions on crosswalk targets, from the package data."""
    return parse_condition_rules(_read_data(_CONDITIONS_FILE))


def _known(value: str | None) -> str | None:
    return None if value in (None, "unknown") else value


def _evaluate_pair(key: str, value: str, facts: CrosswalkFacts) -> bool | None:
    if key == "survivor_age_below":
        limit = int(value)
        if facts.survivor_age_max is not None and facts.survivor_age_max < limit:
            return True
        if facts.survivor_age_min is not None and facts.survivor_age_min >= limit:
            return False
        return None
    if key == "incident_from":
        start = date.fromisoformat(value)
        if facts.incident_last_day is not None and facts.incident_last_day < start:
            return False
        if facts.incident_first_day is not None and facts.incident_first_day >= start:
            return True
        return None
    known = _known(facts.victim_status if key == "victim_status" else facts.conflict)
    return None if known is None else known == value


def evaluate_condition(condition: tuple[tuple[str, str], ...], facts: CrosswalkFacts) -> bool | None:
    """Three-valued conjunction: ``False`` if any part fails, ``None`` if any is undecided, else ``True``."""
    results = [_evaluate_pair(key, value, facts) for key, value in condition]
    if False in results:
        return False
    if None in results:
        return None
    return True


def conditional_crosswalk(
    name: str, code: str, column: str, facts: CrosswalkFacts
) -> tuple[CrosswalkSuggestion, ...]:
    """The crosswalk targets of ``code`` in ``column`` that may apply to an incident with ``facts``.

    Targets whose condition fails are left out; the others carry ``conditions_met`` (``None`` when the
    record does not tell). Without conditions this is :func:`crsvdata.codes.crosswalk_values`.
    """
    rules = [rule for rule in condition_rules() if rule.list == name and rule.column == column]
    suggestions: list[CrosswalkSuggestion] = []
    for target in crosswalk_values(name, code, column):
        verdict: bool | None = True
        for rule in rules:
            if not rule.covers(target):
                continue
            result = evaluate_condition(rule.condition, facts)
            if result is False:
                verdict = False
                break
            if result is None:
                verdict = None
        if verdict is not False:
            suggestions.append(CrosswalkSuggestion(target, verdict))
    return tuple(suggestions)
