"""Partial dates: a year, a month or a day, as case records know them.

Survivors often remember "spring 2022" or "March 2022", not a day. A partial date is written as
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and stands for every day it could be. Rules that order dates
compare these intervals and only fail when the order is impossible, never when it is merely uncertain.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Final

YEAR_PATTERN: Final = r"^(19|20)[0-9]{2}$"
MONTH_PATTERN: Final = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
DAY_PATTERN: Final = r"^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$"

_YEAR = re.compile(YEAR_PATTERN)
_MONTH = re.compile(MONTH_PATTERN)
_DAY = re.compile(DAY_PATTERN)


class DatePrecision(StrEnum):
    """How much of a partial date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def partial_date_precision(value: str) -> DatePrecision | None:
    """The precision of a partial date, or ``None`` when the text is not one.

    A day-precision value must also be a real calendar date (no 30 February). The patterns are matched
    with ``fullmatch``: Python's ``$`` also matches before a final newline, ECMA-262's (the published
    schema's, as jsonschema-rs and ajv read it) does not, so ``"2024\\n"`` must be rejected here too.
    """
    if _YEAR.fullmatch(value):
        return DatePrecision.YEAR
    if _MONTH.fullmatch(value):
        return DatePrecision.MONTH
    if _DAY.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return None
        return DatePrecision.DAY
    return None


@lru_cache(maxsize=4096)
def partial_date_bounds(value: str) -> tuple[date, date]:
    """The first and last day a partial date can stand for.

    Raises ``ValueError`` (without echoing the value) when the text is not a partial date (a refusal is
    not cached). The result is cached: a record's rules read the same few dates several times, and a
    file holds few distinct ones; the cache lives in this process only.
    """
    precision = partial_date_precision(value)
    if precision is None:
        raise ValueError("not a partial date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(value[:4])
    if precision is DatePrecision.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(value[5:7])
    if precision is DatePrecision.MONTH:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(value)
    return day, day


def earliest(value: str) -> date:
    """The first day a partial date can stand for."""
    return partial_date_bounds(value)[0]


def latest(value: str) -> date:
    """The last day a partial date can stand for."""
    return partial_date_bounds(value)[1]
