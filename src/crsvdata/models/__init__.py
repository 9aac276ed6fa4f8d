"""The crsvdata models (standard version 1.0).

Validate JSON with ``CaseRecord.model_validate_json(text)``: the models are strict, so from Python
objects use enum members and ``date``/``datetime`` values, or go through JSON (``crsvdata.parse``).
"""

from crsvdata.models._base import CrsvModel, collect_rule_findings
from crsvdata.models.act import Act
from crsvdata.models.affected_person import AffectedPerson
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
from crsvdata.models.proceeding import CivilClaim, LegalProceeding, LegalRepresentation, VictimStatus
from crsvdata.models.provenance import ReportedElsewhere
from crsvdata.models.referral import Referral
from crsvdata.models.reparation import Law4067Application, Money, Payment, ReparationClaim
from crsvdata.models.survivor import Age, Survivor
from crsvdata.models.verification import Verification

__all__ = [
    "Act",
    "Address",
    "AffectedPerson",
    "Age",
    "AnonymisedCaseRecord",
    "CaseRecord",
    "CivilClaim",
    "Consent",
    "CrsvModel",
    "ExchangePackage",
    "ForeignPassportDocument",
    "IdCardDocument",
    "IdentityDocument",
    "IdentityRecord",
    "Incident",
    "IncidentDate",
    "Law4067Application",
    "LegalProceeding",
    "LegalRepresentation",
    "Location",
    "Money",
    "PassportBookletDocument",
    "Payment",
    "Perpetrator",
    "PersonName",
    "Referral",
    "ReparationClaim",
    "ReportedElsewhere",
    "RnokppDocument",
    "Survivor",
    "UnzrDocument",
    "Verification",
    "VictimStatus",
    "collect_rule_findings",
]
