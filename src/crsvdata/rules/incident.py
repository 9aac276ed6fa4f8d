"""The rules of an incident: its date range, its location, and its perpetrators, acts and qualifications."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from crsvdata.codes import load as load_codelist
from crsvdata.dates import earliest, latest
from crsvdata.findings import Finding, Severity
from crsvdata.geography import check_katotth, iso_subdivision_for_katotth
from crsvdata.rules.legal_qualification import conflict_needed


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def incident_date_rules(incident_date: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``incident_date`` (its JSON form)."""
    end = incident_date.get("end")
    if end is not None and latest(end) < earliest(incident_date["start"]):
        return [_error("date.range_reversed", "the end of the date range is before its start", "/end")]
    return []


def location_rules(location: Mapping[str, Any]) -> list[Finding]:
    """The findings of one incident ``location`` (its JSON form)."""
    found: list[Finding] = []
    katotth = location.get("katotth")
    subdivision = location.get("subdivision")
    if katotth is not None:
        found.extend(finding.under("/katotth") for finding in check_katotth(katotth))
    in_ukraine = location["country"] == "UA"
    if not in_ukraine and (subdivision is not None or katotth is not None):
        found.append(
            _error(
                "location.subdivision_outside_ukraine",
                "a Ukrainian subdivision or KATOTTH code is given for a place outside Ukraine",
                "/country",
            )
        )
    if in_ukraine == (location["control_status"] == "outside_ukraine"):
        found.append(
            _error(
                "location.control_status_country_mismatch",
                "the control status 'outside_ukraine' must be used exactly for places outside Ukraine",
                "/control_status",
            )
        )
    if katotth is not None and subdivision is not None:
        try:
            katotth_subdivision = iso_subdivision_for_katotth(katotth)
        except ValueError:
            return found  # the KATOTTH code's own rule reports this
        if katotth_subdivision != subdivision:
            found.append(
                _error(
                    "location.katotth_subdivision_mismatch",
                    "the KATOTTH code lies in a different oblast than the ISO 3166-2 subdivision",
                    "/katotth",
                )
            )
    return found


def incident_rules(incident: Mapping[str, Any]) -> list[Finding]:
    """The findings of one incident (its JSON form) that look across its parts, pointers from the incident."""
    found: list[Finding] = []
    reported_on = incident.get("reported_on")
    if reported_on is not None and reported_on < earliest(incident["incident_date"]["start"]).isoformat():
        found.append(
            _error(
                "incident.reported_before_incident",
                "the incident is reported before the earliest day it can have happened",
                "/reported_on",
            )
        )
    known_ids: set[str] = set()
    for index, perpetrator in enumerate(incident.get("perpetrators", ())):
        if perpetrator["perpetrator_id"] in known_ids:
            found.append(
                _error(
                    "incident.duplicate_perpetrator_id",
                    "two perpetrators in one incident share an identifier",
                    f"/perpetrators/{index}/perpetrator_id",
                )
            )
        known_ids.add(perpetrator["perpetrator_id"])
    acts = incident["acts"]
    for act_index, act in enumerate(acts):
        for ref_index, ref in enumerate(act.get("perpetrator_ids", ())):
            if ref not in known_ids:
                found.append(
                    _error(
                        "incident.unknown_perpetrator_ref",
                        "an act refers to a perpetrator that this incident does not list",
                        f"/acts/{act_index}/perpetrator_ids/{ref_index}",
                    )
                )
    recorded_type = incident.get("gbvims_type")
    # The type the acts give matters only against a recorded one: derived only then.
    if recorded_type is not None:
        derived_type = gbvims_incident_type([act["form"] for act in acts])
        if derived_type is not None and recorded_type != derived_type:
            # A warning, not an error: a type recorded by the partner's system (Primero's own
            # classification) is kept as it came, and an edit of the acts must not invalidate the record.
            found.append(
                Finding(
                    "incident.gbvims_type_mismatch",
                    Severity.WARNING,
                    "the GBVIMS type differs from the one the acts give by the elimination order",
                    "/gbvims_type",
                )
            )
    qualifications = incident.get("legal_qualifications", ())
    if qualifications:
        found.extend(qualification_conflict_rules(qualifications, incident.get("conflict_classification")))
        for q_index, qualification in enumerate(qualifications):
            for ref_index, ref in enumerate(qualification.get("perpetrator_ids", ())):
                if ref not in known_ids:
                    found.append(
                        _error(
                            "qualification.unknown_perpetrator_ref",
                            "a qualification refers to a perpetrator that this incident does not list",
                            f"/legal_qualifications/{q_index}/perpetrator_ids/{ref_index}",
                        )
                    )
    return found


def qualification_conflict_rules(
    qualifications: Sequence[Mapping[str, Any]], classification: str | None
) -> list[Finding]:
    """Qualifications whose war-crime provision needs the other kind of armed conflict than recorded.

    Pointers are from the incident (``/legal_qualifications/i/code``).
    """
    if classification in (None, "unknown"):
        return []
    found: list[Finding] = []
    for index, qualification in enumerate(qualifications):
        needed = conflict_needed(qualification["code"])
        if needed != "any" and needed != classification:
            found.append(
                _error(
                    "qualification.conflict_mismatch",
                    "the war-crime provision needs another kind of armed conflict than the incident records",
                    f"/legal_qualifications/{index}/code",
                )
            )
    return found


def gbvims_core_types(forms: Iterable[str]) -> frozenset[str]:
    """The GBVIMS core type codes the forms of violence (codes) amount to, one per form that has one."""
    table = _core_types_of_forms()
    return frozenset(core for form in forms for core in table[form])


def gbvims_incident_type(forms: Iterable[str]) -> str | None:
    """The one GBVIMS core type code of an incident with these forms; ``None`` if no form has one.

    GBVIMS gives an incident the first core type of its elimination order (the order of the
    ``gbvims_core_type`` list) that any of its acts amounts to.
    """
    present = gbvims_core_types(forms)
    return next((core for core in gbvims_elimination_order() if core in present), None)


@cache
def gbvims_elimination_order() -> tuple[str, ...]:
    """The GBVIMS core type codes in the order the Classification Tool asks about them."""
    return tuple(row.code for row in load_codelist("gbvims_core_type").rows)


@cache
def _core_types_of_forms() -> Mapping[str, tuple[str, ...]]:
    # Read once: the crosswalk lookup runs for every act of every incident.
    return {
        row.code: tuple((row.extra.get("gbvims_core_type") or "").split())
        for row in load_codelist("form_of_violence").rows
    }
