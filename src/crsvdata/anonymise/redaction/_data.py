"""The word lists under ``data/``: read once, on first use, from the installed package."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def _lines(name: str) -> list[str]:
    text = files("crsvdata.anonymise.redaction").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def word_set(name: str) -> frozenset[str]:
    """A one-word-a-line list as a set (lines starting with ``#`` are comments)."""
    return frozenset(line.casefold() for line in _lines(name))


@cache
def table(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A ``key,form;form;...`` list as (key, forms) rows."""
    rows = []
    for line in _lines(name):
        key, _, forms = line.partition(",")
        rows.append(
            (key.strip(), tuple(form.strip().casefold() for form in forms.split(";") if form.strip()))
        )
    return tuple(rows)
