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


class OutputPath:
    """One dotted output path, split once: what :func:`output_value` reads there, and how many values.

    For the writer, which reads the same few paths of every record it writes.
    """

    __slots__ = ("_parts", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self._parts = tuple(path.split("."))

    def collect(self, document: Any) -> Any:
        """The value at the path, lists followed (``_collect``'s answer)."""
        return _collect_from(document, self._parts, 0)

    def text(self, document: Any) -> str:
        """:func:`output_value` of the document at this path."""
        return canonical_json(_collect_from(document, self._parts, 0))


def _collect_from(node: Any, parts: tuple[str, ...], at: int) -> Any:
    if at == len(parts):
        return node
    if isinstance(node, list):
        return [_collect_from(item, parts, at) for item in node]
    if not isinstance(node, dict) and not isinstance(node, Mapping):
        return None
    return _collect_from(node.get(parts[at]), parts, at + 1)


def count_present(collected: Any) -> int:
    """The values in what :meth:`OutputPath.collect` gave: every item of a list, nulls left out."""
    if isinstance(collected, list):
        return sum(count_present(item) for item in collected)
    return 0 if collected is None else 1


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
