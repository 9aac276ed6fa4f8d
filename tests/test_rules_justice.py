"""The justice rules (proceedings, reparations, money, legal qualifications) over the JSON form.

Two kinds of test. Differential: the rules as the models had them before they moved to
``crsvdata.rules`` are kept below as reference functions on the models; on generated, broken and mutated
records the models (``collect_rule_findings``) and the bulk walker (``rule_findings_in_json``) must give
exactly their findings, in their order. Property: each rule against its meaning, written plainly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from crsvdata import rules
from crsvdata._context import STRUCTURE_ONLY
from crsvdata.codes import load as load_codelist
from crsvdata.codes.enums import (
    Jurisdiction,
    LegalRepresentativeType,
    QualificationInstrument,
    QualificationMode,
    QualificationStatus,
    Rd4uCategory,
    ReparationProgramme,
    ReparationStatus,
)
from crsvdata.findings import Finding, Severity, escape_pointer_token
from crsvdata.identifiers import check_erdr_number, erdr_year
from crsvdata.models import (
    CaseRecord,
    CivilClaim,
    IdentityRecord,
    Law4067Application,
    LegalProceeding,
    LegalRepresentation,
    Money,
    ReparationClaim,
    collect_rule_findings,
)
from crsvdata.models._types import DECIMAL_PATTERN
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.models.legal_qualification import LegalQualification
from crsvdata.testing import broken_case_records, case_records, identity_records

Document = dict[str, Any]

# --- the rules as the models had them (frozen copy of the model code before the port) ---------------


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def _old_money(self: Money) -> Iterator[Finding]:
    if Decimal(self.amount) <= 0:
        yield _error("amount.not_positive", "an amount must be greater than zero", "/amount")


def _old_law_4067(self: Law4067Application) -> Iterator[Finding]:
    if self.decision_on is not None and self.decision_on < self.submitted_on:
        yield _error(
            "reparation.law_4067_decision_before_application",
            "the commission's decision is dated before the application",
            "/decision_on",
        )
    if self.state_register_entry_on is not None and self.state_register_entry is not True:
        yield _error(
            "reparation.law_4067_register_date_without_entry",
            "a State Register entry date is given but the entry is not recorded as made",
            "/state_register_entry_on",
        )


_OLD_LAW_4067_PROGRAMMES = frozenset(
    {ReparationProgramme.UA_LAW_4067_IX_STATUS, ReparationProgramme.UA_LAW_4067_IX_INTERIM_REPARATION}
)


def _old_claim(self: ReparationClaim) -> Iterator[Finding]:
    if self.rd4u_categories is not None and self.programme is not ReparationProgramme.RD4U_CLAIM:
        yield _error(
            "reparation.rd4u_categories_outside_rd4u",
            "RD4U categories belong only to a claim to the Register of Damage",
            "/rd4u_categories",
        )
    if self.law_4067_application is not None and self.programme not in _OLD_LAW_4067_PROGRAMMES:
        yield _error(
            "reparation.law_4067_outside_programme",
            "a Law No. 4067-IX application belongs only to a claim under that law",
            "/law_4067_application",
        )
    if self.decision_on is not None and self.decision_on < self.submitted_on:
        yield _error(
            "reparation.decision_before_submission",
            "the decision is dated before the claim",
            "/decision_on",
        )
    for index, payment in enumerate(self.payments or ()):
        pointer = f"/payments/{index}/paid_on"
        if self.decision_on is None:
            yield _error(
                "reparation.payment_without_decision", "a payment is recorded without a decision", pointer
            )
        elif payment.paid_on < self.decision_on:
            yield _error(
                "reparation.payment_before_decision", "a payment is dated before the decision", pointer
            )


def _old_representation(self: LegalRepresentation) -> Iterator[Finding]:
    if not self.represented and self.representative_type is not None:
        yield _error(
            "proceeding.representative_type_without_representative",
            "a representative type is given although the survivor is not represented",
            "/representative_type",
        )


def _old_civil_claim(self: CivilClaim) -> Iterator[Finding]:
    if not self.filed and (self.filed_on is not None or self.amount is not None):
        yield _error(
            "proceeding.civil_claim_details_not_filed",
            "a civil claim has a date or an amount but is recorded as not filed",
            "/filed",
        )


def _old_proceeding(self: LegalProceeding) -> Iterator[Finding]:
    if self.erdr_number is not None:
        yield from (finding.under("/erdr_number") for finding in check_erdr_number(self.erdr_number))
        if erdr_year(self.erdr_number) > self.registered_on.year:
            yield _error(
                "proceeding.erdr_year_after_registration",
                "the year inside the ERDR number is after the registration year",
                "/erdr_number",
            )
        if self.jurisdiction is not Jurisdiction.UA_NATIONAL:
            yield _error(
                "proceeding.erdr_outside_ukraine",
                "an ERDR number belongs only to a proceeding under Ukrainian jurisdiction",
                "/erdr_number",
            )
    if self.stage_on is not None and self.stage_on < self.registered_on:
        yield _error(
            "proceeding.stage_before_registration",
            "the stage is dated before the registration",
            "/stage_on",
        )


def _old_code_lists(self: LegalQualification) -> tuple[str, ...]:
    if self.instrument is QualificationInstrument.ICC_ROME_STATUTE:
        return ("icc_eoc_crime", "icc_related_crime")
    return ("criminal_code_article",)


def _old_qualification(self: LegalQualification) -> Iterator[Finding]:
    if not any(self.code in load_codelist(name) for name in _old_code_lists(self)):
        yield _error(
            "qualification.unknown_code",
            "the code is not a crime of the qualification's instrument",
            "/code",
        )
    if self.part is not None and self.instrument is not QualificationInstrument.UA_CRIMINAL_CODE:
        yield _error(
            "qualification.part_outside_criminal_code",
            "only a Criminal Code article has parts",
            "/part",
        )
    if self.status is not QualificationStatus.CANDIDATE and self.status_on is None:
        yield _error(
            "qualification.status_without_date",
            "a charged or convicted qualification needs the day of the charge or conviction",
            "/status",
        )


def _old_conflict(self: LegalQualification) -> str:
    for name in ("icc_eoc_crime", "icc_related_crime"):
        code_list = load_codelist(name)
        if self.code in code_list:
            return code_list.get(self.code).extra.get("conflict") or "any"
    return "any"


OLD_RULES: dict[type[BaseModel], Callable[[Any], Iterable[Finding]]] = {
    Money: _old_money,
    Law4067Application: _old_law_4067,
    ReparationClaim: _old_claim,
    LegalRepresentation: _old_representation,
    CivilClaim: _old_civil_claim,
    LegalProceeding: _old_proceeding,
    LegalQualification: _old_qualification,
}
JUSTICE_CODES = frozenset().union(*(model.rule_codes for model in OLD_RULES)) | {
    "identifier.erdr_number_format"
}


def _old_findings(model: BaseModel, pointer: str = "") -> Iterator[Finding]:
    """The old rules of every justice object in ``model``, in the order the model walk visits them."""
    rule = OLD_RULES.get(type(model))
    if rule is not None:
        yield from (finding.under(pointer) for finding in rule(model))
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{pointer}/{escape_pointer_token(name)}"
        if isinstance(value, BaseModel):
            yield from _old_findings(value, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _old_findings(item, f"{here}/{index}")


def _justice(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.code in JUSTICE_CODES]


def _assert_same_as_before(model_class: type[BaseModel], text: str) -> list[Finding]:
    model = model_class.model_validate_json(text, context=STRUCTURE_ONLY)
    expected = list(_old_findings(model))
    assert _justice(collect_rule_findings(model)) == expected
    assert _justice(rule_findings_in_json(model_class, model.to_json_dict())) == expected
    assert _justice(rule_findings_in_json(model_class, json.loads(text))) == expected
    return expected


# --- mutations that break each justice rule in a valid record's JSON form ---------------------------

DAY = date(2024, 5, 10)


def _day(offset: int = 0) -> str:
    return (DAY + timedelta(days=offset)).isoformat()


def _proceeding(doc: Document) -> Document:
    proceedings = doc.setdefault("proceedings", [])
    if not proceedings:
        proceedings.append(
            {
                "proceeding_id": "pr-mut",
                "jurisdiction": Jurisdiction.UA_NATIONAL.value,
                "registered_on": _day(),
                "stage": "registered",
                "incident_ids": [doc["incidents"][0]["incident_id"]],
            }
        )
    proceeding: Document = proceedings[-1]
    return proceeding


def _claim(doc: Document) -> Document:
    claims = doc.setdefault("reparations", [])
    if not claims:
        claims.append(
            {
                "claim_id": "rep-mut",
                "programme": ReparationProgramme.OTHER.value,
                "status": ReparationStatus.SUBMITTED.value,
                "submitted_on": _day(),
            }
        )
    claim: Document = claims[-1]
    return claim


def _qualification(doc: Document) -> Document:
    incident = doc["incidents"][-1]
    qualifications = incident.setdefault("legal_qualifications", [])
    if not qualifications:
        qualifications.append(
            {
                "instrument": QualificationInstrument.UA_CRIMINAL_CODE.value,
                "code": "438",
                "mode": QualificationMode.COMMITTED.value,
                "status": QualificationStatus.CANDIDATE.value,
            }
        )
    qualification: Document = qualifications[0]
    return qualification


def _stage_before_registration(doc: Document) -> None:
    proceeding = _proceeding(doc)
    proceeding["registered_on"], proceeding["stage_on"] = _day(), _day(-1)


def _erdr_year_after_registration(doc: Document) -> None:
    proceeding = _proceeding(doc)
    proceeding["jurisdiction"] = Jurisdiction.UA_NATIONAL.value
    proceeding["erdr_number"] = f"1{DAY.year + 1}000000000001"
    proceeding["registered_on"] = _day()


def _erdr_outside_ukraine(doc: Document) -> None:
    proceeding = _proceeding(doc)
    proceeding["erdr_number"] = f"1{DAY.year - 1}000000000001"
    proceeding["jurisdiction"] = Jurisdiction.ICC.value


def _representative_without_representation(doc: Document) -> None:
    _proceeding(doc)["legal_representation"] = {
        "represented": False,
        "representative_type": LegalRepresentativeType.FREE_LEGAL_AID.value,
    }


def _civil_claim_not_filed(doc: Document) -> None:
    # Its amount is zero too: the claim's own finding must come before its amount's.
    _proceeding(doc)["civil_claim"] = {
        "filed": False,
        "filed_on": _day(),
        "amount": {"amount": "0.00", "currency": "UAH"},
    }


def _payment_zero(doc: Document) -> None:
    claim = _claim(doc)
    claim["decision_on"] = claim["submitted_on"]
    claim["payments"] = [{"paid_on": claim["submitted_on"], "amount": {"amount": "0", "currency": "EUR"}}]


def _awarded_zero(doc: Document) -> None:
    _claim(doc)["awarded"] = {"amount": "0.0000", "currency": "UAH"}


def _payment_without_decision(doc: Document) -> None:
    claim = _claim(doc)
    claim.pop("decision_on", None)
    claim["payments"] = [
        {"paid_on": _day(), "amount": {"amount": "10.00", "currency": "EUR"}},
        {"paid_on": _day(3), "amount": {"amount": "20.00", "currency": "EUR"}},
    ]


def _payment_before_decision(doc: Document) -> None:
    claim = _claim(doc)
    claim["submitted_on"], claim["decision_on"] = _day(-5), _day()
    claim["payments"] = [
        {"paid_on": _day(), "amount": {"amount": "10.00", "currency": "EUR"}},
        {"paid_on": _day(-1), "amount": {"amount": "20.00", "currency": "EUR"}},
    ]


def _decision_before_submission(doc: Document) -> None:
    claim = _claim(doc)
    claim["submitted_on"], claim["decision_on"] = _day(), _day(-1)


def _rd4u_outside_rd4u(doc: Document) -> None:
    claim = _claim(doc)
    claim["programme"] = ReparationProgramme.GSF_INTERIM_REPARATIONS_PILOT.value
    claim["rd4u_categories"] = [Rd4uCategory.A1_1.value]


def _law_4067_outside_programme(doc: Document) -> None:
    claim = _claim(doc)
    claim["programme"] = ReparationProgramme.RD4U_CLAIM.value
    claim["law_4067_application"] = {"submitted_on": _day()}


def _law_4067_decision_before_application(doc: Document) -> None:
    claim = _claim(doc)
    claim["programme"] = ReparationProgramme.UA_LAW_4067_IX_STATUS.value
    claim["law_4067_application"] = {"submitted_on": _day(), "decision_on": _day(-1)}


def _law_4067_register_date_without_entry(doc: Document) -> None:
    claim = _claim(doc)
    claim["programme"] = ReparationProgramme.UA_LAW_4067_IX_INTERIM_REPARATION.value
    claim["law_4067_application"] = {
        "submitted_on": _day(),
        "state_register_entry": False,
        "state_register_entry_on": _day(2),
    }


def _qualification_code_of_other_instrument(doc: Document) -> None:
    qualification = _qualification(doc)
    qualification["instrument"], qualification["code"] = QualificationInstrument.ICC_ROME_STATUTE.value, "438"
    qualification["part"] = 2


def _qualification_unknown_article(doc: Document) -> None:
    qualification = _qualification(doc)
    qualification["instrument"], qualification["code"] = QualificationInstrument.UA_CRIMINAL_CODE.value, "999"


def _qualification_charged_undated(doc: Document) -> None:
    qualification = _qualification(doc)
    qualification["status"] = QualificationStatus.CONVICTED.value
    qualification.pop("status_on", None)


def _swap_justice_days(doc: Document) -> None:
    # Swapping each ordered pair of days puts every later day before its earlier one (or leaves it equal).
    for proceeding in doc.get("proceedings", ()):
        if "stage_on" in proceeding:
            proceeding["stage_on"], proceeding["registered_on"] = (
                proceeding["registered_on"],
                proceeding["stage_on"],
            )
    for claim in doc.get("reparations", ()):
        if "decision_on" in claim:
            claim["decision_on"], claim["submitted_on"] = claim["submitted_on"], claim["decision_on"]
        for payment in claim.get("payments", ()):
            if "decision_on" in claim:
                payment["paid_on"], claim["decision_on"] = claim["decision_on"], payment["paid_on"]


MUTATIONS: dict[str, tuple[Callable[[Document], None], str | None]] = {
    "stage_before_registration": (_stage_before_registration, "proceeding.stage_before_registration"),
    "erdr_year_after_registration": (
        _erdr_year_after_registration,
        "proceeding.erdr_year_after_registration",
    ),
    "erdr_outside_ukraine": (_erdr_outside_ukraine, "proceeding.erdr_outside_ukraine"),
    "representative_without_representation": (
        _representative_without_representation,
        "proceeding.representative_type_without_representative",
    ),
    "civil_claim_not_filed": (_civil_claim_not_filed, "proceeding.civil_claim_details_not_filed"),
    "payment_zero": (_payment_zero, "amount.not_positive"),
    "awarded_zero": (_awarded_zero, "amount.not_positive"),
    "payment_without_decision": (_payment_without_decision, "reparation.payment_without_decision"),
    "payment_before_decision": (_payment_before_decision, "reparation.payment_before_decision"),
    "decision_before_submission": (_decision_before_submission, "reparation.decision_before_submission"),
    "rd4u_outside_rd4u": (_rd4u_outside_rd4u, "reparation.rd4u_categories_outside_rd4u"),
    "law_4067_outside_programme": (_law_4067_outside_programme, "reparation.law_4067_outside_programme"),
    "law_4067_decision_before_application": (
        _law_4067_decision_before_application,
        "reparation.law_4067_decision_before_application",
    ),
    "law_4067_register_date_without_entry": (
        _law_4067_register_date_without_entry,
        "reparation.law_4067_register_date_without_entry",
    ),
    "qualification_code_of_other_instrument": (
        _qualification_code_of_other_instrument,
        "qualification.unknown_code",
    ),
    "qualification_unknown_article": (_qualification_unknown_article, "qualification.unknown_code"),
    "qualification_charged_undated": (_qualification_charged_undated, "qualification.status_without_date"),
    "swap_justice_days": (_swap_justice_days, None),
}


# --- differential: the models and the JSON walker give the old findings ----------------------------


@settings(max_examples=25, deadline=None)
@given(case_records())
def test_valid_records_give_the_old_findings(record: CaseRecord) -> None:
    assert _assert_same_as_before(CaseRecord, record.to_json()) == []


@settings(max_examples=25, deadline=None)
@given(broken_case_records())
def test_broken_records_give_the_old_findings(broken: Any) -> None:
    if broken.code.startswith("schema."):
        return  # structure broken: no model to compare with
    expected = _assert_same_as_before(CaseRecord, json.dumps(broken.document))
    if broken.code in JUSTICE_CODES:
        assert (broken.code, broken.pointer) in [(f.code, f.pointer) for f in expected]


@settings(max_examples=10, deadline=None)
@given(identity_records())
def test_identity_records_hold_no_justice_findings(identity: IdentityRecord) -> None:
    # Only the model walk: the JSON walker does not take identity records (their documents are a union
    # of models without a discriminator).
    model = IdentityRecord.model_validate_json(identity.to_json(), context=STRUCTURE_ONLY)
    assert list(_old_findings(model)) == _justice(collect_rule_findings(model)) == []


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@settings(max_examples=8, deadline=None)
@given(record=case_records())
def test_each_mutation_gives_the_old_findings(name: str, record: CaseRecord) -> None:
    document = record.to_json_dict()
    mutate, code = MUTATIONS[name]
    mutate(document)
    expected = _assert_same_as_before(CaseRecord, json.dumps(document))
    if code is not None:
        assert code in {finding.code for finding in expected}


@settings(max_examples=30, deadline=None)
@given(record=case_records(), names=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=2, max_size=6))
def test_combined_mutations_give_the_old_findings_in_order(record: CaseRecord, names: list[str]) -> None:
    document = record.to_json_dict()
    for name in names:
        MUTATIONS[name][0](document)
    _assert_same_as_before(CaseRecord, json.dumps(document))


@given(case_records())
def test_qualification_helpers_are_the_old_ones(record: CaseRecord) -> None:
    for incident in record.incidents:
        for qualification in incident.legal_qualifications or ():
            assert qualification.code_lists() == _old_code_lists(qualification)
            assert qualification.conflict() == _old_conflict(qualification)


def test_conflict_needed_is_the_old_conflict_for_every_code() -> None:
    codes = load_codelist("icc_eoc_crime").codes | load_codelist("icc_related_crime").codes | {"438", "7"}
    for code in sorted(codes):
        assert rules.conflict_needed(code) == _old_conflict(LegalQualification.model_construct(code=code))


# --- properties: each rule against its plain meaning -----------------------------------------------

_days = st.dates(DAY - timedelta(days=3), DAY + timedelta(days=3))  # narrow, so equal days are common
_optional_day = st.none() | _days


def _codes(findings: Iterable[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def _with(**members: Any) -> Document:
    """A JSON object holding the members that are not ``None`` (JSON leaves absent members out)."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in members.items()
        if value is not None
    }


