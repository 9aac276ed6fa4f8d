"""Time flatten and unflatten of a JSON Lines file of case records, XLSX and CSV (not part of make bench).

python benchmarks/generate.py --rich --records 10000 --out /tmp/r.jsonl
python benchmarks/spreadsheet.py /tmp/r.jsonl

Each stage is timed once, wall clock, on the same records: orjson's parse of the file (the yardstick every
ratio is printed against), flatten (records -> cells), writing the XLSX file (openpyxl, write-only),
reading it (python-calamine), unflatten (cells -> records), and the same through a folder of CSV files.
The round trip is checked: the records read back must equal those parsed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import orjson

from crsvdata.interop.spreadsheet import flatten, read_workbook, unflatten, write_workbook

T = TypeVar("T")


def timed(label: str, baseline: float | None, action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    ratio = f"  {seconds / baseline:8.1f}x orjson parse" if baseline else ""
    print(f"{label:28} {seconds:8.2f} s{ratio}")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path, help="a JSON Lines file of valid case records")
    args = parser.parse_args()
    data = args.records.read_bytes()
    documents, parse = timed("orjson parse", None, lambda: [orjson.loads(line) for line in data.splitlines()])
    book, _ = timed("flatten", parse, lambda: flatten(documents))
    visible = [table for table in book.tables if not table.hidden]
    rows = sum(len(table.rows) - 1 for table in visible)
    columns = sum(len(table.rows[0]) for table in visible)
    print(f"{len(documents)} records -> {len(visible)} sheets, {columns} columns, {rows} rows")
    with tempfile.TemporaryDirectory() as folder:
        xlsx = Path(folder) / "cases.xlsx"
        timed("write XLSX (openpyxl)", parse, lambda: write_workbook(book, xlsx))
        print(f"{'':28} {xlsx.stat().st_size / 1e6:8.1f} MB")
        read, _ = timed("read XLSX (calamine)", parse, lambda: read_workbook(xlsx))
        result, _ = timed("unflatten", parse, lambda: unflatten(read))
        if result.issues or result.documents != documents:
            raise SystemExit("XLSX round trip is not lossless")
        csv_folder = Path(folder) / "csv"
        timed("write CSV folder", parse, lambda: write_workbook(book, csv_folder, csv=True))
        read_csv, _ = timed("read CSV folder", parse, lambda: read_workbook(csv_folder))
        result, _ = timed("unflatten (CSV)", parse, lambda: unflatten(read_csv))
        if result.issues or result.documents != documents:
            raise SystemExit("CSV round trip is not lossless")
    print("round trips lossless: XLSX and CSV")


if __name__ == "__main__":
    main()
