"""Where a record stands and where else its incidents were reported, so statistics count each case once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, ClassVar

from pydantic import Field

from crsvdata.codes.enums import ReportingBodyCategory
from crsvdata.findings import Finding
from crsvdata.models._base import CrsvModel, error
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

    def rule_findings(self) -> Iterable[Finding]:
        if self.to_organisation is None and self.to_category is None:
            yield error(
                "reported.recipient_missing",
                "name the organisation or the category of body the case was reported to",
            )
        elif self.to_organisation is not None and self.to_category is not None:
            yield error(
                "reported.recipient_ambiguous",
                "name either one organisation or one category, not both",
                "/to_category",
            )
