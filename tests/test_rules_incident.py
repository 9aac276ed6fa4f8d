"""The incident, location, date-range, perpetrator, verification and detention rules over the JSON form.

Two kinds of test. Differential: the rules as the models computed them from typed values before the rules
moved into ``crsvdata.rules`` are frozen below (``_old_*``); on generated, broken and mutated records the
models (``collect_rule_findings``) and the parsed-JSON walk (``rule_findings_in_json``) must give exactly
the findings, in the order, that those frozen rules give. Property-based: each rule against an oracle
that states its meaning another way (text order of partial dates, the code list files read directly, the
bounds written in the age-group codes).
"""

from __future__ import annotations

import copy
import csv
import inspect
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import crsvdata
from crsvdata import rules
from crsvdata._context import STRUCTURE_ONLY
from crsvdata.codes import crosswalk_values
from crsvdata.codes import load as load_codelist
from crsvdata.codes.enums import (
    ArmedConflictClassification,
    Country,
    FormOfViolence,
    GbvimsCoreType,
    PerpetratorAgeGroup,
    PerpetratorCategory,
    TerritoryControlStatus,
    VerificationStatus,
)
from crsvdata.dates import earliest, latest
from crsvdata.findings import Finding
from crsvdata.geography import check_katotth, iso_subdivision_for_katotth, katotth_level1_for_iso
from crsvdata.geography.codifier import katotth_exists
from crsvdata.models import CaseRecord, collect_rule_findings
from crsvdata.models._base import _nested_fields, error, warning
from crsvdata.models.incident import Incident, IncidentDate, Location
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.models.legal_qualification import LegalQualification
from crsvdata.models.perpetrator import Perpetrator
from crsvdata.models.place_of_detention import PlaceOfDetention
from crsvdata.models.verification import Verification
from crsvdata.testing import broken_case_records, case_records, katotth_codes, unknown_katotth_codes
from crsvdata.testing.identifiers import ua_subdivision_codes

Document = dict[str, Any]
CODES = Path(crsvdata.__file__).parent / "codes" / "data"

# --- The rules as the models computed them from typed values (frozen copy of the code they replace) ---


def _old_incident_date(self: IncidentDate) -> Iterator[Finding]:
    if self.end is not None and latest(self.end) < earliest(self.start):
        yield error("date.range_reversed", "the end of the date range is before its start", "/end")


def _old_location(self: Location) -> Iterator[Finding]:
    if self.katotth is not None:
        yield from (finding.under("/katotth") for finding in check_katotth(self.katotth))
    in_ukraine = self.country is Country.UA
    if not in_ukraine and (self.subdivision is not None or self.katotth is not None):
        yield error(
            "location.subdivision_outside_ukraine",
            "a Ukrainian subdivision or KATOTTH code is given for a place outside Ukraine",
            "/country",
        )
    if in_ukraine == (self.control_status is TerritoryControlStatus.OUTSIDE_UKRAINE):
        yield error(
            "location.control_status_country_mismatch",
            "the control status 'outside_ukraine' must be used exactly for places outside Ukraine",
            "/control_status",
        )
    if self.katotth is not None and self.subdivision is not None:
        try:
            katotth_subdivision = iso_subdivision_for_katotth(self.katotth)
        except ValueError:
            return
        if katotth_subdivision != self.subdivision:
            yield error(
                "location.katotth_subdivision_mismatch",
                "the KATOTTH code lies in a different oblast than the ISO 3166-2 subdivision",
                "/katotth",
            )


def _old_gbvims_incident_type(forms: Iterable[FormOfViolence]) -> GbvimsCoreType | None:
    present = frozenset(
        GbvimsCoreType(value)
        for form in forms
        for value in crosswalk_values("form_of_violence", form.value, "gbvims_core_type")
    )
    return next((core for core in tuple(GbvimsCoreType) if core in present), None)


def _old_conflict(self: LegalQualification) -> str:
    for name in ("icc_eoc_crime", "icc_related_crime"):
        code_list = load_codelist(name)
        if self.code in code_list:
            return code_list.get(self.code).extra.get("conflict") or "any"
    return "any"


