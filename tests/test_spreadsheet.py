"""Case records <-> workbooks: lossless round trips (XLSX and CSV), no formula ever, located errors."""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Final

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from crsvdata.interop.spreadsheet import (
    SpreadsheetError,
    flatten,
    flatten_identities,
    read_workbook,
    unflatten,
    validate_workbook,
    write_workbook,
)
from crsvdata.interop.spreadsheet.cells import FORMULA_TRIGGERS
from crsvdata.interop.spreadsheet.headings import FIELD_TITLES
from crsvdata.interop.spreadsheet.layout import Sheet, case_layout, identity_layout
from crsvdata.interop.spreadsheet.xlsx import xml_safe
from crsvdata.models.case import CaseRecord
from crsvdata.models.extensions import EXTENSION_KEY_PATTERN
from crsvdata.models.identity import IdentityRecord
from crsvdata.models.json_rules import models_in
from crsvdata.testing import case_records, identity_records

EXAMPLES: Final = Path(__file__).parents[1] / "examples"
SYNTHETIC: Final = [
    json.loads(line) for line in (EXAMPLES / "synthetic/case-records.jsonl").read_text("utf-8").splitlines()
]
HOSTILE: Final = (
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(A1)",
    "\t=tabbed",
    "\r=carriage",
    "'quoted",
    "''",
    '=HYPERLINK("http://synthetic.invalid","x")',
    "_x0041_ looks like an escape",
    "line\r\nbreak\rand\nmore",
    "  spaces kept  ",
)


def _text_without_surrogates() -> st.SearchStrategy[str]:
    return st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


_JSON_VALUES: Final = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _text_without_surrogates(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(_text_without_surrogates(), inner, max_size=3)
    ),
    max_leaves=6,
)
_EXTENSIONS: Final = st.dictionaries(
    st.from_regex(EXTENSION_KEY_PATTERN, fullmatch=True), _JSON_VALUES, min_size=1, max_size=3
)


@st.composite
def records_with_extensions(draw: st.DrawFn) -> CaseRecord:
    """A 1.0 or 1.1 case record, with extensions on the record and its incidents, and free text drawn
    from the whole of Unicode (control characters, formula triggers) where the model allows it."""
    record = draw(case_records(draw(st.sampled_from(["1.0", "1.1"]))))
    document = record.to_json_dict()
    if document["standard_version"] != "1.0" and draw(st.booleans()):
        document["extensions"] = draw(_EXTENSIONS)
        for incident in document["incidents"]:
            if draw(st.booleans()):
                incident["extensions"] = draw(_EXTENSIONS)
            if draw(st.booleans()):
                incident["narrative"] = draw(st.sampled_from(HOSTILE) | _text_without_surrogates())
    try:
        return CaseRecord.model_validate(document)
    except ValidationError:
        return record  # a drawn text the model refuses (a rule on narratives): the record as drawn


def _round_trip(records: list[CaseRecord], as_csv: bool) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("book" if as_csv else "book.xlsx")
        write_workbook(flatten(records), path, csv=as_csv)
        result = unflatten(read_workbook(path))
    assert result.issues == []
    return result.documents


@settings(max_examples=25, deadline=None)
@given(
    st.lists(records_with_extensions(), min_size=1, max_size=3, unique_by=lambda r: r.record_id),
    st.booleans(),
)
def test_unflatten_flatten_is_the_identity(records: list[CaseRecord], as_csv: bool) -> None:
    documents = _round_trip(records, as_csv)
    assert documents == [record.to_json_dict() for record in records]
    assert [CaseRecord.model_validate(document) for document in documents] == records


