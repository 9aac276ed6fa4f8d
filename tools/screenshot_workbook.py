"""Render the example workbook's ``cases`` sheet and the case form's ``survey`` sheet to PNG (EN and UK).

python -m tools.screenshot_workbook

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``): the workbook ``crsvdata flatten`` writes of the
three example cases is printed to PDF by LibreOffice (the first rows and columns, landscape, with grid
lines and headings) and the top of the first page is cut to PNG. The case form (``crsvdata form
xlsform``) is shown the same way: its ``survey`` sheet, the questions as KoboToolbox and ODK read them
(type, name, label in the page's language, relevant and constraint). Not run by the tests: the images are
documentation, and rendering depends on the installed fonts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

import openpyxl
from openpyxl.utils import get_column_letter

from crsvdata.interop.spreadsheet import flatten, write_workbook
from crsvdata.interop.xlsform.form import case_form, write_xlsform

ROOT: Final = Path(__file__).resolve().parents[1]
OUT: Final = ROOT / "docs" / "data-managers" / "img"
PRINT_AREA: Final = "A1:K4"
RESOLUTION: Final = 110
SIZE: Final = (1286, 120)  # pixels of the top of an A4 landscape page at RESOLUTION


def render(lang: str, folder: Path) -> Path:
    documents = [
        json.loads(path.read_text("utf-8")) for path in sorted((ROOT / "examples/cases").glob("*.json"))
    ]
    book_path = folder / f"cases-{lang}.xlsx"
    write_workbook(flatten(documents, lang="uk" if lang == "uk" else "en"), book_path)
    book = openpyxl.load_workbook(book_path)
    for sheet in book.worksheets:
        if sheet.title != "cases":
            sheet.sheet_state = "hidden"
    sheet = book["cases"]
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_area = PRINT_AREA
    sheet.page_margins.left = sheet.page_margins.right = sheet.page_margins.top = 0.2
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.gridLines = True
    sheet.print_options.headings = True
    printable = folder / f"print-{lang}.xlsx"
    book.save(printable)
    return _to_png(printable, OUT / f"workbook-cases-{lang}", SIZE)


FORM_COLUMNS: Final = ("type", "name", "relevant", "constraint")
FORM_ROWS: Final = 16
FORM_SIZE: Final = (1286, 330)


def render_form(lang: str, folder: Path) -> Path:
    form_path = folder / "case-form.xlsx"
    write_xlsform(case_form(), form_path)
    book = openpyxl.load_workbook(form_path)
    for sheet in book.worksheets:
        if sheet.title != "survey":
            sheet.sheet_state = "hidden"
    sheet = book["survey"]
    label = "label::Ukrainian (uk)" if lang == "uk" else "label::English (en)"
    shown = (*FORM_COLUMNS[:2], label, *FORM_COLUMNS[2:])
    for index, cell in enumerate(sheet[1], start=1):
        letter = get_column_letter(index)
        if cell.value in shown:
            sheet.column_dimensions[letter].width = {label: 48, "type": 30}.get(str(cell.value), 22)
        else:
            sheet.column_dimensions[letter].hidden = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{FORM_ROWS}"
    sheet.page_margins.left = sheet.page_margins.right = sheet.page_margins.top = 0.2
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.gridLines = True
    printable = folder / f"form-{lang}.xlsx"
    book.save(printable)
    return _to_png(printable, OUT / f"form-survey-{lang}", FORM_SIZE)


def _to_png(printable: Path, target: Path, size: tuple[int, int]) -> Path:
    folder = printable.parent
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(printable)],
        check=True,
        capture_output=True,
    )
    width, height = size
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(RESOLUTION),
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            str(width),
            "-H",
            str(height),
            str(printable.with_suffix(".pdf")),
            str(target),
        ],
        check=True,
    )
    return target.with_suffix(".png")


def main() -> int:
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(
            f"not installed: {', '.join(missing)} (LibreOffice and poppler render the workbook)",
            file=sys.stderr,
        )
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for lang in ("en", "uk"):
            print(f"written: {render(lang, Path(folder))}")
            print(f"written: {render_form(lang, Path(folder))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
