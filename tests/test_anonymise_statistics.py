"""Small-cell suppression: every published count is 0 or at least the threshold, and no suppressed entry
can be recovered from the published ones (checked by brute force on small tables)."""

from __future__ import annotations

import csv
import io
import itertools

from hypothesis import given
from hypothesis import strategies as st

from crsvdata.aggregate.statistics import TOTAL, SuppressedTable, write_csv
from crsvdata.anonymise import protect_counts
from crsvdata.disclosure import CountTable, suppress_small_cells

SMALL = st.sampled_from([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12])


@st.composite
def tables(draw: st.DrawFn, max_dims: int = 3, max_size: int = 4) -> CountTable:
    dims = draw(st.integers(1, max_dims))
    shape = [draw(st.integers(1, max_size)) for _ in range(dims)]
    counts = {}
    for cell in itertools.product(*(range(n) for n in shape)):
        value = draw(SMALL)
        if value:
            counts[tuple(f"d{d}v{i}" for d, i in enumerate(cell))] = value
    if not counts:
        counts[tuple(f"d{d}v0" for d in range(dims))] = draw(st.integers(1, 9))
    return CountTable(tuple(f"d{d}" for d in range(dims)), "incidents", counts)


@given(tables(), st.integers(2, 10))
def test_every_published_count_is_zero_or_at_least_the_threshold(table: CountTable, threshold: int) -> None:
    result = suppress_small_cells(table, threshold)
    for _, count in result.published():
        assert count is None or count == 0 or count >= threshold


@given(tables())
def test_published_margins_are_true_sums(table: CountTable) -> None:
    result = suppress_small_cells(table, 5)
    for labels, count in result.published():
        if count is None:
            continue
        expected = sum(
            n
            for key, n in table.counts.items()
            if all(label in (TOTAL, k) for label, k in zip(labels, key, strict=True))
        )
        assert count == expected


def alternatives_exist(result: SuppressedTable) -> set[tuple[int, ...]]:
    """The suppressed entries of a 2-D table that some other non-negative table with the same published
    entries gives a different value. Brute force over changes of -1, 0 or +1 per suppressed cell, which
    is complete here: the constraints (row and column sums) form a totally unimodular system, so any
    alternative table differs from the true one by a sum of such elementary changes."""
    rows, cols = (len(c) for c in result.categories)
    cells = [(r, c) for r in range(rows) for c in range(cols) if (r, c) in result.suppressed]
    published_rows = [r for r in range(rows + 1) if (r, cols) not in result.suppressed]
    published_cols = [c for c in range(cols + 1) if (rows, c) not in result.suppressed]
    changed: set[tuple[int, ...]] = set()
    for delta in itertools.product((-1, 0, 1), repeat=len(cells)):
        if not any(delta):
            continue
        change = dict(zip(cells, delta, strict=True))
        if any(result.entries[cell] + d < 0 for cell, d in change.items()):
            continue
        row_sum = {r: sum(d for (rr, _), d in change.items() if rr == r) for r in range(rows)}
        col_sum = {c: sum(d for (_, cc), d in change.items() if cc == c) for c in range(cols)}
        grand = sum(delta)
        if any(row_sum[r] for r in published_rows if r < rows) or any(
            col_sum[c] for c in published_cols if c < cols
        ):
            continue
        if (rows, cols) not in result.suppressed and grand:
            continue
        changed.update(cell for cell, d in change.items() if d)
        changed.update((r, cols) for r in range(rows) if row_sum[r])
        changed.update((rows, c) for c in range(cols) if col_sum[c])
        if grand:
            changed.add((rows, cols))
    return changed


@given(tables(max_dims=2, max_size=3), st.integers(3, 6))
def test_no_suppressed_entry_of_a_small_table_can_be_recovered(table: CountTable, threshold: int) -> None:
    if len(table.dimensions) == 1:
        table = CountTable(
            ("row", *table.dimensions), table.unit, {("r", *k): v for k, v in table.counts.items()}
        )
    result = suppress_small_cells(table, threshold)
    positive = {key for key in result.suppressed if result.entries[key] > 0}
    assert positive <= alternatives_exist(result)


def test_a_lone_small_cell_takes_a_partner_and_a_one_cell_line_its_total() -> None:
    result = suppress_small_cells(CountTable(("sex",), "survivors", {("female",): 2, ("male",): 40}), 5)
    assert dict(result.published()) == {("female",): None, ("male",): None, (TOTAL,): 42}
    single = suppress_small_cells(CountTable(("sex",), "survivors", {("female",): 3}), 5)
    assert dict(single.published()) == {("female",): None, (TOTAL,): None}


@given(
    st.dictionaries(
        st.sampled_from(["consent.missing", "consent.refused", "consent.withdrawn", "disclosure.suppressed"]),
        st.integers(0, 30),
    ),
    st.integers(2, 8),
)
def test_excluded_counts_in_a_manifest_are_protected(counts: dict[str, int], threshold: int) -> None:
    published, total = protect_counts(counts, threshold)
    shown = [v for v in published.values() if v != "suppressed"]
    assert all(
        isinstance(v, int) and (v == 0 or v >= threshold)
        for v in [*shown, *([total] if total != "suppressed" else [])]
    )
    hidden = [k for k, v in published.items() if v == "suppressed"]
    # A hidden count is never the published total minus the shown ones.
    assert len(hidden) != 1 or total == "suppressed"


def test_csv_and_hxl_output() -> None:
    table = suppress_small_cells(
        CountTable(("sex", "oblast"), "incidents", {("female", "UA-65"): 9, ("male", "UA-65"): 7}), 5
    )
    plain, tagged = io.StringIO(), io.StringIO()
    write_csv(table, plain)
    write_csv(table, tagged, hxl=True)
    rows = list(csv.reader(io.StringIO(tagged.getvalue())))
    assert rows[0] == ["sex", "oblast", "incidents", "suppressed"]
    assert rows[1] == [
        "#group+crsv_sex",
        "#adm1+code+v_iso3166_2",
        "#indicator+num+crsv_incidents",
        "#meta+crsv_suppressed",
    ]
    assert plain.getvalue().splitlines()[1:] == tagged.getvalue().splitlines()[2:]
    assert ["female", "UA-65", "9", ""] in rows
    assert [TOTAL, TOTAL, "16", ""] in rows


def test_the_oracle_detects_a_recoverable_cell() -> None:
    # Primary suppression alone leaves a lone small cell equal to its total minus the rest: the oracle must
    # say so, or the property above would prove nothing.
    full = suppress_small_cells(
        CountTable(("r", "c"), "acts", {("a", "x"): 2, ("a", "y"): 9, ("b", "x"): 9, ("b", "y"): 9}), 5
    )
    primary_only = SuppressedTable(
        full.dimensions, full.unit, full.categories, full.entries, set(full.primary), set(full.primary), 5
    )
    assert primary_only.suppressed == {(0, 0)}
    assert alternatives_exist(primary_only) == set()
    assert {k for k in full.suppressed if full.entries[k] > 0} <= alternatives_exist(full)
