"""Ukrainian geography: KATOTTH codes, ISO 3166-2:UA subdivisions and the cross-walk between them.

KATOTTH (КАТОТТГ, Ministry of Communities and Territories Development order No. 290 of 26.11.2020) codes
are ``UA`` and 17 digits, ``UA OO RR HHH PPP MM UUUUU`` [C]: oblast, raion, hromada, settlement, city
district (the "additional" level) and a unique key. The unique key means a parent's code cannot be made
by zero-padding a child's. The full codifier is vendored (:mod:`crsvdata.geography.codifier`, edition
:data:`KATOTTH_EDITION`): a code must exist in it, and its real hierarchy drives generalisation.

The 27 level-1 codes and their ISO names are a small table of their own (``data/katotth_level1.csv``); a
test checks it against the vendored codifier. The ISO 3166-2:UA codes are confirmed [C]. ISO reuses the
two KOATUU digits except for Crimea (UA-43), Luhansk (UA-09), Kyiv (UA-30), Sevastopol (UA-40) and
Chernivtsi (UA-77), so the cross-walk is a table, never arithmetic. Crimea and Sevastopol are
internationally recognised as Ukraine and are included.

As in :mod:`crsvdata.identifiers`, the pattern is the whole structural check (and the JSON Schema: about
32,000 codes do not belong in a schema); the level-consistency, oblast and existence checks are rules that
the validation context can switch off.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from crsvdata._lazy import lazy_exports
from crsvdata._package_data import package_files
from crsvdata.findings import Finding, Severity
from crsvdata.geography.codifier import (
    KATOTTH_EDITION,
    KatotthUnitLevel,
    all_katotth_codes,
    ancestors,
    generalise_katotth,
    hromada_of,
    katotth_category,
    katotth_exists,
    oblast_of,
    parent,
    raion_of,
)
from crsvdata.identifiers import IdentifierSpec

if TYPE_CHECKING:
    from crsvdata.geography._types import KatotthCode, UaSubdivisionCode

__all__ = [
    "KATOTTH_EDITION",
    "KATOTTH_PATTERN",
    "UA_SUBDIVISION_PATTERN",
    "KatotthCode",
    "KatotthLevel",
    "KatotthParts",
    "KatotthUnitLevel",
    "PcodeLevel",
    "Subdivision",
    "UaSubdivisionCode",
    "all_katotth_codes",
    "ancestors",
    "check_katotth",
    "check_ua_subdivision",
    "generalise_katotth",
    "hromada_of",
    "iso_subdivision_for_katotth",
    "katotth_category",
    "katotth_exists",
    "katotth_level1_for_iso",
    "katotth_pcode",
    "oblast_of",
    "parent",
    "parse_katotth",
    "raion_of",
    "subdivisions",
]

KATOTTH_PATTERN: Final = r"^UA[0-9]{17}$"
UA_SUBDIVISION_PATTERN: Final = r"^UA-(?:0[579]|1[248]|2[136]|3[025]|4[0368]|5[1369]|6[1358]|7[147])$"
_PYDANTIC_TYPES: Final = frozenset({"KatotthCode", "UaSubdivisionCode"})
"""The code types, defined in ``_types`` and imported from here on first use."""


# The pydantic types are built on first use. The rules call only the check functions, so a valid file is
# checked without importing pydantic (tests/test_lean_start.py).
__getattr__, __dir__ = lazy_exports(
    __name__, globals(), dict.fromkeys(_PYDANTIC_TYPES, "crsvdata.geography._types")
)


KatotthLevel: TypeAlias = Literal[1, 2, 3, 4, "additional"]
"""Level 1 oblast/ARC/special-status city, 2 raion, 3 hromada, 4 settlement, "additional" city district."""

PcodeLevel: TypeAlias = Literal[1, 2, 3, 4]

_PCODE_LENGTH: Final[dict[int, int]] = {1: 4, 2: 6, 3: 9, 4: 12}

# Level-1 digits of the two cities with special status (KATOTTH category K [C]): Kyiv and Sevastopol.
_SPECIAL_STATUS_CITY_DIGITS: Final = frozenset({"80", "85"})


# --- Level-1 table ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subdivision:
    """One of the 27 level-1 units: 24 oblasts, the Autonomous Republic of Crimea, Kyiv and Sevastopol.

    ``name_en`` is the ISO 3166-2 romanised name; ``name_uk`` the Ukrainian name.
    """

    katotth: str
    iso_3166_2: str
    name_en: str
    name_uk: str

    @property
    def oblast_digits(self) -> str:
        """The two KATOTTH level-1 digits (``OO``), e.g. ``"14"`` for Donetsk oblast."""
        return self.katotth[2:4]


@cache
def subdivisions() -> tuple[Subdivision, ...]:
    """The 27 level-1 units, in the order of the packaged table (read once, never from the network)."""
    text = package_files(__name__).joinpath("data", "katotth_level1.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        Subdivision(
            katotth=row["katotth"],
            iso_3166_2=row["iso_3166_2"],
            name_en=row["name_en"],
            name_uk=row["name_uk"],
        )
        for row in rows
    )


@cache
def _by_oblast_digits() -> dict[str, Subdivision]:
    return {subdivision.oblast_digits: subdivision for subdivision in subdivisions()}


@cache
def _by_iso() -> dict[str, Subdivision]:
    return {subdivision.iso_3166_2: subdivision for subdivision in subdivisions()}


# --- KATOTTH parsing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KatotthParts:
    """The digit groups of a KATOTTH code. ``code`` puts them back together.

    The level is derived from which groups are non-zero (domain reference 4.3, inferred but checked on
    real codes [I]): a district (``MM``) makes it "additional", else the lowest non-zero of settlement,
    hromada and raion gives 4, 3 or 2, else 1.
    """

    oblast: str
    raion: str
    hromada: str
    settlement: str
    district: str
    uid: str

    @property
    def code(self) -> str:
        """The full KATOTTH code."""
        return f"UA{self.oblast}{self.raion}{self.hromada}{self.settlement}{self.district}{self.uid}"

    @property
    def level(self) -> KatotthLevel:
        """The level of the unit the code names (1-4 or "additional")."""
        if self.district != "00":
            return "additional"
        if self.settlement != "000":
            return 4
        if self.hromada != "000":
            return 3
        if self.raion != "00":
            return 2
        return 1

    @property
    def level1_prefix(self) -> str:
        """``UA`` and the oblast digits, e.g. ``"UA14"``: the OCHA ADM1 p-code, not a KATOTTH code."""
        return f"UA{self.oblast}"

    @property
    def level1_code(self) -> str | None:
        """The full KATOTTH code of the level-1 unit, or None if the oblast digits are not one of the 27."""
        subdivision = _by_oblast_digits().get(self.oblast)
        return None if subdivision is None else subdivision.katotth


def _parse(code: str) -> KatotthParts:
    return KatotthParts(
        oblast=code[2:4],
        raion=code[4:6],
        hromada=code[6:9],
        settlement=code[9:12],
        district=code[12:14],
        uid=code[14:19],
    )


def _katotth_rules(code: str) -> tuple[Finding, ...]:
    # The codifier is the authority: a code in it is valid even where the inferred level scheme below
    # would object (two cities of Kyiv oblast sit directly under the oblast, with no raion or hromada).
    if katotth_exists(code):
        return ()
    parts = _parse(code)
    findings: list[Finding] = []
    if parts.oblast not in _by_oblast_digits():
        findings.append(
            Finding(
                "identifier.katotth_oblast",
                Severity.ERROR,
                "the first two digits of the KATOTTH code are not one of the 27 level-1 units",
            )
        )
    raion, hromada, settlement = parts.raion != "00", parts.hromada != "000", parts.settlement != "000"
    gap = (hromada and not raion) or (settlement and not hromada)
    # A city district sits in a settlement (its city). Kyiv and Sevastopol are themselves level-1 units
    # with no raions or hromadas, so their districts follow the oblast digits directly (UA80…, UA85…).
    directly_under_city = not (raion or hromada) and parts.oblast in _SPECIAL_STATUS_CITY_DIGITS
    if parts.district != "00" and not settlement and not directly_under_city:
        gap = True
    if gap:
        findings.append(
            Finding(
                "identifier.katotth_structure",
                Severity.ERROR,
                "the KATOTTH code sets a lower level while a higher level is zero",
            )
        )
    # A code that breaks no structural rule is still not in the codifier: report that, and only that, so
    # that a malformed code is reported once, for its form.
    if not findings:
        findings.append(
            Finding(
                "identifier.katotth_unknown",
                Severity.ERROR,
                f"the KATOTTH code is well formed but not in the codifier ({KATOTTH_EDITION})",
            )
        )
    return tuple(findings)


_KATOTTH: Final = IdentifierSpec(
    kind="katotth",
    format_message="a KATOTTH code must be 'UA' followed by exactly 17 digits",
    pattern=KATOTTH_PATTERN,
    rules=_katotth_rules,
)

_UA_SUBDIVISION: Final = IdentifierSpec(
    kind="ua_subdivision",
    format_message="a Ukrainian subdivision must be one of the 27 ISO 3166-2:UA codes, e.g. 'UA-30'",
    pattern=UA_SUBDIVISION_PATTERN,
)


def check_katotth(value: object) -> tuple[Finding, ...]:
    """Check a KATOTTH code: the pattern, level consistency, a known level-1 unit and existence.

    A code in the vendored codifier (edition :data:`KATOTTH_EDITION`) is valid. Any other code is wrong,
    and the findings say how: consistency (``identifier.katotth_structure``: a hromada needs a raion, a
    settlement needs a hromada, and a city district needs a settlement, except directly under Kyiv or
    Sevastopol, which have no raions), the oblast digits (``identifier.katotth_oblast``: one of the 27
    level-1 units), and, for a code that breaks neither, ``identifier.katotth_unknown``, whose message
    names the edition, never the code. The level scheme is inferred [I]; two real cities break it and
    are valid because they are in the codifier.
    """
    return _KATOTTH.check(value)


def check_ua_subdivision(value: object) -> tuple[Finding, ...]:
    """Check an ISO 3166-2:UA subdivision code (pattern only: the pattern lists all 27)."""
    return _UA_SUBDIVISION.check(value)


def parse_katotth(code: str) -> KatotthParts:
    """Split a KATOTTH code into its digit groups; ValueError if it does not match the pattern.

    Only the structure is checked here, not the rules: use :func:`check_katotth` for those.
    """
    if not _KATOTTH.matches(code):
        raise ValueError(_KATOTTH.format_message)
    return _parse(code)


def iso_subdivision_for_katotth(code: str) -> str:
    """The ISO 3166-2:UA code of the level-1 unit a KATOTTH code lies in, e.g. ``"UA-09"`` for ``UA44…``.

    ValueError if the code does not match the pattern or its oblast digits are not one of the 27.
    """
    subdivision = _by_oblast_digits().get(parse_katotth(code).oblast)
    if subdivision is None:
        raise ValueError("the first two digits of the KATOTTH code are not one of the 27 level-1 units")
    return subdivision.iso_3166_2


def katotth_level1_for_iso(iso: str) -> str:
    """The level-1 KATOTTH code for an ISO 3166-2:UA code, e.g. ``"UA44000000000018893"`` for ``"UA-09"``.

    ValueError if ``iso`` is not one of the 27 ISO 3166-2:UA codes.
    """
    subdivision = _by_iso().get(iso)
    if subdivision is None:
        raise ValueError("not one of the 27 ISO 3166-2:UA subdivision codes")
    return subdivision.katotth


def katotth_pcode(code: str, level: PcodeLevel) -> str:
    """Cut a KATOTTH code to the OCHA COD p-code of the unit at ``level`` that contains it.

    Level 1 gives ``UA14``, 2 ``UA1412``, 3 ``UA1412345`` and 4 the first 12 characters. The result is a
    *prefix*, not a KATOTTH code: it has no unique key and fails :data:`KatotthCode`. OCHA p-codes are
    KATOTTH prefixes [I]; that a child's prefix is its real parent's is checked on the whole codifier by
    the refresh command. For the code of a real ancestor use :func:`generalise_katotth`. Asking for a finer
    level than the code has keeps the zeros, as OCHA does for Kyiv (ADM4 ``UA8000000000``).
    """
    parts = parse_katotth(code)
    if level not in _PCODE_LENGTH:
        raise ValueError("a p-code level must be 1, 2, 3 or 4")
    return parts.code[: _PCODE_LENGTH[level]]
