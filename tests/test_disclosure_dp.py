"""Differentially private tables (crsvdata.disclosure.dp): the guarantee OpenDP certifies, the bound on
each person's contribution, full domains, real noise of the stated scale, refusals, and the CLI."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata.aggregate import statistics
from crsvdata.aggregate.statistics import count_records, person_units
from crsvdata.anonymise.errors import AnonymisationError
from crsvdata.anonymise.inputs import read_case_records
from crsvdata.cli import main
from crsvdata.disclosure import dp
from crsvdata.disclosure.tables import Domain, Table, TableError
from crsvdata.validation.catalogue import ISSUE_CODES

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "examples/synthetic/case-records.jsonl"

DOMAINS = (Domain("a", ("x", "y", "z")), Domain("b", ("p", "q")), Domain("c", ("u", "v", "w", "s")))


@st.composite
def people_units(draw: st.DrawFn, dims: int = 2) -> list[tuple[tuple[str, ...], int]]:
    """Units of a few people over the first ``dims`` test domains, people interleaved."""
    labels = st.tuples(*(st.sampled_from(d.categories) for d in DOMAINS[:dims]))
    return draw(st.lists(st.tuples(labels, st.integers(0, 6)), max_size=40))


def _entries_l1(a: Table, b: Table) -> int:
    return int(np.abs(a.entries - b.entries).sum())


# --- the guarantee --------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    epsilon=st.floats(0.01, 20, allow_nan=False),
    dims=st.integers(1, 3),
    c=st.integers(1, 12),
)
def test_opendp_certifies_a_privacy_loss_within_epsilon(epsilon: float, dims: int, c: int) -> None:
    result = dp.release(DOMAINS[:dims], [], epsilon, c)
    assert result.sensitivity == c * 2**dims
    assert result.privacy_loss <= epsilon
    # Independently of release(): OpenDP's own measurement at the published scale, asked again.
    size = len(result.published.values)
    assert dp.laplace_measurement(size, result.noise_scale).map(result.sensitivity) <= epsilon
    assert result.summary()["privacy_loss"] == result.privacy_loss


@settings(max_examples=60, deadline=None)
@given(units=people_units(dims=3), c=st.integers(1, 4), data=st.data())
def test_removing_one_person_moves_the_entries_by_at_most_the_sensitivity(
    units: list[tuple[tuple[str, ...], int]], c: int, data: st.DataObject
) -> None:
    """The sensitivity the measurement is built for is a true bound for neighbouring data sets."""
    persons = sorted({p for _, p in units}) or [0]
    gone = data.draw(st.sampled_from(persons))
    full = dp.bound_units(DOMAINS, units, c).table
    without = dp.bound_units(DOMAINS, [u for u in units if u[1] != gone], c).table
    assert _entries_l1(full, without) <= dp.sensitivity(len(DOMAINS), c)


@settings(max_examples=60, deadline=None)
@given(units=people_units(), c=st.integers(1, 5))
def test_no_person_counts_more_than_c_units(units: list[tuple[tuple[str, ...], int]], c: int) -> None:
    bounded = dp.bound_units(DOMAINS[:2], units, c)
    per_person = Counter(p for _, p in units)
    kept = sum(min(n, c) for n in per_person.values())
    assert int(bounded.table.cells.sum()) == kept
    assert bounded.units_dropped == len(units) - kept
    assert bounded.units_in == len(units)


def test_a_person_with_fifty_acts_contributes_at_most_c() -> None:
    units = [(("x", "p"), "one person")] * 50 + [(("y", "q"), "another")]
    bounded = dp.bound_units(DOMAINS[:2], units, 3)
    assert int(bounded.table.cells[0, 0]) == 3
    assert int(bounded.table.cells[1, 1]) == 1
    assert bounded.units_dropped == 47
    result = dp.release(DOMAINS[:2], units, 1.0, 3)
    assert result.summary()["units_dropped_by_bound"] == 47
    # The first units of a person are kept, whatever comes later.
    first = dp.bound_units(DOMAINS[:2], [(("z", "q"), 1), (("x", "p"), 1), (("x", "q"), 1)], 1)
    assert int(first.table.cells.sum()) == 1
    assert int(first.table.cells[2, 1]) == 1


def test_every_category_of_every_domain_is_published() -> None:
    result = dp.release(DOMAINS, [(("x", "p", "u"), 1)], 1.0, 1)
    table = dp.bound_units(DOMAINS, [], 1).table
    assert set(result.published.values) == set(table.positions())
    assert len(result.published.values) == 4 * 3 * 5
    assert all(isinstance(v, int) for v in result.published.values.values())
    assert result.published.method == "differential_privacy"
    labels = {row for row, _ in result.published.rows()}
    for domain, index in zip(DOMAINS, range(3), strict=True):
        assert {row[index] for row in labels} == {*domain.categories, "_total"}


# --- the noise ------------------------------------------------------------------------------------


def test_two_releases_differ() -> None:
    units = [(("x", "p"), n) for n in range(20)]
    first = dp.release(DOMAINS[:2], units, 1.0, 1).published.values
    second = dp.release(DOMAINS[:2], units, 1.0, 1).published.values
    # 12 entries, discrete Laplace of scale 4: all equal has probability below 0.2 ** 12 < 1e-8.
    assert first != second


def test_the_noise_has_the_laplace_scale() -> None:
    """The mean truncated absolute error matches the discrete Laplace of the stated scale.

    The noise of OpenDP's discrete Laplace with scale b has P(k) proportional to exp(-|k| / b). We
    compare the sample mean of min(|noise|, M) with its exact expectation. Each term lies in [0, M], so
    by Hoeffding's inequality the sample mean of N independent terms is further than
    t = M * sqrt(ln(2 / delta) / (2 N)) from its expectation with probability at most delta = 1e-6.
    A scale off by a factor of 1.25 moves the expectation by about 0.8, well outside t (about 0.4).
    """
    big = (Domain("k", tuple(f"k{i}" for i in range(999))),)
    epsilon, c = 0.5, 1  # sensitivity 2 (one unit: its cell and the total), scale 4
    runs, delta = 60, 1e-6
    noise: list[int] = []
    for _ in range(runs):
        result = dp.release(big, [], epsilon, c)  # every true count is 0: the published value is noise
        assert result.noise_scale == pytest.approx(4.0)
        noise.extend(v for v in result.published.values.values() if v is not None)
    b, cap = 4.0, 40
    alpha = math.exp(-1 / b)
    ks = np.arange(-2000, 2001)
    pmf = alpha ** np.abs(ks) * (1 - alpha) / (1 + alpha)
    expected = float((pmf * np.minimum(np.abs(ks), cap)).sum())
    observed = float(np.minimum(np.abs(np.array(noise)), cap).mean())
    n = len(noise)
    assert n == runs * 1000
    tolerance = cap * math.sqrt(math.log(2 / delta) / (2 * n))
    assert abs(observed - expected) <= tolerance
    # Truncating at 10 scales changes E|X| = 2 alpha / (1 - alpha^2) (close to b) by less than 1e-3.
    assert expected == pytest.approx(2 * alpha / (1 - alpha**2), abs=1e-3)


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("epsilon", [0, -1.0, math.nan, math.inf, True])
def test_epsilon_must_be_positive_and_finite(epsilon: float) -> None:
    with pytest.raises(dp.DPError) as caught:
        dp.release(DOMAINS[:1], [], epsilon)
    assert caught.value.code == "disclosure.dp_parameter"


def test_the_bound_must_be_at_least_one() -> None:
    with pytest.raises(dp.DPError):
        dp.release(DOMAINS[:1], [], 1.0, 0)


def test_a_clear_refusal_without_opendp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opendp", None)
    monkeypatch.setitem(sys.modules, "opendp.prelude", None)
    with pytest.raises(dp.DPUnavailableError) as caught:
        dp.release(DOMAINS[:1], [(("x",), 1)], 1.0)
    assert caught.value.code == "disclosure.dp_unavailable"
    assert "crsvdata[dp]" in str(caught.value)


def test_new_codes_are_catalogued() -> None:
    assert {"disclosure.dp_parameter", "disclosure.dp_unavailable"} <= set(ISSUE_CODES)


def test_errors_never_quote_a_category() -> None:
    with pytest.raises(TableError) as caught:
        dp.release(DOMAINS[:1], [(("Olena Kovalenko",), 1)], 1.0)
    assert "Olena" not in str(caught.value)


# --- the aggregate layer and the command line -----------------------------------------------------


def test_statistics_publishes_a_dp_table_with_its_manifest() -> None:
    records = list(read_case_records(CASES))
    result = statistics(
        records, ["form_of_violence", "sex"], method="dp", epsilon=2.0, max_units_per_person=1
    )
    output = result.manifest.to_dict()["output"]
    assert output["method"] == "differential_privacy"
    assert output["epsilon"] == 2.0
    assert output["privacy_loss"] <= 2.0
    assert output["sensitivity"] == 4
    assert output["noise_scale"] == pytest.approx(2.0)
    # Exact counts and the bound, on the records the consent gate let through.
    counted = result.manifest.records_out
    assert counted > 0
    rows = list(csv.reader(result.data.decode().splitlines()))
    assert rows[0] == ["form_of_violence", "sex", "acts", "suppressed"]
    assert len(rows) - 1 == output["entries"] == len(result.published.values)
    assert output["units_dropped_by_bound"] >= 0


def test_person_units_carry_the_person_and_match_the_counts() -> None:
    records = list(read_case_records(CASES))[:50]
    units = list(person_units(records, ["sex"], "acts", "year"))
    assert sum(count_records(records, ["sex"], "acts").counts.values()) == len(units)
    persons = {(r.source_organisation, r.survivor.survivor_ref) for r in records}
    assert {person for _, person in units} <= persons


def _stats(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["stats", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_publishes_a_dp_table(tmp_path: Path) -> None:
    out = tmp_path / "dp.csv"
    code, stdout, stderr = _stats(
        "--by", "form_of_violence,sex", "--method", "dp", "--epsilon", "0.5", "--max-units-per-person", "2",
        str(CASES), str(out),
    )  # fmt: skip
    assert code == 0, stderr
    assert "discrete Laplace" in stdout
    output = json.loads((tmp_path / "dp.csv.manifest.json").read_text())["output"]
    assert output["method"] == "differential_privacy"
    assert output["epsilon"] == 0.5
    assert output["privacy_loss"] <= 0.5
    assert output["sensitivity"] == 8
    assert output["max_units_per_person"] == 2
    rows = list(csv.reader(out.open()))
    assert len(rows) - 1 == output["entries"] == 24 * 5  # 23 forms + total, 4 sexes + total


@pytest.mark.parametrize("epsilon", ["0", "-1", "nan", "inf"])
def test_cli_refuses_a_bad_epsilon(tmp_path: Path, epsilon: str) -> None:
    out = tmp_path / "dp.csv"
    code, _, stderr = _stats("--by", "sex", "--method", "dp", "--epsilon", epsilon, str(CASES), str(out))
    assert code == 2
    assert "disclosure.dp_parameter" in stderr
    assert not out.exists()


def test_cli_without_opendp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opendp", None)
    monkeypatch.setitem(sys.modules, "opendp.prelude", None)
    out = tmp_path / "dp.csv"
    code, _, stderr = _stats("--by", "sex", "--method", "dp", str(CASES), str(out))
    assert code == 2
    assert "disclosure.dp_unavailable" in stderr
    assert not out.exists()
    assert not (tmp_path / "dp.csv.manifest.json").exists()


def test_statistics_refusal_is_an_anonymisation_error_with_the_code() -> None:
    records = list(read_case_records(CASES))[:5]
    with pytest.raises(AnonymisationError) as caught:
        statistics(records, ["sex"], method="dp", epsilon=-1)
    assert caught.value.code == "disclosure.dp_parameter"
