"""Lax in: Python holding the JSON form of a document validates exactly as the JSON text does.

The models are strict so that they accept exactly what the published schema accepts. Pydantic's strict
*Python* mode, however, wants ``date`` objects and enum members where JSON has strings, so a record from
``json.loads`` (or a FastAPI request body) was refused field by field. This module rewrites a model's core
schema once, when the class is built, so that in Python mode:

- an enum field also takes its code as a string (``"female"`` as well as ``Sex.FEMALE``), and
- a ``date`` field also takes ``YYYY-MM-DD`` text, checked as JSON Schema's ``format: date`` checks it,

and nothing else changes: ``"34"`` for an integer, ``1`` for a boolean or a tuple for a list stay errors in
both modes, as the schema says. The differential test (``tests/test_json_form.py``) holds
``model_validate(dict)``, ``model_validate_json(text)`` and the published schema to one verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError
from pydantic_core import core_schema as cs

_MARK: Final = "crsvdata_json_form"
_FULL_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)


def _day(value: object) -> object:
    # The same test as JSON Schema's format "date" (RFC 3339 full-date): the shape, then a real day.
    if isinstance(value, datetime):
        raise PydanticCustomError("date_type", "expected a day (YYYY-MM-DD), not a date-time")
    if isinstance(value, str):
        if not _FULL_DATE.match(value):
            raise PydanticCustomError("date_parsing", "expected a day written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_parsing", "not a real day") from None
    return value


def accept_json_form(schema: CoreSchema, handler: GetCoreSchemaHandler) -> CoreSchema:
    """``schema`` with every enum and date node also taking its JSON form in Python mode.

    Enums are shared definitions while a schema is being built: ``handler`` resolves a reference to its
    definition, which is made lax in place (a lax enum is what every crsvdata model wants).
    """
    return _rewrite(schema, handler.resolve_ref_schema)  # type: ignore[no-any-return]


def _rewrite(node: Any, resolve: Callable[[Any], Any]) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, resolve) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "date" and not (node.get("metadata") or {}).get(_MARK):
        marked = {**node, "metadata": {**(node.get("metadata") or {}), _MARK: True}}
        return cs.no_info_before_validator_function(_day, marked)
    if kind == "definition-ref":
        definition = resolve(node)
        if definition.get("type") == "enum":
            definition["strict"] = False
        return node
    rewritten = {key: _rewrite(value, resolve) for key, value in node.items()}
    if kind == "enum":
        # A lax enum takes a member or its value and nothing else, in either mode.
        rewritten["strict"] = False
    return rewritten
