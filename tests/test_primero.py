"""Primero import and export: every value carried, no identity in case data, bad records reported."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crsvdata.cli import main
from crsvdata.codes import load as load_codelist
from crsvdata.interop.primero import import_records
from crsvdata.interop.primero.exporter import export_records
from crsvdata.interop.primero.importer import populated
from crsvdata.interop.primero.table import load_mapping_rows, option_ids
from crsvdata.testing.primero import BAD_KINDS, IDENTITY_MARK, corrupt, primero_exports, primero_records
from tools.primero_coverage import gbv_coverage, mrm_rows, unaccounted_fields

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/primero/gbv-incidents.json"
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
ORG = "synth_ngo"
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IDENTITY_FIELDS = {
    "name",
    "name_first",
    "name_middle",
    "name_last",
    "name_nickname",
    "name_other",
    "national_id_no",
    "address_current",
    "location_current",
    "telephone_current",
    "date_of_birth",
}


def refused_fields() -> set[str]:
    return {row.field for row in load_mapping_rows() if row.target == "refused"}


def write(tmp_path: Path, value: Any, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def count_values(data: dict[str, Any]) -> int:
    """Populated values as the importer counts them: a perpetrator row's fields one by one, any other
    subform whole."""
    total = 0
    for key, value in data.items():
        if not populated(value):
            continue
        if key == "alleged_perpetrator":
            total += sum(1 for row in value for v in row.values() if populated(v))
        else:
            total += 1
    return total


# --- the mapping table --------------------------------------------------------------------------------


def test_every_field_of_the_primero_list_has_a_row() -> None:
    assert unaccounted_fields() == []
    assert sum(sum(c.values()) for c in gbv_coverage().values()) >= 150


def test_every_mapped_code_is_a_code_of_the_standard_and_every_option_is_primeros() -> None:
    lists = {
        "/survivor/sex": "sex",
        "/incidents/0/perpetrators/*/sex": "sex",
        "/survivor/displacement_status": "displacement_status",
        "/incidents/0/acts/0/form": "form_of_violence",
        "/incidents/0/acts/*/form": "form_of_violence",
        "/incidents/0/verification_status": "verification_status",
        "/incidents/0/perpetrators/*/category": "perpetrator_category",
        "/record_status": "record_status",
        "/incidents/0/gbvims_type": "gbvims_core_type",
        "/incidents/0/circumstances/place_type": "place_type",
        "/incidents/0/circumstances/time_of_day": "time_of_day",
        "/incidents/0/circumstances/displacement_stage": "displacement_stage",
        "/incidents/0/circumstances/abduction_status": "abduction_status",
        "/survivor/ethnicity": "ethnicity",
        "/survivor/religion": "religion",
        "/survivor/nationality": "country",
        "/survivor/country_of_origin": "country",
        "/survivor/marital_status": "marital_status",
        "/survivor/child_separation": "child_separation_status",
        "/incidents/0/perpetrators/*/nationality": "country",
        "/incidents/0/perpetrators/*/age_group": "perpetrator_age_group",
        "/incidents/0/perpetrators/*/relationship": "perpetrator_relationship",
    }
    booleans = {row.path for row in load_mapping_rows() if row.transform == "boolean"}
    for row in (*load_mapping_rows(), *mrm_rows()):
        if row.option and row.target == "mapped" and row.transform == "" and row.path in lists:
            codes = {c.code for c in load_codelist(lists[row.path]).rows}
            assert row.code in codes, (row.field, row.option)
        elif row.option and row.target == "mapped" and row.path in booleans:
            assert row.code in ("true", "false"), (row.field, row.option)
        elif row.option and row.target == "mapped":
            raise AssertionError(f"no code list checked for {row.path}")
    for row in load_mapping_rows():
        if row.option:
            context = "perpetrator" if row.section == "alleged_perpetrator" else "record"
            assert row.option in (option_ids(context, row.field) or ()), (row.field, row.option)


def test_a_code_maps_back_to_one_option_only() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for row in load_mapping_rows():
        if row.option and row.target == "mapped":
            key = (row.section, row.field, row.code)
            assert key not in seen, (row.field, row.option, seen.get(key))
            seen[key] = row.option


def test_no_pending_row_is_left() -> None:
    assert [row.field for row in load_mapping_rows() if "pending 1.1" in row.note] == []


# --- the 1.1 fields -------------------------------------------------------------------------------------


def import_one(tmp_path: Path, data: dict[str, Any]) -> tuple[Any, Any]:
    result = import_records(write(tmp_path, [data]), organisation=ORG, imported_at=WHEN)
    assert result.bad_records == 0, result.report()
    return result.cases[0], result.records[0]


def test_the_1_1_fields_are_filled_from_primero(tmp_path: Path) -> None:
    data = {
        "id": "SYNTH-0001",
        "status": "closed",
        "incident_timeofday": "evening_night",
        "incident_location_type": "clients_home",
        "displacement_incident": "during_flight",
        "abduction_status_time_of_incident": "other_abduction_kidnapping",
        "goods_money_exchanged": True,
        "gbv_previous_incidents": "false",
        "maritial_status": "married_cohabitating",
        "unaccompanied_separated_status": "unaccompanied_minor",
        "country_of_origin": "uk",
        "gbv_sexual_violence_type": "rape",
        "alleged_perpetrator": [
            {
                "primary_perpetrator": "secondary",
                "age_group": "61+",
                "age_type": "adult",
                "perpetrator_relationship": "no_relation",
            }
        ],
    }
    case, report = import_one(tmp_path, data)
    document = case.to_json_dict()
    incident = document["incidents"][0]
    assert document["record_status"] == "closed"
    assert incident["circumstances"] == {
        "time_of_day": "evening_night",
        "place_type": "survivor_home",
        "displacement_stage": "during_flight",
        "abduction_status": "other_abduction_or_kidnapping",
        "goods_or_money_exchanged": True,
        "previous_incidents": False,
    }
    assert document["survivor"]["marital_status"] == "married_cohabiting"
    assert document["survivor"]["child_separation"] == "unaccompanied"
    assert document["survivor"]["country_of_origin"] == "GB"
    assert incident["gbvims_type"] == "rape"
    assert incident["acts"] == [{"form": "rape"}]
    assert "/incidents/0/acts" in document["extensions"]["crsvdata:defaulted"]
    perpetrator = incident["perpetrators"][0]
    assert (perpetrator["primary"], perpetrator["age_group"], perpetrator["minor"]) == (
        False,
        "age_61_plus",
        False,
    )
    assert perpetrator["relationship"] == "no_relation"
    assert report.counts["mapped"] == 15
    assert report.counts["extension"] == 1  # the record id
    [back] = export_records([case])
    assert normalised({"id": back["id"], **back["data"]}, set()) == normalised(data, set())


def test_an_option_without_a_code_stays_an_extension_of_a_mapped_field(tmp_path: Path) -> None:
    data = {
        "id": "SYNTH-0002",
        "status": "duplicate",
        "incident_location_type": "market",
        "ethnicity": "ethnicity3",
        "gbv_sexual_violence_type": "non-gbv",
        "alleged_perpetrator": [{"age_type": "unknown"}],
    }
    case, report = import_one(tmp_path, data)
    document = case.to_json_dict()
    incident = document["incidents"][0]
    assert "record_status" not in document
    assert "circumstances" not in incident
    assert "ethnicity" not in document["survivor"]
    assert "gbvims_type" not in incident
    assert {k: incident["extensions"][k] for k in incident["extensions"]} == {
        "primero:status": "duplicate",
        "primero:incident_location_type": "market",
        "primero:ethnicity": "ethnicity3",
        "primero:gbv_sexual_violence_type": "non-gbv",
    }
    assert incident["perpetrators"][0]["extensions"] == {"primero:age_type": "unknown"}
    assert report.counts["extension"] == 6  # and the record id
    assert report.counts["mapped"] == 0
    [back] = export_records([case])
    assert normalised({"id": back["id"], **back["data"]}, set()) == normalised(data, set())


def test_an_age_type_contradicting_the_age_group_is_kept_as_an_extension(tmp_path: Path) -> None:
    data = {"id": "SYNTH-0003", "alleged_perpetrator": [{"age_group": "12_17", "age_type": "adult"}]}
    case, report = import_one(tmp_path, data)
    perpetrator = case.to_json_dict()["incidents"][0]["perpetrators"][0]
    assert perpetrator["age_group"] == "age_12_17"
    assert "minor" not in perpetrator
    assert perpetrator["extensions"] == {"primero:age_type": "adult"}
    assert (report.counts["mapped"], report.counts["extension"]) == (1, 2)  # and the record id
    assert {
        "field": "alleged_perpetrator/0/age_type",
        "outcome": "extension",
        "reason": "contradicts the age group",
    } in report.unmapped
    [back] = export_records([case])
    assert back["data"]["alleged_perpetrator"] == data["alleged_perpetrator"]


def test_a_gbvims_type_other_than_the_acts_give_is_kept_with_a_warning_only(tmp_path: Path) -> None:
    from crsvdata.findings import Severity
    from crsvdata.models._base import collect_rule_findings
    from crsvdata.parse import parse_case_record

    case, _ = import_one(tmp_path, {"id": "SYNTH-0004", "gbv_sexual_violence_type": "sexual_assault"})
    document = case.to_json_dict()
    assert document["incidents"][0]["gbvims_type"] == "sexual_assault"
    document["incidents"][0]["acts"] = [{"form": "rape"}]
    findings = list(collect_rule_findings(parse_case_record(document)))
    mismatch = [f for f in findings if f.code == "incident.gbvims_type_mismatch"]
    assert [f.severity for f in mismatch] == [Severity.WARNING]
    assert not [f for f in findings if f.severity is Severity.ERROR]


# --- carried, separated, round-tripped ----------------------------------------------------------------


@SETTINGS
@given(primero_exports())
def test_every_populated_value_is_carried_and_counted(export: tuple[Any, list[dict[str, Any]]]) -> None:
    import tempfile

    shaped, records = export
    with tempfile.TemporaryDirectory() as folder:
        result = import_records(write(Path(folder), shaped), organisation=ORG, imported_at=WHEN)
    assert result.bad_records == 0, result.report()
    assert len(result.cases) == len(records)
    for report, data in zip(result.records, records, strict=True):
        assert sum(report.counts.values()) == count_values(data)
        refused = {k for k in data if k in refused_fields() and populated(data[k])}
        assert report.counts["refused"] == len(refused)


@SETTINGS
@given(primero_exports())
def test_no_identity_value_reaches_case_data(export: tuple[Any, list[dict[str, Any]]]) -> None:
    import tempfile

    shaped, records = export
    with tempfile.TemporaryDirectory() as folder:
        result = import_records(write(Path(folder), shaped), organisation=ORG, imported_at=WHEN)
    cases_text = "\n".join(case.to_json() for case in result.cases)
    identities_text = "\n".join(identity.to_json() for identity in result.identities)
    assert IDENTITY_MARK not in cases_text
    for data in records:
        for field in IDENTITY_FIELDS & data.keys():
            value = data[field]
            assert json.dumps(value, ensure_ascii=False).strip('"') not in cases_text, field
            assert json.dumps(value, ensure_ascii=False).strip('"') in identities_text, field


def normalised(data: dict[str, Any], drop: set[str]) -> dict[str, Any]:
    """Primero's equivalent spellings made one: yes/no as strings, timestamps as instants."""

    def one(value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and len(value) > 19 and value[10] == "T":
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        if isinstance(value, list):
            return [one(v) for v in value]
        if isinstance(value, dict):
            return {k: one(v) for k, v in value.items() if populated(v)}
        return value

    return {k: one(v) for k, v in data.items() if populated(v) and k not in drop}


@SETTINGS
@given(st.lists(primero_records(), min_size=1, max_size=3))
def test_import_then_export_gives_back_every_carried_value(records: list[dict[str, Any]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = import_records(write(Path(folder), records), organisation=ORG, imported_at=WHEN)
    exported = export_records(result.cases, result.identities)
    for row, data in zip(exported, records, strict=True):
        back = {"id": row["id"], **row["data"]}
        assert normalised(back, set()) == normalised(data, refused_fields())


def test_incidents_of_one_survivor_keep_their_own_identity_on_the_way_back(tmp_path: Path) -> None:
    first = {
        "id": "SYNTH-0001",
        "survivor_code": "SYNTH-SURV-0001",
        "name_first": f"Synthia {IDENTITY_MARK}-1",
    }
    second = {
        "id": "SYNTH-0002",
        "survivor_code": "SYNTH-SURV-0001",
        "name_first": f"Testana {IDENTITY_MARK}-2",
    }
    result = import_records(write(tmp_path, [first, second]), organisation=ORG, imported_at=WHEN)
    back = list(export_records(result.cases, result.identities))
    assert [row["data"]["name_first"] for row in back] == [first["name_first"], second["name_first"]]


def test_the_example_export_imports_whole() -> None:
    result = import_records(EXAMPLE, organisation=ORG, imported_at=WHEN)
    assert result.bad_records == 0
    assert len(result.cases) == len(json.loads(EXAMPLE.read_text())) > 1


# --- bad records ----------------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(primero_records(), min_size=2, max_size=3), st.sampled_from(BAD_KINDS), st.data())
def test_every_bad_record_is_reported_with_its_position_and_field(
    records: list[dict[str, Any]], kind: str, data: st.DataObject
) -> None:
    import tempfile

    position = data.draw(st.integers(0, len(records) - 1))
    records[position], field = corrupt(records[position], kind)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), records)
        result = import_records(path, organisation=ORG, imported_at=WHEN)
        cli = CliRunner().invoke(
            main,
            [
                "import",
                "primero",
                str(path),
                "--cases",
                f"{folder}/c.jsonl",
                "--identities",
                f"{folder}/i.jsonl",
                "--report",
                f"{folder}/r.json",
                "--organisation",
                ORG,
            ],
        )
        report = json.loads(Path(folder, "r.json").read_text())
    assert cli.exit_code == 1
    assert f"[{position}]: {field}" in cli.output
    bad = [r for r in result.records if r.errors]
    assert [r.position for r in bad] == [position]
    assert bad[0].errors[0] == {"field": field, "code": f"primero.{kind}"}
    assert len(result.cases) == len(records) - 1
    assert report["bad_records"] == 1
    assert "SYNTH" not in json.dumps(report["records"][position]["errors"])


def test_a_json_lines_export_reports_the_line_of_a_bad_record(tmp_path: Path) -> None:
    good = json.loads(EXAMPLE.read_text())[0]
    bad = {**good["data"], "id": good["id"], "sex": "synth_not_a_sex"}
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(bad) + "\n")
    result = import_records(path, organisation=ORG, imported_at=WHEN)
    assert result.input_errors[0]["line"] == 2
    assert [(r.line, r.errors) for r in result.records if r.errors] == [
        (3, [{"field": "sex", "code": "primero.unknown_option"}])
    ]


