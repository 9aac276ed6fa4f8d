"""Where the published JSON Schemas live at run time: package data, read through importlib.resources.

hatchling's ``force-include`` ships the repository's ``schemas/`` folder as ``crsvdata/_schemas`` in the
wheel; in a checkout, ``src/crsvdata/_schemas`` is a symbolic link to that same folder, so the library
never computes a path into the source tree.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["schema_text", "schemas_root"]


def schemas_root() -> Traversable:
    """The folder holding ``<version>/*.schema.json`` and ``<version>/codelists/``."""
    return resources.files("crsvdata") / "_schemas"


def schema_text(schema_file: str, version: str) -> str:
    """The text of one published schema file of ``version``."""
    return (schemas_root() / version / schema_file).read_text("utf-8")
