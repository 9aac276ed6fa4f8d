"""The circumstances of an incident that GBVIMS and the MRM record besides the acts themselves."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from crsvdata.codes.enums import AbductionStatus, DisplacementStage, PlaceType, TimeOfDay
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import NoNull, codelist
from crsvdata.models.place_of_detention import PlaceOfDetention


class Circumstances(CrsvModel):
    """Where and when in the day, the survivor's displacement, abduction, exchange and earlier incidents.

    Abduction status and exchange are the inputs GBVIMS uses to derive its case context (possible sexual
    slavery, possible sexual exploitation); see :func:`crsvdata.models.gbvims.gbvims_case_context`.
    """

    place_type: Annotated[PlaceType | None, NoNull] = codelist(
        "place_type", "The kind of place where the incident happened.", default=None
    )
    time_of_day: Annotated[TimeOfDay | None, NoNull] = codelist(
        "time_of_day", "The time of day of the incident (GBVIMS).", default=None
    )
    displacement_stage: Annotated[DisplacementStage | None, NoNull] = codelist(
        "displacement_stage", "Where the survivor was in displacement at the incident (GBVIMS).", default=None
    )
    abduction_status: Annotated[AbductionStatus | None, NoNull] = codelist(
        "abduction_status", "Whether and how the survivor was abducted (GBVIMS).", default=None
    )
    goods_or_money_exchanged: Annotated[bool | None, NoNull] = Field(
        default=None,
        description="True when money, goods, benefits or services were exchanged in the incident (GBVIMS).",
    )
    previous_incidents: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when the survivor reports earlier incidents of GBV (GBVIMS)."
    )
    place_of_detention: Annotated[PlaceOfDetention | None, NoNull] = Field(
        default=None, description="The place of deprivation of liberty, for detention or filtration."
    )