# --- the command line -----------------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_cli_import_and_export_round_trip(tmp_path: Path) -> None:
    cases, identities, report, out = (tmp_path / n for n in ("c.jsonl", "i.jsonl", "r.json", "back.json"))
    result = run(
        "import",
        "primero",
        str(EXAMPLE),
        "--cases",
        str(cases),
        "--identities",
        str(identities),
        "--report",
        str(report),
        "--organisation",
        ORG,
    )
    assert result.exit_code == 0, result.output
    assert IDENTITY_MARK not in cases.read_text()
    assert IDENTITY_MARK in identities.read_text()
    assert IDENTITY_MARK not in report.read_text()
    result = run("export", "primero", str(cases), "--identities", str(identities), "--out", str(out))
    assert result.exit_code == 0, result.output
    original = json.loads(EXAMPLE.read_text())
    back = json.loads(out.read_text())
    for before, after in zip(original, back, strict=True):
        assert normalised({"id": before["id"], **before["data"]}, refused_fields()) == normalised(
            {"id": after["id"], **after["data"]}, set()
        )


@pytest.mark.parametrize(
    ("content", "code"),
    [(b'[{"id": 1,', "input.invalid_json"), (b"\xff\xfe[\x00]\x00", "input.utf16"), (b"", "input.empty")],
)
def test_cli_unreadable_input_is_located_and_exits_2(tmp_path: Path, content: bytes, code: str) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(content)
    result = run(
        "import",
        "primero",
        str(source),
        "--cases",
        str(tmp_path / "c"),
        "--identities",
        str(tmp_path / "i"),
        "--report",
        str(tmp_path / "r"),
        "--organisation",
        ORG,
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert code.split(".")[0] in result.output
    assert not (tmp_path / "c").exists()


def test_cli_refuses_identities_on_standard_output_and_outputs_over_inputs(tmp_path: Path) -> None:
    base = ["import", "primero", str(EXAMPLE), "--report", str(tmp_path / "r"), "--organisation", ORG]
    assert run(*base, "--cases", str(tmp_path / "c"), "--identities", "-").exit_code == 2
    assert run(*base, "--cases", str(EXAMPLE), "--identities", str(tmp_path / "i")).exit_code == 2
    assert run(*base, "--cases", str(tmp_path / "c"), "--identities", str(tmp_path / "c")).exit_code == 2
