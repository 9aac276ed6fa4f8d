"""Measure the two table protections of ``crsvdata.disclosure`` on tables like the synthetic data.

Usage: ``.venv/bin/python benchmarks/disclosure_tables.py [scale ...]``. For each scale the 500 synthetic
records are counted (acts by form of violence x sex x oblast) and, at scale > 1, replicated with fresh
record keys so that counts grow like a larger caseload. Prints audit time, share suppressed and the mean
absolute error of each method (suppressed entries count their whole value as the error).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import time
from pathlib import Path

import numpy as np

from crsvdata.aggregate.statistics import count_records
from crsvdata.disclosure.cellkey import perturb
from crsvdata.disclosure.suppression import suppress
from crsvdata.disclosure.tables import Domain, Table
from crsvdata.models import CaseRecord

ROOT = Path(__file__).resolve().parent.parent


def main(scales: list[int]) -> None:
    records = [
        CaseRecord.model_validate_json(line)
        for line in (ROOT / "examples/synthetic/case-records.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    counted = count_records(records, ("form_of_violence", "sex", "oblast"))
    domains = [
        Domain.from_code_list("form_of_violence"),
        Domain.from_code_list("sex"),
        Domain.from_code_list("ua_subdivision", name="oblast", extra=("unknown", "outside_ukraine")),
    ]
    for scale in scales:
        units = []
        for labels, n in counted.counts.items():
            for i in range(n * scale):
                digest = hmac.new(b"bench-key", f"{labels}|{i}".encode(), hashlib.sha256).digest()
                units.append((labels, digest))
        table = Table.from_units(domains, units)
        truth = table.entries
        started = time.perf_counter()
        result = suppress(table, 5)
        seconds = time.perf_counter() - started
        hidden = np.array([result.published.values[k] is None for k in np.ndindex(truth.shape)]).reshape(
            truth.shape
        )
        positive = truth > 0
        noisy = perturb(table)
        perturbed = np.array([noisy.values[k] for k in np.ndindex(truth.shape)]).reshape(truth.shape)
        interior = tuple(slice(0, n) for n in table.shape)
        cells = truth[interior]
        print(
            json.dumps(
                {
                    "scale": scale,
                    "units": int(cells.sum()),
                    "cells": int(cells.size),
                    "entries": int(truth.size),
                    "nonzero_entries": int(positive.sum()),
                    "small_entries_1_4": int(((truth > 0) & (truth < 5)).sum()),
                    "suppression": {
                        "seconds": round(seconds, 2),
                        "solves": result.solves,
                        "primary": len(result.primary),
                        "secondary": len(result.secondary),
                        "share_of_nonzero_suppressed": round(float(hidden[positive].mean()), 3),
                        "share_of_units_hidden_in_cells": round(
                            float(cells[hidden[interior]].sum() / cells.sum()), 3
                        ),
                        "mae_nonzero": round(float(np.where(hidden, truth, 0)[positive].mean()), 3),
                        "grand_total_published": not bool(hidden.reshape(-1)[-1]),
                    },
                    "cell_key": {
                        "mae_nonzero": round(float(np.abs(perturbed - truth)[positive].mean()), 3),
                        "share_of_nonzero_changed": round(float((perturbed != truth)[positive].mean()), 3),
                        "max_abs_error": int(np.abs(perturbed - truth).max()),
                    },
                }
            )
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 4, 20])
