"""Family members and dependants affected by the violence against the survivor, by reference only."""

from __future__ import annotations

from typing import Annotated

from crsvdata.codes.enums import AffectedPersonHarm, AffectedPersonRelationship, AgeBand
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import NonEmptyList, NoNull, PseudonymousRef, codelist


class AffectedPerson(CrsvModel):
    """A family member or dependant of the survivor, affected too (Law No. 4067-IX counts them).

    Like the survivor, the person is known only by a pseudonymous reference; no name or birth date.
    """

    person_ref: PseudonymousRef
    relationship: AffectedPersonRelationship = codelist(
        "affected_person_relationship", "How the person is related to the survivor."
    )
    affected_how: Annotated[NonEmptyList[AffectedPersonHarm] | None, NoNull] = codelist(
        "affected_person_harm", "How the person was affected.", default=None
    )
    age_band: Annotated[AgeBand | None, NoNull] = codelist(
        "age_band", "The person's age band when the case was recorded.", default=None
    )
