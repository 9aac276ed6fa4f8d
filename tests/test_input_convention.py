"""One input convention: every entry point takes the same kinds of source with the same meaning.

A ``pathlib.Path`` is a file; a ``str`` is JSON text (never a file name); bytes, a binary stream, a
mapping and a model are the document itself. A reader's result is one pass: reusing it raises.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, settings

from crsvdata.anonymise.inputs import read_case_records
from crsvdata.disclosure.risk import measure_risk
from crsvdata.models import CaseRecord
from crsvdata.parse import CrsvValidationError, iter_case_records, parse_case_record
from crsvdata.testing import case_records
from crsvdata.validation import validate

REPOSITORY: Final = Path(__file__).resolve().parent.parent
VALID_FILE: Final = REPOSITORY / "conformance" / "1.1.0" / "valid" / "case-record.child-survivor.json"
INVALID_FILE: Final = (
    REPOSITORY / "conformance" / "1.1.0" / "invalid" / "case-record.broken-age-outside-band.json"
)


def _sources(path: Path) -> dict[str, Callable[[], Any]]:
    text = path.read_text("utf-8")
    return {
        "path": lambda: path,
        "str": lambda: text,
        "bytes": lambda: text.encode(),
        "stream": lambda: io.BytesIO(text.encode()),
        "mapping": lambda: json.loads(text),
    }


@pytest.mark.parametrize("kind", sorted(_sources(VALID_FILE)))
def test_validate_and_parse_take_every_kind_of_source_alike(kind: str) -> None:
    for path, valid in ((VALID_FILE, True), (INVALID_FILE, False)):
        source = _sources(path)[kind]
        report = validate(source())
        assert report.valid is valid
        if valid:
            assert parse_case_record(source()) == CaseRecord.model_validate_json(path.read_text("utf-8"))
        else:
            with pytest.raises(CrsvValidationError) as raised:
                parse_case_record(source())
            assert [(i.code, i.pointer) for i in raised.value.issues] == [
                (i.code, i.pointer) for i in report.issues if i.severity.value == "error"
            ]


@settings(max_examples=15, deadline=None)
@given(case_records())
def test_a_model_is_a_source_too(record: CaseRecord) -> None:
    assert validate(record).valid
    assert parse_case_record(record) == record


def test_a_str_is_json_text_never_a_file_name() -> None:
    report = validate(str(VALID_FILE))
    assert not report.valid
    assert report.issues[0].code == "input.json_syntax"
    with pytest.raises(CrsvValidationError):
        parse_case_record(str(VALID_FILE))


def test_an_unsupported_source_is_refused_by_type_without_its_content() -> None:
    with pytest.raises(TypeError, match="unsupported source of type int"):
        validate(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("reader", [iter_case_records, read_case_records])
def test_a_reused_reader_raises_instead_of_yielding_nothing(
    reader: Callable[[Path], Any], tmp_path: Path
) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(json.loads(VALID_FILE.read_text("utf-8"))) + "\n", "utf-8")
    records = reader(path)
    assert len(list(records)) == 1
    with pytest.raises(RuntimeError, match="already read"):
        list(records)


def test_measure_risk_reads_a_str_as_json_text_like_the_rest() -> None:
    rows = [{"q": "a"}, {"q": "a"}, {"q": "b"}]
    expected = measure_risk(rows, ["q"])
    assert measure_risk(json.dumps(rows), ["q"]) == expected
    assert measure_risk("\n".join(json.dumps(r) for r in rows), ["q"]) == expected
    assert measure_risk(json.dumps(rows).encode(), ["q"]) == expected