def _old_qualification_conflict(
    qualifications: Iterable[LegalQualification], classification: ArmedConflictClassification | None
) -> Iterator[Finding]:
    if classification in (None, ArmedConflictClassification.UNKNOWN):
        return
    assert classification is not None
    for index, qualification in enumerate(qualifications):
        needed = _old_conflict(qualification)
        if needed != "any" and needed != classification.value:
            yield error(
                "qualification.conflict_mismatch",
                "the war-crime provision needs another kind of armed conflict than the incident records",
                f"/legal_qualifications/{index}/code",
            )


def _old_incident(self: Incident) -> Iterator[Finding]:
    if self.reported_on is not None and self.reported_on < earliest(self.incident_date.start):
        yield error(
            "incident.reported_before_incident",
            "the incident is reported before the earliest day it can have happened",
            "/reported_on",
        )
    known_ids: set[str] = set()
    for index, perpetrator in enumerate(self.perpetrators or ()):
        if perpetrator.perpetrator_id in known_ids:
            yield error(
                "incident.duplicate_perpetrator_id",
                "two perpetrators in one incident share an identifier",
                f"/perpetrators/{index}/perpetrator_id",
            )
        known_ids.add(perpetrator.perpetrator_id)
    for act_index, act in enumerate(self.acts):
        for ref_index, ref in enumerate(act.perpetrator_ids or ()):
            if ref not in known_ids:
                yield error(
                    "incident.unknown_perpetrator_ref",
                    "an act refers to a perpetrator that this incident does not list",
                    f"/acts/{act_index}/perpetrator_ids/{ref_index}",
                )
    derived = _old_gbvims_incident_type(act.form for act in self.acts)
    if self.gbvims_type is not None and derived is not None and self.gbvims_type is not derived:
        yield warning(
            "incident.gbvims_type_mismatch",
            "the GBVIMS type differs from the one the acts give by the elimination order",
            "/gbvims_type",
        )
    qualifications = self.legal_qualifications or ()
    yield from _old_qualification_conflict(qualifications, self.conflict_classification)
    for q_index, qualification in enumerate(qualifications):
        for ref_index, ref in enumerate(qualification.perpetrator_ids or ()):
            if ref not in known_ids:
                yield error(
                    "qualification.unknown_perpetrator_ref",
                    "a qualification refers to a perpetrator that this incident does not list",
                    f"/legal_qualifications/{q_index}/perpetrator_ids/{ref_index}",
                )


_OLD_MINOR_AGE_GROUPS = {
    PerpetratorAgeGroup.AGE_0_11: True,
    PerpetratorAgeGroup.AGE_12_17: True,
    PerpetratorAgeGroup.AGE_18_25: False,
    PerpetratorAgeGroup.AGE_26_40: False,
    PerpetratorAgeGroup.AGE_41_60: False,
    PerpetratorAgeGroup.AGE_61_PLUS: False,
}


def _old_perpetrator(self: Perpetrator) -> Iterator[Finding]:
    if self.identified and self.category in (None, PerpetratorCategory.UNKNOWN):
        yield error(
            "perpetrator.identified_without_category",
            "an identified perpetrator needs a known category",
            "/category",
        )
    expected_minor = _OLD_MINOR_AGE_GROUPS.get(self.age_group) if self.age_group else None
    if self.minor is not None and expected_minor is not None and expected_minor != self.minor:
        yield error(
            "perpetrator.age_group_contradicts_minor",
            "the age group and the minor flag disagree",
            "/minor",
        )
    if self.identification_confidence is not None and self.identification_basis is None:
        yield error(
            "perpetrator.confidence_without_basis",
            "a confidence in an identification needs the basis of the identification",
            "/identification_confidence",
        )


def _old_verification(self: Verification) -> Iterator[Finding]:
    verified = {VerificationStatus.VERIFIED_UN, VerificationStatus.VERIFIED_OTHER}
    if self.level in verified and self.verified_on is None:
        yield error(
            "verification.verified_without_date",
            "a verified incident needs the day it was verified, which the reporting period counts",
            "/verified_on",
        )


