"""Reading input the same way for every command, and writing output atomically and never over an input.

:mod:`.reader` turns bytes into JSON values (strict UTF-8, BOM, duplicate keys, NaN, number, depth and
line limits, JSON document or JSON Lines); :mod:`.tables` reads CSV with the same strictness;
:mod:`.atomic` writes files that appear whole or not at all and refuses outputs that are inputs.
Every problem is an ``InputError`` or ``OutputError`` with a stable code and a location, never a
traceback and never a message that quotes the input: a CRSV file may hold a survivor's name in any byte.

The writers and the CSV reader are imported on first use (PEP 562): validating a file needs neither,
and ``atomic`` alone costs ``tempfile`` and ``secrets``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from crsvdata._lazy import lazy_exports
from crsvdata.io.reader import (
    JSON_LINES_SUFFIXES,
    MAX_DOCUMENT_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_LINE_BYTES,
    Document,
    InputError,
    Line,
    decode_utf8,
    is_json_lines_path,
    iter_lines,
    load_document,
    load_line,
    open_input,
    parse_json,
    read_bytes,
    read_documents,
    scan_documents,
    scan_lines,
)

if TYPE_CHECKING:
    from crsvdata.io.atomic import OutputError, atomic_writer, refuse_unsafe_outputs
    from crsvdata.io.tables import csv_header, iter_csv_columns, iter_csv_rows

_MODULE_OF: Final[dict[str, str]] = {
    "OutputError": "atomic",
    "atomic_writer": "atomic",
    "refuse_unsafe_outputs": "atomic",
    "csv_header": "tables",
    "iter_csv_columns": "tables",
    "iter_csv_rows": "tables",
}

__all__ = [
    "JSON_LINES_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_LINE_BYTES",
    "Document",
    "InputError",
    "Line",
    "OutputError",
    "atomic_writer",
    "csv_header",
    "decode_utf8",
    "is_json_lines_path",
    "iter_csv_columns",
    "iter_csv_rows",
    "iter_lines",
    "load_document",
    "load_line",
    "open_input",
    "parse_json",
    "read_bytes",
    "read_documents",
    "refuse_unsafe_outputs",
    "scan_documents",
    "scan_lines",
]


__getattr__, __dir__ = lazy_exports(
    __name__, globals(), {name: f"crsvdata.io.{module}" for name, module in _MODULE_OF.items()}
)
