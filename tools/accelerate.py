"""Compile the rule modules with mypyc: the optional accelerated build.

The rules of ``crsvdata.rules`` run once per record in bulk validation; compiled with mypyc (which reads
the same type annotations ``mypy --strict`` checks) they run as C extension modules. The pure-Python
modules stay the reference and the fallback: Python imports a compiled module when one sits beside its
``.py`` file, and the ``.py`` otherwise. ``tests/test_accelerated_rules.py`` compiles a copy and checks
that both give identical findings.

    python -m tools.accelerate            compile in place, beside the sources (src/crsvdata/...)
    python -m tools.accelerate --clean    remove the compiled modules again
    python -m tools.accelerate --into DIR compile a copy of the package under DIR (used by the test)

Needs mypy (it brings mypyc) and a C compiler; both are in the ``dev`` extra and on the build machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"

ACCELERATED = ("crsvdata/dates.py", "crsvdata/rules", "crsvdata/validation/rule_walk.py")
"""What is compiled, relative to the source root: the rules, the partial dates they compare and the
generated walk that calls them over a parsed document."""


def modules(source_root: Path) -> list[Path]:
    """The module files to compile under ``source_root`` (package ``__init__`` files stay Python)."""
    found: list[Path] = []
    for entry in ACCELERATED:
        path = source_root / entry
        found += sorted(p for p in path.glob("*.py") if p.name != "__init__.py") if path.is_dir() else [path]
    return found


def compiled_files(source_root: Path) -> list[Path]:
    """The compiled extension modules (and mypyc's shared runtime) present under ``source_root``."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    found = [module.with_suffix(suffix) for module in modules(source_root)]
    found += sorted(source_root.glob(f"*__mypyc*{suffix}"))
    return [path for path in found if path.exists()]


def compile_in(source_root: Path) -> list[Path]:
    """Compile the accelerated modules under ``source_root`` in place; return the extension files."""
    targets = [str(path.relative_to(source_root)) for path in modules(source_root)]
    environment = dict(os.environ, MYPYPATH=str(source_root))
    try:
        subprocess.run(
            [sys.executable, "-m", "mypyc", *targets],
            cwd=source_root,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    finally:
        # mypyc leaves its C sources and objects in ./build: keep them out of the source tree.
        shutil.rmtree(source_root / "build", ignore_errors=True)
    return compiled_files(source_root)


def clean(source_root: Path) -> list[Path]:
    """Remove the compiled modules under ``source_root``; return what was removed."""
    removed = compiled_files(source_root)
    for path in removed:
        path.unlink()
    return removed


def copy_package(destination: Path) -> Path:
    """A copy of ``src/crsvdata`` (sources only) under ``destination``; returns the new source root."""
    shutil.copytree(
        SOURCE / "crsvdata",
        destination / "crsvdata",
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"),
    )
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.accelerate", description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    parser.add_argument("--into", type=Path, help="compile a copy of the package under this folder")
    options = parser.parse_args(argv)
    if options.clean:
        removed = clean(SOURCE)
        print(f"removed {len(removed)} compiled module(s); the pure-Python rules are used again")
        return 0
    root = copy_package(options.into) if options.into else SOURCE
    built = compile_in(root)
    print(f"compiled {len(built)} module(s) under {root}: " + ", ".join(p.name for p in built))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
