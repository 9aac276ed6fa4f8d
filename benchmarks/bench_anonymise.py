"""The anonymisation row: `crsvdata anonymise --profile research` as a process, time and peak memory."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from datasets import RECIPIENT
from harness import Row, Run, run_with_peak_memory, timed_runs

ROOT = Path(__file__).resolve().parent.parent


def bench_anonymise(
    export: Path,
    records: int,
    repeat: int,
    limit: float,
    row_key: str = "anonymise",
    what: str = "",
    options: tuple[str, ...] = (),
) -> list[Row]:
    crsvdata = str(Path(sys.executable).parent / "crsvdata")
    key = ROOT / "examples" / "keys" / "demo.key"
    command = [
        crsvdata,
        "anonymise",
        "--profile",
        "research",
        "--demo",
        "--key-file",
        str(key),
        "--recipient",
        RECIPIENT,
        *options,
    ]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "research.jsonl"

        def once() -> Run:
            out.unlink(missing_ok=True)
            return run_with_peak_memory([*command, str(export), str(out)], time_limit=limit)

        row = timed_runs(
            f"crsvdata anonymise --profile research (CLI){what}",
            row_key,
            records,
            repeat,
            once,
            f"wall clock incl. start-up; every record carries a research consent for {RECIPIENT}",
        )
    return [row]
