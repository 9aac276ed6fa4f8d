"""Where a record stands and where else its incidents were reported, so statistics count each case once."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata import rules
from crsvdata.codes.enums import ReportingBodyCategory
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import NoNull, OrganisationCode, PartialDate, ShortText, codelist


class ReportedElsewhere(CrsvModel):
    """One other body the case was reported to, named by organisation code or by category.

    The reference is the other body's own number for the report (for instance a police report number);
    it can identify the survivor, so no export profile lets it out.
    """

    to_organisation: Annotated[OrganisationCode | None, NoNull] = None
    to_category: Annotated[ReportingBodyCategory | None, NoNull] = codelist(
        "reporting_body_category", "The kind of body, when no single organisation is named.", default=None
    )
    reported_on: Annotated[PartialDate | None, NoNull] = Field(
        default=None, description="When it was reported there: a year, a month or a day."
    )
    reference: Annotated[ShortText | None, NoNull] = Field(
        default=None, description="The other body's reference for the report, when known."
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset(
        {"reported.recipient_missing", "reported.recipient_ambiguous"}
    )

    json_rule = rules.reported_elsewhere_rules
