"""The workbook's sheets and columns, derived from the models: a new field becomes a new column by itself.

The root model fills one sheet; every list of objects (incidents, acts, perpetrators, consents...) fills a
sheet of its own whose first columns are the ids of the rows it belongs to; a nested single object
(``survivor``, ``incident_date``, ``location``) becomes columns named by their path (``location/country``).
"""

from __future__ import annotations

import enum
import functools
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from crsvdata.codes import Lang, load
from crsvdata.interop.spreadsheet.headings import title
from crsvdata.models._types import PartialDate

SHEET_NAME_LIMIT: Final = 31
"""Excel refuses longer sheet names."""

SHEET_NAMES: Final[dict[tuple[str, ...], str]] = {
    ("external_identifiers",): "external_ids",
    ("incidents", "external_identifiers"): "incident_external_ids",
    ("incidents", "perpetrators", "external_identifiers"): "perpetrator_external_ids",
    ("referrals", "external_identifiers"): "referral_external_ids",
}
"""Explicit names where a list's own name is taken or too long (Excel cuts names at 31 characters)."""

CASE_ROOT: Final = "cases"
IDENTITY_ROOT: Final = "identities"

Kind = Literal["text", "code", "codes", "ids", "bool", "int", "date", "partial_date", "json", "empty_object"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its machine key (a path inside the sheet's object), how its cells are written, titles.

    ``codes`` are the values a closed code list allows (``None``: free text or an open list).
    """

    key: str
    kind: Kind
    title_en: str
    title_uk: str
    codelist: str | None = None
    codes: frozenset[str] | None = None

    def title(self, lang: Lang) -> str:
        return self.title_uk if lang == "uk" else self.title_en


@dataclass(slots=True)
class Sheet:
    """One sheet: the list it holds (``path`` of field keys from the root), its key and value columns.

    ``parent_keys`` are the columns that name the row this row belongs to (the ids of its ancestors, the
    record's first); ``own_key`` is the field that identifies a row among its siblings, when it has one.
    """

    name: str
    path: tuple[str, ...]
    parent_keys: tuple[Column, ...]
    own_key: str | None
    columns: list[Column] = field(default_factory=list)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (*self.parent_keys, *self.columns)

    def own_key_column(self) -> Column | None:
        return next((column for column in self.columns if column.key == self.own_key), None)


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


def _mentions(annotation: Any, target: Any) -> bool:
    if annotation == target:
        return True
    return any(_mentions(arg, target) for arg in get_args(annotation))


def _model_arms(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The models of a model or of a union of models (a discriminated union), else ()."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    if get_origin(annotation) in (Union, types.UnionType):
        arms = tuple(_unwrap(arm) for arm in get_args(annotation) if arm is not type(None))
        if arms and all(isinstance(arm, type) and issubclass(arm, BaseModel) for arm in arms):
            return arms
    return ()


_PARTIAL_DATE_MARKS: Final = frozenset(id(mark) for mark in get_args(PartialDate)[1:])


def _is_partial_date(info: Any) -> bool:
    # A bare ``PartialDate`` field reaches pydantic's FieldInfo as ``str`` with the validators as metadata.
    return _mentions(info.annotation, PartialDate) or any(id(m) in _PARTIAL_DATE_MARKS for m in info.metadata)


def _scalar_kind(annotation: Any, info: Any) -> Kind:
    if _is_partial_date(info):
        return "partial_date"
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
    return "text"


def _codelist_name(info: Any) -> str | None:
    extra = info.json_schema_extra
    name = extra.get("codelist") if isinstance(extra, dict) else None
    return name if isinstance(name, str) else None


@functools.cache
def _closed_codes(name: str) -> frozenset[str] | None:
    codelist = load(name)
    return None if codelist.open else frozenset(code.code for code in codelist.rows)


def _id_field(model: type[BaseModel]) -> str | None:
    return next((name for name in model.model_fields if name.endswith("_id")), None)


def _fields(models: tuple[type[BaseModel], ...]) -> Iterator[tuple[str, Any]]:
    # The fields of a union's arms, each name once (the arms of a discriminated union share theirs).
    seen: set[str] = set()
    for model in models:
        for name, info in model.model_fields.items():
            if name not in seen:
                seen.add(name)
                yield name, info


def _has_required_field(model: type[BaseModel]) -> bool:
    return any(info.is_required() for info in model.model_fields.values())


def build_layout(
    root: type[BaseModel], root_name: str = CASE_ROOT, root_key: str | None = None
) -> list[Sheet]:
    """Every sheet of a workbook of ``root`` documents, the root's sheet first, parents before children."""
    sheets: list[Sheet] = []

    def column(sheet: str, key: str, kind: Kind, codelist: str | None = None) -> Column:
        codes: frozenset[str] | None = None
        if codelist is not None and kind in ("code", "codes"):
            codes = _closed_codes(codelist)
        return Column(
            key,
            kind,
            title(sheet, key, "en", kind == "empty_object"),
            title(sheet, key, "uk", kind == "empty_object"),
            codelist,
            codes,
        )

    def add_sheet(
        models: tuple[type[BaseModel], ...],
        name: str,
        path: tuple[str, ...],
        parent_keys: tuple[Column, ...],
        own_key: str | None,
    ) -> None:
        if len(name) > SHEET_NAME_LIMIT:
            raise ValueError(
                f"sheet name {name!r} is longer than Excel allows: give it a name in SHEET_NAMES"
            )
        sheet = Sheet(name, path, parent_keys, own_key)
        sheets.append(sheet)
        fill(sheet, models, "")

    def fill(sheet: Sheet, models: tuple[type[BaseModel], ...], prefix: str) -> None:
        for field_name, info in _fields(models):
            annotation = _unwrap(info.annotation)
            key = prefix + field_name
            nested = _model_arms(annotation)
            if nested:
                if not _has_required_field(nested[0]):
                    # {} and an absent object would write the same (no) cells: say which it was.
                    sheet.columns.append(column(sheet.name, key, "empty_object"))
                fill(sheet, nested, key + "/")
                continue
            if get_origin(annotation) is list:
                item = _unwrap(get_args(annotation)[0])
                items = _model_arms(item)
                if items:
                    child_path = (*sheet.path, key)
                    child_name = SHEET_NAMES.get(child_path, field_name)
                    if sheet.own_key is None:
                        raise ValueError(f"sheet {sheet.name!r} has no id for its child rows to refer to")
                    own = sheet.own_key_column()
                    assert own is not None
                    keys = (*sheet.parent_keys, column(child_name, own.key, "text"))
                    add_sheet(items, child_name, child_path, keys, _id_field(items[0]))
                    continue
                if isinstance(item, type) and issubclass(item, enum.Enum):
                    sheet.columns.append(column(sheet.name, key, "codes", _codelist_name(info)))
                else:
                    sheet.columns.append(column(sheet.name, key, "ids"))
                continue
            kind = _scalar_kind(annotation, info)
            codelist = _codelist_name(info)
            if kind == "text" and codelist is not None and _closed_codes(codelist) is not None:
                kind = "code"  # a pattern-typed code (ISO 3166-2:UA) from a closed list
            sheet.columns.append(column(sheet.name, key, kind, codelist if kind == "code" else None))

    add_sheet((root,), root_name, (), (), root_key or _id_field(root))
    return sheets


@functools.cache
def case_layout() -> tuple[Sheet, ...]:
    """The sheets of a case-record workbook."""
    from crsvdata.models.case import CaseRecord

    return tuple(build_layout(CaseRecord, CASE_ROOT))


@functools.cache
def identity_layout() -> tuple[Sheet, ...]:
    """The sheets of an identity-record workbook (never part of a case workbook)."""
    from crsvdata.models.identity import IdentityRecord

    return tuple(build_layout(IdentityRecord, IDENTITY_ROOT, "survivor_ref"))