@given(st.from_regex(DECIMAL_PATTERN, fullmatch=True))
def test_amount_is_refused_iff_it_is_zero(amount: str) -> None:
    # An amount matching the pattern is never negative, so "not positive" means every digit is 0.
    is_zero = all(character in "0." for character in amount)
    assert _codes(rules.money_rules({"amount": amount, "currency": "EUR"})) == (
        ["amount.not_positive"] if is_zero else []
    )


@given(submitted=_days, decided=_optional_day, entry=st.none() | st.booleans(), entry_on=_optional_day)
def test_law_4067_application_rules(
    submitted: date, decided: date | None, entry: bool | None, entry_on: date | None
) -> None:
    found = _codes(
        rules.law_4067_application_rules(
            _with(
                submitted_on=submitted,
                decision_on=decided,
                state_register_entry=entry,
                state_register_entry_on=entry_on,
            )
        )
    )
    assert ("reparation.law_4067_decision_before_application" in found) == (
        decided is not None and (decided - submitted).days < 0
    )
    assert ("reparation.law_4067_register_date_without_entry" in found) == (
        entry_on is not None and entry is not True
    )


@given(
    programme=st.sampled_from([programme.value for programme in ReparationProgramme]),
    categories=st.booleans(),
    application=st.booleans(),
    submitted=_days,
    decided=_optional_day,
    paid=st.lists(_days, max_size=3),
)
def test_reparation_claim_rules(
    programme: str,
    categories: bool,
    application: bool,
    submitted: date,
    decided: date | None,
    paid: list[date],
) -> None:
    claim = _with(
        claim_id="c",
        programme=programme,
        status="submitted",
        submitted_on=submitted,
        decision_on=decided,
        rd4u_categories=["A2.4"] if categories else None,
        law_4067_application={"submitted_on": submitted.isoformat()} if application else None,
        payments=[{"paid_on": day.isoformat(), "amount": {"amount": "1", "currency": "EUR"}} for day in paid]
        or None,
    )
    found = list(rules.reparation_claim_rules(claim))
    codes = _codes(found)
    assert ("reparation.rd4u_categories_outside_rd4u" in codes) == (categories and programme != "rd4u_claim")
    assert ("reparation.law_4067_outside_programme" in codes) == (
        application and not programme.startswith("ua_law_4067_ix_")
    )
    assert ("reparation.decision_before_submission" in codes) == (decided is not None and decided < submitted)
    per_payment = [f.pointer for f in found if f.code.startswith("reparation.payment_")]
    if decided is None:
        assert codes.count("reparation.payment_without_decision") == len(paid)
        assert per_payment == [f"/payments/{index}/paid_on" for index in range(len(paid))]
    else:
        early = [index for index, day in enumerate(paid) if day < decided]
        assert per_payment == [f"/payments/{index}/paid_on" for index in early]
        assert "reparation.payment_without_decision" not in codes


