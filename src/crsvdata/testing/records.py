"""Hypothesis strategies for valid crsvdata records.

Every value these strategies draw is synthetic and marked so: record ids start with ``SYNTH-``,
survivor references with ``SYN-``, names are made-up Ukrainian-looking test names. Formats are realistic
(valid checksums; KATOTTH codes are real units, public geography) so partner tools can property-test their
own parsers.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import TypeVar

from hypothesis import strategies as st

from crsvdata.codes.enums import (
    AffectedPersonRole,
    AgeBand,
    ConfidentialityLevel,
    ConflictNexusIndicator,
    ConsentGivenBy,
    ConsentMethod,
    ConsentPurpose,
    Country,
    CriminalCodeArticle,
    Currency,
    Disability,
    DisplacementStatus,
    FormOfViolence,
    IncidentContext,
    Jurisdiction,
    PerpetratorCategory,
    ProceedingStage,
    RecipientCategory,
    ReferralOutcome,
    ReparationForm,
    ReparationProgramme,
    ReparationStatus,
    ServiceSector,
    Sex,
    SurvivorStatus,
    TerritoryControlStatus,
    VerificationStatus,
)
from crsvdata.geography import iso_subdivision_for_katotth
from crsvdata.models import (
    Act,
    Age,
    CaseRecord,
    Consent,
    Incident,
    IncidentDate,
    LegalProceeding,
    Location,
    Money,
    Payment,
    Perpetrator,
    Referral,
    ReparationClaim,
    Survivor,
)
from crsvdata.models.survivor import age_band_limits
from crsvdata.testing.identifiers import erdr_numbers, katotth_codes
from crsvdata.testing.standard_1_1 import codes_of, standard_1_1_parts
from crsvdata.testing.standard_1_1_incidents import standard_1_1_incidents
from crsvdata.version import RECORD_STANDARD_VERSION, RecordStandardVersion

EARLIEST_INCIDENT = date(2014, 2, 20)
"""Russia's armed aggression against Ukraine began on 20 February 2014."""
LATEST_RECORD = date(2026, 6, 30)

SYNTHETIC_ORGANISATIONS = (
    "unfpa",
    "un_women",
    "iom",
    "ua_office_prosecutor_general",
    "ua_free_legal_aid_system",
)


EnumT = TypeVar("EnumT", bound=Enum)


def enum_lists(enum: type[EnumT], max_size: int = 3) -> st.SearchStrategy[list[EnumT]]:
    """Non-empty lists of distinct members of ``enum``."""
    return _enum_lists(enum, max_size)


@functools.cache
def _enum_lists(enum: type[EnumT], max_size: int) -> st.SearchStrategy[list[EnumT]]:
    return st.lists(st.sampled_from(list(enum)), min_size=1, max_size=max_size, unique=True)


def days(start: date, end: date) -> st.SearchStrategy[date]:
    """Days between ``start`` and ``end`` inclusive."""
    return st.dates(min_value=start, max_value=max(start, end))


def partial_dates(start: date, end: date) -> st.SearchStrategy[str]:
    """Partial dates (YYYY, YYYY-MM or YYYY-MM-DD) whose *first* day lies between ``start`` and ``end``.

    Built directly rather than filtered: a year or month is offered only when its first day is in range, so
    no draw is ever rejected (a filter rejected most draws for a short range and tripped Hypothesis's
    health checks).
    """
    end = max(start, end)
    first_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    first_month = start.year * 12 + start.month - 1 + (start.day != 1)
    last_month = end.year * 12 + end.month - 1
    choices = [days(start, end).map(date.isoformat)]
    if first_month <= last_month:
        choices.append(st.integers(first_month, last_month).map(lambda m: f"{m // 12:04d}-{m % 12 + 1:02d}"))
    if first_year <= end.year:
        choices.append(st.integers(first_year, end.year).map(lambda y: f"{y:04d}"))
    return st.one_of(choices[::-1])


def ages() -> st.SearchStrategy[Age]:
    """An age band with, sometimes, the exact age inside it."""

    @st.composite
    def build(draw: st.DrawFn) -> Age:
        band = draw(st.sampled_from(list(AgeBand)))
        lower, upper = age_band_limits(band)
        years = draw(st.none() | st.integers(lower, upper if upper is not None else 100))
        estimated = draw(st.none() | st.booleans())
        return Age(band=band, years=years, estimated=estimated)

    return build()


