"""Warnings for deprecated codes: still valid, but to be replaced (OCDS deprecation practice)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel

from crsvdata.codes import load, names
from crsvdata.findings import Finding, Severity, escape_pointer_token
from crsvdata.models.json_rules import model_at, models_in


@cache
def _deprecated_codes() -> frozenset[tuple[str, str]]:
    return frozenset((name, row.code) for name in names() for row in load(name).rows if row.deprecated)


@cache
def _codelist_fields(model: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    # (field, code list or None) for every field; computed once per model class, not once per record.
    plan = []
    for field, info in model.model_fields.items():
        extra = info.json_schema_extra
        name = extra.get("codelist") if isinstance(extra, dict) else None
        plan.append((field, name if isinstance(name, str) else None))
    return tuple(plan)


def deprecated_code_findings(model: BaseModel, pointer: str = "") -> Iterator[Finding]:
    """A warning for every deprecated code used anywhere in ``model``."""
    deprecated = _deprecated_codes()
    if not deprecated:
        return  # the current standard deprecates nothing: no need to walk the record
    yield from _walk(model, pointer, deprecated)


def _walk(model: BaseModel, pointer: str, deprecated: frozenset[tuple[str, str]]) -> Iterator[Finding]:
    for field, list_name in _codelist_fields(type(model)):
        value = getattr(model, field)
        if value is None:
            continue
        here = f"{pointer}/{escape_pointer_token(field)}"
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{here}/{index}" if isinstance(value, list) else here
            if isinstance(item, BaseModel):
                yield from _walk(item, where, deprecated)
            elif (
                list_name is not None and isinstance(item, StrEnum) and (list_name, item.value) in deprecated
            ):
                yield _deprecated(list_name, where)


def deprecated_code_findings_in_json(
    model: type[BaseModel], document: Mapping[str, Any], pointer: str = ""
) -> Iterator[Finding]:
    """The same warnings as ``deprecated_code_findings``, from the parsed JSON of a valid ``model``."""
    plan = _json_plan(model, _deprecated_codes())
    if plan is not None:
        yield from _walk_json(plan, document, pointer)


@dataclass(frozen=True)
class _Field:
    name: str
    token: str
    list_name: str | None
    """The code list of the field's codes when that list deprecates some; else None."""
    deprecated: frozenset[str]
    nested: _NestedPlan | None
    """The plan of an object found in the field (by its tag for a union); None when no object there can
    hold a deprecated code."""


_JsonPlan = tuple[_Field, ...]
_NestedPlan = Callable[[Mapping[str, Any]], _JsonPlan | None]


@cache
def _json_plan(model: type[BaseModel], deprecated: frozenset[tuple[str, str]]) -> _JsonPlan | None:
    """The fields of ``model`` that can hold a deprecated code, directly or inside; None when none can."""
    fields = []
    for field, list_name in _codelist_fields(model):
        codes = frozenset(code for name, code in deprecated if name == list_name)
        nested = _nested_plan(model, field, deprecated)
        if codes or nested is not None:
            fields.append(
                _Field(field, escape_pointer_token(field), list_name if codes else None, codes, nested)
            )
    return tuple(fields) or None


def _nested_plan(
    model: type[BaseModel], field: str, deprecated: frozenset[tuple[str, str]]
) -> _NestedPlan | None:
    classes = models_in(model.model_fields[field].annotation)
    if not any(_json_plan(cls, deprecated) is not None for cls in classes):
        return None
    if len(classes) == 1:
        plan = _json_plan(classes[0], deprecated)
        return lambda _item: plan
    # A union of models: the item's tag (checked by the schema) picks the branch.
    return lambda item: _json_plan(model_at(model, field, item) or model, deprecated)


def _walk_json(plan: _JsonPlan, data: Mapping[str, Any], pointer: str) -> Iterator[Finding]:
    for field in plan:
        value = data.get(field.name)
        if value is None:
            continue
        here = f"{pointer}/{field.token}"
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{here}/{index}" if isinstance(value, list) else here
            if isinstance(item, dict):
                nested = field.nested(item) if field.nested is not None else None
                if nested is not None:
                    yield from _walk_json(nested, item, where)
            elif field.list_name is not None and item in field.deprecated:
                yield _deprecated(field.list_name, where)


def _deprecated(list_name: str, pointer: str) -> Finding:
    return Finding(
        "codelist.deprecated",
        Severity.WARNING,
        f"the code is deprecated in the '{list_name}' code list; see the list for its replacement",
        pointer,
    )
