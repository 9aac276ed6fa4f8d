"""The manifest that goes with every export: what was done, by which profile, with which key, and how safe.

It holds counts, codes, thresholds, versions, hashes and the key's fingerprint, never a value from a
record and never key material. The counts of records excluded (per reason) are themselves protected: a
count from 1 to ``threshold - 1`` would tell the recipient that a handful of known survivors refused or
withdrew, so those counts are suppressed with the same small-cell rules as a published table, and the
number of records read is suppressed whenever it would give them back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.disclosure.risk import RiskReport
from crsvdata.disclosure.suppression import suppress
from crsvdata.disclosure.tables import TOTAL, Domain, Table
from crsvdata.version import STANDARD_VERSION, __version__

__all__ = ["SUPPRESSED", "Manifest", "Tally", "protect_counts"]

SUPPRESSED: Final = "suppressed"
"""What a protected count reads as in a manifest."""
MANIFEST_VERSION: Final = "1"


def protect_counts(counts: Mapping[str, int], threshold: int) -> tuple[dict[str, int | str], int | str]:
    """Small-cell protection of a one-way table of counts and its total.

    Returns the published counts (``"suppressed"`` where hidden) and the published total.
    """
    if not counts:
        return {}, 0
    reasons = Domain("reason", tuple(sorted(counts)))
    table = suppress(Table.from_counts([reasons], {(r,): n for r, n in counts.items()}), threshold)
    published: dict[str, int | str] = dict.fromkeys(sorted(counts), 0)
    total: int | str = 0
    for (label,), value in table.published.rows():
        shown: int | str = SUPPRESSED if value is None else value
        if label == TOTAL:
            total = shown
        else:
            published[label] = shown
    return published, total


@dataclass
class Tally:
    """Counts of values transformed, by output path or by kind of redacted identifier."""

    pseudonymised: Counter[str] = field(default_factory=Counter)
    generalised: Counter[str] = field(default_factory=Counter)
    suppressed: Counter[str] = field(default_factory=Counter)
    redacted: Counter[str] = field(default_factory=Counter)
    renumbered: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """A JSON-ready dict with sorted keys."""
        return {
            "pseudonymised": dict(sorted(self.pseudonymised.items())),
            "generalised": dict(sorted(self.generalised.items())),
            "suppressed": dict(sorted(self.suppressed.items())),
            "redacted": dict(sorted(self.redacted.items())),
            "renumbered": dict(sorted(self.renumbered.items())),
        }


@dataclass
class Manifest:
    """Everything a recipient and an auditor need to know about one export, and nothing identifying."""

    profile: ExportProfile
    recipient: Recipient
    export_date: date
    records_in: int = 0
    records_out: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    values: Tally = field(default_factory=Tally)
    key_id: str | None = None
    key_fingerprint: str | None = None
    pseudonym_domain: str | None = None
    levels: dict[str, str] = field(default_factory=dict)
    risk: RiskReport | None = None
    search: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    l_by_person: int | None = None
    """Distinct l measured by persons (a value every person of a class holds counts as disclosed)."""
    operator_hints: Counter[str] = field(default_factory=Counter)
    """Counts for the operator's terminal only (never written): e.g. records excluded because their
    consent names an organisation other than the recipient."""

    @property
    def consent_as_of_past(self) -> bool:
        """True when consent was evaluated as of a day before the run (only aggregates allow it)."""
        return self.export_date < self.created_at.date()

    def to_dict(self) -> dict[str, Any]:
        """The manifest as a JSON-ready dict, with the excluded counts protected."""
        threshold = self.profile.small_cell_threshold
        excluded, excluded_total = protect_counts(self.excluded, threshold)
        records_in: int | str = (
            self.records_out + excluded_total if isinstance(excluded_total, int) else SUPPRESSED
        )
        disclosure = self.profile.disclosure
        document: dict[str, Any] = {
            "manifest_version": MANIFEST_VERSION,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "export_date": self.export_date.isoformat(),
            "consent": {
                "as_of": self.export_date.isoformat(),
                "as_of_past": self.consent_as_of_past,
                "withdrawals": "every withdrawal or refusal recorded applies, whatever its date",
            },
            "profile": {
                "name": self.profile.name,
                "version": self.profile.version,
                "kind": self.profile.kind,
                "sha256": self.profile.sha256,
                "purpose": self.profile.purpose.value,
            },
            "standard_version": STANDARD_VERSION,
            "library_version": __version__,
            "recipient": self.recipient.to_dict(),
            "records": {
                "in": records_in,
                "out": self.records_out,
                "excluded": excluded,
                "excluded_total": excluded_total,
                "small_cell_threshold": threshold,
            },
            "values": self.values.to_dict(),
            "pseudonyms": {
                "key_id": self.key_id,
                "key_fingerprint": self.key_fingerprint,
                "domain": self.pseudonym_domain,
                "mode": self.profile.pseudonym_mode,
            },
        }
        if self.profile.kind == "records":
            document["disclosure"] = {
                "unit": "person (source_organisation, survivor_ref)",
                "quasi_identifiers": list(disclosure.quasi_identifiers),
                "structural": list(self.profile.structural),
                "sensitive": list(disclosure.sensitive),
                "levels": dict(self.levels),
                "required": {
                    "k": disclosure.k,
                    "l": disclosure.l,
                    "max_global_risk": disclosure.max_global_risk,
                    "max_suppressed_fraction": disclosure.max_suppressed_fraction,
                },
                "achieved": self._achieved(),
                "search": dict(self.search),
            }
        document["output"] = dict(self.output)
        if self.notes:
            document["notes"] = list(self.notes)
        return document

    def _achieved(self) -> dict[str, Any]:
        risk = self.risk
        if risk is None or risk.records == 0:
            return {"records": 0}
        achieved: dict[str, Any] = {
            "unit": "persons",
            "k": risk.k,
            "classes": risk.classes,
            "sample_uniques": risk.sample_uniques,
            "global_risk": round(risk.global_risk, 6),
        }
        if risk.sensitive:
            achieved["l_distinct"] = self.l_by_person if self.l_by_person is not None else risk.l_distinct
            achieved["l_entropy"] = round(risk.l_entropy or 0.0, 6)
            achieved["recursive_c"] = max(s.recursive_c for s in risk.sensitive.values())
            achieved["t_closeness"] = round(risk.t_closeness or 0.0, 6)
        return achieved

    def to_json(self) -> str:
        """The manifest as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
