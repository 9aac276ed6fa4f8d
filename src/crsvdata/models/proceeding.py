"""Criminal proceedings about the incidents of a case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata.codes.enums import CriminalCodeArticle, Jurisdiction, ProceedingStage
from crsvdata.findings import Finding
from crsvdata.identifiers import ErdrNumber, check_erdr_number, erdr_year
from crsvdata.models._base import CrsvModel, error
from crsvdata.models._types import LocalId, NonEmptyList, NoNull, codelist


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

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "proceeding.erdr_year_after_registration",
            "proceeding.erdr_outside_ukraine",
            "proceeding.stage_before_registration",
        }
    )

    def rule_findings(self) -> Iterable[Finding]:
        if self.erdr_number is not None:
            yield from (finding.under("/erdr_number") for finding in check_erdr_number(self.erdr_number))
            if erdr_year(self.erdr_number) > self.registered_on.year:
                yield error(
                    "proceeding.erdr_year_after_registration",
                    "the year inside the ERDR number is after the registration year",
                    "/erdr_number",
                )
            if self.jurisdiction is not Jurisdiction.UA_NATIONAL:
                yield error(
                    "proceeding.erdr_outside_ukraine",
                    "an ERDR number belongs only to a proceeding under Ukrainian jurisdiction",
                    "/erdr_number",
                )
        if self.stage_on is not None and self.stage_on < self.registered_on:
            yield error(
                "proceeding.stage_before_registration",
                "the stage is dated before the registration",
                "/stage_on",
            )
