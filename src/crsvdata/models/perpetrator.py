"""Alleged perpetrators of an incident: who they were, never who they are by name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata.codes.enums import Country, PerpetratorCategory, Sex
from crsvdata.findings import Finding
from crsvdata.models._base import CrsvModel, error
from crsvdata.models._types import AcceptWholeFloat, LocalId, NoNull, codelist
from crsvdata.models.extensions import Extensions, ExternalIdentifiers

PerpetratorCount = Annotated[int, Field(ge=1, le=1000), AcceptWholeFloat]


class Perpetrator(CrsvModel):
    """One alleged perpetrator or group of perpetrators acting together.

    Names of perpetrators belong to the investigation's own systems, not to shared case data; this model
    only says whether they were identified.
    """

    perpetrator_id: LocalId
    extensions: Annotated[Extensions | None, NoNull] = None
    external_identifiers: Annotated[ExternalIdentifiers | None, NoNull] = None
    category: Annotated[PerpetratorCategory | None, NoNull] = codelist(
        "perpetrator_category", "The kind of actor (armed forces, detention staff, ...).", default=None
    )
    affiliation_state: Annotated[Country | None, NoNull] = codelist(
        "country", "The state the perpetrator acted for or was affiliated with (ISO 3166-1).", default=None
    )
    number: Annotated[PerpetratorCount | None, NoNull] = Field(
        default=None, description="How many perpetrators this entry stands for."
    )
    sex: Annotated[Sex | None, NoNull] = codelist("sex", "Sex of the perpetrator(s).", default=None)
    identified: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the perpetrator has been identified by investigators."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset({"perpetrator.identified_without_category"})

    def rule_findings(self) -> Iterable[Finding]:
        if self.identified and self.category in (None, PerpetratorCategory.UNKNOWN):
            yield error(
                "perpetrator.identified_without_category",
                "an identified perpetrator needs a known category",
                "/category",
            )
