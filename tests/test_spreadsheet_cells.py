"""The formula-injection codec: nothing written starts a formula, and reading restores the text exactly."""

from hypothesis import given
from hypothesis import strategies as st

from crsvdata.interop.spreadsheet.cells import FORMULA_TRIGGERS, neutralise, restore
from crsvdata.interop.spreadsheet.layout import build_layout
from crsvdata.models.case import CaseRecord

_DANGEROUS = st.sampled_from([*FORMULA_TRIGGERS, "'", ""])


@given(st.tuples(_DANGEROUS, st.text()).map("".join) | st.text())
def test_round_trip_and_no_formula_start(text: str) -> None:
    written = neutralise(text)
    assert written
    assert not written.startswith(FORMULA_TRIGGERS)
    assert restore(written) == text


def test_layout_has_a_sheet_per_list_of_objects() -> None:
    names = {sheet.name for sheet in build_layout(CaseRecord)}
    assert {"cases", "incidents", "acts", "perpetrators", "consents", "referrals"} <= names
    assert {"proceedings", "reparations"} <= names
    assert all(len(name) <= 31 for name in names)
