"""Primero v2 GBV incidents <-> crsvdata case records, through the published mapping table ``mapping.csv``.

``import_records`` reads both Primero export shapes (the API record and the JSON exporter's
``[{"id", "data"}]`` array) and returns case records, identity records and a report of every value that did
not reach a standard field, and why; ``export_records`` writes case records (and their identity records)
back in Primero's shape.
"""

from crsvdata.interop.primero.exporter import export_record, export_records
from crsvdata.interop.primero.importer import ImportResult, import_document, import_records
from crsvdata.interop.primero.table import MappingRow, load_mapping, load_reference

__all__ = [
    "ImportResult",
    "MappingRow",
    "export_record",
    "export_records",
    "import_document",
    "import_records",
    "load_mapping",
    "load_reference",
]
