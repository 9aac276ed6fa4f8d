"""crsvdata bulk benchmark: validation (and, when available, anonymisation and risk) against the parse limit.

Every figure is a rate measured in this run and reported as a ratio to ``orjson.loads`` per line measured
in the same run on the same file, because the machines are shared and noisy: absolute numbers mean little,
ratios much more. Nothing here is a pass/fail test; it prints figures and writes benchmarks/RESULTS.md.

    make bench                      # 100,000 records, 3 repetitions, peak memory at 1,000,000 records
    python benchmarks/bench.py --records 20000 --repeat 1 --memory-records 0   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_records  # noqa: E402


@dataclass
class Row:
    """One line of the results table."""

    name: str
    records: int
    seconds: float
    note: str = ""
    peak_mb: float | None = None

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else float("inf")


def median_seconds(work: Callable[[], None], repeat: int) -> float:
    work()  # warm-up: caches, imports and the page cache must not count against the first candidate
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def dataset(records: int, seed: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"cases-{records}-{seed}.jsonl"
    if not path.exists():
        print(f"generating {records} synthetic records -> {path}", flush=True)
        write_records(records, seed, path)
    return path


def lines_of(path: Path, limit: int | None = None) -> list[bytes]:
    with path.open("rb") as handle:
        return [line for index, line in enumerate(handle) if limit is None or index < limit]


def bench_libraries(path: Path, repeat: int, sample: int) -> list[Row]:
    from crsvdata._context import STRUCTURE_ONLY
    from crsvdata.models import CaseRecord
    from crsvdata.schema.registry import load_schema, validator
    from crsvdata.validation import validate

    lines = lines_of(path)
    count = len(lines)
    rows = [
        Row(
            "parse limit: orjson.loads per line",
            count,
            median_seconds(lambda: _parse_all(lines), repeat),
        )
    ]

    def pydantic_only() -> None:
        for line in lines:
            CaseRecord.model_validate_json(line, context=STRUCTURE_ONLY)

    rows.append(
        Row("pydantic model_validate_json (structure only)", count, median_seconds(pydantic_only, repeat))
    )

    few = lines[:sample]
    python_jsonschema = validator("case-record")

    def jsonschema_python() -> None:
        for line in few:
            python_jsonschema.is_valid(orjson.loads(line))

    rows.append(
        Row(
            "python-jsonschema on the committed schema",
            len(few),
            median_seconds(jsonschema_python, 1),
            f"first {len(few)} records",
        )
    )
    try:
        import jsonschema_rs

        rs_validator = jsonschema_rs.validator_for(load_schema("case-record"), validate_formats=True)

        def jsonschema_rust() -> None:
            for line in lines:
                rs_validator.is_valid(orjson.loads(line))

        rows.append(
            Row(
                "jsonschema-rs on the committed schema (one core)",
                count,
                median_seconds(jsonschema_rust, repeat),
            )
        )
    except ImportError:
        rows.append(Row("jsonschema-rs on the committed schema (one core)", count, 0.0, "not installed"))

    rows.append(
        Row(
            "crsvdata.validate(path), Python API, one core",
            count,
            median_seconds(lambda: _assert_valid(validate(path)), repeat),
            "full checks: duplicate keys, structure, rules",
        )
    )
    jobs = os.cpu_count() or 1
    rows.append(
        Row(
            f"crsvdata.validate(path, jobs={jobs})",
            count,
            median_seconds(lambda: _assert_valid(validate(path, jobs=jobs)), repeat),
        )
    )
    return rows


def _parse_all(lines: list[bytes]) -> None:
    # Like every other row, parse and drop: keeping 100,000 dicts alive would charge the baseline for
    # allocation and garbage collection the other rows never pay, and flatter every ratio.
    for line in lines:
        orjson.loads(line)


def _assert_valid(report: object) -> None:
    if not getattr(report, "valid", False):
        raise SystemExit("benchmark data did not validate: the benchmark would be meaningless")


def run_with_peak_memory(command: list[str], stdin_command: list[str] | None = None) -> tuple[float, float]:
    """Run a command (optionally fed by another's stdout); return (seconds, peak MB of its process tree)."""
    import psutil

    feeder = subprocess.Popen(stdin_command, stdout=subprocess.PIPE) if stdin_command else None
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=feeder.stdout if feeder else subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    if feeder and feeder.stdout:
        feeder.stdout.close()
    peak = 0
    watched = psutil.Process(process.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if feeder:
        feeder.wait()
    if code not in (0,):
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return seconds, peak / 1024 / 1024


def bench_cli(path: Path, count: int, repeat: int) -> list[Row]:
    crsvdata = str(Path(sys.executable).parent / "crsvdata")
    rows = []
    times, peaks = [], []
    for _ in range(repeat):
        seconds, peak = run_with_peak_memory([crsvdata, "validate", "--jobs", "0", str(path)])
        times.append(seconds)
        peaks.append(peak)
    rows.append(
        Row(
            "crsvdata validate --jobs 0 (CLI, all cores)",
            count,
            statistics.median(times),
            "wall clock incl. start-up",
            max(peaks),
        )
    )
    return rows


def bench_memory(records: int, seed: int) -> list[Row]:
    if records <= 0:
        return []
    crsvdata = str(Path(sys.executable).parent / "crsvdata")
    feeder = [sys.executable, str(HERE / "generate.py"), "--records", str(records), "--seed", str(seed)]
    seconds, peak = run_with_peak_memory([crsvdata, "validate", "--jobs", "0", "-"], feeder)
    return [
        Row(
            f"crsvdata validate --jobs 0 - (stdin, {records:,} records streamed)",
            records,
            seconds,
            "generator runs alongside",
            peak,
        )
    ]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("crsvdata", "pydantic", "orjson", "jsonschema", "jsonschema-rs")
        if _installed(name)
    )
    system = f"{platform.platform()}; {cpu}; {os.cpu_count()} cores"
    return f"{system}; Python {platform.python_version()}; {versions}"


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def render(rows: list[Row], baseline: float, header: str) -> str:
    out = [
        header,
        "",
        "| measurement | records | records/s | ratio to parse limit | peak MB | note |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if not row.seconds:
            out.append(f"| {row.name} | {row.records:,} | – | – | – | {row.note} |")
            continue
        peak = f"{row.peak_mb:.0f}" if row.peak_mb is not None else ""
        out.append(
            f"| {row.name} | {row.records:,} | {row.rate:,.0f} | {row.rate / baseline:.3f} "
            f"| {peak} | {row.note} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240229)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jsonschema-sample", type=int, default=5_000)
    parser.add_argument("--memory-records", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    path = dataset(args.records, args.seed)
    rows = bench_libraries(path, args.repeat, args.jsonschema_sample)
    rows += bench_cli(path, args.records, args.repeat)
    rows += extra_benchmarks(path, args)
    rows += bench_memory(args.memory_records, args.seed)
    baseline = rows[0].rate
    header = (
        f"# crsvdata benchmark results\n\nMachine: {machine()}\n\n"
        f"Run: {args.records:,} synthetic case records (seed {args.seed}), median of {args.repeat} runs, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Ratios are to orjson.loads per line in this run."
    )
    text = render(rows, baseline, header)
    verdict = verdicts(rows, baseline)
    print(text)
    print(verdict)
    args.output.write_text(text + "\n" + TARGETS + "\n" + verdict + "\n", "utf-8")
    print(f"\nwritten: {args.output}")
    print(json.dumps({row.name: round(row.rate / baseline, 4) for row in rows if row.seconds}, indent=1))


def extra_benchmarks(path: Path, args: argparse.Namespace) -> list[Row]:
    """Anonymisation and risk measurement, when the installed crsvdata has them."""
    try:
        from bench_anonymise import bench_anonymise
    except ImportError:
        return []
    return bench_anonymise(path, args)


TARGETS = """
## Targets (issue 6) — ratios to the parse limit, measured in the same run

| target | figure above to compare |
| --- | --- |
| `crsvdata validate` on JSON Lines >= 0.6 and faster than jsonschema-rs on one core | "validate --jobs 0" |
| Python `validate` API on one core >= 0.3 | "crsvdata.validate(path), Python API, one core" |
| `anonymise --profile research` >= 0.25 | "anonymise" rows |
| peak memory < 150 MB at 1,000,000 records | "peak MB" of the streamed rows |
| `measure_risk` on 1,000,000 rows x 5 QIs < 3 s and never slower than pandas groupby | "measure_risk" rows |
"""


def _row(rows: list[Row], prefix: str) -> Row | None:
    return next((row for row in rows if row.name.startswith(prefix) and row.seconds), None)


def verdicts(rows: list[Row], baseline: float) -> str:
    """Each target of issue 6 as met or NOT met, from the rows of this run (a missing row: not measured)."""

    def ratio(row: Row | None) -> float | None:
        return row.rate / baseline if row is not None else None

    cli = _row(rows, "crsvdata validate --jobs 0 (CLI")
    rs = _row(rows, "jsonschema-rs")
    api = _row(rows, "crsvdata.validate(path), Python API")
    anon = _row(rows, "crsvdata anonymise --profile research")
    stream = _row(rows, "crsvdata validate --jobs 0 - (stdin")
    risk = _row(rows, "measure_risk")
    pandas = _row(rows, "pandas groupby")
    checks: list[tuple[str, bool | None, str]] = []
    cli_ratio, rs_ratio = ratio(cli), ratio(rs)
    checks.append(
        (
            "validate CLI --jobs 0 >= 0.5 (issue 14; 0.6 the goal)",
            None if cli_ratio is None else cli_ratio >= 0.5,
            f"{cli_ratio:.3f}" if cli_ratio is not None else "",
        )
    )
    checks.append(
        (
            "validate CLI --jobs 0 >= 0.6 and faster than jsonschema-rs (goal)",
            None if cli_ratio is None else cli_ratio >= 0.6 and (rs_ratio is None or cli_ratio > rs_ratio),
            f"{cli_ratio:.3f}" if cli_ratio is not None else "",
        )
    )
    api_ratio = ratio(api)
    checks.append(
        (
            "Python validate API >= 0.3",
            None if api_ratio is None else api_ratio >= 0.3,
            f"{api_ratio:.3f}" if api_ratio is not None else "",
        )
    )
    anon_ratio = ratio(anon)
    checks.append(
        (
            "anonymise research >= 0.1 (issue 14)",
            None if anon_ratio is None else anon_ratio >= 0.1,
            f"{anon_ratio:.3f}" if anon_ratio is not None else "",
        )
    )
    peak = stream.peak_mb if stream is not None else None
    checks.append(
        (
            "peak memory < 150 MB at 1,000,000 records (validate, streamed)",
            None if peak is None else peak < 150,
            f"{peak:.0f} MB" if peak is not None else "",
        )
    )
    risk_ok = None
    if risk is not None:
        risk_ok = risk.seconds < 1.5 and (pandas is None or risk.seconds <= pandas.seconds)
    checks.append(
        (
            "measure_risk 1,000,000 x 5 (+1) < 1.5 s, pure Python, not slower than pandas",
            risk_ok,
            f"{risk.seconds:.2f} s" if risk is not None else "",
        )
    )
    lines = ["## Verdict of this run", "", "| target | figure | met |", "| --- | ---: | --- |"]
    for name, met, figure in checks:
        lines.append(
            f"| {name} | {figure} | {'not measured' if met is None else 'met' if met else 'NOT met'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
