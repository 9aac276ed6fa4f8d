"""Writing ``crsvdata validate``'s reports from spooled issues, so memory stays flat however many there are.

The text report lists each issue then a summary line; the JSON report is the document
``json.dumps(..., ensure_ascii=False, indent=2)`` gives (a test compares the two byte for byte), written
in pieces: the issues are read back from their :class:`~crsvdata.validation.spool.IssueSpool` one by one
instead of being held as one list of dictionaries and one string.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from crsvdata.validation.report import Issue, Language, ValidationReport
from crsvdata.validation.spool import IssueSpool
from crsvdata.version import STANDARD_VERSION, __version__

__all__ = ["SpooledReport", "json_report_pieces", "text_report_pieces"]

_WORKBOOK_UNREADABLE: Final = frozenset(
    {"spreadsheet.not_a_workbook", "spreadsheet.encrypted", "spreadsheet.not_utf8", "spreadsheet.csv_syntax"}
)
_SEVERITY_UK: Final = {"error": "помилка", "warning": "попередження"}
_LINES_PER_PIECE: Final = 1024


def is_unreadable(issue: Issue) -> bool:
    """Whether an issue says nothing could be read (a file-level input problem), not that a record is bad."""
    return (issue.code.startswith("input.") and issue.line is None) or issue.code in _WORKBOOK_UNREADABLE


@dataclass
class SpooledReport:
    """A validation report whose issues are in a spool: ``report`` holds the counts, its issues empty."""

    report: ValidationReport
    issues: IssueSpool = field(default_factory=IssueSpool)
    unreadable: bool = False
    """Whether an issue says that nothing could be read (see :func:`is_unreadable`)."""

    def keep(self, issue: Issue) -> None:
        """Spool one issue (the ``on_issue`` of :func:`crsvdata.validation.validate`)."""
        self.unreadable = self.unreadable or is_unreadable(issue)
        self.issues.append(issue)

    @property
    def valid(self) -> bool:
        return not self.issues.errors and self.report.invalid_documents == 0

    def to_dict_without_issues(self, lang: Language) -> dict[str, Any]:
        """``ValidationReport.to_dict`` of the whole report, with an empty list of issues."""
        out = self.report.to_dict(lang)
        out["valid"] = self.valid
        out["errors"] = self.issues.errors
        out["warnings"] = self.issues.warnings
        return out


def text_report_pieces(spooled: SpooledReport, lang: Language) -> Iterator[str]:
    """The text report of one source in pieces that end with a newline: each issue, then the summary."""
    report = spooled.report
    name = report.source or "<stdin>"
    lines: list[str] = []
    for issue in spooled.issues:
        where = name + (f":{issue.line}" if issue.line is not None else "")
        where += f": {issue.cell}" if issue.cell is not None else ""
        severity = issue.severity.value if lang == "en" else _SEVERITY_UK[issue.severity.value]
        lines.append(f"{where}: {issue.pointer or '/'}  {severity}  {issue.code}  {issue.message_in(lang)}")
        if len(lines) >= _LINES_PER_PIECE:
            yield "".join(f"{line}\n" for line in lines)
            lines = []
    if lines:
        yield "".join(f"{line}\n" for line in lines)
    errors, warnings = spooled.issues.errors, spooled.issues.warnings
    if lang == "uk":
        status = "коректний" if spooled.valid else "НЕКОРЕКТНИЙ"
        yield (
            f"{name}: {status} — документів: {report.documents}, некоректних: {report.invalid_documents}, "
            f"помилок: {errors}, попереджень: {warnings}"
            + (" (досягнуто межі кількості проблем)" if report.issue_limit_reached else "")
            + "\n"
        )
        return
    status = "valid" if spooled.valid else "INVALID"
    yield (
        f"{name}: {status} — {report.documents} document(s), {report.invalid_documents} invalid, "
        f"{errors} error(s), {warnings} warning(s)"
        + (" (issue limit reached)" if report.issue_limit_reached else "")
        + "\n"
    )


def json_report_pieces(reports: Sequence[SpooledReport], lang: Language) -> Iterator[str]:
    """The JSON report of all sources (``json.dumps(..., indent=2)`` of it, then a newline) in pieces."""
    placeholders = [f"\0issues of file {index}" for index in range(len(reports))]
    files = []
    for spooled, placeholder in zip(reports, placeholders, strict=True):
        summary = spooled.to_dict_without_issues(lang)
        summary["issues"] = placeholder
        files.append(summary)
    out = {
        "status": "ok" if all(spooled.valid for spooled in reports) else "fail",
        "crsvdata_version": __version__,
        "standard_version": STANDARD_VERSION,
        "files": files,
    }
    rest = json.dumps(out, ensure_ascii=False, indent=2)
    for spooled, placeholder in zip(reports, placeholders, strict=True):
        # The first place after the previous file's issues: an escaped NUL appears in no other string.
        before, _, rest = rest.partition(json.dumps(placeholder))
        yield before
        key_line = before.rsplit("\n", 1)[-1]
        indent = len(key_line) - len(key_line.lstrip(" "))
        yield from _json_list_pieces(spooled.issues, indent, lambda issue: issue.to_dict(lang))
    yield rest + "\n"


def _json_list_pieces(
    issues: IssueSpool, indent: int, as_dict: Callable[[Issue], dict[str, Any]]
) -> Iterator[str]:
    # json.dumps(indent=2) of a list whose "key": [ line is indented by ``indent``: items two deeper.
    if not len(issues):
        yield "[]"
        return
    inner = "\n" + " " * (indent + 2)
    pieces: list[str] = []
    separator = "["
    for issue in issues:
        item = json.dumps(as_dict(issue), ensure_ascii=False, indent=2)
        pieces.append(separator + inner + item.replace("\n", inner))
        separator = ","
        if len(pieces) >= _LINES_PER_PIECE:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces) + "\n" + " " * indent + "]"
