"""Standard 1.1: conditional crosswalks, legal qualifications, GBVIMS type, perpetrators, detention."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.codes import crosswalk_values, crosswalks, load
from crsvdata.codes.conditions import (
    CrosswalkFacts,
    condition_rules,
    conditional_crosswalk,
    evaluate_condition,
    parse_condition,
)
from crsvdata.codes.enums import FormOfViolence, GbvimsCoreType
from crsvdata.models.gbvims import ELIMINATION_ORDER, gbvims_core_types, gbvims_incident_type
from crsvdata.models.incident import Incident
from crsvdata.models.legal_qualification import LegalQualification, suggest_qualifications
from crsvdata.models.perpetrator import Perpetrator
from crsvdata.models.place_of_detention import PlaceOfDetention
from crsvdata.models.survivor import Survivor

FORMS = list(FormOfViolence)
RD4U_START = date(2022, 2, 24)


def _load(model: Any, data: dict[str, Any]) -> Any:
    # From JSON, as a partner's document arrives; rules off, so each test reads the findings itself.
    return model.model_validate_json(json.dumps(data), context=STRUCTURE_ONLY)


def _codes(model: Any) -> set[str]:
    return {finding.code for finding in model.rule_findings()}


# --- the conditions file ---


def test_every_condition_names_a_real_crosswalk_and_a_target_it_has() -> None:
    declared = {(c.list, c.column) for c in crosswalks()}
    for rule in condition_rules():
        assert (rule.list, rule.column) in declared, rule
        targets = {
            value for row in load(rule.list) for value in crosswalk_values(rule.list, row.code, rule.column)
        }
        assert any(rule.covers(target) for target in targets), rule
        assert rule.description.endswith("."), rule


@pytest.mark.parametrize(
    "bad", ["", "age=3", "survivor_age_below", "survivor_age_below=x", "incident_from=2022"]
)
def test_malformed_conditions_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"condition|[Ii]nvalid"):
        parse_condition(bad)


ages = st.one_of(st.none(), st.integers(0, 120))
days = st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)))


@st.composite
def facts(draw: st.DrawFn) -> CrosswalkFacts:
    low = draw(ages)
    high = draw(st.one_of(st.none(), st.integers(low or 0, 120)))
    first = draw(days)
    last = None if first is None else first + timedelta(days=draw(st.integers(0, 4000)))
    return CrosswalkFacts(
        survivor_age_min=low,
        survivor_age_max=high,
        incident_first_day=first,
        incident_last_day=last,
        victim_status=draw(st.sampled_from([None, *load("survivor_status").codes])),
        conflict=draw(st.sampled_from([None, *load("armed_conflict_classification").codes])),
    )


@given(st.sampled_from(FORMS), facts())
def test_mrm_is_never_suggested_for_a_survivor_known_to_be_adult(
    form: FormOfViolence, known: CrosswalkFacts
) -> None:
    suggested = conditional_crosswalk("form_of_violence", form.value, "mrm_form", known)
    if known.survivor_age_min is not None and known.survivor_age_min >= 18:
        assert suggested == ()
    if known.survivor_age_max is not None and known.survivor_age_max < 18:
        assert [s.code for s in suggested] == list(
            crosswalk_values("form_of_violence", form.value, "mrm_form")
        )
        assert all(s.conditions_met for s in suggested)


@given(st.sampled_from(FORMS), facts())
def test_rd4u_is_never_suggested_for_an_incident_ending_before_24_february_2022(
    form: FormOfViolence, known: CrosswalkFacts
) -> None:
    suggested = conditional_crosswalk("form_of_violence", form.value, "rd4u_category", known)
    if known.incident_last_day is not None and known.incident_last_day < RD4U_START:
        assert suggested == ()
    if known.incident_first_day is not None and known.incident_first_day >= RD4U_START:
        assert all(s.conditions_met is True for s in suggested)


@given(st.sampled_from(FORMS), facts())
def test_age_status_and_conflict_conditions(form: FormOfViolence, known: CrosswalkFacts) -> None:
    ua = {s.code: s for s in conditional_crosswalk("form_of_violence", form.value, "ua_criminal_code", known)}
    if known.survivor_age_min is not None and known.survivor_age_min >= 16:
        assert "155" not in ua
        assert "156" not in ua
    if known.victim_status not in (None, "unknown", "prisoner_of_war"):
        assert "434" not in ua
    icc = [s.code for s in conditional_crosswalk("form_of_violence", form.value, "icc_eoc", known)]
    icc += [s.code for s in conditional_crosswalk("form_of_violence", form.value, "icc_related", known)]
    if known.conflict == "international":
        assert not any(code.startswith(("8(2)(e)", "8(2)(c)")) for code in icc)
    if known.conflict == "non_international":
        assert not any(code.startswith(("8(2)(b)", "8(2)(a)")) for code in icc)


@given(st.sampled_from(FORMS), facts())
def test_suggestions_are_a_subset_of_the_crosswalk_in_its_order(
    form: FormOfViolence, known: CrosswalkFacts
) -> None:
    for crosswalk in crosswalks("form_of_violence"):
        full = crosswalk_values("form_of_violence", form.value, crosswalk.column)
        suggested = [
            s.code for s in conditional_crosswalk("form_of_violence", form.value, crosswalk.column, known)
        ]
        assert suggested == [code for code in full if code in suggested]


@given(facts())
def test_undecided_facts_never_fail_a_condition(known: CrosswalkFacts) -> None:
    empty = CrosswalkFacts()
    for rule in condition_rules():
        assert evaluate_condition(rule.condition, empty) is None
    # With nothing recorded, every crosswalk target is still suggested (nothing silently dropped).
    for form in FORMS:
        for crosswalk in crosswalks("form_of_violence"):
            assert len(conditional_crosswalk("form_of_violence", form.value, crosswalk.column, empty)) == len(
                crosswalk_values("form_of_violence", form.value, crosswalk.column)
            )


# --- item 10: corrections of the crosswalks ---


def test_every_non_international_war_crime_also_maps_to_the_international_one() -> None:
    for row in load("form_of_violence"):
        for column in ("icc_eoc", "icc_related"):
            values = set(crosswalk_values("form_of_violence", row.code, column))
            for value in values:
                if value.startswith("8(2)(e)(vi)-"):
                    assert "8(2)(b)(xxii)-" + value.rsplit("-", 1)[1] in values, row.code
            if "8(2)(c)(ii)" in values:
                assert "8(2)(b)(xxi)" in values, row.code
            if "8(2)(c)(i)-4" in values:
                assert "8(2)(a)(ii)-1" in values, row.code


def test_domain_review_corrections() -> None:
    def cw(form: str, column: str) -> set[str]:
        return set(crosswalk_values("form_of_violence", form, column))

    assert "7(1)(g)-2" in cw("trafficking_for_sexual_exploitation", "icc_eoc")
    assert {"7(1)(k)", "7(1)(f)"} <= cw("genital_mutilation", "icc_related")
    for form in ("genital_violence_electrocution", "genital_violence_beating", "genital_violence_burn"):
        assert "7(1)(f)" in cw(form, "icc_related")
    for form in ("forced_nudity", "prolonged_forced_nudity", "invasive_strip_search"):
        assert "8(2)(b)(xxi)" in cw(form, "icc_related")
    assert "7(1)(k)" in cw("forced_marriage", "icc_related")
    assert {"130", "133"} <= cw("intentional_sti_infection", "ua_criminal_code")
    assert cw("invasive_strip_search", "gbvims_core_type") == {"psychological_emotional_abuse"}
    assert "coercive environment" in load("form_of_violence").get("rape").description
    assert load("form_of_violence").get("intentional_sti_infection").label_uk.startswith("Умисне")


def test_one_ukrainian_term_for_forced_prostitution() -> None:
    labels = [load("form_of_violence").get("forced_prostitution").label_uk]
    labels += [load("un_crsv_form").get("forced_prostitution").label_uk]
    labels += [load("mrm_form").get("enforced_prostitution").label_uk]
    labels += [row.label_uk for row in load("icc_eoc_crime") if row.code.endswith("-3")]
    assert all("примушування до проституції" in label.lower() for label in labels), labels


# --- item 8: GBVIMS elimination order ---


@given(st.lists(st.sampled_from(FORMS), min_size=1, max_size=8))
def test_gbvims_type_is_the_first_present_type_in_the_elimination_order(forms: list[FormOfViolence]) -> None:
    derived = gbvims_incident_type(forms)
    present = gbvims_core_types(forms)
    if derived is None:
        assert not present
        return
    assert derived in present
    assert all(ELIMINATION_ORDER.index(derived) <= ELIMINATION_ORDER.index(core) for core in present)


@given(st.lists(st.sampled_from(FORMS), min_size=1, max_size=6), st.sampled_from(FORMS))
def test_adding_an_act_never_moves_the_gbvims_type_later(
    forms: list[FormOfViolence], extra: FormOfViolence
) -> None:
    before, after = gbvims_incident_type(forms), gbvims_incident_type([*forms, extra])
    if before is not None:
        assert after is not None
        assert ELIMINATION_ORDER.index(after) <= ELIMINATION_ORDER.index(before)


def test_elimination_order_is_the_gbvims_order() -> None:
    assert [core.value for core in ELIMINATION_ORDER] == [
        "rape",
        "sexual_assault",
        "physical_assault",
        "forced_marriage",
        "denial_of_resources_opportunities_or_services",
        "psychological_emotional_abuse",
    ]
    assert gbvims_incident_type([FormOfViolence.FORCED_NUDITY, FormOfViolence.RAPE]) is GbvimsCoreType.RAPE


# --- models ---


def _incident(**extra: Any) -> Incident:
    base: dict[str, Any] = {
        "incident_id": "i1",
        "incident_date": {"start": "2022-03-14"},
        "location": {"country": "UA", "control_status": "temporarily_occupied"},
        "contexts": ["detention"],
        "acts": [{"form": "rape"}],
    }
    base.update(extra)
    return _load(Incident, base)


def test_incident_rules_for_gbvims_and_conflict() -> None:
    mismatch = [
        f for f in _incident(gbvims_type="sexual_assault").rule_findings() if f.code.startswith("incident.")
    ]
    assert [(f.code, f.severity.value) for f in mismatch] == [("incident.gbvims_type_mismatch", "warning")]
    assert "incident.gbvims_type_mismatch" not in _codes(_incident(gbvims_type="rape"))
    niac = {
        "instrument": "icc_rome_statute",
        "code": "8(2)(e)(vi)-1",
        "mode": "committed",
        "status": "candidate",
    }
    assert "qualification.conflict_mismatch" in _codes(
        _incident(conflict_classification="international", legal_qualifications=[niac])
    )
    assert "qualification.conflict_mismatch" not in _codes(_incident(legal_qualifications=[niac]))
    ref = {**niac, "code": "8(2)(b)(xxii)-1", "perpetrator_ids": ["p9"]}
    assert "qualification.unknown_perpetrator_ref" in _codes(_incident(legal_qualifications=[ref]))


def test_qualification_rules() -> None:
    def q(**extra: Any) -> LegalQualification:
        return _load(
            LegalQualification,
            {
                "instrument": "ua_criminal_code",
                "code": "438",
                "mode": "committed",
                "status": "candidate",
                **extra,
            },
        )

    assert _codes(q(part=1)) == set()
    assert _codes(q(code="442-1", status="charged", status_on="2025-01-10")) == set()
    assert "qualification.status_without_date" in _codes(q(status="convicted"))
    assert "qualification.unknown_code" in _codes(q(code="999"))
    assert "qualification.unknown_code" in _codes(q(instrument="icc_rome_statute"))
    assert "qualification.part_outside_criminal_code" in _codes(
        q(instrument="icc_rome_statute", code="7(1)(k)", part=2)
    )


def test_suggestions_for_an_adult_prisoner_of_war_in_an_international_conflict() -> None:
    survivor = _load(
        Survivor,
        {
            "survivor_ref": "SYNTH-SURV-1",
            "sex": "male",
            "age_at_first_incident": {"band": "age_26_40"},
            "status": "prisoner_of_war",
            "role": "direct_victim",
        },
    )
    incident = _incident(
        conflict_classification="international", acts=[{"form": "genital_violence_electrocution"}]
    )
    codes = {
        (s.instrument.value, s.code): s.conditions_met for s in suggest_qualifications(incident, survivor)
    }
    assert codes[("ua_criminal_code", "434")] is True
    assert codes[("icc_rome_statute", "8(2)(a)(ii)-1")] is True
    assert ("icc_rome_statute", "8(2)(c)(i)-4") not in codes
    assert ("ua_criminal_code", "155") not in codes


def test_perpetrator_rules_and_ref_pattern() -> None:
    def p(**extra: Any) -> Perpetrator:
        return _load(Perpetrator, {"perpetrator_id": "p1", **extra})

    assert (
        _codes(p(age_group="age_26_40", minor=False, perpetrator_ref="SYNTH-PERP-1", unit_number="00001"))
        == set()
    )
    assert "perpetrator.age_group_contradicts_minor" in _codes(p(age_group="age_12_17", minor=False))
    assert "perpetrator.confidence_without_basis" in _codes(p(identification_confidence="high"))
    with pytest.raises(ValidationError, match="perpetrator_ref"):
        p(perpetrator_ref="1234567890")  # a bare number (a tax number?) is never a reference
    with pytest.raises(ValidationError, match="unit_number"):
        p(unit_number="1234")


def test_detention_period_in_order() -> None:
    ok = _load(
        PlaceOfDetention,
        {"facility_type": "filtration_point", "held_from": "2022-04", "held_until": "2022-05-02"},
    )
    assert _codes(ok) == set()
    bad = _load(
        PlaceOfDetention, {"facility_type": "prison", "held_from": "2022-05", "held_until": "2022-04"}
    )
    assert _codes(bad) == {"detention.period_reversed"}
