"""The ``crsvdata`` command: a thin layer over the Python API (parsing arguments, rendering, exit codes).

Exit codes: 0 valid, 1 invalid (or warnings with ``--fail-on warning``), 2 usage error or unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

import click

from crsvdata.findings import Severity
from crsvdata.parse import CrsvValidationError, iter_case_records
from crsvdata.summary import summarise
from crsvdata.validation import ValidationReport, validate
from crsvdata.version import STANDARD_VERSION, __version__

EXIT_VALID: Final = 0
EXIT_INVALID: Final = 1
EXIT_UNREADABLE: Final = 2


def _is_unreadable(report: ValidationReport) -> bool:
    # A file-level input problem (nothing could be read) differs from bad records inside a readable file.
    return any(issue.code.startswith("input.") and issue.line is None for issue in report.issues)


def _render_text(report: ValidationReport) -> str:
    name = report.source or "<stdin>"
    lines = []
    for issue in report.issues:
        where = name + (f":{issue.line}" if issue.line is not None else "")
        lines.append(
            f"{where}: {issue.pointer or '/'}  {issue.severity.value}  {issue.code}  {issue.message}"
        )
    status = "valid" if report.valid else "INVALID"
    lines.append(
        f"{name}: {status} — {report.documents} document(s), {report.invalid_documents} invalid, "
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        + (" (issue limit reached)" if report.issue_limit_reached else "")
    )
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message=f"crsvdata %(version)s (standard {STANDARD_VERSION})")
def main() -> None:
    """Record, check, anonymise and exchange CRSV case data (crsvdata standard)."""


@main.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--max-issues", type=click.IntRange(min=1), default=None, help="Stop listing issues after N per file."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 on errors only, or on warnings too.",
)
def validate_command(
    paths: tuple[str, ...], output_format: str, max_issues: int | None, fail_on: str
) -> None:
    """Validate JSON documents, exchange packages or JSON Lines files ('-' reads standard input)."""
    reports: list[ValidationReport] = []
    for path in paths:
        if path == "-":
            report = validate(sys.stdin.buffer, max_issues=max_issues, json_lines=None)
            report.source = "<stdin>"
        else:
            report = validate(Path(path), max_issues=max_issues)
        reports.append(report)
    if output_format == "json":
        out = {
            "status": "ok" if all(r.valid for r in reports) else "fail",
            "crsvdata_version": __version__,
            "standard_version": STANDARD_VERSION,
            "files": [r.to_dict() for r in reports],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(_render_text(report))
    if any(_is_unreadable(r) for r in reports):
        sys.exit(EXIT_UNREADABLE)
    failing = Severity.WARNING if fail_on == "warning" else Severity.ERROR
    if any(not r.valid or (failing is Severity.WARNING and r.warnings) for r in reports):
        sys.exit(EXIT_INVALID)
    sys.exit(EXIT_VALID)


@main.command("summary")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Forms of violence to list."
)
def summary_command(path: Path, top: int) -> None:
    """Count records, incidents and acts by form in a valid JSON Lines file of case records."""
    try:
        summary = summarise(iter_case_records(path))
    except CrsvValidationError as exc:
        click.echo(f"{path}: {exc} (run 'crsvdata validate' for the full report)", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"records:   {summary.records}")
    click.echo(f"incidents: {summary.incidents}")
    click.echo(f"acts:      {summary.acts}")
    click.echo("acts by form of violence:")
    for form, count in summary.acts_by_form.most_common(top):
        click.echo(f"  {count:6d}  {form}")
    click.echo(
        "survivors by sex: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.survivors_by_sex.items()))
    )
