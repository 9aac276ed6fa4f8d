"""The bytes of one anonymised record, checked once against its published schema.

An anonymised record used to be dumped, validated by ``AnonymisedCaseRecord``, serialised by it and
parsed again. Here its dict is put in the model's field order (with the model's non-null defaults, the
``document_type`` marker), checked once by a compiled jsonschema-rs validator of the published schema and
serialised by orjson: the same bytes ``AnonymisedCaseRecord.model_validate_json(...).to_json()`` gives,
which ``tests/test_anonymise_written.py`` checks against that exact path. A record the fast check refuses
goes through the exact path, so a bad record is refused with pydantic's codes, and never written.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from functools import cache
from typing import Any, Final

import jsonschema_rs
import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.models.anonymised import AnonymisedCaseRecord
from crsvdata.schema.published import load_schema

__all__ = ["exact_record_bytes", "record_bytes"]

_SCHEMA_NAME: Final = "anonymised-case-record"


@cache
def _validator() -> Any:
    # Compiled once per process; the schema is self-contained (no reference leaves it), so no registry.
    return jsonschema_rs.validator_for(load_schema(_SCHEMA_NAME), validate_formats=True)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


_Layout = tuple[tuple[str, Any, "type[BaseModel] | None"], ...]


@cache
def _layout(model: type[BaseModel]) -> _Layout:
    """Each field of ``model`` in declaration order: its name, its non-null default, its nested model."""
    out = []
    for name, info in model.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        nested = next(_models_in(info.annotation), None)
        out.append((name, default, nested))
    return tuple(out)


@cache
def _plan(model: type[BaseModel]) -> tuple[_Layout, dict[str, int], tuple[int, ...]]:
    """The layout, each field's place in it, and the places of the fields with a non-null default."""
    layout = _layout(model)
    places = {name: place for place, (name, _, _) in enumerate(layout)}
    defaults = tuple(place for place, (_, default, _) in enumerate(layout) if default is not None)
    return layout, places, defaults


def _ordered(value: Any, model: type[BaseModel]) -> Any:
    if isinstance(value, list):
        return [_ordered(item, model) for item in value]
    if not isinstance(value, dict):
        return value
    layout, places, defaults = _plan(model)
    chosen: list[int] = []
    unknown: list[str] = []
    for key in value:
        place = places.get(key)
        if place is None:
            unknown.append(key)
        else:
            chosen.append(place)
    chosen.extend(place for place in defaults if layout[place][0] not in value)
    chosen.sort()
    out: dict[str, Any] = {}
    for place in chosen:
        name, default, nested = layout[place]
        # An explicit null is kept: the schema refuses it, as the model does.
        item = value.get(name, default)
        out[name] = _ordered(item, nested) if nested is not None and item is not None else item
    # A key the model does not know is kept (at the end) so that the schema refuses it below.
    for key in unknown:
        out[key] = value[key]
    return out


def exact_record_bytes(body: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """The reference path: validate with ``AnonymisedCaseRecord``, serialise with it, parse it back."""
    try:
        model = AnonymisedCaseRecord.model_validate_json(orjson.dumps(body))
    except ValidationError as exc:
        codes = sorted({str(e["type"]) for e in exc.errors()})
        raise AnonymisationError(f"an anonymised record failed its own schema ({', '.join(codes)})") from None
    text = model.to_json().encode("utf-8")
    return text, orjson.loads(text)


def record_bytes(body: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """One anonymised record's bytes and its JSON value, checked once; ``AnonymisationError`` if invalid.

    The message names only pydantic's error types or the schema keywords that failed, never a value.
    """
    document = _ordered(body, AnonymisedCaseRecord)
    if _validator().is_valid(document):
        return orjson.dumps(document), document
    exact_record_bytes(body)  # raises with the exact explanation when the model refuses it too
    keywords = sorted({str(error.schema_path[-1]) for error in _validator().iter_errors(document)})[:5]
    raise AnonymisationError(f"an anonymised record failed its own schema ({', '.join(keywords)})")
