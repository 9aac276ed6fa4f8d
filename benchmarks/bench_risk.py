"""The risk rows: `measure_risk` on 1,000,000 rows x 5 quasi-identifiers (+1 sensitive), in pure Python.

The table is built before the clock starts. The report is compared with the one of the per-row reference
implementation (tests/risk_reference.py, the code measure_risk replaced) on the same table in the same
run, so "identical report" is checked, not assumed; pandas' groupby is the issue-6 peer. Two more rows
time measure_risk on a polars and a pandas frame of the same table (where installed), also checked.
"""

from __future__ import annotations

import gc
import importlib
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from harness import Row, median_seconds

ROOT = Path(__file__).resolve().parent.parent
QUASI_IDENTIFIERS = ("sex", "age_band", "oblast", "year", "status")
SENSITIVE = "form"
RISK_ROWS = 1_000_000


def risk_table(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "sex": rng.choice("fmou"),
            "age_band": rng.choice(["0_11", "12_17", "18_25", "26_40", "41_60", "61+"]),
            "oblast": f"UA-{rng.randint(1, 27):02d}",
            "year": str(rng.randint(2014, 2025)),
            "status": rng.choice(["civilian", "pow", "detainee"]),
            SENSITIVE: rng.choice(["rape", "forced_nudity", "threat", "genital_violence"]),
        }
        for _ in range(count)
    ]


def bench_risk(seed: int, repeat: int) -> list[Row]:
    from crsvdata.disclosure import measure_risk

    sys.path.insert(0, str(ROOT / "tests"))
    from risk_reference import reference_measure

    table = risk_table(RISK_ROWS, seed)
    reports = []
    cpu: list[float] = []

    def ours() -> None:
        start = time.process_time()
        reports.append(measure_risk(table, QUASI_IDENTIFIERS, sensitive=SENSITIVE))
        cpu.append(time.process_time() - start)

    seconds = median_seconds(ours, repeat)
    # The target is wall time; the CPU time beside it tells a busy machine from slow code.
    cpu_seconds = statistics.median(cpu[1:] or cpu)
    report = reports[-1]
    # The reference has no gc switch of its own; measure_risk turns the cyclic collector off while it
    # counts, and the reference gets the same, so the before/after figure compares the algorithms.
    gc.disable()
    try:
        start = time.perf_counter()
        reference = reference_measure(table, QUASI_IDENTIFIERS, (SENSITIVE,), None)
        reference_seconds = time.perf_counter() - start
    finally:
        gc.enable()
    identical = all(r == reference for r in reports) and report.to_dict() == reference.to_dict()
    rows = [
        Row(
            "risk",
            f"measure_risk, {RISK_ROWS:,} rows x 5 QIs (+1 sensitive)",
            RISK_ROWS,
            seconds,
            f"{seconds:.2f} s wall, {cpu_seconds:.2f} s CPU; k={report.k}, {report.classes:,} classes; "
            f"identical report: {'yes' if identical else 'no'}",
            identical=identical,
            of_records=False,
        ),
        Row(
            "risk-reference",
            "per-row reference implementation (tests/risk_reference.py) on the same table",
            RISK_ROWS,
            reference_seconds,
            f"{reference_seconds:.2f} s, one run",
            of_records=False,
        ),
    ]
    try:
        import pandas

        frame = pandas.DataFrame(table)
        columns = list(QUASI_IDENTIFIERS)
        theirs = median_seconds(lambda: frame.groupby(columns, dropna=False).size().min(), repeat)
        rows.append(
            Row(
                "pandas",
                "pandas groupby().size() on the same table",
                RISK_ROWS,
                theirs,
                f"{theirs:.2f} s",
                of_records=False,
            )
        )
    except ImportError:
        rows.append(
            Row("pandas", "pandas groupby().size() on the same table", RISK_ROWS, 0.0, "not installed")
        )
    rows.extend(_frame_rows(table, reference, repeat))
    return rows


def _frame_rows(table: list[dict[str, str]], reference: object, repeat: int) -> list[Row]:
    """measure_risk on a polars and a pandas frame of the same table (built before the clock starts)."""
    from crsvdata.disclosure import measure_risk

    rows = []
    for library in ("polars", "pandas"):
        label = f"measure_risk on a {library} DataFrame of the same table (the library's group-by)"
        try:
            module = importlib.import_module(library)
        except ImportError:
            rows.append(Row(f"risk-{library}", label, RISK_ROWS, 0.0, "not installed", of_records=False))
            continue
        frame = module.DataFrame(table)
        reports: list[object] = []

        def measure(frame: Any = frame, reports: list[object] = reports) -> None:
            reports.append(measure_risk(frame, QUASI_IDENTIFIERS, sensitive=SENSITIVE))

        seconds = median_seconds(measure, repeat)
        identical = all(report == reference for report in reports)
        rows.append(
            Row(
                f"risk-{library}",
                label,
                RISK_ROWS,
                seconds,
                f"{seconds:.2f} s; identical report: {'yes' if identical else 'no'}",
                identical=identical,
                of_records=False,
            )
        )
        del frame
    return rows
