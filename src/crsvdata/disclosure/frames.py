"""A data frame's rows counted by their values in the named columns, by the frame library's own group-by.

``measure_risk`` needs one thing from a table: how many rows share each combination of values. For a
polars ``DataFrame``/``LazyFrame`` or a pandas ``DataFrame`` that is one group-by in the library's engine,
many times faster than iterating its rows in Python; the report is then built exactly as for rows, so it is
the report of ``measure_risk(frame.to_dicts())``. Columns the group-by cannot key on (lists, structs,
Python objects) and dotted names into nested columns are read row by row instead, never dropped.

Neither library is imported here unless the caller passed one of its frames, which means it is already
imported: crsvdata does not depend on either.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["FrameCounts", "column_problem", "count_frame", "frame_library"]

FrameCounts = Counter[tuple[Any, ...]]
"""Rows counted by their tuple of raw values, in the order of the columns asked for."""


def frame_library(rows: object) -> str | None:
    """``"polars"`` or ``"pandas"`` when ``rows`` is a data frame of that library (or of a subclass, such as
    a GeoDataFrame), else None."""
    for kind in type(rows).__mro__:
        library, name = kind.__module__.split(".", 1)[0], kind.__name__
        if library == "polars" and name in ("DataFrame", "LazyFrame"):
            return "polars"
        if library == "pandas" and name == "DataFrame":
            return "pandas"
    return None


def count_frame(frame: Any, columns: Sequence[str]) -> FrameCounts | Iterator[dict[str, Any]]:
    """The frame's rows counted by their values in ``columns``, or, where the group-by cannot key on a
    column, the frame's rows as dicts of the top-level columns needed (missing cells as ``None``).

    Every column must be in the frame without a :func:`column_problem`.
    """
    if frame_library(frame) == "polars":
        return _count_polars(frame, columns)
    return _count_pandas(frame, columns)


def column_problem(frame: Any, columns: Sequence[str]) -> str | None:
    """What is wrong with ``columns`` for this frame (naming columns only), or None.

    A column the frame lacks (neither the name itself nor, for a dotted name, its first part) is a mistake,
    as in a CSV header: a frame's columns are known before any row is read. So is a column name the frame
    holds twice (pandas allows it), which no row could be read by.
    """
    present = _column_names(frame)
    absent = [name for name in columns if name not in present and name.split(".", 1)[0] not in present]
    if absent:
        return f"column(s) not in the frame: {', '.join(absent)}"
    twice = sorted({str(name) for name in _top_level(columns, present) if present.count(name) > 1})
    if twice:
        return f"column(s) named twice in the frame: {', '.join(twice)}"
    return None


def _column_names(frame: Any) -> list[Any]:
    if frame_library(frame) == "polars":
        schema = frame.collect_schema() if type(frame).__name__ == "LazyFrame" else frame.schema
        return list(schema.names())
    return list(frame.columns)


def _top_level(columns: Sequence[str], present: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(column if column in present else column.split(".", 1)[0] for column in columns))


def _keyed(grouped: Iterator[tuple[Any, ...]], unique: list[str], columns: Sequence[str]) -> FrameCounts:
    # Both libraries group values that Python finds equal (0.0 and -0.0, NaN and NaN, 1 and True in an
    # object column) into one group, so each key comes once.
    positions = [unique.index(column) for column in columns]
    identity = positions == list(range(len(unique)))
    counts: FrameCounts = Counter()
    for row in grouped:
        *values, count = row
        counts[tuple(values) if identity else tuple([values[p] for p in positions])] = count
    return counts


def _count_name(present: Sequence[str]) -> str:
    name = "crsvdata_count"
    while name in present:
        name += "_"
    return name


def _count_polars(frame: Any, columns: Sequence[str]) -> FrameCounts | Iterator[dict[str, Any]]:
    pl = importlib.import_module("polars")
    lazy = type(frame).__name__ == "LazyFrame"
    schema = frame.collect_schema() if lazy else frame.schema
    present = list(schema.names())
    unique = _top_level(columns, present)
    keyable = all(
        column in present and not schema[column].is_nested() and schema[column] != pl.Object
        for column in columns
    )
    if not keyable:
        chosen = frame.select(unique)
        rows: Iterator[dict[str, Any]] = (chosen.collect() if lazy else chosen).iter_rows(named=True)
        return rows
    count = _count_name(present)
    grouped = frame.group_by(unique).agg(pl.len().alias(count))
    table = grouped.collect() if lazy else grouped
    return _keyed(table.iter_rows(), unique, columns)


def _count_pandas(frame: Any, columns: Sequence[str]) -> FrameCounts | Iterator[dict[str, Any]]:
    is_scalar = importlib.import_module("pandas.api.types").is_scalar
    isna = importlib.import_module("pandas").isna
    present = list(frame.columns)
    unique = _top_level(columns, present)
    chosen = frame[unique]
    # pandas' own missing values (None, NaN, NaT, pd.NA) are the one missing category of measure_risk.
    if all(column in present for column in columns):
        try:
            sizes = chosen.groupby(unique, dropna=False, observed=True, sort=False).size()
        except TypeError:  # an unhashable cell (a list, a dict): counted row by row below
            pass
        else:
            keys = (key if isinstance(key, tuple) else (key,) for key in sizes.index)
            grouped = (
                (*[None if is_scalar(value) and isna(value) else value for value in key], int(count))
                for key, count in zip(keys, sizes.to_numpy(), strict=True)
            )
            return _keyed(grouped, unique, columns)
    as_objects = chosen.astype(object)
    records: list[dict[str, Any]] = as_objects.where(chosen.notna(), None).to_dict("records")
    return iter(records)
