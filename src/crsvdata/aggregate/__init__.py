"""Aggregate outputs of case records: summaries and published tables (statistics, HXL CSV)."""

from crsvdata.aggregate.statistics import DIMENSIONS, count_records, write_csv
from crsvdata.aggregate.tables import TableOptions, TableResult, statistics, statistics_file

__all__ = [
    "DIMENSIONS",
    "TableOptions",
    "TableResult",
    "count_records",
    "statistics",
    "statistics_file",
    "write_csv",
]
