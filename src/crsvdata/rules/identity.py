"""The rules of identity data: document numbers, phone numbers and the address's KATOTTH code.

The checks themselves (checksums, calendar dates, libphonenumber validity, the codifier) are defined
once in ``crsvdata.identifiers`` and ``crsvdata.geography``; these rules only say where in an identity
record each one applies. No finding carries the value checked: these are direct identifiers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from crsvdata.findings import Finding
from crsvdata.geography import check_katotth
from crsvdata.identifiers import (
    check_foreign_passport,
    check_id_card_number,
    check_passport_booklet,
    check_phone,
    check_rnokpp,
    check_unzr,
)

DOCUMENT_CHECKS: Final[Mapping[str, Callable[[object], tuple[Finding, ...]]]] = {
    "rnokpp": check_rnokpp,
    "unzr": check_unzr,
    "passport_booklet": check_passport_booklet,
    "id_card": check_id_card_number,
    "foreign_passport": check_foreign_passport,
}
"""The check of each identity document's number, by the document's ``type``."""


def identity_document_rules(document: Mapping[str, Any]) -> list[Finding]:
    """The findings of one identity document (its JSON form): its number checked as its ``type`` says."""
    return _under(DOCUMENT_CHECKS[document["type"]](document["number"]), "/number")


def address_rules(address: Mapping[str, Any]) -> list[Finding]:
    """The findings of one address (its JSON form): its KATOTTH code, when one is given."""
    katotth = address.get("katotth")
    return [] if katotth is None else _under(check_katotth(katotth), "/katotth")


def identity_record_rules(record: Mapping[str, Any]) -> list[Finding]:
    """The findings of an identity record's own fields (its phone numbers), pointers from the record.

    Its documents and address are objects of their own, with their own rules.
    """
    found: list[Finding] = []
    for index, phone in enumerate(record.get("phones", ())):
        found.extend(_under(check_phone(phone), f"/phones/{index}"))
    return found


def _under(findings: Iterable[Finding], pointer: str) -> list[Finding]:
    return [finding.under(pointer) for finding in findings]
