"""The example FastAPI app (examples/fastapi_app), driven through FastAPI's real TestClient.

A real request goes through the real framework: a valid case record is accepted as JSON and read back as
a document that validates; an invalid one gets a 422 of crsvdata codes and JSON pointers; and no value a
client submits (distinctive synthetic markers) appears in any response body, header or log line.
"""

from __future__ import annotations

import copy
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from crsvdata.models import CaseRecord
from crsvdata.schema.registry import validator
from crsvdata.validation import validate

REPOSITORY: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
from examples.fastapi_app.app import create_app  # noqa: E402

VALID: Final = json.loads(
    (REPOSITORY / "conformance" / "1.1.0" / "valid" / "case-record.child-survivor.json").read_text("utf-8")
)
MARKER: Final = "SYNTHMARKERZQX"
"""A string no message of crsvdata, pydantic or FastAPI contains: any occurrence in output is a leak."""


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def _set(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    parent: Any = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return changed


# Each mutation puts the marker where a case worker's data would be, and makes the record invalid.
MUTATIONS: Final[dict[str, Callable[[str], dict[str, Any]]]] = {
    "unknown code": lambda m: _set(VALID, ("survivor", "sex"), m),
    "bad record id": lambda m: _set(VALID, ("record_id",), f"-{m}"),
    "bad reference": lambda m: _set(VALID, ("survivor", "survivor_ref"), f"1{m}"),
    "unknown member named by data": lambda m: _set(VALID, ("survivor", f"{m} Тестенко"), "x"),
    "unknown member holding data": lambda m: _set(VALID, ("survivor", "nickname"), m),
    "wrong type": lambda m: _set(VALID, ("incidents", 0, "narrative"), [m]),
    "number as text": lambda m: _set(VALID, ("survivor", "age_at_first_incident", "years"), m),
    "bad date": lambda m: _set(VALID, ("incidents", 0, "reported_on"), m),
    "rule broken": lambda m: _set(
        _set(VALID, ("updated_at",), "2001-01-01T00:00:00Z"), ("incidents", 0, "narrative"), m
    ),
}


def _assert_no_marker(response: Any, caplog: pytest.LogCaptureFixture, marker: str) -> None:
    assert marker not in response.text
    assert all(marker not in f"{name}: {value}" for name, value in response.headers.items())
    for record in caplog.records:
        assert marker not in record.getMessage()
        assert marker not in str(record.args)


def test_a_valid_case_record_is_stored_and_read_back_as_a_valid_document(client: TestClient) -> None:
    posted = client.post("/cases", json=VALID)
    assert posted.status_code == 201
    read = client.get(f"/cases/{VALID['record_id']}")
    assert read.status_code == 200
    assert "null" not in read.text
    assert validator("case-record").is_valid(read.json())
    assert validate(read.json()).valid
    assert CaseRecord.model_validate(read.json()) == CaseRecord.model_validate(VALID)


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_an_invalid_record_gets_codes_and_pointers_and_no_value(
    client: TestClient, caplog: pytest.LogCaptureFixture, mutation: str
) -> None:
    caplog.set_level(logging.DEBUG)
    document = MUTATIONS[mutation](MARKER)
    response = client.post("/cases", json=document)
    assert response.status_code == 422
    body = response.json()
    expected = [(i.code, i.pointer or "/") for i in validate(document).issues if i.severity.value == "error"]
    assert [(i["code"], i["pointer"]) for i in body["issues"]] == expected
    assert all(issue["pointer"].startswith("/") for issue in body["issues"])
    assert "input" not in json.dumps(body["issues"]).replace("input.", "")
    _assert_no_marker(response, caplog, MARKER)
    assert any("rejected a request" in r.getMessage() for r in caplog.records)  # the log line exists


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mutation=st.sampled_from(sorted(MUTATIONS)),
    marker=st.from_regex(r"SYNTH[A-Z]{6}Q[0-9]{4}", fullmatch=True),
)
def test_no_submitted_value_ever_appears_in_a_response_or_a_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture, mutation: str, marker: str
) -> None:
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    response = client.post("/cases", json=MUTATIONS[mutation](marker))
    assert response.status_code == 422
    _assert_no_marker(response, caplog, marker)


def test_a_body_that_is_not_json_gets_an_input_code(client: TestClient) -> None:
    response = client.post(
        "/cases", content=b'{"record_id": "' + MARKER.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert [issue["code"] for issue in response.json()["issues"]] == ["input.json_syntax"]
    assert MARKER not in response.text


def test_missing_records_are_not_named_in_the_answer(client: TestClient) -> None:
    response = client.get(f"/cases/SYNTH-{MARKER}")
    assert response.status_code == 404
    assert MARKER not in response.text


def test_importing_the_integration_without_fastapi_names_the_extra() -> None:
    code = "import sys; sys.modules['fastapi'] = None; import crsvdata.integrations.fastapi"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "pip install 'crsvdata[fastapi]'" in done.stderr
