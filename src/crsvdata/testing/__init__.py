"""Public hypothesis strategies for crsvdata, so partner tools can property-test their integrations.

Install with ``pip install "crsvdata[testing]"``. Everything drawn is synthetic and marked as such.

- valid models: ``case_records()``, ``identity_records()``, ``survivors()``, ``incidents()``...
- documents broken in one named way: ``broken_case_records()`` (each with the code and pointer a
  validator must report);
- identifiers: ``rnokpps()``, ``unzrs()``, ``phone_numbers_ua()``, ``erdr_numbers()``, ``katotth_codes()``...
"""

# ruff: noqa: E402  (the extra is checked before the submodules that import hypothesis)
from crsvdata.errors import require_extra

# Without hypothesis, say which extra installs it instead of a bare ModuleNotFoundError from a submodule.
require_extra("hypothesis", extra="testing", feature="crsvdata.testing (the hypothesis strategies)")

from crsvdata.testing.broken import BREAKAGES, BrokenRecord, break_record, broken_case_records
from crsvdata.testing.identifiers import (
    erdr_numbers,
    foreign_passport_numbers,
    id_card_numbers,
    katotth_codes,
    passport_booklet_numbers,
    phone_numbers_ua,
    rnokpps,
    unknown_katotth_codes,
    unzrs,
)
from crsvdata.testing.identity import identity_records, person_names
from crsvdata.testing.records import ages, case_records, incidents, locations, money, partial_dates, survivors

__all__ = [
    "BREAKAGES",
    "BrokenRecord",
    "ages",
    "break_record",
    "broken_case_records",
    "case_records",
    "erdr_numbers",
    "foreign_passport_numbers",
    "id_card_numbers",
    "identity_records",
    "incidents",
    "katotth_codes",
    "locations",
    "money",
    "partial_dates",
    "passport_booklet_numbers",
    "person_names",
    "phone_numbers_ua",
    "rnokpps",
    "survivors",
    "unknown_katotth_codes",
    "unzrs",
]
