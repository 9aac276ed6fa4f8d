"""Legal qualifications as data: what an incident may be, was charged as, or was convicted as.

A qualification names one crime of one instrument (a Rome Statute crime by its Elements of Crimes heading,
or an article and part of the Criminal Code of Ukraine), the mode of liability, how far it has gone
(candidate, charged, convicted) and who assessed it when. The crosswalks of the ``form_of_violence`` list
only *suggest* candidates; :func:`suggest_qualifications` evaluates them, with their conditions (age,
victim status, conflict classification), for one incident of one record.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar, Final

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.conditions import CrosswalkFacts, conditional_crosswalk
from crsvdata.codes.enums import (
    ArmedConflictClassification,
    QualificationInstrument,
    QualificationMode,
    QualificationStatus,
)
from crsvdata.findings import Finding
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import AcceptWholeFloat, LocalId, NonEmptyList, NoNull, OrganisationCode, codelist

if TYPE_CHECKING:
    from crsvdata.models.incident import Incident
    from crsvdata.models.survivor import Survivor

__all__ = [
    "QUALIFICATION_CODE_PATTERN",
    "QUALIFICATION_COLUMNS",
    "LegalQualification",
    "SuggestedQualification",
    "crosswalk_facts",
    "qualification_conflict",
    "suggest_qualifications",
]

QUALIFICATION_CODE_PATTERN: Final = (
    r"^(?:[0-9]\([0-9]\)\([a-z]\)(?:\([ivx]+\))?(?:-[0-9])?|[1-9][0-9]{0,2}(?:-[1-9])?)$"
)
"""An Elements of Crimes heading (``7(1)(g)-1``, ``8(2)(b)(xxi)``) or a Criminal Code article (``442-1``)."""

ICC_LISTS: Final = rules.ICC_LISTS
QUALIFICATION_COLUMNS: Final = {
    "icc_eoc": QualificationInstrument.ICC_ROME_STATUTE,
    "icc_related": QualificationInstrument.ICC_ROME_STATUTE,
    "ua_criminal_code": QualificationInstrument.UA_CRIMINAL_CODE,
}
"""The ``form_of_violence`` crosswalk columns that suggest qualifications, and their instrument."""

ArticlePart = Annotated[int, Field(ge=1, le=20), AcceptWholeFloat]


class LegalQualification(CrsvModel):
    """One legal qualification of an incident, as a candidate, a charge or a conviction."""

    instrument: QualificationInstrument = codelist(
        "qualification_instrument", "The body of law: the Rome Statute or the Criminal Code of Ukraine."
    )
    code: str = Field(
        pattern=QUALIFICATION_CODE_PATTERN,
        description=(
            "The crime: for the Rome Statute a code of icc_eoc_crime or icc_related_crime (its Elements "
            "of Crimes heading); for the Criminal Code of Ukraine a code of criminal_code_article."
        ),
        examples=["8(2)(b)(xxii)-1", "438"],
    )
    part: Annotated[ArticlePart | None, NoNull] = Field(
        default=None, description="The part of the Criminal Code article (e.g. 1 for art. 438 part 1)."
    )
    mode: QualificationMode = codelist(
        "qualification_mode", "Committed, attempted, ordered, or command responsibility."
    )
    status: QualificationStatus = codelist(
        "qualification_status", "How far the qualification has gone: candidate, charged or convicted."
    )
    status_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day of the charge or the conviction; required for both."
    )
    assessed_by: Annotated[OrganisationCode | None, NoNull] = Field(
        default=None, description="The organisation whose lawyer or analyst assessed the qualification."
    )
    assessed_on: Annotated[date | None, NoNull] = Field(
        default=None, description="The day the qualification was assessed."
    )
    perpetrator_ids: Annotated[NonEmptyList[LocalId] | None, NoNull] = Field(
        default=None, description="The perpetrators of this incident the qualification concerns."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {
            "qualification.unknown_code",
            "qualification.part_outside_criminal_code",
            "qualification.status_without_date",
        }
    )

    def code_lists(self) -> tuple[str, ...]:
        """The code lists the code must come from, for this instrument."""
        return rules.qualification_code_lists(self.instrument.value)

    def conflict(self) -> str:
        """``international``, ``non_international`` or ``any``: the conflict the crime needs."""
        return rules.conflict_needed(self.code)

    json_rule = rules.qualification_rules


def qualification_conflict(
    qualifications: Iterable[LegalQualification], classification: ArmedConflictClassification | None
) -> Iterable[Finding]:
    """Qualifications whose war-crime provision needs the other kind of armed conflict than recorded."""
    return rules.qualification_conflict_rules(
        [qualification.to_json_dict() for qualification in qualifications],
        None if classification is None else classification.value,
    )


@dataclass(frozen=True, slots=True)
class SuggestedQualification:
    """A candidate qualification the crosswalks suggest for one act of an incident."""

    act_index: int
    instrument: QualificationInstrument
    code: str
    conditions_met: bool | None
    """``None`` when a condition (age, status, conflict) cannot be decided from the record."""


def crosswalk_facts(
    incident: Incident, survivor: Survivor | None, first_incident_day: date
) -> CrosswalkFacts:
    """What the crosswalk conditions may test about ``incident``.

    The survivor's age is recorded at the first incident (``first_incident_day``); for a later incident
    the oldest possible age grows by the years that can have passed, so an age condition is never
    decided on an age the survivor may already have outgrown.
    """
    age_min: int | None = None
    age_max: int | None = None
    status: str | None = None
    if survivor is not None:
        status = survivor.status.value
        age = survivor.age_at_first_incident
        if age is not None:
            from crsvdata.models.survivor import age_band_limits

            age_min = age.youngest_possible()
            upper = age.years if age.years is not None else age_band_limits(age.band)[1]
            if upper is not None:
                elapsed = (incident.incident_date.last_day() - first_incident_day).days
                age_max = upper + max(0, math.ceil(elapsed / 365.2425))
    return CrosswalkFacts(
        survivor_age_min=age_min,
        survivor_age_max=age_max,
        incident_first_day=incident.incident_date.first_day(),
        incident_last_day=incident.incident_date.last_day(),
        victim_status=status,
        conflict=incident.conflict_classification.value if incident.conflict_classification else None,
    )


def suggest_qualifications(
    incident: Incident, survivor: Survivor | None = None, first_incident_day: date | None = None
) -> tuple[SuggestedQualification, ...]:
    """The candidate qualifications the crosswalks suggest for each act of ``incident``.

    ``first_incident_day`` is the first day of the record's earliest incident (the day the recorded age
    refers to); it defaults to this incident's own first day.
    """
    facts = crosswalk_facts(incident, survivor, first_incident_day or incident.incident_date.first_day())
    suggestions: list[SuggestedQualification] = []
    for index, act in enumerate(incident.acts):
        for column, instrument in QUALIFICATION_COLUMNS.items():
            for suggestion in conditional_crosswalk("form_of_violence", act.form.value, column, facts):
                suggestions.append(
                    SuggestedQualification(index, instrument, suggestion.code, suggestion.conditions_met)
                )
    return tuple(suggestions)
