"""The crsvdata models (standard version 1.0).

Validate JSON with ``CaseRecord.model_validate_json(text)``: the models are strict, so from Python
objects use enum members and ``date``/``datetime`` values, or go through JSON (``crsvdata.parse``).
"""

from crsvdata.models._base import CrsvModel, collect_rule_findings
from crsvdata.models.act import Act
from crsvdata.models.anonymised import AnonymisedCaseRecord
from crsvdata.models.case import CaseRecord
from crsvdata.models.consent import Consent
from crsvdata.models.identity import (
    Address,
    ForeignPassportDocument,
    IdCardDocument,
    IdentityDocument,
    IdentityRecord,
    PassportBookletDocument,
    PersonName,
    RnokppDocument,
    UnzrDocument,
)
from crsvdata.models.incident import Incident, IncidentDate, Location
from crsvdata.models.package import ExchangePackage
from crsvdata.models.perpetrator import Perpetrator
from crsvdata.models.proceeding import LegalProceeding
from crsvdata.models.referral import Referral
from crsvdata.models.reparation import Money, Payment, ReparationClaim
from crsvdata.models.survivor import Age, Survivor

__all__ = [
    "Act",
    "Address",
    "Age",
    "AnonymisedCaseRecord",
    "CaseRecord",
    "Consent",
    "CrsvModel",
    "ExchangePackage",
    "ForeignPassportDocument",
    "IdCardDocument",
    "IdentityDocument",
    "IdentityRecord",
    "Incident",
    "IncidentDate",
    "LegalProceeding",
    "Location",
    "Money",
    "PassportBookletDocument",
    "Payment",
    "Perpetrator",
    "PersonName",
    "Referral",
    "ReparationClaim",
    "RnokppDocument",
    "Survivor",
    "UnzrDocument",
    "collect_rule_findings",
]
