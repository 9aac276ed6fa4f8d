"""``measure_risk`` counts distinct raw value tuples and canonicalises each once; the report must be
identical to the per-row implementation it replaced (kept in ``risk_reference.py``) on any table."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.disclosure import measure_risk
from crsvdata.disclosure.risk import RiskInputError, _measure
from crsvdata.io import iter_csv_rows
from risk_reference import reference_measure

SCALARS = st.one_of(
    st.sampled_from(["a", "b", "", "А", "1"]),
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from([0.0, 1.0, 2.5, float("nan"), -0.0]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2)
        | st.frozensets(st.sampled_from(["a", "b"]), max_size=2)
    ),
    max_leaves=4,
)
NAMES = ("q1", "q2", "nest", "s")


def _rows(values: st.SearchStrategy[Any]) -> st.SearchStrategy[list[dict[str, Any]]]:
    nested = st.one_of(
        st.fixed_dictionaries({}, optional={"place": values, "when": values}),
        st.lists(st.fixed_dictionaries({}, optional={"place": values}), max_size=3),
        values,
    )
    row = st.fixed_dictionaries({}, optional={"q1": values, "q2": values, "nest": nested, "s": values})
    return st.lists(row, max_size=30)


COLUMN_SETS = st.sampled_from(
    [
        (("q1",), ()),
        (("q1", "q2"), ("s",)),
        (("q1", "nest.place"), ("s",)),
        (("nest.place", "nest.when"), ("q2", "s")),
        (("q2",), ("q1", "s")),
        (("nest",), ()),
    ]
)


@given(_rows(SCALARS) | _rows(VALUES), COLUMN_SETS)
def test_the_report_equals_the_per_row_reference(
    rows: list[dict[str, Any]], columns: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    qis, sensitives = columns
    ours_seen: set[str] = set()
    reference_seen: set[str] = set()
    ours = _measure(rows, qis, sensitives, ours_seen)
    reference = reference_measure(rows, qis, sensitives, reference_seen)
    assert ours == reference
    assert ours_seen == reference_seen
    assert measure_risk(rows, qis, sensitives) == reference


@given(_rows(SCALARS), COLUMN_SETS)
def test_an_iterator_of_rows_gives_the_same_report_as_a_list(
    rows: list[dict[str, Any]], columns: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    qis, sensitives = columns
    assert measure_risk(iter(rows), qis, sensitives) == measure_risk(rows, qis, sensitives)


# Every key present: the C path. Strings that hold the joining separator (or are empty) must not be
# confused with the strings on either side; a non-string anywhere sends the rest of the table to tuples.
JOINABLE = st.sampled_from(["a", "b", "", "\x00", "a\x00", "\x00b", "a\x00b", "Київ"])
COMPLETE_ROW_VALUES = JOINABLE | st.sampled_from([None, 1, True, 1.0, float("nan"), ("a",)])


@given(
    st.lists(st.fixed_dictionaries(dict.fromkeys(NAMES, JOINABLE)), max_size=30)
    | st.lists(st.fixed_dictionaries(dict.fromkeys(NAMES, COMPLETE_ROW_VALUES)), max_size=30),
    st.sampled_from(
        [
            (("q1",), ()),
            (("q1", "q2"), ()),
            (("q1", "q2"), ("s",)),
            (("q1",), ("q2", "s")),
            (("nest",), ("s",)),
        ]
    ),
)
def test_complete_flat_rows_give_the_reference_report(
    rows: list[dict[str, Any]], columns: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    qis, sensitives = columns
    reference = reference_measure(rows, qis, sensitives, None)
    assert _measure(rows, qis, sensitives, None) == reference
    assert measure_risk(rows, qis, sensitives) == reference


CELLS = st.sampled_from(["a", "b", "", "1", "Київ", "x,y", 'q"q', "line\nbreak"])


@given(
    st.lists(st.tuples(CELLS, CELLS, CELLS), max_size=30), st.sampled_from([("a",), ("a", "b"), ("b", "a")])
)
def test_the_columnar_csv_reader_gives_the_reference_report(
    tmp_path_factory: pytest.TempPathFactory, table: list[tuple[str, str, str]], qis: tuple[str, ...]
) -> None:
    path = tmp_path_factory.mktemp("risk") / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "c"])
        writer.writerows(table)
    reference = reference_measure((row for _, row in iter_csv_rows(path)), qis, ("c",), set())
    assert measure_risk(path, qis, sensitive="c") == reference


def test_a_column_in_no_row_of_a_json_lines_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps({"a": value, "b": [{"x": 1}]}) for value in (1, 2)) + "\n")
    assert measure_risk(path, ["a", "b"]).classes == 2
    with pytest.raises(RiskInputError, match="in no row"):
        measure_risk(path, ["a", "misspelt"])
