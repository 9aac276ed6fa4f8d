"""The crsvdata models (standard version 1.0).

Validate JSON with ``CaseRecord.model_validate_json(text)``: the models are strict, so from Python
objects use enum members and ``date``/``datetime`` values, or go through JSON (``crsvdata.parse``).

Each name is imported from its module on first use (PEP 562), so validating case records never loads
the anonymised record or the identity models it does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from crsvdata._lazy import lazy_exports

if TYPE_CHECKING:
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

_MODULE_OF: Final[dict[str, str]] = {
    "Act": "act",
    "Address": "identity",
    "AffectedPerson": "affected_person",
    "Age": "survivor",
    "AnonymisedCaseRecord": "anonymised",
    "CaseRecord": "case",
    "CivilClaim": "proceeding",
    "Consent": "consent",
    "CrsvModel": "_base",
    "ExchangePackage": "package",
    "ForeignPassportDocument": "identity",
    "IdCardDocument": "identity",
    "IdentityDocument": "identity",
    "IdentityRecord": "identity",
    "Incident": "incident",
    "IncidentDate": "incident",
    "Law4067Application": "reparation",
    "LegalProceeding": "proceeding",
    "LegalRepresentation": "proceeding",
    "Location": "incident",
    "Money": "reparation",
    "PassportBookletDocument": "identity",
    "Payment": "reparation",
    "Perpetrator": "perpetrator",
    "PersonName": "identity",
    "Referral": "referral",
    "ReparationClaim": "reparation",
    "ReportedElsewhere": "provenance",
    "RnokppDocument": "identity",
    "Survivor": "survivor",
    "UnzrDocument": "identity",
    "Verification": "verification",
    "VictimStatus": "proceeding",
    "collect_rule_findings": "_base",
}

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


__getattr__, __dir__ = lazy_exports(
    __name__, globals(), {name: f"crsvdata.models.{module}" for name, module in _MODULE_OF.items()}
)
