"""XLSX files: written with openpyxl (write-only, streaming), read with python-calamine (Rust, fast).

Characters XML cannot carry (control characters, and a carriage return, which XML turns into a line
feed) are written in the Office Open XML escape ``_xHHHH_``, which calamine, Excel and LibreOffice decode;
a text that itself looks like such an escape has its underscore escaped (``_x005F_``), as Excel does.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Final

from crsvdata.interop.spreadsheet.workbook import CellValue, SpreadsheetError, Table, Workbook, column_letter

_MUST_ESCAPE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")
_MAX_ROW: Final = 1048576
_HEADER_WIDTH: Final = (12, 40)
_WIDTH_SAMPLE: Final = 50


def _escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_safe(text: str) -> str:
    """``text`` as an XLSX cell can hold it (see the module's docstring)."""
    return _MUST_ESCAPE.sub(_escape, text)


def _widths(rows: list[list[CellValue]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            length = 10 if isinstance(value, date) else len(str(value)) if value is not None else 0
            if index == len(widths):
                widths.append(0)
            widths[index] = max(widths[index], length + 2)
    return [min(max(width, _HEADER_WIDTH[0]), _HEADER_WIDTH[1]) for width in widths]


def write_xlsx(book: Workbook, path: Path) -> None:
    """Save ``book`` as an XLSX file: headings frozen, drop-downs on code columns, dates as dates."""
    from openpyxl import Workbook as OpenpyxlWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    out = OpenpyxlWorkbook(write_only=True)
    bold = Font(bold=True)
    for table in book.tables:
        sheet = out.create_sheet(table.name)
        if table.hidden:
            sheet.sheet_state = "hidden"
        # Wide enough for the heading and for the values of the first rows, within bounds.
        for index, width in enumerate(_widths(table.rows[:_WIDTH_SAMPLE])):
            sheet.column_dimensions[column_letter(index)].width = width
        if not table.hidden:
            sheet.freeze_panes = "A2"
        for index, cell_range in table.dropdowns.items():
            letter = column_letter(index)
            validation = DataValidation(
                type="list",
                formula1=cell_range,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="crsvdata",
                error="Pick a code from the list (the hidden sheet 'codelists' has them all).",
            )
            validation.add(f"{letter}2:{letter}{_MAX_ROW}")
            sheet.data_validations.append(validation)
        for number, row in enumerate(table.rows):
            values = [xml_safe(value) if isinstance(value, str) else value for value in row]
            if number == 0 and not table.hidden:
                cells = []
                for value in values:
                    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # a date is a valid cell value
                    cell.font = bold
                    cells.append(cell)
                sheet.append(cells)
            else:
                sheet.append(values)
    out.save(path)


def _sniff(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(_OLE_MAGIC):
                data = head + handle.read(4 * 1024 * 1024)
                if _ENCRYPTION_STREAM in data:
                    raise SpreadsheetError(
                        "spreadsheet.encrypted",
                        "the workbook is encrypted (password-protected): save a copy without a password",
                    )
                raise SpreadsheetError(
                    "spreadsheet.not_a_workbook",
                    "the file is an old binary Excel workbook (.xls): save it as .xlsx",
                )
    except OSError as exc:
        raise SpreadsheetError(
            "input.unreadable", f"the file cannot be read: {exc.strerror or type(exc).__name__}"
        ) from None
    if not zipfile.is_zipfile(path):
        raise SpreadsheetError("spreadsheet.not_a_workbook", "the file is not an XLSX workbook")


def _merged(ranges: object) -> list[str]:
    # calamine gives ((first_row, first_col), (last_row, last_col)), 0-based.
    found = []
    for entry in ranges or ():  # type: ignore[attr-defined]
        (first_row, first_col), (last_row, last_col) = entry
        found.append(f"{column_letter(first_col)}{first_row + 1}:{column_letter(last_col)}{last_row + 1}")
    return found


def read_xlsx(path: Path) -> Workbook:
    """Load an XLSX file: every sheet's cells as calamine types them (text, number, boolean, date).

    Raises :class:`SpreadsheetError` for a file that is not an XLSX workbook or is encrypted.
    """
    import python_calamine

    _sniff(path)
    try:
        source = python_calamine.CalamineWorkbook.from_path(str(path))
        book = Workbook()
        for name in source.sheet_names:
            sheet = source.get_sheet_by_name(name)
            rows: list[list[CellValue]] = [
                [value if isinstance(value, str | int | float | bool | date) else str(value) for value in row]
                for row in sheet.to_python(skip_empty_area=False)
            ]
            book.tables.append(Table(name, rows, merged=_merged(sheet.merged_cell_ranges)))
    except python_calamine.PasswordError:
        raise SpreadsheetError(
            "spreadsheet.encrypted",
            "the workbook is encrypted (password-protected): save a copy without a password",
        ) from None
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        # calamine's own message may quote the file's content: name only the kind of failure.
        raise SpreadsheetError(
            "spreadsheet.not_a_workbook", f"the file is not a readable XLSX workbook ({type(exc).__name__})"
        ) from None
    return book