@given(
    represented=st.booleans(), kind=st.none() | st.sampled_from([t.value for t in LegalRepresentativeType])
)
def test_representative_type_needs_a_representative(represented: bool, kind: str | None) -> None:
    found = _codes(rules.legal_representation_rules(_with(represented=represented, representative_type=kind)))
    assert found == (
        ["proceeding.representative_type_without_representative"] if kind and not represented else []
    )


@given(filed=st.booleans(), filed_on=_optional_day, amount=st.booleans())
def test_civil_claim_details_need_a_filed_claim(filed: bool, filed_on: date | None, amount: bool) -> None:
    claim = _with(
        filed=filed, filed_on=filed_on, amount={"amount": "5", "currency": "UAH"} if amount else None
    )
    has_details = filed_on is not None or amount
    assert _codes(rules.civil_claim_rules(claim)) == (
        ["proceeding.civil_claim_details_not_filed"] if has_details and not filed else []
    )


@given(
    erdr_year_of_entry=st.none() | st.integers(2012, 2030),
    registered=st.dates(date(2012, 1, 1), date(2030, 12, 31)),
    staged=st.none() | st.dates(date(2012, 1, 1), date(2030, 12, 31)),
    jurisdiction=st.sampled_from([j.value for j in Jurisdiction]),
)
def test_proceeding_rules(
    erdr_year_of_entry: int | None, registered: date, staged: date | None, jurisdiction: str
) -> None:
    erdr = None if erdr_year_of_entry is None else f"4{erdr_year_of_entry}012340000123"
    found = _codes(
        rules.proceeding_rules(
            _with(
                proceeding_id="p",
                jurisdiction=jurisdiction,
                erdr_number=erdr,
                registered_on=registered,
                stage="registered",
                stage_on=staged,
                incident_ids=["i"],
            )
        )
    )
    assert ("proceeding.erdr_year_after_registration" in found) == (
        erdr_year_of_entry is not None and erdr_year_of_entry > registered.year
    )
    assert ("proceeding.erdr_outside_ukraine" in found) == (
        erdr is not None and jurisdiction != "ua_national"
    )
    assert ("proceeding.stage_before_registration" in found) == (staged is not None and staged < registered)
    assert "identifier.erdr_number_format" not in found


