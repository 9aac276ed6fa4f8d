"""Disclosure control: risk measurement, the least-generalisation search, small-cell protection.

These work on plain tables of values, not on case records, so that every layer above can use them.
"""

from crsvdata.disclosure.risk import RiskReport, SensitiveRisk, measure_risk
from crsvdata.disclosure.suppression import (
    CountTable,
    SuppressedTable,
    determined_entries,
    suppress_small_cells,
)

__all__ = [
    "CountTable",
    "RiskReport",
    "SensitiveRisk",
    "SuppressedTable",
    "determined_entries",
    "measure_risk",
    "suppress_small_cells",
]
