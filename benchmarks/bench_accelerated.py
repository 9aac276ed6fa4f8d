"""The Python API row again, with the optional compiled build (``make accelerate``): what mypyc adds.

The build is made in a temporary copy of the package (``python -m tools.accelerate --into DIR``), never in
the checkout, and timed in a child process that imports that copy; the child refuses to time anything
unless the compiled modules are what it really imported. A machine without a C compiler or mypy gets a
row saying the build was not made, not a figure.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import Row

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_TIMED = """
import json, statistics, sys, sysconfig, time
from pathlib import Path
import crsvdata, crsvdata.rules.record
from crsvdata.validation import validate
root, small, warm, repeat = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
if not Path(crsvdata.__file__).is_relative_to(root):
    raise SystemExit(f"imported crsvdata from {crsvdata.__file__}, not from the compiled copy")
if not crsvdata.rules.record.__file__.endswith(sysconfig.get_config_var("EXT_SUFFIX")):
    raise SystemExit("the rules of the copy are not compiled")
if not validate(warm).valid:
    raise SystemExit("benchmark data did not validate")
times = []
for _ in range(max(repeat, 1)):
    start = time.perf_counter()
    if not validate(small).valid:
        raise SystemExit("benchmark data did not validate")
    times.append(time.perf_counter() - start)
print(json.dumps({"seconds": statistics.median(times)}))
"""

NAME = "crsvdata.validate(path), Python API, one core, compiled rules (make accelerate)"


def bench_accelerated(small: Path, warm_up: Path, count: int, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="crsvdata-accelerated-") as folder:
        root = Path(folder)
        built = subprocess.run(
            [sys.executable, "-m", "tools.accelerate", "--into", str(root)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            return [Row("api-compiled", NAME, count, 0.0, "not built: mypyc or a C compiler is missing")]
        timed = subprocess.run(
            [sys.executable, "-c", _TIMED, str(root), str(small), str(warm_up), str(repeat)],
            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        if timed.returncode != 0:
            raise SystemExit(f"the compiled row failed: {timed.stderr.strip()[-500:]}")
        seconds = float(json.loads(timed.stdout.strip().splitlines()[-1])["seconds"])
        compiled = re.search(r"compiled (\d+) module", built.stdout)
        note = f"{compiled.group(1) if compiled else 'the'} compiled modules, same checks as the row above"
        return [Row("api-compiled", NAME, count, seconds, note)]
