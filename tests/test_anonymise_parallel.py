"""Both passes of ``export_file(jobs=N)`` on several processes give what one process gives, or fail alike.

Each example cuts a file into many small parts (the smallest part is patched down from 64 KiB) and the
second pass into small chunks, so the records of one export are read, checked, built and finished by
several processes, and compares the output, the manifest and any error with ``jobs=1``. Broken lines
are put anywhere: the first one must stop both runs with the same message and code.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from anonymise_strategies import KEY, KEY_BYTES
from crsvdata.anonymise import ExportProfile, Recipient
from crsvdata.anonymise import parallel as parallel_export
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.export import export_file, today
from crsvdata.anonymise.parallel import can_run_in_parallel
from crsvdata.anonymise.records import ExportRequest
from crsvdata.cli import main
from crsvdata.io import InputError
from crsvdata.validation import parallel as line_parts

ROOT = Path(__file__).parents[1]
CASES = ROOT / "examples/synthetic/case-records.jsonl"
IDENTITIES = ROOT / "examples/synthetic/identity-records.jsonl"
DEMO_KEY = ROOT / "examples/keys/demo.key"
RECIPIENT = Recipient("test_recipient")
LINES = CASES.read_bytes().splitlines(keepends=True)
TOKEN_OUTPUTS = ("record_ref", "survivor_ref", "perpetrator_ref")
"""Output keys of keyed pseudonyms: random per record under an unlinkable profile, so masked."""

BROKEN_LINES = (
    b"{not json\n",
    b'{"record_id": "SYNTH-1", "record_id": "SYNTH-2"}\n',
    b"[]\n",
    b'{"document_type": "case-record"}\n',
    b"\xff\xfe\n",
)


def _outcome(source: Path, target: Path, profile: str, jobs: int, **options: Any) -> tuple[Any, ...]:
    """What an export gives: (output, manifest) or the error's (type, code, message)."""
    for stale in (target, target.with_name(target.name + ".manifest.json")):
        stale.unlink(missing_ok=True)
    try:
        manifest = export_file(
            source, target, profile, keys=KEY, recipient=RECIPIENT, on=today(), jobs=jobs, **options
        )
    except (AnonymisationError, InputError) as exc:
        assert not target.exists()
        return type(exc).__name__, exc.code, str(exc)
    written = manifest.to_dict()
    written.pop("created_at")
    output = target.read_bytes()
    if ExportProfile.load(profile).pseudonym_mode == "unlinkable":
        output = _masked(output)
        written["output"].pop("sha256")
    return output, written


def _masked(output: bytes) -> bytes:
    def mask(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: "token" if k in TOKEN_OUTPUTS else mask(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mask(item) for item in value]
        return value

    return b"".join(json.dumps(mask(json.loads(line))).encode() + b"\n" for line in output.splitlines())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    profile=st.sampled_from(["investigation", "reparations", "research"]),
    take=st.integers(40, len(LINES)),
    jobs=st.integers(2, 3),
    smallest_part=st.sampled_from([512, 4096, 20_000]),
    broken=st.none() | st.tuples(st.integers(0, 10**6), st.sampled_from(BROKEN_LINES)),
    blank_lines=st.booleans(),
    chunk=st.sampled_from([1, 7, 256]),
)
def test_the_parallel_first_pass_gives_what_one_process_gives(
    tmp_path: Path,
    profile: str,
    take: int,
    jobs: int,
    smallest_part: int,
    broken: tuple[int, bytes] | None,
    blank_lines: bool,
    chunk: int,
) -> None:
    lines = list(LINES[:take])
    if blank_lines:
        lines[1::7] = [b"\n" + line for line in lines[1::7]]
    if broken is not None:
        at, line = broken
        lines.insert(at % (len(lines) + 1), line)
    source = tmp_path / "cases.jsonl"
    source.write_bytes(b"".join(lines))
    one = _outcome(source, tmp_path / "one.jsonl", profile, 1)
    parts = _PartCounter()
    with (
        patch.object(line_parts, "_MIN_RANGE_BYTES", smallest_part),
        patch.object(line_parts, "_file_parts", parts.wrap(line_parts._file_parts)),
        patch.object(parallel_export, "_FINISHED_PER_TASK", chunk),
    ):
        several = _outcome(source, tmp_path / "several.jsonl", profile, jobs)
    assert several == one
    event(one[1] if isinstance(one[0], str) else "exported")
    if broken is not None:
        assert one[0] == "InvalidInputError"
    else:
        assert parts.count >= 2, "the file should have been cut into several parts"


