"""Lax in, strict out: JSON-form Python, JSON text and the published schema give one verdict.

``model_validate(dict)`` (what ``json.loads`` and FastAPI hand a model), ``model_validate_json(text)`` and
python-jsonschema on the committed schema are three routes into one standard; they must agree on every
conformance file and on generated and mutated documents. What the models write (every dump) must never
contain ``null`` and must validate again; assignment is validated.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.models.incident import IncidentDate
from crsvdata.schema.registry import validator
from crsvdata.testing import case_records

REPOSITORY: Final = Path(__file__).resolve().parent.parent
MODELS: Final[dict[str, type[BaseModel]]] = {
    "case-record": CaseRecord,
    "identity-record": IdentityRecord,
    "exchange-package": ExchangePackage,
}
SUITE_FILES: Final = sorted(
    path.relative_to(REPOSITORY).as_posix()
    for path in (REPOSITORY / "conformance" / "1.1.0").glob("*/*.json")
    if path.name.split(".")[0] in MODELS
)

# Values that differ between lax Python and JSON: strings for numbers and booleans, numbers for days,
# the JSON form of codes and days (which must be accepted), and plain junk.
TRICKY_VALUES: Final = st.sampled_from(
    [
        *("34", "true", 1, 0, 1.0, 34.5, True, 1647216000),
        *("2022-03-14", "2022-02-30", "20220314", "2022-03-14T00:00:00"),
        *("female", "FEMALE", "UA", "ua", "1.1", "1.1.0", "", [], {}, None),
    ]
)


def _verdict(run: Any) -> tuple[bool, list[tuple[str, tuple[Any, ...]]]]:
    """Whether ``run`` validated, and the error types and locations when it did not."""
    try:
        run()
    except ValidationError as exc:
        return False, sorted((e["type"], tuple(e["loc"])) for e in exc.errors())
    return True, []


def _three_verdicts(model: type[BaseModel], document: Any, context: Any = None) -> None:
    text = json.dumps(document, ensure_ascii=False)
    from_python = _verdict(lambda: model.model_validate(copy.deepcopy(document), context=context))
    from_json = _verdict(lambda: model.model_validate_json(text, context=context))
    assert from_python == from_json


@pytest.mark.parametrize("file", SUITE_FILES)
def test_conformance_files_get_one_verdict_from_python_json_and_schema(file: str) -> None:
    document = json.loads((REPOSITORY / file).read_text("utf-8"))
    name = Path(file).name.split(".")[0]
    model = MODELS[name]
    _three_verdicts(model, document)
    _three_verdicts(model, document, STRUCTURE_ONLY)
    structure_valid, _ = _verdict(lambda: model.model_validate(document, context=STRUCTURE_ONLY))
    assert structure_valid == validator(name).is_valid(document)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def mutated_case_documents(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(draw(case_records()).to_json_dict())
    path = draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = draw(TRICKY_VALUES)
    return document


@settings(max_examples=60, deadline=None)
@given(mutated_case_documents())
def test_mutated_documents_get_one_verdict_from_python_json_and_schema(document: dict[str, Any]) -> None:
    _three_verdicts(CaseRecord, document)
    structure_valid, _ = _verdict(lambda: CaseRecord.model_validate(document, context=STRUCTURE_ONLY))
    assert structure_valid == validator("case-record").is_valid(document)


@settings(max_examples=25, deadline=None)
@given(case_records())
def test_every_dump_leaves_absent_fields_out_and_validates_again(record: CaseRecord) -> None:
    for text in (record.model_dump_json(), json.dumps(record.model_dump(mode="json"))):
        assert "null" not in text.replace('"null', "")  # no JSON null (a string may spell the word)
        assert validator("case-record").is_valid(json.loads(text))
        assert CaseRecord.model_validate_json(text) == record
    assert None not in record.model_dump().values()
    assert CaseRecord.model_validate(record.model_dump()) == record  # Python objects in, same record
    assert CaseRecord.model_validate(json.loads(record.model_dump_json())) == record  # JSON form in


def test_an_integer_given_as_text_is_refused_as_the_schema_refuses_it() -> None:
    document = json.loads(
        (REPOSITORY / "conformance/1.1.0/valid/case-record.child-survivor.json").read_text()
    )
    document["survivor"]["age_at_first_incident"]["years"] = "15"
    assert not validator("case-record").is_valid(document)
    with pytest.raises(ValidationError) as raised:
        CaseRecord.model_validate(document)
    assert raised.value.errors()[0]["type"] == "int_type"
    with pytest.raises(TypeError, match="always strict"):
        CaseRecord.model_validate(document, strict=False)


@settings(max_examples=20, deadline=None)
@given(case_records(), st.text(max_size=12))
def test_assignment_is_validated(record: CaseRecord, code: str) -> None:
    assume(code not in {"female", "male", "other", "unknown", "intersex"})
    before = record.survivor.sex
    with pytest.raises(ValidationError):
        record.survivor.sex = code  # type: ignore[assignment]
    assert record.survivor.sex is before
    record.survivor.sex = before.value  # type: ignore[assignment]  # the JSON form is taken too
    assert validator("case-record").is_valid(json.loads(record.to_json()))


def test_a_day_is_taken_as_a_date_or_as_its_text_in_every_date_field() -> None:
    assert IncidentDate(start=date(2022, 3, 14)) == IncidentDate(start="2022-03-14")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        IncidentDate.model_validate_json('{"start": "2022-02-30"}')
