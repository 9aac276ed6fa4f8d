"""The ``document_type`` marker (standard 1.1): written on every document, checked, and dispatched on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest

import crsvdata
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.models.anonymised import AnonymisedCaseRecord
from crsvdata.schema.documents import DOCUMENT_TYPES, kind_of_marker
from crsvdata.schema.registry import validator
from crsvdata.upgrade import upgrade_document
from crsvdata.validation.engine import sniff_kind, validate_document

ROOT: Final = Path(__file__).resolve().parents[1]
SUITE_1_0: Final = ROOT / "conformance" / "1.0.0" / "valid"
SUITE_1_1: Final = ROOT / "conformance" / "1.1.0" / "valid"


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


def _judge(document: dict[str, Any]) -> tuple[bool, set[tuple[str, str]]]:
    valid, issues = validate_document(json.dumps(document), document)
    return valid, {(issue.code, issue.pointer) for issue in issues if issue.severity.value == "error"}


def test_every_document_type_has_its_schema_name_as_a_constant_marker() -> None:
    for row in DOCUMENT_TYPES:
        schema = json.loads((ROOT / "schemas" / "1.1.0" / row.schema_file).read_text("utf-8"))
        member = schema["properties"]["document_type"]
        assert member["const"] == row.marker == row.schema_name
        assert "document_type" not in schema.get("required", [])  # 1.0 documents lack it
        assert kind_of_marker({"document_type": row.marker}) == row.kind
        assert next(iter(row.model.model_fields)) == "document_type"  # written first


@pytest.mark.parametrize(
    ("model", "file"),
    [
        (CaseRecord, SUITE_1_1 / "case-record.standard-1-1-fields.json"),
        (IdentityRecord, SUITE_1_0 / "identity-record.minimal.json"),
        (ExchangePackage, SUITE_1_1 / "exchange-package.document-type.json"),
    ],
)
def test_every_writer_writes_the_marker(model: Any, file: Path) -> None:
    document = _load(file)
    document.pop("document_type", None)
    parsed = model.model_validate(document)
    marker = next(row.marker for row in DOCUMENT_TYPES if row.model is model)
    assert parsed.model_dump()["document_type"] == marker
    assert parsed.to_json_dict()["document_type"] == marker
    assert next(iter(json.loads(parsed.to_json()))) == "document_type"


def test_a_record_declaring_1_0_is_written_without_the_marker_the_1_0_schema_lacks() -> None:
    document = _load(SUITE_1_0 / "case-record.full.json")
    written = CaseRecord.model_validate(document).to_json_dict()
    assert "document_type" not in written
    assert list(validator("case-record", "1.0.0").iter_errors(written)) == []
    # A 1.1 reader accepts the marker on a 1.0 record too (a 1.1 writer may have put it there).
    marked = {"document_type": "case-record", **document}
    assert _judge(marked) == (True, set())


def test_a_package_declaring_1_0_is_written_as_1_0_identity_records_included() -> None:
    document = _load(SUITE_1_0 / "exchange-package.referral-package.json")
    assert document["standard_version"] == "1.0"
    written = ExchangePackage.model_validate(document).to_json_dict()
    assert list(validator("exchange-package", "1.0.0").iter_errors(written)) == []
    assert "document_type" not in written
    assert all("document_type" not in identity for identity in written["identity_records"])
    upgraded, _ = upgrade_document(document)
    rewritten = ExchangePackage.model_validate(upgraded).to_json_dict()
    assert rewritten == upgraded
    assert [i["document_type"] for i in rewritten["identity_records"]] == ["identity-record"] * len(
        document["identity_records"]
    )


def test_the_anonymised_record_marker_is_checked_like_the_others() -> None:
    record = AnonymisedCaseRecord.model_validate(
        {"standard_version": "1.1", "profile": "research", "profile_version": "1.0.0"}
    )
    written = record.to_json_dict()
    assert written["document_type"] == "anonymised-case-record"
    check = validator("anonymised-case-record")
    assert list(check.iter_errors(written)) == []
    errors = list(check.iter_errors({**written, "document_type": "case-record"}))
    assert [(e.validator, list(e.absolute_path)) for e in errors] == [("const", ["document_type"])]


def test_a_wrong_marker_is_a_const_error_at_the_marker() -> None:
    document = {"document_type": "case_record", **_load(SUITE_1_0 / "case-record.minimal.json")}
    assert _judge(document) == (False, {("schema.const", "/document_type")})


@pytest.mark.parametrize(
    ("file", "marker", "kind"),
    [
        ("case-record.minimal.json", "identity-record", "identity_record"),
        ("identity-record.minimal.json", "exchange-package", "exchange_package"),
        ("exchange-package.referral-package.json", "case-record", "case_record"),
        ("case-record.minimal.json", "anonymised-case-record", None),
    ],
)
def test_a_marker_that_contradicts_the_members_is_reported(file: str, marker: str, kind: str | None) -> None:
    document = {"document_type": marker, **_load(SUITE_1_0 / file)}
    assert sniff_kind(document) == kind  # the marker decides the kind when it is a known one ...
    assert _judge(document) == (False, {("document.type_mismatch", "/document_type")})  # ... not silently
    report = crsvdata.validate(json.dumps(document).encode())
    assert [(i.code, i.pointer) for i in report.errors] == [("document.type_mismatch", "/document_type")]


def test_the_marker_decides_the_kind_before_the_members() -> None:
    # An identity record marked as such is judged as one even with no holder_organisation: the report
    # then names the missing member instead of "not a crsvdata document".
    document = _load(SUITE_1_0 / "identity-record.minimal.json")
    del document["holder_organisation"]
    assert sniff_kind(document) is None
    assert sniff_kind({"document_type": "identity-record", **document}) == "identity_record"
    assert _judge({"document_type": "identity-record", **document}) == (
        False,
        {("schema.required", "/holder_organisation")},
    )


def test_upgrade_adds_the_marker_as_a_reported_step_and_accepts_a_1_0_record_that_has_it() -> None:
    identity = _load(SUITE_1_0 / "identity-record.minimal.json")
    upgraded, changes = upgrade_document(identity)
    assert upgraded == {"document_type": "identity-record", **identity}
    assert [(c.pointer, c.step) for c in changes] == [("/document_type", "marker")]
    assert upgrade_document(upgraded) == (upgraded, [])
    record = {"document_type": "case-record", **_load(SUITE_1_0 / "case-record.minimal.json")}
    upgraded, changes = upgrade_document(record)
    assert [(c.pointer, c.step) for c in changes] == [("/standard_version", "version")]
    assert upgraded["document_type"] == "case-record"