def survivors(survivor_ref: str | None = None) -> st.SearchStrategy[Survivor]:
    """A survivor with a synthetic pseudonymous reference."""
    refs = (
        st.just(survivor_ref) if survivor_ref else st.integers(1, 999_999).map(lambda n: f"SYN-SURV-{n:06d}")
    )
    return st.builds(
        Survivor,
        survivor_ref=refs,
        sex=st.sampled_from(list(Sex)),
        age_at_first_incident=st.none() | ages(),
        status=st.sampled_from(list(SurvivorStatus)),
        role=st.sampled_from(list(AffectedPersonRole)),
        displacement_status=st.none() | st.sampled_from(list(DisplacementStatus)),
        disabilities=st.none() | enum_lists(Disability),
        nationality=st.none() | st.sampled_from([Country.UA, Country.UA, Country.GE, Country.MD]),
    )


# Strategies that every record draws from are built once, here, not inside the composites: building and
# validating a strategy on every draw cost more than drawing from it.
_ABROAD = st.sampled_from([Country.RU, Country.BY, Country.PL])
_IN_UKRAINE = st.sampled_from(
    [s for s in TerritoryControlStatus if s is not TerritoryControlStatus.OUTSIDE_UKRAINE]
)
_OPTIONAL_BOOLEAN = st.none() | st.booleans()
_PERPETRATORS = st.none() | st.lists(
    st.builds(
        Perpetrator,
        perpetrator_id=st.just("p"),
        category=st.sampled_from([c for c in PerpetratorCategory if c is not PerpetratorCategory.UNKNOWN]),
        affiliation_state=st.none() | st.sampled_from([Country.RU, Country.BY]),
        number=st.none() | st.integers(1, 12),
        sex=st.none() | st.sampled_from(list(Sex)),
        identified=_OPTIONAL_BOOLEAN,
    ),
    min_size=1,
    max_size=3,
)
_FORMS = st.lists(st.sampled_from(list(FormOfViolence)), min_size=1, max_size=4, unique=True)


@st.composite
def locations(draw: st.DrawFn) -> Location:
    """Mostly places in Ukraine (with a consistent subdivision and KATOTTH code), sometimes abroad."""
    if draw(st.integers(0, 9)) == 0:
        return Location(country=draw(_ABROAD), control_status=TerritoryControlStatus.OUTSIDE_UKRAINE)
    katotth = draw(katotth_codes())
    subdivision = iso_subdivision_for_katotth(katotth)
    return Location(
        country=Country.UA,
        subdivision=subdivision,
        katotth=katotth if draw(st.booleans()) else None,
        control_status=draw(_IN_UKRAINE),
    )


@st.composite
def incidents(draw: st.DrawFn, incident_id: str, not_after: date, only_1_0: bool = False) -> Incident:
    """An incident that starts no later than ``not_after`` (with ``only_1_0``, as standard 1.0 had it)."""
    start = draw(partial_dates(EARLIEST_INCIDENT, not_after))
    incident_date = IncidentDate(
        start=start,
        end=draw(st.none() | partial_dates(date.fromisoformat(_first(start)), not_after)),
        estimated=draw(_OPTIONAL_BOOLEAN),
    )
    perpetrators = draw(_PERPETRATORS)
    if perpetrators:
        perpetrators = [
            p.model_copy(update={"perpetrator_id": f"p{i + 1}"}) for i, p in enumerate(perpetrators)
        ]
    perpetrator_ids = [p.perpetrator_id for p in perpetrators or ()]
    forms = draw(_FORMS)
    acts = [
        Act(
            form=form,
            repeated=draw(_OPTIONAL_BOOLEAN),
            perpetrator_ids=draw(
                st.none() | st.lists(st.sampled_from(perpetrator_ids), min_size=1, unique=True)
                if perpetrator_ids
                else st.none()
            ),
        )
        for form in forms
    ]
    first = date.fromisoformat(_first(start))
    incident = Incident(
        incident_id=incident_id,
        incident_date=incident_date,
        reported_on=draw(st.none() | days(first, not_after)),
        location=draw(locations()),
        contexts=draw(
            st.lists(
                st.sampled_from(codes_of(IncidentContext, only_1_0)), min_size=1, max_size=3, unique=True
            )
        ),
        acts=acts,
        perpetrators=perpetrators,
        conflict_nexus=draw(st.none() | enum_lists(ConflictNexusIndicator)),
        verification_status=draw(st.none() | st.sampled_from(list(VerificationStatus))),
        narrative=draw(st.none() | st.just("SYNTHETIC narrative: no real event is described here.")),
    )
    return incident if only_1_0 else draw(standard_1_1_incidents(incident, not_after))


