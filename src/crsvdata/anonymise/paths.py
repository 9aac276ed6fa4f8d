"""Output paths of an anonymised record: the canonical values the risk check reads, and the leaf paths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

# --- output paths (shared by the builder, the re-check and the tests) -------------------------------


def canonical_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def output_value(document: Mapping[str, Any], path: str) -> str:
    """The canonical value of a profile field in an anonymised record, as the risk check reads it.

    Survivor fields give the field's value; incident fields the list of the values of every incident.
    Absent values are ``null``.
    """
    head, _, name = path.partition(".")
    if head == "survivor":
        return canonical_json((document.get("survivor") or {}).get(name))
    if head == "incidents":
        field = "acts" if name == "acts" else name
        return canonical_json([incident.get(field) for incident in document.get("incidents") or ()])
    return canonical_json(document.get(path))


def output_paths(document: Any, prefix: str = "") -> set[str]:
    """The dotted paths of every leaf of a JSON document (list indices dropped)."""
    if isinstance(document, dict):
        paths: set[str] = set()
        for key, value in document.items():
            paths |= output_paths(value, f"{prefix}.{key}" if prefix else key)
        return paths
    if isinstance(document, list):
        paths = set()
        for item in document:
            paths |= output_paths(item, prefix)
        return paths or {prefix}
    return {prefix}


def allowed_path(path: str, allowed: frozenset[str]) -> bool:
    return any(path == a or path.startswith(a + ".") for a in allowed)
