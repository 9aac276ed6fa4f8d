"""A stand-in for a case worker filling the generated XLSForm and for KoboToolbox exporting the submission.

It reads the form back from the written workbook (questions, groups, repeats, member pointers, choices,
choice filters), answers each question from a record's JSON form, and says which members of the record
no question carried. It is independent of the importer: it shares only the form itself.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crsvdata.interop.xlsform.form import DATE_PRECISION, YES_NO, FormSheets
from crsvdata.interop.xlsform.shape import FormShape, Question, form_shape

_FILTER = re.compile(r"^([a-z_]+) = \$\{([a-z_]+)\}$")


@dataclass
class Filled:
    """One filled form: answers by question (and repeat entries), and the record members carried."""

    answers: dict[str, str] = field(default_factory=dict)
    repeats: dict[str, list[Filled]] = field(default_factory=dict)


def _get(document: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        if isinstance(document, list):
            document = document[int(part)] if int(part) < len(document) else None
        elif isinstance(document, dict):
            document = document.get(part)
        else:
            return None
    return document


def leaves(document: Any, pointer: str = "") -> list[str]:
    """The pointers of every scalar, and of every list of scalars, in a JSON value."""
    if isinstance(document, dict):
        return [leaf for key, value in document.items() for leaf in leaves(value, f"{pointer}/{key}")]
    if isinstance(document, list) and document and all(isinstance(item, dict) for item in document):
        return [leaf for i, item in enumerate(document) for leaf in leaves(item, f"{pointer}/{i}")]
    return [pointer]


def _first_day(partial: str) -> str:
    return partial + {4: "-01-01", 7: "-01"}.get(len(partial), "")


def _kobo_time(value: str) -> str:
    # Kobo writes start and end with milliseconds and the device's offset.
    moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return moment.isoformat(timespec="milliseconds")


class Simulator:
    def __init__(self, sheets: FormSheets) -> None:
        self.sheets = sheets
        self.shape: FormShape = form_shape(sheets)
        self.rows = {row["name"]: row for row in sheets.survey if "name" in row}
        self.choice_rows: dict[tuple[str, str], dict[str, str]] = {
            (row["list_name"], row["name"]): row for row in sheets.choices
        }

    def fill(self, record: dict[str, Any]) -> tuple[Filled, set[str]]:
        """The answers a case worker gives for ``record``, and the pointers of the members they carry."""
        carried: set[str] = {"/document_type", "/standard_version"}
        return self._fill(record, None, "", carried), carried

    def _fill(self, entry: dict[str, Any], repeat: str | None, base: str, carried: set[str]) -> Filled:
        filled = Filled()
        questions = self.shape.in_repeat(repeat)
        for question in questions:
            answer = self._answer(question, _get(entry, question.pointer))
            if answer is not None:
                filled.answers[question.name] = answer
        self._cascade(filled, questions, entry)
        for question in questions:
            if question.name in filled.answers:
                carried.add(base + question.pointer)
        for found in self.shape.repeats_in(repeat):
            items = _get(entry, found.pointer) or []
            filled.repeats[found.name] = [
                self._fill(item, found.name, f"{base}{found.pointer}/{i}", carried)
                for i, item in enumerate(items)
            ]
        return filled

    def _answer(self, question: Question, value: Any) -> str | None:
        if value is None:
            return None
        options = {name for (list_name, name) in self.choice_rows if list_name == question.list_name}
        if question.list_name == DATE_PRECISION:
            return {4: "year", 7: "month", 10: "day"}[len(value)]
        if question.kind == "date":
            return _first_day(value)
        if question.kind in ("start", "end"):
            return _kobo_time(value)
        if question.kind == "integer":
            return str(value)
        if question.list_name == YES_NO:
            return "yes" if value else "no"
        if question.kind == "select_one":
            return value if value in options else None
        if question.kind == "select_multiple":
            return " ".join(value) if all(code in options for code in value) else None
        if question.shape == "list":
            return " ".join(value)
        return str(value)

    def _cascade(self, filled: Filled, questions: list[Question], entry: dict[str, Any]) -> None:
        # Several selects may carry one member (raion, then hromada, for the KATOTTH code): the finest
        # select whose list has the value answers, and the selects it is filtered by answer with the
        # choice's filter column; a select that cannot hold the value stays unanswered.
        by_pointer: dict[str, list[Question]] = {}
        for question in questions:
            if question.kind == "select_one" and question.list_name != DATE_PRECISION:
                by_pointer.setdefault(question.pointer, []).append(question)
        for sharing in by_pointer.values():
            if len(sharing) < 2:
                continue
            value = _get(entry, sharing[0].pointer)
            for question in sharing:
                filled.answers.pop(question.name, None)
            finest = next((q for q in reversed(sharing) if (q.list_name, value) in self.choice_rows), None)
            if finest is None:
                continue
            filled.answers[finest.name] = value
            self._answer_filters(filled, finest.name, value)

    def _answer_filters(self, filled: Filled, name: str, value: str) -> None:
        row = self.rows[name]
        match = _FILTER.match(row.get("choice_filter", ""))
        if match is None:
            return
        column, parent = match.groups()
        list_name = row["type"].split(" ", 1)[1]
        parent_value = self.choice_rows[(list_name, value)][column]
        if parent in filled.answers and filled.answers[parent] != parent_value:
            filled.answers.pop(name)  # the cascade cannot reach this value from the parent's answer
            return
        filled.answers[parent] = parent_value
        self._answer_filters(filled, parent, parent_value)


def kobo_json(filled: Filled, shape: FormShape, position: int) -> dict[str, Any]:
    """The submission as Kobo's API returns it: group-path keys, repeats as lists, Kobo's own keys."""
    identifier = str(uuid.UUID(int=position))
    submission: dict[str, Any] = {
        "_id": position,
        "formhub/uuid": "0" * 32,
        "__version__": "vSYNTHETIC",
        "meta/instanceID": f"uuid:{identifier}",
        "_uuid": identifier,
        "_submission_time": "2026-06-30T12:00:00",
        "_attachments": [],
        "_geolocation": [None, None],
        "_tags": [],
        "_notes": [],
        "_status": "submitted_via_web",
        "_validation_status": {},
        "_submitted_by": None,
    }
    submission.update(_json_entry(filled, shape))
    return submission


def _json_entry(filled: Filled, shape: FormShape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, answer in filled.answers.items():
        question = shape.questions[name]
        out["/".join((*question.groups, name))] = answer
    for name, entries in filled.repeats.items():
        if entries:
            found = shape.repeats[name]
            out["/".join((*found.groups, name))] = [_json_entry(child, shape) for child in entries]
    return out


def kobo_csv_rows(filled: Filled, shape: FormShape, position: int, detail_columns: bool) -> dict[str, str]:
    """The submission as one row of Kobo's flat CSV export (repeat entries numbered from 1)."""
    identifier = str(uuid.UUID(int=position))
    row = {"_id": str(position), "_uuid": identifier, "meta/instanceID": f"uuid:{identifier}"}
    row.update(_csv_entry(filled, shape, (), detail_columns))
    return row


def _csv_entry(
    filled: Filled, shape: FormShape, numbered: tuple[str, ...], detail_columns: bool
) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, answer in filled.answers.items():
        question = shape.questions[name]
        path = _numbered_path(question.groups, numbered)
        column = "/".join((*path, name))
        if detail_columns and question.kind == "select_multiple":
            for code in answer.split():
                out[f"{column}/{code}"] = "1"
        else:
            out[column] = answer
    for name, entries in filled.repeats.items():
        for index, child in enumerate(entries, start=1):
            found = shape.repeats[name]
            inner = (*_numbered_path(found.groups, numbered), f"{name}[{index}]")
            out.update(_csv_entry(child, shape, inner, detail_columns))
    return out


def _numbered_path(groups: tuple[str, ...], numbered: tuple[str, ...]) -> tuple[str, ...]:
    # Inside a repeat entry the path starts with the entry's numbered path.
    depth = len(numbered)
    return (*numbered, *groups[depth:]) if depth else groups


def write_csv(rows: list[dict[str, str]], delimiter: str) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(column for column in row if column not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
