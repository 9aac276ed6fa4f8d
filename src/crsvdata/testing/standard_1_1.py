"""Hypothesis strategies for what standard 1.1 added to a case record, kept apart from the 1.0 ones.

``standard_1_1_parts`` takes a record that uses only 1.0 and draws the 1.1 fields for it, each consistent
with the record (references resolve, dates in order); ``codes_of`` leaves out the codes 1.1 added, for
records that must stay valid 1.0 documents.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from enum import Enum
from typing import Any, Final, TypeVar

from hypothesis import strategies as st

from crsvdata.codes.enums import (
    ENUMS,
    AffectedPersonHarm,
    AffectedPersonRelationship,
    AgeBand,
    ChildSeparationStatus,
    Consequence,
    Country,
    Currency,
    Ethnicity,
    LegalRepresentativeType,
    MaritalStatus,
    Rd4uCategory,
    RecordStatus,
    Religion,
    ReparationProgramme,
    ReportingBodyCategory,
    VerificationStatus,
    VictimProceduralStatus,
)
from crsvdata.models import CaseRecord, Money
from crsvdata.models.affected_person import AffectedPerson
from crsvdata.models.proceeding import CivilClaim, LegalProceeding, LegalRepresentation, VictimStatus
from crsvdata.models.provenance import ReportedElsewhere
from crsvdata.models.reparation import LAW_4067_PROGRAMMES, Law4067Application, ReparationClaim
from crsvdata.models.verification import VERIFIED_LEVELS, Verification
from crsvdata.schema.published import schemas_root

EnumT = TypeVar("EnumT", bound=Enum)


def _codes_new_in_1_1() -> frozenset[Enum]:
    # Read from the frozen 1.0.0 code lists, so that a code any later change adds is left out too.
    new: set[Enum] = set()
    released = schemas_root() / "1.0.0" / "codelists"
    for name, enum in ENUMS.items():
        frozen = released / f"{name}.csv"
        if frozen.is_file():
            known = {row["code"] for row in csv.DictReader(io.StringIO(frozen.read_text("utf-8")))}
            new.update(code for code in enum if code.value not in known)
    return frozenset(new)


CODES_NEW_IN_1_1: Final[frozenset[Enum]] = _codes_new_in_1_1()
"""Codes of lists that 1.0 already had, added in 1.1: a 1.0 document never uses them."""

_ORGANISATIONS: Final = ("unfpa", "un_women", "ua_office_prosecutor_general", "ohchr_hrmmu")


def codes_of(enum: type[EnumT], only_1_0: bool = False) -> list[EnumT]:
    """The codes of ``enum``; with ``only_1_0``, without those standard 1.1 added."""
    return [code for code in enum if not (only_1_0 and code in CODES_NEW_IN_1_1)]


def _days(start: date, end: date) -> st.SearchStrategy[date]:
    return st.integers(0, max(0, (end - start).days)).map(lambda n: start + timedelta(days=n))


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _codes(enum: type[EnumT]) -> st.SearchStrategy[list[EnumT]]:
    return st.lists(st.sampled_from(list(enum)), min_size=1, max_size=3, unique=True)


@st.composite
def verifications(draw: st.DrawFn, last_day: date) -> Verification:
    """A verification consistent with its level: a verified incident has its verification day."""
    level = draw(st.sampled_from(list(VerificationStatus)))
    verified_on = draw(_days(date(2022, 2, 24), last_day))
    return Verification(
        level=level,
        verified_by=draw(_optional(st.sampled_from(_ORGANISATIONS))),
        verified_on=verified_on if level in VERIFIED_LEVELS or draw(st.booleans()) else None,
        primary_sources=draw(_optional(st.integers(0, 20))),
        secondary_sources=draw(_optional(st.integers(0, 20))),
    )


@st.composite
def reported_elsewhere(draw: st.DrawFn) -> ReportedElsewhere:
    """Another body the case was reported to, by organisation or by category (never both)."""
    named = draw(st.booleans())
    return ReportedElsewhere(
        to_organisation=draw(st.sampled_from(_ORGANISATIONS)) if named else None,
        to_category=None if named else draw(st.sampled_from(list(ReportingBodyCategory))),
        reported_on=draw(_optional(st.sampled_from(["2022", "2022-05", "2023-01-17"]))),
        reference=draw(_optional(st.integers(1, 9999).map(lambda n: f"SYNTH-REPORT-{n:04d}"))),
    )


def affected_persons(survivor_ref: str) -> st.SearchStrategy[list[AffectedPerson]]:
    """Family members and dependants with their own synthetic references, never the survivor's."""
    person = st.builds(
        AffectedPerson,
        person_ref=st.just("SYN-FAM-0"),
        relationship=st.sampled_from(list(AffectedPersonRelationship)),
        affected_how=_optional(_codes(AffectedPersonHarm)),
        age_band=_optional(st.sampled_from(list(AgeBand))),
    )
    return st.lists(person, min_size=1, max_size=3).map(
        lambda people: [
            p.model_copy(update={"person_ref": f"SYN-FAM-{survivor_ref[-6:]}-{i + 1}"})
            for i, p in enumerate(people)
        ]
    )


