"""The rules of an exchange package that look across the records it carries.

Each record's own rules are the record's; these are only the rules of the records travelling together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crsvdata.findings import Finding, Severity

REFERRAL = "referral"


def package_rules(package: Mapping[str, Any]) -> list[Finding]:
    """The findings of one exchange package (its JSON form), with pointers from the package."""
    found: list[Finding] = []
    case_records = package.get("case_records", ())
    identity_records = package.get("identity_records", ())
    if identity_records and package["purpose"] != REFERRAL:
        found.append(
            _error(
                "package.identity_outside_referral",
                "identity records may only travel in a package whose purpose is referral",
                "/identity_records",
            )
        )
    case_refs = {record["survivor"]["survivor_ref"] for record in case_records}
    for index, identity in enumerate(identity_records):
        if identity["survivor_ref"] not in case_refs:
            found.append(
                _error(
                    "package.identity_without_case",
                    "an identity record travels without its survivor's case record",
                    f"/identity_records/{index}/survivor_ref",
                )
            )
    seen: set[str] = set()
    for index, record in enumerate(case_records):
        if record["record_id"] in seen:
            found.append(
                _error(
                    "package.duplicate_record_id",
                    "two case records in the package share a record_id",
                    f"/case_records/{index}/record_id",
                )
            )
        seen.add(record["record_id"])
    return found


def _error(code: str, message: str, pointer: str) -> Finding:
    return Finding(code, Severity.ERROR, message, pointer)