def _old_place_of_detention(self: PlaceOfDetention) -> Iterator[Finding]:
    if self.katotth is not None:
        yield from (finding.under("/katotth") for finding in check_katotth(self.katotth))
    if (
        self.held_from is not None
        and self.held_until is not None
        and latest(self.held_until) < earliest(self.held_from)
    ):
        yield error("detention.period_reversed", "the detention ends before it starts", "/held_until")


_OLD_RULES: dict[type[BaseModel], Callable[[Any], Iterator[Finding]]] = {
    IncidentDate: _old_incident_date,
    Location: _old_location,
    Incident: _old_incident,
    Perpetrator: _old_perpetrator,
    Verification: _old_verification,
    PlaceOfDetention: _old_place_of_detention,
}
PORTED = frozenset(_OLD_RULES)


def _expected(model: BaseModel, pointer: str = "") -> Iterator[Finding]:
    """``collect_rule_findings`` with the frozen rules in place of the ported models' own."""
    old = _OLD_RULES.get(type(model))
    own = old(model) if old is not None else model.rule_findings()  # type: ignore[attr-defined]
    for finding in own:
        yield finding.under(pointer)
    for name in _nested_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _expected(value, f"{pointer}/{name}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _expected(item, f"{pointer}/{name}/{index}")


def _assert_same_as_before(record: CaseRecord) -> list[Finding]:
    expected = list(_expected(record))
    assert list(collect_rule_findings(record)) == expected
    # The walk over parsed JSON reaches only models that define rules_over_json: compare the findings
    # of the ported models (the others move to the rules layer separately).
    in_json = list(rule_findings_in_json(CaseRecord, record.to_json_dict()))
    assert [f for f in in_json if _ported(f)] == [f for f in expected if _ported(f)]
    return expected


PORTED_CODES = frozenset().union(*(model.rule_codes for model in PORTED))


def _ported(finding: Finding) -> bool:
    """Whether a finding of a case record comes from one of the ported models' rules."""
    return finding.code in PORTED_CODES or finding.code.startswith("identifier.katotth")


def _structure_only(document: Document) -> CaseRecord:
    return CaseRecord.model_validate_json(json.dumps(document), context=STRUCTURE_ONLY)


# --- Mutations: each breaks one ported rule in one incident of a valid record's JSON form ---

Mutation = Callable[[st.DataObject, Document], str]
"""Mutates one incident in place and returns the code the mutation must make the old rules report."""


def _year_before(partial: str) -> str:
    return str(int(partial[:4]) - 1)


def _range_reversed(data: st.DataObject, incident: Document) -> str:
    incident["incident_date"]["end"] = _year_before(incident["incident_date"]["start"])
    return "date.range_reversed"


def _range_swapped(data: st.DataObject, incident: Document) -> str:
    # Swapping may or may not reverse the range (an end of a month inside a start's year does not).
    span = incident["incident_date"]
    start = span["start"]
    span["start"] = span.get("end", start)
    span["end"] = data.draw(st.sampled_from([_year_before(start), start, start[:4]]))
    return "date.range_reversed" if latest(span["end"]) < earliest(span["start"]) else ""


def _reported_before(data: st.DataObject, incident: Document) -> str:
    first = earliest(incident["incident_date"]["start"])
    incident["reported_on"] = (first - timedelta(days=data.draw(st.integers(1, 400)))).isoformat()
    return "incident.reported_before_incident"


def _perpetrators(incident: Document) -> list[Document]:
    return incident.setdefault("perpetrators", [{"perpetrator_id": "p1"}])  # type: ignore[no-any-return]


def _duplicate_perpetrator(data: st.DataObject, incident: Document) -> str:
    perpetrators = _perpetrators(incident)
    perpetrators.append(copy.deepcopy(data.draw(st.sampled_from(perpetrators))))
    return "incident.duplicate_perpetrator_id"


def _unknown_act_ref(data: st.DataObject, incident: Document) -> str:
    act = data.draw(st.sampled_from(incident["acts"]))
    act["perpetrator_ids"] = [*act.get("perpetrator_ids", []), "p-not-listed"]
    return "incident.unknown_perpetrator_ref"


def _gbvims_mismatch(data: st.DataObject, incident: Document) -> str:
    incident["acts"][0]["form"] = "rape"
    incident["gbvims_type"] = data.draw(st.sampled_from([c.value for c in GbvimsCoreType][1:]))
    return "incident.gbvims_type_mismatch"


def _qualification(code: str, **more: Any) -> Document:
    return {
        "instrument": "icc_rome_statute",
        "code": code,
        "mode": "committed",
        "status": "candidate",
        **more,
    }


def _conflict_mismatch(data: st.DataObject, incident: Document) -> str:
    recorded = data.draw(st.sampled_from(["international", "non_international"]))
    needing_other = [
        code for code, needed in _conflicts_from_files().items() if needed not in ("any", recorded)
    ]
    incident["conflict_classification"] = recorded
    qualifications = incident.setdefault("legal_qualifications", [])
    qualifications.insert(
        data.draw(st.integers(0, len(qualifications))),
        _qualification(data.draw(st.sampled_from(needing_other))),
    )
    return "qualification.conflict_mismatch"


def _qualification_unknown_ref(data: st.DataObject, incident: Document) -> str:
    incident.setdefault("legal_qualifications", []).append(
        _qualification("7(1)(g)-1", perpetrator_ids=["p-not-listed"])
    )
    return "qualification.unknown_perpetrator_ref"


def _abroad_with_subdivision(data: st.DataObject, incident: Document) -> str:
    location = incident["location"]
    location["country"] = data.draw(st.sampled_from(["PL", "DE", "MD"]))
    location.setdefault("subdivision", "UA-09")
    return "location.subdivision_outside_ukraine"


def _control_status_mismatch(data: st.DataObject, incident: Document) -> str:
    location = incident["location"]
    if location["country"] == "UA":
        location["control_status"] = "outside_ukraine"
    else:
        location["control_status"] = data.draw(st.sampled_from(["temporarily_occupied", "unknown"]))
    return "location.control_status_country_mismatch"


def _katotth_in_other_oblast(data: st.DataObject, incident: Document) -> str:
    katotth = data.draw(katotth_codes())
    other = data.draw(ua_subdivision_codes().filter(lambda iso: iso != iso_subdivision_for_katotth(katotth)))
    incident["location"] = {
        "country": "UA",
        "subdivision": other,
        "katotth": katotth,
        "control_status": "unknown",
    }
    return "location.katotth_subdivision_mismatch"


def _unknown_location_katotth(data: st.DataObject, incident: Document) -> str:
    incident["location"]["katotth"] = data.draw(unknown_katotth_codes())
    return "identifier."


def _identified_without_category(data: st.DataObject, incident: Document) -> str:
    perpetrator = data.draw(st.sampled_from(_perpetrators(incident)))
    perpetrator["identified"] = True
    if data.draw(st.booleans()):
        perpetrator["category"] = "unknown"
    else:
        perpetrator.pop("category", None)
    return "perpetrator.identified_without_category"


def _minor_contradicts_age_group(data: st.DataObject, incident: Document) -> str:
    perpetrator = data.draw(st.sampled_from(_perpetrators(incident)))
    perpetrator["minor"] = data.draw(st.booleans())
    groups = ["age_18_25", "age_26_40", "age_41_60", "age_61_plus"] if perpetrator["minor"] else ["age_0_11"]
    perpetrator["age_group"] = data.draw(st.sampled_from(groups))
    return "perpetrator.age_group_contradicts_minor"


def _confidence_without_basis(data: st.DataObject, incident: Document) -> str:
    perpetrator = data.draw(st.sampled_from(_perpetrators(incident)))
    perpetrator["identification_confidence"] = data.draw(st.sampled_from(["low", "medium", "high"]))
    perpetrator.pop("identification_basis", None)
    return "perpetrator.confidence_without_basis"


def _verified_without_date(data: st.DataObject, incident: Document) -> str:
    verification = incident.setdefault("verification", {})
    verification["level"] = data.draw(st.sampled_from(["verified_un", "verified_other"]))
    verification.pop("verified_on", None)
    return "verification.verified_without_date"


def _place_of_detention(incident: Document) -> Document:
    circumstances = incident.setdefault("circumstances", {})
    return circumstances.setdefault("place_of_detention", {"facility_type": "filtration_point"})  # type: ignore[no-any-return]


def _detention_reversed(data: st.DataObject, incident: Document) -> str:
    place = _place_of_detention(incident)
    held_from = data.draw(st.sampled_from(["2022", "2022-03", "2022-03-15"]))
    place["held_from"] = held_from
    place["held_until"] = data.draw(st.sampled_from(["2021", "2021-12", "2021-12-31"]))
    return "detention.period_reversed"


def _unknown_detention_katotth(data: st.DataObject, incident: Document) -> str:
    _place_of_detention(incident)["katotth"] = data.draw(unknown_katotth_codes())
    return "identifier."


MUTATIONS: dict[str, Mutation] = {
    "range_reversed": _range_reversed,
    "range_swapped": _range_swapped,
    "reported_before": _reported_before,
    "duplicate_perpetrator": _duplicate_perpetrator,
    "unknown_act_ref": _unknown_act_ref,
    "gbvims_mismatch": _gbvims_mismatch,
    "conflict_mismatch": _conflict_mismatch,
    "qualification_unknown_ref": _qualification_unknown_ref,
    "abroad_with_subdivision": _abroad_with_subdivision,
    "control_status_mismatch": _control_status_mismatch,
    "katotth_in_other_oblast": _katotth_in_other_oblast,
    "unknown_location_katotth": _unknown_location_katotth,
    "identified_without_category": _identified_without_category,
    "minor_contradicts_age_group": _minor_contradicts_age_group,
    "confidence_without_basis": _confidence_without_basis,
    "verified_without_date": _verified_without_date,
    "detention_reversed": _detention_reversed,
    "unknown_detention_katotth": _unknown_detention_katotth,
}


def _mutate(data: st.DataObject, record: CaseRecord, names: list[str]) -> tuple[Document, list[str]]:
    document = record.to_json_dict()
    codes = []
    for name in names:
        incident = data.draw(st.sampled_from(document["incidents"]))
        codes.append(MUTATIONS[name](data, incident))
    return document, codes


# --- Differential tests ---


@settings(max_examples=25, deadline=None)
@given(case_records())
def test_valid_records_give_the_old_findings(record: CaseRecord) -> None:
    _assert_same_as_before(record)


@settings(max_examples=25, deadline=None)
@given(broken_case_records())
def test_broken_records_give_the_old_findings(broken: Any) -> None:
    try:
        record = _structure_only(broken.document)
    except ValidationError:
        assume(False)  # a structural breakage: no rule runs on it
        raise
    _assert_same_as_before(record)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@settings(max_examples=8, deadline=None)
@given(data=st.data(), record=case_records())
def test_each_mutation_breaks_its_rule_as_before(name: str, data: st.DataObject, record: CaseRecord) -> None:
    document, [code] = _mutate(data, record, [name])
    found = _assert_same_as_before(_structure_only(document))
    # The mutation really reaches the rule: otherwise the equality above proves nothing about it.
    assert not code or any(finding.code.startswith(code) for finding in found)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), record=case_records(), names=st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=5))
