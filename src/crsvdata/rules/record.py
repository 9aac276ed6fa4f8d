"""The rules of a whole case record that look across its parts (ids, dates, references, consents)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from crsvdata.dates import earliest
from crsvdata.findings import Finding, Severity
from crsvdata.rules.consent import consent_covers, consent_holds_on
from crsvdata.rules.survivor import ADULT_AGE, age_band_limits

_IDENTIFIED_LISTS: Sequence[tuple[str, str]] = (
    ("incidents", "incident_id"),
    ("consents", "consent_id"),
    ("referrals", "referral_id"),
    ("proceedings", "proceeding_id"),
    ("reparations", "claim_id"),
)


def timestamp(value: str) -> datetime:
    """An RFC 3339 timestamp of the JSON form as an aware datetime (the schema has checked its shape)."""
    return datetime.fromisoformat(value.upper().replace("Z", "+00:00"))


def first_incident_day(record: Mapping[str, Any]) -> date:
    """The latest day on which the earliest incident can have started (bounds the survivor's age)."""
    return min(earliest(incident["incident_date"]["start"]) for incident in record["incidents"])


def may_be_child_on(record: Mapping[str, Any], day: date, first_day: date | None = None) -> bool:
    """True when the survivor may have been under 18 on ``day``; False when no age is recorded.

    ``first_day`` is the record's first incident day when the caller already has it.
    """
    age = record["survivor"].get("age_at_first_incident")
    if age is None:
        return False
    youngest = age["years"] if "years" in age else age_band_limits(age["band"])[0]
    start = first_incident_day(record) if first_day is None else first_day
    whole_years_since = max(0, day.year - start.year - 1)
    return bool(youngest + whole_years_since < ADULT_AGE)


def record_rules(record: Mapping[str, Any]) -> list[Finding]:
    """The cross-part findings of one case record (its JSON form), with pointers from the record."""
    found: list[Finding] = []
    # Read once: the update time bounds both the creation time and every date within the record.
    updated_at = timestamp(record["updated_at"])
    if updated_at < timestamp(record["created_at"]):
        found.append(
            _error(
                "record.updated_before_created", "the record is updated before it was created", "/updated_at"
            )
        )
    _duplicate_ids(record, found)
    _provenance(record, found)
    if "affected_persons" in record:
        _affected_persons(record, found)
    _dates_within_record(record, updated_at, found)
    if "consents" in record:
        _consents_of_children(record, found)
    _references(record, found)
    return found


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def _duplicate_ids(record: Mapping[str, Any], found: list[Finding]) -> None:
    for collection, field in _IDENTIFIED_LISTS:
        entries = record.get(collection, ())
        if len(entries) < 2:
            continue  # one entry cannot repeat an identifier
        identifiers = [entry[field] for entry in entries]
        if len(set(identifiers)) == len(identifiers):
            continue
        seen: set[str] = set()
        for index, identifier in enumerate(identifiers):
            if identifier in seen:
                found.append(
                    _error(
                        "record.duplicate_id",
                        "two entries of one list share an identifier",
                        f"/{collection}/{index}/{field}",
                    )
                )
            seen.add(identifier)


def _provenance(record: Mapping[str, Any], found: list[Finding]) -> None:
    is_duplicate = record.get("record_status") == "duplicate"
    duplicate_of = record.get("duplicate_of")
    if is_duplicate and duplicate_of is None:
        found.append(
            _error(
                "record.duplicate_of_missing",
                "a record marked as a duplicate must name the record it duplicates",
                "/record_status",
            )
        )
    elif not is_duplicate and duplicate_of is not None:
        found.append(
            _error(
                "record.duplicate_of_unexpected",
                "duplicate_of is given but the record status is not duplicate",
                "/duplicate_of",
            )
        )
    if duplicate_of is not None and duplicate_of == record["record_id"]:
        found.append(_error("record.duplicate_of_self", "a record cannot duplicate itself", "/duplicate_of"))


def _affected_persons(record: Mapping[str, Any], found: list[Finding]) -> None:
    survivor_ref = record["survivor"]["survivor_ref"]
    seen: set[str] = set()
    for index, person in enumerate(record.get("affected_persons", ())):
        pointer = f"/affected_persons/{index}/person_ref"
        ref = person["person_ref"]
        if ref == survivor_ref:
            found.append(
                _error(
                    "affected.is_survivor",
                    "an affected person has the survivor's own reference: the survivor is recorded once",
                    pointer,
                )
            )
        if ref in seen:
            found.append(_error("affected.duplicate_ref", "two affected persons share a reference", pointer))
        seen.add(ref)


def _dates_within_record(record: Mapping[str, Any], updated_at: datetime, found: list[Finding]) -> None:
    # The day of the last update in the timestamp's own offset, as the record's author saw it.
    last_day = updated_at.date()
    last_text = last_day.isoformat()
    for index, incident in enumerate(record["incidents"]):
        if earliest(incident["incident_date"]["start"]) > last_day:
            found.append(
                _error(
                    "incident.after_record",
                    "the incident starts after the record was last updated",
                    f"/incidents/{index}/incident_date/start",
                )
            )
        reported_on = incident.get("reported_on")
        if reported_on is not None and reported_on > last_text:
            found.append(
                _error(
                    "incident.reported_after_record",
                    "the incident is reported after the record was last updated",
                    f"/incidents/{index}/reported_on",
                )
            )
    for index, consent in enumerate(record.get("consents", ())):
        if consent["given_on"] > last_text:
            found.append(
                _error(
                    "consent.after_record",
                    "a consent is dated after the record was last updated",
                    f"/consents/{index}/given_on",
                )
            )


def _consents_of_children(record: Mapping[str, Any], found: list[Finding]) -> None:
    first_day: date | None = None  # the first incident day, found when a consent needs it
    for index, consent in enumerate(record.get("consents", ())):
        if (
            consent["granted"] is True
            and consent["given_by"] == "self"
            and "guardian_exception" not in consent
        ):
            if first_day is None:
                first_day = first_incident_day(record)
            if may_be_child_on(record, date.fromisoformat(consent["given_on"]), first_day):
                found.append(
                    _error(
                        "consent.minor_needs_guardian",
                        "the survivor may have been a child when consenting: consent must be given by a "
                        "parent or guardian, or the reason it is not must be recorded",
                        f"/consents/{index}/given_by",
                    )
                )


def _references(record: Mapping[str, Any], found: list[Finding]) -> None:
    proceedings = record.get("proceedings", ())
    reparations = record.get("reparations", ())
    if proceedings or reparations:
        incident_ids = {incident["incident_id"] for incident in record["incidents"]}
        for p_index, proceeding in enumerate(proceedings):
            for i_index, ref in enumerate(proceeding["incident_ids"]):
                if ref not in incident_ids:
                    found.append(
                        _error(
                            "proceeding.unknown_incident_ref",
                            "a proceeding refers to an incident that this record does not contain",
                            f"/proceedings/{p_index}/incident_ids/{i_index}",
                        )
                    )
        for c_index, claim in enumerate(reparations):
            for i_index, ref in enumerate(claim.get("incident_ids", ())):
                if ref not in incident_ids:
                    found.append(
                        _error(
                            "reparation.unknown_incident_ref",
                            "a reparation claim refers to an incident that this record does not contain",
                            f"/reparations/{c_index}/incident_ids/{i_index}",
                        )
                    )
    consents = record.get("consents", ())
    for r_index, referral in enumerate(record.get("referrals", ())):
        organisation = referral["to_organisation"]
        if organisation == record["source_organisation"]:
            continue
        if not any(
            consent_covers(consent, "referral", organisation, None)
            and consent_holds_on(consent, referral["referred_on"])
            for consent in consents
        ):
            found.append(
                Finding(
                    "referral.without_consent",
                    Severity.WARNING,
                    "no referral consent naming the receiving organisation held on the referral day",
                    f"/referrals/{r_index}",
                )
            )
