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
from crsvdata.rules.incident import (
    gbvims_core_types,
    gbvims_elimination_order,
    gbvims_incident_type,
    incident_date_rules,
    incident_rules,
    location_rules,
    qualification_conflict_rules,
)
from crsvdata.rules.legal_qualification import (
    ICC_LISTS,
    conflict_needed,
    qualification_code_lists,
    qualification_rules,
)
from crsvdata.rules.package import package_rules
from crsvdata.rules.perpetrator import MINOR_AGE_GROUPS, perpetrator_rules
from crsvdata.rules.place_of_detention import place_of_detention_rules
from crsvdata.rules.proceeding import civil_claim_rules, legal_representation_rules, proceeding_rules
from crsvdata.rules.record import first_incident_day, may_be_child_on, record_rules
from crsvdata.rules.referral import referral_rules, reported_elsewhere_rules
from crsvdata.rules.reparation import (
    LAW_4067_PROGRAMME_CODES,
    law_4067_application_rules,
    money_rules,
    reparation_claim_rules,
)
from crsvdata.rules.survivor import ADULT_AGE, age_band_limits, age_rules
from crsvdata.rules.verification import VERIFIED_LEVELS, verification_rules

__all__ = [
    "ADULT_AGE",
    "DOCUMENT_CHECKS",
    "ICC_LISTS",
    "LAW_4067_PROGRAMME_CODES",
    "MINOR_AGE_GROUPS",
    "VERIFIED_LEVELS",
    "address_rules",
    "age_band_limits",
    "age_rules",
    "civil_claim_rules",
    "conflict_needed",
    "consent_covers",
    "consent_holds_on",
    "consent_recorded",
    "consent_rules",
    "first_incident_day",
    "gbvims_core_types",
    "gbvims_elimination_order",
    "gbvims_incident_type",
    "identity_document_rules",
    "identity_record_rules",
    "incident_date_rules",
    "incident_rules",
    "law_4067_application_rules",
    "legal_representation_rules",
    "location_rules",
    "may_be_child_on",
    "money_rules",
    "package_rules",
    "perpetrator_rules",
    "place_of_detention_rules",
    "proceeding_rules",
    "qualification_code_lists",
    "qualification_conflict_rules",
    "qualification_rules",
    "record_rules",
    "referral_rules",
    "reparation_claim_rules",
    "reported_elsewhere_rules",
    "verification_rules",
]
