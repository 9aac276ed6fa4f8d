"""The place where a survivor was deprived of liberty: kind of facility, where, and for how long."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import DetentionFacilityType
from crsvdata.geography import KatotthCode
from crsvdata.models._base import CrsvModel
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

    json_rule = rules.place_of_detention_rules
