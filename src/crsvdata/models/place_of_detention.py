"""The place where a survivor was deprived of liberty: kind of facility, where, and for how long."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata.codes.enums import DetentionFacilityType
from crsvdata.dates import earliest, latest
from crsvdata.findings import Finding
from crsvdata.geography import KatotthCode, check_katotth
from crsvdata.models._base import CrsvModel, error
from crsvdata.models._types import NoNull, PartialDate, codelist


class PlaceOfDetention(CrsvModel):
    """A place of deprivation of liberty (detention or filtration) and the period the survivor was held.

    The facility is described by its kind and its KATOTTH unit, never by name or address: a named facility
    and a period together can identify a detainee, so every export profile leaves these fields out unless
    it lists them.
    """

    facility_type: DetentionFacilityType = codelist(
        "detention_facility_type", "The kind of place (prison, filtration point, basement, ...)."
    )
    katotth: Annotated[KatotthCode | None, NoNull] = Field(
        default=None, description="The KATOTTH code of the settlement or hromada where the place is."
    )
    held_from: Annotated[PartialDate | None, NoNull] = Field(
        default=None, description="The first day, month or year the survivor was held there."
    )
    held_until: Annotated[PartialDate | None, NoNull] = Field(
        default=None, description="The last day, month or year the survivor was held there."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset({"detention.period_reversed"})

    def rule_findings(self) -> Iterable[Finding]:
        if self.katotth is not None:
            yield from (finding.under("/katotth") for finding in check_katotth(self.katotth))
        if (
            self.held_from is not None
            and self.held_until is not None
            and latest(self.held_until) < earliest(self.held_from)
        ):
            yield error("detention.period_reversed", "the detention ends before it starts", "/held_until")
