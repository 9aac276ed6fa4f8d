"""``crsvdata upgrade``: rewrite 1.0 documents as 1.1, reporting each change by pointer on stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crsvdata.cli._errors import EXIT_REFUSED, EXIT_UNREADABLE, exit_status
from crsvdata.errors import CrsvError
from crsvdata.io import InputError, is_json_lines_path, read_documents
from crsvdata.io.atomic import atomic_writer, refuse_unsafe_outputs
from crsvdata.upgrade import UpgradeError, upgrade_document


@click.command("upgrade")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write here (atomically: all or nothing). Default: standard output.",
)
def upgrade_command(source: Path, output: Path | None) -> None:
    """Upgrade a 1.0 document, package or JSON Lines file to standard 1.1.

    Every change is reported on standard error by document and JSON pointer, never by value. A document
    that declares a newer version, or is not valid, is refused with its location and nothing is written.
    """
    lines = is_json_lines_path(source)
    try:
        refuse_unsafe_outputs({"--output": output}, {"the input": source})
        texts: list[str] = []
        report: list[str] = []
        for number, document in enumerate(read_documents(source), start=1):
            where = f"{source}:{document.line}" if document.line is not None else str(source)
            try:
                upgraded, changes = upgrade_document(document.value)
            except UpgradeError as exc:
                click.echo(f"{where}: {exc.pointer or '/'}  error  {exc.code}  {exc.message}", err=True)
                sys.exit(EXIT_REFUSED)
            report.append(f"{where}: document {number}: {len(changes)} change(s)")
            report.extend(f"{where}: {c.pointer}  {c.step}  {c.message}" for c in changes)
            texts.append(json.dumps(upgraded, ensure_ascii=False, indent=None if lines else 2))
    except CrsvError as exc:
        line = getattr(exc, "line", None)
        where = f"{source}:{line}" if line else str(source)
        click.echo(f"{where}: /  error  {exc.code}  {exc.message}", err=True)
        sys.exit(exit_status(exc) if not isinstance(exc, InputError) or exc.line else EXIT_UNREADABLE)
    body = "\n".join(texts) + "\n"
    if output is None:
        click.echo(body, nl=False)
    else:
        with atomic_writer(output) as handle:
            handle.write(body)
    for line_text in report:
        click.echo(line_text, err=True)
    click.echo(f"{source}: upgraded {len(texts)} document(s) to standard 1.1", err=True)
