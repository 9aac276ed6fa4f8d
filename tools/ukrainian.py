"""Print skeletons of the Ukrainian entries still missing: ``python -m tools.ukrainian issues|schemas``.

* ``issues``: issue codes without a Ukrainian title and fix (``tests/test_validation_ukrainian.py`` fails
  on them), as lines to paste into ``crsvdata/validation/catalogue_uk.py``.
* ``schemas``: English descriptions of the development version's schemas without a Ukrainian translation
  in ``docs/hooks/schema_descriptions_uk.json`` (``tests/test_docs_ukrainian_sources.py`` fails on them),
  as JSON members to paste into that file, each after a comment line naming where the text is used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.catalogue_uk import UKRAINIAN
from crsvdata.version import STANDARD_VERSION

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DESCRIPTIONS_UK = ROOT / "docs" / "hooks" / "schema_descriptions_uk.json"


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
    print("usage: python -m tools.ukrainian issues|schemas", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
