"""The published schemas: in sync with the models, valid 2020-12, offline, frozen once released."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing.exceptions import Unresolvable

from crsvdata.schema.documents import DOCUMENT_TYPES, schema_id
from crsvdata.schema.registry import load_schema, registry, validator
from crsvdata.version import SCHEMA_BASE_URL, STANDARD_VERSION
from tools.schemas import (
    CHECKSUMS_FILE,
    META_SCHEMA_FILE,
    RELEASED_FILE,
    SCHEMAS_ROOT,
    folder_checksums,
    frozen_folder_problems,
    generated_files,
    meta_schema,
    vocabulary_uri,
)

PUBLISHED_SCHEMAS = sorted(row.schema_name for row in DOCUMENT_TYPES)
FOLDER = SCHEMAS_ROOT / STANDARD_VERSION


@pytest.mark.parametrize(("filename", "expected"), sorted(generated_files().items()))
def test_committed_schema_is_in_sync_with_the_models(filename: str, expected: str) -> None:
    path = FOLDER / filename
    assert path.exists(), f"{path} is missing: run `make schemas`"
    assert path.read_text("utf-8") == expected, f"{path} is stale: run `make schemas`"


@pytest.mark.parametrize("name", PUBLISHED_SCHEMAS)
def test_schema_passes_the_2020_12_meta_schema(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))


def test_the_meta_schema_declares_the_crsvdata_vocabulary_and_accepts_exactly_well_formed_keywords() -> None:
    meta = json.loads((FOLDER / META_SCHEMA_FILE).read_text("utf-8"))
    assert meta == meta_schema()
    Draft202012Validator.check_schema(meta)
    assert meta["$id"] == f"{SCHEMA_BASE_URL}{STANDARD_VERSION}/meta/vocabulary.schema.json"
    assert meta["$vocabulary"][vocabulary_uri()] is False  # optional: annotations only
    assert meta["$vocabulary"]["https://json-schema.org/draft/2020-12/vocab/core"] is True
    check = Draft202012Validator(meta)
    for name in PUBLISHED_SCHEMAS:
        schema = load_schema(name)
        assert list(check.iter_errors(schema)) == []
        broken = json.loads(json.dumps(schema))
        broken["properties"]["document_type"]["openCodelist"] = ["not", "a", "name"]
        errors = list(check.iter_errors(broken))
        assert [list(e.absolute_path) for e in errors] == [["properties", "document_type", "openCodelist"]]


@pytest.mark.parametrize("name", PUBLISHED_SCHEMAS)
def test_schema_header(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_id(name)
    assert f"/{STANDARD_VERSION}/{name}.schema.json" in schema["$id"]


def _subschemas(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_subschemas(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_subschemas(item))
    return found


@pytest.mark.parametrize("name", PUBLISHED_SCHEMAS)
def test_schema_never_allows_null_and_closes_every_object(name: str) -> None:
    for sub in _subschemas(load_schema(name)):
        assert sub.get("type") != "null"
        # pydantic writes constraints it cannot place as non-standard keys; a validator would ignore them.
        assert not {"ge", "le", "gt", "lt"} & set(sub)
        assert "default" not in sub or sub["default"] is not None
        if sub.get("type") == "object" and "properties" in sub:
            assert sub.get("additionalProperties") is False


@pytest.mark.parametrize("name", PUBLISHED_SCHEMAS)
def test_every_property_is_described(name: str) -> None:
    schema = load_schema(name)
    definitions = schema.get("$defs", {})
    missing = []
    for sub in _subschemas(schema):
        for prop, spec in (
            sub.get("properties", {}).items() if isinstance(sub.get("properties"), dict) else ()
        ):
            if "title" not in spec and "$ref" not in spec:
                missing.append(f"{prop}: no title")
            ref = spec.get("$ref", "")
            target = definitions.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
            items = spec.get("items", {})
            item_target = (
                definitions.get(items.get("$ref", "").rsplit("/", 1)[-1], {})
                if isinstance(items, dict)
                else {}
            )
            if not (spec.get("description") or target.get("description") or item_target.get("description")):
                missing.append(f"{prop}: no description")
    assert missing == []


def test_format_checks_are_really_on() -> None:
    checkers = set(FormatChecker().checkers)
    assert {"date", "date-time", "email", "uri"} <= checkers
    record = json.loads((Path(__file__).parents[1] / "examples/cases/child-survivor.json").read_text("utf-8"))
    assert not list(validator("case-record").iter_errors(record))
    record["consents"][0]["given_on"] = "2022-02-30"
    assert [e.validator for e in validator("case-record").iter_errors(record)] == ["format"]


def test_registry_refuses_remote_references() -> None:
    resolver = registry().resolver()
    with pytest.raises(Unresolvable):
        resolver.lookup("https://example.org/not-packaged.schema.json")
    assert resolver.lookup(schema_id("case-record")).contents["$id"] == schema_id("case-record")


def test_released_folders_are_frozen() -> None:
    assert frozen_folder_problems() == []


def test_a_changed_released_folder_is_detected(tmp_path: Path) -> None:
    folder = tmp_path / "9.9.9"
    folder.mkdir()
    (folder / "case-record.schema.json").write_text("{}\n", "utf-8")
    (folder / CHECKSUMS_FILE).write_text(folder_checksums(folder), "utf-8")
    (tmp_path / RELEASED_FILE).write_text("9.9.9\n", "utf-8")
    assert frozen_folder_problems(tmp_path) == []
    (folder / "case-record.schema.json").write_text('{"changed": true}\n', "utf-8")
    assert frozen_folder_problems(tmp_path) == [
        "9.9.9: released folder changed; a released schema version is frozen"
    ]


def test_every_document_type_is_found_by_its_kind_and_by_its_schema_name() -> None:
    from crsvdata.schema.documents import document_type

    for row in DOCUMENT_TYPES:
        assert document_type(row.kind) is row
        assert document_type(row.schema_name) is row
        assert row.schema_id() == schema_id(row.schema_name)
    with pytest.raises(KeyError):
        document_type("case_records")
