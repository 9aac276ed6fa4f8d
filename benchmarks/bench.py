"""crsvdata bulk benchmark: validation, anonymisation and risk against the parse limit (issues 6 and 14).

Every figure is a rate measured in this run and reported as a ratio to ``orjson.loads`` per line, measured
in the same run on the same kind of records, because the machine is shared and noisy: absolute numbers
mean little, ratios much more. The records are as rich as crsvdata.testing's strategies make them
(referrals, proceedings, reparations, 1.1 fields). All input files are generated before anything is timed
(benchmarks/_data/, reused while the generator is unchanged), so no row pays for the generator.

Rows and their record counts (make variables in brackets):

* the CLI validate rows on ``--records`` [BENCH_RECORDS, 1,000,000], as issue 14 asks: a file of valid
  records, a file with 1% invalid records (every 100th broken), and the valid file piped through stdin
  (``cat`` feeds it and is not counted), each with the peak memory of its process tree;
* the parse limit, the peers and the Python API on the first ``--small-records`` of the same file
  [BENCH_SMALL_RECORDS, 50,000]: the records cycle through one pool, so a rate does not depend on how
  many are measured, and one core over 1,000,000 records at today's speed would take most of an hour;
* ``anonymise --profile research`` on ``--export-records`` [BENCH_EXPORT_RECORDS, 20,000] records that
  carry a research consent for the recipient, once from the rich pool (a few hundred survivors) and once
  with one survivor per record (the whole-data search then has as many persons as records), and once
  more from the rich pool with ``--jobs 0`` (the first pass on every core); at a couple
  of thousand records a second, 1,000,000 would take ten minutes each (the peak memory verdict says on
  how many records it was measured);
* the same export once more on ``--export-memory-records`` [BENCH_EXPORT_MEMORY_RECORDS, 1,000,000] records
  of the rich pool, for its peak memory: the target is on 1,000,000 records and the whole-data search
  grows with them (about nine minutes; ``--export-memory-time-limit`` [BENCH_EXPORT_MEMORY_TIME_LIMIT,
  1,800 s] bounds it; 0 records skips the row, and the memory verdict then says it saw fewer);
* the Python API row once more with the rules skipped (patched out for that row only): the ceiling no rule
  engine can pass, from which the verdict derives what the rules may cost for the one-core target;
* the Python API row again with the rules compiled by mypyc (``make accelerate``), built in a temporary
  copy of the package (benchmarks/bench_accelerated.py): what the optional compiled build adds;
* start-up: ``crsvdata validate`` on a file of three records, the median of 21 runs (the target is
  under 0.1 s); crsvdata's bytecode is compiled first, as ``pip install`` compiles a wheel's;
* ``measure_risk`` on 1,000,000 rows x 5 quasi-identifiers (+1 sensitive), always;
* the per-stage cost of one valid record (benchmarks/stages.py) on ``--stage-records`` [5,000] records,
  written under the rows.

A CLI run still going after ``--time-limit`` seconds [BENCH_TIME_LIMIT, 300] is stopped; its row then
gives an upper bound of the rate and a lower bound of the peak memory, and the verdicts use the bounds
(verdicts.py). With the three CLI rows capped at 5 minutes each, generation (once; estimated at a few
minutes for 1,000,000), the 1,000,000-record export (about 10 minutes) and the rest (estimated at 5
minutes on an idle machine), a full run should stay under about 35 minutes on 2 cores; on a busy
machine every figure is lower and the header's load average says so.

    make bench                                      # the full run; writes benchmarks/RESULTS.md
    make bench BENCH_RECORDS=20000 BENCH_SMALL_RECORDS=5000 BENCH_EXPORT_RECORDS=2000 \
        BENCH_EXPORT_MEMORY_RECORDS=0 BENCH_OUTPUT=/tmp/r.md
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_accelerated import bench_accelerated  # noqa: E402
from bench_anonymise import bench_anonymise  # noqa: E402
from bench_risk import bench_risk  # noqa: E402
from datasets import Datasets, lines_of, prepare  # noqa: E402
from harness import Row, load, machine, median_seconds, run_with_peak_memory, timed_runs  # noqa: E402
from verdicts import checks, render_checks, rules_headroom  # noqa: E402

CRSVDATA = str(Path(sys.executable).parent / "crsvdata")


def bench_libraries(data: Datasets, count: int, repeat: int, sample: int) -> list[Row]:
    from crsvdata._context import STRUCTURE_ONLY
    from crsvdata.models import CaseRecord
    from crsvdata.schema.registry import load_schema, validator
    from crsvdata.validation import validate

    lines = lines_of(data.small)
    warm = lines[:1000]

    def parse_all() -> None:
        # Parse and drop, like every other row: keeping the dicts alive would charge the baseline for
        # allocation and garbage collection the other rows never pay, and flatter every ratio.
        for line in lines:
            orjson.loads(line)

    rows = [
        Row(
            "parse",
            "parse limit: orjson.loads per line (in memory)",
            count,
            median_seconds(parse_all, repeat),
        )
    ]

    def pydantic_only(chunk: list[bytes]) -> None:
        for line in chunk:
            CaseRecord.model_validate_json(line, context=STRUCTURE_ONLY)

    rows.append(
        Row(
            "pydantic",
            "pydantic model_validate_json (structure only)",
            count,
            median_seconds(lambda: pydantic_only(lines), repeat, lambda: pydantic_only(warm)),
        )
    )

    few = lines[:sample]
    python_jsonschema = validator("case-record")

    def jsonschema_python() -> None:
        for line in few:
            python_jsonschema.is_valid(orjson.loads(line))

    rows.append(
        Row(
            "python-jsonschema",
            "python-jsonschema on the committed schema",
            len(few),
            median_seconds(jsonschema_python, 1),
            f"first {len(few):,} records",
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
                "jsonschema-rs",
                "jsonschema-rs on the committed schema (one core)",
                count,
                median_seconds(jsonschema_rust, repeat),
            )
        )
    except ImportError:
        rows.append(
            Row(
                "jsonschema-rs",
                "jsonschema-rs on the committed schema (one core)",
                count,
                0.0,
                "not installed",
            )
        )

    def api(path: Path, jobs: int = 1) -> None:
        if not validate(path, jobs=jobs).valid:
            raise SystemExit("benchmark data did not validate: the benchmark would be meaningless")

    rows.append(
        Row(
            "api",
            "crsvdata.validate(path), Python API, one core",
            count,
            median_seconds(lambda: api(data.small), repeat, lambda: api(data.warm_up)),
            "full checks: duplicate keys, structure, rules",
        )
    )
    rows.append(
        Row(
            "api-no-rules",
            "the same with the rules skipped: the ceiling of any rule engine (not a mode of crsvdata)",
            count,
            median_seconds(lambda: _without_rules(api, data.small), repeat, lambda: api(data.warm_up)),
            "duplicate keys, parse and structure only; what the rules may cost is the gap to this row",
        )
    )
    rows.append(
        Row(
            "api-spaced",
            "crsvdata.validate(path), one core, the same records as json.dumps writes them",
            count,
            median_seconds(lambda: api(data.spaced), repeat, lambda: api(data.warm_up)),
            "spaces after : and , and \\u escapes: not compact, so jiter reads them",
        )
    )
    jobs = os.cpu_count() or 1
    rows.append(
        Row(
            "api-jobs",
            f"crsvdata.validate(path, jobs={jobs})",
            count,
            median_seconds(lambda: api(data.small, jobs), repeat, lambda: api(data.warm_up, jobs)),
        )
    )
    return rows


def _without_rules(api: Callable[[Path], None], path: Path) -> None:
    # Only for the ceiling row: the walk over the parsed record answers "no finding" at no cost, so the
    # row times everything else the Python API does. No option of crsvdata does this.
    from crsvdata.validation import engine

    walk = engine.findings_in_json
    engine.findings_in_json = lambda kind, document: []
    try:
        api(path)
    finally:
        engine.findings_in_json = walk


STARTUP_RUNS = 21


def bench_startup(data: Datasets) -> list[Row]:
    """How long ``crsvdata validate`` takes on a file of three records: start-up, in effect (median)."""
    three = data.warm_up.with_name("startup-3.jsonl")
    three.write_bytes(b"".join(lines_of(data.warm_up)[:3]))
    command = [CRSVDATA, "validate", str(three)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # page cache

    def once() -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    seconds = statistics.median(once() for _ in range(STARTUP_RUNS))
    note = f"median of {STARTUP_RUNS} runs; bytecode compiled as an install compiles it"
    name = "crsvdata validate, a file of 3 records (start-up)"
    return [Row("startup", name, 3, seconds, note, of_records=False)]


def compile_bytecode() -> None:
    """Compile crsvdata's modules to bytecode, as ``pip install`` does for a wheel.

    An editable install leaves that to the first import, and this machine sets PYTHONDONTWRITEBYTECODE,
    so without this every CLI process of the run would compile the sources again (about 30 ms each).
    """
    import crsvdata

    compileall.compile_dir(Path(crsvdata.__file__).parent, quiet=1)


def bench_cli(data: Datasets, count: int, repeat: int, limit: float) -> list[Row]:
    run_with_peak_memory([CRSVDATA, "validate", "--jobs", "0", str(data.warm_up)])  # page cache
    validate = [CRSVDATA, "validate", "--jobs", "0"]
    return [
        timed_runs(
            f"crsvdata validate --jobs 0 (CLI, all cores), {count:,} records",
            "cli",
            count,
            repeat,
            lambda: run_with_peak_memory([*validate, str(data.valid)], time_limit=limit),
            "wall clock incl. start-up",
        ),
        timed_runs(
            f"crsvdata validate --jobs 0 (CLI), {count:,} records, 1% invalid",
            "cli-invalid",
            count,
            repeat,
            lambda: run_with_peak_memory([*validate, str(data.invalid)], exit_codes=(1,), time_limit=limit),
            "wall clock incl. start-up; every 100th record broken, reports written",
        ),
        timed_runs(
            f"crsvdata validate --jobs 0 - (CLI, stdin), {count:,} records",
            "cli-stdin",
            count,
            repeat,
            lambda: run_with_peak_memory(
                [*validate, "-"], stdin_command=["cat", str(data.valid)], time_limit=limit
            ),
            "the valid file piped in by cat (not counted in memory)",
        ),
    ]


def render(rows: list[Row], baseline: float, header: str) -> str:
    out = [
        header,
        "",
        "| measurement | records | records/s | ratio to parse limit | peak MB (RSS / PSS) | note |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if not row.seconds:
            out.append(f"| {row.name} | {row.records:,} | – | – | – | {row.note} |")
            continue
        # A stopped run only bounds its figures: its rate from above, its peak memory from below.
        below, above = ("< ", ">= ") if not row.finished else ("", "")
        ratio = f"{below}{row.rate / baseline:.3f}" if row.of_records else "–"
        peak = f"{above}{row.peak_mb:.0f} / {row.peak_pss_mb:.0f}" if row.peak_mb is not None else ""
        out.append(
            f"| {row.name} | {row.records:,} | {below}{row.rate:,.0f} | {ratio} | {peak} | {row.note} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="records of the CLI validate rows")
    parser.add_argument("--small-records", type=int, default=50_000, help="records of the in-process rows")
    parser.add_argument("--export-records", type=int, default=20_000, help="records of the anonymise row")
    parser.add_argument(
        "--export-memory-records",
        type=int,
        default=1_000_000,
        help="records of the anonymise peak-memory row (0 skips it)",
    )
    parser.add_argument(
        "--export-memory-time-limit",
        type=float,
        default=1800.0,
        help="seconds after which the anonymise peak-memory run is stopped",
    )
    parser.add_argument("--seed", type=int, default=20240229)
    parser.add_argument(
        "--stage-records", type=int, default=5_000, help="records of the per-stage cost table (0 skips it)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each in-process row (median)")
    parser.add_argument("--process-repeat", type=int, default=1, help="runs of each CLI row (median)")
    parser.add_argument(
        "--time-limit", type=float, default=300.0, help="seconds after which a CLI run is stopped (a bound)"
    )
    parser.add_argument("--jsonschema-sample", type=int, default=2_000)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    started = time.perf_counter()
    data = prepare(
        args.records, args.small_records, args.export_records, args.seed, args.export_memory_records
    )
    compile_bytecode()
    # Gigabytes just generated are still being written back to disk: the timed rows must not share the
    # machine with that (a first run right after generation measured the in-process rows ~1.5x slower).
    os.sync()
    small = min(args.small_records, args.records)
    load_before = load()
    stages = [
        (
            "libraries and the Python API",
            lambda: bench_libraries(data, small, args.repeat, args.jsonschema_sample),
        ),
        (
            "compiled rules",
            lambda: bench_accelerated(data.small, data.warm_up, small, args.repeat),
        ),
        ("start-up", lambda: bench_startup(data)),
        ("CLI validate", lambda: bench_cli(data, args.records, args.process_repeat, args.time_limit)),
        (
            "anonymise",
            lambda: [
                *bench_anonymise(data.export, args.export_records, args.process_repeat, args.time_limit),
                *bench_anonymise(
                    data.persons,
                    args.export_records,
                    args.process_repeat,
                    args.time_limit,
                    "anonymise-persons",
                    ", one survivor per record",
                ),
                *bench_anonymise(
                    data.export,
                    args.export_records,
                    args.process_repeat,
                    args.time_limit,
                    "anonymise-jobs",
                    " --jobs 0 (all cores)",
                    ("--jobs", "0"),
                ),
            ],
        ),
        (
            "anonymise peak memory",
            lambda: (
                []
                if data.export_memory is None
                else bench_anonymise(
                    data.export_memory,
                    args.export_memory_records,
                    1,
                    args.export_memory_time_limit,
                    "anonymise-memory",
                    f", {args.export_memory_records:,} records (for its peak memory)",
                )
            ),
        ),
        ("measure_risk", lambda: bench_risk(args.seed, args.repeat)),
    ]
    stage_text = ""
    rows: list[Row] = []
    timing = []
    for title, stage in stages:
        stage_start = time.perf_counter()
        print(f"timing: {title}", flush=True)
        rows += stage()
        timing.append(f"{title} {time.perf_counter() - stage_start:.0f} s")
    if args.stage_records:
        from stages import stage_table

        stage_start = time.perf_counter()
        print("timing: per-stage cost (benchmarks/stages.py)", flush=True)
        stage_text = stage_table(args.stage_records, args.seed, data.small)
        timing.append(f"per-stage cost {time.perf_counter() - stage_start:.0f} s")
    baseline = rows[0].rate
    header = (
        f"# crsvdata benchmark results\n\nMachine: {machine()}\n\n"
        f"Run: rich synthetic case records (seed {args.seed}); CLI validate rows on {args.records:,}, "
        f"in-process rows on the first {small:,}, anonymise on {args.export_records:,} "
        f"(its peak memory also on {args.export_memory_records:,}); median of "
        f"{args.repeat} in-process and {args.process_repeat} process run(s); "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load_before} before the "
        f"timed rows, {load()} after. Ratios are to orjson.loads per line in this run. Stage times: "
        f"{', '.join(timing)}; whole run {time.perf_counter() - started:.0f} s including generation."
    )
    text = render(rows, baseline, header)
    if stage_text:
        text += "\n\n## Where one valid record's time goes (benchmarks/stages.py)\n\n" + stage_text
    verdict = render_checks(checks(rows, baseline))
    headroom = rules_headroom(rows, baseline)
    if headroom:
        verdict += "\n\n" + headroom
    print(text)
    print()
    print(verdict)
    args.output.write_text(text + "\n\n" + verdict + "\n", "utf-8")
    print(f"\nwritten: {args.output}")
    ratios = {row.key: round(row.rate / baseline, 4) for row in rows if row.seconds and row.of_records}
    print(json.dumps(ratios, indent=1))


if __name__ == "__main__":
    main()
