"""Anonymisation and disclosure control: consent-gated export profiles, keyed pseudonyms,
generalisation, narrative redaction, risk measurement and suppressed statistics.

The main entry points:

- ``export(records, "research", keys=KeyRing.from_file(path))`` runs an export profile in memory;
  ``export_file(source, target, profile, keys=...)`` writes the output and its manifest atomically;
- ``measure_risk(rows, quasi_identifiers, sensitive)`` measures k, l, t and global risk of any table;
- ``statistics(records, by=[...])`` counts consenting records with small-cell suppression;
- ``redact_text``, ``Pseudonymiser``, ``KeyRing`` and the ``generalise_*`` functions are the pieces.

Nothing here touches the network, and no message, log or manifest ever carries a record value or a key.
"""

from crsvdata.anonymise.consent import Recipient, consent_decision
from crsvdata.anonymise.errors import (
    AnonymisationError,
    ConsentScopeError,
    DisclosureRiskError,
    InvalidInputError,
    KeyMaterialError,
    ProfileError,
)
from crsvdata.anonymise.export import (
    ExportResult,
    IdentityIndex,
    export,
    export_file,
    read_case_records,
    statistics,
)
from crsvdata.anonymise.generalise import (
    age_interval,
    generalise_age,
    generalise_category,
    generalise_date,
    generalise_partial_date,
    generalise_period,
    generalise_place,
    top_code,
)
from crsvdata.anonymise.manifest import Manifest, protect_counts
from crsvdata.anonymise.model import AnonymisedCaseRecord
from crsvdata.anonymise.profiles import ExportProfile, profile_names
from crsvdata.anonymise.pseudonymise import KeyRing, Pseudonymiser, normalise_for_pseudonym, parse_token
from crsvdata.anonymise.redact import KnownValues, RedactionResult, Span, redact_text
from crsvdata.anonymise.risk import RiskReport, SensitiveRisk, measure_risk
from crsvdata.anonymise.statistics import CountTable, SuppressedTable, count_records, suppress_small_cells

__all__ = [
    "AnonymisationError",
    "AnonymisedCaseRecord",
    "ConsentScopeError",
    "CountTable",
    "DisclosureRiskError",
    "ExportProfile",
    "ExportResult",
    "IdentityIndex",
    "InvalidInputError",
    "KeyMaterialError",
    "KeyRing",
    "KnownValues",
    "Manifest",
    "ProfileError",
    "Pseudonymiser",
    "Recipient",
    "RedactionResult",
    "RiskReport",
    "SensitiveRisk",
    "Span",
    "SuppressedTable",
    "age_interval",
    "consent_decision",
    "count_records",
    "export",
    "export_file",
    "generalise_age",
    "generalise_category",
    "generalise_date",
    "generalise_partial_date",
    "generalise_period",
    "generalise_place",
    "measure_risk",
    "normalise_for_pseudonym",
    "parse_token",
    "profile_names",
    "protect_counts",
    "read_case_records",
    "redact_text",
    "statistics",
    "suppress_small_cells",
    "top_code",
]
