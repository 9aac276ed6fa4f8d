"""The benchmark's verdicts (benchmarks/verdicts.py) judge what was measured and nothing more: a stopped run
gives bounds, a short run says how short it was, a missing row is never met. No timing happens here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from harness import Row
from verdicts import FULL, Check, checks

BASELINE = 100_000.0  # records/s of the parse limit in these made-up runs


def _row(key: str, ratio: float, records: int = FULL, **extra: Any) -> Row:
    # seconds chosen so that rate / BASELINE == ratio
    return Row(key, key, records, records / (ratio * BASELINE), **extra)


def _verdict(rows: list[Row], target_start: str, issue: str = "14") -> Check:
    return next(c for c in checks(rows, BASELINE) if c.issue == issue and c.target.startswith(target_start))


@pytest.mark.parametrize(("ratio", "verdict"), [(0.49, "NOT met"), (0.5, "met"), (0.61, "met")])
def test_a_finished_cli_run_is_judged_on_its_ratio(ratio: float, verdict: str) -> None:
    check = _verdict([_row("cli", ratio)], "CLI `validate --jobs 0`, wall")
    assert check.verdict == verdict


def test_a_stopped_run_below_the_threshold_is_not_met_and_above_it_not_measured() -> None:
    below = _verdict([_row("cli", 0.2, finished=False)], "CLI `validate --jobs 0`, wall")
    assert below.met is False
    assert below.figure.startswith("< ")
    above = _verdict([_row("cli", 0.7, finished=False)], "CLI `validate --jobs 0`, wall")
    assert above.met is None
    assert above.verdict == "not measured"


def test_a_run_on_fewer_records_than_the_target_names_says_so() -> None:
    check = _verdict([_row("cli", 0.8, records=20_000)], "CLI `validate --jobs 0`, wall")
    assert check.met is True
    assert "20,000 records only" in check.verdict


def test_a_missing_row_is_not_measured() -> None:
    assert _verdict([], "CLI `validate --jobs 0` with 1%").verdict == "not measured"
    assert _verdict([], "`measure_risk`").verdict == "not measured"


def test_peak_memory_is_judged_on_the_worst_row_and_a_stopped_row_only_bounds_it() -> None:
    low, high = {"peak_mb": 90.0, "peak_pss_mb": 60.0}, {"peak_mb": 151.0, "peak_pss_mb": 100.0}
    target = "peak memory < 150 MB, `validate`"
    assert _verdict([_row("cli", 0.5, **low), _row("cli-stdin", 0.5, **low)], target).met is True
    assert _verdict([_row("cli", 0.5, **low), _row("cli-stdin", 0.5, **high)], target).met is False
    assert _verdict([_row("cli", 0.5, finished=False, **low)], target).met is None
    assert _verdict([_row("cli", 0.5, finished=False, **high)], target).met is False


def test_measure_risk_needs_both_the_time_and_an_identical_report() -> None:
    target = "`measure_risk` 1,000,000 x 5 (+1)"
    fast_same = Row("risk", "risk", FULL, 1.2, identical=True, of_records=False)
    fast_different = Row("risk", "risk", FULL, 1.2, identical=False, of_records=False)
    slow_same = Row("risk", "risk", FULL, 1.6, identical=True, of_records=False)
    assert _verdict([fast_same], target).met is True
    assert _verdict([fast_different], target).met is False
    assert "identical report: no" in _verdict([fast_different], target).figure
    assert _verdict([slow_same], target).met is False


def test_the_issue_6_peer_target_needs_pandas_and_jsonschema_rs_rows() -> None:
    risk = Row("risk", "risk", FULL, 1.2, identical=True, of_records=False)
    assert _verdict([risk], "`measure_risk` 1,000,000 x 5 < 3 s", issue="6").met is None
    pandas = Row("pandas", "pandas", FULL, 1.0, of_records=False)
    assert _verdict([risk, pandas], "`measure_risk` 1,000,000 x 5 < 3 s", issue="6").met is False
    assert _verdict([_row("cli", 0.9)], "CLI `validate` >= 0.6", issue="6").met is None
    peer = _row("jsonschema-rs", 0.95, records=50_000)
    assert _verdict([_row("cli", 0.9), peer], "CLI `validate` >= 0.6", issue="6").met is False


def test_the_compiled_row_is_judged_apart_and_an_unbuilt_one_is_not_measured() -> None:
    target = "the same, rules compiled with mypyc"
    rows = [_row("api", 0.2), _row("api-compiled", 0.31)]
    assert _verdict(rows, target).met is True
    assert _verdict(rows, "Python API `validate(path)`").met is False
    unbuilt = Row("api-compiled", "api-compiled", FULL, 0.0, "not built: mypyc or a C compiler is missing")
    assert _verdict([unbuilt], target).verdict == "not measured"


def test_anonymise_is_judged_on_both_inputs_and_its_memory_on_the_worse() -> None:
    rows = [
        _row("anonymise", 0.12, peak_mb=120.0, peak_pss_mb=100.0),
        _row("anonymise-persons", 0.05, peak_mb=160.0, peak_pss_mb=140.0),
    ]
    assert _verdict(rows, "`anonymise --profile research` >= 0.1").met is True
    assert _verdict(rows, "the same, one survivor per record").met is False
    memory = _verdict(rows, "peak memory < 150 MB, `anonymise`")
    assert memory.met is False
    assert "anonymise-persons" in memory.figure


def test_anonymise_on_every_core_is_judged_and_its_workers_memory_counts() -> None:
    rows = [
        _row("anonymise", 0.05, peak_mb=120.0, peak_pss_mb=100.0),
        _row("anonymise-jobs", 0.11, peak_mb=170.0, peak_pss_mb=120.0),
    ]
    assert _verdict(rows, "the same, `--jobs 0` (all cores) >= 0.1").met is True
    memory = _verdict(rows, "peak memory < 150 MB, `anonymise`")
    assert memory.met is False
    assert "anonymise-jobs" in memory.figure


def test_anonymise_memory_is_judged_at_the_largest_finished_run() -> None:
    target = "peak memory < 150 MB, `anonymise`"
    small = {"peak_mb": 85.0, "peak_pss_mb": 70.0, "records": 20_000}
    short = [_row("anonymise", 0.02, **small), _row("anonymise-persons", 0.03, **small)]
    assert "20,000 records only" in _verdict(short, target).verdict
    full = _row("anonymise-memory", 0.02, records=FULL, peak_mb=142.0, peak_pss_mb=131.0)
    judged = _verdict([*short, full], target)
    assert judged.met is True
    assert judged.verdict == "met"
    assert "anonymise-memory" in judged.figure
    over = _row("anonymise-memory", 0.02, records=FULL, peak_mb=151.0, peak_pss_mb=140.0)
    assert _verdict([*short, over], target).met is False
    stopped = _row("anonymise-memory", 0.02, records=FULL, finished=False, peak_mb=120.0, peak_pss_mb=100.0)
    unfinished = _verdict([*short, stopped], target)
    assert unfinished.met is None
    assert unfinished.verdict == "not measured"


@pytest.mark.parametrize(("seconds", "met"), [(0.099, True), (0.1, False), (0.25, False)])
def test_start_up_is_judged_on_its_median_seconds(seconds: float, met: bool) -> None:
    row = Row("startup", "startup", 3, seconds, of_records=False)
    check = _verdict([row], "`crsvdata validate` starts")
    assert check.met is met
    assert check.figure == f"{seconds:.3f} s"
    # Three records are not a short run of a million-record target: the verdict says nothing of counts.
    assert "records only" not in check.verdict
    assert _verdict([], "`crsvdata validate` starts").verdict == "not measured"


def test_the_rules_headroom_is_the_target_cost_less_the_ceiling() -> None:
    from verdicts import rules_headroom

    # 0.2 -> 5 units a record; 0.4 with the rules skipped -> 2.5 units: the rules cost 2.5 today and may
    # cost 1/0.3 - 2.5 = 0.83 units.
    text = rules_headroom([_row("api", 0.2), _row("api-no-rules", 0.4)], BASELINE)
    assert "reaches 0.400 (2.50 orjson units a record)" in text
    assert "the rules cost 2.50 units today" in text
    assert "may cost at most 0.83 units for 0.3" in text
    beyond = rules_headroom([_row("api", 0.2), _row("api-no-rules", 0.29)], BASELINE)
    assert "no rule engine, however fast, reaches 0.3" in beyond
    assert rules_headroom([_row("api", 0.2)], BASELINE) == ""
