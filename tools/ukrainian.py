"""Print skeletons of the Ukrainian entries still missing: ``python -m tools.ukrainian issues|schemas|api``.

* ``issues``: issue codes without a Ukrainian title and fix (``tests/test_validation_ukrainian.py`` fails
  on them), as lines to paste into ``crsvdata/validation/catalogue_uk.py``.
* ``schemas``: English descriptions of the development version's schemas without a Ukrainian translation
  in ``docs/hooks/schema_descriptions_uk.json`` (``tests/test_docs_ukrainian_sources.py`` fails on them),
  as JSON members to paste into that file, each after a comment line naming where the text is used.
* ``api [SITE]``: objects the English API reference pages of a built site (default ``site/``) render
  without a Ukrainian text in ``docs/hooks/api_uk.json`` (``tests/test_docs_api_uk.py`` fails on them),
  grouped by the ``:::`` block that renders them, with the English docstring's first line to translate;
  and the entries no English page renders any more, to delete.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.catalogue_uk import UKRAINIAN
from crsvdata.version import STANDARD_VERSION

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DESCRIPTIONS_UK = ROOT / "docs" / "hooks" / "schema_descriptions_uk.json"
API_UK = ROOT / "docs" / "hooks" / "api_uk.json"
API_PAGES = ROOT / "docs" / "developers" / "api"
_API_BLOCK = re.compile(r"^::: *([\w.]+)", re.M)
_API_HEADING = re.compile(r'<h[1-6] id="(crsvdata(?:\.[\w]+)*)"')


def missing_issue_entries() -> list[str]:
    """A skeleton line for every catalogued issue code without a Ukrainian entry."""
    return [
        f'    "{code}": ("TODO: {entry.title}", "TODO: {entry.fix}"),'
        for code, entry in ISSUE_CODES.items()
        if code not in UKRAINIAN
    ]


def schema_descriptions(schema_dir: Path | None = None) -> Iterator[tuple[str, str]]:
    """(where, English description) of every description the reference pages show: each schema's own, each
    object type's and each property's (a code-list type's description comes from the code list instead)."""
    folder = schema_dir or ROOT / "schemas" / STANDARD_VERSION
    for path in sorted(folder.glob("*.schema.json")):
        schema: dict[str, Any] = json.loads(path.read_text("utf-8"))
        name = path.name.removesuffix(".schema.json")
        yield f"{name}#", str(schema.get("description", ""))
        objects = {str(schema.get("title", name)): schema, **schema.get("$defs", {})}
        for def_name, node in objects.items():
            if "properties" not in node:
                continue
            yield f"{name}#/$defs/{def_name}", str(node.get("description", ""))
            for field, prop in node["properties"].items():
                text = prop.get("description") or prop.get("items", {}).get("description", "")
                yield f"{name}#/$defs/{def_name}/properties/{field}", str(text)


def missing_schema_descriptions(translated: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """English description -> where it is used, for every description without a Ukrainian translation
    (in ``translated``, by default the committed catalogue)."""
    if translated is None:
        translated = json.loads(SCHEMA_DESCRIPTIONS_UK.read_text("utf-8"))
    missing: dict[str, list[str]] = {}
    for where, text in schema_descriptions():
        key = " ".join(text.split())
        if key and key not in translated:
            missing.setdefault(key, []).append(where)
    return missing


def schema_skeleton(missing: dict[str, list[str]]) -> list[str]:
    """JSON members to add to schema_descriptions_uk.json, each with a comment naming its first use."""
    return [
        f'  // {where[0]}\n  {json.dumps(text, ensure_ascii=False)}: "TODO",'
        for text, where in missing.items()
    ]


def api_pages() -> list[Path]:
    """The English pages of the API reference (their ``.uk.md`` twins render from ``api_uk.json``)."""
    return sorted(path for path in API_PAGES.glob("*.md") if path.suffixes == [".md"])


def rendered_api_objects(site: Path) -> dict[str, list[str]]:
    """``:::`` block -> the objects the English page of a built site renders for it, in page order.

    An object belongs to the page's block whose name is its longest prefix (``crsvdata.validation.catalogue``
    holds ``ISSUE_CODES``, not ``crsvdata.validation``)."""
    rendered: dict[str, list[str]] = {}
    for page in api_pages():
        roots = _API_BLOCK.findall(page.read_text("utf-8"))
        folder = page.parent.relative_to(ROOT / "docs")
        html_path = site / folder / ("" if page.stem == "index" else page.stem) / "index.html"
        for root in roots:
            rendered.setdefault(root, [])
        for name in _API_HEADING.findall(html_path.read_text("utf-8")):
            owners = [root for root in roots if name == root or name.startswith(root + ".")]
            if owners:
                rendered[max(owners, key=len)].append(name)
    return rendered


def api_entries() -> dict[str, dict[str, str]]:
    """The committed Ukrainian API texts: block -> qualified name -> text."""
    loaded: dict[str, dict[str, str]] = json.loads(API_UK.read_text("utf-8"))
    return loaded


def api_differences(
    rendered: Mapping[str, Sequence[str]], translated: Mapping[str, Mapping[str, str]]
) -> tuple[dict[str, list[str]], list[str]]:
    """(block -> rendered objects without a Ukrainian text, entries for objects no block renders)."""
    missing = {
        block: [name for name in names if name not in translated.get(block, {})]
        for block, names in rendered.items()
    }
    stale = [
        f"{block}: {name}"
        for block, names in translated.items()
        for name in names
        if name not in rendered.get(block, ())
    ]
    return {block: names for block, names in missing.items() if names}, stale


def _english_summary(qualified: str) -> str:
    """The first line of an object's English docstring ("" for a constant: its ``__doc__`` is its type's)."""
    try:
        obj = pkgutil.resolve_name(qualified)
    except (ImportError, AttributeError, ValueError):
        return ""
    documented = inspect.ismodule(obj) or inspect.isclass(obj) or callable(obj) or isinstance(obj, property)
    doc = inspect.getdoc(obj) if documented else None
    return doc.split("\n", 1)[0] if doc else ""


def api_skeleton(missing: Mapping[str, Sequence[str]]) -> list[str]:
    """JSON members to add to api_uk.json, block by block, each saying what the English text is."""
    lines: list[str] = []
    for block, names in missing.items():
        lines.append(f"  // in {json.dumps(block)}:")
        lines += [
            f"    {json.dumps(name)}: {json.dumps('TODO: ' + _english_summary(name), ensure_ascii=False)},"
            for name in names
        ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the skeleton asked for; exit 1 when something is missing, so a script can tell."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["issues"]:
        missing = missing_issue_entries()
        print("\n".join(missing) if missing else "# every issue code has a Ukrainian entry")
        return 1 if missing else 0
    if args == ["schemas"]:
        lines = schema_skeleton(missing_schema_descriptions())
        print("\n".join(lines) if lines else "// every schema description has a Ukrainian translation")
        return 1 if lines else 0
    if args[:1] == ["api"] and len(args) <= 2:
        site = Path(args[1]) if len(args) == 2 else ROOT / "site"
        untranslated, stale = api_differences(rendered_api_objects(site), api_entries())
        lines = api_skeleton(untranslated) + [f"// no longer rendered, delete: {entry}" for entry in stale]
        print("\n".join(lines) if lines else "// every API object has a Ukrainian text")
        return 1 if lines else 0
    print("usage: python -m tools.ukrainian issues|schemas|api [SITE]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
