"""Where one record's validation time goes, in units of one ``orjson.loads`` of the same record.

Each stage is timed on its own over the same synthetic records in this run (median of three), so the
figures are ratios within one run and do not depend on how busy the machine is in absolute terms.
Every stage drops its result as soon as it has it, as the parse limit of ``bench.py`` does: a stage that
kept thousands of parsed records alive would pay for allocation and the cyclic garbage collector, which
the others never pay, and make every ratio look better than it is. The inputs every stage reads are
frozen out of the collector's sight for the same reason. A stage timed alone reads its inputs from
memory, where the whole line reads a record its parser has just written into the cache: the stages of
one line add up to more than the line.
The records are the benchmark's rich ones (generate.py's pool drawn from crsvdata.testing's strategies).
Run: ``python benchmarks/stages.py [records] [seed]``; the seed defaults to ``make bench``'s, so the
records are the ones its rows time.
"""

from __future__ import annotations

import gc
import io
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import orjson
from generate import rich_lines
from harness import median_seconds

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.io import Line, iter_lines, load_line
from crsvdata.io.clean import parse_clean_line, parse_compact_line
from crsvdata.models import CaseRecord, collect_rule_findings
from crsvdata.validation.acceptor import structure_accepted
from crsvdata.validation.codelists import deprecated_code_findings
from crsvdata.validation.engine import validate_line, validate_line_exactly
from crsvdata.validation.rule_walk import findings_in_json
from crsvdata.validation.schema_issues import schema_issues

T = TypeVar("T")
BENCH_SEED = 20240229  # bench.py's --seed default


def _each(items: Sequence[T], work: Callable[[T], object]) -> Callable[[], None]:
    def run() -> None:
        for item in items:
            work(item)

    return run


def _invalid(case: dict[str, object]) -> dict[str, object]:
    # Three typical structural faults: a missing required member, a wrong type, an unknown member.
    broken = dict(case)
    broken.pop("record_id", None)
    broken["created_at"] = 2024
    broken["unexpected_member"] = True
    return broken


def _rules_on_models(model: CaseRecord) -> object:
    return list(collect_rule_findings(model)), list(deprecated_code_findings(model))


def stage_table(count: int = 5000, seed: int = BENCH_SEED, source: Path | None = None) -> str:
    """The per-stage cost table (markdown) of ``count`` rich records: the first of ``source`` (the file
    the other rows read, so that both describe the same records), or drawn with ``seed``."""
    if source is None:
        data = [line.rstrip(b"\n") for line in rich_lines(count, seed)]
    else:
        with source.open("rb") as handle:
            data = [line.rstrip(b"\n") for line in itertools.islice(handle, count)]
        count = len(data)
    # As the reader yields them, line endings kept: the parse stages read what validate reads.
    lines = list(iter_lines(io.BytesIO(b"".join(item + b"\n" for item in data))))
    read = [line.data for line in lines]
    parsed: list[dict[str, Any]] = [orjson.loads(item) for item in data]
    spaced = [json.dumps(document).encode() for document in parsed]
    invalid = [_invalid(document) for document in parsed]
    invalid_lines = [Line(number, orjson.dumps(item)) for number, item in enumerate(invalid, start=1)]
    models = [CaseRecord.model_validate_json(item, context=STRUCTURE_ONLY) for item in data]
    stages: dict[str, Callable[[], None]] = {
        "orjson.loads (the parse limit)": _each(data, orjson.loads),
        "parse: strict stdlib reader (load_line exactly)": _each(
            lines, lambda line: load_line(line, exactly=True)
        ),
        "parse: compact round trip (orjson.loads, orjson.dumps, compare)": _each(read, parse_compact_line),
        "parse: clean-line reader (what load_line tries first)": _each(read, parse_clean_line),
        "parse: clean-line reader on json.dumps's spaced form (jiter)": _each(spaced, parse_clean_line),
        "parse: load_line (what validate runs)": _each(lines, load_line),
        "structure: jsonschema-rs on the parsed dict": _each(
            parsed, lambda document: structure_accepted("case-record", document)
        ),
        "rules: generated walk over the parsed dict": _each(
            parsed, lambda document: findings_in_json("case_record", document)
        ),
        "whole line, acceptor path (validate_line)": _each(lines, validate_line),
        "whole line, strict path (validate_line_exactly)": _each(lines, validate_line_exactly),
        "models: pydantic model_validate_json (structure only)": _each(
            data, lambda item: CaseRecord.model_validate_json(item, context=STRUCTURE_ONLY)
        ),
        "models: rules and deprecated codes on the models": _each(models, _rules_on_models),
        "explain invalid (schema_issues)": _each(invalid, lambda item: schema_issues("case-record", item)),
        "whole line, invalid record": _each(invalid_lines, validate_line),
    }
    # The inputs above are alive for the whole run: frozen, the garbage collector stops walking them, so
    # a stage that allocates is not charged for the size of the others' inputs.
    gc.collect()
    gc.freeze()
    try:
        seconds = {name: median_seconds(work, 3) for name, work in stages.items()}
    finally:
        gc.unfreeze()
    baseline = seconds["orjson.loads (the parse limit)"]
    size = sum(map(len, data)) / count
    origin = f"seed {seed}" if source is None else f"the first of {source.name}"
    lines_out = [
        f"{count:,} records of {size:.0f} B ({origin}), median of 3 after a warm-up, "
        "ratios within this run; each stage timed alone.",
        "",
        "| stage | cost (orjson units) | throughput / orjson | µs per record |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines_out += [
        f"| {name} | {value / baseline:.2f} | {baseline / value:.3f} | {1e6 * value / count:.1f} |"
        for name, value in seconds.items()
    ]
    return "\n".join(lines_out)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else BENCH_SEED
    print(stage_table(count, seed))


if __name__ == "__main__":
    main()
