"""Write the bundled synthetic data set (``make examples``): 500 case records and their identity records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from crsvdata.testing.synthetic import DEFAULT_SEED, synthetic_dataset

EXAMPLE_COUNT: Final = 500
SYNTHETIC_FOLDER: Final = Path(__file__).resolve().parents[1] / "examples" / "synthetic"


def write_synthetic_examples(
    folder: Path = SYNTHETIC_FOLDER, count: int = EXAMPLE_COUNT, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write ``case-records.jsonl`` and ``identity-records.jsonl``; the same seed gives the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    cases, identities = [], []
    for case, identity in synthetic_dataset(count, seed):
        cases.append(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
        identities.append(json.dumps(identity, ensure_ascii=False, separators=(",", ":")))
    written = []
    for name, lines in (("case-records.jsonl", cases), ("identity-records.jsonl", identities)):
        path = folder / name
        path.write_text("\n".join(lines) + "\n", "utf-8")
        written.append(path)
    return written
