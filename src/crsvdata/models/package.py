"""The exchange package: many records travelling together from one publisher."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import ConsentPurpose
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import (
    LocalId,
    NonEmptyList,
    NoNull,
    OrganisationCode,
    Timestamp,
    codelist,
    document_marker,
)
from crsvdata.models.case import CaseRecord
from crsvdata.models.identity import IdentityRecord
from crsvdata.version import RecordStandardVersion


class ExchangePackage(CrsvModel):
    """Records sent together, with who sent them, when, and for which purpose.

    Identity records may travel only in a package whose purpose is ``referral``, and only for survivors
    whose case record travels with them.
    """

    document_type: Literal["exchange-package"] = document_marker("exchange-package")
    package_id: LocalId
    standard_version: RecordStandardVersion = Field(
        description="The version of the crsvdata standard (major.minor)."
    )
    publisher: OrganisationCode
    published_at: Timestamp = Field(description="When the package was made (with a UTC offset).")
    purpose: ConsentPurpose = codelist("consent_purpose", "What the recipient may use the records for.")
    synthetic: Annotated[bool | None, NoNull] = Field(
        default=None, description="True for made-up data (examples, tests, training); never set on real data."
    )
    case_records: Annotated[NonEmptyList[CaseRecord] | None, NoNull] = None
    identity_records: Annotated[NonEmptyList[IdentityRecord] | None, NoNull] = None

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {"package.identity_outside_referral", "package.identity_without_case", "package.duplicate_record_id"}
    )

    json_rule = rules.package_rules
