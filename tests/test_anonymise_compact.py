"""The compact per-record state of a record-level export gives what the plain Python structures gave.

A million-record export holds, per record, a few bytes instead of Python objects: a digest per person
instead of a dict of keys, numpy groups instead of a dict per (person, class). Each is checked here
against the plain structure it replaced, on generated inputs.
"""

from __future__ import annotations

import io
from typing import Any
from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import crsvdata.anonymise.records as records_module
from crsvdata.anonymise.records import (
    MeasuredRow,
    MeasuredRows,
    _digest_ranks,
    _l_by_person,
    _Persons,
    _risk_table,
    person_digest,
)
from crsvdata.disclosure import measure_risk
from crsvdata.disclosure.search import Column, person_diversity
from person_rows_reference import person_rows

ORGANISATIONS = st.sampled_from(["unfpa", "iom", "synth-ngo", "синт"])
REFERENCES = st.sampled_from(["SYN-1", "SYN-2", "SYN-3", "", "СИН-1", "SYN-1 "])


@given(st.lists(st.tuples(ORGANISATIONS, REFERENCES), max_size=60))
def test_person_numbers_are_those_of_a_dict_in_order_of_arrival(people: list[tuple[str, str]]) -> None:
    first_seen: dict[tuple[str, str], int] = {}
    expected = [first_seen.setdefault(person, len(first_seen)) for person in people]
    # Neighbours are compared a chunk at a time: small chunks put chunk edges inside these few records.
    for chunk in (1, 2, 5, records_module._CHUNK):
        persons = _Persons()
        for organisation, reference in people:
            persons.add(person_digest(organisation, reference))
        with patch.object(records_module, "_CHUNK", chunk):
            numbers = persons.numbers()
        assert numbers.typecode == "Q"
        assert list(numbers) == expected


MEASURED = ("age", "oblast")
SENSITIVE_NAMES = ("form", "context")
DIGESTS = st.sampled_from(["d1", "d2", "d3", "d|4"])


@st.composite
def _measured_rows(draw: st.DrawFn) -> tuple[list[MeasuredRow], tuple[str, ...]]:
    width = draw(st.integers(0, 2))
    values = st.tuples(st.sampled_from(["18_25", "26_40", ""]), st.sampled_from(["UA-01", "UA-02"]))
    secrets_ = st.tuples(*[DIGESTS] * width)
    rows = draw(st.lists(st.tuples(st.integers(0, 6), values, secrets_), max_size=60))
    return rows, SENSITIVE_NAMES[:width]


def _reference_l_by_person(rows: list[MeasuredRow], sensitive: int) -> int | None:
    """The re-measure's l before the numpy grouping: each person's sets per class, duplicates and all."""
    if not sensitive:
        return None
    sets: dict[tuple[int, tuple[str, ...]], list[set[str]]] = {}
    for person, values, secrets_ in rows:
        held = sets.setdefault((person, values), [set() for _ in range(sensitive)])
        for at, digest in enumerate(secrets_):
            held[at].add(digest)
    people_of: dict[tuple[str, ...], list[list[set[str]]]] = {}
    for (_, values), held in sets.items():
        people_of.setdefault(values, []).append(held)
    return min(
        person_diversity(held[s] for held in people)
        for people in people_of.values()
        for s in range(sensitive)
    )


def _as_rows(table: list[dict[str, Any]]) -> list[tuple[tuple[str, Any], ...]]:
    return sorted(tuple(sorted(row.items())) for row in table)


@given(_measured_rows())
def test_the_grouped_re_measure_sees_the_rows_person_rows_makes(
    drawn: tuple[list[MeasuredRow], tuple[str, ...]],
) -> None:
    rows, sensitive = drawn
    measured_rows = MeasuredRows()
    for person, values, secrets_ in rows:
        measured_rows.append(person, values, secrets_)
    assert list(measured_rows) == rows
    classes = measured_rows.person_classes()
    table = _risk_table(classes, MEASURED, sensitive)
    assert _as_rows(table) == _as_rows(person_rows(rows, MEASURED, sensitive))
    if rows:  # the export measures l only when it wrote something
        assert _l_by_person(classes, len(sensitive)) == _reference_l_by_person(rows, len(sensitive))
        assert measure_risk(table, MEASURED, sensitive) == measure_risk(
            person_rows(rows, MEASURED, sensitive), MEASURED, sensitive
        )


def _width(column: Column) -> str:
    return column.ids.typecode


def test_a_column_widens_its_ids_past_65536_combinations_and_keeps_every_value() -> None:
    column = Column("place", ("value",))
    values = [f"UA-SYNTH-{number}" for number in range(70_000)] + ["UA-SYNTH-7"]
    for value in values[:65_536]:
        column.add((value,))
    assert _width(column) == "H"
    for value in values[65_536:]:
        column.add((value,))
    assert _width(column) == "I"
    assert [column.value(record, 0) for record in range(len(values))] == values


ORDER_DIGESTS = st.text(alphabet="ABZ267", min_size=26, max_size=26)  # base32 letters and digits, ties likely


@given(st.lists(st.tuples(ORDER_DIGESTS, st.integers(0, 3), st.booleans()), max_size=40))
def test_sorting_by_digest_rank_is_sorting_by_digest(records: list[tuple[str, int, bool]]) -> None:
    order = "".join(digest for digest, _, _ in records).encode("ascii")
    kept = np.array([index for index, (_, _, keep) in enumerate(records) if keep], dtype=np.uint64)
    classes = np.array([records[index][1] for index in kept.tolist()], dtype=np.int64)
    by_digest = np.frombuffer(order, dtype="S26")[kept] if len(records) else np.zeros(0, dtype="S26")
    expected = kept[np.lexsort((by_digest, classes))]
    for chunk in (1, 3, records_module._CHUNK):  # digests are read a chunk at a time
        with patch.object(records_module, "_CHUNK", chunk):
            rank = _digest_ranks(io.BytesIO(order), len(records))
        assert kept[np.lexsort((rank[kept], classes))].tolist() == expected.tolist()
    # And as Python's stable sort of (class, digest) orders the kept records:
    assert expected.tolist() == sorted(kept.tolist(), key=lambda i: (records[i][1], records[i][0]))
