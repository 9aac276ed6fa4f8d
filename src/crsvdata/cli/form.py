"""``crsvdata form xlsform``: write the case intake form (or the identity form) as an XLSForm workbook.

Exit 0 when written, 2 when the output cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crsvdata.cli._errors import EXIT_UNREADABLE


@click.group("form")
def form_group() -> None:
    """Field forms for KoboToolbox and ODK Collect, generated from the standard."""


@form_group.command("xlsform")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--identity",
    is_flag=True,
    help="Write the separate identity form (names, date of birth, phone) instead of the case form.",
)
def xlsform_command(out: Path, identity: bool) -> None:
    """Write an XLSForm (survey, choices, settings) to OUT.xlsx, bilingual English and Ukrainian.

    Upload it to KoboToolbox or ODK Central as it is; 'crsvdata import kobo' reads its submissions.
    """
    if out.suffix.lower() != ".xlsx":
        click.echo(
            f"error: {out}: /  error  usage.not_xlsx  the form is written as an .xlsx workbook", err=True
        )
        sys.exit(EXIT_UNREADABLE)
    from crsvdata.interop.xlsform import case_form, identity_form, write_xlsform

    sheets = identity_form() if identity else case_form()
    try:
        write_xlsform(sheets, out)
    except OSError as exc:
        click.echo(
            f"error: output.not_writable: cannot write the form ({exc.strerror or type(exc).__name__})",
            err=True,
        )
        sys.exit(EXIT_UNREADABLE)
    questions = sum(1 for row in sheets.survey if not row["type"].startswith(("begin_", "end_")))
    click.echo(
        f"{out}: {sheets.settings['form_id']}: {questions} questions, {len(sheets.choices)} choices",
        err=True,
    )
