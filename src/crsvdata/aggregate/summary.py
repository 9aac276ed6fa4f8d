"""A short statistical summary of case records (counts only; for a first look at a file)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from crsvdata.models import CaseRecord


@dataclass(slots=True)
class Summary:
    """Counts over a set of case records."""

    records: int = 0
    incidents: int = 0
    acts: int = 0
    acts_by_form: Counter[str] = field(default_factory=Counter)
    incidents_by_subdivision: Counter[str] = field(default_factory=Counter)
    survivors_by_sex: Counter[str] = field(default_factory=Counter)


def summarise(records: Iterable[CaseRecord]) -> Summary:
    """Count records, incidents and acts (by form), incidents by subdivision, survivors by sex."""
    summary = Summary()
    for record in records:
        summary.records += 1
        summary.survivors_by_sex[record.survivor.sex.value] += 1
        for incident in record.incidents:
            summary.incidents += 1
            place = incident.location.subdivision or incident.location.country.value
            summary.incidents_by_subdivision[str(place)] += 1
            for act in incident.acts:
                summary.acts += 1
                summary.acts_by_form[act.form.value] += 1
    return summary
