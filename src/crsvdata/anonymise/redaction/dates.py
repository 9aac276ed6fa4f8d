"""Dates as case workers write them: ``01.01.1990``, ``1990-01-01``, ``1 січня 1990 р.``,
``1 січ. 1990``, ``першого січня 1990 року``, ``1 января 1990``, ``1.I.1990``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from crsvdata.anonymise.redaction._data import table

__all__ = ["DateMention", "find_dates"]

DateMention = tuple[int, int, date | None, int | None]
"""(start, end, the date if the day and month are given, the year)."""


@cache
def _month_numbers() -> dict[str, int]:
    return {form: int(number) for number, forms in table("months.csv") for form in forms}


@cache
def _day_words() -> dict[str, int]:
    return {form: int(day) for day, forms in table("ordinal_days.csv") for form in forms}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@cache
def _word_date() -> re.Pattern[str]:
    day = rf"(?P<day>\d{{1,2}}|{_alternation(list(_day_words()))})"
    month = rf"(?P<month>{_alternation(list(_month_numbers()))})"
    year = r"(?P<year>\d{4}|\d{2}(?=\s*(?:р\b|року|г\b|года|рр)))"
    return re.compile(
        rf"(?<![\w]){day}[\s\-.]*(?:-?(?:го|е|ого))?\s*{month}(?![^\W\d_])\.?\s*{year}(?!\d)",
        re.IGNORECASE,
    )


_NUMERIC_DMY = re.compile(
    r"(?<![\d.])(\d{1,2})\s?([./\-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])(?:\s*р\.)?"
)
_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})([./\-])(\d{1,2})\2(\d{1,2})(?!\d)")


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return 1900 + year if year > 30 else 2000 + year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[DateMention]:
    """Every date written in ``text`` (normalised), with its value where it is a real date."""
    for match in _NUMERIC_DMY.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(3)), _full_year(int(match.group(4)))
        yield match.start(), match.end(), _safe_date(year, month, day), year
    for match in _NUMERIC_YMD.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
        yield match.start(), match.end(), _safe_date(year, month, day), year
    if not any(ch.isdigit() for ch in text):
        return
    for match in _word_date().finditer(text):
        raw_day = match.group("day").casefold()
        day = int(raw_day) if raw_day.isdigit() else _day_words()[re.sub(r"\s+", " ", raw_day)]
        month = _month_numbers()[match.group("month").casefold()]
        year = _full_year(int(match.group("year")))
        yield match.start(), match.end(), _safe_date(year, month, day), year