@st.composite
def _proceeding_1_1(draw: st.DrawFn, proceeding: LegalProceeding, last_day: date) -> LegalProceeding:
    represented = draw(st.booleans())
    filed = draw(st.booleans())
    return proceeding.model_copy(
        update={
            "victim_status": draw(
                _optional(
                    st.builds(
                        VictimStatus,
                        status=st.sampled_from(list(VictimProceduralStatus)),
                        decided_on=_optional(_days(proceeding.registered_on, last_day)),
                    )
                )
            ),
            "legal_representation": draw(
                _optional(
                    st.builds(
                        LegalRepresentation,
                        represented=st.just(represented),
                        representative_type=_optional(st.sampled_from(list(LegalRepresentativeType)))
                        if represented
                        else st.none(),
                    )
                )
            ),
            "civil_claim": draw(
                _optional(
                    st.builds(
                        CivilClaim,
                        filed=st.just(filed),
                        filed_on=_optional(_days(proceeding.registered_on, last_day)) if filed else st.none(),
                        amount=_optional(st.just(Money(amount="150000.00", currency=Currency.UAH)))
                        if filed
                        else st.none(),
                    )
                )
            ),
        }
    )


@st.composite
def _reparation_1_1(
    draw: st.DrawFn, claim: ReparationClaim, incident_ids: list[str], last_day: date
) -> ReparationClaim:
    update: dict[str, Any] = {
        "claim_number": draw(_optional(st.integers(1, 999_999).map(lambda n: f"SYNTH-CLAIM-{n:06d}"))),
        "incident_ids": draw(_optional(st.lists(st.sampled_from(incident_ids), min_size=1, unique=True))),
    }
    if claim.programme is ReparationProgramme.RD4U_CLAIM:
        update["rd4u_categories"] = draw(
            _optional(st.lists(st.sampled_from(list(Rd4uCategory)), min_size=1, max_size=3, unique=True))
        )
    if claim.programme in LAW_4067_PROGRAMMES and draw(st.booleans()):
        decided = draw(_optional(_days(claim.submitted_on, last_day)))
        entry = draw(_optional(st.booleans()))
        update["law_4067_application"] = Law4067Application(
            submitted_on=claim.submitted_on,
            decision_number=draw(st.integers(1, 9999).map(lambda n: f"SYNTH-4067-{n:04d}"))
            if decided
            else None,
            decision_on=decided,
            state_register_entry=entry,
            state_register_entry_on=draw(_optional(_days(claim.submitted_on, last_day))) if entry else None,
        )
    return claim.model_copy(update=update)


@st.composite
def standard_1_1_parts(draw: st.DrawFn, record: CaseRecord) -> dict[str, Any]:
    """The updates that give ``record`` (1.0 content) the fields of 1.1, each consistent with the rest."""
    last_day = record.updated_at.date()
    incident_ids = [incident.incident_id for incident in record.incidents]
    status = draw(_optional(st.sampled_from(list(RecordStatus))))
    survivor = record.survivor.model_copy(
        update={
            "ethnicity": draw(_optional(st.sampled_from(list(Ethnicity)))),
            "religion": draw(_optional(st.sampled_from(list(Religion)))),
            "country_of_origin": draw(_optional(st.sampled_from([Country.UA, Country.MD, Country.GE]))),
            "marital_status": draw(_optional(st.sampled_from(list(MaritalStatus)))),
            "child_separation": draw(_optional(st.sampled_from(list(ChildSeparationStatus)))),
        }
    )
    incidents = [
        incident.model_copy(
            update={
                "verification": draw(_optional(verifications(last_day))),
                "consequences": draw(_optional(_codes(Consequence))),
            }
        )
        for incident in record.incidents
    ]
    return {
        "consents": record.consents,
        "referrals": record.referrals,
        "proceedings": [draw(_proceeding_1_1(p, last_day)) for p in record.proceedings or ()] or None,
        "reparations": [draw(_reparation_1_1(c, incident_ids, last_day)) for c in record.reparations or ()]
        or None,
        "survivor": survivor,
        "incidents": incidents,
        "record_status": status,
        # Outside the SYNTH-nnnnnn numbering of generated records, so that renumbering a record (as the
        # export tests do) never turns it into a duplicate of itself.
        "duplicate_of": f"SYNTH-ORIGINAL-{draw(st.integers(1, 999_999)):06d}"
        if status is RecordStatus.DUPLICATE
        else None,
        "reported_elsewhere": draw(_optional(st.lists(reported_elsewhere(), min_size=1, max_size=3))),
        "affected_persons": draw(_optional(affected_persons(record.survivor.survivor_ref))),
    }
