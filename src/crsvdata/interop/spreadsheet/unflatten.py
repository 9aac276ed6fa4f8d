"""A workbook -> records, and an issue with its cell (``cases!B7``) for everything that does not fit.

A cell is read by its column's kind, never by its looks: a code column holds text, a date column a date.
When Excel has turned what was typed into something else (``2024`` into a number, ``00001`` into 1,
``2024-03`` into a date), the cell is reported rather than guessed back. Nothing is dropped: a sheet, a
heading or a row that cannot be placed is an issue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from crsvdata.findings import Severity, escape_pointer_token
from crsvdata.interop.spreadsheet.cells import restore
from crsvdata.interop.spreadsheet.layout import (
    CASE_ROOT,
    IDENTITY_ROOT,
    Column,
    Sheet,
    case_layout,
    identity_layout,
)
from crsvdata.interop.spreadsheet.workbook import (
    CODELISTS_SHEET,
    CellValue,
    Table,
    Workbook,
    cell_name,
    column_letter,
)
from crsvdata.validation.report import Issue

_INTEGER: Final = re.compile(r"-?[0-9]{1,18}")
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHAT: Final = {
    "text": "text",
    "code": "a code",
    "codes": "codes",
    "ids": "identifiers",
    "json": "JSON text",
    "partial_date": "a partial date (YYYY, YYYY-MM, or a date)",
    "date": "a date",
    "int": "a whole number",
    "bool": "TRUE or FALSE",
    "empty_object": "TRUE or an empty cell",
}


@dataclass(slots=True)
class Unflattened:
    """What a workbook held: the documents (JSON form), their cells, and the issues met reading it.

    ``kind`` is ``"case-record"`` or ``"identity-record"``; ``cells[i]`` maps a JSON pointer of
    ``documents[i]`` to the cell it came from.
    """

    kind: str | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    cells: list[dict[str, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows: list[dict[str, tuple[str, int]]] = field(default_factory=list)
    """Per document: the pointer of each object -> (its sheet, its row)."""
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per sheet: a member's pointer inside a row's object (``/location/country``) -> ``Sheet!C``."""

    def cell_of(self, index: int, pointer: str) -> str | None:
        """The cell of ``pointer`` in document ``index``.

        A value read from a cell has that cell; a member that is missing has the cell it would be in (its
        column, in its object's row), or else the first cell of the nearest enclosing object's row.
        """
        cells, rows = self.cells[index], self.rows[index]
        inner = pointer
        while True:
            if inner in rows:
                sheet, row = rows[inner]
                prefix = self.columns.get(sheet, {}).get(pointer[len(inner) :])
                return f"{prefix}{row}" if prefix else cells.get(inner, f"{sheet}!A{row}")
            if inner in cells:
                return cells[inner]  # a value's cell (or a list's: /contexts/0 is in /contexts)
            if not inner:
                return cells.get("")
            inner = inner.rsplit("/", 1)[0]


def _issue(code: str, message: str, cell: str, pointer: str = "") -> Issue:
    return Issue(code, Severity.ERROR, message, pointer, cell=cell)


def _is_empty(value: CellValue) -> bool:
    return value is None or value == ""


def _wrong_type(column: Column, value: CellValue) -> str:
    found = (
        "a boolean"
        if isinstance(value, bool)
        else "a date"
        if isinstance(value, date)
        else "a number"
        if isinstance(value, int | float)
        else "text"
    )
    hint = " (format the column as Text and type the value again)" if found in ("a number", "a date") else ""
    return f"the cell holds {found} where {_WHAT[column.kind]} is expected{hint}"


