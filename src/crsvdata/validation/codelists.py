"""Warnings for deprecated codes: still valid, but to be replaced (OCDS deprecation practice)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel

from crsvdata.codes import load, names
from crsvdata.findings import Finding, Severity, escape_pointer_token
from crsvdata.models.json_rules import model_at


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
    deprecated = _deprecated_codes()
    if not deprecated:
        return
    yield from _walk_json(model, document, pointer, deprecated)


def _walk_json(
    model: type[BaseModel], data: Mapping[str, Any], pointer: str, deprecated: frozenset[tuple[str, str]]
) -> Iterator[Finding]:
    for field, list_name in _codelist_fields(model):
        value = data.get(field)
        if value is None:
            continue
        here = f"{pointer}/{escape_pointer_token(field)}"
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{here}/{index}" if isinstance(value, list) else here
            if isinstance(item, dict):
                nested = model_at(model, field, item)
                if nested is not None:
                    yield from _walk_json(nested, item, where, deprecated)
            elif list_name is not None and isinstance(item, str) and (list_name, item) in deprecated:
                yield _deprecated(list_name, where)


def _deprecated(list_name: str, pointer: str) -> Finding:
    return Finding(
        "codelist.deprecated",
        Severity.WARNING,
        f"the code is deprecated in the '{list_name}' code list; see the list for its replacement",
        pointer,
    )
