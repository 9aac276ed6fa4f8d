"""The rules of one legal qualification, and what its code says (its code lists, the conflict it needs)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from crsvdata.codes import load as load_codelist
from crsvdata.findings import Finding, Severity

ICC_LISTS: Final = ("icc_eoc_crime", "icc_related_crime")
CRIMINAL_CODE_LISTS: Final = ("criminal_code_article",)
ANY_CONFLICT: Final = "any"
# Read from the code lists (which fail loudly on an unknown code), not the generated enums: importing
# those costs ~20 ms, and validating a file needs only these few codes.
ROME_STATUTE: Final = load_codelist("qualification_instrument").get("icc_rome_statute").code
CRIMINAL_CODE: Final = load_codelist("qualification_instrument").get("ua_criminal_code").code
CANDIDATE: Final = load_codelist("qualification_status").get("candidate").code


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def qualification_code_lists(instrument: str) -> tuple[str, ...]:
    """The code lists a qualification's code must come from, for its instrument's code."""
    if instrument == ROME_STATUTE:
        return ICC_LISTS
    return CRIMINAL_CODE_LISTS


@cache
def _crimes_in(code_lists: tuple[str, ...]) -> frozenset[str]:
    # Built once: the rule runs for every qualification, and one set lookup beats one per code list.
    return frozenset().union(*(load_codelist(name).codes for name in code_lists))


@cache
def _conflicts() -> Mapping[str, str]:
    # The first ICC list holding a code decides its conflict, as a scan in list order would.
    needed: dict[str, str] = {}
    for name in ICC_LISTS:
        code_list = load_codelist(name)
        for code in code_list.codes:
            needed.setdefault(code, code_list.get(code).extra.get("conflict") or ANY_CONFLICT)
    return needed


def conflict_needed(code: str) -> str:
    """``international``, ``non_international`` or ``any``: the armed conflict a crime's code needs."""
    return _conflicts().get(code, ANY_CONFLICT)


def qualification_rules(qualification: Mapping[str, Any]) -> list[Finding]:
    """The findings of one legal qualification (its JSON form), with pointers relative to it."""
    found: list[Finding] = []
    instrument = qualification["instrument"]
    if qualification["code"] not in _crimes_in(qualification_code_lists(instrument)):
        found.append(
            _error(
                "qualification.unknown_code",
                "the code is not a crime of the qualification's instrument",
                "/code",
            )
        )
    if qualification.get("part") is not None and instrument != CRIMINAL_CODE:
        found.append(
            _error(
                "qualification.part_outside_criminal_code", "only a Criminal Code article has parts", "/part"
            )
        )
    if qualification["status"] != CANDIDATE and qualification.get("status_on") is None:
        found.append(
            _error(
                "qualification.status_without_date",
                "a charged or convicted qualification needs the day of the charge or conviction",
                "/status",
            )
        )
    return found
