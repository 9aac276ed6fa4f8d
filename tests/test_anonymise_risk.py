"""Risk figures: invariant to row and column order, equal to a naive independent computation, textbook."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.disclosure import measure_risk
from crsvdata.disclosure.risk import recursive_c

VALUES = st.sampled_from(["a", "b", "c", None, "", 1, 2])
ROWS = st.lists(
    st.fixed_dictionaries({"q1": VALUES, "q2": st.sampled_from(["x", "y"]), "q3": VALUES, "s": VALUES}),
    min_size=1,
    max_size=40,
)


def naive(rows: list[dict[str, Any]], qis: list[str], sa: str) -> dict[str, Any]:
    """A deliberately plain re-implementation: lists, sorting and loops, no Counter, no shared code."""

    def norm(value: Any) -> str:
        return "<missing>" if value is None or value == "" else f"{type(value).__name__}:{value}"

    keyed = sorted(([norm(r.get(q)) for q in qis], norm(r.get(sa))) for r in rows)
    groups: list[tuple[list[str], list[str]]] = []
    for key, value in keyed:
        if groups and groups[-1][0] == key:
            groups[-1][1].append(value)
        else:
            groups.append((key, [value]))
    n = len(rows)
    overall: dict[str, int] = {}
    for _, value in keyed:
        overall[value] = overall.get(value, 0) + 1
    ls, entropies, ts, cs = [], [], [], []
    for _, values in groups:
        counts: dict[str, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        ls.append(len(counts))
        h = -sum((c / len(values)) * math.log(c / len(values)) for c in counts.values())
        entropies.append(math.exp(h))
        ts.append(0.5 * sum(abs(counts.get(v, 0) / len(values) - overall[v] / n) for v in overall))
    l_min = min(ls)
    for _, values in groups:
        counts_desc = sorted((values.count(v) for v in set(values)), reverse=True)
        tail = sum(counts_desc[l_min - 1 :])
        c = 1
        while not counts_desc[0] < c * tail:
            c += 1
        cs.append(c)
    sizes = [len(values) for _, values in groups]
    return {
        "k": min(sizes),
        "classes": len(groups),
        "uniques": sum(1 for s in sizes if s == 1),
        "global_risk": sum(1 / s for s in sizes for _ in range(s)) / n,
        "l": l_min,
        "entropy": min(entropies),
        "c": max(cs),
        "t": max(ts),
    }


@given(ROWS)
def test_figures_equal_a_naive_independent_computation(rows: list[dict[str, Any]]) -> None:
    report = measure_risk(rows, ["q1", "q2", "q3"], "s")
    expected = naive(rows, ["q1", "q2", "q3"], "s")
    figures = report.sensitive["s"]
    assert (report.k, report.classes, report.sample_uniques) == (
        expected["k"],
        expected["classes"],
        expected["uniques"],
    )
    assert report.global_risk == pytest.approx(expected["global_risk"])
    assert figures.l_distinct == expected["l"]
    assert figures.recursive_c == expected["c"]
    assert figures.l_entropy == pytest.approx(expected["entropy"])
    assert figures.t_closeness == pytest.approx(expected["t"], abs=1e-12)


@given(ROWS, st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_row_or_column_order(rows: list[dict[str, Any]], rng: Any) -> None:
    shuffled = list(rows)
    rng.shuffle(shuffled)
    reordered = [dict(reversed(list(row.items()))) for row in shuffled]
    assert measure_risk(reordered, ["q1", "q2", "q3"], "s") == measure_risk(rows, ["q1", "q2", "q3"], "s")
    assert measure_risk(rows, ["q3", "q1", "q2"], "s").k == measure_risk(rows, ["q1", "q2", "q3"], "s").k


@given(ROWS)
def test_bounds_and_monotonicity(rows: list[dict[str, Any]]) -> None:
    report = measure_risk(rows, ["q1", "q2"], "s")
    figures = report.sensitive["s"]
    assert 1 <= figures.l_distinct <= len({str(r["s"]) if r["s"] not in (None, "") else "" for r in rows})
    assert 0 <= figures.t_closeness <= 1
    assert 0 < report.global_risk <= 1
    assert (report.k == len(rows)) == (report.classes == 1)
    # Coarsening a quasi-identifier (dropping q2) never lowers k; adding one (q3) never raises it.
    assert measure_risk(rows, ["q1"], "s").k >= report.k
    assert measure_risk(rows, ["q1", "q2", "q3"], "s").k <= report.k
    assert report.records_below(report.k) == 0
    assert report.records_below(report.k + 1) >= report.k


def test_missing_values_are_one_category_of_their_own() -> None:
    rows = [{"q": None}, {"q": ""}, {"q": float("nan")}, {}, {"q": "x"}]
    report = measure_risk(rows, ["q"])
    assert report.records == 5
    assert report.classes == 2
    assert report.class_sizes == {1: 1, 4: 1}


def test_recursive_cl_follows_the_textbook_not_pycanon() -> None:
    rows = [{"q": 1, "s": v} for v in "aaaaabc"] + [{"q": 2, "s": v} for v in "ddeeffg"]
    figures = measure_risk(rows, ["q"], "s").sensitive["s"]
    # Counts (5,1,1) and (2,2,2,1): l = 3 and c = 6 by the definition (pycanon reports c = 1).
    assert (figures.recursive_c, figures.l_distinct) == (6, 3)
    assert recursive_c([1, 1, 5], 3) == 6
    with pytest.raises(ValueError, match="at least l"):
        recursive_c([3, 1], 3)


def test_a_csv_file_gives_the_same_figures_as_its_rows(tmp_path: Path) -> None:
    rows = [{"age": a, "sex": s, "form": f} for a, s, f in [("18-25", "f", "rape"), ("18-25", "f", "x")] * 3]
    rows.append({"age": "", "sex": "m", "form": "rape"})
    path = tmp_path / "table.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["age", "sex", "form"])
        writer.writeheader()
        writer.writerows(rows)
    assert measure_risk(path, ["age", "sex"], "form") == measure_risk(rows, ["age", "sex"], "form")
    with pytest.raises(ValueError, match="not in the CSV header"):
        measure_risk(path, ["age", "oblast"])


def test_an_empty_table_has_no_risk() -> None:
    report = measure_risk([], ["q"], "s")
    assert (report.records, report.k, report.global_risk, report.sensitive) == (0, 0, 0.0, {})
