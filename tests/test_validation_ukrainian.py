"""Issue messages in Ukrainian: every issue code has a Ukrainian title and fix, and ``--lang uk`` gives
Ukrainian messages with the same codes and pointers as English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crsvdata.cli import main
from crsvdata.findings import Severity
from crsvdata.validation import Issue, validate
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.catalogue_uk import UKRAINIAN, ukrainian_message
from tools.ukrainian import missing_issue_entries

ROOT = Path(__file__).resolve().parents[1]
BROKEN = sorted((ROOT / "examples" / "broken").glob("*.json"))
# Left out before counting letters: code identifiers (record_id, survivor_status), E.164, JSON, UTF-8...
_NOT_PROSE = re.compile(r"«[^»]*»|\b\w*_\w*\b|\b[A-Z][A-Z0-9.\-]+\b|--\w[\w-]*|\bnull\b|\bk\b|\bl\b")


def _latin_letters(text: str) -> int:
    return len(re.findall(r"[A-Za-z]", _NOT_PROSE.sub(" ", text)))


def _is_ukrainian(text: str) -> bool:
    return bool(re.search(r"[\u0400-\u04ff]", text)) and _latin_letters(text) == 0


def test_every_issue_code_has_a_ukrainian_title_and_fix() -> None:
    assert not missing_issue_entries(), (
        "issue codes without a Ukrainian entry in crsvdata/validation/catalogue_uk.py; "
        "`python -m tools.ukrainian issues` prints them as a skeleton:\n" + "\n".join(missing_issue_entries())
    )
    assert set(UKRAINIAN) <= set(ISSUE_CODES), set(UKRAINIAN) - set(ISSUE_CODES)
    for code, (title, fix) in UKRAINIAN.items():
        assert re.search(r"[\u0400-\u04ff]", title), code
        assert re.search(r"[\u0400-\u04ff]", fix), code


def test_the_skeleton_names_a_code_that_lacks_its_ukrainian_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(UKRAINIAN, "schema.enum")  # type: ignore[attr-defined]
    assert missing_issue_entries() == [
        '    "schema.enum": ("TODO: Not a code of the code list", "TODO: '
        + ISSUE_CODES["schema.enum"].fix
        + '"),'
    ]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_validate_lang_uk_prints_only_ukrainian_messages(path: Path) -> None:
    english = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    ukrainian = CliRunner().invoke(main, ["validate", "--format", "json", "--lang", "uk", str(path)])
    assert english.exit_code == ukrainian.exit_code == 1
    issues_en = json.loads(english.output)["files"][0]["issues"]
    issues_uk = json.loads(ukrainian.output)["files"][0]["issues"]
    assert issues_uk
    assert [(i["code"], i["pointer"]) for i in issues_uk] == [(i["code"], i["pointer"]) for i in issues_en]
    for issue in issues_uk:
        assert _is_ukrainian(issue["message"]), issue
    text = CliRunner().invoke(main, ["validate", "--lang", "uk", str(path)]).output
    for line in text.splitlines():
        # An issue line ends in its message after two spaces; the status line follows the file name.
        message = line.split("  ")[-1] if "  " in line else line.removeprefix(f"{path}: ")
        assert _is_ukrainian(message), line


def test_a_code_list_name_is_carried_into_the_ukrainian_message() -> None:
    document = json.loads((ROOT / "examples" / "broken" / "broken-structure.json").read_text("utf-8"))
    report = validate(document)
    (enum,) = [issue for issue in report.issues if issue.code == "schema.enum"]
    assert "code list 'survivor_status'" in enum.message
    assert enum.message_in("uk") == "код не належить до списку кодів (список кодів «survivor_status»)"


def test_positions_are_carried_and_english_details_are_not() -> None:
    report = validate(b'{"record_id": 1,,}')
    (issue,) = report.issues
    assert issue.code == "input.json_syntax"
    assert "column 17" in issue.message
    assert issue.message_in("uk") == "некоректний JSON (рядок 1, стовпець 17)"
    offset = validate(b'{"record_id": "\xff"}').issues[0]
    assert offset.code == "input.invalid_utf8"
    assert offset.message_in("uk") == "це не коректний UTF-8 (перший хибний байт на позиції 15)"


def test_english_stays_the_default_and_an_unknown_code_keeps_its_message() -> None:
    issue = Issue("schema.required", Severity.ERROR, "a required member is missing", "/x")
    assert issue.message_in("en") == issue.to_dict()["message"] == "a required member is missing"
    assert issue.to_dict("uk")["message"] == "бракує обов'язкового елемента"
    assert ukrainian_message("nobody.knows", "text") is None
    assert Issue("nobody.knows", Severity.ERROR, "text").message_in("uk") == "text"
    assert ukrainian_message("input.truncated", "") == "JSON обривається передчасно"  # capitals kept
