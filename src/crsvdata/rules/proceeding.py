"""The rules of a criminal proceeding, of the survivor's legal representation and of a civil claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from crsvdata.codes import load as load_codelist
from crsvdata.findings import Finding, Severity
from crsvdata.identifiers import check_erdr_number, erdr_year

# From the code list (it refuses an unknown code), not the generated enums, which cost ~20 ms to import.
UKRAINIAN_JURISDICTION: Final = load_codelist("jurisdiction").get("ua_national").code


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)


def legal_representation_rules(representation: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``legal_representation`` (its JSON form)."""
    found: list[Finding] = []
    if not representation["represented"] and representation.get("representative_type") is not None:
        found.append(
            _error(
                "proceeding.representative_type_without_representative",
                "a representative type is given although the survivor is not represented",
                "/representative_type",
            )
        )
    return found


def civil_claim_rules(claim: Mapping[str, Any]) -> list[Finding]:
    """The findings of one ``civil_claim`` within a proceeding (its JSON form)."""
    found: list[Finding] = []
    if not claim["filed"] and (claim.get("filed_on") is not None or claim.get("amount") is not None):
        found.append(
            _error(
                "proceeding.civil_claim_details_not_filed",
                "a civil claim has a date or an amount but is recorded as not filed",
                "/filed",
            )
        )
    return found


def proceeding_rules(proceeding: Mapping[str, Any]) -> list[Finding]:
    """The findings of one legal proceeding (its JSON form), with pointers relative to the proceeding."""
    found: list[Finding] = []
    registered_on = proceeding["registered_on"]
    erdr_number = proceeding.get("erdr_number")
    if erdr_number is not None:
        malformed = check_erdr_number(erdr_number)
        found.extend(finding.under("/erdr_number") for finding in malformed)
        # A day is YYYY-MM-DD text: its first four characters are the year. A malformed number (the
        # schema refuses it before rules run) has no year to compare.
        if not malformed and erdr_year(erdr_number) > int(registered_on[:4]):
            found.append(
                _error(
                    "proceeding.erdr_year_after_registration",
                    "the year inside the ERDR number is after the registration year",
                    "/erdr_number",
                )
            )
        if proceeding["jurisdiction"] != UKRAINIAN_JURISDICTION:
            found.append(
                _error(
                    "proceeding.erdr_outside_ukraine",
                    "an ERDR number belongs only to a proceeding under Ukrainian jurisdiction",
                    "/erdr_number",
                )
            )
    stage_on = proceeding.get("stage_on")
    if stage_on is not None and stage_on < registered_on:
        found.append(
            _error(
                "proceeding.stage_before_registration",
                "the stage is dated before the registration",
                "/stage_on",
            )
        )
    return found
