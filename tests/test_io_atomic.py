"""Outputs appear whole or not at all, and never replace an input (failure class 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crsvdata.cli import main
from crsvdata.io import OutputError, atomic_writer, refuse_unsafe_outputs
from crsvdata.io import atomic as atomic_module

ROOT = Path(__file__).parents[1]
CASES = ROOT / "examples/synthetic/case-records.jsonl"
KEY = ROOT / "examples/keys/demo.key"

WRITER = """
import sys, time
from pathlib import Path
from crsvdata.io import atomic_writer
with atomic_writer(Path(sys.argv[1]), "w") as handle:
    for number in range(225):
        handle.write('{"record_ref": "SYNTH-%d"}\\n' % number)
    handle.flush()
    print("written", flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize("unnamed", [True, False], ids=["o_tmpfile", "fallback"])
def test_a_killed_writer_leaves_no_readable_records(tmp_path: Path, unnamed: bool) -> None:
    target = tmp_path / "out.jsonl"
    script = WRITER
    if not unnamed:
        script = "import crsvdata.io.atomic as a; a._open_unnamed = lambda d: None\n" + WRITER
    process = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "written"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    left = [path for path in tmp_path.iterdir() if path.is_file()]
    if unnamed:
        # The records were in an unnamed inode: nothing with a name holds them.
        assert left == []
    else:
        # The fallback cannot survive SIGKILL without a name; it is at least private and marked partial.
        assert all(path.name.endswith(".partial.tmp") and path.stat().st_mode & 0o077 == 0 for path in left)
    assert not target.exists()


def test_o_tmpfile_is_used_where_the_kernel_has_it(tmp_path: Path) -> None:
    if getattr(os, "O_TMPFILE", None) is None:
        pytest.skip("no O_TMPFILE on this platform")
    seen: list[list[str]] = []
    with atomic_writer(tmp_path / "x.txt") as handle:
        handle.write("data")
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
    assert seen == [[]]
    assert (tmp_path / "x.txt").read_text() == "data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["o_tmpfile", "fallback"])
def test_a_failed_write_leaves_nothing_and_keeps_the_old_file(
    tmp_path: Path, unnamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not unnamed:
        monkeypatch.setattr(atomic_module, "_open_unnamed", lambda directory: None)
    target = tmp_path / "out.txt"
    target.write_text("old")

    def fail_half_way() -> None:
        with atomic_writer(target) as handle:
            handle.write("new, partial")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert target.read_text() == "old"
    with atomic_writer(target, "wb") as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


# --- outputs that are inputs ---------------------------------------------------------------------------

ALIASES = st.sampled_from(["same", "symlink", "hardlink", "dotdot", "other"])


def _alias(tmp_path: Path, original: Path, how: str) -> Path:
    if how == "same":
        return original
    if how == "dotdot":
        return original.parent / "sub" / ".." / original.name
    alias = tmp_path / f"alias-{how}"
    alias.unlink(missing_ok=True)
    if how == "symlink":
        alias.symlink_to(original)
    elif how == "hardlink":
        os.link(original, alias)
    return alias


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(how=ALIASES, role=st.sampled_from(["the input", "the identities file", "the key file"]))
def test_an_output_resolving_to_an_input_is_refused(tmp_path: Path, how: str, role: str) -> None:
    (tmp_path / "sub").mkdir(exist_ok=True)
    original = tmp_path / "in.jsonl"
    original.write_text("{}\n")
    output = _alias(tmp_path, original, how)
    inputs = {"the input": tmp_path / "x", "the identities file": None, "the key file": None, role: original}
    if how == "other":
        refuse_unsafe_outputs({"OUT": output}, inputs)
        return
    with pytest.raises(OutputError) as info:
        refuse_unsafe_outputs({"OUT": output}, inputs)
    assert info.value.code == "output.overwrites_input"
    assert role in info.value.message


def _anonymise(tmp_path: Path, *args: str) -> tuple[int, str]:
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
            "synth_org",
            *args,
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "arrange",
    ["out_is_in", "out_is_identities", "out_is_key", "manifest_is_in", "manifest_is_out", "default_manifest"],
)
def test_anonymise_never_writes_over_what_it_reads(tmp_path: Path, arrange: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(CASES.read_bytes())
    identities = tmp_path / "ids.jsonl"
    identities.write_bytes((ROOT / "examples/synthetic/identity-records.jsonl").read_bytes())
    key = tmp_path / "k.key"
    key.write_bytes(KEY.read_bytes())
    out, manifest = tmp_path / "out.jsonl", None
    if arrange == "out_is_in":
        out = source
    elif arrange == "out_is_identities":
        out = identities
    elif arrange == "out_is_key":
        out = key
    elif arrange == "manifest_is_in":
        manifest = source
    elif arrange == "manifest_is_out":
        manifest = out
    else:
        # The default manifest (OUT.manifest.json) would be the input.
        source = source.rename(tmp_path / "out.jsonl.manifest.json")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    extra = ["--manifest", str(manifest)] if manifest else []
    status, output = _anonymise(
        tmp_path, "--key-file", str(key), "--identities", str(identities), *extra, str(source), str(out)
    )
    assert status == 2
    assert "output.overwrites_input" in output or "output.same_as_output" in output
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_stats_never_writes_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(CASES.read_bytes())
    result = CliRunner().invoke(main, ["stats", "--by", "sex", str(source), str(source)])
    assert result.exit_code == 2
    assert "output.overwrites_input" in result.output
    assert source.read_bytes() == CASES.read_bytes()


def test_the_python_api_refuses_to_write_an_export_over_its_input(tmp_path: Path) -> None:
    from crsvdata.aggregate import statistics_file
    from crsvdata.anonymise import Recipient, export_file
    from crsvdata.io import OutputError

    source = tmp_path / "cases.jsonl"
    original = (
        Path(__file__).resolve().parents[1] / "examples" / "synthetic" / "case-records.jsonl"
    ).read_bytes()
    source.write_bytes(original)
    with pytest.raises(OutputError):
        export_file(source, source, "investigation", keys=None, recipient=Recipient("synth_prosecutor"))
    with pytest.raises(OutputError):
        statistics_file(source, tmp_path / "t.csv", manifest_path=source)
    assert source.read_bytes() == original