def _first(partial: str) -> str:
    return partial + ("-01-01", "-01", "")[(len(partial) - 4) // 3]


@st.composite
def case_records(
    draw: st.DrawFn, standard_version: RecordStandardVersion = RECORD_STANDARD_VERSION
) -> CaseRecord:
    """A valid case record: every structural constraint and every cross-field rule holds.

    With ``standard_version="1.0"`` the record uses only what standard 1.0 had (no 1.1 field or code), so
    it is a valid 1.0 document too.
    """
    only_1_0 = standard_version == "1.0"
    number = draw(st.integers(1, 999_999))
    created_day = draw(days(date(2022, 3, 1), LATEST_RECORD))
    created_at = datetime.combine(created_day, time(draw(st.integers(0, 23)), draw(st.integers(0, 59))), UTC)
    updated_at = created_at + timedelta(days=draw(st.integers(0, 30)), minutes=draw(st.integers(0, 600)))
    last_day = updated_at.date()
    source = draw(st.sampled_from(SYNTHETIC_ORGANISATIONS))
    incident_list = [
        draw(incidents(f"inc-{i + 1}", created_day, only_1_0)) for i in range(draw(st.integers(1, 3)))
    ]
    survivor = draw(survivors(f"SYN-SURV-{number:06d}"))
    draft = CaseRecord(
        record_id=f"SYNTH-{number:06d}",
        standard_version=standard_version,
        source_organisation=source,
        created_at=created_at,
        updated_at=updated_at,
        confidentiality=draw(st.sampled_from(list(ConfidentialityLevel))),
        survivor=survivor,
        incidents=incident_list,
    )
    consents = draw(st.none() | st.lists(_consent_parts(last_day, only_1_0), min_size=1, max_size=4))
    if consents:
        consents = [c.model_copy(update={"consent_id": f"c{i + 1}"}) for i, c in enumerate(consents)]
        consents = [_make_child_safe(draft, c) for c in consents]
    referrals = draw(st.none() | st.lists(_referral(source, last_day), min_size=1, max_size=3))
    if referrals:
        referrals = [r.model_copy(update={"referral_id": f"r{i + 1}"}) for i, r in enumerate(referrals)]
        # A referral to another organisation comes with the survivor's referral consent for it.
        consents = list(consents or []) + [
            Consent(
                consent_id=f"rc{i + 1}",
                purpose=ConsentPurpose.REFERRAL,
                recipient_organisation=r.to_organisation,
                granted=True,
                given_on=r.referred_on,
                method=ConsentMethod.WRITTEN,
                given_by=ConsentGivenBy.PARENT_OR_GUARDIAN
                if draft.may_be_child_on(r.referred_on)
                else ConsentGivenBy.SELF,
            )
            for i, r in enumerate(referrals)
        ]
    incident_ids = [i.incident_id for i in incident_list]
    proceedings = draw(
        st.none() | st.lists(_proceeding(incident_ids, last_day, only_1_0), min_size=1, max_size=2)
    )
    if proceedings:
        proceedings = [
            p.model_copy(update={"proceeding_id": f"pr{i + 1}"}) for i, p in enumerate(proceedings)
        ]
    reparations = draw(st.none() | st.lists(_reparation(last_day, only_1_0), min_size=1, max_size=2))
    if reparations:
        reparations = [c.model_copy(update={"claim_id": f"rep{i + 1}"}) for i, c in enumerate(reparations)]
    updates = {
        "consents": consents or None,
        "referrals": referrals,
        "proceedings": proceedings,
        "reparations": reparations,
    }
    if not only_1_0:
        updates = draw(standard_1_1_parts(draft.model_copy(update=updates)))
    # Re-validate the whole record so that every rule, including the record-level ones, is checked.
    return CaseRecord.model_validate_json(draft.model_copy(update=updates).to_json())


def _make_child_safe(record: CaseRecord, consent: Consent) -> Consent:
    if consent.given_by is ConsentGivenBy.SELF and record.may_be_child_on(consent.given_on):
        return consent.model_copy(update={"given_by": ConsentGivenBy.PARENT_OR_GUARDIAN})
    return consent


@st.composite
def _consent_parts(draw: st.DrawFn, last_day: date, only_1_0: bool = False) -> Consent:
    given_on = draw(days(EARLIEST_INCIDENT, last_day))
    granted = draw(st.booleans())
    named = draw(st.booleans())
    withdrawn = draw(st.none() | days(given_on, last_day)) if granted else None
    return Consent(
        consent_id="c",
        purpose=draw(st.sampled_from(list(ConsentPurpose))),
        recipient_organisation=draw(st.sampled_from(SYNTHETIC_ORGANISATIONS)) if named else None,
        recipient_category=None if named else draw(st.sampled_from(list(RecipientCategory))),
        granted=granted,
        given_on=given_on,
        method=draw(st.sampled_from(codes_of(ConsentMethod, only_1_0))),
        given_by=draw(st.sampled_from(codes_of(ConsentGivenBy, only_1_0))),
        withdrawn_on=withdrawn,
    )


@st.composite
def _referral(draw: st.DrawFn, source: str, last_day: date) -> Referral:
    referred_on = draw(days(date(2022, 2, 24), last_day))
    outcome = draw(st.none() | st.sampled_from(list(ReferralOutcome)))
    return Referral(
        referral_id="r",
        sector=draw(st.sampled_from(list(ServiceSector))),
        from_organisation=source,
        to_organisation=draw(st.sampled_from([o for o in SYNTHETIC_ORGANISATIONS if o != source])),
        referred_on=referred_on,
        outcome=outcome,
        outcome_on=draw(st.none() | days(referred_on, last_day)) if outcome else None,
    )


@st.composite
def _proceeding(
    draw: st.DrawFn, incident_ids: list[str], last_day: date, only_1_0: bool = False
) -> LegalProceeding:
    registered_on = draw(days(date(2014, 3, 1), last_day))
    jurisdiction = draw(st.sampled_from(list(Jurisdiction)))
    erdr = None
    if jurisdiction is Jurisdiction.UA_NATIONAL and draw(st.booleans()):
        erdr = draw(erdr_numbers(max_year=max(2012, registered_on.year)))
    return LegalProceeding(
        proceeding_id="pr",
        jurisdiction=jurisdiction,
        erdr_number=erdr,
        registered_on=registered_on,
        stage=draw(st.sampled_from(list(ProceedingStage))),
        stage_on=draw(st.none() | days(registered_on, last_day)),
        articles=draw(
            st.none()
            | st.lists(
                st.sampled_from(codes_of(CriminalCodeArticle, only_1_0)), min_size=1, max_size=3, unique=True
            )
        ),
        incident_ids=draw(st.lists(st.sampled_from(incident_ids), min_size=1, unique=True)),
    )


def money() -> st.SearchStrategy[Money]:
    """A positive amount in EUR or UAH."""
    amounts = st.integers(1, 10_000_000).map(lambda cents: f"{cents // 100}.{cents % 100:02d}")
    return st.builds(Money, amount=amounts, currency=st.sampled_from([Currency.EUR, Currency.UAH]))


@st.composite
def _reparation(draw: st.DrawFn, last_day: date, only_1_0: bool = False) -> ReparationClaim:
    submitted_on = draw(days(date(2024, 2, 29), last_day))
    decision_on = draw(st.none() | days(submitted_on, last_day))
    payments = None
    if decision_on is not None:
        payments = draw(
            st.none()
            | st.lists(
                st.builds(Payment, paid_on=days(decision_on, last_day), amount=money()),
                min_size=1,
                max_size=2,
            )
        )
    return ReparationClaim(
        claim_id="rep",
        programme=draw(st.sampled_from(codes_of(ReparationProgramme, only_1_0))),
        status=draw(st.sampled_from(list(ReparationStatus))),
        submitted_on=submitted_on,
        decision_on=decision_on,
        forms=draw(st.none() | enum_lists(ReparationForm)),
        awarded=draw(st.none() | money()) if decision_on else None,
        payments=payments,
    )