@settings(max_examples=10, deadline=None)
@given(
    st.lists(identity_records(), min_size=1, max_size=3, unique_by=lambda r: r.survivor_ref), st.booleans()
)
def test_identity_records_round_trip_in_their_own_workbook(
    records: list[IdentityRecord], as_csv: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("ids" if as_csv else "ids.xlsx")
        write_workbook(flatten_identities(records), path, csv=as_csv)
        book = read_workbook(path)
        result = unflatten(book)
    assert "cases" not in {table.name for table in book.tables}
    assert result.issues == []
    assert result.kind == "identity-record"
    assert result.documents == [record.to_json_dict() for record in records]


def test_the_bundled_examples_round_trip_exactly_as_written(tmp_path: Path) -> None:
    write_workbook(flatten(SYNTHETIC, lang="uk"), tmp_path / "uk.xlsx")
    assert unflatten(read_workbook(tmp_path / "uk.xlsx")).documents == SYNTHETIC


def _objects(document: dict[str, Any], sheet: Sheet) -> Iterator[dict[str, Any]]:
    level: list[dict[str, Any]] = [document]
    for key in sheet.path:
        nxt: list[dict[str, Any]] = []
        for obj in level:
            holder: Any = obj
            for part in key.split("/"):
                holder = holder.get(part) if isinstance(holder, dict) else None
            nxt.extend(holder or ())
        level = nxt
    yield from level


def _with_value(document: dict[str, Any], sheet: Sheet, key: str, value: str) -> dict[str, Any] | None:
    """A copy of ``document`` with ``value`` at ``key`` of the first ``sheet`` object, if still valid."""
    changed = copy.deepcopy(document)
    for obj in _objects(changed, sheet):
        *parents, last = key.split("/")
        holder = obj
        for part in parents:
            holder = holder.setdefault(part, {})
        holder[last] = value
        try:
            CaseRecord.model_validate(changed)
        except ValidationError:
            return None
        return changed
    return None


def _seeded() -> dict[str, Any]:
    """A synthetic record with an object on every sheet a free text can sit on (external ids and all)."""
    from crsvdata.codes.enums import ExternalIdentifierScheme

    document = copy.deepcopy(next(d for d in SYNTHETIC if any(i.get("perpetrators") for i in d["incidents"])))
    external = [{"scheme": next(iter(ExternalIdentifierScheme)).value, "value": "SYNTH-EXT-1"}]
    document["external_identifiers"] = external
    document["reported_elsewhere"] = [{"to_organisation": "unfpa"}]
    for incident in document["incidents"]:
        incident["external_identifiers"] = copy.deepcopy(external)
        for perpetrator in incident.get("perpetrators", ()):
            perpetrator["external_identifiers"] = copy.deepcopy(external)
    CaseRecord.model_validate(document)
    return document


def _generated_bases(count: int) -> list[dict[str, Any]]:
    """Generated records, richer than the bundled ones (proceedings, reparations, referrals...)."""
    found: list[dict[str, Any]] = []

    # Whole records per example: slow by nature; they are only collected here.
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case_records())
    def collect(record: CaseRecord) -> None:
        found.append(record.to_json_dict())

    collect()
    return found


def _with_referral_external_ids(document: dict[str, Any]) -> dict[str, Any]:
    from crsvdata.codes.enums import ExternalIdentifierScheme

    scheme = next(iter(ExternalIdentifierScheme)).value
    for referral in document.get("referrals", ()):
        referral["external_identifiers"] = [{"scheme": scheme, "value": "SYNTH-EXT-2"}]
    return document


def _hostile_documents() -> list[tuple[str, dict[str, Any]]]:
    bases = [_seeded(), *map(_with_referral_external_ids, _generated_bases(120))]
    cases = []
    for sheet in case_layout():
        for column in sheet.columns:
            if column.kind != "text":
                continue
            for value in HOSTILE:
                changed = next(
                    (c for base in bases if (c := _with_value(base, sheet, column.key, value)) is not None),
                    None,
                )
                if changed is not None:
                    cases.append((f"{sheet.name}/{column.key}", changed))
    return cases


HOSTILE_DOCUMENTS: Final = _hostile_documents()


def _field_type(sheet: Sheet, key: str) -> Any:
    """The type (with its constraints) of the model field a column holds, walked from the case record."""
    model: type[BaseModel] = CaseRecord
    parts = [part for step in sheet.path for part in step.split("/")] + key.split("/")
    annotation: Any = None
    for part in parts:
        info = model.model_fields[part]
        annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        nested = models_in(info.annotation)
        if nested:
            model = nested[0]
    return annotation


def _refuses_every_hostile_text(annotation: Any) -> bool:
    adapter = TypeAdapter(annotation)
    for value in HOSTILE:
        try:
            adapter.validate_python(value, strict=True)
        except ValidationError:
            continue
        return False
    return True


