"""Validate against the published schemas with python-jsonschema, offline.

The registry holds the packaged schemas only; any ``$ref`` to anything else is refused rather than
fetched, so validation never touches the network. Format checks (date, date-time, ...) are really on.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NoReturn

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from crsvdata.schema.documents import DOCUMENT_TYPES
from crsvdata.schema.published import load_schema
from crsvdata.version import STANDARD_VERSION

__all__ = ["load_schema", "registry", "validator"]


def _refuse(uri: str) -> NoReturn:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs-generated __init__


@cache
def registry(version: str = STANDARD_VERSION) -> Registry[Any]:
    """An offline registry of every published schema of ``version``."""
    resources: list[tuple[str, Resource[Any]]] = [
        (row.schema_id(version), DRAFT202012.create_resource(load_schema(row.schema_name, version)))
        for row in DOCUMENT_TYPES
    ]
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]


@cache
def validator(name: str, version: str = STANDARD_VERSION) -> Draft202012Validator:
    """A 2020-12 validator for one published schema, with format checking on and no network."""
    schema = load_schema(name, version)
    return Draft202012Validator(
        schema, registry=registry(version), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
