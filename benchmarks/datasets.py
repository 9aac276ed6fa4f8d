"""The benchmark's input files, generated once before anything is timed and kept in benchmarks/_data/.

Every file is named after what it holds and a digest of the code that makes it (generate.py and
crsvdata.testing), so a changed generator never reuses stale data; files of an older digest are removed,
since at 1,000,000 rich records each is about 3 GB. A file is written under a temporary name and renamed
when complete, so an interrupted run leaves no truncated file behind.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from generate import rich_pool, with_research_consent, write_records

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
SOURCES = [HERE / "generate.py", *sorted((HERE.parent / "src" / "crsvdata" / "testing").glob("*.py"))]
RECIPIENT = "synth_research_unit"
INVALID_EVERY = 100
WARM_UP_RECORDS = 1_000


@dataclass(frozen=True)
class Datasets:
    """The files of one run."""

    valid: Path
    """``records`` rich records, all valid."""
    invalid: Path
    """``records`` rich records, every 100th broken (1% invalid)."""
    small: Path
    """The first ``small_records`` of ``valid``: for the rows too slow to run on all of them."""
    warm_up: Path
    """The first 1,000 of ``valid``: warms caches before a timed row."""
    spaced: Path
    """``small`` written as Python's ``json.dumps`` writes by default (a space after ``:`` and ``,``,
    non-ASCII as ``\\u`` escapes): lines that are not in compact form take the slower clean reader."""
    export: Path
    """``export_records`` rich records, each with a research consent for the benchmark's recipient."""
    export_memory: Path | None
    """``export_memory_records`` records like ``export`` (None when that row is skipped): the peak memory
    target is on 1,000,000 records, and the whole-data search grows with them."""
    persons: Path
    """``export_records`` records of as many survivors (``crsvdata.testing.synthetic_dataset``), each with
    that research consent: the rich pool repeats a few hundred survivors, so the export's whole-data
    search there has little to do; here it has one person per record."""


def digest() -> str:
    hasher = hashlib.sha256()
    for source in SOURCES:
        hasher.update(source.read_bytes())
    return hasher.hexdigest()[:10]


def prepare(
    records: int, small_records: int, export_records: int, seed: int, export_memory_records: int = 0
) -> Datasets:
    DATA.mkdir(exist_ok=True)
    tag = digest()
    _remove_stale(tag)
    pool: list[dict[str, Any]] = []
    consenting: list[dict[str, Any]] = []

    def drawn() -> list[dict[str, Any]]:
        if not pool:
            print("drawing the pool of rich records from crsvdata.testing (not timed)", flush=True)
            pool.extend(rich_pool(seed))
        return pool

    def consenting_pool() -> list[dict[str, Any]]:
        if not consenting:
            consenting.extend(_with_consent(drawn()))
        return consenting

    def name(kind: str, count: int) -> Path:
        return DATA / f"rich-{kind}-{count}-{seed}-{tag}.jsonl"

    valid = _made(name("valid", records), lambda out: write_records(records, seed, out, pool=drawn()))
    invalid = _made(
        name("invalid100", records),
        lambda out: write_records(records, seed, out, invalid_every=INVALID_EVERY, pool=drawn()),
    )
    small = _made(name("valid", min(small_records, records)), lambda out: _head(valid, small_records, out))
    warm_up = _made(
        name("valid", min(WARM_UP_RECORDS, records)), lambda out: _head(valid, WARM_UP_RECORDS, out)
    )
    spaced = _made(name("spaced", min(small_records, records)), lambda out: _spaced(small, out))
    export = _made(
        name("export", export_records),
        lambda out: write_records(export_records, seed, out, pool=consenting_pool()),
    )
    export_memory = (
        _made(
            name("export", export_memory_records),
            lambda out: write_records(export_memory_records, seed, out, pool=consenting_pool()),
        )
        if export_memory_records
        else None
    )
    persons = _made(name("persons", export_records), lambda out: _write_persons(export_records, seed, out))
    return Datasets(valid, invalid, small, warm_up, spaced, export, export_memory, persons)


def _with_consent(pool: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from crsvdata.models import CaseRecord

    return [
        with_research_consent(
            CaseRecord.model_validate_json(orjson.dumps(document)), RECIPIENT
        ).to_json_dict()
        for document in pool
    ]


def _write_persons(count: int, seed: int, out: Path) -> None:
    from crsvdata.models import CaseRecord
    from crsvdata.testing.synthetic import synthetic_dataset

    with out.open("wb") as handle:
        for case, _identity in synthetic_dataset(count, seed):
            record = with_research_consent(CaseRecord.model_validate_json(orjson.dumps(case)), RECIPIENT)
            handle.write(orjson.dumps(record.to_json_dict()) + b"\n")


def _made(path: Path, write: Callable[[Path], None]) -> Path:
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    start = time.perf_counter()
    print(f"generating {path.name} (not timed)", flush=True)
    write(partial)
    partial.rename(path)
    print(f"  {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def _head(source: Path, count: int, out: Path) -> None:
    with source.open("rb") as lines, out.open("wb") as handle:
        handle.writelines(itertools.islice(lines, count))


def _spaced(source: Path, out: Path) -> None:
    with source.open("rb") as lines, out.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(orjson.loads(line)) + "\n")


def _remove_stale(tag: str) -> None:
    # The files of an older generator, and the plain records of the harness before issue 14.
    for old in [*DATA.glob("rich-*"), *DATA.glob("cases-*.jsonl")]:
        if not old.name.endswith(f"-{tag}.jsonl"):
            old.unlink()


def lines_of(path: Path) -> list[bytes]:
    with path.open("rb") as handle:
        return list(handle)