class _Decoder:
    """Reads the cells of one workbook, collecting an issue for each cell it cannot read."""

    def __init__(self, typed: bool, issues: list[Issue]) -> None:
        self.typed = typed
        self.issues = issues

    def fail(self, code: str, message: str, cell: str, pointer: str) -> None:
        self.issues.append(_issue(code, message, cell, pointer))

    def text(self, column: Column, value: CellValue, cell: str, pointer: str) -> str | None:
        if isinstance(value, str):
            return restore(value)
        self.fail("spreadsheet.wrong_cell_type", _wrong_type(column, value), cell, pointer)
        return None

    def decode(self, column: Column, value: CellValue, cell: str, pointer: str) -> Any:
        kind = column.kind
        if kind in ("bool", "empty_object"):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            self.fail("spreadsheet.wrong_cell_type", _wrong_type(column, value), cell, pointer)
            return None
        if kind == "int":
            if isinstance(value, int | float) and not isinstance(value, bool):
                if float(value).is_integer():
                    return int(value)
            elif isinstance(value, str) and _INTEGER.fullmatch(value):
                return int(value)
            if (isinstance(value, str) and self.typed) or isinstance(value, bool | date):
                self.fail("spreadsheet.wrong_cell_type", _wrong_type(column, value), cell, pointer)
            else:
                self.fail("spreadsheet.bad_value", "the cell does not hold a whole number", cell, pointer)
            return None
        if kind in ("date", "partial_date"):
            if isinstance(value, datetime):
                if value.time() == datetime.min.time():
                    return value.date().isoformat()
                self.fail("spreadsheet.bad_value", "the cell holds a date with a time of day", cell, pointer)
                return None
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, str):
                text = restore(value)
                if kind == "date" and not _DAY.fullmatch(text):
                    self.fail(
                        "spreadsheet.bad_value", "the cell does not hold a date (YYYY-MM-DD)", cell, pointer
                    )
                    return None
                return text
            self.fail("spreadsheet.wrong_cell_type", _wrong_type(column, value), cell, pointer)
            return None
        content = self.text(column, value, cell, pointer)
        if content is None:
            return None
        if kind == "json":
            try:
                return json.loads(content)
            except ValueError:
                self.fail("spreadsheet.bad_value", "the cell does not hold valid JSON", cell, pointer)
                return None
        if kind in ("codes", "ids"):
            items = content.split()
            if kind == "codes":
                for item in items:
                    self.check_code(column, item, cell, pointer)
            return items
        if kind == "code":
            self.check_code(column, content, cell, pointer)
        return content

    def check_code(self, column: Column, code: str, cell: str, pointer: str) -> None:
        if column.codes is not None and code not in column.codes:
            self.fail(
                "spreadsheet.unknown_code",
                f"a value is not a code of code list {column.codelist!r} (pick one from the drop-down)",
                cell,
                pointer,
            )


