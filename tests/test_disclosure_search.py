"""The numpy lattice search decides exactly as the Python search it replaced (tests/search_reference.py):
the same node, suppressed classes, counts, loss and number of nodes evaluated, by records and by persons."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import search_reference
from crsvdata.disclosure import search as numpy_search


@st.composite
def lattices(draw: st.DrawFn) -> dict[str, Any]:
    records = draw(st.integers(0, 60))
    qi_count = draw(st.integers(1, 3))
    shapes = [draw(st.integers(1, 3)) for _ in range(qi_count)]
    qis = []
    for q, levels in enumerate(shapes):
        alphabet = [draw(st.integers(1, 6)) for _ in range(levels)]
        rows = [
            tuple(f"v{draw(st.integers(0, alphabet[level] - 1))}" for level in range(levels))
            for _ in range(records)
        ]
        qis.append((f"q{q}", tuple(f"level{level}" for level in range(levels)), rows))
    sensitive = [
        [f"s{draw(st.integers(0, draw(st.integers(0, 4))))}" for _ in range(records)]
        for _ in range(draw(st.integers(0, 2)))
    ]
    people = draw(st.integers(1, max(records, 1)))
    persons = [draw(st.integers(0, people - 1)) for _ in range(records)] if draw(st.booleans()) else None
    return {
        "qis": qis,
        "sensitive": sensitive,
        "persons": persons,
        "k": draw(st.integers(1, 4)),
        "l": draw(st.integers(1, 3)),
        "max_global_risk": draw(st.sampled_from([0.05, 0.2, 0.5, 1.0])),
        "max_suppressed_fraction": draw(st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0])),
    }


def _run(module: Any, case: dict[str, Any]) -> Any:
    qis = []
    for name, levels, rows in case["qis"]:
        column = module.Column(name, levels)
        for row in rows:
            column.add(row)
        qis.append(column)
    sensitive = []
    for index, values in enumerate(case["sensitive"]):
        column = module.Column(f"s{index}", ("value",))
        for value in values:
            column.add((value,))
        sensitive.append(column)
    result = module.search(
        qis,
        sensitive,
        k=case["k"],
        l=case["l"],
        max_global_risk=case["max_global_risk"],
        max_suppressed_fraction=case["max_suppressed_fraction"],
        persons=case["persons"],
    )
    if result is None:
        return None
    return (
        result.node,
        result.suppressed_classes,
        result.suppressed_records,
        result.loss,
        result.evaluated,
        result.level_codes,
        [result.is_suppressed(qis, record) for record in range(len(qis[0].ids))],
    )


@settings(max_examples=400, deadline=None)
@given(lattices())
def test_the_numpy_search_decides_as_the_python_search(case: dict[str, Any]) -> None:
    assert _run(numpy_search, case) == _run(search_reference, case)


def test_a_person_holding_both_values_makes_a_class_of_one_value_disclosed() -> None:
    # Two persons each holding {x, y} in one class: every person holds x, so l is 1, and k=2 by persons.
    case = {
        "qis": [("q", ("value",), [("a",)] * 4)],
        "sensitive": [["x", "y", "x", "y"]],
        "persons": [0, 0, 1, 1],
        "k": 2,
        "l": 2,
        "max_global_risk": 1.0,
        "max_suppressed_fraction": 0.0,
    }
    assert _run(numpy_search, case) is None
    assert _run(search_reference, case) is None


PART_TYPES = st.sampled_from([np.uint16, np.uint32, np.uint64, np.int64])


@given(
    st.integers(1, 6).flatmap(
        lambda width: st.tuples(
            st.lists(st.tuples(*[st.integers(0, 3)] * width), min_size=1, max_size=40),
            st.lists(PART_TYPES, min_size=width, max_size=width),
            st.lists(st.sampled_from([4, 1 << 20, 1 << 40]), min_size=width, max_size=width),
        )
    )
)
def test_combined_keys_are_equal_exactly_when_the_rows_are(
    case: tuple[list[tuple[int, ...]], list[Any], list[int]],
) -> None:
    # Sizes up to 2**40 a part force the renumbering of the key before it overflows.
    rows, types, sizes = case
    columns = zip(*rows, strict=True)
    parts = [np.array(column, dtype=kind) for column, kind in zip(columns, types, strict=True)]
    key = numpy_search._combine(len(rows), iter(parts), sizes)
    assert key.dtype == np.int64
    for i, first in enumerate(rows):
        for j, second in enumerate(rows):
            assert (key[i] == key[j]) == (first == second)
