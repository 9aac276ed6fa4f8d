"""Validation results: issues located by file, line and JSON pointer, and the report that holds them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from crsvdata.findings import Finding, Severity
from crsvdata.version import STANDARD_VERSION, __version__

Language = Literal["en", "uk"]
"""The languages an issue's message can be given in."""
LANGUAGES: Final[tuple[Language, ...]] = ("en", "uk")

SAFE_KEY: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
"""An unexpected member's name is shown only when it looks like a field name: any key may hold data."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one document.

    ``pointer`` is an RFC 6901 JSON pointer into the document (for JSON Lines, into that line's record),
    ``line`` the 1-based line number for JSON Lines, ``cell`` the spreadsheet cell (``cases!B7``) when the
    document was read from a workbook or a folder of CSV files. ``message`` never contains a value from
    the data.
    """

    code: str
    severity: Severity
    message: str
    pointer: str = ""
    line: int | None = None
    source: str | None = None
    cell: str | None = None

    @classmethod
    def from_finding(cls, finding: Finding, line: int | None = None, source: str | None = None) -> Issue:
        """Place a ``Finding`` in a document."""
        return cls(finding.code, finding.severity, finding.message, finding.pointer, line, source)

    def message_in(self, lang: Language) -> str:
        """The message in ``lang``: English as found, Ukrainian from the issue catalogue's Ukrainian table.

        A code without a Ukrainian entry (none is shipped so; a test checks every catalogued code) keeps
        its English message rather than lose it.
        """
        if lang == "uk":
            # Imported here: an English report (the default) never loads the Ukrainian table.
            from crsvdata.validation.catalogue_uk import ukrainian_message

            return ukrainian_message(self.code, self.message) or self.message
        return self.message

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """The stable JSON form of an issue (documented in docs/integrators/cli-json.md), its message in
        ``lang``."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "message": self.message_in(lang),
        }
        if self.line is not None:
            out["line"] = self.line
        if self.source is not None:
            out["source"] = self.source
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass(slots=True)
class ValidationReport:
    """Everything found while validating one source (a file, a stream, a document)."""

    source: str | None = None
    documents: int = 0
    invalid_documents: int = 0
    issues: list[Issue] = field(default_factory=list)
    issue_limit_reached: bool = False

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity error."""
        return [issue for issue in self.issues if issue.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues of severity warning."""
        return [issue for issue in self.issues if issue.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        """True when no error was found (warnings allowed)."""
        return not self.errors and self.invalid_documents == 0

    def counts_by_code(self) -> Counter[str]:
        """How many issues of each code."""
        return Counter(issue.code for issue in self.issues)

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """The stable JSON form of a report, its messages in ``lang``."""
        return {
            "source": self.source,
            "valid": self.valid,
            "documents": self.documents,
            "invalid_documents": self.invalid_documents,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issue_limit_reached": self.issue_limit_reached,
            "issues": [issue.to_dict(lang) for issue in self.issues],
            "crsvdata_version": __version__,
            "standard_version": STANDARD_VERSION,
        }
