"""Anonymisation: consent-gated export profiles, keyed pseudonyms, generalisation, narrative redaction.

The main entry points:

- ``export(records, "research", keys=KeyRing.from_file(path))`` runs an export profile in memory;
  ``export_file(source, target, profile, keys=...)`` writes the output and its manifest atomically;
- risk measurement is :mod:`crsvdata.disclosure` (``measure_risk``); published tables are
  :mod:`crsvdata.aggregate` (``statistics``);
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
from crsvdata.anonymise.export import ExportResult, export, export_file
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
from crsvdata.anonymise.inputs import IdentityIndex, read_case_records
from crsvdata.anonymise.manifest import Manifest, protect_counts
from crsvdata.anonymise.profiles import ExportProfile, profile_names
from crsvdata.anonymise.pseudonymise import KeyRing, Pseudonymiser, normalise_for_pseudonym, parse_token
from crsvdata.anonymise.redaction import KnownValues, RedactionResult, Span, redact_text
from crsvdata.models.anonymised import AnonymisedCaseRecord

__all__ = [
    "AnonymisationError",
    "AnonymisedCaseRecord",
    "ConsentScopeError",
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
    "Span",
    "age_interval",
    "consent_decision",
    "export",
    "export_file",
    "generalise_age",
    "generalise_category",
    "generalise_date",
    "generalise_partial_date",
    "generalise_period",
    "generalise_place",
    "normalise_for_pseudonym",
    "parse_token",
    "profile_names",
    "protect_counts",
    "read_case_records",
    "redact_text",
    "top_code",
]
