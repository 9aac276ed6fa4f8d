"""A workbook in memory, between the records and a file: sheets of typed cells, and the errors of reading.

``flatten`` fills one and the writers (XLSX, a folder of CSV files) save it; the readers load one from a
file and ``unflatten`` turns it back into records. Cells hold what a spreadsheet holds: text, numbers,
booleans and dates (a CSV file holds only text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from crsvdata.errors import CrsvError

CellValue = str | int | float | bool | date | datetime | None
"""A cell as the writers take it and the readers give it (``None`` or ``""``: an empty cell)."""

CODELISTS_SHEET: Final = "codelists"
"""The hidden sheet that holds the code lists the drop-downs offer."""


@dataclass(slots=True)
class Table:
    """One sheet: its rows (the first row holds the headings) and the drop-downs of its columns.

    ``dropdowns`` maps a column index to the cell range of the ``codelists`` sheet it offers;
    ``merged`` lists the merged ranges a reader found (``A1:B2``), which a workbook of records never has.
    """

    name: str
    rows: list[list[CellValue]] = field(default_factory=list)
    hidden: bool = False
    dropdowns: dict[int, str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Workbook:
    """The sheets of one workbook, in order; ``typed`` is False for CSV (every cell is text)."""

    tables: list[Table] = field(default_factory=list)
    typed: bool = True

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)


class SpreadsheetError(CrsvError):
    """A workbook that cannot be read or written at all. ``message`` never quotes a cell's value."""

    code = "spreadsheet.not_a_workbook"

    def __init__(self, code: str, message: str, cell: str | None = None, pointer: str = "") -> None:
        super().__init__(message, code=code)
        self.cell = cell
        self.pointer = pointer


def column_letter(index: int) -> str:
    """The letters of the 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(sheet: str, column: int, row: int) -> str:
    """``Sheet!B7`` for the 0-based ``column`` and the 1-based ``row``."""
    return f"{sheet}!{column_letter(column)}{row}"
