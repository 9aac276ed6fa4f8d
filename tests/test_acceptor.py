"""The fast acceptor is sound: whatever it parses, the strict reader parses to the very same value, and a
line validated through it gets exactly the report the strict path gives (same validity, issues, order).

Lines are generated records (``crsvdata.testing``) and the same lines broken in many ways: bytes dropped,
inserted or replaced, keys duplicated, numbers made huge, exponents, surrogate escapes, a byte-order mark,
control characters, deep nesting. The verdict of the acceptor must be a subset of the strict reader's.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import jiter
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.io import InputError, Line, clean, decode_utf8, iter_lines, load_line, parse_json
from crsvdata.io.clean import parse_compact_line
from crsvdata.models import CaseRecord
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
    # Compact (as crsvdata and most writers emit it, read by the round trip) or spaced and escaped (as
    # Python's json.dumps writes by default, read by jiter): both fast readers are exercised.
    form = draw(st.sampled_from(["compact", "spaced", "ascii"]))
    if form == "compact":
        data = record.to_json().encode()
    else:
        data = json.dumps(json.loads(record.to_json()), ensure_ascii=form == "ascii").encode()
    # As iter_lines yields it: with its line ending, if any.
    data += draw(st.sampled_from([b"", b"\n", b"\r\n"]))
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


# Each fast reader alone (the clean-line reader tries the compact one first, then jiter): a slip in
# the compact reader must not hide behind a jiter that happens to agree.
@pytest.mark.parametrize("reader", [parse_clean_line, parse_compact_line], ids=["clean", "compact"])
@given(data=lines() | st.binary(max_size=40))
def test_what_a_fast_reader_parses_the_strict_reader_parses_to_the_same_value(
    reader: Callable[[bytes], Any], data: bytes
) -> None:
    fast = reader(data)
    if fast is None:
        return
    try:
        strict = parse_json(decode_utf8(data, line=1), line=1)
    except InputError as exc:  # pragma: no cover - this is the failure the test exists to catch
        message = f"{reader.__name__} parsed a line the strict reader refuses ({exc.code})"
        raise AssertionError(message) from None
    assert _typed(fast) == _typed(strict)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES, st.data())
def test_the_compact_reader_refuses_every_duplicate_key_and_reads_every_compact_value(
    value: Any, data: st.DataObject
) -> None:
    # Any value orjson can write (integers past 64 bits cannot be) is read back by the compact reader;
    # repeating any member of any object in that text makes it step aside.
    try:
        text = orjson.dumps(value)
    except orjson.JSONEncodeError:
        return
    assert _typed(parse_compact_line(text)) == _typed(value)
    members = _first_members(text)
    if members:
        start, end = data.draw(st.sampled_from(members))
        doubled = text[:start] + text[start:end] + b"," + text[start:]
        assert parse_compact_line(doubled) is None
        assert parse_clean_line(doubled) is None


def _first_members(text: bytes) -> list[tuple[int, int]]:
    # The byte range of the first member of each object that orjson wrote, found by re-serialising it.
    value = orjson.loads(text)
    found: list[tuple[int, int]] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict) and item:
            key, member = next(iter(item.items()))
            piece = orjson.dumps({key: member})[1:-1]
            start = text.find(b"{" + piece)
            if start >= 0:
                found.append((start + 1, start + 1 + len(piece)))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@given(lines())
def test_a_line_gets_the_same_report_through_the_acceptor(data: bytes) -> None:
    line = Line(7, data)
    assert validate_line(line) == validate_line_exactly(line)


def test_the_acceptor_takes_clean_records_and_leaves_refused_lines_to_the_strict_reader() -> None:
    # Guards the differential tests above against an acceptor that never accepts anything.
    assert parse_clean_line('{"a": [1, 2.5, "é", true, null]}'.encode()) == {"a": [1, 2.5, "é", True, None]}
    for refused in (b'{"a":1,"a":2}', b'{"a":1e400}', b'{"a":NaN}', b"\xef\xbb\xbf{}", b'{"a":"\\ud800"}'):
        assert parse_clean_line(refused) is None
        assert parse_compact_line(refused) is None
    # A compact line is read by the round trip; spaced or escaped ones are left to jiter.
    compact = orjson.dumps({"a": [1, 2.5, "é", True, None], "b": {"c": -0.0}})
    assert parse_compact_line(compact) == {"a": [1, 2.5, "é", True, None], "b": {"c": -0.0}}
    for other in (b'{"a": 1}', b'{"a":"\\u0416"}', b'{"a":2.50}', b'{"a":-0}', b'{"a":1} '):
        assert parse_compact_line(other) is None
        assert parse_clean_line(other) == json.loads(other)
    assert parse_compact_line(b'{"a":1E5}') is None
    # As long as its re-serialisation (the lost member is made up by 1E6 -> 1000000.0): only equal bytes
    # prove there was no duplicate, not an equal length.
    assert len(orjson.dumps(orjson.loads(b'{"x":0,"x":1E6}'))) == len(b'{"x":0,"x":1E6}')
    assert parse_compact_line(b'{"x":0,"x":1E6}') is None


@given(case_records())
def test_lines_as_the_reader_yields_them_take_the_compact_reader(case: CaseRecord) -> None:
    # iter_lines keeps each line's ending: the compact reader must take such lines without jiter. A slip
    # here changes no value, only halves the parse speed, so no differential test would see it.
    record = orjson.dumps(json.loads(case.to_json()))
    stream = io.BytesIO(record + b"\n" + record + b"\r\n" + record)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clean, "jiter", None)  # any use of jiter now fails
        documents = [load_line(line) for line in iter_lines(stream)]
    assert [document.value for document in documents] == [json.loads(record)] * 3


@st.composite
def strings_with_surrogate_escapes(draw: st.DrawFn) -> str:
    """The inside of a JSON string: plain characters and \\u escapes, many of them surrogates, some in
    pairs (high then low), some lone, in either case of hex digit."""
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["plain", "pair", "high", "low", "escape"]))
        if kind == "plain":
            pieces.append(json.dumps(draw(st.text(max_size=3)), ensure_ascii=False)[1:-1])
            continue
        high, low = draw(st.integers(0xD800, 0xDBFF)), draw(st.integers(0xDC00, 0xDFFF))
        units = {
            "pair": [high, low],
            "high": [high],
            "low": [low],
            "escape": [draw(st.integers(0, 0xFFFF))],
        }[kind]
        for unit in units:
            pieces.append(f"\\u{unit:04X}" if draw(st.booleans()) else f"\\u{unit:04x}")
    return "".join(pieces)


@given(strings_with_surrogate_escapes())
def test_surrogate_pairs_are_read_alike_and_lone_surrogates_refused_by_both_readers(inside: str) -> None:
    # Why the acceptor needs no search for surrogate escapes: jiter refuses exactly the strings in which
    # the standard library keeps a lone surrogate (as the strict reader does, input.lone_surrogate), and
    # reads every other one to the same value, as a value or as a key.
    as_value, as_key, in_list = f'{{"value": "{inside}"}}', f'{{"{inside}": 1}}', f'["{inside}", "{inside}"]'
    for text, string_in in (
        (as_value, lambda parsed: parsed["value"]),
        (as_key, lambda parsed: next(iter(parsed))),
        (in_list, lambda parsed: parsed[1]),
    ):
        lone = any(0xD800 <= ord(character) <= 0xDFFF for character in string_in(json.loads(text)))
        if lone:
            with pytest.raises(InputError, match="without its other half") as refused:
                parse_json(text)
            assert refused.value.code == "input.lone_surrogate"
        strict = None if lone else parse_json(text)
        try:
            fast = jiter.from_json(text.encode(), catch_duplicate_keys=True, allow_inf_nan=False)
        except ValueError:
            assert lone, "jiter refused a string without a lone surrogate"
        else:
            assert not lone, "jiter read a lone surrogate"
            assert _typed(fast) == _typed(strict)
        accepted = parse_clean_line(text.encode())
        assert accepted is None if lone else accepted in (None, strict)  # None: it stepped aside
