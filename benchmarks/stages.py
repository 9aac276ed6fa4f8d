"""Where one record's validation time goes, in units of one ``orjson.loads`` of the same record.

Each stage is timed on its own over the same synthetic records in this run (median of three), so the
figures are ratios within one run and do not depend on how busy the machine is in absolute terms.
The records are the benchmark's rich ones (generate.py's pool drawn from crsvdata.testing's strategies).
Run: ``python benchmarks/stages.py [records]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import orjson
from generate import rich_lines

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.io import Line, load_line
from crsvdata.models import CaseRecord, collect_rule_findings
from crsvdata.validation.acceptor import parse_clean_line
from crsvdata.validation.codelists import deprecated_code_findings
from crsvdata.validation.engine import validate_line, validate_line_exactly
from crsvdata.validation.schema_issues import schema_issues


def _median_seconds(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _invalid(case: dict[str, object]) -> dict[str, object]:
    # Three typical structural faults: a missing required member, a wrong type, an unknown member.
    broken = dict(case)
    broken.pop("record_id", None)
    broken["created_at"] = 2024
    broken["unexpected_member"] = True
    return broken


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    data = [line.rstrip(b"\n") for line in rich_lines(count, 7)]
    lines = [Line(number, item) for number, item in enumerate(data, start=1)]
    invalid = [_invalid(orjson.loads(item)) for item in data]
    invalid_lines = [Line(number, orjson.dumps(item)) for number, item in enumerate(invalid, start=1)]
    schema_issues("case-record", invalid[0])  # compile the validator outside the timing
    models = [CaseRecord.model_validate_json(item, context=STRUCTURE_ONLY) for item in data]
    stages: dict[str, Callable[[], object]] = {
        "orjson.loads (the parse limit)": lambda: [orjson.loads(item) for item in data],
        "parse: strict stdlib reader (load_line)": lambda: [load_line(line) for line in lines],
        "parse: acceptor (jiter, duplicate keys)": lambda: [parse_clean_line(item) for item in data],
        "structure: pydantic model_validate_json": lambda: [
            CaseRecord.model_validate_json(item, context=STRUCTURE_ONLY) for item in data
        ],
        "rules and deprecated codes on the models": lambda: [
            (list(collect_rule_findings(model)), list(deprecated_code_findings(model))) for model in models
        ],
        "whole line, strict path": lambda: [validate_line_exactly(line) for line in lines],
        "whole line, acceptor path": lambda: [validate_line(line) for line in lines],
        "explain invalid (schema_issues)": lambda: [schema_issues("case-record", item) for item in invalid],
        "whole line, invalid record": lambda: [validate_line(line) for line in invalid_lines],
    }
    seconds = {name: _median_seconds(work) for name, work in stages.items()}
    baseline = seconds["orjson.loads (the parse limit)"]
    size = sum(map(len, data)) / count
    print(f"{count:,} records of {size:.0f} B, median of 3, ratios within this run")
    print("| stage | cost (orjson units) | throughput / orjson |")
    print("| --- | ---: | ---: |")
    for name, value in seconds.items():
        print(f"| {name} | {value / baseline:.2f} | {baseline / value:.3f} |")


if __name__ == "__main__":
    main()
