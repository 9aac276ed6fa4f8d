"""Every command reads input as ``validate`` does (failure class 10): a differential test over hostile bytes.

For each generated file, ``validate``, ``summary``, ``anonymise``, ``stats`` and the Python readers
``iter_case_records`` / ``read_case_records`` must accept it or refuse it together, with the same code.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crsvdata.anonymise.inputs import IdentityIndex, read_case_records
from crsvdata.cli import main
from crsvdata.errors import CrsvError
from crsvdata.parse import iter_case_records
from crsvdata.validation import validate

ROOT = Path(__file__).parents[1]
LINES = (ROOT / "examples/synthetic/case-records.jsonl").read_text("utf-8").splitlines()[:3]
KEY = ROOT / "examples/keys/demo.key"
READ_CODE = re.compile(r"\b((?:input|document|schema|identifier|codelist)\.[a-z0-9_]+)\b")
MUTATIONS = [
    "none",
    "duplicate_key",
    "nested_duplicate_key",
    "nan",
    "bom",
    "pretty",
    "utf16",
    "truncate",
    "deep",
    "bad_utf8",
    "blank_lines",
    "array",
    "empty",
    "json_lines_in_json",
    "huge_int",
]


def _mutate(records: list[str], mutation: str, position: int, json_file: bool) -> bytes:
    """The bytes of a file holding ``records`` with one hostile change; ``position`` picks where."""
    index = position % len(records)
    lines = list(records)
    line = lines[index]
    if mutation == "duplicate_key":
        # A refused consent followed by a granted one is the attack; any repeated key is the class.
        lines[index] = line[:-1] + ', "record_id": "SYNTH-DUP"}'
    elif mutation == "nested_duplicate_key":
        lines[index] = line.replace('"survivor":{', '"survivor":{"sex":"male",', 1).replace(
            '"survivor": {', '"survivor": {"sex": "male", ', 1
        )
    elif mutation == "nan":
        lines[index] = line[:-1] + ', "x": NaN}'
    elif mutation == "deep":
        depth = [50, 5_000, 100_000][position % 3]
        lines[index] = line[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    elif mutation == "huge_int":
        lines[index] = line[:-1] + ', "x": ' + "9" * 40 + "}"
    elif mutation == "pretty":
        lines[index] = json.dumps(json.loads(line), indent=2, ensure_ascii=False)
    elif mutation == "blank_lines":
        lines.insert(index, "   ")
    if json_file:
        if mutation == "array":
            text = "[" + ",".join(lines) + "]"
        elif mutation == "json_lines_in_json":
            text = "\n".join(lines)
        else:
            text = lines[index]
    else:
        text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    if mutation == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mutation == "utf16":
        data = text.encode("utf-16")
    elif mutation == "truncate":
        data = data[: max(1, (position * 7919) % len(data))]
    elif mutation == "bad_utf8":
        cut = data.index(b'"record_id"') + 2
        data = data[:cut] + b"\xff\xfe" + data[cut:]
    elif mutation == "empty":
        data = b""
    return data


def _validate_outcome(path: Path) -> str | None:
    report = validate(path)
    return None if report.valid else report.errors[0].code


def _python_outcome(reader: object, path: Path) -> str | None:
    try:
        for _ in reader(path):  # type: ignore[operator]
            pass
    except CrsvError as exc:
        return exc.code
    return None


def _cli_outcome(args: list[str]) -> tuple[str | None, int]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    # Refusals go to standard error; standard output may name schema files (".schema.json").
    found = READ_CODE.search(result.stderr)
    return (found.group(1) if found else None), result.exit_code


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutation=st.sampled_from(MUTATIONS),
    position=st.integers(min_value=0, max_value=10_000),
    json_file=st.booleans(),
)
def test_every_reader_accepts_and_refuses_alike(
    tmp_path: Path, mutation: str, position: int, json_file: bool
) -> None:
    path = tmp_path / ("cases.json" if json_file else "cases.jsonl")
    path.write_bytes(_mutate(LINES, mutation, position, json_file))
    expected = _validate_outcome(path)
    assert _python_outcome(iter_case_records, path) == expected
    assert _python_outcome(read_case_records, path) == expected
    validate_status = CliRunner().invoke(main, ["validate", str(path)]).exit_code
    summary = _cli_outcome(["summary", str(path)])
    assert summary == (expected, validate_status)
    out = Path(tempfile.mkdtemp(dir=tmp_path))  # tmp_path is shared by the examples; this is not
    anonymise = _cli_outcome(
        [
            "anonymise",
            "--profile",
            "research",
            "--demo",
            "--key-file",
            str(KEY),
            "--recipient",
            "synth_research_unit",
            str(path),
            str(out / "a.jsonl"),
        ]
    )
    stats = _cli_outcome(["stats", "--by", "sex", str(path), str(out / "s.csv")])
    assert anonymise[0] == expected
    assert stats[0] == expected
    if expected is not None:
        # A refusal writes nothing; an acceptance may still be refused later for k (not a reading code).
        assert anonymise[1] != 0
        assert stats[1] != 0
        assert list(out.iterdir()) == []


def test_a_refused_then_granted_consent_is_never_exported(tmp_path: Path) -> None:
    record = json.loads(LINES[0])
    text = json.dumps(record, ensure_ascii=False)
    consents = json.dumps(record["consents"], ensure_ascii=False)
    refused = json.dumps([{**c, "granted": False} for c in record["consents"]], ensure_ascii=False)
    hostile = text.replace(f'"consents": {consents}', f'"consents": {refused}, "consents": {consents}')
    assert hostile != text
    path = tmp_path / "in.jsonl"
    path.write_text(hostile + "\n", "utf-8")
    with pytest.raises(CrsvError) as info:
        list(read_case_records(path))
    assert info.value.code == "input.duplicate_key"


def test_an_identity_file_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    line = (ROOT / "examples/synthetic/identity-records.jsonl").read_text("utf-8").splitlines()[0]
    path = tmp_path / "ids.jsonl"
    path.write_text(line[:-1] + ', "holder_organisation": "SYNTH-OTHER"}\n', "utf-8")
    with pytest.raises(CrsvError) as info:
        IdentityIndex.from_file(path)
    assert info.value.code == "input.duplicate_key"


def test_json_lines_are_read_with_flat_memory(tmp_path: Path) -> None:
    # A generator: nothing is read before the first record is asked for, one record at a time after.
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(LINES * 50) + "\n", "utf-8")
    records = iter_case_records(path)
    first = next(records)
    assert first.record_id == json.loads(LINES[0])["record_id"]
    assert sum(1 for _ in records) == len(LINES) * 50 - 1
