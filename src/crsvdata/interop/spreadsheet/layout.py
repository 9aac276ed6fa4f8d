"""The workbook's sheets and columns, derived from the models: a new field becomes a new column by itself.

The root model fills one sheet; every list of objects (incidents, acts, perpetrators, consents...) fills a
sheet of its own whose first columns are the keys of the rows it belongs to; a nested single object
(``survivor``, ``incident_date``, ``location``) becomes columns named by their path (``location/country``).
"""

from __future__ import annotations

import enum
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel

SHEET_NAME_LIMIT: Final = 31
"""Excel refuses longer sheet names."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its machine key (a path inside the sheet's object) and how its cells are written."""

    key: str
    kind: str  # text, code, codes, ids, bool, int, date, json
    codelist: str | None = None


@dataclass(slots=True)
class Sheet:
    """One sheet: the list it holds (``path`` from the root), its key columns, its value columns."""

    name: str
    path: tuple[str, ...]
    keys: tuple[str, ...]
    columns: list[Column] = field(default_factory=list)


def _unwrap(annotation: Any) -> Any:
    # Optional[X], Annotated[X, ...] -> X.
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            arms = [arm for arm in get_args(annotation) if arm is not type(None)]
            if len(arms) != 1:
                return annotation
            annotation = arms[0]
        else:
            return annotation


def _scalar_kind(annotation: Any) -> str:
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "code"
        if issubclass(annotation, bool):
            return "bool"
        if issubclass(annotation, int):
            return "int"
        if issubclass(annotation, datetime):
            return "text"  # a timestamp keeps its UTC offset only as text
        if issubclass(annotation, date):
            return "date"
        if issubclass(annotation, dict):
            return "json"
    if get_origin(annotation) is dict:
        return "json"
    if get_origin(annotation) is Literal:
        return "text"
    return "text"


def _codelist_name(info: Any) -> str | None:
    extra = info.json_schema_extra
    return extra.get("codelist") if isinstance(extra, dict) else None


def _id_field(model: type[BaseModel]) -> str | None:
    return next((name for name in model.model_fields if name.endswith("_id")), None)


def build_layout(root: type[BaseModel], root_name: str = "cases") -> list[Sheet]:
    """Every sheet of a workbook of ``root`` documents, the root's sheet first."""
    root_key = _id_field(root) or "row"
    sheets: list[Sheet] = []
    names: set[str] = set()

    def add_sheet(model: type[BaseModel], name: str, path: tuple[str, ...], keys: tuple[str, ...]) -> None:
        sheet = Sheet(name, path, keys)
        sheets.append(sheet)
        names.add(name)
        own_key = _id_field(model) or f"{name}_no"
        fill(sheet, model, "", (*keys, own_key) if path else (own_key,))

    def fill(sheet: Sheet, model: type[BaseModel], prefix: str, keys: tuple[str, ...]) -> None:
        for field_name, info in model.model_fields.items():
            annotation = _unwrap(info.annotation)
            key = prefix + field_name
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                fill(sheet, annotation, key + "/", keys)
                continue
            if get_origin(annotation) is list:
                item = _unwrap(get_args(annotation)[0])
                if isinstance(item, type) and issubclass(item, BaseModel):
                    child = field_name if field_name not in names else f"{sheet.name}.{field_name}"
                    add_sheet(item, child[:SHEET_NAME_LIMIT], (*sheet.path, key), keys)
                    continue
                kind = "codes" if isinstance(item, type) and issubclass(item, enum.Enum) else "ids"
                sheet.columns.append(Column(key, kind, _codelist_name(info)))
                continue
            kind = _scalar_kind(annotation)
            sheet.columns.append(Column(key, kind, _codelist_name(info) if kind == "code" else None))

    add_sheet(root, root_name, (), (root_key,))
    return sheets
