"""crsvdata: the shared data standard for conflict-related sexual violence (CRSV) case data.

The main entry points:

- ``crsvdata.validate(source)`` checks a document, package or JSON Lines file and returns a report;
- ``crsvdata.parse_case_record(text)`` returns a validated ``CaseRecord`` or raises ``CrsvValidationError``;
- ``crsvdata.models`` the models, ``crsvdata.codes`` the code lists, ``crsvdata.testing`` the strategies.

The names below are loaded on first use (PEP 562), so ``import crsvdata`` and ``crsvdata --help`` stay
cheap and importing one submodule does not load the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from crsvdata._lazy import lazy_exports
from crsvdata.version import RECORD_STANDARD_VERSION, STANDARD_VERSION, __version__

if TYPE_CHECKING:
    from crsvdata.errors import CrsvError
    from crsvdata.parse import (
        CrsvValidationError,
        iter_case_records,
        parse_case_record,
        parse_identity_record,
    )
    from crsvdata.upgrade import upgrade_document
    from crsvdata.validation import Issue, ValidationReport, validate

_LAZY: Final = {
    "CrsvError": "crsvdata.errors",
    "CrsvValidationError": "crsvdata.parse",
    "iter_case_records": "crsvdata.parse",
    "parse_case_record": "crsvdata.parse",
    "parse_identity_record": "crsvdata.parse",
    "Issue": "crsvdata.validation",
    "ValidationReport": "crsvdata.validation",
    "validate": "crsvdata.validation",
    "upgrade_document": "crsvdata.upgrade",
}

__all__ = [
    "RECORD_STANDARD_VERSION",
    "STANDARD_VERSION",
    "CrsvError",
    "CrsvValidationError",
    "Issue",
    "ValidationReport",
    "__version__",
    "iter_case_records",
    "parse_case_record",
    "parse_identity_record",
    "upgrade_document",
    "validate",
]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