def test_a_malformed_erdr_number_is_reported_not_raised() -> None:
    # The schema refuses such a number before rules run; on its own the rule still reports, not crashes.
    found = list(rules.proceeding_rules(_with(jurisdiction="icc", erdr_number="12", registered_on=DAY)))
    assert [(f.code, f.pointer) for f in found] == [
        ("identifier.erdr_number_format", "/erdr_number"),
        ("proceeding.erdr_outside_ukraine", "/erdr_number"),
    ]


_ICC_CODES = sorted(load_codelist("icc_eoc_crime").codes | load_codelist("icc_related_crime").codes)
_ARTICLES = sorted(load_codelist("criminal_code_article").codes)


@given(
    instrument=st.sampled_from([i.value for i in QualificationInstrument]),
    code=st.sampled_from(_ICC_CODES)
    | st.sampled_from(_ARTICLES)
    | st.from_regex(r"[1-9][0-9]{0,2}", fullmatch=True),
    part=st.none() | st.integers(1, 20),
    status=st.sampled_from([s.value for s in QualificationStatus]),
    status_on=_optional_day,
)
def test_qualification_rules(
    instrument: str, code: str, part: int | None, status: str, status_on: date | None
) -> None:
    found = _codes(
        rules.qualification_rules(
            _with(
                instrument=instrument,
                code=code,
                part=part,
                mode="committed",
                status=status,
                status_on=status_on,
            )
        )
    )
    of_instrument = _ICC_CODES if instrument == "icc_rome_statute" else _ARTICLES
    assert ("qualification.unknown_code" in found) == (code not in of_instrument)
    assert ("qualification.part_outside_criminal_code" in found) == (
        part is not None and instrument != "ua_criminal_code"
    )
    assert ("qualification.status_without_date" in found) == (
        status in ("charged", "convicted") and status_on is None
    )


@given(st.sampled_from(_ICC_CODES) | st.sampled_from(_ARTICLES))
def test_conflict_needed_reads_the_conflict_column(code: str) -> None:
    rows = [
        row
        for name in ("icc_eoc_crime", "icc_related_crime")
        for row in load_codelist(name).rows
        if row.code == code
    ]
    expected = (rows[0].extra.get("conflict") or "any") if rows else "any"
    assert rules.conflict_needed(code) == expected
    assert expected in ("any", "international", "non_international")
