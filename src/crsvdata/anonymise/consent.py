"""The consent gate: a record leaves under a purpose only with a consent that holds for the recipient.

Decisions covering the recipient (a consent naming its organisation, its recipient category, or
``any``) are read as events in time: a grant on ``given_on``, a refusal on ``given_on``, a withdrawal
on ``withdrawn_on``. The latest event decides; on one day, a refusal or a withdrawal outweighs a grant. A
grant whose method or giver is ``not_recorded`` (an import that could not say) is no grant.
So a survivor who refused and later agreed can be included, and one who agreed and later withdrew or
refused cannot. With no covering decision at all, the record is excluded.

The day ``on`` only holds back grants: a grant given after it does not count yet. A refusal or a
withdrawal recorded in the data always counts, whatever its date, so naming a day before the withdrawal
never brings a withdrawn record back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from crsvdata.codes.enums import ConsentPurpose, RecipientCategory
from crsvdata.models import CaseRecord
from crsvdata.models._types import ORGANISATION_PATTERN

__all__ = ["ConsentDecision", "Recipient", "consent_decision"]

ConsentDecision = Literal[
    "granted", "consent.missing", "consent.refused", "consent.withdrawn", "consent.not_recorded"
]
"""``granted``, or the reason a record is excluded (also the manifest's reason codes)."""

_ORGANISATION: Final = re.compile(ORGANISATION_PATTERN)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who receives an export: an organisation code, a recipient category, or both.

    A consent naming an organisation covers only that organisation; one naming a category covers a
    recipient declared in that category; ``any`` covers every recipient.
    """

    organisation: str | None = None
    category: RecipientCategory | None = None

    def __post_init__(self) -> None:
        if self.organisation is None and self.category is None:
            raise ValueError("a recipient needs an organisation code or a recipient category")
        if self.organisation is not None and not _ORGANISATION.fullmatch(self.organisation):
            raise ValueError("a recipient organisation must be an organisation code (e.g. 'unfpa')")

    @property
    def label(self) -> str:
        """A stable text for manifests and pseudonymisation domains, e.g. ``unfpa`` or ``researchers``."""
        if self.organisation is not None:
            return self.organisation
        assert self.category is not None
        return f"category:{self.category.value}"

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        out: dict[str, str] = {}
        if self.organisation is not None:
            out["organisation"] = self.organisation
        if self.category is not None:
            out["category"] = self.category.value
        return out


def consent_decision(
    record: CaseRecord, purpose: ConsentPurpose, recipient: Recipient, on: date
) -> ConsentDecision:
    """Whether ``record`` may leave for ``purpose`` to ``recipient`` on day ``on``, and if not, why.

    Grants count from ``given_on`` up to ``on``; refusals and withdrawals count whatever their date.
    A grant whose method or giver is ``not_recorded`` never counts: when it is the only covering
    decision, the record is excluded as ``consent.not_recorded``.
    """
    organisation = recipient.organisation or ""
    # (day, weight, outcome): on one day a refusal or withdrawal (weight 1) sorts after a grant (0).
    events: list[tuple[date, int, ConsentDecision]] = []
    unrecorded_grant = False
    for consent in record.consents or ():
        if not consent.covers(purpose, organisation, recipient.category):
            continue
        if not consent.granted:
            events.append((consent.given_on, 1, "consent.refused"))
        elif not consent.recorded:
            unrecorded_grant = True
        elif consent.given_on <= on:
            events.append((consent.given_on, 0, "granted"))
        if consent.withdrawn_on is not None:
            events.append((consent.withdrawn_on, 1, "consent.withdrawn"))
    if not events:
        return "consent.not_recorded" if unrecorded_grant else "consent.missing"
    return max(events)[2]
