"""`crsvdata validate` on valid data loads only what validating needs; every public name still resolves.

The modules are checked in a fresh interpreter (a subprocess), since this test session has long since
imported everything. Nothing here is timed: speed is measured in ``benchmarks/``.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

EXAMPLES: Final = Path(__file__).resolve().parents[1] / "examples"
CASE_RECORDS: Final = EXAMPLES / "synthetic" / "case-records.jsonl"
IDENTITY_RECORDS: Final = EXAMPLES / "synthetic" / "identity-records.jsonl"
ONE_CASE: Final = EXAMPLES / "cases" / "child-survivor.json"

# Runs the command as `python -m crsvdata` does and writes the loaded modules and the exit code as JSON.
_PROBE: Final = """
import json, runpy, sys
out, sys.argv = sys.argv[1], ["crsvdata", *sys.argv[2:]]
try:
    runpy.run_module("crsvdata", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
with open(out, "w") as handle:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, handle)
"""

NEVER_FOR_VALID_DATA: Final = (
    "jsonschema",  # only explains invalid documents
    "crsvdata.validation.schema_issues",
    "crsvdata.models.anonymised",
    "crsvdata.anonymise",
    "crsvdata.disclosure",
    "crsvdata.aggregate",
    "crsvdata.interop",
    "crsvdata.io.atomic",
    "crsvdata.io.tables",
    # Package data is read from the package folder: importlib.resources imports these (about 8 ms).
    "importlib.resources",
    "tempfile",
    "shutil",
    "zipfile",
    "bz2",
    "lzma",
    "crsvdata.validation.catalogue_uk",  # an English report (the default) needs no Ukrainian table
)
ONLY_WITH_WORKERS: Final = ("multiprocessing", "concurrent.futures", "crsvdata.validation.parallel")
CASE_RECORDS_ONLY: Final = ("phonenumbers", "stdnum")
ONLY_FOR_REFUSED_DATA: Final = ("crsvdata.models", "crsvdata.codes.enums", "pydantic", "pydantic_core")
"""A schema-valid document goes to the generated rule walk: no model is built, nor pydantic imported."""


def _loaded_after(tmp_path: Path, *arguments: str) -> tuple[int, set[str]]:
    out = tmp_path / "probe.json"
    subprocess.run([sys.executable, "-c", _PROBE, str(out), *arguments], check=True, capture_output=True)
    result = json.loads(out.read_text(encoding="utf-8"))
    return result["exit"], set(result["modules"])


def _loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def _a_few_case_records(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"".join(CASE_RECORDS.read_bytes().splitlines(keepends=True)[:20]))
    return path


def test_validating_case_records_loads_no_export_stack_schema_checker_or_workers(tmp_path: Path) -> None:
    exit_code, modules = _loaded_after(tmp_path, "validate", str(_a_few_case_records(tmp_path)))
    assert exit_code == 0
    assert "crsvdata.validation.rule_walk" in modules  # the probe sees what the command loaded
    unwanted = (*NEVER_FOR_VALID_DATA, *ONLY_WITH_WORKERS, *CASE_RECORDS_ONLY, *ONLY_FOR_REFUSED_DATA)
    assert [name for name in unwanted if _loaded(modules, name)] == []


def test_validating_one_json_document_loads_no_more(tmp_path: Path) -> None:
    exit_code, modules = _loaded_after(tmp_path, "validate", str(ONE_CASE))
    assert exit_code == 0
    unwanted = (*NEVER_FOR_VALID_DATA, *ONLY_WITH_WORKERS, *ONLY_FOR_REFUSED_DATA)
    assert [name for name in unwanted if _loaded(modules, name)] == []


def test_validating_identity_records_loads_no_model(tmp_path: Path) -> None:
    exit_code, modules = _loaded_after(tmp_path, "validate", "--jobs", "1", str(IDENTITY_RECORDS))
    assert exit_code == 0
    assert "crsvdata.validation.rule_walk" in modules
    unwanted = (*NEVER_FOR_VALID_DATA, *ONLY_WITH_WORKERS, *ONLY_FOR_REFUSED_DATA)
    assert [name for name in unwanted if _loaded(modules, name)] == []


def test_workers_and_the_schema_explanation_load_when_needed(tmp_path: Path) -> None:
    # The other side of the tests above: the probe does see these modules when they are used.
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"record_id": "SYNTH-1"}\n', encoding="utf-8")
    exit_code, modules = _loaded_after(tmp_path, "validate", str(broken))
    assert exit_code == 1
    # An invalid record is explained by the schema compiled with jsonschema-rs, never python-jsonschema,
    # and its model is imported for the fallback explanation.
    assert "crsvdata.validation.schema_issues" in modules
    assert "crsvdata.models.case" in modules
    assert "pydantic" in modules
    assert "jsonschema" not in modules
    cases = _a_few_case_records(tmp_path)
    exit_code, modules = _loaded_after(tmp_path, "validate", "--jobs", "2", str(cases))
    assert exit_code == 0
    assert {"concurrent.futures", "multiprocessing"} <= modules


def test_a_ukrainian_report_loads_the_ukrainian_table(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"record_id": "SYNTH-1"}\n', encoding="utf-8")
    exit_code, modules = _loaded_after(tmp_path, "validate", "--lang", "uk", str(broken))
    assert exit_code == 1
    assert "crsvdata.validation.catalogue_uk" in modules


def test_a_record_level_export_does_not_load_python_jsonschema(tmp_path: Path) -> None:
    # The export checks its output with jsonschema-rs; importing python-jsonschema (only to read the
    # schema) cost every export 1.1 s of start-up in its format checkers.
    out = tmp_path / "research.jsonl"
    key = EXAMPLES / "keys" / "demo.key"
    arguments = ["anonymise", "--profile", "research", "--demo", "--key-file", str(key)]
    arguments += ["--recipient", "synth_research_unit", str(CASE_RECORDS), str(out)]
    exit_code, modules = _loaded_after(tmp_path, *arguments)
    assert exit_code == 0
    assert out.stat().st_size > 0
    assert "crsvdata.anonymise.written" in modules  # the probe sees the export's own modules
    assert not _loaded(modules, "jsonschema")
    # Nothing in this manifest's counts needs an integer program: scipy (~50 MB) stays unloaded. The
    # research profile writes no narrative and makes no RNOKPP stand-in: no name or number library loads.
    assert not _loaded(modules, "scipy")
    assert [name for name in REDACTION_LIBRARIES if _loaded(modules, name)] == []


REDACTION_LIBRARIES: Final = (
    "pymorphy3",
    "phonenumbers",
    "stdnum",
    "shevchenko",
    "names_translator",
    "translitua",
)


def test_redacting_a_narrative_loads_the_name_and_number_libraries() -> None:
    # The other side: in a fresh interpreter, redacting a narrative loads the analyser and the phone parser.
    code = (
        "import sys; from crsvdata.anonymise import redact_text; "
        "redact_text('Synthetic Olena Testova called +380 44 000 0000 on 1 May.'); "
        f"print(' '.join(name for name in {REDACTION_LIBRARIES!r} if name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert {"pymorphy3", "phonenumbers"} <= set(done.stdout.split())


LAZY_PACKAGES: Final = (
    "crsvdata",
    "crsvdata.models",
    "crsvdata.io",
    "crsvdata.validation",
    "crsvdata.identifiers",
    "crsvdata.geography",
)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_public_name_resolves_from_a_fresh_interpreter(package: str) -> None:
    # Fresh, so each name is looked up through the package's own __getattr__, not a module already loaded.
    code = (
        f"import importlib; p = importlib.import_module({package!r}); "
        "missing = [n for n in p.__all__ if getattr(p, n, None) is None]; "
        "assert not missing, missing; assert set(p.__all__) <= set(dir(p)); "
        f"exec('from {package} import *')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_public_names_are_the_defining_modules_objects(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        value = getattr(module, name)
        defined_in = getattr(value, "__module__", None)
        if defined_in is not None and defined_in.startswith("crsvdata"):
            assert getattr(importlib.import_module(defined_in), name) is value, name


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = importlib.import_module(package).no_such_name
