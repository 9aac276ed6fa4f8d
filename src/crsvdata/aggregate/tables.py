"""Publish a table of consenting records: consent gate -> count -> protect -> (HXL) CSV + manifest.

The aggregate profile (``statistics``) decides the purpose, the default dimensions, unit and period;
:class:`TableOptions` overrides them for one run. Small cells are protected by
:mod:`crsvdata.disclosure` before anything is written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from crsvdata.aggregate.statistics import (
    check_dimensions,
    count_records,
    domains,
    keyed_units,
    person_units,
    write_csv,
)
from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.export import resolve_profile
from crsvdata.anonymise.inputs import read_case_records
from crsvdata.anonymise.keys import KeyRing
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.records import consenting_records
from crsvdata.anonymise.sink import HashingSink, write_with_manifest
from crsvdata.disclosure import dp, suppression
from crsvdata.disclosure.cellkey import DEFAULT_PTABLE, perturb
from crsvdata.disclosure.suppression import SuppressionResult
from crsvdata.disclosure.tables import PublishedTable, Table, TableError
from crsvdata.io import refuse_unsafe_outputs
from crsvdata.models import CaseRecord
from crsvdata.models.dimensions import Unit

__all__ = ["CELL_KEY_DOMAIN", "Protection", "TableOptions", "TableResult", "statistics", "statistics_file"]


Protection = Literal["suppression", "cellkey", "dp"]


@dataclass(frozen=True, slots=True)
class TableOptions:
    """What one table run changes from its profile's defaults (None: the profile's value)."""

    by: tuple[str, ...] | None = None
    threshold: int | None = None
    unit: Unit | None = None
    period: str | None = None
    hxl: bool | None = None
    method: Protection = "suppression"
    """``suppression`` (no key; audited by integer programming), ``cellkey`` (needs ``keys``) or ``dp``
    (differential privacy through OpenDP; needs ``crsvdata[dp]``)."""
    keys: KeyRing | None = None
    """The secret of cell-key perturbation: never published (whoever holds it can remove the noise)."""
    epsilon: float = 1.0
    """The privacy loss of a ``dp`` table (per person, for this one release); ignored by other methods."""
    max_units_per_person: int = dp.DEFAULT_MAX_UNITS_PER_PERSON
    """``dp``: each person's units beyond this many (in input order) are not counted."""


CELL_KEY_DOMAIN = "crsvdata/statistics/cell-key"
"""The key-ring domain of record keys; one key ring per publication series keeps the noise stable."""


@dataclass
class TableResult:
    """A published table: its CSV bytes, what was published, and the manifest."""

    manifest: Manifest
    data: bytes
    published: PublishedTable
    suppression: SuppressionResult | None = None


def _publish(
    records: Iterable[CaseRecord],
    profile: ExportProfile,
    recipient: Recipient,
    on: date,
    options: TableOptions,
    sink: HashingSink,
) -> TableResult:
    spec = profile.statistics
    if spec is None:
        raise AnonymisationError(f"profile {profile.name!r} does not publish tables")
    manifest = Manifest(profile=profile, recipient=recipient, export_date=on)
    dimensions = options.by or spec.by
    threshold = options.threshold or profile.small_cell_threshold
    hxl = spec.hxl if options.hxl is None else options.hxl
    counted = 0

    def gated() -> Iterable[CaseRecord]:
        nonlocal counted
        for record in consenting_records(records, profile, recipient, on, manifest):
            counted += 1
            yield record

    period = options.period or spec.period
    protection: SuppressionResult | None = None
    try:
        unit = check_dimensions(dimensions, options.unit or spec.unit, period)  # type: ignore[arg-type]
        full_domains = domains(dimensions, period, on)
        if options.method == "cellkey":
            if options.keys is None:
                raise AnonymisationError("cell-key perturbation needs a key (--key-file)")
            secret = options.keys.domain_key(CELL_KEY_DOMAIN)
            table = Table.from_units(
                full_domains, keyed_units(gated(), dimensions, unit, period, secret), DEFAULT_PTABLE.modulus
            )
            published = perturb(table, DEFAULT_PTABLE)
            summary: dict[str, object] = {
                "method": "cell_key_perturbation",
                "ptable": DEFAULT_PTABLE.describe(),
                "key_id": options.keys.active,
                "note": "margins are perturbed on their own: they need not equal the sum of their cells",
            }
        elif options.method == "dp":
            private = dp.release(
                full_domains,
                person_units(gated(), dimensions, unit, period),
                options.epsilon,
                options.max_units_per_person,
            )
            published = private.published
            summary = private.summary()
        else:
            counted_table = count_records(gated(), dimensions, unit, period)
            protection = suppression.suppress(
                Table.from_counts(full_domains, counted_table.counts), threshold
            )
            published = protection.published
            summary = protection.summary()
    except TableError as exc:
        raise AnonymisationError(str(exc), code=exc.code) from None
    except ValueError as exc:
        raise AnonymisationError(str(exc)) from None
    text = io.StringIO()
    write_csv(published, unit, text, hxl=hxl)
    sink.write(text.getvalue().encode("utf-8"))
    manifest.records_out = counted
    manifest.output = {
        **sink.describe("text/csv"),
        "dimensions": list(dimensions),
        "unit": unit,
        "hxl": hxl,
        **summary,
    }
    return TableResult(manifest, b"", published, protection)


def statistics(
    records: Iterable[CaseRecord],
    by: Iterable[str] | None = None,
    *,
    threshold: int = 5,
    unit: Unit | None = None,
    period: str = "year",
    recipient: Recipient | None = None,
    on: date | None = None,
    hxl: bool = False,
    method: Protection = "suppression",
    keys: KeyRing | None = None,
    epsilon: float = 1.0,
    max_units_per_person: int = dp.DEFAULT_MAX_UNITS_PER_PERSON,
) -> TableResult:
    """Counts of consenting records by ``by`` (default: the profile's), small cells protected.

    Records count only under the ``statistics`` profile's consent gate. ``method="dp"`` publishes an
    ``epsilon``-differentially private table per person (needs ``crsvdata[dp]``), counting at most
    ``max_units_per_person`` units of each person.
    """
    profile, who = resolve_profile("statistics", recipient)
    buffer = io.BytesIO()
    options = TableOptions(
        tuple(by) if by is not None else None,
        threshold,
        unit,
        period,
        hxl,
        method,
        keys,
        epsilon,
        max_units_per_person,
    )
    result = _publish(records, profile, who, on or datetime.now(UTC).date(), options, HashingSink(buffer))
    result.data = buffer.getvalue()
    return result


def statistics_file(
    source: Path,
    target: Path,
    profile: ExportProfile | str = "statistics",
    *,
    options: TableOptions = TableOptions(),
    recipient: Recipient | None = None,
    on: date | None = None,
    manifest_path: Path | None = None,
) -> Manifest:
    """Publish the table of a JSON Lines file of case records to ``target`` (CSV), manifest beside it.

    Both files are written atomically: on any failure neither exists.
    """
    chosen, who = resolve_profile(profile, recipient)
    manifest_target = manifest_path or target.with_name(target.name + ".manifest.json")
    refuse_unsafe_outputs({"the table": target, "the manifest": manifest_target}, {"the input": source})
    day = on or datetime.now(UTC).date()
    return write_with_manifest(
        target,
        manifest_target,
        lambda sink: _publish(read_case_records(source), chosen, who, day, options, sink).manifest,
    )
