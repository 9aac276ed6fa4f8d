"""``measure_risk`` on polars and pandas frames: counted by the library's own group-by, the report must be
the per-row reference's on the frame's rows (missing values of every kind being the one missing category),
and bad frames or rows must be refused by name, never counted as missing."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas
import polars
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.disclosure import measure_risk
from crsvdata.disclosure.risk import RiskInputError
from risk_reference import reference_measure

NAMES = ("q1", "q2", "q3", "s")
# One type a column, as a frame holds it; None (null, NaN, NaT, pd.NA once in a frame) anywhere.
COLUMN_KINDS: dict[str, tuple[st.SearchStrategy[Any], Any]] = {
    "text": (st.sampled_from(["a", "b", "", "Київ", "1", "\x00"]), polars.String),
    "integer": (st.integers(-2, 2), polars.Int64),
    "float": (st.sampled_from([0.0, -0.0, 1.5, float("nan"), 2.0]), polars.Float64),
    "boolean": (st.booleans(), polars.Boolean),
    "date": (st.dates(dt.date(2022, 2, 24), dt.date(2022, 3, 3)), polars.Date),
}


@st.composite
def column_tables(draw: st.DrawFn) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    size = draw(st.integers(0, 40))
    columns: dict[str, list[Any]] = {}
    dtypes: dict[str, Any] = {}
    for name in NAMES:
        values, dtype = COLUMN_KINDS[draw(st.sampled_from(sorted(COLUMN_KINDS)))]
        columns[name] = draw(st.lists(st.none() | values, min_size=size, max_size=size))
        dtypes[name] = dtype
    return columns, dtypes


COLUMN_SETS = st.sampled_from(
    [
        (("q1",), ()),
        (("q1", "q2", "q3"), ("s",)),
        (("q2", "q1"), ("s", "q3")),
        (("q1", "q2"), ("q1",)),  # a column both quasi-identifier and sensitive
    ]
)


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]


@given(column_tables(), COLUMN_SETS)
def test_a_polars_frame_gives_the_reference_report_of_its_rows(
    table: tuple[dict[str, list[Any]], dict[str, Any]], names: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    columns, dtypes = table
    qis, sensitives = names
    frame = polars.DataFrame(columns, schema=dtypes)
    reference = reference_measure(_rows(columns), qis, sensitives, None)
    assert measure_risk(frame, qis, sensitives) == reference
    assert measure_risk(frame.lazy(), qis, sensitives) == reference
    assert measure_risk(frame.to_dicts(), qis, sensitives) == reference


@given(column_tables(), COLUMN_SETS)
def test_a_pandas_frame_gives_the_reference_report_of_its_rows(
    table: tuple[dict[str, list[Any]], dict[str, Any]], names: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    columns, _ = table
    qis, sensitives = names
    # pandas turns None into NaN in a numeric column and 1 into 1.0 beside it: the same categories.
    frame = pandas.DataFrame(columns, columns=list(NAMES))
    assert measure_risk(frame, qis, sensitives) == reference_measure(_rows(columns), qis, sensitives, None)


@given(column_tables())
def test_pandas_missing_values_of_every_kind_are_one_category(
    table: tuple[dict[str, list[Any]], dict[str, Any]],
) -> None:
    columns, _ = table
    frame = pandas.DataFrame(columns, columns=list(NAMES))
    nullable = frame.convert_dtypes()  # None becomes pd.NA, dates' None NaT where pandas infers them
    assert measure_risk(nullable, NAMES[:3], "s") == measure_risk(frame, NAMES[:3], "s")


def test_nested_polars_columns_are_read_row_by_row_with_the_same_report() -> None:
    frame = polars.DataFrame(
        {
            "place": [{"oblast": "UA-SYN-1", "raion": None}, {"oblast": "UA-SYN-1", "raion": "r"}, None],
            "acts": [["synthetic_act_a"], ["synthetic_act_a"], []],
            "sex": ["f", "f", None],
        }
    )
    for qis in (["place.oblast", "sex"], ["acts", "sex"], ["place", "acts"], ["place.raion"]):
        report = measure_risk(frame, qis)
        assert report == reference_measure(frame.to_dicts(), tuple(qis), (), None)
        assert report.records == 3


def test_a_pandas_frame_of_unhashable_cells_is_read_row_by_row() -> None:
    # Row by row too, every missing value of pandas (None, NaN, NaT, pd.NA) is the one missing category.
    when = pandas.Series([None, pandas.NaT, float("nan"), "2022"], dtype=object)
    count = pandas.array([1, 1, 1, None], dtype="Int64")
    frame = pandas.DataFrame({"acts": [["a"], ["a"], ["a"], ["b", "a"]], "when": when, "count": count})
    report = measure_risk(frame, ["acts", "when", "count"])
    rows = [
        {"acts": ["a"], "when": None, "count": 1},
        {"acts": ["a"], "when": None, "count": 1},
        {"acts": ["a"], "when": None, "count": 1},
        {"acts": ["b", "a"], "when": "2022", "count": None},
    ]
    assert report == reference_measure(rows, ("acts", "when", "count"), (), None)
    assert (report.classes, report.k) == (2, 1)


def test_unobserved_pandas_categories_are_not_empty_classes() -> None:
    sex = pandas.Categorical(["f", "f", "m"], categories=["f", "m", "unused"])
    frame = pandas.DataFrame({"sex": sex, "band": pandas.Categorical(["a", "b", "a"])})
    report = measure_risk(frame, ["sex", "band"])
    assert (report.records, report.classes, report.k) == (3, 3, 1)


def test_a_column_named_like_the_count_is_counted_as_any_other() -> None:
    frame = polars.DataFrame({"crsvdata_count": ["x", "x", "y"], "len": [1, 1, 1]})
    report = measure_risk(frame, ["crsvdata_count", "len"])
    assert (report.records, report.classes, report.k) == (3, 2, 1)


@pytest.mark.parametrize("library", ["polars", "pandas"])
def test_a_column_the_frame_lacks_is_refused_by_name_without_values(library: str) -> None:
    columns = {"sex": ["synthetic-secret-value"], "band": ["18_25"]}
    frame = polars.DataFrame(columns) if library == "polars" else pandas.DataFrame(columns)
    for missing in ("misspelt", "sex_typo.inner", "nest.inner"):
        with pytest.raises(RiskInputError, match="not in the frame") as caught:
            measure_risk(frame, ["sex", missing])
        assert missing in str(caught.value)
        assert "synthetic-secret-value" not in str(caught.value)
        assert caught.value.code == "anonymise.unknown_column"


def test_a_pandas_column_named_twice_is_refused() -> None:
    frame = pandas.DataFrame([["f", "m"]], columns=["sex", "sex"])
    with pytest.raises(RiskInputError, match="named twice"):
        measure_risk(frame, ["sex"])


NOT_MAPPINGS = st.sampled_from([["sex", "f"], ("sex",), "sex", 7, None, b"sex"])


@given(
    st.lists(st.fixed_dictionaries({"sex": st.sampled_from("fm")}), max_size=5),
    NOT_MAPPINGS,
    st.lists(st.fixed_dictionaries({"sex": st.sampled_from("fm")}), max_size=5),
    st.sampled_from([("sex",), ("sex", "place.oblast")]),
    st.booleans(),
)
def test_a_row_that_is_not_a_mapping_is_refused_with_its_position(
    before: list[dict[str, str]],
    bad: Any,
    after: list[dict[str, str]],
    qis: tuple[str, ...],
    as_iterator: bool,
) -> None:
    rows: list[Any] = [*before, bad, *after]
    with pytest.raises(RiskInputError, match=f"row {len(before)} is a ") as caught:
        measure_risk(iter(rows) if as_iterator else rows, qis)
    assert caught.value.code == "anonymise.row_not_object"


def test_a_frame_of_a_subclass_takes_the_frame_path() -> None:
    class SyntheticFrame(pandas.DataFrame):
        pass

    frame = SyntheticFrame({"sex": ["f", "f", "m"]})
    report = measure_risk(frame, ["sex"])
    assert (report.records, report.classes) == (3, 2)
    assert math.isclose(report.global_risk, 2 / 3)


def test_a_dotted_name_into_a_pandas_column_reads_the_cells_not_the_column() -> None:
    frame = pandas.DataFrame({"place": ["UA-SYN-1", "UA-SYN-2", None], "sex": ["f", "f", "m"]})
    # "place.oblast" of a string is absent: one missing category, not the strings' classes.
    report = measure_risk(frame, ["place.oblast"])
    assert report == reference_measure(frame.to_dict("records"), ("place.oblast",), (), None)
    assert (report.records, report.classes) == (3, 1)
