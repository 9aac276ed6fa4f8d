"""The one-check writer of anonymised records gives the bytes the exact pydantic path gives."""

from __future__ import annotations

import hashlib
import itertools
import re
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crsvdata.anonymise.records as records_module
from crsvdata.anonymise import KeyRing, Recipient, export
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.written import exact_record_bytes, record_bytes
from crsvdata.models import CaseRecord
from crsvdata.testing.synthetic import synthetic_dataset

KEYS = KeyRing.single("synth-test", b"synthetic-test-key-" + bytes(range(32)))


def _export(cases: list[CaseRecord], writer: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, str]:
    monkeypatch.setattr(records_module, "record_bytes", writer)
    counter = itertools.count()

    def fixed_random(n: int) -> bytes:
        return hashlib.sha256(str(next(counter)).encode()).digest()[:n]

    result = export(
        cases, "research", keys=KEYS, recipient=Recipient("synth_research_unit"), random_bytes=fixed_random
    )
    return result.data, re.sub(r'"created_at": "[^"]*"', "", result.manifest.to_json())


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_export_bytes_and_manifest_match_the_exact_path(seed: int) -> None:
    cases = [CaseRecord.model_validate(case) for case, _ in synthetic_dataset(300, seed)]
    with pytest.MonkeyPatch.context() as patch:
        try:
            exact = _export(cases, exact_record_bytes, patch)
        except AnonymisationError as exc:
            with pytest.raises(type(exc)):
                _export(cases, record_bytes, patch)
            return
        assert _export(cases, record_bytes, patch) == exact


def _a_written_body() -> dict[str, Any]:
    return {"standard_version": "1.1", "profile": "research", "profile_version": "2.0.0"}


def test_a_valid_body_gets_the_models_bytes_and_order() -> None:
    body = {**_a_written_body(), "survivor": {"role": "direct_victim", "sex": "female"}}
    assert record_bytes(body) == exact_record_bytes(body)
    assert orjson.loads(record_bytes(body)[0])["document_type"] == "anonymised-case-record"


@pytest.mark.parametrize(
    "extra",
    [{"survivor": None}, {"name_of_survivor": "SYNTHETIC"}, {"survivor": {"sex": "not-a-code"}}],
)
def test_a_body_the_model_refuses_is_refused_with_the_models_codes(extra: dict[str, Any]) -> None:
    body = {**_a_written_body(), **extra}
    with pytest.raises(AnonymisationError) as exact:
        exact_record_bytes(body)
    with pytest.raises(AnonymisationError) as fast:
        record_bytes(body)
    assert str(fast.value) == str(exact.value)
    assert "SYNTHETIC" not in str(fast.value)
