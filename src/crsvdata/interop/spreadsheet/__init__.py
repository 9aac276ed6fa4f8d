"""Case records <-> spreadsheets: an XLSX workbook or a folder of CSV files, one sheet per list of objects.

- ``flatten(records, lang)`` / ``flatten_identities(records, lang)``: records -> a :class:`Workbook`
  (identity records only ever in a workbook of their own);
- ``write_workbook(book, path)``: an ``.xlsx`` file, or a folder of CSV files with ``csv=True``;
- ``read_workbook(path)``: an ``.xlsx`` file or a folder of CSV files -> a :class:`Workbook`;
- ``unflatten(book)``: a workbook -> documents, each cell's location, and issues located as ``Sheet!B7``;
- ``validate_workbook(path)``: all of it, and the documents validated, as a ``ValidationReport``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crsvdata.interop.spreadsheet.flatten import flatten, flatten_identities
from crsvdata.interop.spreadsheet.unflatten import Unflattened, unflatten
from crsvdata.interop.spreadsheet.workbook import SpreadsheetError, Table, Workbook
from crsvdata.validation.report import ValidationReport

__all__ = [
    "SpreadsheetError",
    "Table",
    "Unflattened",
    "Workbook",
    "flatten",
    "flatten_identities",
    "is_spreadsheet_path",
    "read_records",
    "read_workbook",
    "unflatten",
    "validate_workbook",
    "write_workbook",
]

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def is_spreadsheet_path(path: Path) -> bool:
    """True for an ``.xlsx`` file, a ``.csv`` file or a folder (of CSV files): read as a workbook."""
    return path.suffix.lower() in (*XLSX_SUFFIXES, ".csv") or path.is_dir()


def write_workbook(book: Workbook, path: Path, csv: bool = False) -> None:
    """Save ``book`` as an XLSX file at ``path``, or as a folder of CSV files there with ``csv``."""
    if csv:
        from crsvdata.interop.spreadsheet.csvfolder import write_csv_folder

        write_csv_folder(book, path)
    else:
        from crsvdata.interop.spreadsheet.xlsx import write_xlsx

        write_xlsx(book, path)


def read_workbook(path: Path) -> Workbook:
    """Load an XLSX file, a folder of CSV files, or one CSV file (the folder it is in is read).

    Raises :class:`SpreadsheetError` for a file that is not a workbook, is encrypted, or is not UTF-8.
    """
    if not path.exists():
        raise SpreadsheetError("input.not_found", "no such file or folder")
    if path.is_dir() or path.suffix.lower() == ".csv":
        from crsvdata.interop.spreadsheet.csvfolder import read_csv_folder

        if path.is_dir():
            return read_csv_folder(path)
        # One CSV file stands for its folder's sheets: the others of the layout beside it, no stranger.
        from crsvdata.interop.spreadsheet.layout import case_layout, identity_layout

        known = {sheet.name for sheet in (*case_layout(), *identity_layout())} | {path.stem}
        return read_csv_folder(path.parent, known)
    from crsvdata.interop.spreadsheet.xlsx import read_xlsx

    return read_xlsx(path)


def validate_workbook(path: Path) -> ValidationReport:
    """Read, unflatten and validate a workbook: every issue carries its cell (``cases!B7``) and pointer."""
    return read_records(path)[0]


def read_records(path: Path) -> tuple[ValidationReport, list[dict[str, Any]]]:
    """The documents of a workbook (JSON form) and the report of reading and validating them."""
    import json
    from dataclasses import replace

    from crsvdata.findings import Severity
    from crsvdata.validation.engine import validate_document
    from crsvdata.validation.report import Issue

    report = ValidationReport(source=str(path))
    try:
        book = read_workbook(path)
    except SpreadsheetError as exc:
        report.issues.append(Issue(exc.code, Severity.ERROR, exc.message, exc.pointer, cell=exc.cell))
        return report, []
    result = unflatten(book)
    report.issues.extend(result.issues)
    for index, document in enumerate(result.documents):
        report.documents += 1
        valid, issues = validate_document(json.dumps(document, ensure_ascii=False), document)
        if not valid:
            report.invalid_documents += 1
        report.issues.extend(replace(issue, cell=result.cell_of(index, issue.pointer)) for issue in issues)
    if result.issues:
        report.invalid_documents = max(report.invalid_documents, 1)
    return report, result.documents
