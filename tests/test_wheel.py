"""The built wheel works on its own: installed in a fresh virtual environment, offline, outside the checkout.

The wheel is built from this checkout with hatchling, installed with ``--no-index --no-deps`` into a new
virtual environment whose only view of the dependencies is this environment's site-packages (a ``.pth``
line: the editable crsvdata of the checkout is not visible there), and a ``sitecustomize`` refuses every
socket connection. The commands then run from an empty folder, so nothing can be read from the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from crsvdata.version import STANDARD_VERSION

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLES = REPOSITORY / "examples"

_NO_NETWORK = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("the wheel test forbids network access")

socket.socket.connect = _refuse
socket.create_connection = _refuse
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("crsvdata-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh environment with only the wheel installed."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "sitecustomize.py").write_text(_NO_NETWORK, "utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # Dependencies come from this environment, after the wheel, so the checkout's crsvdata never shadows it.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return home / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    # The console script is not installed by `pip --target`; the same entry point is called directly.
    entry = "import sys; from crsvdata.cli import main; sys.argv[0] = 'crsvdata'; main()"
    return subprocess.run(
        [str(bin_dir / "python"), "-c", entry, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_wheel_ships_the_runtime_package_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert f"crsvdata/_schemas/{STANDARD_VERSION}/case-record.schema.json" in names
    assert "crsvdata/anonymise/profiles/research.toml" in names
    assert "crsvdata/geography/data/katotth.txt" in names  # the vendored codifier
    assert not [n for n in names if n.startswith(("tools/", "docs/", "tests/"))]
    assert not [
        n for n in names if n.endswith(("dev.py", "conformance.py", "docs_reference.py", "_generate.py"))
    ]


def test_installed_wheel_imports_from_its_own_folder(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import crsvdata.schema.published as p, crsvdata; "
            "print(crsvdata.__file__); print(p.schemas_root())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    package_file, schemas = result.stdout.split()
    assert str(REPOSITORY / "src") not in package_file
    assert Path(schemas).is_dir()
    assert not Path(schemas).is_symlink()


def test_installed_wheel_validates_exports_schemas_and_anonymises_offline(
    installed: Path, tmp_path: Path
) -> None:
    checked = _run(installed, tmp_path, "validate", str(EXAMPLES / "synthetic" / "case-records.jsonl"))
    assert checked.returncode == 0, checked.stderr
    assert "valid" in checked.stdout

    exported = _run(installed, tmp_path, "schema", "export", "out")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / STANDARD_VERSION / "case-record.schema.json").read_bytes() == (
        REPOSITORY / "schemas" / STANDARD_VERSION / "case-record.schema.json"
    ).read_bytes()

    key = tmp_path / "demo.key"
    shutil.copy(EXAMPLES / "keys" / "demo.key", key)
    key.chmod(0o600)
    anonymised = _run(
        installed,
        tmp_path,
        "anonymise",
        "--profile",
        "research",
        "--demo",
        "--key-file",
        str(key),
        "--recipient",
        "synth_research_unit",
        str(EXAMPLES / "synthetic" / "case-records.jsonl"),
        "research.jsonl",
    )
    assert anonymised.returncode == 0, anonymised.stderr
    assert (tmp_path / "research.jsonl").stat().st_size > 0
    assert "DEMO EXPORT" in anonymised.stdout

    # Without --demo the installed command refuses the public key, with its code and no traceback.
    refused = _run(
        installed,
        tmp_path,
        "anonymise",
        "--profile",
        "research",
        "--key-file",
        str(key),
        str(EXAMPLES / "synthetic" / "case-records.jsonl"),
        "refused.jsonl",
    )
    assert refused.returncode == 2
    assert "anonymise.key_demo" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "refused.jsonl").exists()
