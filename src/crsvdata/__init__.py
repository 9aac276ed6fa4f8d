"""crsvdata: the shared data standard for conflict-related sexual violence (CRSV) case data.

The main entry points:

- ``crsvdata.validate(source)`` checks a document, package or JSON Lines file and returns a report;
- ``crsvdata.parse_case_record(text)`` returns a validated ``CaseRecord`` or raises ``CrsvValidationError``;
- ``crsvdata.models`` the models, ``crsvdata.codes`` the code lists, ``crsvdata.testing`` the strategies.
"""

from crsvdata.parse import CrsvValidationError, iter_case_records, parse_case_record, parse_identity_record
from crsvdata.validation import Issue, ValidationReport, validate
from crsvdata.version import STANDARD_VERSION, __version__

__all__ = [
    "STANDARD_VERSION",
    "CrsvValidationError",
    "Issue",
    "ValidationReport",
    "__version__",
    "iter_case_records",
    "parse_case_record",
    "parse_identity_record",
    "validate",
]
