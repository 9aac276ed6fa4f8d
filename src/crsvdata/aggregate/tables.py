"""Publish a table of consenting records: consent gate -> count -> protect -> (HXL) CSV + manifest.

The aggregate profile (``statistics``) decides the purpose, the default dimensions, unit and period;
:class:`TableOptions` overrides them for one run. Small cells are protected by
:mod:`crsvdata.disclosure` before anything is written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from crsvdata.aggregate.statistics import count_records, domains, write_csv
from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.export import resolve_profile
from crsvdata.anonymise.inputs import read_case_records
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.records import consenting_records
from crsvdata.anonymise.sink import HashingSink
from crsvdata.disclosure import suppression
from crsvdata.disclosure.suppression import SuppressionResult
from crsvdata.disclosure.tables import Table, TableError
from crsvdata.io import atomic_writer
from crsvdata.models import CaseRecord
from crsvdata.models.dimensions import Unit

__all__ = ["TableOptions", "TableResult", "statistics", "statistics_file"]


@dataclass(frozen=True, slots=True)
class TableOptions:
    """What one table run changes from its profile's defaults (None: the profile's value)."""

    by: tuple[str, ...] | None = None
    threshold: int | None = None
    unit: Unit | None = None
    period: str | None = None
    hxl: bool | None = None


@dataclass
class TableResult:
    """A published table: its CSV bytes, the protected table, and the manifest."""

    manifest: Manifest
    data: bytes
    table: SuppressionResult


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
    try:
        counted_table = count_records(gated(), dimensions, options.unit or spec.unit, period)  # type: ignore[arg-type]
        table = Table.from_counts(domains(dimensions, period, on), counted_table.counts)
        protected = suppression.suppress(table, threshold)
    except TableError as exc:
        raise AnonymisationError(str(exc), code=exc.code) from None
    except ValueError as exc:
        raise AnonymisationError(str(exc)) from None
    text = io.StringIO()
    write_csv(protected.published, counted_table.unit, text, hxl=hxl)
    sink.write(text.getvalue().encode("utf-8"))
    manifest.records_out = counted
    manifest.output = {
        **sink.describe("text/csv"),
        "dimensions": list(dimensions),
        "unit": counted_table.unit,
        "hxl": hxl,
        **protected.summary(),
    }
    return TableResult(manifest, b"", protected)


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
) -> TableResult:
    """Counts of consenting records by ``by`` (default: the profile's), small cells protected.

    Records count only under the ``statistics`` profile's consent gate.
    """
    profile, who = resolve_profile("statistics", recipient)
    buffer = io.BytesIO()
    options = TableOptions(tuple(by) if by is not None else None, threshold, unit, period, hxl)
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
    manifest_written = False
    try:
        with atomic_writer(target, "wb") as handle:
            result = _publish(
                read_case_records(source),
                chosen,
                who,
                on or datetime.now(UTC).date(),
                options,
                HashingSink(handle),
            )
            with atomic_writer(manifest_target, "w") as manifest_handle:
                manifest_handle.write(result.manifest.to_json())
            manifest_written = True
    except BaseException:
        if manifest_written:
            with suppress(OSError):
                manifest_target.unlink()
        raise
    return result.manifest