def test_records_with_several_mutations_give_the_old_findings(
    data: st.DataObject, record: CaseRecord, names: list[str]
) -> None:
    document, _ = _mutate(data, record, names)
    _assert_same_as_before(_structure_only(document))


def test_the_ported_models_have_no_rule_findings_override_left() -> None:
    # Only json_rule reaches the bulk validator: a rule left in rule_findings would be skipped there.
    for model in PORTED:
        assert "rule_findings" not in vars(model), model.__name__
        assert "json_rule" in vars(model), model.__name__


def test_the_adult_age_is_defined_once() -> None:
    from crsvdata.models import survivor
    from crsvdata.rules import record

    assert survivor.ADULT_AGE == vars(record)["ADULT_AGE"] == rules.ADULT_AGE == 18
    for module in (survivor, record):
        assert "ADULT_AGE =" not in inspect.getsource(module), module.__name__


# --- Oracles: each rule's meaning written another way ---

YEARS = st.integers(2019, 2024)


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    """A year, a month or a day, clustered in few years so that overlaps and touching ends are common."""
    day = date(draw(YEARS), 1, 1) + timedelta(days=draw(st.integers(0, 365)))
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


def _entirely_before(first: str, second: str) -> bool:
    """Whether every day ``first`` can stand for precedes every day ``second`` can stand for.

    Partial dates nest (a day lies in its month, a month in its year), so two of them overlap exactly
    when one's text is a prefix of the other's; otherwise their text order is their order in time.
    """
    return not second.startswith(first) and not first.startswith(second) and first < second


