"""Cross-field rules written once, over the JSON form of a document (plain dicts, lists and strings).

A model's ``rule_findings`` calls the rule of its object on its own JSON form, so the model and any
caller holding parsed JSON get the same findings from one definition. Days are compared as their
``YYYY-MM-DD`` text: the schema fixes that shape, and such text sorts exactly as the days do.
"""

from crsvdata.rules.consent import consent_covers, consent_holds_on, consent_recorded, consent_rules
from crsvdata.rules.identity import (
    DOCUMENT_CHECKS,
    address_rules,
    identity_document_rules,
    identity_record_rules,
)
from crsvdata.rules.package import package_rules
from crsvdata.rules.record import first_incident_day, may_be_child_on, record_rules
from crsvdata.rules.referral import referral_rules, reported_elsewhere_rules
from crsvdata.rules.survivor import age_band_limits, age_rules

__all__ = [
    "DOCUMENT_CHECKS",
    "address_rules",
    "age_band_limits",
    "age_rules",
    "consent_covers",
    "consent_holds_on",
    "consent_recorded",
    "consent_rules",
    "first_incident_day",
    "identity_document_rules",
    "identity_record_rules",
    "may_be_child_on",
    "package_rules",
    "record_rules",
    "referral_rules",
    "reported_elsewhere_rules",
]
