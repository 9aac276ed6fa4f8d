"""Differential: validating JSON Lines on workers gives, line for line, what one process gives.

The reference is the one-process path (``iter_lines`` then ``validate_line``); the inputs mix valid
records from ``crsvdata.testing`` with broken ones, junk, blank lines, CRLF, invalid UTF-8, over-long
lines, a byte-order mark and a missing final newline, and tiny blocks force a cut between almost every
pair of lines. Both the file mode (byte ranges) and the stream mode (blocks read by the parent) are run.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata import validate
from crsvdata.io import MAX_LINE_BYTES, Line, iter_lines
from crsvdata.testing import broken_case_records, case_records
from crsvdata.validation.engine import validate_line, validate_stream
from crsvdata.validation.parallel import _regular_file, validate_lines_in_parallel
from crsvdata.validation.report import Issue, ValidationReport

ROOT: Final = Path(__file__).resolve().parents[1]
JUNK: Final = (
    b"{broken",
    b"[1, 2",
    b'{"a": 1, "a": 2}',
    b"null",
    b"NaN",
    b'{"x": 1e999}',
    b"\xff\xfe{}",  # a UTF-16 mark
    b'{"record_id": "\xc3\x28"}',  # invalid UTF-8
    b"\xef\xbb\xbf{}",  # a byte-order mark on a line that is not the first
    b'{"record_id": "SYNTH-1"}',
)
BLANKS: Final = (b"", b" ", b"\t", b"\r", b" \r \x0c")


@st.composite
def json_lines_inputs(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """(the bytes of a JSON Lines input, the line limit, the block size)."""
    max_line_bytes = draw(st.sampled_from([300, 2_000, 50_000]))
    record = case_records().map(lambda r: r.to_json().encode())
    broken = broken_case_records().map(lambda b: json.dumps(b.document, ensure_ascii=False).encode())
    around_the_limit = st.integers(-2, 3).map(lambda k: b'"' + b"y" * (max_line_bytes + k - 2) + b'"')
    line = st.one_of(
        record,
        broken,
        st.sampled_from(JUNK),
        st.sampled_from(BLANKS),
        st.binary(max_size=40),
        around_the_limit,
        st.integers(2, 4).map(lambda times: b"z" * (max_line_bytes * times)),
    )
    lines = draw(st.lists(line, max_size=10))
    ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=len(lines), max_size=len(lines)))
    data = b"".join(text + end for text, end in zip(lines, ends, strict=True))
    without_final_newline = draw(st.booleans())
    if lines and without_final_newline:
        data = data.removesuffix(ends[-1])
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    block_bytes = draw(st.one_of(st.integers(1, 64), st.integers(65, 4 * max_line_bytes)))
    return data, max_line_bytes, block_bytes


def _reference(data: bytes, max_line_bytes: int, leading: list[Line]) -> list[tuple[bool, list[Issue]]]:
    first_number = len(leading) + 1
    lines: Iterator[Line] = iter_lines(io.BytesIO(data), max_line_bytes, first_number)
    return [(valid, issues) for valid, issues, _ in map(validate_line, [*leading, *lines])]


def _in_parallel(
    stream: IO[bytes], max_line_bytes: int, block_bytes: int, leading: list[Line]
) -> list[tuple[bool, list[Issue]]]:
    results = validate_lines_in_parallel(
        stream,
        2,
        leading=leading,
        block_bytes=block_bytes,
        max_line_bytes=max_line_bytes,
    )
    return [(valid, issues) for valid, issues, _ in results]


def _split_off_first_line(data: bytes, sniff: bool) -> tuple[list[Line], bytes]:
    # As validate_stream does when it reads the first line to tell JSON Lines from one document.
    if not sniff or b"\n" not in data:
        return [], data
    first, rest = data.split(b"\n", 1)
    return [Line(1, first + b"\n")], rest


@settings(max_examples=40, deadline=None)
@given(json_lines_inputs(), st.booleans())
def test_a_file_in_byte_ranges_gives_the_one_process_results(
    generated: tuple[bytes, int, int], sniff: bool
) -> None:
    data, max_line_bytes, block_bytes = generated
    leading, rest = _split_off_first_line(data, sniff)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_bytes(data)
        with path.open("rb") as handle:
            handle.read(len(data) - len(rest))
            assert _regular_file(handle) is not None  # the byte-range mode, not the stream fallback
            parallel = _in_parallel(handle, max_line_bytes, block_bytes, leading)
            assert handle.tell() == len(data)  # left where one process would leave it
    assert parallel == _reference(rest, max_line_bytes, leading)


@settings(max_examples=40, deadline=None)
@given(json_lines_inputs(), st.booleans())
def test_a_stream_in_blocks_gives_the_one_process_results(
    generated: tuple[bytes, int, int], sniff: bool
) -> None:
    data, max_line_bytes, block_bytes = generated
    leading, rest = _split_off_first_line(data, sniff)
    stream = io.BytesIO(rest)
    assert _regular_file(stream) is None
    parallel = _in_parallel(stream, max_line_bytes, block_bytes, leading)
    assert parallel == _reference(rest, max_line_bytes, leading)


def _mixed_file(tmp_path: Path) -> Path:
    good = (ROOT / "examples/synthetic/case-records.jsonl").read_bytes().splitlines()[:60]
    lines = [*good[:20], b"", b"{broken", good[20].replace(b'"sex":"', b'"sex":"x'), b"\xff\xfe", *good[21:]]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))  # CRLF, a BOM, no final newline
    return path


def test_the_report_of_a_file_and_of_a_stream_is_the_one_process_report(tmp_path: Path) -> None:
    path = _mixed_file(tmp_path)
    serial = validate(path)
    assert serial.invalid_documents == 3
    assert validate(path, jobs=2) == serial
    for sniffed in (None, True):
        one, two = ValidationReport(source=str(path)), ValidationReport(source=str(path))
        validate_stream(io.BytesIO(path.read_bytes()), one, json_lines=sniffed)
        validate_stream(io.BytesIO(path.read_bytes()), two, json_lines=sniffed, jobs=2)
        assert two == one
    capped = validate(path, jobs=2, max_issues=2)
    assert capped == validate(path, max_issues=2)
    assert capped.issue_limit_reached


def test_a_line_over_the_real_limit_is_reported_alike(tmp_path: Path) -> None:
    good = (ROOT / "examples/synthetic/case-records.jsonl").read_bytes().splitlines(keepends=True)[:4]
    path = tmp_path / "long.jsonl"
    with path.open("wb") as handle:
        handle.writelines([*good[:2], b"x" * (MAX_LINE_BYTES + 1) + b"\n", *good[2:], b"y" * MAX_LINE_BYTES])
    serial = validate(path)
    assert [issue.code for issue in serial.issues] == ["input.line_too_long", "input.json_syntax"]
    assert validate(path, jobs=2) == serial
    streamed = ValidationReport(source=str(path))
    with path.open("rb") as handle:
        validate_stream(io.BufferedReader(io.BytesIO(handle.read())), streamed, jobs=2)
    assert streamed == serial


def test_an_empty_or_blank_input_is_empty_with_workers_too(tmp_path: Path) -> None:
    for content in (b"", b"\n \r\n\n"):
        path = tmp_path / "blank.jsonl"
        path.write_bytes(content)
        assert validate(path, jobs=2) == validate(path)
        assert [issue.code for issue in validate(path, jobs=2).issues] == ["input.empty"]


def test_progress_is_called_with_the_bytes_read(tmp_path: Path) -> None:
    path = _mixed_file(tmp_path)
    seen: list[int] = []
    validate(path, jobs=2, progress=seen.append)
    assert sum(seen) == path.stat().st_size  # no part of this file is only blank lines


@pytest.mark.parametrize("jobs", ["2", "0"])
def test_standard_input_with_workers_gives_the_one_process_report(tmp_path: Path, jobs: str) -> None:
    data = _mixed_file(tmp_path).read_bytes()

    def run(*options: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "crsvdata", "validate", "--format", "json", *options, "-"]
        return subprocess.run(command, input=data, capture_output=True, check=False)

    one, many = run(), run("--jobs", jobs)
    assert one.returncode == many.returncode == 1
    assert json.loads(many.stdout) == json.loads(one.stdout)


@st.composite
def inputs_with_blank_lines(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """(JSON Lines with blank and whitespace-only lines anywhere, the number of each non-blank line).

    Every non-blank line has an issue at its own line: an object of no known kind, or broken JSON after
    the first (the first must be a whole JSON value for standard input to be read as JSON Lines)."""
    kinds = draw(st.lists(st.sampled_from(["blank", "object", "broken"]), max_size=14))
    lines, numbers = [], []
    for number, kind in enumerate(kinds, start=1):
        if kind == "blank":
            lines.append(draw(st.sampled_from(BLANKS)))
            continue
        broken = kind == "broken" and numbers
        lines.append(b"{broken" if broken else b'{"n": %d}' % number)
        numbers.append(number)
    ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=len(lines), max_size=len(lines)))
    return b"".join(line + end for line, end in zip(lines, ends, strict=True)), numbers


@settings(max_examples=40, deadline=None)
@given(inputs_with_blank_lines())
def test_lines_are_numbered_as_in_the_input_in_every_mode(generated: tuple[bytes, list[int]]) -> None:
    data, numbers = generated
    expected = numbers or [None]  # an input of blank lines only is empty, with no line
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_bytes(data)
        for jobs in (1, 2):
            assert [issue.line for issue in validate(path, jobs=jobs).issues] == expected
            for sniffed in (None, True):  # None: standard input, JSON Lines told by its first line
                streamed = ValidationReport()
                validate_stream(io.BytesIO(data), streamed, json_lines=sniffed, jobs=jobs)
                assert [issue.line for issue in streamed.issues] == expected
            with path.open("rb") as handle:  # a redirected file on standard input: byte ranges
                streamed = ValidationReport()
                validate_stream(handle, streamed, json_lines=None, jobs=jobs)
                assert [issue.line for issue in streamed.issues] == expected


def test_standard_input_starting_with_blank_lines_keeps_their_numbers() -> None:
    data = b"\n  \r\n\t\n" + b'{"n": 4}\n\n{broken\n'
    for jobs in ("1", "2"):
        command = [sys.executable, "-m", "crsvdata", "validate", "--jobs", jobs, "--format", "json", "-"]
        run = subprocess.run(command, input=data, capture_output=True, check=False)
        assert run.returncode == 1
        reported = json.loads(run.stdout)["files"][0]["issues"]
        assert [(issue["line"], issue["code"]) for issue in reported] == [
            (4, "document.unknown_type"),
            (6, "input.json_syntax"),
        ]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("max_issues", [None, 1, 2])
def test_issues_given_to_on_issue_are_the_reports_issues(
    tmp_path: Path, jobs: int, max_issues: int | None
) -> None:
    path = _mixed_file(tmp_path)
    kept = validate(path, jobs=jobs, max_issues=max_issues)
    given: list[Issue] = []
    passed_on = validate(path, jobs=jobs, max_issues=max_issues, on_issue=given.append)
    assert given == kept.issues
    assert passed_on.issues == []
    assert (passed_on.documents, passed_on.invalid_documents, passed_on.valid) == (
        kept.documents,
        kept.invalid_documents,
        kept.valid,
    )
    assert passed_on.issue_limit_reached == kept.issue_limit_reached == (max_issues is not None)
