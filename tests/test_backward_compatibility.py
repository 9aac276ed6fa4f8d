"""Standard 1.1 is a backward-compatible extension of 1.0: every released 1.0 document stays valid.

The released 1.0.0 schemas and conformance suite are frozen (their SHA256SUMS are committed); a valid 1.0
document must still be accepted by today's models and by the current published schema, and an invalid
one must still be refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import pytest

import crsvdata
from crsvdata.schema.documents import document_type
from crsvdata.schema.registry import validator
from tools.schemas import folder_checksums, frozen_folder_problems, released_versions

REPOSITORY: Final = Path(__file__).resolve().parents[1]
RELEASED_SUITE: Final = REPOSITORY / "conformance" / "1.0.0"
VALID_1_0: Final = sorted((RELEASED_SUITE / "valid").glob("*.json"))
NOW_VALID: Final = {
    "case-record.wrong-standard-version.json": 'declares "1.1": unknown to 1.0, the current version now',
}
"""Released invalid files that 1.1 accepts on purpose, and why."""
INVALID_1_0: Final = sorted(
    path for path in (RELEASED_SUITE / "invalid").glob("*.json") if path.name not in NOW_VALID
)


def test_standard_1_0_0_is_released_and_frozen() -> None:
    assert "1.0.0" in released_versions()
    assert frozen_folder_problems() == []


def test_the_released_conformance_suite_is_unchanged() -> None:
    committed = (RELEASED_SUITE / "SHA256SUMS").read_text("utf-8")
    assert committed == folder_checksums(RELEASED_SUITE)


@pytest.mark.parametrize("path", VALID_1_0, ids=lambda path: path.name)
def test_a_valid_1_0_document_is_valid_today(path: Path) -> None:
    report = crsvdata.validate(path.read_bytes())
    assert report.valid, [issue.code for issue in report.errors]


@pytest.mark.parametrize("path", VALID_1_0, ids=lambda path: path.name)
def test_a_valid_1_0_document_is_valid_under_the_current_schema(path: Path) -> None:
    document = json.loads(path.read_bytes())
    schema_name = document_type(path.name.split(".", 1)[0]).schema_name
    assert [error.message for error in validator(schema_name).iter_errors(document)] == []


@pytest.mark.parametrize("path", INVALID_1_0, ids=lambda path: path.name)
def test_an_invalid_1_0_document_is_still_refused(path: Path) -> None:
    assert not crsvdata.validate(path.read_bytes()).valid
