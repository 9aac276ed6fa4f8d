"""The runs of the golden anonymise test: synthetic inputs, profiles, keys and recipients, and what each
run produced (manifest without its creation time, output digest, operator hints, or the refusal).

Shared by ``tests/test_anonymise_golden.py`` and by ``python tests/anonymise_golden.py OUT.json``, which
records the expected outcomes with the code on the path (run once on the commit before "Faster
anonymise"; the outcomes must not change unless a change of behaviour is meant and reviewed).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from click.testing import CliRunner

from crsvdata.anonymise import AnonymisationError, KeyRing, Recipient, export
from crsvdata.anonymise.inputs import IdentityIndex, read_case_records
from crsvdata.anonymise.keys import load_key_ring
from crsvdata.cli import main
from crsvdata.testing.synthetic import synthetic_dataset

HERE = Path(__file__).parent
ROOT = HERE.parent
GOLDEN = HERE / "data" / "anonymise_golden"
RICH = GOLDEN / "rich-300.jsonl.gz"
"""300 rich records drawn from crsvdata.testing (each with a research consent for synth_research_unit)."""
EXPECTED = GOLDEN / "expected.json"
DEMO_KEY = ROOT / "examples" / "keys" / "demo.key"
ON = date(2030, 6, 30)
"""A fixed consent day (a later day is allowed), so that the outcomes do not move with the calendar."""
TEST_KEY = KeyRing.single("golden-key", hashlib.sha256(b"crsvdata golden test key (synthetic)").digest())


def synthetic_lines(count: int, seed: int) -> list[bytes]:
    return [orjson.dumps(case) + b"\n" for case, _ in synthetic_dataset(count, seed)]


def synthetic_identity_lines(count: int, seed: int) -> list[bytes]:
    return [orjson.dumps(identity) + b"\n" for _, identity in synthetic_dataset(count, seed)]


def rich_lines(count: int) -> list[bytes]:
    pool = gzip.decompress(RICH.read_bytes()).splitlines()
    out = []
    for index in range(count):
        document = orjson.loads(pool[index % len(pool)])
        document["record_id"] = f"GOLD-{index + 1:07d}"
        out.append(orjson.dumps(document) + b"\n")
    return out


@dataclass(frozen=True)
class Case:
    name: str
    lines: Callable[[], list[bytes]]
    profile: str
    recipient: Recipient
    keys: str = "test"
    identities: Callable[[], list[bytes]] | None = None
    seed: int = 0


CASES = (
    Case("research-synthetic", lambda: synthetic_lines(2500, 11), "research", Recipient("golden_uni")),
    Case(
        "investigation-synthetic-identities",
        lambda: synthetic_lines(1200, 12),
        "investigation",
        Recipient("golden_prosecutor"),
        identities=lambda: synthetic_identity_lines(1200, 12),
    ),
    Case(
        "investigation-synthetic", lambda: synthetic_lines(900, 13), "investigation", Recipient("golden_po")
    ),
    Case(
        "reparations-synthetic-demo",
        lambda: synthetic_lines(1500, 14),
        "reparations",
        Recipient("gr"),
        "demo",
    ),
    Case("research-rich", lambda: rich_lines(1500), "research", Recipient("synth_research_unit"), seed=5),
    Case("research-rich-other-recipient", lambda: rich_lines(600), "research", Recipient("golden_other")),
    Case("reparations-rich", lambda: rich_lines(900), "reparations", Recipient("synth_research_unit")),
    Case("research-synthetic-small", lambda: synthetic_lines(60, 15), "research", Recipient("golden_uni")),
    Case("investigation-rich", lambda: rich_lines(600), "investigation", Recipient("synth_research_unit")),
)


def _keys(name: str) -> KeyRing:
    return TEST_KEY if name == "test" else load_key_ring(DEMO_KEY, demo=True)


def _random_bytes(seed: int) -> Callable[[int], bytes]:
    generator = random.Random(seed)
    return generator.randbytes


def outcome(case: Case, scratch: Path) -> dict[str, Any]:
    """What one run gives: the manifest (less its creation time), the output's digest, the hints."""
    source = scratch / f"{case.name}.jsonl"
    source.write_bytes(b"".join(case.lines()))
    index = None
    if case.identities is not None:
        identities = scratch / f"{case.name}.identities.jsonl"
        identities.write_bytes(b"".join(case.identities()))
        index = IdentityIndex.from_file(identities)
    try:
        result = export(
            read_case_records(source),
            case.profile,
            keys=_keys(case.keys),
            recipient=case.recipient,
            on=ON,
            identities=index,
            random_bytes=_random_bytes(case.seed),
        )
    except AnonymisationError as exc:
        manifest = getattr(exc, "manifest", None)
        return {
            "refused": type(exc).__name__,
            "code": exc.code,
            "message": str(exc),
            "manifest": None if manifest is None else _manifest(manifest),
        }
    finally:
        if index is not None:
            index.close()
    return {
        "manifest": _manifest(result.manifest),
        "output_sha256": hashlib.sha256(result.data).hexdigest(),
        "output_lines": result.data.count(b"\n"),
    }


def _manifest(manifest: Any) -> dict[str, Any]:
    document = manifest.to_dict()
    document.pop("created_at")
    document["operator_hints"] = dict(sorted(manifest.operator_hints.items()))
    return document


def cli_outcome(scratch: Path) -> dict[str, Any]:
    """The command line's stdout (the manifest), stderr and exit code, and the output's digest."""
    source = scratch / "cli.jsonl"
    source.write_bytes(b"".join(rich_lines(700)))
    target = scratch / "cli-out.jsonl"
    args = [
        "anonymise", "--profile", "reparations", "--demo", "--key-file", str(DEMO_KEY),
        "--recipient", "synth_research_unit", "--on", ON.isoformat(), str(source), str(target),
    ]  # fmt: skip
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    stdout = json.loads(result.stdout)
    stdout.pop("created_at")
    return {
        "exit_code": result.exit_code,
        "stdout": stdout,
        "stderr": result.stderr,
        "output_sha256": hashlib.sha256(target.read_bytes()).hexdigest() if target.exists() else None,
    }


def outcomes(scratch: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for case in CASES:
        yield case.name, outcome(case, scratch)
    yield "cli", cli_outcome(scratch)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        recorded = dict(outcomes(Path(folder)))
    Path(sys.argv[1]).write_text(json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
