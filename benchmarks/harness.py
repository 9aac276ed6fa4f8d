"""What every benchmark row shares: the row itself, a median timer, and a process timer with peak memory."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.05


@dataclass
class Row:
    """One line of the results table; ``key`` names it for the verdicts, ``name`` describes it."""

    key: str
    name: str
    records: int
    seconds: float
    note: str = ""
    peak_mb: float | None = None
    """Peak of the summed RSS of the process and its children (shared pages count once per process)."""
    peak_pss_mb: float | None = None
    """Peak of the summed PSS (shared pages split between the processes sharing them)."""
    identical: bool | None = None
    """For a row checked against a reference in the same run: whether the results were identical."""
    finished: bool = True
    """False when the process was stopped at its time limit: ``seconds`` is then the limit, ``rate`` an
    upper bound and the peaks lower bounds."""
    of_records: bool = True
    """False for a row over another table (measure_risk): its rate is not comparable to the parse limit."""

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else float("inf")


def median_seconds(
    work: Callable[[], object], repeat: int, warm_up: Callable[[], object] | None = None
) -> float:
    """The median wall time of ``repeat`` runs of ``work``, after one untimed ``warm_up`` (default: ``work``).

    The warm-up pays imports, caches and the page cache, which must not count against the first run; a
    smaller warm-up than the work itself keeps slow rows affordable."""
    (warm_up or work)()
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class Run:
    """One timed process: wall seconds from start to exit (or to the time limit), and its peak memory."""

    seconds: float
    peak_mb: float
    peak_pss_mb: float
    finished: bool = True


def run_with_peak_memory(
    command: list[str],
    *,
    stdin_command: list[str] | None = None,
    exit_codes: Collection[int] = (0,),
    time_limit: float | None = None,
) -> Run:
    """Run ``command`` (its stdin fed by ``stdin_command``'s stdout, if given), sampling the memory of its
    process tree every 50 ms; the feeder is not part of the tree and is not counted.

    After ``time_limit`` seconds the command, its workers and the feeder are stopped: a row that cannot
    finish in the time the whole benchmark may take still yields an upper bound of its rate."""
    import psutil

    feeder = subprocess.Popen(stdin_command, stdout=subprocess.PIPE) if stdin_command else None
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=feeder.stdout if feeder else subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    if feeder and feeder.stdout:
        feeder.stdout.close()  # the command alone holds the pipe: it sees the end when the feeder ends
    peak_rss = peak_pss = 0
    watched = psutil.Process(process.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not stop.is_set():
            rss = pss = 0
            try:
                for member in (watched, *watched.children(recursive=True)):
                    try:
                        info = member.memory_full_info()
                    except psutil.Error:
                        continue  # a worker that ended between listing and reading
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            except psutil.Error:
                pass
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    finished = True
    try:
        code = process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        finished = False
        _stop_tree(watched)
        code = process.wait()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if feeder:
        if not finished:
            feeder.kill()
        feeder.wait()
    if finished and code not in exit_codes:
        raise SystemExit(f"{' '.join(command)} exited {code}, expected {sorted(exit_codes)}")
    return Run(seconds, peak_rss / 1024 / 1024, peak_pss / 1024 / 1024, finished)


def _stop_tree(process: Any) -> None:
    """Kill a process this harness started, and its workers, by their ids."""
    import psutil

    try:
        members = [*process.children(recursive=True), process]
    except psutil.Error:
        members = [process]
    for member in members:
        with contextlib.suppress(psutil.Error):
            member.kill()


def timed_runs(name: str, key: str, records: int, repeat: int, run: Callable[[], Run], note: str = "") -> Row:
    """A row from ``repeat`` process runs: the median time, the highest peak memory of any run.

    A run stopped at the time limit ends the repeats: the row is then that run's bounds."""
    runs: list[Run] = []
    for _ in range(max(repeat, 1)):
        runs.append(run())
        if not runs[-1].finished:
            runs = runs[-1:]
            note = f"stopped at the time limit of {runs[0].seconds:.0f} s; {note}"
            break
    return Row(
        key,
        name,
        records,
        statistics.median(r.seconds for r in runs),
        note,
        max(r.peak_mb for r in runs),
        max(r.peak_pss_mb for r in runs),
        finished=runs[0].finished,
    )


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
        for name in ("crsvdata", "pydantic", "orjson", "jiter", "jsonschema", "jsonschema-rs", "pandas")
        if _installed(name)
    )
    system = f"{platform.platform()}; {cpu}; {os.cpu_count()} cores"
    return f"{system}; Python {platform.python_version()}; {versions}"


def load() -> str:
    """The 1-minute load average: the machine is shared, and a busy neighbour lowers every ratio."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
