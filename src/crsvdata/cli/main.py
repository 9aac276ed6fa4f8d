"""The ``crsvdata`` command: a thin layer over the Python API (parsing arguments, rendering, exit codes).

Exit codes: 0 valid, 1 invalid (or warnings with ``--fail-on warning``), 2 usage error or unreadable input.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

import click

from crsvdata.cli._options import jobs_option
from crsvdata.version import STANDARD_VERSION, __version__

if TYPE_CHECKING:
    from collections.abc import Callable
    from importlib.resources.abc import Traversable

    from crsvdata.validation import ValidationReport
    from crsvdata.validation.report import Issue, Language

# Commands import what they use inside their bodies, so that `crsvdata --help` loads click and nothing else.

EXIT_VALID: Final = 0
EXIT_INVALID: Final = 1
EXIT_UNREADABLE: Final = 2


def _is_workbook(path: Path) -> bool:
    # By suffix, and a folder that holds CSV files (one per sheet): the spreadsheet code loads only then.
    if path.is_dir():
        return any(path.glob("*.csv"))
    return path.suffix.lower() in (".xlsx", ".xlsm", ".csv")


_LAZY_COMMANDS: Final[dict[str, tuple[str, str, str]]] = {
    "anonymise": (
        "crsvdata.cli.anonymise",
        "anonymise_command",
        "Export case records under a profile, with a manifest.",
    ),
    "export": ("crsvdata.cli.primero", "export_group", "Write records in another system's shape (Primero)."),
    "flatten": (
        "crsvdata.cli.spreadsheet",
        "flatten_command",
        "Write case records as a workbook (XLSX or CSV files), one sheet per list.",
    ),
    "unflatten": (
        "crsvdata.cli.spreadsheet",
        "unflatten_command",
        "Read a workbook (XLSX or CSV files) back into validated records.",
    ),
    "form": ("crsvdata.cli.form", "form_group", "Write the field forms (XLSForm for KoboToolbox, ODK)."),
    "import": (
        "crsvdata.cli.primero",
        "import_group",
        "Read another system's export (Primero, KoboToolbox) into records.",
    ),
    "keys": ("crsvdata.cli.keys", "keys_group", "Make a pseudonymisation key file (mode 600)."),
    "risk": ("crsvdata.cli.anonymise", "risk_command", "Measure k, l, t and global risk of a table."),
    "stats": ("crsvdata.cli.anonymise", "stats_command", "Publish counts of consenting records, protected."),
    "upgrade": ("crsvdata.cli.upgrade", "upgrade_command", "Upgrade 1.0 documents to standard 1.1."),
}
"""Commands whose modules load the export stack: imported only when run or asked for their own help."""


class _LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute, _ = _LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in _LAZY_COMMANDS and name not in self.commands:
                rows.append((name, _LAZY_COMMANDS[name][2]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "-V", "--version", message=f"crsvdata %(version)s (standard {STANDARD_VERSION})"
)
def main() -> None:
    """Record, check, anonymise and exchange CRSV case data (crsvdata standard)."""


PROGRESS_MIN_BYTES: Final = 8 * 1024 * 1024


def _validate_path_with_progress(
    path: Path, max_issues: int | None, jobs: int, on_issue: Callable[[Issue], None]
) -> ValidationReport:
    # A progress bar only where a person watches (a terminal) and only when there is time to watch it.
    from crsvdata.validation import validate

    size = path.stat().st_size if path.is_file() else 0
    if size < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        return validate(path, max_issues=max_issues, jobs=jobs, on_issue=on_issue)
    with click.progressbar(length=size, label=f"validating {path.name}", file=sys.stderr) as bar:
        return validate(path, max_issues=max_issues, jobs=jobs, progress=bar.update, on_issue=on_issue)


@main.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--max-issues", type=click.IntRange(min=1), default=None, help="Stop listing issues after N per file."
)
@jobs_option("validating JSON Lines (the report is the same, in the same order)")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 on errors only, or on warnings too.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "uk"]),
    default="en",
    show_default=True,
    help="Language of the messages (uk: Ukrainian). Codes and pointers are the same in every language.",
)
def validate_command(
    paths: tuple[str, ...], output_format: str, max_issues: int | None, jobs: int, fail_on: str, lang: str
) -> None:
    """Validate JSON documents, exchange packages or JSON Lines files ('-' reads standard input)."""
    from crsvdata.cli._report_output import SpooledReport, json_report_pieces, text_report_pieces
    from crsvdata.findings import Severity
    from crsvdata.validation import ValidationReport, validate

    workers = jobs or os.cpu_count() or 1
    language: Language = "uk" if lang == "uk" else "en"
    reports: list[SpooledReport] = []
    try:
        for path in paths:
            # Issues go to a spool as they are found, not into one list: a file can have millions.
            spooled = SpooledReport(ValidationReport())
            reports.append(spooled)
            if path == "-":
                stdin = sys.stdin.buffer
                spooled.report = validate(
                    stdin, max_issues=max_issues, json_lines=None, jobs=workers, on_issue=spooled.keep
                )
                spooled.report.source = "<stdin>"
            elif _is_workbook(Path(path)):
                from crsvdata.interop.spreadsheet import validate_workbook

                report = validate_workbook(Path(path))
                if max_issues is not None and len(report.issues) > max_issues:
                    report.issues[max_issues:] = []
                    report.issue_limit_reached = True
                for issue in report.issues:
                    spooled.keep(issue)
                report.issues = []
                spooled.report = report
            else:
                spooled.report = _validate_path_with_progress(Path(path), max_issues, workers, spooled.keep)
        pieces = (
            json_report_pieces(reports, language)
            if output_format == "json"
            else (piece for spooled in reports for piece in text_report_pieces(spooled, language))
        )
        for piece in pieces:
            click.echo(piece, nl=False)
    finally:
        for spooled in reports:
            spooled.issues.close()
    if any(spooled.unreadable for spooled in reports):
        sys.exit(EXIT_UNREADABLE)
    failing = Severity.WARNING if fail_on == "warning" else Severity.ERROR
    if any(not r.valid or (failing is Severity.WARNING and r.issues.warnings) for r in reports):
        sys.exit(EXIT_INVALID)
    sys.exit(EXIT_VALID)


@main.group("schema")
def schema_group() -> None:
    """The published JSON Schemas (packaged with crsvdata; no network)."""


_VERSION_FOLDER: Final = re.compile(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}")


def _packaged_versions() -> list[str]:
    from crsvdata.schema.published import schemas_root

    return sorted(
        p.name for p in schemas_root().iterdir() if p.is_dir() and _VERSION_FOLDER.fullmatch(p.name)
    )


def _packaged_files(
    folder: Traversable, relative: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], bytes]]:
    found: list[tuple[tuple[str, ...], bytes]] = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_dir():
            found += _packaged_files(item, (*relative, item.name))
        elif item.is_file():
            found.append(((*relative, item.name), item.read_bytes()))
    return found


@schema_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--version", "version", default=STANDARD_VERSION, show_default=True, help="Standard version.")
def schema_export_command(directory: Path, version: str) -> None:
    """Write the packaged schemas and code lists of a standard version into DIRECTORY/VERSION."""
    from crsvdata.io import atomic_writer
    from crsvdata.schema.published import schemas_root

    # The version names a packaged folder, never a path: only an exact packaged version is accepted.
    versions = _packaged_versions()
    if version not in versions:
        click.echo(
            f"library.unknown_version: no packaged schemas for standard version {version!r}; "
            f"packaged: {', '.join(versions)}",
            err=True,
        )
        sys.exit(EXIT_UNREADABLE)
    try:
        for relative, data in _packaged_files(schemas_root() / version):
            target = directory.joinpath(version, *relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(target, "wb") as handle:
                handle.write(data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        click.echo(f"output.not_writable: cannot write into {directory}: {reason}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"exported standard {version} schemas and code lists to {directory / version}")


@main.group("codes")
def codes_group() -> None:
    """The code lists of the standard."""


@codes_group.command("list")
def codes_list_command() -> None:
    """List every code list with its size and whether it is open."""
    from crsvdata.codes import load as load_codelist
    from crsvdata.codes import names as codelist_names

    for name in codelist_names():
        codelist = load_codelist(name)
        kind = "open" if codelist.open else "closed"
        click.echo(f"{name:32} {len(codelist.rows):4d} codes  {kind:6}  {codelist.title_en}")


@codes_group.command("show")
@click.argument("name")
@click.option("--lang", type=click.Choice(["en", "uk"]), default="en", show_default=True)
@click.option(
    "--format", "output_format", type=click.Choice(["csv", "json", "md"]), default="md", show_default=True
)
def codes_show_command(name: str, lang: str, output_format: str) -> None:
    """Show one code list in English or Ukrainian, as Markdown, CSV or JSON."""
    from crsvdata.codes import load as load_codelist

    try:
        codelist = load_codelist(name)
    except KeyError:
        click.echo(f"codelist.unknown_list: no code list named {name!r}; see 'crsvdata codes list'", err=True)
        sys.exit(EXIT_UNREADABLE)
    rows = [
        {
            "code": row.code,
            "label": row.label_uk if lang == "uk" else row.label_en,
            "deprecated": row.deprecated or "",
        }
        for row in codelist.rows
    ]
    if output_format == "json":
        click.echo(json.dumps({"name": name, "lang": lang, "codes": rows}, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["code", "label", "deprecated"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        title = codelist.title_uk if lang == "uk" else codelist.title_en
        click.echo(f"# {title} (`{name}`)\n")
        click.echo("| code | label | deprecated |\n| --- | --- | --- |")
        for row in rows:
            click.echo(f"| `{row['code']}` | {row['label']} | {row['deprecated']} |")


@main.command("summary")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Forms of violence to list."
)
def summary_command(path: Path, top: int) -> None:
    """Count records, incidents and acts by form in a valid file of case records (JSON Lines or JSON)."""
    from crsvdata.aggregate.summary import summarise
    from crsvdata.cli._errors import exit_status, render_error
    from crsvdata.errors import CrsvError
    from crsvdata.parse import iter_case_records

    # The file is read as validate reads it; the first problem is reported as validate reports it.
    try:
        summary = summarise(iter_case_records(path))
    except CrsvError as exc:
        click.echo(f"{render_error(path, exc)} (run 'crsvdata validate' for the full report)", err=True)
        sys.exit(exit_status(exc))
    click.echo(f"records:   {summary.records}")
    click.echo(f"incidents: {summary.incidents}")
    click.echo(f"acts:      {summary.acts}")
    click.echo("acts by form of violence:")
    for form, count in summary.acts_by_form.most_common(top):
        click.echo(f"  {count:6d}  {form}")
    click.echo(
        "survivors by sex: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.survivors_by_sex.items()))
    )
