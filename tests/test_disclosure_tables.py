"""Disclosure control of count tables: an independent integer-programming attacker, presence, differencing.

The attacker here is written separately from ``crsvdata.disclosure.audit``: its variables are *all*
interior cells, it reads only the published output (labels and values), and it bounds every variable so
that each integer program is feasible and bounded.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from crsvdata.disclosure.audit import AuditLimitError, audit_suppression
from crsvdata.disclosure.cellkey import DEFAULT_PTABLE, PTable, perturb
from crsvdata.disclosure.suppression import suppress
from crsvdata.disclosure.tables import TOTAL, Domain, PublishedTable, Table, TableError, record_key

BIG = 10**6  # stands for "unbounded" in the attacker's programs


# --- the independent attacker -------------------------------------------------------------------------


def attack(
    domains: Sequence[Sequence[str]], published: Mapping[tuple[str, ...], int | None], positive: bool = True
) -> dict[tuple[str, ...], tuple[int, int]]:
    """Each suppressed entry's feasible interval from the published labels and values alone.

    ``positive``: the attacker knows suppressed entries are at least 1 (zeros are published).
    """
    cells = list(itertools.product(*domains))
    column = {cell: i for i, cell in enumerate(cells)}

    def members(labels: tuple[str, ...]) -> list[int]:
        return [
            column[cell]
            for cell in cells
            if all(lab in (TOTAL, value) for lab, value in zip(labels, cell, strict=True))
        ]

    rows, lower_rows = [], []
    rhs, lower = [], []
    for labels, value in published.items():
        row = np.zeros(len(cells))
        row[members(labels)] = 1
        if value is None:
            if positive:
                lower_rows.append(row)
                lower.append(1)
        else:
            rows.append(row)
            rhs.append(value)
    constraints = []
    if rows:
        constraints.append(LinearConstraint(np.array(rows), rhs, rhs))
    if lower_rows:
        constraints.append(LinearConstraint(np.array(lower_rows), lower, np.inf))
    out = {}
    for labels, value in published.items():
        if value is not None:
            continue
        objective = np.zeros(len(cells))
        objective[members(labels)] = 1
        ends = []
        for sign in (1, -1):
            result = milp(
                sign * objective,
                integrality=np.ones(len(cells)),
                bounds=Bounds(0, BIG),
                constraints=constraints,
            )
            assert result.status == 0, result.message
            ends.append(round(float(objective @ np.round(result.x))))
        out[labels] = (ends[0], ends[1])
    return out


def linearly_determined(
    domains: Sequence[Sequence[str]], published: Mapping[tuple[str, ...], int | None]
) -> set[tuple[str, ...]]:
    """The OLD audit's notion: suppressed entries fixed by the published equalities over the reals."""
    cells = list(itertools.product(*domains))
    rows = []
    for labels, value in published.items():
        if value is not None:
            rows.append(
                [all(lab in (TOTAL, v) for lab, v in zip(labels, cell, strict=True)) for cell in cells]
            )
    a = np.array(rows, dtype=float)
    rank = np.linalg.matrix_rank(a)
    determined = set()
    for labels, value in published.items():
        if value is None:
            target = [all(lab in (TOTAL, v) for lab, v in zip(labels, cell, strict=True)) for cell in cells]
            if np.linalg.matrix_rank(np.vstack([a, np.array(target, dtype=float)])) == rank:
                determined.add(labels)
    return determined


def assert_protected(
    intervals: Mapping[tuple[str, ...], tuple[int, int]], truth: Mapping[tuple[str, ...], int], threshold: int
) -> None:
    for labels, (lo, hi) in intervals.items():
        assert lo <= truth[labels] <= hi  # the attacker's program must contain the truth
        assert hi > lo, "a suppressed entry is exactly determined"
        if 0 < truth[labels] < threshold:
            assert hi >= threshold, "a small count is known to be small"
            assert hi - lo >= threshold - 1, "a small count is narrowed to fewer than threshold values"


def truth_of(table: Table) -> dict[tuple[str, ...], int]:
    entries = table.entries
    return {table.label(key): int(entries[key]) for key in table.positions()}


