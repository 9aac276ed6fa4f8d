"""Which models are published as which schema files, and where the committed files live."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Final

from pydantic import BaseModel

from crsvdata.anonymise.model import AnonymisedCaseRecord
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.schema.generate import dump_schema, model_schema
from crsvdata.version import STANDARD_VERSION

PUBLISHED_MODELS: Final[Mapping[str, type[BaseModel]]] = {
    "case-record": CaseRecord,
    "identity-record": IdentityRecord,
    "exchange-package": ExchangePackage,
    "anonymised-case-record": AnonymisedCaseRecord,
}
"""Schema file name (without ``.schema.json``) -> the model it is generated from."""

RELEASED_FILE: Final = "RELEASED"
CHECKSUMS_FILE: Final = "SHA256SUMS"


def schemas_root() -> Path:
    """The folder holding ``<version>/*.schema.json``: inside the installed wheel, else the source tree.

    hatchling's force-include puts ``schemas/`` at ``crsvdata/_schemas`` in a wheel, but an editable
    install does not see it, so the repository folder is the fallback (engineering-anchors.md, section 4).
    """
    packaged = Path(str(resources.files("crsvdata"))) / "_schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas"


def generated_files(version: str = STANDARD_VERSION) -> dict[str, str]:
    """Every file of the development version's schema folder, as it should be committed."""
    return {
        f"{name}.schema.json": dump_schema(model_schema(model, name, version))
        for name, model in PUBLISHED_MODELS.items()
    }


def released_versions(root: Path | None = None) -> tuple[str, ...]:
    """Versions listed in ``schemas/RELEASED``: their folders are frozen."""
    path = (root or schemas_root()) / RELEASED_FILE
    if not path.exists():
        return ()
    return tuple(
        line.strip()
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def folder_checksums(folder: Path) -> str:
    """The SHA256SUMS text of every file in a version folder (sorted, relative paths)."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS_FILE):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def frozen_folder_problems(root: Path | None = None) -> list[str]:
    """Released version folders whose content no longer matches their committed checksums."""
    base = root or schemas_root()
    problems = []
    for version in released_versions(base):
        folder = base / version
        sums = folder / CHECKSUMS_FILE
        if not sums.exists():
            problems.append(f"{version}: released but has no {CHECKSUMS_FILE}")
        elif sums.read_text("utf-8") != folder_checksums(folder):
            problems.append(f"{version}: released folder changed; a released schema version is frozen")
    return problems


def write_development_schemas(root: Path | None = None) -> list[Path]:
    """Regenerate the development version's schema folder; return the files that changed.

    A released version is never regenerated: releasing means bumping ``STANDARD_VERSION`` first.
    """
    base = root or schemas_root()
    if STANDARD_VERSION in released_versions(base):
        raise RuntimeError(
            f"schema version {STANDARD_VERSION} is released and frozen; bump STANDARD_VERSION first"
        )
    folder = base / STANDARD_VERSION
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for filename, text in {**generated_files(), **codelist_files()}.items():
        path = folder / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            changed.append(path)
    return changed


def stale_schema_problems(root: Path | None = None) -> list[str]:
    """Committed schema files that differ from a fresh generation, and changed released folders."""
    base = root or schemas_root()
    problems = frozen_folder_problems(base)
    if STANDARD_VERSION in released_versions(base):
        return problems
    folder = base / STANDARD_VERSION
    for filename, text in {**generated_files(), **codelist_files()}.items():
        path = folder / filename
        if not path.exists() or path.read_text("utf-8") != text:
            problems.append(f"{path} is out of date: run `make schemas` (python -m crsvdata.dev schemas)")
    return problems


def codelist_files() -> dict[str, str]:
    """The code lists exported beside the schemas, as CSV (verbatim) and JSON, for integrators."""
    from crsvdata.codes import load, names

    files: dict[str, str] = {}
    for name in names():
        codelist = load(name)
        source = resources.files("crsvdata.codes") / "data" / f"{name}.csv"
        files[f"codelists/{name}.csv"] = source.read_text("utf-8")
        document = {
            "name": codelist.name,
            "title": {"en": codelist.title_en, "uk": codelist.title_uk},
            "description": codelist.description,
            "open": codelist.open,
            "codes": [
                {
                    "code": row.code,
                    "label": {"en": row.label_en, "uk": row.label_uk},
                    "description": row.description,
                    **({"deprecated": row.deprecated} if row.deprecated else {}),
                    **({"extra": dict(row.extra)} if row.extra else {}),
                }
                for row in codelist.rows
            ],
        }
        files[f"codelists/{name}.json"] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return files
