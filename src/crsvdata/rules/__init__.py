"""Cross-field rules written once, over the JSON form of a document (plain dicts, lists and strings).

A model's ``rule_findings`` calls the rule of its object on its own JSON form, so the model and any
caller holding parsed JSON get the same findings from one definition. Days are compared as their
``YYYY-MM-DD`` text: the schema fixes that shape, and such text sorts exactly as the days do.
"""

from crsvdata.rules.consent import consent_covers, consent_holds_on, consent_recorded, consent_rules
from crsvdata.rules.legal_qualification import (
    ICC_LISTS,
    conflict_needed,
    qualification_code_lists,
    qualification_rules,
)
from crsvdata.rules.proceeding import civil_claim_rules, legal_representation_rules, proceeding_rules
from crsvdata.rules.record import first_incident_day, may_be_child_on, record_rules
from crsvdata.rules.referral import referral_rules, reported_elsewhere_rules
from crsvdata.rules.reparation import (
    LAW_4067_PROGRAMME_CODES,
    law_4067_application_rules,
    money_rules,
    reparation_claim_rules,
)
from crsvdata.rules.survivor import age_band_limits, age_rules

__all__ = [
    "ICC_LISTS",
    "LAW_4067_PROGRAMME_CODES",
    "age_band_limits",
    "age_rules",
    "civil_claim_rules",
    "conflict_needed",
    "consent_covers",
    "consent_holds_on",
    "consent_recorded",
    "consent_rules",
    "first_incident_day",
    "law_4067_application_rules",
    "legal_representation_rules",
    "may_be_child_on",
    "money_rules",
    "proceeding_rules",
    "qualification_code_lists",
    "qualification_rules",
    "record_rules",
    "referral_rules",
    "reparation_claim_rules",
    "reported_elsewhere_rules",
]