# --- generated tables ---------------------------------------------------------------------------------

COUNTS = st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 7, 9, 14])


@st.composite
def small_tables(draw: st.DrawFn, max_dims: int = 3, max_size: int = 5) -> Table:
    dims = draw(st.integers(2, max_dims))
    sizes = [draw(st.integers(2, max_size)) for _ in range(dims)]
    while int(np.prod(sizes)) > 30:  # keep the attacker's programs small
        sizes[sizes.index(max(sizes))] -= 1
    domains = [Domain(f"d{d}", tuple(f"c{i}" for i in range(n))) for d, n in enumerate(sizes)]
    cells = np.array([draw(COUNTS) for _ in range(int(np.prod(sizes)))], dtype=np.int64).reshape(sizes)
    return Table.from_array(domains, cells)


def categories(table: Table) -> list[tuple[str, ...]]:
    return [d.categories for d in table.domains]


@settings(max_examples=60, deadline=None)
@given(small_tables(), st.integers(2, 6))
def test_an_integer_programming_attacker_cannot_narrow_any_suppressed_entry(
    table: Table, threshold: int
) -> None:
    result = suppress(table, threshold)
    published = dict(result.published.rows())
    truth = truth_of(table)
    for labels, value in published.items():
        assert value is None or value == truth[labels]
        assert value is None or value == 0 or value >= threshold
    intervals = attack(categories(table), published)
    assert_protected(intervals, truth, threshold)
    # The library's reported intervals are inner bounds of the attacker's.
    for key, interval in result.intervals.items():
        lo, hi = intervals[table.label(key)]
        assert lo <= interval.lo
        assert interval.hi is None or interval.hi <= hi
        assert interval.hi is not None or hi >= BIG or result.whole_table_suppressed


# --- the reported attack, as a regression case -------------------------------------------------------

ISSUE_DOMAINS = (("forced_pregnancy", "gang_rape", "rape"), ("female", "male"))
ISSUE_PUBLISHED: dict[tuple[str, ...], int | None] = {
    ("forced_pregnancy", "female"): None,
    ("forced_pregnancy", "male"): 0,
    ("gang_rape", "female"): 0,
    ("gang_rape", "male"): None,
    ("rape", "female"): None,
    ("rape", "male"): None,
    ("forced_pregnancy", TOTAL): None,
    ("gang_rape", TOTAL): None,
    ("rape", TOTAL): 13,
    (TOTAL, "female"): 6,
    (TOTAL, "male"): 9,
    (TOTAL, TOTAL): 15,
}
"""The table of the report, as the old code published it (only observed categories, zeros shown)."""


def test_the_reported_table_is_solved_by_integers_but_not_by_the_old_linear_audit() -> None:
    pinned = ("forced_pregnancy", "female")
    # Over the reals the suppressed cells keep a degree of freedom: the old audit let this table out.
    assert pinned not in linearly_determined(ISSUE_DOMAINS, ISSUE_PUBLISHED)
    assert not linearly_determined(ISSUE_DOMAINS, ISSUE_PUBLISHED)
    # With non-negativity, integrality and "suppressed means not zero" the attacker pins the cell.
    intervals = attack(ISSUE_DOMAINS, ISSUE_PUBLISHED)
    assert intervals[pinned] == (1, 1)
    # The library's own audit agrees that this publication is unsafe.
    domains = [Domain("form", ISSUE_DOMAINS[0]), Domain("sex", ISSUE_DOMAINS[1])]
    table = Table.from_counts(
        domains,
        {
            ("rape", "female"): 5,
            ("rape", "male"): 8,
            ("forced_pregnancy", "female"): 1,
            ("gang_rape", "male"): 1,
        },
    )
    old_pattern = [table_key(table, labels) for labels, value in ISSUE_PUBLISHED.items() if value is None]
    audited = audit_suppression(table, old_pattern)
    assert audited[table_key(table, pinned)].width == 0


