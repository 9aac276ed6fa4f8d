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


SPREADSHEET_FOLDER: Final = Path(__file__).resolve().parents[1] / "examples" / "spreadsheets" / "cases"
CASE_EXAMPLES: Final = Path(__file__).resolve().parents[1] / "examples" / "cases"


def spreadsheet_example_files() -> dict[str, bytes]:
    """The bundled example cases (``examples/cases/*.json``) as a folder of CSV files: name -> bytes."""
    import tempfile

    from crsvdata.interop.spreadsheet import flatten, write_workbook

    documents = [json.loads(path.read_text("utf-8")) for path in sorted(CASE_EXAMPLES.glob("*.json"))]
    with tempfile.TemporaryDirectory() as folder:
        write_workbook(flatten(documents), Path(folder), csv=True)
        return {path.name: path.read_bytes() for path in sorted(Path(folder).glob("*.csv"))}


def write_spreadsheet_examples(folder: Path = SPREADSHEET_FOLDER) -> list[Path]:
    """Write ``examples/spreadsheets/cases/``: what ``crsvdata flatten --csv`` makes of the example cases."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.csv"):
        stale.unlink()
    written = []
    for name, data in spreadsheet_example_files().items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


def stale_spreadsheet_examples(folder: Path = SPREADSHEET_FOLDER) -> list[str]:
    """What differs between ``examples/spreadsheets/cases/`` and a fresh flatten of the example cases."""
    expected = spreadsheet_example_files()
    found = {path.name: path.read_bytes() for path in folder.glob("*.csv")} if folder.is_dir() else {}
    return [
        f"stale: examples/spreadsheets/cases/{name} (run python -m tools.manage examples)"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