def test_every_free_text_field_is_exercised() -> None:
    exercised = {name for name, _ in HOSTILE_DOCUMENTS}
    assert {"incidents/narrative", "perpetrators/unit_name", "external_ids/value"} <= exercised
    # Every other text column is one whose type refuses each hostile string (a pattern, a code, an id):
    # no text that a spreadsheet could run can ever be written there.
    unexercised = [
        (sheet.name, column.key)
        for sheet in case_layout()
        for column in sheet.columns
        if column.kind == "text" and f"{sheet.name}/{column.key}" not in exercised
    ]
    can_hold_hostile_text = [
        f"{name}/{key}"
        for name, key in unexercised
        if not _refuses_every_hostile_text(_field_type(_sheet(name), key))
    ]
    assert can_hold_hostile_text == []


def _sheet(name: str) -> Sheet:
    return next(sheet for sheet in case_layout() if sheet.name == name)


@pytest.mark.parametrize("as_csv", [False, True], ids=["xlsx", "csv"])
def test_hostile_text_is_never_a_formula_and_reads_back_equal(tmp_path: Path, as_csv: bool) -> None:
    documents = []
    for number, (_, document) in enumerate(HOSTILE_DOCUMENTS):
        documents.append({**document, "record_id": f"SYNTH-HOSTILE-{number:04d}"})
    path = tmp_path / ("book" if as_csv else "book.xlsx")
    write_workbook(flatten(documents), path, csv=as_csv)
    if as_csv:
        for csv_file in path.glob("*.csv"):
            for row in __import__("csv").reader(csv_file.read_text("utf-8-sig").splitlines()):
                assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row), csv_file.name
    else:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                    assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS))
    result = unflatten(read_workbook(path))
    assert result.issues == []
    assert result.documents == documents


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_xml_safe_leaves_no_character_xml_cannot_carry(text: str) -> None:
    escaped = xml_safe(text)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in escaped)
    assert "\r" not in escaped


def test_layout_counts_titles_and_sheet_names() -> None:
    for layout in (case_layout(), identity_layout()):
        names = [sheet.name for sheet in layout]
        assert len(set(names)) == len(names)
        assert all(len(name) <= 31 for name in names)
        for sheet in layout:
            for lang in ("en", "uk"):
                titles = [column.title(lang) for column in sheet.all_columns]
                assert len(set(titles)) == len(titles), (sheet.name, lang)
            for column in sheet.all_columns:
                assert all(part in FIELD_TITLES for part in column.key.split("/")), column.key
                assert any("а" <= ch <= "я" or ch in "іїєґ" for ch in column.title_uk.lower()), column.key
    assert {sheet.name for sheet in case_layout()} >= {
        "cases",
        "incidents",
        "acts",
        "perpetrator_external_ids",
    }


