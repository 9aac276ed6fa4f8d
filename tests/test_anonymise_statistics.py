"""Published tables of case records: the full code-list domain of every dimension, protected before writing.

The protection itself (integer-programming audit, cell-key perturbation) is proven in
``test_disclosure_tables.py``; these tests prove the aggregate layer uses it on real records: every
category appears whatever the data, published counts are zero or protected, the manifest's one-way
tables are protected the same way, and the CSV/HXL output carries the published table only.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymise_strategies import EXPORT_DAY, with_consent
from crsvdata.aggregate import statistics
from crsvdata.aggregate.statistics import FIRST_YEAR, count_records, domains, write_csv
from crsvdata.anonymise import AnonymisationError, KeyRing, protect_counts
from crsvdata.codes import load
from crsvdata.codes.enums import ConsentPurpose
from crsvdata.disclosure import Domain, Table, suppress
from crsvdata.disclosure.tables import TOTAL
from crsvdata.models import CaseRecord
from crsvdata.testing import case_records


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


@settings(max_examples=15)
@given(st.lists(case_records(), min_size=0, max_size=6))
def test_every_category_of_the_code_lists_is_published_whatever_the_records(
    records: list[CaseRecord],
) -> None:
    consenting = [with_consent(r, ConsentPurpose.STATISTICS) for r in records]
    result = statistics(consenting, ("form_of_violence", "sex"), on=EXPORT_DAY)
    rows = _rows(result.data)[1:]
    forms = {row[0] for row in rows} - {TOTAL}
    sexes = {row[1] for row in rows} - {TOTAL}
    assert forms == set(load("form_of_violence").codes)
    assert sexes == set(load("sex").codes)
    # A row exists for every combination, so the presence of a row says nothing about the data.
    assert len(rows) == (len(forms) + 1) * (len(sexes) + 1)
    for row in rows:
        if row[3] == "true":
            assert row[2] == ""
        else:
            assert int(row[2]) == 0 or int(row[2]) >= 5


def test_period_domain_runs_from_the_first_year_to_the_export_day_not_from_the_data() -> None:
    (years,) = domains(("period",), "year", date(2024, 6, 1))
    assert years.categories == (*(str(y) for y in range(FIRST_YEAR, 2025)), "unknown")
    (quarters,) = domains(("period",), "quarter", date(2015, 1, 1))
    assert quarters.categories[:4] == ("2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4")
    assert quarters.categories[-1] == "unknown"


@given(st.lists(case_records(), min_size=1, max_size=4))
@settings(max_examples=15)
def test_a_date_less_precise_than_the_period_is_counted_as_unknown(records: list[CaseRecord]) -> None:
    table = count_records(records, ("period",), "incidents", "month")
    month_domain = set(domains(("period",), "month", EXPORT_DAY)[0].categories)
    assert {key[0] for key in table.counts} <= month_domain


@given(
    st.dictionaries(
        st.sampled_from(["consent.missing", "consent.refused", "consent.withdrawn", "disclosure.suppressed"]),
        st.integers(0, 30),
        min_size=1,
    ),
    st.integers(2, 8),
)
def test_excluded_counts_in_a_manifest_are_protected(counts: dict[str, int], threshold: int) -> None:
    published, total = protect_counts(counts, threshold)
    assert set(published) == set(counts)
    shown = [v for v in published.values() if v != "suppressed"]
    for value in [*shown, *([total] if total != "suppressed" else [])]:
        assert isinstance(value, int)
        assert value == 0 or value >= threshold
    hidden = [k for k, v in published.items() if v == "suppressed"]
    # A hidden count is never the published total minus the shown ones.
    assert len(hidden) != 1 or total == "suppressed"


def test_csv_and_hxl_output() -> None:
    sex = Domain("sex", ("female", "male"))
    oblast = Domain("oblast", ("UA-65", "UA-14"))
    result = suppress(Table.from_counts([sex, oblast], {("female", "UA-65"): 9, ("male", "UA-65"): 7}), 5)
    plain, tagged = io.StringIO(), io.StringIO()
    write_csv(result.published, "incidents", plain)
    write_csv(result.published, "incidents", tagged, hxl=True)
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
    assert ["female", "UA-14", "0", ""] in rows
    assert [TOTAL, TOTAL, "16", ""] in rows


def _key_ring(label: str) -> KeyRing:
    return KeyRing.single("stats1", hashlib.sha256(f"SYNTHETIC cell-key test {label}".encode()).digest())


@settings(max_examples=10)
@given(st.lists(case_records(), min_size=1, max_size=5))
def test_cell_key_tables_give_the_same_noise_to_the_same_contributors(records: list[CaseRecord]) -> None:
    consenting = [with_consent(r, ConsentPurpose.STATISTICS) for r in records]
    keys = _key_ring("series A")

    def release(rows: list[CaseRecord]) -> bytes:
        return statistics(rows, ("sex",), on=EXPORT_DAY, method="cellkey", keys=keys).data

    # The same contributors, in another order, published again: byte for byte the same table, so two
    # releases of unchanged data show nothing new.
    assert release(consenting) == release(list(reversed(consenting)))
    first = statistics(consenting, ("sex",), on=EXPORT_DAY, method="cellkey", keys=keys)
    assert first.manifest.to_dict()["output"]["method"] == "cell_key_perturbation"
    for row in _rows(first.data)[1:]:
        count, suppressed = row[-2], row[-1]
        assert suppressed == ""
        assert int(count) >= 0


def test_cell_key_noise_depends_on_the_secret() -> None:
    records = [with_consent(r, ConsentPurpose.STATISTICS) for r in _examples()]
    tables = {
        statistics(
            records, ("form_of_violence", "sex"), on=EXPORT_DAY, method="cellkey", keys=_key_ring(k)
        ).data
        for k in ("one", "two", "three")
    }
    assert len(tables) > 1, "noise that does not depend on the key can be removed by anyone"


def test_cell_key_without_a_key_is_refused() -> None:
    with pytest.raises(AnonymisationError):
        statistics([], ("sex",), on=EXPORT_DAY, method="cellkey")


def _examples() -> list[CaseRecord]:
    path = Path(__file__).resolve().parents[1] / "examples" / "synthetic" / "case-records.jsonl"
    with path.open("rb") as handle:
        return [CaseRecord.model_validate_json(line) for line, _ in zip(handle, range(120), strict=False)]
