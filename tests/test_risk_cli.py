"""``crsvdata risk`` fails instead of answering wrongly (failure class 12)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crsvdata.cli import main
from crsvdata.disclosure.risk import measure_risk

ROOT = Path(__file__).parents[1]
KEY = ROOT / "examples/keys/demo.key"


def risk(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["risk", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_risk_of_an_export_equals_its_manifest(tmp_path: Path) -> None:
    out = tmp_path / "research.jsonl"
    result = CliRunner().invoke(
        main,
        [
            "anonymise",
            "--profile",
            "research",
            "--demo",
            "--key-file",
            str(KEY),
            "--recipient",
            "synth_research_unit",
            str(ROOT / "examples/synthetic/case-records.jsonl"),
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "research.jsonl.manifest.json").read_text("utf-8"))
    disclosure = manifest["disclosure"]
    # A suppressed quasi-identifier is in no row of the export: naming it is refused as unknown.
    qis = [q for q in disclosure["quasi_identifiers"] if disclosure["levels"][q] != "suppressed"]
    status, output = risk("--qi", ",".join(qis), "--format", "json", str(out))
    figures = json.loads(output[: output.rindex("}") + 1])
    assert (figures["k"], figures["classes"]) == (
        disclosure["achieved"]["k"],
        disclosure["achieved"]["classes"],
    )
    assert status == (0 if figures["k"] >= 5 else 1)
    suppressed = [q for q in disclosure["quasi_identifiers"] if q not in qis]
    if suppressed:
        assert risk("--qi", ",".join(disclosure["quasi_identifiers"]), str(out))[0] == 2


def _rows(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8}){0,2}", fullmatch=True))
def test_an_unknown_column_exits_2(tmp_path: Path, name: str) -> None:
    path = _rows(tmp_path, [{"survivor": {"sex": "f"}, "incidents": [{"place": "UA-65"}]}] * 6)
    if name in {"survivor", "survivor.sex", "incidents", "incidents.place"}:
        return
    status, output = risk("--qi", name, str(path))
    assert status == 2
    assert "anonymise.unknown_column" in output


def test_a_path_into_a_list_maps_over_it(tmp_path: Path) -> None:
    rows = [{"incidents": [{"place": "A"}, {"place": "B"}]}] * 5 + [{"incidents": [{"place": "A"}]}]
    path = _rows(tmp_path, rows)
    report = measure_risk(path, ["incidents.place"])
    assert (report.classes, report.k) == (2, 1)
    assert risk("--qi", "incidents.place", str(path))[0] == 1
    assert risk("--qi", "incidents.place", "--k", "1", str(path))[0] == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=5),
    threshold=st.integers(min_value=1, max_value=10),
)
def test_the_k_threshold_decides_the_exit_status(tmp_path: Path, sizes: list[int], threshold: int) -> None:
    rows: list[dict[str, object]] = [{"q": f"v{i}"} for i, size in enumerate(sizes) for _ in range(size)]
    path = _rows(tmp_path, rows)
    status, _ = risk("--qi", "q", "--k", str(threshold), str(path))
    assert status == (0 if min(sizes) >= threshold else 1)


def test_the_default_k_is_5_and_l_is_checked(tmp_path: Path) -> None:
    path = _rows(tmp_path, [{"q": 1, "s": "a"}] * 4)
    status, output = risk("--qi", "q", str(path))
    assert status == 1
    assert "anonymise.threshold_not_met" in output
    path = _rows(tmp_path, [{"q": 1, "s": "a"}] * 5)
    assert risk("--qi", "q", str(path))[0] == 0
    assert risk("--qi", "q", "--sensitive", "s", "--l", "2", str(path))[0] == 1
    assert risk("--qi", "q", "--l", "2", str(path))[0] == 2


def test_csv_faults_have_codes(tmp_path: Path) -> None:
    cases = {
        "huge.csv": "q\n" + "x" * (128 * 1024 + 10) + "\n",
        "ragged.csv": "q,s\n1,2\n1,2,3\n",
        "twice.csv": "q,q\n1,2\n",
    }
    codes = {
        "huge.csv": "input.field_too_large",
        "ragged.csv": "input.csv_syntax",
        "twice.csv": "input.duplicate_column",
    }
    for name, text in cases.items():
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            handle.write(text)
        status, output = risk("--qi", "q", str(path))
        assert status == 2, name
        assert codes[name] in output, name
    path = tmp_path / "ok.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["q"], *[["a"]] * 5])
    assert risk("--qi", "q", str(path))[0] == 0
