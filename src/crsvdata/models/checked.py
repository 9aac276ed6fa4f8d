"""Models from JSON that has already been validated whole: the checking validators are left out.

``crsvdata.parse`` validates a document as ``crsvdata validate`` does (the published schema, then every
rule over the parsed JSON) and only then builds its model. Every check the model would make again (null
refused, patterns, partial dates, identifier formats, the rules) has by then passed, so its Python is
pure cost: about 60 calls for a rich case record. :func:`checked_validator` is the model's own core
schema without the validators marked :func:`crsvdata._context.inert_on_valid_json`; the converting ones
(a day's text into a ``date``, ``3.0`` into ``3``) stay, so the model is the one
``model_validate_json`` gives (``tests/test_checked_models.py`` compares both). Given JSON that has not
been validated, it would accept what the model refuses: use it only behind a full validation.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic_core import CoreSchema, SchemaValidator

from crsvdata._context import INERT_MARK

__all__ = ["checked_validator", "without_inert_validators"]

_FUNCTIONS_AROUND_A_SCHEMA = frozenset({"function-after", "function-before", "function-wrap"})


@cache
def checked_validator(model: type[BaseModel]) -> SchemaValidator:
    """A validator building ``model`` from JSON the published schema and every rule have accepted."""
    model.model_rebuild()  # a model whose schema is still deferred is completed first
    return SchemaValidator(without_inert_validators(model.__pydantic_core_schema__))


def without_inert_validators(schema: CoreSchema) -> CoreSchema:
    """``schema`` with every validator marked inert on valid JSON replaced by the schema it wraps."""
    stripped: CoreSchema = _stripped(schema)
    return stripped


def _stripped(node: Any) -> Any:
    if isinstance(node, list):
        return [_stripped(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")  # a model's field named "type" makes this a field schema, not a string
    if isinstance(kind, str) and kind in _FUNCTIONS_AROUND_A_SCHEMA and _is_inert(node):
        inner = dict(_stripped(node["schema"]))
        # Other schemas point at this node by its ref (a model used in several places): the ref moves in.
        if "ref" in node:
            inner["ref"] = node["ref"]
        return inner
    # A serialisation schema is left as it is: it only writes.
    return {key: value if key == "serialization" else _stripped(value) for key, value in node.items()}


def _is_inert(node: dict[str, Any]) -> bool:
    function = node.get("function")
    target = function.get("function") if isinstance(function, dict) else None
    return bool(getattr(target, INERT_MARK, False))