@given(partial_dates(), partial_dates())
def test_a_date_range_is_reversed_iff_its_end_lies_wholly_before_its_start(start: str, end: str) -> None:
    codes = [f.code for f in rules.incident_date_rules({"start": start, "end": end})]
    assert codes == (["date.range_reversed"] if _entirely_before(end, start) else [])
    assert list(rules.incident_date_rules({"start": start})) == []


@given(partial_dates(), st.one_of(st.none(), partial_dates()), st.one_of(st.none(), partial_dates()))
def test_a_detention_period_is_reversed_iff_it_ends_wholly_before_it_starts(
    anchor: str, held_from: str | None, held_until: str | None
) -> None:
    place = {"facility_type": "prison"}
    place |= {} if held_from is None else {"held_from": held_from}
    place |= {} if held_until is None else {"held_until": held_until}
    reversed_ = held_from is not None and held_until is not None and _entirely_before(held_until, held_from)
    findings = list(rules.place_of_detention_rules(place))
    assert [(f.code, f.pointer) for f in findings] == (
        [("detention.period_reversed", "/held_until")] if reversed_ else []
    )


@given(st.one_of(katotth_codes(), unknown_katotth_codes()))
def test_a_detention_katotth_code_is_checked_where_it_stands(katotth: str) -> None:
    findings = list(rules.place_of_detention_rules({"facility_type": "prison", "katotth": katotth}))
    known = katotth_exists(katotth)
    assert all(f.pointer.startswith("/katotth") and f.code.startswith("identifier.katotth") for f in findings)
    assert bool(findings) is not known


