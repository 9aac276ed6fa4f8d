"""Narrative redaction: anyone named in the text, the record's own identity values, places, contacts,
numbers, dates of birth and addresses, replaced by typed placeholders (``[NAME]``, ``[PHONE]``...).

The public API (it replaced the first redactor, ``redact.py``, keeping its names):
:class:`KnownValues` (``from_identity``, ``merged``), :func:`redact_text` returning a
:class:`RedactionResult` (``text``, ``spans``, ``counts``), :func:`placeholder`, :data:`ALL_DETECTORS`,
:data:`DEFAULT_DETECTORS`.

What differs, and why:

- Person names are found in **every** narrative by the morphological analyser (``names.py``), not only
  the record's own: a relative, a witness or a neighbour named in the text identifies the survivor as
  surely as her own name. So are places (``places.py``, the KATOTTG settlement names). These passes,
  and the contact, number, birth-date and address detectors, always run: ``detectors`` may only add
  the optional ``long_number`` (any run of six digits) and ``fallback`` (every capitalised word).
  A narrative never leaves with pattern detectors alone.
- ``keep`` lets a profile keep facility and military-unit names (an investigation needs "СІЗО № 2";
  research keeps none). Only kinds in :data:`KEEPABLE_KINDS` can be kept; asking to keep a name is a
  ValueError.

The text is normalised first (``normalise.py``); the output is that normalised text. Spans give offsets
into it and kinds, never values; an exception message never quotes the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from crsvdata.anonymise.redaction.detectors import DETECTORS, Found
from crsvdata.anonymise.redaction.known_values import KnownValues
from crsvdata.anonymise.redaction.morphology import warm_up
from crsvdata.anonymise.redaction.names import find_names
from crsvdata.anonymise.redaction.normalise import normalise

__all__ = [
    "ALL_DETECTORS",
    "ALWAYS_ON",
    "DEFAULT_DETECTORS",
    "KEEPABLE_KINDS",
    "PLACEHOLDER",
    "KnownValues",
    "RedactionResult",
    "Span",
    "capitalised_words",
    "normalise",
    "placeholder",
    "redact_text",
    "warm_up",
]

PLACEHOLDER: Final = re.compile(r"\[[A-Z_]{2,20}\]")
"""What a placeholder looks like; no pass matches inside one, so redaction is idempotent."""

KEEPABLE_KINDS: Final = frozenset({"facility", "unit"})
"""Kinds a profile may keep in the text; every other kind is always redacted."""

ALWAYS_ON: Final = tuple(DETECTORS)
"""Detectors that run on every narrative, whatever ``detectors`` says."""

_LONG_NUMBER: Final = re.compile(r"(?<![\d\w])\d(?:[\s\-./]?\d){5,}(?!\d)")
_CAPITALISED: Final = re.compile(r"(?<![\w\[])[A-ZА-ЩЬЮЯҐЄІЇ][\w'\-]*")

# The detector names of the first redactor, accepted so that existing profiles keep working; each is part of a
# pass that always runs, except long_number.
_LEGACY_NAMES: Final = (
    "email", "iban_ua", "unzr", "rnokpp", "passport_ua", "idcard_ua", "phone_ua", "address_ua",
)  # fmt: skip
ALL_DETECTORS: Final = (*_LEGACY_NAMES, "long_number", *(n for n in DETECTORS if n not in _LEGACY_NAMES))
DEFAULT_DETECTORS: Final = tuple(name for name in ALL_DETECTORS if name != "long_number")


def placeholder(kind: str) -> str:
    """The placeholder that replaces a value of ``kind``: ``[NAME]``, ``[PHONE]``..."""
    return f"[{kind.upper()}]"


@dataclass(frozen=True, slots=True)
class Span:
    """One redacted stretch of the (normalised) input: offsets, kind and the pass that found it."""

    start: int
    end: int
    kind: str
    source: str
    """``known`` (the record's own values), ``name`` (the name pass), ``detector`` or ``fallback``."""


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """The redacted text and where redactions were made. It holds no redacted value."""

    text: str
    spans: tuple[Span, ...]

    @property
    def counts(self) -> dict[str, int]:
        """How many spans of each kind were redacted (for the manifest)."""
        return dict(Counter(span.kind for span in self.spans))


def capitalised_words(text: str) -> Iterator[Found]:
    """Every capitalised word: the fallback, and the baseline the evaluation compares against."""
    for match in _CAPITALISED.finditer(text):
        yield match.start(), match.end(), "proper_noun"


def _long_numbers(text: str) -> Iterator[Found]:
    for match in _LONG_NUMBER.finditer(text):
        yield match.start(), match.end(), "number"


def _merge(candidates: list[tuple[int, int, str, str, int]]) -> list[Span]:
    # Sorted by start; overlapping or touching-by-hyphen spans join and keep the kind of the lower rank.
    candidates.sort(key=lambda c: (c[0], -c[1], c[4]))
    merged: list[tuple[int, int, str, str, int]] = []
    for start, end, kind, source, rank in candidates:
        if merged and start < merged[-1][1]:
            m_start, m_end, m_kind, m_source, m_rank = merged[-1]
            if rank < m_rank:
                m_kind, m_source, m_rank = kind, source, rank
            merged[-1] = (m_start, max(m_end, end), m_kind, m_source, m_rank)
        else:
            merged.append((start, end, kind, source, rank))
    return [Span(start, end, kind, source) for start, end, kind, source, _ in merged]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:.)":
        end -= 1
    return start, end


def redact_text(
    text: str,
    known: KnownValues | None = None,
    detectors: Sequence[str] = DEFAULT_DETECTORS,
    *,
    fallback: bool = False,
    keep: Collection[str] = frozenset(),
) -> RedactionResult:
    """Redact ``text``: the record's known values, every person name and place, the detectors, and
    (optionally) every capitalised word. Returns the redacted text and the spans, without the values.

    ``detectors`` are names from :data:`ALL_DETECTORS`; all but ``long_number`` always run. ``keep`` is
    a set of kinds from :data:`KEEPABLE_KINDS` left in the text. ValueError for an unknown name or kind.
    """
    unknown = [name for name in detectors if name not in ALL_DETECTORS]
    if unknown:
        raise ValueError(f"unknown detector(s): {', '.join(sorted(unknown))}")
    not_keepable = sorted(set(keep) - KEEPABLE_KINDS)
    if not_keepable:
        raise ValueError(f"kinds that cannot be kept: {', '.join(not_keepable)}")
    prepared = normalise(text)
    protected = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(prepared)]

    def free(start: int, end: int) -> bool:
        return start < end and not any(start < p_end and p_start < end for p_start, p_end in protected)

    passes: list[tuple[str, Callable[[str], Iterator[Found]]]] = []
    if known is not None:
        passes.append(("known", known.find))
    passes.extend(("detector", DETECTORS[name]) for name in ALWAYS_ON)
    passes.append(("name", find_names))
    if "long_number" in detectors:
        passes.append(("detector", _long_numbers))
    if fallback:
        passes.append(("fallback", capitalised_words))
    candidates: list[tuple[int, int, str, str, int]] = []
    for rank, (source, find) in enumerate(passes):
        for start, end, kind in find(prepared):
            if kind in keep:
                continue
            start, end = _trim(prepared, start, end)
            if free(start, end):
                candidates.append((start, end, kind, source, rank))
    spans = _merge(candidates)
    pieces = []
    position = 0
    for span in spans:
        pieces.append(prepared[position : span.start])
        pieces.append(placeholder(span.kind))
        position = span.end
    pieces.append(prepared[position:])
    return RedactionResult("".join(pieces), tuple(spans))
