"""Criminal proceedings about the incidents of a case."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import (
    CriminalCodeArticle,
    Jurisdiction,
    LegalRepresentativeType,
    ProceedingStage,
    VictimProceduralStatus,
)
from crsvdata.identifiers import ErdrNumber
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import LocalId, NonEmptyList, NoNull, codelist
from crsvdata.models.reparation import Money


class VictimStatus(CrsvModel):
    """The survivor's procedural status as a victim (потерпілий), Criminal Procedure Code Article 55."""

    status: VictimProceduralStatus = codelist(
        "victim_procedural_status", "Whether the survivor is recognised as a victim in this proceeding."
    )
    decided_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day of the application or of the decision on it."
    )


class LegalRepresentation(CrsvModel):
    """Whether the survivor has a legal representative in the proceeding, and what kind (never who)."""

    represented: bool = Field(description="True when the survivor has a legal representative.")
    representative_type: Annotated[LegalRepresentativeType | None, NoNull] = codelist(
        "legal_representative_type", "What kind of representative, when there is one.", default=None
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {"proceeding.representative_type_without_representative"}
    )

    json_rule = rules.legal_representation_rules


class CivilClaim(CrsvModel):
    """A civil claim for damages filed in the criminal proceeding (Criminal Procedure Code, Article 128)."""

    filed: bool = Field(description="True when a civil claim has been filed.")
    filed_on: Annotated[date | None, NoNull] = Field(default=None, description="The day it was filed.")
    amount: Annotated[Money | None, NoNull] = Field(default=None, description="The amount claimed.")

    rule_codes: ClassVar[frozenset[str]] = frozenset({"proceeding.civil_claim_details_not_filed"})

    json_rule = rules.civil_claim_rules


class LegalProceeding(CrsvModel):
    """A criminal proceeding, in Ukraine identified by its ERDR number.

    The ERDR number is quasi-identifying: export profiles other than ``investigation`` drop it.
    """

    proceeding_id: LocalId
    jurisdiction: Jurisdiction = codelist("jurisdiction", "Where the proceeding runs.")
    erdr_number: Annotated[ErdrNumber | None, NoNull] = None
    registered_on: date = Field(description="The day the proceeding was registered (entered into the ERDR).")
    stage: ProceedingStage = codelist("proceeding_stage", "The stage the proceeding has reached.")
    stage_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day that stage was reached."
    )
    articles: Annotated[NonEmptyList[CriminalCodeArticle] | None, NoNull] = codelist(
        "criminal_code_article",
        "Articles of the Criminal Code of Ukraine under which it is qualified.",
        default=None,
    )
    incident_ids: NonEmptyList[LocalId] = Field(
        description="The incidents of this record the proceeding covers."
    )
    victim_status: Annotated[VictimStatus | None, NoNull] = Field(
        default=None, description="The survivor's procedural status as a victim (CPC Article 55)."
    )
    legal_representation: Annotated[LegalRepresentation | None, NoNull] = Field(
        default=None, description="Whether the survivor has a legal representative (no identity)."
    )
    civil_claim: Annotated[CivilClaim | None, NoNull] = Field(
        default=None, description="A civil claim for damages within the proceeding."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "proceeding.erdr_year_after_registration",
            "proceeding.erdr_outside_ukraine",
            "proceeding.stage_before_registration",
        }
    )

    json_rule = rules.proceeding_rules
