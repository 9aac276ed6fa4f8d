"""``crsvdata flatten`` and ``crsvdata unflatten``: records <-> a workbook (XLSX, or CSV files)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from crsvdata.cli._errors import EXIT_REFUSED, EXIT_UNREADABLE, exit_status, render_error
from crsvdata.codes import Lang
from crsvdata.errors import CrsvError
from crsvdata.validation.report import Issue

UNREADABLE_CODES = frozenset(
    {"spreadsheet.not_a_workbook", "spreadsheet.encrypted", "spreadsheet.not_utf8", "spreadsheet.csv_syntax"}
)
"""Codes of a workbook that could not be read at all (exit 2, as validate exits for unreadable input)."""


def render_issue(source: Path, issue: Issue) -> str:
    """``SOURCE: CELL  POINTER  severity  CODE  MESSAGE``: the cell first, where the person will look."""
    where = f"{source}: {issue.cell}" if issue.cell else str(source)
    return f"{where}  {issue.pointer or '/'}  {issue.severity.value}  {issue.code}  {issue.message}"


def _read_records(source: Path) -> tuple[list[Any], list[Any]]:
    # Each document is validated, then flattened as it was read (its own JSON text, not a re-dump).
    from crsvdata.io import read_documents
    from crsvdata.models.case import CaseRecord
    from crsvdata.models.identity import IdentityRecord
    from crsvdata.models.package import ExchangePackage
    from crsvdata.parse import _validated
    from crsvdata.validation.engine import sniff_kind

    cases: list[Any] = []
    identities: list[Any] = []
    for document in read_documents(source):
        kind = sniff_kind(document.value)
        if kind == "exchange_package":
            _validated(ExchangePackage, document)
            cases.extend(document.value.get("case_records") or ())
            identities.extend(document.value.get("identity_records") or ())
        elif kind == "identity_record":
            _validated(IdentityRecord, document)
            identities.append(document.value)
        else:
            _validated(CaseRecord, document)
            cases.append(document.value)
    return cases, identities


@click.command("flatten")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("output", type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["en", "uk"]), default="en", show_default=True, help="Headings' language."
)
@click.option(
    "--csv", "as_csv", is_flag=True, help="Write a folder of CSV files (UTF-8 with BOM), one per sheet."
)
@click.option(
    "--identity-output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where identity records go (a workbook of their own); needed when the input holds any.",
)
def flatten_command(
    source: Path, output: Path, lang: str, as_csv: bool, identity_output: Path | None
) -> None:
    """Write valid case records (JSON Lines, a document or a package) as a workbook, one sheet per list.

    Identity records never go into the case workbook: name --identity-output for them.
    """
    from crsvdata.interop.spreadsheet import SpreadsheetError, flatten, flatten_identities, write_workbook
    from crsvdata.io.atomic import refuse_unsafe_outputs

    language: Lang = "uk" if lang == "uk" else "en"
    try:
        refuse_unsafe_outputs({"OUTPUT": output, "--identity-output": identity_output}, {"the input": source})
        cases, identities = _read_records(source)
        if identities and identity_output is None:
            click.echo(
                f"{source}: /  error  spreadsheet.identity_in_case_workbook  the input holds "
                f"{len(identities)} identity record(s); they never go into the case workbook: name a "
                "workbook of their own with --identity-output",
                err=True,
            )
            sys.exit(EXIT_REFUSED)
        write_workbook(flatten(cases, language), output, csv=as_csv)
        if identities and identity_output is not None:
            write_workbook(flatten_identities(identities, language), identity_output, csv=as_csv)
    except SpreadsheetError as exc:
        click.echo(f"{source}: {exc.pointer or '/'}  error  {exc.code}  {exc.message}", err=True)
        sys.exit(EXIT_REFUSED)
    except OSError as exc:
        click.echo(
            f"output.not_writable: cannot write {output}: {exc.strerror or type(exc).__name__}", err=True
        )
        sys.exit(EXIT_UNREADABLE)
    except CrsvError as exc:
        click.echo(f"{render_error(source, exc)} (run 'crsvdata validate' for the full report)", err=True)
        sys.exit(exit_status(exc))
    click.echo(
        f"wrote {len(cases)} case record(s) to {output}"
        + (f" and {len(identities)} identity record(s) to {identity_output}" if identities else ""),
        err=True,
    )


def _echo_issues(source: Path, issues: Iterable[Issue]) -> None:
    for issue in issues:
        click.echo(render_issue(source, issue), err=True)


@click.command("unflatten")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
def unflatten_command(source: Path, output: Path) -> None:
    """Read a workbook (.xlsx, or a folder of CSV files) back into JSON Lines records, validated.

    Every problem is reported by cell (cases!B7) and JSON pointer; when there is any error nothing is
    written.
    """
    from crsvdata.findings import Severity
    from crsvdata.interop.spreadsheet import read_records
    from crsvdata.io import atomic_writer
    from crsvdata.io.atomic import refuse_unsafe_outputs

    try:
        refuse_unsafe_outputs({"OUTPUT": output}, {"the input": source})
    except CrsvError as exc:
        click.echo(render_error(source, exc), err=True)
        sys.exit(exit_status(exc))
    report, documents = read_records(source)
    _echo_issues(source, report.issues)
    if any(issue.code in UNREADABLE_CODES or issue.code.startswith("input.") for issue in report.issues):
        sys.exit(EXIT_UNREADABLE)
    if any(issue.severity is Severity.ERROR for issue in report.issues) or not report.valid:
        click.echo(f"{source}: INVALID — nothing written ({len(report.errors)} error(s))", err=True)
        sys.exit(EXIT_REFUSED)
    try:
        with atomic_writer(output) as handle:
            for document in documents:
                handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    except OSError as exc:
        click.echo(
            f"output.not_writable: cannot write {output}: {exc.strerror or type(exc).__name__}", err=True
        )
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"wrote {len(documents)} record(s) to {output}", err=True)
