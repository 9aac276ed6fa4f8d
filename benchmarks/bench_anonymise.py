"""Anonymisation and risk rows of the benchmark (imported by bench.py)."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, Row, run_with_peak_memory

QUASI_IDENTIFIERS = ("sex", "age_band", "oblast", "year", "status")


def _risk_rows(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "sex": rng.choice("fmou"),
            "age_band": rng.choice(["0_11", "12_17", "18_25", "26_40", "41_60", "61+"]),
            "oblast": f"UA-{rng.randint(1, 27):02d}",
            "year": str(rng.randint(2014, 2025)),
            "status": rng.choice(["civilian", "pow", "detainee"]),
            "form": rng.choice(["rape", "forced_nudity", "threat", "genital_violence"]),
        }
        for _ in range(count)
    ]


def bench_anonymise(path: Path, args: argparse.Namespace) -> list[Row]:
    """Time `crsvdata anonymise --profile research` (CLI) and `measure_risk` against pandas."""
    crsvdata = str(Path(sys.executable).parent / "crsvdata")
    key = ROOT / "examples" / "keys" / "demo.key"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "research.jsonl"
        command = [
            crsvdata,
            "anonymise",
            "--profile",
            "research",
            "--demo",
            "--key-file",
            str(key),
            "--recipient",
            "synth_research_unit",
        ]
        times, peaks = [], []
        for _ in range(args.repeat):
            out.unlink(missing_ok=True)
            seconds, peak = run_with_peak_memory([*command, str(path), str(out)])
            times.append(seconds)
            peaks.append(peak)
        rows.append(
            Row(
                "crsvdata anonymise --profile research (CLI)",
                args.records,
                statistics.median(times),
                "",
                max(peaks),
            )
        )

    from crsvdata.disclosure import measure_risk

    table = _risk_rows(1_000_000, args.seed)
    start = time.perf_counter()
    report = measure_risk(table, QUASI_IDENTIFIERS, sensitive="form")
    ours = time.perf_counter() - start
    rows.append(
        Row(
            "measure_risk, 1,000,000 rows x 5 QIs (+1 sensitive)",
            len(table),
            ours,
            f"{ours:.2f} s, k={report.k}",
        )
    )
    try:
        import pandas

        frame = pandas.DataFrame(table)
        start = time.perf_counter()
        frame.groupby(list(QUASI_IDENTIFIERS), dropna=False).size().min()
        theirs = time.perf_counter() - start
        rows.append(Row("pandas groupby().size() on the same table", len(table), theirs, f"{theirs:.2f} s"))
    except ImportError:
        rows.append(Row("pandas groupby().size() on the same table", len(table), 0.0, "pandas not installed"))
    return rows
