"""Output paths of an anonymised record: the canonical values the risk check reads, and the leaf paths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

# --- output paths (shared by the builder, the re-check and the tests) -------------------------------


def canonical_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def output_value(document: Mapping[str, Any], path: str) -> str:
    """The canonical value at a dotted output path of an anonymised record, as the risk check reads it.

    Lists are followed: ``survivor.sex`` gives one value, ``incidents.period`` the list of every
    incident's, ``incidents.acts.form`` a list (per incident) of lists (per act). Absent is ``null``.
    """
    return canonical_json(_collect(document, path.split(".")))


def _collect(node: Any, parts: list[str]) -> Any:
    if isinstance(node, list) and parts:
        return [_collect(item, parts) for item in node]
    if not parts:
        return node
    if not isinstance(node, Mapping):
        return None
    return _collect(node.get(parts[0]), parts[1:])


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
