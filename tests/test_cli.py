"""The command line: exit codes, output formats and the summary."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crsvdata.cli import main
from crsvdata.version import STANDARD_VERSION

ROOT = Path(__file__).parents[1]
CASES = sorted((ROOT / "examples/cases").glob("*.json"))


def test_valid_examples_exit_0() -> None:
    result = CliRunner().invoke(main, ["validate", *map(str, CASES)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": valid") == len(CASES)


def test_invalid_document_exits_1_with_code_and_pointer(tmp_path: Path) -> None:
    document = json.loads(CASES[0].read_text("utf-8"))
    document["survivor"]["sex"] = "not_a_code"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "/survivor/sex" in result.output
    assert "schema.enum" in result.output


def test_json_output_is_a_stable_object(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(CASES[0])])
    out = json.loads(result.output)
    assert out["status"] == "ok"
    assert set(out) == {"status", "crsvdata_version", "standard_version", "files"}
    assert set(out["files"][0]) >= {"source", "valid", "documents", "issues", "errors", "warnings"}


def test_stdin_is_read_with_dash() -> None:
    result = CliRunner().invoke(main, ["validate", "-"], input=CASES[0].read_bytes())
    assert result.exit_code == 0, result.output


def test_usage_error_exits_2() -> None:
    assert CliRunner().invoke(main, ["validate"]).exit_code == 2
    assert CliRunner().invoke(main, ["validate", "--format", "xml", str(CASES[0])]).exit_code == 2


def test_fail_on_warning(tmp_path: Path) -> None:
    document = json.loads(CASES[0].read_text("utf-8"))
    document["referrals"][0]["to_organisation"] = "some_ngo_without_consent"
    path = tmp_path / "warn.json"
    path.write_text(json.dumps(document), "utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["validate", "--fail-on", "warning", str(path)])
    assert result.exit_code == 1
    assert "referral.without_consent" in result.output


def test_max_issues_limits_the_listing(tmp_path: Path) -> None:
    lines = ['{"hello": 1}'] * 20
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--max-issues", "3", "--format", "json", str(path)])
    out = json.loads(result.output)["files"][0]
    assert (len(out["issues"]), out["issue_limit_reached"], out["invalid_documents"]) == (3, True, 20)


def test_codes_list_and_show() -> None:
    listing = CliRunner().invoke(main, ["codes", "list"])
    assert listing.exit_code == 0
    assert "form_of_violence" in listing.output
    shown = CliRunner().invoke(main, ["codes", "show", "sex", "--lang", "uk", "--format", "json"])
    assert json.loads(shown.output)["codes"][0] == {"code": "female", "label": "Жіноча", "deprecated": ""}
    csv_out = CliRunner().invoke(main, ["codes", "show", "sex", "--format", "csv"]).output.splitlines()
    assert csv_out[0] == "code,label,deprecated"
    assert CliRunner().invoke(main, ["codes", "show", "no_such_list"]).exit_code == 2


def test_schema_export_writes_the_packaged_schemas(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    exported = json.loads((tmp_path / STANDARD_VERSION / "case-record.schema.json").read_text("utf-8"))
    assert exported["$id"].endswith(f"/{STANDARD_VERSION}/case-record.schema.json")
    assert (tmp_path / STANDARD_VERSION / "codelists" / "sex.csv").exists()


def test_parallel_validation_gives_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    good = (ROOT / "examples/synthetic/case-records.jsonl").read_text("utf-8").splitlines() * 3
    lines = list(good)
    for index in (3, 700, 1100):  # bad lines spread over several chunks
        lines[index] = lines[index].replace('"sex":"', '"sex":"x')
    lines.insert(900, "{broken")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    from crsvdata import validate

    serial = validate(path)
    parallel = validate(path, jobs=2)
    assert parallel.to_dict() == serial.to_dict()
    assert [issue.line for issue in serial.errors] == [4, 701, 901, 1102]
