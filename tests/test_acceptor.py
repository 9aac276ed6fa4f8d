"""The fast acceptor is sound: whatever it parses, the strict reader parses to the very same value, and a
line validated through it gets exactly the report the strict path gives (same validity, issues, order).

Lines are generated records (``crsvdata.testing``) and the same lines broken in many ways: bytes dropped,
inserted or replaced, keys duplicated, numbers made huge, exponents, surrogate escapes, a byte-order mark,
control characters, deep nesting. The verdict of the acceptor must be a subset of the strict reader's.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crsvdata.io import InputError, Line, decode_utf8, parse_json
from crsvdata.testing import case_records
from crsvdata.validation.acceptor import parse_clean_line
from crsvdata.validation.engine import validate_line, validate_line_exactly

INSERTS = st.sampled_from(
    [
        b",",
        b'"',
        b"\\",
        b"{",
        b"]",
        b"\x00",
        b"\t",
        b"\n",
        b"\xff",
        b"\xc3",
        b"\xef\xbb\xbf",
        b"NaN",
        b"Infinity",
        b"-",
        b"1e400",
        b"12345678901234567890123",
        b"\\ud800",
        b"\\udc00\\ud800",
        b"\\u0000",
        b"1.0",
        b" ",
        "Ї".encode(),
        b'"record_id":"x",',
        b'"standard_version":"1.1",',
        b"[" * 250,
    ]
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    record = draw(case_records())
    data = record.to_json().encode()
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["insert", "drop", "replace", "duplicate_key"]))
        if how == "insert":
            data = data[:position] + draw(INSERTS) + data[position:]
        elif how == "drop":
            data = data[:position] + data[position + draw(st.integers(1, 8)) :]
        elif how == "replace":
            data = data[:position] + draw(INSERTS) + data[position + 1 :]
        else:
            # Repeat the first member after the opening brace: a duplicate key at the top level.
            end = data.find(b",")
            if data.startswith(b"{") and end > 0:
                data = data[: end + 1] + data[1:end] + b"," + data[end + 1 :]
    return data


def _typed(value: Any) -> str:
    # Equal as JSON *and* as Python types (1 vs 1.0 vs True).
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=True, default=repr) + repr(
        _types(value)
    )


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


@given(lines() | st.binary(max_size=40))
def test_what_the_acceptor_parses_the_strict_reader_parses_to_the_same_value(data: bytes) -> None:
    fast = parse_clean_line(data)
    if fast is None:
        return
    try:
        strict = parse_json(decode_utf8(data, line=1), line=1)
    except InputError as exc:  # pragma: no cover - this is the failure the test exists to catch
        raise AssertionError(f"the acceptor parsed a line the strict reader refuses ({exc.code})") from None
    assert _typed(fast) == _typed(strict)


@given(lines())
def test_a_line_gets_the_same_report_through_the_acceptor(data: bytes) -> None:
    line = Line(7, data)
    assert validate_line(line) == validate_line_exactly(line)


def test_the_acceptor_takes_clean_records_and_leaves_refused_lines_to_the_strict_reader() -> None:
    # Guards the differential tests above against an acceptor that never accepts anything.
    assert parse_clean_line('{"a": [1, 2.5, "é", true, null]}'.encode()) == {"a": [1, 2.5, "é", True, None]}
    for refused in (b'{"a":1,"a":2}', b'{"a":1e400}', b'{"a":NaN}', b"\xef\xbb\xbf{}", b'{"a":"\\ud800"}'):
        assert parse_clean_line(refused) is None