def _set_path(obj: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for part in parts[:-1]:
        obj = obj.setdefault(part, {})
    obj[parts[-1]] = value


def _pointer(base: str, key: str) -> str:
    return base + "".join("/" + escape_pointer_token(part) for part in key.split("/"))


def _heading_map(sheet: Sheet, table: Table, issues: list[Issue]) -> dict[int, Column]:
    by_heading: dict[str, Column] = {}
    for candidate in sheet.all_columns:
        for title in (candidate.title_en, candidate.title_uk, candidate.key):
            by_heading.setdefault(title, candidate)
    headings = table.rows[0] if table.rows else []
    found: dict[int, Column] = {}
    taken: dict[str, int] = {}
    for index, heading in enumerate(headings):
        cell = cell_name(table.name, index, 1)
        if _is_empty(heading):
            if any(len(row) > index and not _is_empty(row[index]) for row in table.rows[1:]):
                issues.append(
                    _issue("spreadsheet.unknown_heading", "a column with values has no heading", cell)
                )
            continue
        column: Column | None = by_heading.get(str(heading).strip())
        if column is None:
            issues.append(
                _issue(
                    "spreadsheet.unknown_heading",
                    f"a heading is not a column of sheet {sheet.name!r} (see the headings crsvdata writes)",
                    cell,
                )
            )
        elif column.key in taken:
            issues.append(_issue("spreadsheet.duplicate_heading", "two columns have the same heading", cell))
        else:
            taken[column.key] = index
            found[index] = column
    present = {column.key for column in found.values()}
    for column in sheet.parent_keys:
        if column.key not in present:
            issues.append(
                _issue(
                    "spreadsheet.missing_key_column",
                    f"the sheet has no column {column.title_en!r}, which joins its rows to their parents",
                    cell_name(table.name, 0, 1),
                )
            )
    return found


def _layout_for(book: Workbook, result: Unflattened) -> Sequence[Sheet] | None:
    names = {table.name for table in book.tables}
    if CASE_ROOT in names and IDENTITY_ROOT in names:
        result.issues.append(
            _issue(
                "spreadsheet.identity_in_case_workbook",
                "the workbook holds both case and identity sheets: identity records belong in a "
                "workbook of their own",
                f"{IDENTITY_ROOT}!A1",
            )
        )
        return None
    if CASE_ROOT in names:
        result.kind = "case-record"
        return case_layout()
    if IDENTITY_ROOT in names:
        result.kind = "identity-record"
        return identity_layout()
    result.issues.append(
        _issue(
            "spreadsheet.no_root_sheet",
            f"the workbook has no sheet named {CASE_ROOT!r} (case records) or {IDENTITY_ROOT!r} "
            "(identity records)",
            f"{book.tables[0].name if book.tables else CASE_ROOT}!A1",
        )
    )
    return None


def unflatten(book: Workbook) -> Unflattened:
    """The documents a workbook holds, with an issue for every cell, row or sheet that could not be read.

    The documents are in JSON form and not yet validated: ``crsvdata.validation`` judges them (see
    :func:`crsvdata.interop.spreadsheet.validate_workbook`), and the issues here come first.
    """
    result = Unflattened()
    layout = _layout_for(book, result)
    if layout is None:
        return result
    sheets = {sheet.name: sheet for sheet in layout}
    for present in book.tables:
        if present.name not in sheets and present.name != CODELISTS_SHEET:
            result.issues.append(
                _issue(
                    "spreadsheet.unknown_sheet",
                    "a sheet that is not part of the workbook's layout (its rows would be lost)",
                    f"{present.name}!A1",
                )
            )
        for merged in present.merged:
            result.issues.append(
                _issue(
                    "spreadsheet.merged_cells",
                    "merged cells: each row must give every value in its own cell; unmerge them",
                    f"{present.name}!{merged.split(':')[0]}",
                )
            )
    decoder = _Decoder(book.typed, result.issues)
    # (sheet name, keys) -> (document index, the object, its pointer)
    index: dict[tuple[str, tuple[str, ...]], tuple[int, dict[str, Any], str]] = {}
    counters: dict[tuple[str, str, tuple[str, ...]], int] = {}
    by_path = {sheet.path: sheet for sheet in layout}
    for sheet in layout:
        table = book.table(sheet.name)
        if table is None:
            continue
        columns = _heading_map(sheet, table, result.issues)
        parent_count = len(sheet.parent_keys)
        parent = by_path.get(sheet.path[:-1]) if sheet.path else None
        # Per column, once: its place among the parent keys (-1: a value), its cell prefix, its pointer.
        specs = [
            (
                col_index,
                column,
                sheet.parent_keys.index(column) if column in sheet.parent_keys else -1,
                f"{sheet.name}!{column_letter(col_index)}",
                _pointer("", column.key),
                tuple(column.key.split("/")),
            )
            for col_index, column in columns.items()
        ]
        first_prefix = f"{sheet.name}!A"
        result.columns[sheet.name] = {
            suffix: prefix for _, _, position, prefix, suffix, _ in specs if position < 0
        }
        for row_number, row in enumerate(table.rows[1:], 2):
            if all(_is_empty(value) for value in row):
                continue
            keys: list[str | None] = [None] * parent_count
            values: list[tuple[Column, CellValue, str, str, tuple[str, ...]]] = []
            width = len(row)
            for col_index, column, key_position, prefix, suffix, parts in specs:
                value = row[col_index] if col_index < width else None
                if value is None or value == "":
                    continue
                cell = prefix + str(row_number)
                if key_position >= 0:
                    keys[key_position] = decoder.text(column, value, cell, "")
                else:
                    values.append((column, value, cell, suffix, parts))
            first_cell = first_prefix + str(row_number)
            if parent is None:
                document: dict[str, Any] = {}
                doc_index, base = len(result.documents), ""
                result.documents.append(document)
                result.cells.append({"": first_cell})
                result.rows.append({"": (sheet.name, row_number)})
                obj = document
            else:
                if any(key is None for key in keys):
                    result.issues.append(
                        _issue(
                            "spreadsheet.broken_join",
                            "the row does not say which row of its parent sheet it belongs to",
                            first_cell,
                        )
                    )
                    continue
                parent_keys = tuple(key for key in keys if key is not None)
                found = index.get((parent.name, parent_keys))
                if found is None:
                    result.issues.append(
                        _issue(
                            "spreadsheet.broken_join",
                            f"the row refers to a row of sheet {parent.name!r} that does not exist",
                            first_cell,
                        )
                    )
                    continue
                doc_index, parent_obj, parent_pointer = found
                list_key = sheet.path[-1]
                counter_key = (sheet.name, parent.name, parent_keys)
                position = counters.get(counter_key, 0)
                counters[counter_key] = position + 1
                obj = {}
                items = parent_obj
                *outer, last = list_key.split("/")
                for part in outer:
                    items = items.setdefault(part, {})
                items.setdefault(last, []).append(obj)
                base = f"{_pointer(parent_pointer, list_key)}/{position}"
                result.cells[doc_index][base] = first_cell
                result.rows[doc_index][base] = (sheet.name, row_number)
            empty_objects: list[str] = []
            cells = result.cells[doc_index]
            for column, value, cell, suffix, parts in values:
                pointer = base + suffix
                decoded = decoder.decode(column, value, cell, pointer)
                if decoded is None:
                    continue
                if column.kind == "empty_object":
                    if decoded:
                        empty_objects.append(column.key)
                    continue
                _set_path(obj, parts, decoded)
                cells[pointer] = cell
            for key in empty_objects:
                *outer_parts, last_part = key.split("/")
                holder = obj
                for part in outer_parts:
                    holder = holder.setdefault(part, {})
                holder.setdefault(last_part, {})
            if sheet.own_key is not None:
                own = obj.get(sheet.own_key)
                if isinstance(own, str):
                    full = (*(key for key in keys if key is not None), own)
                    if (sheet.name, full) in index:
                        own_column = next(c for c in columns.items() if c[1].key == sheet.own_key)[0]
                        result.issues.append(
                            _issue(
                                "spreadsheet.duplicate_key",
                                "two rows of the sheet have the same identifier: rows joined to it "
                                "would be ambiguous",
                                cell_name(sheet.name, own_column, row_number),
                            )
                        )
                    else:
                        index[(sheet.name, full)] = (doc_index, obj, base)
    return result
