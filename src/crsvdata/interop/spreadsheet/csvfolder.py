"""A folder of CSV files, one per sheet (``cases.csv``, ``incidents.csv``...), UTF-8 with a byte-order mark.

The byte-order mark makes Excel open the files as UTF-8 (Cyrillic intact); every cell is text: dates as
``YYYY-MM-DD``, booleans as ``true``/``false``. The hidden code-list sheet is not written.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Final

from crsvdata.interop.spreadsheet.workbook import CellValue, SpreadsheetError, Table, Workbook, cell_name

SUFFIX: Final = ".csv"
_BOM: Final = b"\xef\xbb\xbf"


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv_folder(book: Workbook, folder: Path) -> list[Path]:
    """Write one CSV file per visible sheet into ``folder`` (created if needed); return their paths."""
    from crsvdata.io import atomic_writer

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in book.tables:
        if table.hidden:
            continue
        path = folder / f"{table.name}{SUFFIX}"
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(
            [_text(value) for value in row] for row in table.rows
        )
        with atomic_writer(path, "wb") as handle:
            handle.write(_BOM + buffer.getvalue().encode("utf-8"))
        written.append(path)
    return written


def _decode(data: bytes, sheet: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(
            "spreadsheet.not_utf8", "the CSV file is UTF-16: save it as CSV UTF-8", cell_name(sheet, 0, 1)
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Locate the bad byte as a cell: the row is the count of records before it, the column the
        # count of fields in its row up to it (the text before it decodes, by definition).
        before = data[: exc.start].decode("utf-8")
        rows = list(csv.reader(io.StringIO(before)))
        row = max(len(rows), 1)
        column = max(len(rows[-1]) - 1, 0) if rows else 0
        raise SpreadsheetError(
            "spreadsheet.not_utf8",
            f"the CSV file is not UTF-8 (first bad byte at offset {exc.start}): save it as CSV UTF-8",
            cell_name(sheet, column, row),
        ) from None


def read_csv_folder(folder: Path, only: set[str] | None = None) -> Workbook:
    """Load every ``*.csv`` file of ``folder`` (those named in ``only``) as a sheet named after the file."""
    paths = sorted(p for p in folder.glob(f"*{SUFFIX}") if only is None or p.stem in only)
    if not paths:
        raise SpreadsheetError("spreadsheet.not_a_workbook", "the folder holds no CSV file")
    book = Workbook(typed=False)
    for path in paths:
        sheet = path.name[: -len(SUFFIX)]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SpreadsheetError(
                "input.unreadable", f"a CSV file cannot be read: {exc.strerror or type(exc).__name__}"
            ) from None
        text = _decode(data, sheet)
        try:
            rows: list[list[CellValue]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise SpreadsheetError(
                    "input.field_too_large",
                    f"a cell is longer than {csv.field_size_limit()} characters",
                    f"{sheet}!A1",
                ) from None
            raise SpreadsheetError(
                "spreadsheet.csv_syntax", "the CSV file is malformed (a quote is not closed)", f"{sheet}!A1"
            ) from None
        book.tables.append(Table(sheet, rows))
    return book
