"""The structure of a generated XLSForm as the submission reader needs it: questions, groups, repeats.

Read from the form's own rows (``FormSheets``, or the survey sheet of a written workbook), so that a
question added to the form is read back without a second list to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from crsvdata.interop.xlsform.form import MEMBER, SHAPE, FormSheets

ANSWER_KINDS: Final = frozenset({"text", "integer", "date", "select_one", "select_multiple", "start", "end"})
"""Question types whose answers carry a record member; calculations and groups carry none."""


@dataclass(frozen=True)
class Question:
    """One question that carries a member: where it sits and how its answer becomes the member's value."""

    name: str
    kind: str
    list_name: str | None
    pointer: str
    """The member's JSON pointer relative to the nearest enclosing repeat's entry (or to the record)."""
    shape: str | None
    groups: tuple[str, ...]
    """The names of the enclosing groups and repeats, outermost first (Kobo's key is their path)."""
    repeat: str | None


@dataclass(frozen=True)
class Repeat:
    """A repeat group: its entries become the list at ``pointer`` in the enclosing entry."""

    name: str
    pointer: str
    groups: tuple[str, ...]
    repeat: str | None


@dataclass(frozen=True)
class FormShape:
    """What the reader knows of one form."""

    form_id: str
    questions: dict[str, Question]
    repeats: dict[str, Repeat]
    groups: frozenset[str]
    choices: dict[str, tuple[str, ...]]

    def in_repeat(self, repeat: str | None) -> list[Question]:
        return [q for q in self.questions.values() if q.repeat == repeat]

    def repeats_in(self, repeat: str | None) -> list[Repeat]:
        return [r for r in self.repeats.values() if r.repeat == repeat]


def form_shape(sheets: FormSheets) -> FormShape:
    """The questions, repeats and choices of ``sheets``, with each member pointer made whole."""
    questions: dict[str, Question] = {}
    repeats: dict[str, Repeat] = {}
    groups: set[str] = set()
    # Each open group or repeat: (name, is_repeat, member prefix it adds inside the nearest repeat).
    stack: list[tuple[str, bool, str]] = []
    for row in sheets.survey:
        kind, _, list_name = row["type"].partition(" ")
        names = tuple(name for name, _, _ in stack)
        repeat = next((name for name, is_repeat, _ in reversed(stack) if is_repeat), None)
        prefix = ""
        for _, is_repeat, member in reversed(stack):
            if is_repeat:
                break
            prefix = member + prefix
        member = row.get(MEMBER, "")
        if kind in ("begin_group", "begin_repeat"):
            if kind == "begin_repeat":
                repeats[row["name"]] = Repeat(row["name"], prefix + member, names, repeat)
            else:
                groups.add(row["name"])
            stack.append((row["name"], kind == "begin_repeat", member))
        elif kind in ("end_group", "end_repeat"):
            stack.pop()
        elif kind in ANSWER_KINDS and member:
            questions[row["name"]] = Question(
                row["name"], kind, list_name or None, prefix + member, row.get(SHAPE) or None, names, repeat
            )
    choices: dict[str, list[str]] = {}
    for choice in sheets.choices:
        choices.setdefault(choice["list_name"], []).append(choice["name"])
    return FormShape(
        sheets.settings.get("form_id", ""),
        questions,
        repeats,
        frozenset(groups),
        {name: tuple(values) for name, values in choices.items()},
    )


def read_xlsform(path: Path) -> FormSheets:
    """Read back a workbook written by ``write_xlsform`` (its three sheets, cells as text)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = FormSheets()
        sheets.survey = _rows(book["survey"])
        sheets.choices = _rows(book["choices"])
        settings = list(book["settings"].iter_rows(values_only=True))
        sheets.settings = {
            str(key): str(value) for key, value in zip(settings[0], settings[1], strict=True) if key
        }
        return sheets
    finally:
        book.close()


def _rows(sheet: Any) -> list[dict[str, str]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell) if cell is not None else "" for cell in rows[0]]
    return [
        {header[i]: str(cell) for i, cell in enumerate(row) if cell not in (None, "") and header[i]}
        for row in rows[1:]
        if any(cell not in (None, "") for cell in row)
    ]
