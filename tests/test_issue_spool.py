"""The issue spool and the CLI's reports written from it: flat memory, nothing lost, nothing reordered.

The reference for the reports is the whole-report form they replace: ``json.dumps`` of every
``ValidationReport.to_dict`` with ``indent=2``, and the text report as it was rendered from a full list
of issues (kept here as the reference).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata.cli._report_output import SpooledReport, json_report_pieces, text_report_pieces
from crsvdata.findings import Severity
from crsvdata.validation.report import Issue, Language, ValidationReport
from crsvdata.validation.spool import IssueSpool
from crsvdata.version import STANDARD_VERSION, __version__

text = st.text(st.characters(codec="utf-8"), max_size=12)
issues = st.builds(
    Issue,
    code=st.sampled_from(["codelist.deprecated", "input.json_syntax", "schema.required", "x.y"]),
    severity=st.sampled_from(list(Severity)),
    message=text,
    pointer=st.one_of(st.just(""), text.map(lambda t: "/" + t)),
    line=st.one_of(st.none(), st.integers(1, 10**9)),
    source=st.one_of(st.none(), text),
    cell=st.one_of(st.none(), text),
)


@settings(max_examples=60)
@given(st.lists(issues, max_size=40), st.integers(1, 7))
def test_a_spool_gives_back_every_issue_in_order_however_small_its_memory(
    appended: list[Issue], in_memory: int
) -> None:
    with IssueSpool(in_memory) as spool:
        half = len(appended) // 2
        spool.extend(appended[:half])
        assert list(spool) == appended[:half]  # reading in between does not disturb what comes after
        spool.extend(appended[half:])
        assert list(spool) == appended
        assert list(spool) == appended
        assert len(spool) == len(appended)
        assert spool.errors == sum(issue.severity is Severity.ERROR for issue in appended)
        assert spool.warnings == sum(issue.severity is Severity.WARNING for issue in appended)


def _spooled(report: ValidationReport, in_memory: int) -> SpooledReport:
    spooled = SpooledReport(ValidationReport(), IssueSpool(in_memory))
    for issue in report.issues:
        spooled.keep(issue)
    spooled.report = ValidationReport(
        report.source, report.documents, report.invalid_documents, [], report.issue_limit_reached
    )
    return spooled


reports = st.builds(
    ValidationReport,
    source=st.one_of(st.none(), text),
    documents=st.integers(0, 10**7),
    invalid_documents=st.integers(0, 3),
    issues=st.lists(issues, max_size=12),
    issue_limit_reached=st.booleans(),
)

_SEVERITY_UK = {"error": "помилка", "warning": "попередження"}


def _text_reference(report: ValidationReport, lang: Language) -> str:
    # The text report as `crsvdata validate` rendered it from the whole list of issues.
    name = report.source or "<stdin>"
    lines = []
    for issue in report.issues:
        where = name + (f":{issue.line}" if issue.line is not None else "")
        where += f": {issue.cell}" if issue.cell is not None else ""
        severity = issue.severity.value if lang == "en" else _SEVERITY_UK[issue.severity.value]
        lines.append(f"{where}: {issue.pointer or '/'}  {severity}  {issue.code}  {issue.message_in(lang)}")
    errors, warnings = len(report.errors), len(report.warnings)
    if lang == "uk":
        status = "коректний" if report.valid else "НЕКОРЕКТНИЙ"
        lines.append(
            f"{name}: {status} — документів: {report.documents}, некоректних: {report.invalid_documents}, "
            f"помилок: {errors}, попереджень: {warnings}"
            + (" (досягнуто межі кількості проблем)" if report.issue_limit_reached else "")
        )
    else:
        status = "valid" if report.valid else "INVALID"
        lines.append(
            f"{name}: {status} — {report.documents} document(s), {report.invalid_documents} invalid, "
            f"{errors} error(s), {warnings} warning(s)"
            + (" (issue limit reached)" if report.issue_limit_reached else "")
        )
    return "\n".join(lines) + "\n"


def _json_reference(whole: Sequence[ValidationReport], lang: Language) -> str:
    out = {
        "status": "ok" if all(report.valid for report in whole) else "fail",
        "crsvdata_version": __version__,
        "standard_version": STANDARD_VERSION,
        "files": [report.to_dict(lang) for report in whole],
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=80)
@given(st.lists(reports, min_size=1, max_size=3), st.sampled_from(["en", "uk"]), st.integers(1, 5))
def test_reports_written_from_spools_are_the_whole_reports(
    whole: list[ValidationReport], lang: Language, in_memory: int
) -> None:
    spooled = [_spooled(report, in_memory) for report in whole]
    with mock.patch("crsvdata.cli._report_output._LINES_PER_PIECE", in_memory):  # many pieces
        assert "".join(json_report_pieces(spooled, lang)) == _json_reference(whole, lang)
        for report, one in zip(whole, spooled, strict=True):
            assert "".join(text_report_pieces(one, lang)) == _text_reference(report, lang)
            assert one.valid == report.valid
