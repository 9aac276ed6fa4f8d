"""Disclosure control: risk measurement, the least-generalisation search, and protection of count tables.

These work on plain tables of values, not on case records, so that every layer above can use them. Count
tables cover the full code-list domain of every dimension (no presence disclosure) and are protected by
secondary cell suppression audited with integer programming (:mod:`.suppression`, :mod:`.audit`) or by
cell-key perturbation (:mod:`.cellkey`); ``docs/anonymisation/tables.md`` compares the two.
"""

from crsvdata.disclosure.audit import AuditLimitError, Interval, audit_suppression
from crsvdata.disclosure.cellkey import DEFAULT_PTABLE, PTable, perturb
from crsvdata.disclosure.risk import RiskReport, SensitiveRisk, measure_risk
from crsvdata.disclosure.suppression import SuppressionResult, suppress
from crsvdata.disclosure.tables import TOTAL, Domain, PublishedTable, Table, TableError, record_key

__all__ = [
    "DEFAULT_PTABLE",
    "TOTAL",
    "AuditLimitError",
    "Domain",
    "Interval",
    "PTable",
    "PublishedTable",
    "RiskReport",
    "SensitiveRisk",
    "SuppressionResult",
    "Table",
    "TableError",
    "audit_suppression",
    "measure_risk",
    "perturb",
    "record_key",
    "suppress",
]
