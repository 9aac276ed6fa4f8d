"""Warnings for deprecated codes: still valid, but to be replaced (OCDS deprecation practice)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel

from crsvdata.codes import is_deprecated
from crsvdata.findings import Finding, Severity, escape_pointer_token


def _list_name(model: type[BaseModel], field: str) -> str | None:
    extra = model.model_fields[field].json_schema_extra
    if isinstance(extra, dict):
        name = extra.get("codelist")
        return name if isinstance(name, str) else None
    return None


def deprecated_code_findings(model: BaseModel, pointer: str = "") -> Iterator[Finding]:
    """A warning for every deprecated code used anywhere in ``model``."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{pointer}/{escape_pointer_token(name)}"
        list_name = _list_name(type(model), name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{here}/{index}" if isinstance(value, list) else here
            if isinstance(item, BaseModel):
                yield from deprecated_code_findings(item, where)
            elif list_name is not None and isinstance(item, StrEnum) and is_deprecated(list_name, item.value):
                yield Finding(
                    "codelist.deprecated",
                    Severity.WARNING,
                    f"the code is deprecated in the '{list_name}' code list; see the list for its "
                    "replacement",
                    where,
                )
