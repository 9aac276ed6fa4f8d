"""crsvdata as an installed package: ``python -m crsvdata``, ``-V``, missing extras, licence and metadata."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crsvdata.errors import CrsvError, MissingExtraError, require_extra
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.version import STANDARD_VERSION, __version__

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "synthetic" / "case-records.jsonl"

REFUSE_MODULE = """
import sys

class RefuseModule:
    # Behaves as if {name!r} were not installed, whatever the environment holds.
    def find_spec(self, fullname, path=None, target=None):
        if fullname == {name!r} or fullname.startswith({name!r} + "."):
            raise ModuleNotFoundError(f"No module named {{fullname!r}}", name=fullname)
        return None

sys.meta_path.insert(0, RefuseModule())
"""


def _python(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    # This checkout's source first, so the subprocess runs the code under test.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, *(["-c", code] if code is not None else []), *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_python_dash_m_prints_both_versions(flag: str) -> None:
    completed = _python("-m", "crsvdata", flag)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"crsvdata {__version__} (standard {STANDARD_VERSION})"


def test_python_dash_m_runs_the_commands() -> None:
    completed = _python(
        "-m", "crsvdata", "validate", str(ROOT / "examples" / "cases" / "prisoner-of-war.json")
    )
    assert completed.returncode == 0, completed.stderr
    assert "valid" in completed.stdout
    usage = _python("-m", "crsvdata", "--help")
    assert usage.stdout.startswith("Usage: crsvdata "), usage.stdout


def test_testing_without_hypothesis_names_its_extra() -> None:
    code = REFUSE_MODULE.format(name="hypothesis") + (
        "try:\n"
        "    import crsvdata.testing\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(type(exc).__name__, exc.name, exc.code, exc, sep='|')\n"
    )
    completed = _python(code=code)
    assert completed.returncode == 0, completed.stderr
    kind, module, error_code, message = completed.stdout.strip().split("|")
    assert (kind, module, error_code) == ("MissingExtraError", "hypothesis", "library.missing_extra")
    assert "pip install 'crsvdata[testing]'" in message


def test_dp_statistics_without_opendp_is_one_line_and_a_failure(tmp_path: Path) -> None:
    entry = "from crsvdata.cli import main\nmain(prog_name='crsvdata')\n"
    target = tmp_path / "table.csv"
    code = REFUSE_MODULE.format(name="opendp") + entry
    completed = _python("stats", "--method", "dp", "--by", "sex", str(EXAMPLES), str(target), code=code)
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert "disclosure.dp_unavailable" in lines[0]
    assert 'pip install "crsvdata[dp]"' in lines[0]
    assert not target.exists()


def test_missing_extra_error_is_both_an_import_error_and_a_crsvdata_error() -> None:
    with pytest.raises(MissingExtraError) as caught:
        require_extra("crsvdata_no_such_module", extra="docs", feature="the docs build")
    error = caught.value
    assert isinstance(error, ModuleNotFoundError)
    assert isinstance(error, CrsvError)
    assert error.name == "crsvdata_no_such_module"
    assert error.code in ISSUE_CODES
    assert "pip install 'crsvdata[docs]'" in error.message
    require_extra("json", extra="docs", feature="never raised: json is in the standard library")


def test_licence_files_and_project_urls_are_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "Apache License" in (ROOT / "LICENSE").read_text("utf-8")
    assert "Copyright 2026 The crsvdata authors" in (ROOT / "NOTICE").read_text("utf-8")
    urls = project["urls"]
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog", "Security"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    for document in ("SECURITY.md", "CONTRIBUTING.md"):
        assert (ROOT / document).is_file(), document


DEMO_MAX_LINES = 40
"""The quick start promises a short demo: its whole output (stdout and stderr) stays under this."""


@pytest.mark.demo
def test_the_demo_script_succeeds_in_under_40_lines() -> None:
    # The commands `make demo` runs, with this environment's crsvdata instead of a fresh venv's.
    command = Path(sys.executable).parent / "crsvdata"
    if not command.exists():
        pytest.skip(f"no crsvdata console script beside {sys.executable}")
    env = {
        **os.environ,
        "CRSVDATA": str(command),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    completed = subprocess.run(
        [str(ROOT / "examples" / "demo.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout
    lines = completed.stdout.splitlines()
    assert len(lines) < DEMO_MAX_LINES, completed.stdout
    assert "-> exit code 1 (invalid), as expected" in lines
    assert not any(line.lstrip().startswith("{") for line in lines), "the manifest JSON is printed"
    assert any(line.startswith("records in 500, out ") for line in lines), completed.stdout
