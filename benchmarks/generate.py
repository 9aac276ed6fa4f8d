"""Write N synthetic case records as JSON Lines to a file or standard output (seeded, reproducible).

python benchmarks/generate.py --records 100000 > cases.jsonl
python benchmarks/generate.py --records 100000 --rich --invalid-every 100 > cases-1pc-invalid.jsonl
python benchmarks/generate.py --records 100000 --rich --research-consent synth_research_unit > export.jsonl

``--rich`` draws a pool of records once from crsvdata.testing's hypothesis strategies (referrals,
proceedings, reparations, 1.1 fields) with a fixed seed, then gives each written record its own id: drawing
1,000,000 records from hypothesis would take longer than the benchmark itself. ``--research-consent ORG``
adds to every pooled record a written research consent for ORG (given on the record's creation day), so
that an export measures the export's work: the strategies' own consents let almost no record leave for
research, and an anonymise run over them would time little more than the consent gate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from crsvdata.testing.synthetic import DEFAULT_SEED, synthetic_dataset

POOL_SIZE = 300


def rich_pool(
    seed: int, size: int = POOL_SIZE, research_recipient: str | None = None
) -> list[dict[str, Any]]:
    """Valid rich records drawn once from the strategies (checked by the writers' self-check)."""
    from hypothesis import Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from crsvdata.testing.records import case_records

    pool: list[dict[str, Any]] = []

    @hypothesis_seed(seed)
    @settings(max_examples=size, database=None, deadline=None, phases=[Phase.generate])
    @given(case_records())
    def collect(record: Any) -> None:
        if research_recipient is not None:
            record = with_research_consent(record, research_recipient)
        pool.append(record.to_json_dict())

    collect()
    return pool


def with_research_consent(record: Any, organisation: str) -> Any:
    """The record with one more consent: research, for ``organisation``, written, on its creation day."""
    from crsvdata.codes.enums import ConsentGivenBy, ConsentMethod, ConsentPurpose
    from crsvdata.models import CaseRecord, Consent

    day = record.created_at.date()
    consent = Consent(
        consent_id="bench-research",
        purpose=ConsentPurpose.RESEARCH,
        recipient_organisation=organisation,
        granted=True,
        given_on=day,
        method=ConsentMethod.WRITTEN,
        given_by=ConsentGivenBy.PARENT_OR_GUARDIAN if record.may_be_child_on(day) else ConsentGivenBy.SELF,
    )
    updated = record.model_copy(update={"consents": [*(record.consents or ()), consent]})
    # Through JSON again so that every rule sees the new consent (model_copy does not validate).
    return CaseRecord.model_validate_json(updated.to_json())


def _self_check(sample: list[bytes], invalid_every: int) -> None:
    """Every record meant valid validates, every record meant broken does not; otherwise stop."""
    from crsvdata.validation import validate

    for index, line in enumerate(sample):
        meant_valid = not (invalid_every and (index + 1) % invalid_every == 0)
        if validate(orjson.loads(line)).valid != meant_valid:
            raise SystemExit(f"generator self-check failed at record {index + 1}: benchmark data is wrong")


def rich_lines(
    count: int, seed: int, invalid_every: int = 0, pool: list[dict[str, Any]] | None = None
) -> Any:
    from crsvdata.testing.broken import BREAKAGES, break_record

    pool = rich_pool(seed) if pool is None else pool
    breakages = sorted(BREAKAGES)
    for index in range(count):
        document = dict(pool[index % len(pool)])
        document["record_id"] = f"SYNTH-{index + 1:07d}"
        if invalid_every and (index + 1) % invalid_every == 0:
            document = break_record(document, breakages[(index // invalid_every) % len(breakages)]).document
        yield orjson.dumps(document) + b"\n"


def write_records(
    count: int,
    seed: int,
    out: Path | None,
    rich: bool = False,
    invalid_every: int = 0,
    pool: list[dict[str, Any]] | None = None,
) -> None:
    """Stream ``count`` case records; never holds more than one (plus the rich pool) in memory.

    ``pool`` (from ``rich_pool``) saves drawing it again when one run writes several files."""
    handle = out.open("wb") if out else sys.stdout.buffer
    try:
        if rich or invalid_every or pool is not None:
            sample: list[bytes] = []
            for line in rich_lines(count, seed, invalid_every, pool):
                if len(sample) < 2 * POOL_SIZE:
                    sample.append(line)
                handle.write(line)
            _self_check(sample, invalid_every)
            return
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
    parser.add_argument("--rich", action="store_true")
    parser.add_argument("--invalid-every", type=int, default=0)
    parser.add_argument("--research-consent", metavar="ORG", default=None)
    args = parser.parse_args()
    pool = rich_pool(args.seed, research_recipient=args.research_consent) if args.research_consent else None
    write_records(args.records, args.seed, args.out, args.rich, args.invalid_every, pool)


if __name__ == "__main__":
    main()
