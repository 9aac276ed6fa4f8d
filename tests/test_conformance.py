"""The conformance suite (conformance/<version>/), judged by crsvdata, python-jsonschema and ajv.

Every valid file must be accepted by all three. Every invalid file must make ``crsvdata.validate`` report
exactly the (code, pointer) rows of ``expected_errors.csv``; a schema-layer file must also be rejected by
plain JSON Schema validators at the place and with the keyword ``tools.conformance`` maps the row to,
and a rule-layer file must be accepted by them (only crsvdata's rules catch it). The ajv run proves that
the published schema is portable beyond Python; it installs the pinned ajv from the npm registry into
``.cache/`` once, and is skipped (with the reason) when node, npm or the registry is not available.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

import crsvdata
from crsvdata.codes import load, names
from crsvdata.findings import Severity
from crsvdata.schema.documents import DOCUMENT_TYPES
from crsvdata.schema.registry import load_schema, validator
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.version import STANDARD_VERSION
from tools.conformance import (
    ERRORS_TABLE,
    REPOSITORY,
    WARNINGS_TABLE,
    TableRow,
    ajv_findings,
    jsonschema_findings,
    read_table,
    stale_suite_problems,
    suite_folder,
    validator_expectation,
)
from tools.schemas import SCHEMAS_ROOT

SUITE: Final = suite_folder()
ERRORS: Final = read_table(SUITE / ERRORS_TABLE)
WARNINGS: Final = read_table(SUITE / WARNINGS_TABLE)
VALID: Final = sorted(f"valid/{path.name}" for path in (SUITE / "valid").glob("*.json"))
INVALID: Final = sorted(f"invalid/{path.name}" for path in (SUITE / "invalid").glob("*.json"))
LAYER: Final = {row.file: row.layer for row in ERRORS}

NOT_RULE_FAMILIES: Final = frozenset({"input", "document", "schema", "codelist"})
"""Issue-code families that are not cross-field rules: reading, recognising, structure, code lists."""

PYTHON_API_DEVIATIONS: Final[dict[str, str]] = {}
"""Invalid files on which ``crsvdata.validate`` is known to deviate from the table (strict xfail)."""

JS_FOLDER: Final = REPOSITORY / "conformance" / "js"
NPM_PREFIX: Final = REPOSITORY / ".cache" / "conformance-js"
NPM_OFFLINE: Final = re.compile(
    r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN|"
    r"network request|request to \S+ failed|getaddrinfo|This is a problem related to network connectivity"
)
"""npm failures that mean the registry cannot be reached (skip), as opposed to a broken set-up (fail)."""


def schema_name(file: str) -> str:
    """The published schema a suite file is checked against: its name up to the first dot."""
    return Path(file).name.split(".", 1)[0]


def rows_of(table: list[TableRow], file: str) -> set[tuple[str, str]]:
    return {(row.code, row.pointer) for row in table if row.file == file}


def expected_schema_findings(file: str) -> set[tuple[str, str]]:
    """What a plain JSON Schema validator must report for an invalid file (empty for the rule layer)."""
    if LAYER[file] == "rule":
        return set()
    schema = load_schema(schema_name(file))
    return {validator_expectation(schema, code, pointer) for code, pointer in rows_of(ERRORS, file)}


def document(file: str) -> Any:
    return json.loads((SUITE / file).read_text("utf-8"))


# --- The folder and its tables -------------------------------------------------------------------------


def test_suite_is_generated_and_up_to_date() -> None:
    assert stale_suite_problems() == []


def test_the_tables_list_exactly_the_files_present() -> None:
    assert VALID
    assert INVALID
    assert {row.file for row in ERRORS} == set(INVALID)
    assert {row.file for row in WARNINGS} <= set(VALID)
    assert {row.layer for row in WARNINGS} <= {"rule"}
    for file in (*VALID, *INVALID):
        assert schema_name(file) in {row.schema_name for row in DOCUMENT_TYPES}, file


def test_each_invalid_file_has_one_defect_in_one_layer() -> None:
    counts = Counter(row.file for row in ERRORS)
    assert [file for file, count in counts.items() if count != 1] == []
    for row in ERRORS:
        assert row.code in ISSUE_CODES, row
        assert ISSUE_CODES[row.code].severity is Severity.ERROR, row
        assert (row.layer == "schema") == row.code.startswith("schema."), row
    for row in WARNINGS:
        assert ISSUE_CODES[row.code].severity is Severity.WARNING, row


def _resolves(value: Any, pointer: str, *, allow_missing_member: bool) -> bool:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]] if pointer else []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        if isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            return last and allow_missing_member and isinstance(value, dict)
    return True


@pytest.mark.parametrize("row", [*ERRORS, *WARNINGS], ids=lambda row: f"{row.file}:{row.pointer}")
def test_every_pointer_points_into_its_document(row: TableRow) -> None:
    # A pointer names an existing value, or a member absent from an existing object (a missing required
    # member, a rule asking for a member that is not there).
    assert _resolves(document(row.file), row.pointer, allow_missing_member=True)


def test_every_rule_code_is_covered() -> None:
    rule_codes = {
        entry.code
        for entry in ISSUE_CODES.values()
        if entry.family not in NOT_RULE_FAMILIES and not entry.raised_by_library
    }
    errors = {code for code in rule_codes if ISSUE_CODES[code].severity is Severity.ERROR}
    assert errors - {row.code for row in ERRORS} == set()
    assert (rule_codes - errors) - {row.code for row in WARNINGS} == set()


def test_codelist_deprecation_is_covered_once_a_code_is_deprecated() -> None:
    # No code of any 1.0 code list is deprecated, so no document can produce codelist.deprecated yet.
    deprecated = [(name, row.code) for name in names() for row in load(name).rows if row.deprecated]
    covered = any(row.code == "codelist.deprecated" for row in WARNINGS)
    assert covered or not deprecated, f"add a valid conformance case using a deprecated code: {deprecated}"


NOT_ASSERTIONS: Final = frozenset(
    {"$schema", "$id", "$defs", "$ref", "title", "description", "examples", "default", "properties", "items"}
    | {"patternProperties"}  # an applicator: the extension values under it are any JSON
    | {"codelist", "openCodelist", "discriminator"}
)
"""Keywords that never fail on their own: identifiers, annotations, and applicators whose subschemas do."""


def _assertion_keywords(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_ASSERTIONS:
                yield key
            if key in ("properties", "$defs", "patternProperties"):
                for child in value.values():
                    yield from _assertion_keywords(child)
            elif key != "discriminator":
                yield from _assertion_keywords(value)
    elif isinstance(node, list):
        for child in node:
            yield from _assertion_keywords(child)


def test_every_keyword_of_the_schemas_is_exercised() -> None:
    used = {
        keyword for row in DOCUMENT_TYPES for keyword in _assertion_keywords(load_schema(row.schema_name))
    }
    exercised: set[str] = set()
    failing_formats: set[str] = set()
    null_rejected = False
    for file in INVALID:
        if LAYER[file] == "schema":
            exercised |= {keyword for keyword, _ in expected_schema_findings(file)}
            for error in validator(schema_name(file)).iter_errors(document(file)):
                for sub in (error, *(error.context or ())):
                    if sub.validator == "format":
                        failing_formats.add(str(sub.validator_value))
                    null_rejected |= sub.validator == "type" and sub.instance is None
    assert "const" in used  # the document_type marker of every document (and the identity-document tags)
    assert used - exercised == set()
    assert failing_formats == {"date", "date-time"}
    assert null_rejected
    crsvdata_codes = {row.code for row in ERRORS if row.layer == "schema"}
    schema_codes = {code for code in ISSUE_CODES if code.startswith("schema.")}
    # crsvdata explains anyOf/oneOf failures through the failing branch (see SCHEMA_KEYWORDS).
    assert schema_codes - {"schema.any_of", "schema.one_of"} == crsvdata_codes


# --- crsvdata's Python API and python-jsonschema on the committed schema --------------------------------


@pytest.mark.parametrize("file", VALID)
def test_valid_file_is_accepted(file: str) -> None:
    report = crsvdata.validate(SUITE / file)
    assert report.errors == []
    assert {(issue.code, issue.pointer) for issue in report.warnings} == rows_of(WARNINGS, file)
    assert list(validator(schema_name(file)).iter_errors(document(file))) == []


def _python_api_params() -> list[Any]:
    return [
        pytest.param(file, marks=pytest.mark.xfail(strict=True, reason=PYTHON_API_DEVIATIONS[file]))
        if file in PYTHON_API_DEVIATIONS
        else file
        for file in INVALID
    ]


@pytest.mark.parametrize("file", _python_api_params())
def test_invalid_file_gives_exactly_the_expected_errors(file: str) -> None:
    report = crsvdata.validate(SUITE / file)
    assert {(issue.code, issue.pointer) for issue in report.errors} == rows_of(ERRORS, file)
    assert len(report.errors) == len(rows_of(ERRORS, file))
    assert report.warnings == []


@pytest.mark.parametrize("file", INVALID)
def test_invalid_file_is_judged_by_layer_by_python_jsonschema(file: str) -> None:
    errors = validator(schema_name(file)).iter_errors(document(file))
    assert jsonschema_findings(errors) == expected_schema_findings(file)


# --- ajv under Node -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    # pytest-xdist workers and other checkouts' test runs may install at the same time.
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no locking, installs are rare there
        yield
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install_ajv(npm: str) -> None:
    """Install the pinned ajv and ajv-formats into .cache/ with ``npm ci``, unless already there."""
    manifest = (JS_FOLDER / "package.json").read_bytes()
    lock = (JS_FOLDER / "package-lock.json").read_bytes()
    digest = hashlib.sha256(manifest + b"\0" + lock).hexdigest()
    stamp = NPM_PREFIX / ".installed.sha256"
    with _exclusive(NPM_PREFIX.parent / "conformance-js.lock"):
        installed = NPM_PREFIX / "node_modules" / "ajv" / "package.json"
        if stamp.exists() and stamp.read_text() == digest and installed.exists():
            return
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        (NPM_PREFIX / "package.json").write_bytes(manifest)
        (NPM_PREFIX / "package-lock.json").write_bytes(lock)
        command = [npm, "ci", "--prefix", str(NPM_PREFIX), "--ignore-scripts", "--no-audit", "--no-fund"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        except subprocess.TimeoutExpired:
            pytest.skip("npm ci timed out: the npm registry is not reachable")
        if done.returncode != 0:
            output = done.stdout + done.stderr
            offline = [line for line in output.splitlines() if NPM_OFFLINE.search(line)]
            if offline:
                pytest.skip(f"the npm registry is not reachable: {offline[0].strip()}")
            pytest.fail(f"npm ci failed (exit {done.returncode}):\n{output}")
        stamp.write_text(digest)


@pytest.fixture(scope="module")
def ajv_verdicts() -> dict[str, dict[str, Any]]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run the conformance suite with ajv")
    _install_ajv(npm)
    command = [
        node,
        str(JS_FOLDER / "run.mjs"),
        "--suite",
        str(SUITE),
        "--schemas",
        str(SCHEMAS_ROOT / STANDARD_VERSION),
        "--modules",
        str(NPM_PREFIX),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    return {verdict["file"]: verdict for verdict in verdicts}


def test_ajv_judges_the_suite_as_the_table_says(ajv_verdicts: dict[str, dict[str, Any]]) -> None:
    assert sorted(ajv_verdicts) == sorted([*VALID, *INVALID])
    wrong = []
    for file in VALID:
        if not ajv_verdicts[file]["valid"]:
            wrong.append(f"{file}: rejected, {ajv_verdicts[file]['errors']}")
    for file in INVALID:
        verdict = ajv_verdicts[file]
        expected = expected_schema_findings(file)
        found = ajv_findings(verdict["errors"])
        if verdict["valid"] != (not expected) or found != expected:
            wrong.append(f"{file}: expected {sorted(expected)}, ajv reported {sorted(found)}")
    assert wrong == []