def table_key(table: Table, labels: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(
        len(d) if lab == TOTAL else d.index(lab) for lab, d in zip(labels, table.domains, strict=True)
    )


def test_the_reported_table_is_protected_now() -> None:
    forms = Domain.from_code_list("form_of_violence")
    sex = Domain.from_code_list("sex")
    table = Table.from_counts(
        [forms, sex],
        {
            ("rape", "female"): 5,
            ("rape", "male"): 8,
            ("forced_pregnancy", "female"): 1,
            ("gang_rape", "male"): 1,
        },
    )
    result = suppress(table, 5)
    published = dict(result.published.rows())
    assert published[("forced_pregnancy", "female")] is None
    assert_protected(attack(categories(table), published), truth_of(table), 5)


def test_the_attacker_catches_a_cell_pinned_through_the_grand_total() -> None:
    # Hiding the small cell with its row and column totals is not enough: the grand total minus the
    # published row and column gives it back. The attacker must see that, or the property proves nothing.
    domains = [Domain("r", ("a", "b")), Domain("c", ("x", "y"))]
    table = Table.from_array(domains, [[2, 9], [9, 9]])
    published = {table.label(k): (None if k == (0, 0) else int(table.entries[k])) for k in table.positions()}
    published[("a", TOTAL)] = None
    published[(TOTAL, "x")] = None
    with pytest.raises(AssertionError):
        assert_protected(attack(categories(table), published), truth_of(table), 5)


# --- presence ----------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(small_tables(max_size=4), st.booleans())
def test_every_category_of_every_domain_is_published_whatever_the_data(table: Table, zero_out: bool) -> None:
    if zero_out:
        table = Table.from_array(table.domains, np.zeros(table.shape, dtype=np.int64))
    expected = set(itertools.product(*((*d.categories, TOTAL) for d in table.domains)))
    assert {labels for labels, _ in suppress(table, 3).published.rows()} == expected
    keyed = Table.from_units(table.domains, units_of(table, random.Random(0)))
    assert {labels for labels, _ in perturb(keyed).rows()} == expected


def units_of(table: Table, rng: random.Random) -> list[tuple[tuple[str, ...], int]]:
    units = []
    for index in np.ndindex(table.shape):
        labels = tuple(d.categories[i] for d, i in zip(table.domains, index, strict=True))
        units += [(labels, rng.randrange(DEFAULT_PTABLE.modulus)) for _ in range(int(table.cells[index]))]
    return units


# --- cell-key perturbation -----------------------------------------------------------------------------

KEY = st.integers(0, DEFAULT_PTABLE.modulus - 1)
DOMS = (Domain("form", ("rape", "forced_nudity", "threat")), Domain("sex", ("female", "male")))
UNIT = st.tuples(st.tuples(st.sampled_from(DOMS[0].categories), st.sampled_from(DOMS[1].categories)), KEY)


def contributors(units: Sequence[tuple[tuple[str, ...], int]], labels: tuple[str, ...]) -> Counter[int]:
    return Counter(
        k for cats, k in units if all(lab in (TOTAL, c) for lab, c in zip(labels, cats, strict=True))
    )


@given(st.lists(UNIT, max_size=30), st.lists(UNIT, max_size=5), st.randoms())
def test_same_contributors_get_the_same_noise_in_every_release(
    units: list[tuple[tuple[str, ...], int]], added: list[tuple[tuple[str, ...], int]], rng: random.Random
) -> None:
    first = dict(perturb(Table.from_units(DOMS, units)).rows())
    later_units = units + added
    rng.shuffle(later_units)
    later = dict(perturb(Table.from_units(DOMS, later_units)).rows())
    for labels, value in first.items():
        if contributors(units, labels) == contributors(later_units, labels):
            assert later[labels] == value


@given(st.lists(UNIT, max_size=40))
def test_perturbed_counts_are_never_negative_and_zeros_stay_zero(
    units: list[tuple[tuple[str, ...], int]],
) -> None:
    table = Table.from_units(DOMS, units)
    truth = truth_of(table)
    for labels, value in perturb(table).rows():
        assert value is not None
        assert value >= 0
        assert abs(value - truth[labels]) <= DEFAULT_PTABLE.max_noise
        if truth[labels] == 0:
            assert value == 0


def test_small_counts_are_never_published_as_themselves_with_certainty() -> None:
    rng = random.Random(20260)
    for count in range(1, 5):
        assert DEFAULT_PTABLE.exact_probability(count) < 1
        assert DEFAULT_PTABLE.bias(count) == 0
        seen = Counter(
            count + DEFAULT_PTABLE.noise(count, rng.randrange(DEFAULT_PTABLE.modulus)) for _ in range(2000)
        )
        assert len(seen) >= 3
        assert seen[count] / 2000 < float(DEFAULT_PTABLE.exact_probability(count)) + 0.05
    # A published 0 can come from a true 1 or 2, so 0 does not prove absence.
    assert DEFAULT_PTABLE.distribution(1)[0] > 0
    assert DEFAULT_PTABLE.distribution(2)[0] > 0


# --- two releases ---------------------------------------------------------------------------------------


def release_pair(rng: random.Random, ckm: bool) -> tuple[dict[tuple[str, ...], int | None], ...]:
    """Release A, release B = A + one new person, and the new person's cell as the only key."""
    forms = Domain.from_code_list("form_of_violence")
    sex = Domain.from_code_list("sex")
    doms = [forms, sex]
    units = []
    for form in forms.categories[:6]:
        for s in ("female", "male"):
            units += [((form, s), rng.randrange(DEFAULT_PTABLE.modulus)) for _ in range(rng.randint(5, 12))]
    newcomer = ((rng.choice(forms.categories[:6]), rng.choice(("female", "male"))), rng.randrange(1 << 16))
    before, after = Table.from_units(doms, units), Table.from_units(doms, [*units, newcomer])
    if ckm:
        a, b = dict(perturb(before).rows()), dict(perturb(after).rows())
    else:
        a, b = dict(suppress(before, 5).published.rows()), dict(suppress(after, 5).published.rows())
    return a, b, {newcomer[0]: None}


def singled_out_by_plus_one(
    a: Mapping[tuple[str, ...], int | None], b: Mapping[tuple[str, ...], int | None]
) -> set:
    """The attacker's guess: interior cells whose published value rose by exactly 1."""
    return {
        labels
        for labels, value in b.items()
        if TOTAL not in labels and value is not None and a[labels] is not None and value - a[labels] == 1
    }


def test_differencing_two_releases_reveals_the_newcomer_under_plain_suppression() -> None:
    rng = random.Random(7)
    trials = 40
    hits = 0
    for _ in range(trials):
        a, b, newcomer = release_pair(rng, ckm=False)
        hits += singled_out_by_plus_one(a, b) == set(newcomer)
    assert hits == trials  # the attack works every time: this is what the perturbation must break


def test_differencing_two_releases_under_cell_key_perturbation_hides_the_plus_one() -> None:
    rng = random.Random(11)
    trials = 400
    exact = 0
    for _ in range(trials):
        a, b, newcomer = release_pair(rng, ckm=True)
        (cell,) = newcomer
        exact += singled_out_by_plus_one(a, b) == {cell}
    bound = max(DEFAULT_PTABLE.exact_difference_probability(n) for n in range(5, 14))
    # Binomial slack of four standard deviations around the p-table's own probability.
    slack = 4 * (float(bound) * (1 - float(bound)) / trials) ** 0.5
    assert exact / trials <= float(bound) + slack
    assert bound < Fraction(1, 3)


def test_known_limitation_cell_key_alone_shows_which_cells_changed() -> None:
    # Cells whose contributors did not change are published identically, so a lone newcomer's cell is
    # the one that changed whenever its noise redraw moved it. Documented in docs/anonymisation/tables.md;
    # if this ever fails, the documentation of what cell-key perturbation protects must change too.
    rng = random.Random(13)
    trials = 200
    located = 0
    for _ in range(trials):
        a, b, newcomer = release_pair(rng, ckm=True)
        changed = {labels for labels in b if TOTAL not in labels and b[labels] != a[labels]}
        assert changed <= set(newcomer)
        located += changed == set(newcomer)
    assert located / trials > 0.5


# --- bad inputs ------------------------------------------------------------------------------------------

SECRET = "Oksana-Kherson-0501234567"


def test_an_unknown_category_is_refused_without_echoing_it() -> None:
    with pytest.raises(TableError) as caught:
        Table.from_counts(list(DOMS), {("rape", SECRET): 3})
    assert SECRET not in str(caught.value)
    assert "sex" in str(caught.value)
    with pytest.raises(TableError) as caught:
        Table.from_units(list(DOMS), [((SECRET, "female"), 5)])
    assert SECRET not in str(caught.value)


def test_bad_counts_shapes_and_parameters_are_refused() -> None:
    with pytest.raises(TableError, match="negative"):
        Table.from_counts(list(DOMS), {("rape", "female"): -1})
    with pytest.raises(TableError, match="negative"):
        Table.from_array(list(DOMS), [[1, -2], [0, 0], [0, 0]])
    with pytest.raises(TableError, match="shape"):
        Table.from_array(list(DOMS), [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(TableError, match="integers"):
        Table.from_array(list(DOMS), [[1.5, 2], [0, 0], [0, 0]])
    with pytest.raises(TableError, match="number of categories"):
        Table.from_counts(list(DOMS), {("rape",): 1})
    with pytest.raises(TableError, match="twice"):
        Domain("sex", ("female", "female"))
    with pytest.raises(TableError, match="reserved"):
        Domain("sex", ("female", TOTAL))
    with pytest.raises(TableError, match="threshold"):
        suppress(Table.from_counts(list(DOMS), {}), 1)
    with pytest.raises(TableError, match="lie in"):
        record_key(1 << 16, 1 << 16)
    with pytest.raises(TableError, match="8 bytes"):
        record_key(b"short", 1 << 16)
    with pytest.raises(TableError, match="record keys"):
        perturb(Table.from_counts(list(DOMS), {("rape", "female"): 3}))
    with pytest.raises(TableError, match="modulus"):
        perturb(Table.from_units(list(DOMS), [(("rape", "female"), 3)], modulus=256))
    with pytest.raises(TableError, match="sum to the modulus"):
        PTable(16, (((0, 15),),))
    with pytest.raises(TableError, match="negative"):
        PTable(16, (((0, 16),), ((-2, 8), (0, 8))))


def test_the_audit_bounds_its_work_and_fails_clearly() -> None:
    big = [Domain(f"d{i}", tuple(f"c{j}" for j in range(40))) for i in range(3)]
    with pytest.raises(AuditLimitError, match="entries"):
        suppress(Table.from_counts(big, {}), 5)
    table = Table.from_array(list(DOMS), [[1, 2], [3, 1], [2, 2]])
    with pytest.raises(AuditLimitError, match="integer programs"):
        suppress(table, 5, max_solves=1)


def test_a_table_with_nothing_publishable_is_suppressed_whole_and_says_so() -> None:
    table = Table.from_array(list(DOMS), [[1, 0], [0, 1], [1, 0]])
    result = suppress(table, 5)
    assert result.whole_table_suppressed
    assert all(value in (None, 0) for _, value in result.published.rows())
    assert all(value is None for labels, value in result.published.rows() if truth_of(table)[labels] > 0)
    assert result.summary()["whole_table_suppressed"] is True


def test_record_keys_come_from_keyed_digests() -> None:
    import hashlib
    import hmac

    digest = hmac.new(b"k" * 32, b"survivor-1|incident-1|rape", hashlib.sha256).digest()
    key = record_key(digest, 1 << 16)
    assert 0 <= key < 1 << 16
    assert key == record_key(digest, 1 << 16)


def test_a_published_table_is_a_plain_value() -> None:
    table = Table.from_units(list(DOMS), [(("rape", "female"), 9)] * 6)
    release = perturb(table)
    assert isinstance(release, PublishedTable)
    assert release.method == "cell_key_perturbation"
    assert len(dict(release.rows())) == 4 * 3
