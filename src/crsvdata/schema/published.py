"""Where the published JSON Schemas live at run time: package data, read from the installed package.

hatchling's ``force-include`` ships the repository's ``schemas/`` folder as ``crsvdata/_schemas`` in the
wheel; in a checkout, ``src/crsvdata/_schemas`` is a symbolic link to that same folder, so the library
never computes a path into the source tree.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from crsvdata._package_data import package_files
from crsvdata.version import STANDARD_VERSION

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["load_schema", "schema_text", "schemas_root"]


def schemas_root() -> Traversable:
    """The folder holding ``<version>/*.schema.json`` and ``<version>/codelists/``."""
    return package_files("crsvdata") / "_schemas"


def schema_text(schema_file: str, version: str) -> str:
    """The text of one published schema file of ``version``."""
    return (schemas_root() / version / schema_file).read_text("utf-8")


@cache
def _schema_text(name: str, version: str) -> str:
    return schema_text(f"{name}.schema.json", version)


def load_schema(name: str, version: str = STANDARD_VERSION) -> dict[str, Any]:
    """A committed schema, read from the installed package (or the source tree).

    Every call returns a fresh copy: some tools (hypothesis-jsonschema among them) rewrite a schema in
    place, and one caller's rewrite must never become another's schema.
    """
    loaded: dict[str, Any] = json.loads(_schema_text(name, version))
    return loaded
