"""Every ``pattern`` in the published schemas means the same under Python and under ECMA-262.

Integrators read the schemas with ECMA-262 regular expressions (ajv, jsonschema-rs); the models check some
of the same patterns with Python's ``re``. The two differ in one place that matters here: Python's ``$``
also matches before a final newline. So the models must match with ``fullmatch`` semantics, and this file
checks, for every published pattern and for the model types that check a pattern in Python, that the
verdicts agree with jsonschema-rs (an independent, ECMA-262 implementation).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from crsvdata.models._types import PartialDate, Timestamp

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def _patterns(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found.update(value)
                found |= _patterns(value)
            else:
                found |= _patterns(value)
    elif isinstance(node, list):
        for item in node:
            found |= _patterns(item)
    return found


PUBLISHED_PATTERNS = sorted(
    set().union(*(_patterns(json.loads(path.read_text("utf-8"))) for path in SCHEMAS.rglob("*.schema.json")))
)


@cache
def _ecma(pattern: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for({"type": "string", "pattern": pattern})


def _near_misses(pattern: str) -> st.SearchStrategy[str]:
    """Strings that match ``pattern`` and the same strings broken at an edge: a newline or a space before or
    after, a character dropped or added, a Cyrillic look-alike."""
    matching = st.from_regex(pattern, fullmatch=True)
    edits = st.sampled_from(["\n", "\r\n", " ", "\t", "0", "a", "А", "-", "\u2028"])

    def broken(draw: st.DrawFn) -> str:
        text = draw(matching)
        how = draw(st.sampled_from(["keep", "append", "prepend", "drop", "insert"]))
        if how == "keep":
            return text
        edit = draw(edits)
        if how == "append":
            return text + edit
        if how == "prepend":
            return edit + text
        position = draw(st.integers(0, len(text)))
        if how == "drop":
            return text[:position] + text[position + 1 :]
        return text[:position] + edit + text[position:]

    return st.composite(broken)()


def test_the_published_schemas_have_patterns() -> None:
    # Guards the parametrisation below against silently testing nothing.
    assert len(PUBLISHED_PATTERNS) >= 15


def test_python_search_differs_from_ecma_on_a_final_newline() -> None:
    # The quirk this file guards against, shown on a published pattern: re.search (what "$" means in
    # Python, and how python-jsonschema applies patterns) accepts "2024\n", ECMA-262 does not.
    year = r"^(19|20)[0-9]{2}$"
    assert year in PUBLISHED_PATTERNS
    assert re.search(year, "2024\n") is not None
    assert not _ecma(year).is_valid("2024\n")
    assert re.fullmatch(year, "2024\n") is None


@pytest.mark.parametrize("pattern", PUBLISHED_PATTERNS)
@given(data=st.data())
def test_python_fullmatch_agrees_with_ecma(pattern: str, data: st.DataObject) -> None:
    text = data.draw(_near_misses(pattern) | st.text(max_size=20))
    assert (re.fullmatch(pattern, text) is not None) == _ecma(pattern).is_valid(text)


def _model_accepts(adapter: TypeAdapter[Any], text: str) -> bool:
    try:
        adapter.validate_json(json.dumps(text))
    except ValidationError:
        return False
    return True


PARTIAL_DATES = st.from_regex(r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-[0-3][0-9])?)?", fullmatch=True)
TIMESTAMPS = st.from_regex(
    r"20[0-9]{2}-(0[1-9]|1[0-2])-[0-2][0-9][Tt][0-2][0-9]:[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"([Zz]|[+-](0[0-9]|1[0-4]):[0-5][0-9])",
    fullmatch=True,
)
EDGES = st.sampled_from(["", "\n", "\r\n", " ", "\t", "\x00"])


@pytest.mark.parametrize(("field_type", "values"), [(PartialDate, PARTIAL_DATES), (Timestamp, TIMESTAMPS)])
@given(data=st.data())
def test_model_types_checked_in_python_agree_with_their_schema(
    field_type: Any, values: st.SearchStrategy[str], data: st.DataObject
) -> None:
    # PartialDate and Timestamp check their text in Python (AfterValidator / BeforeValidator), not through
    # pydantic's Rust pattern: the place where "$" before a newline can slip in.
    adapter: TypeAdapter[Any] = TypeAdapter(field_type)
    schema = adapter.json_schema(mode="validation")
    ecma = jsonschema_rs.validator_for(schema, validate_formats=True)
    text = data.draw(values) + data.draw(EDGES)
    assert _model_accepts(adapter, text) == ecma.is_valid(text)


@pytest.mark.parametrize("text", ["2024\n", "2024-04\n", "2024-04-01\n", "2024-04-01T10:00:00Z\n"])
def test_a_final_newline_is_rejected_by_model_and_schema(text: str) -> None:
    field_type = Timestamp if "T" in text else PartialDate
    adapter: TypeAdapter[Any] = TypeAdapter(field_type)
    ecma = jsonschema_rs.validator_for(adapter.json_schema(mode="validation"), validate_formats=True)
    assert not _model_accepts(adapter, text)
    assert not ecma.is_valid(text)
