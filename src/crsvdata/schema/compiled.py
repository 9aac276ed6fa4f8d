"""The published schemas compiled by jsonschema-rs, finding the errors python-jsonschema finds.

python-jsonschema is the reference validator of the published schemas, but importing it with its format
checkers takes over a second. jsonschema-rs compiles the same schema in Rust. Where the two could judge
one value differently, this module makes them agree or refuses the schema:

- ``date`` and ``date-time`` are python-jsonschema's own format checks (``date.fromisoformat`` behind an
  ASCII ``YYYY-MM-DD``; ``rfc3339_validator`` on the upper-cased text), handed to jsonschema-rs;
- every ``pattern`` and ``patternProperties`` pattern must be written in the plain syntax where Rust's
  regex and Python's ``re`` agree except at one place: Python's ``$`` also matches before a final
  newline. So Rust is never more lenient, and the explanation (``crsvdata.validation.schema_issues``)
  drops the pattern errors Python's ``re.search`` would not raise (:func:`python_search`);
- a schema using a keyword outside :data:`KNOWN_KEYWORDS`, or a pattern outside that syntax, is not
  compiled (``CompiledSchema.unsupported`` says why), so a future schema cannot quietly make the two
  validators disagree: its documents are explained by python-jsonschema itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Final

import jsonschema_rs
from rfc3339_validator import validate_rfc3339  # type: ignore[import-untyped]

from crsvdata.schema.published import load_schema
from crsvdata.version import STANDARD_VERSION

__all__ = ["KNOWN_KEYWORDS", "CompiledSchema", "compiled_schema", "python_search"]

KNOWN_KEYWORDS: Final = frozenset(
    {
        # applicators whose paths the explanation walks
        "$ref", "properties", "patternProperties", "items", "anyOf", "oneOf", "additionalProperties",
        # assertions
        "type", "enum", "const", "required", "pattern", "format", "minLength", "maxLength",
        "minItems", "maxItems", "minimum", "maximum",
        # annotations and crsvdata's own vocabulary (no effect on validity)
        "$schema", "$id", "$defs", "title", "description", "examples", "default", "codelist",
        "openCodelist", "discriminator",
    }
)  # fmt: skip

_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        return False
    try:
        date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    return bool(validate_rfc3339(instance.upper()))


_FORMATS: Final = {"date": _is_date, "date-time": _is_date_time}


# Escapes and groups whose meaning differs between Rust's regex and Python's re (Unicode classes, word
# boundaries, flags, look-around, nested classes and set operations): a pattern using one is refused.
_UNPORTABLE: Final = re.compile(r"\\[wWdDsSbBpPuUxNAzZ0-9]|\(\?(?!:)|\[\[|&&|--|~~")


@cache
def python_search(pattern: str) -> Any:
    """Python's ``re.search`` for ``pattern``, as python-jsonschema applies ``pattern`` keywords."""
    return re.compile(pattern).search


def _patterns_of(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _patterns_of(item)
        return
    if not isinstance(node, dict):
        return
    for keyword, value in node.items():
        if keyword == "pattern" and isinstance(value, str):
            yield value
        elif keyword == "patternProperties":
            yield from value
            for child in value.values():
                yield from _patterns_of(child)
        elif keyword in ("properties", "$defs"):
            for child in value.values():
                yield from _patterns_of(child)
        elif keyword in ("items", "anyOf", "oneOf", "additionalProperties"):
            yield from _patterns_of(value)


def _keywords_of(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _keywords_of(item)
        return
    if not isinstance(node, dict):
        return
    for keyword, value in node.items():
        yield keyword
        if keyword in ("properties", "patternProperties", "$defs"):
            for child in value.values():
                yield from _keywords_of(child)
        elif keyword in ("items", "anyOf", "oneOf", "additionalProperties"):
            yield from _keywords_of(value)


@dataclass(frozen=True, slots=True)
class CompiledSchema:
    """A published schema (as published, for reading) and its compiled validator.

    ``validator`` is None when the schema is not compiled; ``unsupported`` then says why.
    """

    name: str
    schema: dict[str, Any]
    validator: Any
    unsupported: str | None = None

    def iter_errors(self, document: Any) -> Iterator[Any]:
        """jsonschema-rs's errors for ``document``: ``instance_path``, ``evaluation_path``, ``kind``."""
        return iter(self.validator.iter_errors(document))


def _unsupported(schema: dict[str, Any]) -> str | None:
    unknown = sorted(set(_keywords_of(schema)) - KNOWN_KEYWORDS)
    if unknown:
        return f"keywords the compiled check does not know: {unknown}"
    unportable = sorted({pattern for pattern in _patterns_of(schema) if _UNPORTABLE.search(pattern)})
    if unportable:
        return f"patterns Rust's regex and Python's re may read differently: {unportable}"
    return None


@cache
def compiled_schema(name: str, version: str = STANDARD_VERSION) -> CompiledSchema:
    """The compiled validator of one published schema, built once per process."""
    schema = load_schema(name, version)
    reason = _unsupported(schema)
    if reason is not None:
        return CompiledSchema(name, schema, None, reason)
    compiled = jsonschema_rs.validator_for(
        schema, formats=_FORMATS, validate_formats=True, ignore_unknown_formats=False
    )
    return CompiledSchema(name, schema, compiled)