def _incident(**members: Any) -> Document:
    return {"incident_date": {"start": "2022"}, "acts": [{"form": "rape"}], **members}


@given(partial_dates(), st.integers(-3, 3), st.none() | st.dates(date(2018, 1, 1), date(2025, 12, 31)))
def test_an_incident_is_reported_too_early_iff_the_report_day_precedes_the_start(
    start: str, offset: int, anywhere: date | None
) -> None:
    # Mostly a day close to the first day the start can stand for, where an off-by-one would show.
    first_day = date.fromisoformat((start + "-01-01")[:10])
    reported_on = (anywhere or first_day + timedelta(days=offset)).isoformat()
    incident = _incident(incident_date={"start": start}, reported_on=reported_on)
    codes = [f.code for f in rules.incident_rules(incident)]
    # A day's text sorts after the text of the month or year holding it, and before any later one's.
    assert ("incident.reported_before_incident" in codes) is (reported_on < start)


IDS = st.sampled_from(["p1", "p2", "p3", "p4"])


@given(st.lists(IDS, max_size=5), st.lists(st.lists(IDS, min_size=1, max_size=3), min_size=1, max_size=3))
def test_perpetrator_ids_are_unique_and_acts_refer_only_to_listed_ones(
    ids: list[str], act_refs: list[list[str]]
) -> None:
    incident = _incident(
        perpetrators=[{"perpetrator_id": i} for i in ids] or None,
        acts=[{"form": "rape", "perpetrator_ids": refs} for refs in act_refs],
    )
    incident = {key: value for key, value in incident.items() if value is not None}
    findings = list(rules.incident_rules(incident))
    duplicates = [f"/perpetrators/{i}/perpetrator_id" for i, pid in enumerate(ids) if pid in ids[:i]]
    unknown = [
        f"/acts/{a}/perpetrator_ids/{r}"
        for a, refs in enumerate(act_refs)
        for r, ref in enumerate(refs)
        if ref not in ids
    ]
    assert [f.pointer for f in findings if f.code == "incident.duplicate_perpetrator_id"] == duplicates
    assert [f.pointer for f in findings if f.code == "incident.unknown_perpetrator_ref"] == unknown


