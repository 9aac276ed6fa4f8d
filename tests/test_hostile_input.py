"""Hostile and broken input gets a clear error with a code and exit status, never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crsvdata.cli import main
from crsvdata.io import MAX_LINE_BYTES, InputError, decode_utf8, iter_lines, parse_json
from crsvdata.validation import validate

EXAMPLE = Path(__file__).parents[1] / "examples/cases/child-survivor.json"
VALID_TEXT = EXAMPLE.read_text("utf-8")
SECRET = "Тестенко-ВИГАДАНА-ОСОБА"


def run(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *extra, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


HOSTILE_FILES: list[tuple[str, bytes, str, int]] = [
    ("invalid_utf8.json", b'{"record_id": "\xff\xfe\xfa"}', "input.invalid_utf8", 2),
    ("utf16.json", VALID_TEXT.encode("utf-16"), "input.utf16", 2),
    ("empty.json", b"", "input.empty", 2),
    ("blank.json", b"  \n\t ", "input.empty", 2),
    ("truncated.json", VALID_TEXT.encode()[: len(VALID_TEXT) // 2], "input.truncated", 2),
    ("duplicate_key.json", b'{"record_id": "SYNTH-1", "record_id": "SYNTH-2"}', "input.duplicate_key", 2),
    ("nan.json", b'{"record_id": NaN}', "input.non_finite_number", 2),
    ("infinity.json", b'{"x": -Infinity}', "input.non_finite_number", 2),
    ("huge_float.json", b'{"x": 1e999}', "input.number_too_large", 2),
    ("huge_int.json", b'{"x": ' + b"9" * 5000 + b"}", "input.number_too_large", 2),
    ("lone_surrogate.json", b'{"record_id": "SYNTH-\\ud800"}', "input.lone_surrogate", 2),
    ("lone_low_surrogate_key.json", b'{"\\uDC00record_id": 1}', "input.lone_surrogate", 2),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "input.too_deep", 2),
    ("control_char.json", b'{"record_id": "a\x01b"}', "input.json_syntax", 2),
    ("not_a_record.json", b'{"hello": "world"}', "document.unknown_type", 1),
    ("array.json", b"[1, 2, 3]", "document.unknown_type", 1),
]


@pytest.mark.parametrize(("name", "content", "code", "exit_code"), HOSTILE_FILES)
def test_hostile_file(tmp_path: Path, name: str, content: bytes, code: str, exit_code: int) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    status, output = run(path)
    assert status == exit_code
    assert code in output
    assert "Traceback" not in output


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + VALID_TEXT.encode())
    assert run(path)[0] == 0


def test_invalid_utf8_reports_the_byte_offset() -> None:
    with pytest.raises(InputError) as info:
        decode_utf8(b'{"a": "ok", "b": "\xc3\x28"}')
    assert info.value.byte_offset == 18
    assert "18" in info.value.message


def test_directory_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path)[0] == 2
    assert "input.is_directory" in run(tmp_path)[1]
    status, output = run(tmp_path / "missing.json")
    assert (status, "input.not_found" in output) == (2, True)
    status, output = run(tmp_path / "missing.jsonl")
    assert (status, "input.not_found" in output) == (2, True)


def test_json_lines_reports_every_bad_line_and_goes_on(tmp_path: Path) -> None:
    good = json.dumps(json.loads(VALID_TEXT), ensure_ascii=False)
    lines = [good, "{not json", good, '{"record_id": NaN}', "", good, '{"a": 1, "a": 2}']
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = validate(path)
    assert report.documents == 6
    assert report.invalid_documents == 3
    assert [(i.line, i.code) for i in report.errors] == [
        (2, "input.json_syntax"),
        (4, "input.non_finite_number"),
        (7, "input.duplicate_key"),
    ]
    assert run(path)[0] == 1


def test_a_huge_single_line_is_refused_without_loading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    good = json.dumps(json.loads(VALID_TEXT), ensure_ascii=False).encode()
    with path.open("wb") as handle:
        handle.write(good + b"\n")
        handle.write(b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}\n')
        handle.write(good + b"\n")
    with path.open("rb") as stream:
        lines = list(iter_lines(stream, max_line_bytes=1024 * 1024))
    assert [(line.number, line.error.code if line.error else None) for line in lines] == [
        (1, None),
        (2, "input.line_too_long"),
        (3, None),
    ]


def test_errors_never_echo_identifying_values(tmp_path: Path) -> None:
    document = json.loads(VALID_TEXT)
    document["survivor"]["survivor_ref"] = SECRET
    document["survivor"]["sex"] = SECRET
    document["incidents"][0]["narrative"] = None
    document["incidents"][0][SECRET] = SECRET
    path = tmp_path / "leaky.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    for output_format in ("text", "json"):
        status, output = run(path, "--format", output_format)
        assert status == 1
        assert SECRET not in output


def test_parse_errors_do_not_echo_input() -> None:
    with pytest.raises(InputError) as info:
        parse_json('{"name": "' + SECRET + '", }')
    assert SECRET not in str(info.value)
    report = validate(('{"name": "' + SECRET + '" ').encode())
    assert SECRET not in json.dumps(report.to_dict(), ensure_ascii=False)


# --- every command on every hostile input (failure class 13) --------------------------------------------

CODE = re.compile(r"\b(?:input|document|schema|output|anonymise|codelist|spreadsheet|kobo)\.[a-z0-9_]+\b")
KEY = Path(__file__).parents[1] / "examples/keys/demo.key"
RECORD_LINE = json.dumps(json.loads(VALID_TEXT), ensure_ascii=False)

MATRIX: dict[str, bytes | None] = {
    "invalid_utf8.jsonl": b'{"record_id": "\xff\xfe\xfa"}\n',
    "utf16.jsonl": (RECORD_LINE + "\n").encode("utf-16"),
    "utf16.json": VALID_TEXT.encode("utf-16"),
    "empty.jsonl": b"",
    "empty.json": b"",
    "truncated.json": VALID_TEXT.encode()[: len(VALID_TEXT) // 2],
    "nan.jsonl": b'{"record_id": NaN}\n',
    "duplicate_key.jsonl": RECORD_LINE.replace(
        '"record_id"', '"record_id": "SYNTH-X", "record_id"', 1
    ).encode()
    + b"\n",
    "lone_surrogate.jsonl": RECORD_LINE.replace('"record_id": "', '"record_id": "\\ud800', 1).encode()
    + b"\n",
    "deep.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "long_line.jsonl": None,  # written lazily: one line over MAX_LINE_BYTES
    "huge_field.csv": b"survivor.sex\n" + b"x" * (128 * 1024 + 1) + b"\n",
    "a_directory": None,
    "missing.jsonl": None,
}


def _hostile(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    content = MATRIX[name]
    if name == "a_directory":
        path.mkdir()
    elif name == "long_line.jsonl":
        with path.open("wb") as handle:
            handle.write(b'{"x": "')
            chunk = b"a" * (1024 * 1024)
            for _ in range(MAX_LINE_BYTES // len(chunk) + 1):
                handle.write(chunk)
            handle.write(b'"}\n')
    elif content is not None:
        path.write_bytes(content)
    return path


COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{path}"],
    "summary": ["summary", "{path}"],
    "anonymise": [
        "anonymise",
        "--profile",
        "research",
        "--demo",
        "--key-file",
        str(KEY),
        "--recipient",
        "synth_research_unit",
        "{path}",
        "{out}/a.jsonl",
    ],
    "stats": ["stats", "--by", "sex", "{path}", "{out}/s.csv"],
    "risk": ["risk", "--qi", "survivor.sex", "{path}"],
    "flatten": ["flatten", "{path}", "{out}/f.xlsx"],
    "unflatten": ["unflatten", "{path}", "{out}/u.jsonl"],
    "import-kobo": ["import", "kobo", "{path}", "--out", "{out}/c.jsonl"],
}


def _invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_hostile_input_clearly(tmp_path: Path, command: str, name: str) -> None:
    path = _hostile(tmp_path, name)
    out = tmp_path / "out"
    out.mkdir()
    args = [arg.format(path=path, out=out) for arg in COMMANDS[command]]
    status, output = _invoke(args)
    assert status != 0
    assert "Traceback" not in output
    assert CODE.search(output), output[:500]
    assert name in output  # the location: which file (and line, where there is one)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", ["anonymise", "stats", "schema"])
def test_an_unwritable_output_is_refused_clearly(tmp_path: Path, command: str) -> None:
    source = Path(__file__).parents[1] / "examples/synthetic/case-records.jsonl"
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    target = blocker / "out.jsonl"  # the parent is a file: not writable even by root
    args = {
        "anonymise": [
            "anonymise",
            "--profile",
            "research",
            "--demo",
            "--key-file",
            str(KEY),
            "--recipient",
            "synth_research_unit",
            str(source),
            str(target),
        ],
        "stats": ["stats", "--by", "sex", str(source), str(target)],
        "schema": ["schema", "export", str(blocker / "schemas")],
    }[command]
    status, output = _invoke(args)
    assert status == 2
    assert "output.not_writable" in output
    assert "a_file" in output
    assert "Traceback" not in output


def test_codes_show_refuses_an_unknown_list_with_a_code() -> None:
    status, output = _invoke(["codes", "show", "../../etc/passwd"])
    assert status == 2
    assert "codelist.unknown_list" in output


# --- broken workbooks (flatten's and unflatten's own inputs) ------------------------------------------------


def _workbook_bytes(tmp_path: Path) -> bytes:
    result = CliRunner().invoke(main, ["flatten", str(EXAMPLE), str(tmp_path / "good.xlsx")])
    assert result.exit_code == 0, result.output
    return (tmp_path / "good.xlsx").read_bytes()


def _encrypted(tmp_path: Path) -> bytes:
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_workbook_bytes(tmp_path))).encrypt("synthetic-password", out)
    return out.getvalue()


BAD_WORKBOOKS: dict[str, tuple[str, int]] = {
    "text.xlsx": ("spreadsheet.not_a_workbook", 2),
    "zip_garbage.xlsx": ("spreadsheet.not_a_workbook", 2),
    "old.xlsx": ("spreadsheet.not_a_workbook", 2),
    "encrypted.xlsx": ("spreadsheet.encrypted", 2),
    "cp1251/cases.csv": ("spreadsheet.not_utf8", 2),
    "no_cases.xlsx": ("spreadsheet.no_root_sheet", 1),
}


def _bad_workbook(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    content = {
        "text.xlsx": lambda: b"record_id,sex\nSYNTH-1,female\n",
        "zip_garbage.xlsx": lambda: b"PK\x03\x04" + b"\x00" * 200,
        "old.xlsx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "encrypted.xlsx": lambda: _encrypted(tmp_path),
        "cp1251/cases.csv": lambda: "Record ID,Narrative\r\nSYNTH-1,Тестенко\r\n".encode("cp1251"),
        "no_cases.xlsx": lambda: _workbook_with_sheet(tmp_path, "Sheet1"),
    }[name]()
    path.write_bytes(content)
    return path


def _workbook_with_sheet(tmp_path: Path, sheet: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = sheet
    book.active.append(["Record ID"])
    book.save(tmp_path / "made.xlsx")
    return (tmp_path / "made.xlsx").read_bytes()


@pytest.mark.parametrize("name", sorted(BAD_WORKBOOKS))
@pytest.mark.parametrize("command", ["validate", "unflatten"])
def test_bad_workbooks_are_refused_clearly(tmp_path: Path, command: str, name: str) -> None:
    path = _bad_workbook(tmp_path, name)
    out = tmp_path / "out"
    out.mkdir()
    args = ["validate", str(path)]
    if command == "unflatten":
        args = ["unflatten", str(path), str(out / "u.jsonl")]
    status, output = _invoke(args)
    code, expected_status = BAD_WORKBOOKS[name]
    assert (status, code in output) == (expected_status, True), output
    assert "Traceback" not in output
    assert "synthetic-password" not in output
    assert "Тестенко" not in output
    assert list(out.iterdir()) == []
