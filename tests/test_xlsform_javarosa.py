"""The form's rules run in JavaRosa, the engine of ODK Collect (from ODK Validate's jar, offline), against
the Python rules: a valid record's answers pass every relevant/required/constraint, and an answer that
breaks one rule of the standard is refused at that question.

Skipped without Java or without the jar pyxform installs; nothing is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.validators import odk_validate
from pyxform.xls2xform import convert

from crsvdata.interop.xlsform import case_form, write_xlsform
from crsvdata.interop.xlsform.shape import FormShape
from crsvdata.models import CaseRecord
from crsvdata.testing import case_records
from kobo_simulator import Filled, Simulator

HARNESS = Path(__file__).parent / "javarosa" / "Harness.java"
EXAMPLES = Path(__file__).parent.parent / "examples"

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not odk_validate.install_exists(),
    reason="JavaRosa comes with ODK Validate's jar, which needs Java",
)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Simulator]:
    folder = tmp_path_factory.mktemp("javarosa")
    sheets = case_form()
    write_xlsform(sheets, folder / "case.xlsx")
    xform = folder / "case.xml"
    xform.write_text(convert(xlsform=str(folder / "case.xlsx")).xform, encoding="utf-8")
    return xform, Simulator(sheets)


def _refs(filled: Filled, shape: FormShape, base: str = "/data") -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for name, answer in filled.answers.items():
        question = shape.questions[name]
        if question.kind in ("start", "end"):
            continue  # preloaded by the phone, never shown
        inside = question.groups[len(base.split("/")) - 2 :] if base != "/data" else question.groups
        groups = "".join(f"/{group}[1]" for group in inside if group not in shape.repeats)
        lines.append((f"{base}{groups}/{name}[1]", answer))
    for name, entries in filled.repeats.items():
        for index, child in enumerate(entries, start=1):
            ref = f"{base}/{name}[{index}]"
            lines.append(("+" + ref, ""))
            lines.extend(_refs(child, shape, ref))
    return lines


def _run(xform: Path, submissions: list[list[tuple[str, str]]], folder: Path) -> list[list[str]]:
    answers = folder / "answers.tsv"
    body = "\n===\n".join("\n".join(f"{ref}\t{value}" for ref, value in lines) for lines in submissions)
    answers.write_text(body + "\n", encoding="utf-8")
    jar = Path(odk_validate.ODK_VALIDATE_PATH)
    done = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-cp", str(jar), str(HARNESS), str(xform), str(answers)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reports: list[list[str]] = [[] for _ in submissions]
    for line in done.stdout.splitlines():
        number, status, *ref = line.split("\t")
        if status != "DONE":
            reports[int(number) - 1].append(f"{status} {ref[0]}")
    return reports


def _answers(record: CaseRecord, simulator: Simulator) -> list[tuple[str, str]]:
    filled, _ = simulator.fill(record.to_json_dict())
    return _refs(filled, simulator.shape)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(case_records(), min_size=1, max_size=4))
def test_javarosa_accepts_the_answers_of_valid_records(
    records: list[CaseRecord], compiled: tuple[Path, Simulator], tmp_path: Path
) -> None:
    # (function_scoped_fixture: tmp_path only holds the answers file, rewritten whole each time.)
    xform, simulator = compiled
    submissions = [_answers(record, simulator) for record in records]
    reports = _run(xform, submissions, tmp_path)
    for record, report in zip(records, reports, strict=True):
        # A question the record answers but the form hid (UNUSED) would be lost in the field too; a
        # deprecated code is no choice of the form, so the required contexts may be left empty.
        deprecated = any("detention_or_filtration" in i.contexts for i in record.incidents)
        assert [line for line in report if not (deprecated and "/contexts[1]" in line)] == [], (
            record.record_id
        )


def _example() -> CaseRecord:
    return CaseRecord.model_validate_json((EXAMPLES / "cases" / "occupation-detention.json").read_text())


def _changed(lines: list[tuple[str, str]], ref: str, value: str | None) -> list[tuple[str, str]]:
    kept = [(r, v) for r, v in lines if r != ref]
    return kept if value is None else [*kept, (ref, value)]


BROKEN: list[tuple[str, Any, str]] = [
    # (what the standard refuses, a change of the answers, the question JavaRosa must refuse)
    ("schema.pattern record_id", lambda a: _changed(a, "/data/record_id[1]", "x"), "/data/record_id[1]"),
    (
        "age.band_mismatch",
        lambda a: _changed(a, "/data/survivor[1]/age_years[1]", "17"),
        "/data/survivor[1]/age_years[1]",
    ),
    (
        "date.range_reversed (months)",
        lambda a: _changed(a, "/data/incidents[1]/incident_end[1]", "2022-07-01"),
        "/data/incidents[1]/incident_end[1]",
    ),
    (
        "incident.reported_before_incident",
        lambda a: _changed(a, "/data/incidents[1]/reported_on[1]", "2022-07-31"),
        "/data/incidents[1]/reported_on[1]",
    ),
    (
        "location.control_status_country_mismatch",
        lambda a: _changed(a, "/data/incidents[1]/control_status[1]", "outside_ukraine"),
        "/data/incidents[1]/control_status[1]",
    ),
    (
        "consent.withdrawn_before_given",
        lambda a: _changed(
            _changed(a, "/data/consents[1]/granted[1]", "yes"),
            "/data/consents[1]/withdrawn_on[1]",
            "2000-01-01",
        ),
        "/data/consents[1]/withdrawn_on[1]",
    ),
    (
        "consent.recipient_missing",
        lambda a: _changed(
            _changed(a, "/data/consents[1]/recipient_organisation[1]", None),
            "/data/consents[1]/recipient_category[1]",
            None,
        ),
        "/data/consents[1]/recipient_category[1]",
    ),
    (
        "identifier.erdr_number format",
        lambda a: _changed(a, "/data/proceedings[1]/erdr_number[1]", "02022000000000001"),
        "/data/proceedings[1]/erdr_number[1]",
    ),
    (
        "proceeding.erdr_year_after_registration",
        lambda a: _changed(a, "/data/proceedings[1]/erdr_number[1]", "12099999990000001"),
        "/data/proceedings[1]/erdr_number[1]",
    ),
    (
        "proceeding.stage_before_registration",
        lambda a: _changed(a, "/data/proceedings[1]/stage_on[1]", "2014-01-01"),
        "/data/proceedings[1]/stage_on[1]",
    ),
]


def test_the_example_passes_and_each_broken_rule_is_refused_where_it_is_broken(
    compiled: tuple[Path, Simulator], tmp_path: Path
) -> None:
    xform, simulator = compiled
    answers = _answers(_example(), simulator)
    refs = dict(answers)
    # The example is what the changes below assume: a month-precision incident from 2022-08, a named
    # consent recipient, and a proceeding with an ERDR number registered in 2023.
    assert refs["/data/incidents[1]/start_precision[1]"] == "month"
    assert refs["/data/incidents[1]/incident_start[1]"] == "2022-08-01"
    assert "/data/proceedings[1]/erdr_number[1]" in refs
    submissions = [answers] + [change(answers) for _, change, _ in BROKEN]
    reports = _run(xform, submissions, tmp_path)
    assert reports[0] == []
    for (rule, _, question), report in zip(BROKEN, reports[1:], strict=True):
        assert any(line.endswith(" " + question) and not line.startswith("UNUSED") for line in report), (
            rule,
            report,
        )


def test_a_child_consenting_alone_needs_the_recorded_reason(
    compiled: tuple[Path, Simulator], tmp_path: Path
) -> None:
    xform, simulator = compiled
    child = CaseRecord.model_validate_json((EXAMPLES / "cases" / "child-survivor.json").read_text())
    answers = _answers(child, simulator)
    granted = next(
        ref.rsplit("/", 1)[0] for ref, value in answers if ref.endswith("/granted[1]") and value == "yes"
    )
    alone = _changed(answers, f"{granted}/given_by[1]", "self")
    with_reason = [*alone, (f"{granted}/guardian_exception[1]", "guardian_is_alleged_perpetrator")]
    adult = _changed(alone, "/data/survivor[1]/age_years[1]", None)
    adult = _changed(adult, "/data/survivor[1]/age_band[1]", "age_26_40")
    reports = _run(xform, [answers, alone, with_reason, adult], tmp_path)
    assert reports[0] == []
    assert f"REQUIRED {granted}/guardian_exception[1]" in reports[1]
    assert reports[2] == []
    assert reports[3] == []
