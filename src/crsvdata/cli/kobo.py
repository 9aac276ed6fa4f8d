"""``crsvdata import kobo``: KoboToolbox/ODK submissions of the crsvdata forms in, records out.

Case records go to ``--out`` (JSON Lines; standard output by default), identity records only to
``--identity-out`` (a file, never standard output). Every value not mapped is reported on standard error
by submission and question, never by value. Exit 0 when every submission became a record, 1 when one
was refused (reported, not written), 2 when the input cannot be read as submissions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crsvdata.cli._errors import EXIT_REFUSED, EXIT_UNREADABLE


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("kobo")
# The reader, not click, refuses a directory or a missing file: with its input.* code, as every command does.
@click.argument("source", metavar="SUBMISSIONS", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Case records out (JSON Lines). Default: standard output.",
)
@click.option(
    "--identity-out",
    "identity_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Identity records out (JSON Lines): a file, never standard output.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write every problem as JSON (locations and codes, never values).",
)
def import_kobo_command(
    source: Path, out_path: Path | None, identity_path: Path | None, report_path: Path | None
) -> None:
    """Import KoboToolbox/ODK submissions (Kobo's JSON or CSV export) of a crsvdata form.

    The form (case or identity) is recognised from the questions the submissions answer.
    """
    from crsvdata.interop.xlsform.submissions import import_submissions
    from crsvdata.io import InputError
    from crsvdata.io.atomic import OutputError, atomic_writer, refuse_unsafe_outputs

    if identity_path is not None and str(identity_path) == "-":
        _fail(
            "usage: --identity-out must be a file (identities never go to standard output)", EXIT_UNREADABLE
        )
    out = None if out_path is None or str(out_path) == "-" else out_path
    try:
        refuse_unsafe_outputs(
            {"--out": out, "--identity-out": identity_path, "--report": report_path}, {"the input": source}
        )
        result = import_submissions(source)
    except (InputError, OutputError) as exc:
        line = getattr(exc, "line", None)
        where = f"{source}:{line}" if line else str(source)
        _fail(f"{where}: /  error  {exc.code}  {exc.message}", EXIT_UNREADABLE)
        return
    if result.identities and identity_path is None:
        _fail(
            f"{source}: /  error  usage.identity_out_missing  the submissions are of the identity form: "
            "give --identity-out FILE (identities never go to standard output)",
            EXIT_UNREADABLE,
        )
    nothing_to_write = result.refused and not (result.cases or result.identities)
    try:
        cases = "".join(case.to_json() + "\n" for case in result.cases)
        if nothing_to_write:
            pass  # every submission was refused: no empty file is left behind to be taken for a result
        elif out is None:
            click.echo(cases, nl=False)
        else:
            with atomic_writer(out) as handle:
                handle.write(cases)
        if identity_path is not None and not nothing_to_write:
            with atomic_writer(identity_path) as handle:
                handle.write("".join(identity.to_json() + "\n" for identity in result.identities))
        if report_path is not None:  # the report is written even when every submission was refused
            with atomic_writer(report_path) as handle:
                json.dump(_report(result), handle, ensure_ascii=False, indent=2)
                handle.write("\n")
    except OSError as exc:
        _fail(f"output.not_writable: cannot write the output ({exc.strerror or type(exc).__name__})", 2)
    for problem in result.problems:
        click.echo(
            f"{source}: {problem.where()}: {problem.question}  {problem.severity.value}  "
            f"{problem.code}  {problem.message}",
            err=True,
        )
    click.echo(
        f"{source}: {result.form_id}: submissions {result.submissions}, case records {len(result.cases)}, "
        f"identity records {len(result.identities)}, refused {result.refused}",
        err=True,
    )
    if result.refused:
        sys.exit(EXIT_REFUSED)


def _report(result: object) -> dict[str, object]:
    from crsvdata.interop.xlsform.submissions import KoboImport

    assert isinstance(result, KoboImport)
    return {
        "kind": "kobo_import_report",
        "form_id": result.form_id,
        "submissions": result.submissions,
        "case_records": len(result.cases),
        "identity_records": len(result.identities),
        "refused": result.refused,
        "problems": [
            {
                "submission": p.submission,
                "uuid": p.uuid,
                "question": p.question,
                "severity": p.severity.value,
                "code": p.code,
                "message": p.message,
            }
            for p in result.problems
        ],
    }
