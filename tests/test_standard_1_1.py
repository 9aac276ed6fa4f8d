"""Standard 1.1 (part A): not-recorded consent, quasi-identifiers kept in the risk model, the upgrade."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymise_strategies import EXPORT_DAY, KEY, with_consent
from crsvdata.anonymise import ExportProfile, Recipient, consent_decision, export, profile_names
from crsvdata.anonymise.errors import DisclosureRiskError, ProfileError
from crsvdata.anonymise.fields import FIELD_TABLE
from crsvdata.codes.enums import ConsentGivenBy, ConsentMethod, ConsentPurpose, RecipientCategory
from crsvdata.models import CaseRecord, Consent
from crsvdata.schema.registry import validator
from crsvdata.testing import case_records
from crsvdata.upgrade import (
    CodeRename,
    UpgradeError,
    _add_marker,
    _rename_codes,
    _set_version,
    upgrade_document,
)
from crsvdata.validation import validate

ROOT: Final = Path(__file__).parents[1]
RESEARCH: Final = Recipient("test_recipient", RecipientCategory.RESEARCHERS)
SURVIVOR_QUASI_IDENTIFIERS: Final = (
    "survivor.ethnicity",
    "survivor.religion",
    "survivor.country_of_origin",
    "survivor.marital_status",
    "survivor.child_separation",
)


# --- a not-recorded consent never authorises sharing ----------------------------------------------------


def _unrecorded(consent: Consent, which: str) -> Consent:
    if which == "method":
        return consent.model_copy(update={"method": ConsentMethod.NOT_RECORDED})
    return consent.model_copy(update={"given_by": ConsentGivenBy.NOT_RECORDED})


@settings(max_examples=25, deadline=None)
@given(case_records(), st.sampled_from(list(ConsentPurpose)), st.sampled_from(["method", "given_by"]))
def test_making_grants_unrecorded_never_lets_a_record_out(
    record: CaseRecord, purpose: ConsentPurpose, which: str
) -> None:
    granted = with_consent(record, purpose)
    assert consent_decision(granted, purpose, RESEARCH, EXPORT_DAY) == "granted"
    unrecorded = CaseRecord.model_validate_json(
        granted.model_copy(
            update={"consents": [_unrecorded(c, which) for c in granted.consents or ()]}
        ).to_json()
    )
    assert consent_decision(unrecorded, purpose, RESEARCH, EXPORT_DAY) == "consent.not_recorded"
    assert not any(c.holds_on(EXPORT_DAY) for c in unrecorded.consents or ())


@settings(max_examples=25, deadline=None)
@given(case_records(), st.sampled_from(list(ConsentPurpose)))
def test_an_unrecorded_grant_adds_nothing_to_the_recorded_decisions(
    record: CaseRecord, purpose: ConsentPurpose
) -> None:
    # Removing every unrecorded grant never changes a "granted" decision into another, nor the reverse.
    before = consent_decision(record, purpose, RESEARCH, EXPORT_DAY)
    kept = [c for c in record.consents or () if not c.granted or c.recorded]
    without = record.model_copy(update={"consents": kept or None})
    after = consent_decision(without, purpose, RESEARCH, EXPORT_DAY)
    assert (before == "granted") == (after == "granted")


def test_an_unrecorded_grant_is_valid_with_a_warning() -> None:
    document = json.loads((ROOT / "conformance/1.0.0/valid/case-record.compact.json").read_text("utf-8"))
    document["consents"][0]["method"] = "not_recorded"
    report = validate(json.dumps(document).encode())
    assert report.valid
    assert [(w.code, w.pointer) for w in report.warnings] == [
        ("consent.grant_not_recorded", "/consents/0/method")
    ]


# --- new fields never leave raw ---------------------------------------------------------------------------


def test_no_shipped_profile_lists_a_1_1_field() -> None:
    new = set(SURVIVOR_QUASI_IDENTIFIERS)
    for name in profile_names():
        profile = ExportProfile.load(name)
        assert not new & set(profile.fields), name


def test_only_the_survivor_quasi_identifiers_of_1_1_are_in_the_field_table() -> None:
    reads_new_fields = {p for p in FIELD_TABLE if p.split(".")[-1] in _NEW_FIELD_NAMES}
    assert reads_new_fields == set(SURVIVOR_QUASI_IDENTIFIERS)
    assert all(FIELD_TABLE[p].quasi_identifier_only for p in SURVIVOR_QUASI_IDENTIFIERS)


_NEW_FIELD_NAMES: Final = {
    "ethnicity", "religion", "country_of_origin", "marital_status", "child_separation", "record_status",
    "duplicate_of", "reported_elsewhere", "affected_persons", "verification", "consequences",
    "victim_status", "legal_representation", "civil_claim", "claim_number", "rd4u_categories",
    "law_4067_application",
}  # fmt: skip


def _research_with(extra_field: str, declared: str) -> bytes:
    shipped = (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text("utf-8")
    shipped = shipped.replace(
        'sensitive = ["incidents.acts"]',
        f'sensitive = ["incidents.acts"{", " + repr(extra_field) if declared == "sensitive" else ""}]',
    )
    if declared == "quasi_identifier":
        shipped = shipped.replace(
            '"incidents.conflict_nexus",\n]', f'"incidents.conflict_nexus", "{extra_field}",\n]'
        )
    shipped += f'"{extra_field}" = {{ transform = "keep" }}\n'
    return shipped.replace("'", '"').encode()


@pytest.mark.parametrize("path", SURVIVOR_QUASI_IDENTIFIERS)
def test_a_profile_cannot_let_a_survivor_quasi_identifier_out_as_sensitive(path: str) -> None:
    with pytest.raises(ProfileError, match="must be declared a quasi-identifier"):
        ExportProfile.from_toml(_research_with(path, "sensitive"))
    with pytest.raises(ProfileError, match="neither a quasi-identifier nor sensitive"):
        ExportProfile.from_toml(_research_with(path, "undeclared"))
    profile = ExportProfile.from_toml(_research_with(path, "quasi_identifier"))
    assert profile.disclosure is not None
    assert path in profile.disclosure.quasi_identifiers


def _identifying_values(record: CaseRecord) -> set[str]:
    values = {p.person_ref for p in record.affected_persons or ()}
    values |= {r.reference for r in record.reported_elsewhere or () if r.reference}
    for claim in record.reparations or ():
        values |= {claim.claim_number} if claim.claim_number else set()
        application = claim.law_4067_application
        if application is not None and application.decision_number:
            values.add(application.decision_number)
    return values


@settings(max_examples=25, deadline=None)
@given(
    st.lists(case_records(), min_size=1, max_size=4),
    st.sampled_from(["investigation", "reparations", "research"]),
)
def test_no_record_level_profile_exports_a_1_1_field(records: list[CaseRecord], profile: str) -> None:
    purpose = {
        "investigation": ConsentPurpose.INVESTIGATION_PROSECUTION,
        "reparations": ConsentPurpose.REPARATIONS,
        "research": ConsentPurpose.RESEARCH,
    }[profile]
    records = [with_consent(r, purpose) for r in records]
    try:
        result = export(records, profile, keys=KEY, on=EXPORT_DAY, recipient=Recipient("test_recipient"))
    except DisclosureRiskError:  # a refused export (risk thresholds) writes nothing
        return
    text = result.data.decode("utf-8") + result.manifest.to_json()
    for line in result.data.decode("utf-8").splitlines():
        assert not _keys(json.loads(line)) & _NEW_FIELD_NAMES
    for value in set().union(*(_identifying_values(r) for r in records)):
        assert value not in text


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(set(), *(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_keys(v) for v in value))
    return set()


# --- upgrade ---------------------------------------------------------------------------------------------


def _differences(before: Any, after: Any, pointer: str = "") -> set[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = set(before) | set(after)
        return set().union(
            set(), *(_differences(before.get(k), after.get(k), f"{pointer}/{k}") for k in keys)
        )
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return set().union(
            set(),
            *(
                _differences(b, a, f"{pointer}/{i}")
                for i, (b, a) in enumerate(zip(before, after, strict=True))
            ),
        )
    return set() if before == after else {pointer}


@settings(max_examples=25, deadline=None)
@given(case_records(standard_version="1.0"))
def test_upgrading_a_1_0_record_is_valid_idempotent_and_changes_only_what_it_reports(
    record: CaseRecord,
) -> None:
    document = record.to_json_dict()
    assert list(validator("case-record", "1.0.0").iter_errors(document)) == []
    upgraded, changes = upgrade_document(document)
    assert upgraded["standard_version"] == "1.1"
    assert validate(json.dumps(upgraded).encode()).valid
    assert _differences(document, upgraded) == {change.pointer for change in changes}
    assert document["standard_version"] == "1.0"  # the input is not modified
    assert "document_type" not in document  # a record declaring 1.0 is written as 1.0, without a marker
    assert next(iter(upgraded)) == "document_type"
    assert ("/document_type", "marker") in {(c.pointer, c.step) for c in changes}
    again, no_changes = upgrade_document(upgraded)
    assert again == upgraded
    assert no_changes == []


@settings(max_examples=8, deadline=None)
@given(st.lists(case_records(standard_version="1.0"), min_size=1, max_size=3))
def test_upgrading_a_package_upgrades_every_record(records: list[CaseRecord]) -> None:
    package = json.loads(
        (ROOT / "conformance/1.0.0/valid/exchange-package.referral-package.json").read_text("utf-8")
    )
    package["purpose"] = "statistics"
    del package["identity_records"]
    package["case_records"] = [r.to_json_dict() for r in records]
    package["standard_version"] = "1.0"
    upgraded, changes = upgrade_document(package)
    assert {c.pointer for c in changes} == _differences(package, upgraded)
    # Each record and the package: its version and its document_type marker.
    assert len(changes) == 2 * (len(records) + 1)
    assert {c.step for c in changes} == {"marker", "version"}
    assert [r["document_type"] for r in upgraded["case_records"]] == ["case-record"] * len(records)
    assert validate(json.dumps(upgraded).encode()).valid


def test_a_code_rename_is_one_row_and_is_reported_where_it_applied() -> None:
    document = json.loads((ROOT / "conformance/1.0.0/valid/case-record.compact.json").read_text("utf-8"))
    steps = (
        _rename_codes([CodeRename("incident_context", "occupation", "detention_or_filtration")]),
        _add_marker,
        _set_version,
    )
    upgraded, changes = upgrade_document(document, steps=steps)
    assert upgraded["incidents"][0]["contexts"] == ["detention_or_filtration"]
    assert [(c.pointer, c.step) for c in changes] == [
        ("/incidents/0/contexts/0", "rename:incident_context"),
        ("/document_type", "marker"),
        ("/standard_version", "version"),
    ]
    assert all("occupation" not in c.message for c in changes)


@pytest.mark.parametrize(
    ("edit", "code", "pointer"),
    [
        ({"standard_version": "1.2"}, "upgrade.newer_version", "/standard_version"),
        ({"standard_version": "2.0"}, "upgrade.newer_version", "/standard_version"),
        ({"standard_version": "0.9"}, "upgrade.unknown_version", "/standard_version"),
        ({"record_status": "open"}, "upgrade.invalid_document", ""),
        ({"updated_at": "2023-02-01T10:00:00+02:00"}, "upgrade.invalid_document", "/updated_at"),
    ],
)
def test_a_document_that_cannot_be_upgraded_is_refused_with_its_location(
    edit: dict[str, str], code: str, pointer: str
) -> None:
    document = json.loads((ROOT / "conformance/1.0.0/valid/case-record.compact.json").read_text("utf-8"))
    document.update(edit)
    with pytest.raises(UpgradeError) as caught:
        upgrade_document(document)
    assert (caught.value.code, caught.value.pointer) == (code, pointer)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from crsvdata.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cli_upgrades_json_lines_atomically_and_reports_pointers(tmp_path: Path) -> None:
    record = json.loads((ROOT / "conformance/1.0.0/valid/case-record.compact.json").read_text("utf-8"))
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(record) + "\n" + json.dumps(record | {"record_id": "SYNTH-CONF-0002"}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    done = _cli("upgrade", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line)["standard_version"] for line in lines] == ["1.1", "1.1"]
    assert done.stderr.count("/standard_version  version") == 2
    assert "SYNTH-CONF" not in done.stderr
    assert "SYN-SURV" not in done.stderr


def test_the_cli_refuses_a_bad_line_and_writes_nothing(tmp_path: Path) -> None:
    record = json.loads((ROOT / "conformance/1.0.0/valid/case-record.compact.json").read_text("utf-8"))
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record) + "\n" + json.dumps(record | {"standard_version": "1.7"}) + "\n")
    out = tmp_path / "out.jsonl"
    done = _cli("upgrade", str(source), "-o", str(out))
    assert done.returncode == 1
    assert f"{source}:2: /standard_version  error  upgrade.newer_version" in done.stderr
    assert not out.exists()
    assert _cli("upgrade", str(source), "-o", str(source)).returncode == 2  # never over its input