def test_dates_are_real_dates_and_partial_dates_stay_text(tmp_path: Path) -> None:
    document = copy.deepcopy(SYNTHETIC[0])
    document["incidents"][0]["incident_date"] = {"start": "2024", "end": "2024-04"}
    document["incidents"][0].pop("reported_on", None)
    second = {**copy.deepcopy(SYNTHETIC[0]), "record_id": "SYNTH-DATES-2"}
    second["incidents"][0]["incident_date"] = {"start": "2024-03-14"}
    CaseRecord.model_validate(document), CaseRecord.model_validate(second)
    write_workbook(flatten([document, second]), tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["incidents"]
    headings = [cell.value for cell in sheet[1]]
    start = headings.index("Incident date / Start") + 1
    values = [sheet.cell(row, start).value for row in range(2, sheet.max_row + 1)]
    assert "2024" in values
    assert any(getattr(v, "year", None) == 2024 and not isinstance(v, str) for v in values)
    created = openpyxl.load_workbook(tmp_path / "b.xlsx")["cases"]
    assert created["A1"].font.bold
    assert created.freeze_panes == "A2"
    assert created.data_validations.dataValidation, "code columns offer drop-downs"
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["codelists"].sheet_state == "hidden"


# Bad workbooks: each problem is an issue with the sheet, column letter and row.


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "cases.xlsx"
    write_workbook(flatten(SYNTHETIC[:3]), path)
    return path


def _column(sheet: Any, heading: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == heading)


def _issues(path: Path) -> list[tuple[str, str | None]]:
    return [
        (issue.code, issue.cell)
        for issue in validate_workbook(path).issues
        if issue.severity.value == "error"
    ]


def _edit(path: Path, change: Any) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def test_unknown_heading(tmp_path: Path) -> None:
    path = _edit(_written(tmp_path), lambda b: b["cases"].cell(1, 3, "Favourite colour"))
    assert ("spreadsheet.unknown_heading", "cases!C1") in _issues(path)


def test_code_not_in_the_list(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["cases"]
        sheet.cell(3, _column(sheet, "Survivor / Sex"), "not_a_sex")

    path = _edit(_written(tmp_path), change)
    issues = _issues(path)
    sheet = openpyxl.load_workbook(path)["cases"]
    letter = openpyxl.utils.get_column_letter(_column(sheet, "Survivor / Sex"))
    assert ("spreadsheet.unknown_code", f"cases!{letter}3") in issues


def test_a_number_or_date_where_text_is_expected_and_the_reverse(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["incidents"]
        start = sheet.cell(2, _column(sheet, "Incident date / Start"), 2024)  # Excel made "2024" a number
        start.number_format = "General"
        sheet.cell(2, _column(sheet, "Location / KATOTTH"), __import__("datetime").date(2024, 3, 1))
        cases = book["cases"]
        cases.cell(2, _column(cases, "Created at"), 45000.5)

    path = _edit(_written(tmp_path), change)
    issues = _issues(path)
    sheet = openpyxl.load_workbook(path)["incidents"]
    start = openpyxl.utils.get_column_letter(_column(sheet, "Incident date / Start"))
    katotth = openpyxl.utils.get_column_letter(_column(sheet, "Location / KATOTTH"))
    assert ("spreadsheet.wrong_cell_type", f"incidents!{start}2") in issues
    assert ("spreadsheet.wrong_cell_type", f"incidents!{katotth}2") in issues
    assert any(
        code == "spreadsheet.wrong_cell_type" and cell and cell.startswith("cases!") for code, cell in issues
    )


def test_text_where_a_date_is_expected(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["consents"]
        sheet.cell(2, _column(sheet, "Given on"), "last spring")

    path = _edit(_written(tmp_path), change)
    letter = openpyxl.utils.get_column_letter(_column(openpyxl.load_workbook(path)["consents"], "Given on"))
    assert ("spreadsheet.bad_value", f"consents!{letter}2") in _issues(path)


def test_merged_cells(tmp_path: Path) -> None:
    path = _edit(_written(tmp_path), lambda b: b["incidents"].merge_cells("D2:E3"))
    assert ("spreadsheet.merged_cells", "incidents!D2") in _issues(path)


def test_broken_id_join(tmp_path: Path) -> None:
    path = _edit(_written(tmp_path), lambda b: b["acts"].cell(2, 1, "SYNTH-NO-SUCH-RECORD"))
    assert ("spreadsheet.broken_join", "acts!A2") in _issues(path)


def test_duplicate_identifier(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["cases"]
        sheet.cell(3, 2, sheet.cell(2, 2).value)

    path = _edit(_written(tmp_path), change)
    assert ("spreadsheet.duplicate_key", "cases!B3") in _issues(path)


def test_rule_errors_carry_the_cell_beside_the_pointer(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["cases"]
        sheet.cell(2, _column(sheet, "Updated at"), "2000-01-01T00:00:00+00:00")

    path = _edit(_written(tmp_path), change)
    report = validate_workbook(path)
    letter = openpyxl.utils.get_column_letter(_column(openpyxl.load_workbook(path)["cases"], "Updated at"))
    found = [issue for issue in report.errors if issue.code == "record.updated_before_created"]
    assert found
    assert found[0].cell == f"cases!{letter}2"
    assert found[0].pointer == "/updated_at"
    assert found[0].to_dict()["cell"] == f"cases!{letter}2"
    assert not report.valid


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"record_id,sex\nSYNTH-1,female\n")
    assert _issues(path) == [("spreadsheet.not_a_workbook", None)]
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert _issues(tmp_path / "broken.xlsx")[0][0] == "spreadsheet.not_a_workbook"


def test_an_encrypted_workbook(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _written(tmp_path)
    encrypted = tmp_path / "encrypted.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("synthetic-password", target)
    with pytest.raises(SpreadsheetError) as info:
        read_workbook(encrypted)
    assert info.value.code == "spreadsheet.encrypted"
    assert "synthetic-password" not in info.value.message


def test_a_csv_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    write_workbook(flatten(SYNTHETIC[:3]), folder, csv=True)
    text = (folder / "cases.csv").read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    lines[2] = lines[2].replace(",", ",Тестенко", 1)  # a Cyrillic word, saved as Windows-1251
    (folder / "cases.csv").write_bytes("\r\n".join(lines).encode("cp1251"))
    assert _issues(folder) == [("spreadsheet.not_utf8", "cases!B3")]


def test_identity_sheets_in_a_case_workbook_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    write_workbook(flatten(SYNTHETIC[:2]), folder, csv=True)
    (folder / "identities.csv").write_text("Survivor reference\r\nSYN-SURV-000001\r\n", "utf-8-sig")
    assert ("spreadsheet.identity_in_case_workbook", "identities!A1") in _issues(folder)


def test_ukrainian_headings_are_read(tmp_path: Path) -> None:
    write_workbook(flatten(SYNTHETIC[:2], lang="uk"), tmp_path / "uk.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "uk.xlsx")["incidents"]
    assert "Дата інциденту / Початок" in [cell.value for cell in sheet[1]]
    assert validate_workbook(tmp_path / "uk.xlsx").valid


@pytest.mark.parametrize("extra", [[], ["--lang", "uk", "--csv"]], ids=["xlsx", "uk-csv"])
def test_cli_flatten_then_unflatten_gives_the_same_records(tmp_path: Path, extra: list[str]) -> None:
    from click.testing import CliRunner

    from crsvdata.cli import main

    source = EXAMPLES / "synthetic/case-records.jsonl"
    book = tmp_path / ("book" if extra else "book.xlsx")
    result = CliRunner().invoke(main, ["flatten", str(source), str(book), *extra])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["unflatten", str(book), str(tmp_path / "back.jsonl")])
    assert result.exit_code == 0, result.output
    back = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text("utf-8").splitlines()]
    assert back == SYNTHETIC


def test_cli_flatten_keeps_identity_records_out_of_the_case_workbook(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crsvdata.cli import main

    package = EXAMPLES / "packages/referral-package.json"
    result = CliRunner().invoke(main, ["flatten", str(package), str(tmp_path / "c.xlsx")])
    assert result.exit_code == 1
    assert "spreadsheet.identity_in_case_workbook" in result.output
    assert not (tmp_path / "c.xlsx").exists()
    args = ["flatten", str(package), str(tmp_path / "c.xlsx"), "--identity-output", str(tmp_path / "i.xlsx")]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert [t.name for t in read_workbook(tmp_path / "c.xlsx").tables if t.name == "identities"] == []
    assert unflatten(read_workbook(tmp_path / "i.xlsx")).kind == "identity-record"


def test_cli_validate_locates_issues_by_cell(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crsvdata.cli import main

    path = _edit(_written(tmp_path), lambda b: b["acts"].cell(2, 1, "SYNTH-NO-SUCH-RECORD"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "acts!A2" in result.output
    assert "spreadsheet.broken_join" in result.output
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    issues = json.loads(result.output)["files"][0]["issues"]
    assert {"code": "spreadsheet.broken_join", "cell": "acts!A2"}.items() <= issues[0].items()
    assert "SYNTH-NO-SUCH-RECORD" not in result.output


def test_a_missing_value_is_located_at_the_cell_it_belongs_in(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        sheet = book["cases"]
        sheet.cell(3, _column(sheet, "Survivor / Sex")).value = None
        incidents = book["incidents"]
        incidents.cell(2, _column(incidents, "Contexts"), "occupation not_a_context")

    path = _edit(_written(tmp_path), change)
    book = openpyxl.load_workbook(path)
    sex = openpyxl.utils.get_column_letter(_column(book["cases"], "Survivor / Sex"))
    contexts = openpyxl.utils.get_column_letter(_column(book["incidents"], "Contexts"))
    located = {(issue.code, issue.pointer, issue.cell) for issue in validate_workbook(path).errors}
    assert ("schema.required", "/survivor/sex", f"cases!{sex}3") in located
    assert any(
        code == "spreadsheet.unknown_code" and cell == f"incidents!{contexts}2" for code, _, cell in located
    )
