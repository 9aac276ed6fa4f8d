"""``crsvdata import primero`` and ``crsvdata export primero``: Primero v2 GBV incidents in and out.

Case records and identity records always go to two separate files (identities never to standard output);
the import report names fields and reasons, never values. Exit 0 when every record was imported, 1 when a
record was bad (reported, with its position and field, and not written), 2 when the input cannot be read
or an output would overwrite an input.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from crsvdata.cli._errors import EXIT_REFUSED, EXIT_UNREADABLE, render_error
from crsvdata.errors import CrsvError
from crsvdata.io import InputError
from crsvdata.io.atomic import OutputError, atomic_writer, refuse_unsafe_outputs
from crsvdata.models._types import ORGANISATION_PATTERN


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _guard(outputs: dict[str, Path | None], inputs: dict[str, Path | None]) -> None:
    try:
        refuse_unsafe_outputs(outputs, inputs)
    except OutputError as exc:
        _fail(f"{exc.code}: {exc.message}", EXIT_UNREADABLE)


def _organisation(value: str) -> str:
    import re

    if not re.match(ORGANISATION_PATTERN, value):
        raise click.BadParameter("an organisation code: lower-case letters, digits and '_', e.g. synth_ngo")
    return value


@click.group("import")
def import_group() -> None:
    """Read another system's export (Primero, KoboToolbox/ODK) into case and identity records."""


@import_group.command("primero")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--cases",
    "cases_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Case records out (JSON Lines).",
)
@click.option(
    "--identities",
    "identities_path",
    type=click.Path(path_type=Path, allow_dash=False),
    required=True,
    help="Identity records out (JSON Lines); a separate file, never standard output.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The import report (JSON).",
)
@click.option(
    "--organisation",
    required=True,
    callback=lambda _ctx, _param, value: _organisation(value),
    help="Code of the organisation that holds the data (source_organisation of every record).",
)
@click.option(
    "--imported-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]),
    default=None,
    help="Timestamp used where Primero gives none (default: now, UTC).",
)
def import_primero_command(
    source: Path,
    cases_path: Path,
    identities_path: Path,
    report_path: Path,
    organisation: str,
    imported_at: datetime | None,
) -> None:
    """Import a Primero v2 GBV incident export (API record or JSON exporter array, or JSON Lines).

    Every populated value is mapped to a standard field, kept as a 'primero:' extension, sent to the
    identity file, or refused, and the report lists each value not mapped, by field id and reason.
    """
    if str(identities_path) == "-" or str(cases_path) == "-":
        _fail("usage: --cases and --identities must be files (identities never go to standard output)", 2)
    _guard(
        {"--cases": cases_path, "--identities": identities_path, "--report": report_path},
        {"the input": source},
    )
    from crsvdata.interop.primero import import_records

    try:
        result = import_records(source, organisation=organisation, imported_at=imported_at)
        with atomic_writer(cases_path) as cases:
            for case in result.cases:
                cases.write(case.to_json() + "\n")
        with atomic_writer(identities_path) as identities:
            for identity in result.identities:
                identities.write(identity.to_json() + "\n")
        with atomic_writer(report_path) as report:
            json.dump(result.report(), report, ensure_ascii=False, indent=2)
            report.write("\n")
    except (InputError, OutputError) as exc:
        _fail(
            render_error(source, exc), EXIT_UNREADABLE if getattr(exc, "line", None) is None else EXIT_REFUSED
        )
    except OSError as exc:
        _fail(f"output.not_writable: cannot write the output ({exc.strerror or type(exc).__name__})", 2)
    summary = result.report()
    click.echo(
        f"records in {summary['records_in']}, out {summary['records_out']}, bad {summary['bad_records']}; "
        + ", ".join(f"{k} {v}" for k, v in summary["values"].items()),
        err=True,
    )
    for error in result.input_errors:
        click.echo(
            f"error: {source}:{error['line']}: /  error  {error['code']}  {error['message']}", err=True
        )
    for record in result.records:
        for error in record.errors:
            where = f"{source}:{record.line}" if record.line else f"{source}[{record.position}]"
            click.echo(f"error: {where}: {error['field']}  error  {error['code']}", err=True)
    if result.bad_records:
        sys.exit(EXIT_REFUSED)


@click.group("export")
def export_group() -> None:
    """Write crsvdata records in another system's shape."""


@export_group.command("primero")
@click.argument("cases_path", metavar="CASES", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--identities",
    "identities_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Identity records to merge back by survivor_ref (JSON Lines).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The Primero JSON exporter array ([{'id', 'data'}]) to write.",
)
def export_primero_command(cases_path: Path, identities_path: Path | None, out_path: Path) -> None:
    """Write case records (and their identity records) as a Primero JSON export."""
    _guard({"--out": out_path}, {"the cases": cases_path, "the identities file": identities_path})
    from crsvdata.interop.primero.exporter import export_records
    from crsvdata.models import IdentityRecord
    from crsvdata.parse import CrsvValidationError, iter_case_records, iter_documents_as

    try:
        identities = list(iter_documents_as(IdentityRecord, identities_path)) if identities_path else []
        rows = list(export_records(iter_case_records(cases_path), identities))
        with atomic_writer(out_path) as out:
            json.dump(rows, out, ensure_ascii=False, indent=2)
            out.write("\n")
    except CrsvValidationError as exc:
        _fail(render_error(cases_path, exc), EXIT_REFUSED)
    except CrsvError as exc:
        _fail(render_error(cases_path, exc), EXIT_UNREADABLE)
    except OSError as exc:
        _fail(f"output.not_writable: cannot write the output ({exc.strerror or type(exc).__name__})", 2)
    click.echo(f"records out {len(rows)}", err=True)


def _register_kobo() -> None:
    # The Kobo command lives in its own module; it joins this group so that `crsvdata import kobo` works.
    from crsvdata.cli.kobo import import_kobo_command

    import_group.add_command(import_kobo_command)


_register_kobo()
