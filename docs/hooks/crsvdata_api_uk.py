"""The Ukrainian API reference: the ``:::`` blocks of a ``.uk.md`` page rendered from ``api_uk.json``.

mkdocstrings renders the English pages of ``docs/developers/api/`` from the docstrings. The Ukrainian twins
hold the same ``::: module`` blocks; before mkdocstrings sees them, ``render_blocks`` replaces each by the
objects ``api_uk.json`` lists for that block (block -> qualified name -> Ukrainian text, in the order of
the English page; the block's own name is there when its heading is shown). Each object gets the heading
and anchor mkdocstrings gives it, its signature as code (read by griffe, the loader mkdocstrings uses) and
the Ukrainian text. A block without entries is reported, which fails the strict build.
``tests/test_docs_api_uk.py`` checks that the entries are exactly the objects the English pages render, in
their order; ``python -m tools.ukrainian api SITE`` prints skeletons of the missing ones.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path

import griffe

log = logging.getLogger("mkdocs.hooks.crsvdata")

HERE = Path(__file__).resolve().parent
API_UK = HERE / "api_uk.json"
SOURCE = HERE.parents[1] / "src"
HEADING_LEVEL = 2
"""The ``heading_level`` of mkdocstrings in mkdocs.yml: a shown root heading is at this level."""

_BLOCK = re.compile(
    r"^::: *(?P<name>[\w.]+)[ \t]*\n(?P<options>(?:[ \t]+\S.*\n?|[ \t]*\n(?=[ \t]+\S))*)", re.M
)
_ROOT_HIDDEN = re.compile(r"^\s+show_root_heading:\s*false\s*$", re.M)
_KIND_UK = {
    "module": "модуль",
    "class": "клас",
    "function": "функція",
    "method": "метод",
    "attribute": "атрибут",
}
_LONG_VALUE = 60
"""A default or attribute value longer than this is left out of the signature (a table, a long tuple)."""


def entries() -> dict[str, dict[str, str]]:
    """Block (the name after ``:::``) -> qualified name -> Ukrainian text (Markdown), in page order."""
    loaded: dict[str, dict[str, str]] = json.loads(API_UK.read_text("utf-8"))
    return loaded


@cache
def _package() -> griffe.Module:
    loaded = griffe.load("crsvdata", search_paths=[str(SOURCE)], resolve_aliases=False)
    assert isinstance(loaded, griffe.Module)
    return loaded


def _object(qualified: str) -> griffe.Object | griffe.Alias:
    path = qualified.removeprefix("crsvdata").lstrip(".")
    return _package()[path] if path else _package()


def _target(obj: griffe.Object | griffe.Alias) -> griffe.Object | griffe.Alias:
    try:
        return obj.final_target if isinstance(obj, griffe.Alias) else obj
    except griffe.AliasResolutionError:
        return obj


def _parameters(function: griffe.Function, *, skip_self: bool) -> str:
    parts: list[str] = []
    star_written = False
    positional_only_open = False
    parameters = list(function.parameters)
    if skip_self and parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    for parameter in parameters:
        kind = parameter.kind
        if positional_only_open and kind is not griffe.ParameterKind.positional_only:
            parts.append("/")
            positional_only_open = False
        if kind is griffe.ParameterKind.positional_only:
            positional_only_open = True
        if kind is griffe.ParameterKind.keyword_only and not star_written:
            parts.append("*")
            star_written = True
        prefix = {griffe.ParameterKind.var_positional: "*", griffe.ParameterKind.var_keyword: "**"}.get(
            kind, ""
        )
        if kind is griffe.ParameterKind.var_positional:
            star_written = True
        text = prefix + parameter.name
        if parameter.annotation is not None:
            text += f": {parameter.annotation}"
        default = parameter.default
        if default is not None and len(str(default)) <= _LONG_VALUE:
            text += f" = {default}" if parameter.annotation is not None else f"={default}"
        elif default is not None:
            text += " = ..."
        parts.append(text)
    if positional_only_open:
        parts.append("/")
    return ", ".join(parts)


def signature(qualified: str) -> str | None:
    """The object's signature as Python source, or None for a module."""
    obj = _target(_object(qualified))
    name = qualified.rsplit(".", 1)[-1]
    kind = obj.kind.value
    if kind == "module":
        return None
    if kind == "function":
        assert isinstance(obj, griffe.Function)
        is_method = obj.parent is not None and obj.parent.kind.value == "class"
        returns = f" -> {obj.returns}" if obj.returns is not None else ""
        return f"def {name}({_parameters(obj, skip_self=is_method)}){returns}"
    if kind == "class":
        assert isinstance(obj, griffe.Class)
        bases = ", ".join(str(base) for base in obj.bases)
        line = f"class {name}({bases})" if bases else f"class {name}"
        init = obj.members.get("__init__")
        if isinstance(init, griffe.Function):
            line += f":\n    def __init__(self, {_parameters(init, skip_self=True)})"
        return line
    assert isinstance(obj, griffe.Attribute)
    text = name
    if obj.annotation is not None:
        text += f": {obj.annotation}"
    if obj.value is not None and len(str(obj.value)) <= _LONG_VALUE:
        text += f" = {obj.value}"
    return text


def kind_uk(qualified: str) -> str:
    """What the object is, in Ukrainian (a function of a class is a method)."""
    obj = _target(_object(qualified))
    kind = obj.kind.value
    if kind == "function" and obj.parent is not None and obj.parent.kind.value == "class":
        kind = "method"
    return _KIND_UK[kind]


def _render_object(qualified: str, level: int, full_name: bool, text: str) -> str:
    shown = qualified if full_name else qualified.rsplit(".", 1)[-1]
    lines = [f"{'#' * level} `{shown}` <small>{kind_uk(qualified)}</small> {{ #{qualified} }}", ""]
    code = signature(qualified)
    if code is not None:
        lines += ["```python", code, "```", ""]
    lines += [text.strip(), ""]
    return "\n".join(lines)


def render_block(root: str, show_root_heading: bool, translated: dict[str, str]) -> str:
    """The Ukrainian rendering of ``::: root``: its heading (if shown) and every entry of the block."""
    parts: list[str] = []
    depth_of_root = root.count(".")
    shift = 0 if show_root_heading else 1
    for qualified, text in translated.items():
        if qualified == root:
            parts.append(_render_object(root, HEADING_LEVEL, True, text))
        else:
            level = HEADING_LEVEL + qualified.count(".") - depth_of_root - shift
            parts.append(_render_object(qualified, level, False, text))
    return "\n".join(parts)


def blocks(markdown: str) -> list[tuple[str, bool]]:
    """The ``::: module`` blocks of a page: (module, whether its own heading is shown)."""
    found = []
    for match in _BLOCK.finditer(markdown):
        hidden = _ROOT_HIDDEN.search(match.group("options")) is not None
        found.append((match.group("name"), not hidden))
    return found


def render_blocks(markdown: str, page_path: str) -> str:
    """Replace every ``::: module`` block of a Ukrainian page by its Ukrainian rendering."""
    translated = entries()

    def replace(match: re.Match[str]) -> str:
        ((root, show_root),) = blocks(match.group(0))
        block = translated.get(root, {})
        if not block or show_root != (root in block):
            log.warning(
                "crsvdata: %s: the Ukrainian text of ::: %s in %s is missing", page_path, root, API_UK.name
            )
        return render_block(root, show_root, block)

    return _BLOCK.sub(replace, markdown)
