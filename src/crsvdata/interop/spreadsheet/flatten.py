"""Records -> a workbook: one row per object, one sheet per list of objects, joined by their ids."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from crsvdata.codes import Lang, load
from crsvdata.dates import DatePrecision, partial_date_precision
from crsvdata.interop.spreadsheet.cells import neutralise
from crsvdata.interop.spreadsheet.layout import Column, Sheet, case_layout, identity_layout
from crsvdata.interop.spreadsheet.workbook import (
    CODELISTS_SHEET,
    CellValue,
    SpreadsheetError,
    Table,
    Workbook,
    column_letter,
)
from crsvdata.models.case import CaseRecord
from crsvdata.models.identity import IdentityRecord

TEXT_CELL_LIMIT: Final = 32767
"""Excel keeps at most this many characters in a cell."""
LIST_SEPARATOR: Final = " "
"""Codes and ids of a list share a cell, separated by a space (none of them can hold one)."""


def get_path(obj: Mapping[str, Any], key: str) -> Any:
    """The value at ``key`` (``location/country``) inside ``obj``, ``None`` when any part is absent."""
    value: Any = obj
    for part in key.split("/"):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def encode(column: Column, value: Any, pointer: str) -> CellValue:
    """The cell of ``value`` in ``column``: never a formula, never an empty text cell."""
    if value is None:
        return None
    kind = column.kind
    if kind == "empty_object":
        return True if value == {} else None
    if kind in ("bool", "int"):
        return value  # type: ignore[no-any-return]
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "partial_date" and partial_date_precision(value) is DatePrecision.DAY:
        return date.fromisoformat(value)
    if kind in ("codes", "ids"):
        text = LIST_SEPARATOR.join(value)
    elif kind == "json":
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = value
    written = neutralise(text)
    if len(written) > TEXT_CELL_LIMIT:
        raise SpreadsheetError(
            "spreadsheet.value_too_long",
            f"a value is longer than the {TEXT_CELL_LIMIT} characters a spreadsheet cell holds",
            pointer=pointer,
        )
    return written


def _headings(sheet: Sheet, lang: Lang) -> list[CellValue]:
    return [column.title(lang) for column in sheet.all_columns]


def _codelists_table(layout: Sequence[Sheet], tables: dict[str, Table], lang: Lang) -> Table:
    # Two columns per list: the codes (what a drop-down offers and a cell holds), and their labels.
    lists: list[str] = []
    for sheet in layout:
        for column in sheet.all_columns:
            if column.kind == "code" and column.codes is not None and column.codelist not in lists:
                assert column.codelist is not None
                lists.append(column.codelist)
    columns = [[code.code for code in load(name).rows] for name in lists]
    table = Table(CODELISTS_SHEET, hidden=True)
    table.rows.append([cell for name in lists for cell in (name, f"{name} ({lang})")])
    for index in range(max((len(codes) for codes in columns), default=0)):
        row: list[CellValue] = []
        for name, codes in zip(lists, columns, strict=True):
            if index < len(codes):
                row += [codes[index], neutralise(load(name).rows[index].label(lang))]
            else:
                row += [None, None]
        table.rows.append(row)
    ranges = {
        name: f"{CODELISTS_SHEET}!${column_letter(2 * i)}$2:${column_letter(2 * i)}${len(codes) + 1}"
        for i, (name, codes) in enumerate(zip(lists, columns, strict=True))
    }
    for sheet in layout:
        for index, column in enumerate(sheet.all_columns):
            if column.kind == "code" and column.codes is not None and column.codelist in ranges:
                tables[sheet.name].dropdowns[index] = ranges[column.codelist]
    return table


def _flatten(documents: Iterable[Mapping[str, Any]], layout: Sequence[Sheet], lang: Lang) -> Workbook:
    tables = {sheet.name: Table(sheet.name, [_headings(sheet, lang)]) for sheet in layout}
    children: dict[tuple[str, ...], list[Sheet]] = {}
    for sheet in layout[1:]:
        children.setdefault(sheet.path[:-1], []).append(sheet)
    root = layout[0]
    seen: set[str] = set()

    def emit(sheet: Sheet, obj: Mapping[str, Any], keys: tuple[str, ...], pointer: str) -> None:
        row: list[CellValue] = [neutralise(key) for key in keys]
        row += [
            encode(column, get_path(obj, column.key), f"{pointer}/{column.key}") for column in sheet.columns
        ]
        tables[sheet.name].rows.append(row)
        for child in children.get(sheet.path, ()):
            assert sheet.own_key is not None
            own = (*keys, str(obj[sheet.own_key]))
            for index, item in enumerate(get_path(obj, child.path[-1]) or ()):
                emit(child, item, own, f"{pointer}/{child.path[-1]}/{index}")

    for number, document in enumerate(documents, 1):
        assert root.own_key is not None
        key = document[root.own_key]
        if key in seen:
            raise SpreadsheetError(
                "spreadsheet.duplicate_key",
                f"two documents (the second is number {number}) share the {root.own_key} their rows are "
                "joined by: give each a distinct one, or write them to separate workbooks",
                pointer=f"/{root.own_key}",
            )
        seen.add(key)
        emit(root, document, (), "")
    book = Workbook([tables[sheet.name] for sheet in layout])
    book.tables.append(_codelists_table(layout, tables, lang))
    return book


def _json_form(
    records: Iterable[CaseRecord | IdentityRecord | Mapping[str, Any]],
) -> Iterator[Mapping[str, Any]]:
    for record in records:
        yield record.to_json_dict() if isinstance(record, CaseRecord | IdentityRecord) else record


def flatten(records: Iterable[CaseRecord | Mapping[str, Any]], lang: Lang = "en") -> Workbook:
    """The case workbook of ``records``: headings in ``lang``, code cells with drop-downs.

    A record is a model or a *valid* document in JSON form (as read, so that its text comes back exactly
    as it was: a timestamp's ``+00:00`` stays ``+00:00``).

    Identity records never go into it (:func:`flatten_identities` writes their own workbook).
    Raises :class:`SpreadsheetError` for a value no spreadsheet cell can hold, or two records with the
    same ``record_id``.
    """
    return _flatten(_json_form(records), case_layout(), lang)


def flatten_identities(records: Iterable[IdentityRecord | Mapping[str, Any]], lang: Lang = "en") -> Workbook:
    """The identity workbook of ``records``, apart from any case workbook (one row per survivor_ref)."""
    return _flatten(_json_form(records), identity_layout(), lang)