class _PartCounter:
    def __init__(self) -> None:
        self.count = 0

    def wrap(self, cut: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def counted(*args: Any) -> Iterator[Any]:
            for part in cut(*args):
                self.count += 1
                yield part

        return counted


def test_the_first_broken_line_stops_the_export_wherever_it_is(tmp_path: Path) -> None:
    lines = list(LINES)
    lines[len(lines) - 7] = b'{"document_type": "case-record"}\n'
    lines[len(lines) - 3] = b"{not json\n"
    source = tmp_path / "cases.jsonl"
    source.write_bytes(b"".join(lines))
    one = _outcome(source, tmp_path / "one.jsonl", "research", 1)
    assert one[:2] == ("InvalidInputError", "schema.required")
    assert f"line {len(lines) - 6}:" in one[2]
    with patch.object(line_parts, "_MIN_RANGE_BYTES", 1024):
        assert _outcome(source, tmp_path / "several.jsonl", "research", 3) == one


def test_identities_are_read_by_every_process(tmp_path: Path) -> None:
    # The investigation profile redacts narratives with each survivor's own identity values.
    source = tmp_path / "cases.jsonl"
    source.write_bytes(b"".join(LINES))
    one = _outcome(source, tmp_path / "one.jsonl", "investigation", 1, identities=IDENTITIES)
    with (
        patch.object(line_parts, "_MIN_RANGE_BYTES", 4096),
        patch.object(parallel_export, "_FINISHED_PER_TASK", 5),
    ):
        several = _outcome(source, tmp_path / "several.jsonl", "investigation", 2, identities=IDENTITIES)
    assert several == one
    assert one[1]["values"]["redacted"], "the examples' narratives should have been redacted"


def test_a_file_of_blank_lines_is_empty_for_every_number_of_processes(tmp_path: Path) -> None:
    source = tmp_path / "blank.jsonl"
    source.write_bytes(b"\n \n\t\n" * 20_000)
    one = _outcome(source, tmp_path / "one.jsonl", "research", 1)
    assert one[:2] == ("InputError", "input.empty")
    assert _outcome(source, tmp_path / "several.jsonl", "research", 2) == one


def test_only_a_profile_a_worker_can_load_again_runs_in_parallel() -> None:
    loaded = ExportProfile.load("research")
    built = ExportProfile.from_toml((ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_bytes())
    assert loaded.origin == "research"
    assert built.origin is None
    assert can_run_in_parallel(ExportRequest(loaded, RECIPIENT, today(), KEY))
    assert not can_run_in_parallel(ExportRequest(built, RECIPIENT, today(), KEY))
    assert not can_run_in_parallel(ExportRequest(loaded, RECIPIENT, today(), None))
    assert not can_run_in_parallel(ExportRequest(loaded, RECIPIENT, today(), KEY, random_bytes=bytes))


def test_a_profile_file_is_loaded_again_from_its_absolute_path(tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_bytes((ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_bytes())
    loaded = ExportProfile.load(copy)
    assert loaded.origin == copy.resolve()
    assert ExportProfile.load(loaded.origin) == loaded


def test_a_key_ring_is_never_pickled() -> None:
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(KEY)


@pytest.mark.parametrize("jobs", ["0", "3"])
def test_the_command_line_gives_the_same_export_with_jobs(tmp_path: Path, jobs: str) -> None:
    def run(out: Path, *options: str) -> tuple[bytes, dict[str, Any]]:
        command = ["anonymise", "--profile", "investigation", "--demo", "--key-file", str(DEMO_KEY)]
        result = CliRunner().invoke(
            main, [*command, "--recipient", "test_recipient", *options, str(CASES), str(out)]
        )
        assert result.exit_code == 0, result.output
        manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
        manifest.pop("created_at")
        return out.read_bytes(), manifest

    with patch.object(line_parts, "_MIN_RANGE_BYTES", 8192):
        assert run(tmp_path / "several.jsonl", "--jobs", jobs) == run(tmp_path / "one.jsonl")


def test_the_workers_finish_records_at_the_levels_the_search_chose(tmp_path: Path) -> None:
    # Ages may leave exact: the search must coarsen them, and whether a written age counts as
    # generalised depends on the level it chose, which the workers of the second pass must be told.
    research = (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text()
    fine = research.replace(
        'levels = ["band", "child_adult", "suppressed"]', 'levels = ["years", "child_adult"]'
    )
    assert fine != research
    profile = tmp_path / "research-years.toml"
    profile.write_text(fine)
    source = tmp_path / "cases.jsonl"
    source.write_bytes(b"".join(LINES))
    one = _outcome(source, tmp_path / "one.jsonl", str(profile), 1)
    assert one[1]["disclosure"]["levels"]["survivor.age"] == "child_adult"
    assert one[1]["values"]["generalised"]["survivor.age"] > 0
    with (
        patch.object(line_parts, "_MIN_RANGE_BYTES", 4096),
        patch.object(parallel_export, "_FINISHED_PER_TASK", 5),
    ):
        assert _outcome(source, tmp_path / "several.jsonl", str(profile), 2) == one


def test_a_worker_spec_never_shows_its_keys() -> None:
    request = ExportRequest(ExportProfile.load("research"), RECIPIENT, today(), KEY)
    spec = parallel_export.ParallelExport(request, CASES, None, 2).spec
    assert KEY_BYTES.hex() not in repr(spec)
    assert repr(KEY_BYTES) not in repr(spec)
    assert "keys" not in repr(spec)


def test_workers_started_afresh_give_the_same_export(tmp_path: Path) -> None:
    # Under spawn (macOS, Windows) and forkserver (Linux from Python 3.14) a worker inherits nothing:
    # everything it needs must reach it pickled, and it imports crsvdata itself.
    source = tmp_path / "cases.jsonl"
    source.write_bytes(b"".join(LINES))
    one = _outcome(source, tmp_path / "one.jsonl", "investigation", 1, identities=IDENTITIES)
    pools: list[ProcessPoolExecutor] = []

    def spawning(*args: Any, **options: Any) -> ProcessPoolExecutor:
        pools.append(ProcessPoolExecutor(*args, mp_context=multiprocessing.get_context("spawn"), **options))
        return pools[-1]

    with (
        patch.object(line_parts, "ProcessPoolExecutor", spawning),
        patch.object(line_parts, "_MIN_RANGE_BYTES", 8192),
        patch.object(parallel_export, "_FINISHED_PER_TASK", 16),
    ):
        several = _outcome(source, tmp_path / "several.jsonl", "investigation", 2, identities=IDENTITIES)
    assert several == one
    assert len(pools) == 2, "both passes should have started their workers afresh"
