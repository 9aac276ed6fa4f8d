"""Write N synthetic case records as JSON Lines to a file or standard output (seeded, reproducible).

python benchmarks/generate.py --records 100000 > cases.jsonl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from crsvdata.testing.synthetic import DEFAULT_SEED, synthetic_dataset


def write_records(count: int, seed: int, out: Path | None) -> None:
    """Stream ``count`` case records; never holds more than one in memory."""
    handle = out.open("wb") if out else sys.stdout.buffer
    try:
        for case, _identity in synthetic_dataset(count, seed):
            handle.write(orjson.dumps(case) + b"\n")
    finally:
        if out:
            handle.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    write_records(args.records, args.seed, args.out)


if __name__ == "__main__":
    main()