@given(st.lists(IDS, max_size=3), st.lists(st.lists(IDS, min_size=1, max_size=3), min_size=1, max_size=3))
def test_qualifications_refer_only_to_listed_perpetrators(ids: list[str], refs: list[list[str]]) -> None:
    incident = _incident(legal_qualifications=[_qualification("7(1)(g)-1", perpetrator_ids=r) for r in refs])
    if ids:
        incident["perpetrators"] = [{"perpetrator_id": i} for i in ids]
    pointers = [
        f.pointer for f in rules.incident_rules(incident) if f.code == "qualification.unknown_perpetrator_ref"
    ]
    assert pointers == [
        f"/legal_qualifications/{q}/perpetrator_ids/{r}"
        for q, group in enumerate(refs)
        for r, ref in enumerate(group)
        if ref not in ids
    ]


GBVIMS_ELIMINATION_ORDER = (
    "rape",
    "sexual_assault",
    "physical_assault",
    "forced_marriage",
    "denial_of_resources_opportunities_or_services",
    "psychological_emotional_abuse",
)
"""As the GBVIMS Classification Tool asks (GBVIMS User Guide, ch. 3)."""


@cache
def _csv(name: str) -> list[dict[str, str]]:
    with (CODES / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@cache
def _conflicts_from_files() -> dict[str, str]:
    return {
        row["code"]: row["conflict"] or "any"
        for name in ("icc_eoc_crime", "icc_related_crime")
        for row in _csv(name)
    }


FORMS = [row["code"] for row in _csv("form_of_violence")]


@given(
    st.lists(st.sampled_from(FORMS), min_size=1, max_size=4),
    st.none() | st.sampled_from(GBVIMS_ELIMINATION_ORDER),
)
def test_a_recorded_gbvims_type_is_warned_iff_it_is_not_the_first_the_acts_amount_to(
    forms: list[str], recorded: str | None
) -> None:
    core_of = {row["code"]: row["gbvims_core_type"].split() for row in _csv("form_of_violence")}
    amounts_to = {core for form in forms for core in core_of[form]}
    derived = next((core for core in GBVIMS_ELIMINATION_ORDER if core in amounts_to), None)
    assert rules.gbvims_incident_type(forms) == derived
    incident = _incident(acts=[{"form": form} for form in forms])
    if recorded is not None:
        incident["gbvims_type"] = recorded
    findings = [f for f in rules.incident_rules(incident) if f.code == "incident.gbvims_type_mismatch"]
    mismatch = recorded is not None and derived is not None and recorded != derived
    assert [(f.severity, f.pointer) for f in findings] == ([("warning", "/gbvims_type")] if mismatch else [])


def test_the_gbvims_elimination_order_is_the_code_lists_and_the_enums() -> None:
    assert rules.gbvims_elimination_order() == GBVIMS_ELIMINATION_ORDER
    assert tuple(core.value for core in GbvimsCoreType) == GBVIMS_ELIMINATION_ORDER


QUALIFICATION_CODES = [*sorted(_conflicts_from_files()), "438", "152"]


@given(
    st.lists(st.sampled_from(QUALIFICATION_CODES), max_size=4),
    st.none() | st.sampled_from(["international", "non_international", "unknown"]),
)
def test_a_war_crime_needing_the_other_kind_of_conflict_is_an_error(
    codes: list[str], recorded: str | None
) -> None:
    incident = _incident(legal_qualifications=[_qualification(code) for code in codes])
    if recorded is not None:
        incident["conflict_classification"] = recorded
    pointers = [
        f.pointer for f in rules.incident_rules(incident) if f.code == "qualification.conflict_mismatch"
    ]
    known = recorded in ("international", "non_international")
    assert pointers == [
        f"/legal_qualifications/{i}/code"
        for i, code in enumerate(codes)
        if known and _conflicts_from_files().get(code, "any") not in ("any", recorded)
    ]


def test_a_crimes_conflict_is_read_from_its_list() -> None:
    for code, needed in _conflicts_from_files().items():
        assert rules.conflict_needed(code) == needed
    assert rules.conflict_needed("438") == "any"  # a Criminal Code article needs no kind of conflict


COUNTRIES = st.sampled_from(["UA", "PL", "MD", "RU"])
STATUSES = st.sampled_from([status.value for status in TerritoryControlStatus])


@given(
    COUNTRIES,
    STATUSES,
    st.none() | ua_subdivision_codes(),
    st.none() | st.one_of(katotth_codes(), unknown_katotth_codes()),
)
def test_location_rules(country: str, status: str, subdivision: str | None, katotth: str | None) -> None:
    location = {"country": country, "control_status": status}
    location |= {} if subdivision is None else {"subdivision": subdivision}
    location |= {} if katotth is None else {"katotth": katotth}
    findings = list(rules.location_rules(location))
    codes = [f.code for f in findings]
    abroad = country != "UA"
    assert ("location.subdivision_outside_ukraine" in codes) is (
        abroad and (subdivision or katotth) is not None
    )
    # "outside_ukraine" says the place is abroad: an error exactly when that is not so.
    assert ("location.control_status_country_mismatch" in codes) is ((status == "outside_ukraine") != abroad)
    same_oblast = (
        katotth is None
        or subdivision is None
        or katotth[:4] == katotth_level1_for_iso(subdivision)[:4]
        or katotth[2:4] not in {katotth_level1_for_iso(iso)[2:4] for iso in _all_subdivisions()}
    )
    assert ("location.katotth_subdivision_mismatch" in codes) is not same_oblast
    identifier = [f for f in findings if f.code.startswith("identifier.")]
    assert bool(identifier) is (katotth is not None and not katotth_exists(katotth))
    assert all(f.pointer.startswith("/katotth") for f in identifier)


@cache
def _all_subdivisions() -> tuple[str, ...]:
    return tuple(row["code"] for row in _csv("ua_subdivision"))


AGE_GROUPS = [group.value for group in PerpetratorAgeGroup]


def _is_minor_group(group: str) -> bool | None:
    """From the code itself: ``age_12_17`` is a minor's group, ``age_61_plus`` an adult's."""
    parts = group.split("_")
    if parts[0] != "age":
        return None
    return parts[2] != "plus" and int(parts[2]) < rules.ADULT_AGE


@given(
    st.none() | st.booleans(),
    st.none() | st.sampled_from([category.value for category in PerpetratorCategory]),
    st.none() | st.sampled_from(AGE_GROUPS),
    st.none() | st.booleans(),
    st.none() | st.sampled_from(["low", "medium", "high"]),
    st.none() | st.just(["photo"]),
)
def test_perpetrator_rules(
    identified: bool | None,
    category: str | None,
    age_group: str | None,
    minor: bool | None,
    confidence: str | None,
    basis: list[str] | None,
) -> None:
    values = {
        "identified": identified,
        "category": category,
        "age_group": age_group,
        "minor": minor,
        "identification_confidence": confidence,
        "identification_basis": basis,
    }
    perpetrator = {"perpetrator_id": "p1"} | {
        key: value for key, value in values.items() if value is not None
    }
    findings = [(f.code, f.pointer) for f in rules.perpetrator_rules(perpetrator)]
    expected = []
    if identified is True and (category is None or category == "unknown"):
        expected.append(("perpetrator.identified_without_category", "/category"))
    group_says_minor = None if age_group is None else _is_minor_group(age_group)
    if minor is not None and group_says_minor is not None and group_says_minor is not minor:
        expected.append(("perpetrator.age_group_contradicts_minor", "/minor"))
    if confidence is not None and basis is None:
        expected.append(("perpetrator.confidence_without_basis", "/identification_confidence"))
    assert findings == expected


@given(
    st.sampled_from([level.value for level in VerificationStatus]), st.none() | st.dates().map(date.isoformat)
)
def test_a_verified_incident_needs_its_verification_day(level: str, verified_on: str | None) -> None:
    verification = {"level": level} | ({} if verified_on is None else {"verified_on": verified_on})
    findings = [(f.code, f.pointer) for f in rules.verification_rules(verification)]
    concluded = level.startswith("verified_")
    assert findings == (
        [("verification.verified_without_date", "/verified_on")] if concluded and verified_on is None else []
    )
