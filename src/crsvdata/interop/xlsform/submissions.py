"""Submissions of the crsvdata forms (KoboToolbox, ODK) turned into case records and identity records.

Two inputs are read:

- Kobo's JSON: the API's page (``{"results": [...]}``) or a list of submissions. Keys are group paths
  (``survivor/sex``); a repeat is a list of objects whose keys carry the repeat's path
  (``incidents/incident_id``, ``incidents/acts/form``); Kobo's own keys (``_id``, ``_uuid``,
  ``_submission_time``, ``meta/instanceID``, ``formhub/uuid``, ``__version__``...) are not answers. Nested
  objects per group (ODK's JSON shape) are read too.
- Kobo's CSV export (``,`` or ``;`` separated) with XML names as headings: group paths with ``/``, repeat
  entries numbered as KoboCAT's flat export numbers them (``incidents[1]/acts[2]/form``),
  select_multiple answers space-separated, or as one 1/0 column per choice.

Every answer becomes the member its question names (the form's ``bind::crsvdata:member`` column). What
cannot be mapped is reported by submission (index and uuid) and question, never by value: an answer to no
question of the form (a warning: the rest is imported), a choice the question does not have, a wrong
type, an impossible date (errors: the submission is not imported). Records are built through the models,
so each one written is valid, or the submission is reported with the model's issue codes and pointers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from crsvdata.findings import Severity
from crsvdata.interop.xlsform.form import DATE_PRECISION, YES_NO, case_form, identity_form
from crsvdata.interop.xlsform.shape import FormShape, Question, form_shape
from crsvdata.io import InputError, iter_csv_rows, load_document
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.models._types import RFC3339_DATE_TIME
from crsvdata.parse import CrsvValidationError, parse_case_record, parse_identity_record
from crsvdata.version import RECORD_STANDARD_VERSION

KOBO_KEYS: Final = frozenset(
    {
        "__version__",
        "formhub/uuid",
        "meta/instanceID",
        "meta/instanceName",
        "meta/deprecatedID",
        "meta/rootUuid",
        "meta/audit",
    }
)
"""Keys Kobo and ODK add to every submission that are no answers (besides every key starting with ``_``)."""

_SAFE_KEY: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_./:\[\]-]{0,199}$")
_UUID: Final = re.compile(
    r"^(uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_SEGMENT: Final = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)(?:\[([1-9][0-9]{0,5})\])?$")
_INTEGER: Final = re.compile(r"^-?[0-9]{1,9}$")
_DAY: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TRUE_CELLS: Final = frozenset({"1", "true", "True", "TRUE"})
_FALSE_CELLS: Final = frozenset({"0", "false", "False", "FALSE", ""})


@dataclass(frozen=True)
class Problem:
    """One value that could not be mapped (or one reason a submission is refused), never the value."""

    submission: int
    """The submission's position in the input, from 1 (the CSV line for a CSV export)."""
    uuid: str | None
    question: str
    """The question, key or column the problem is at, or a JSON pointer into the built record."""
    code: str
    severity: Severity
    message: str

    def where(self) -> str:
        return f"submission {self.submission}" + (f" ({self.uuid})" if self.uuid else "")


@dataclass
class Entry:
    """One submission, or one entry of a repeat in it: answers by question name, repeats by name."""

    answers: dict[str, Any] = field(default_factory=dict)
    repeats: dict[str, list[Entry]] = field(default_factory=dict)


@dataclass
class Submission:
    position: int
    uuid: str | None
    entry: Entry
    submitted_at: str | None = None


@dataclass
class KoboImport:
    """What ``import_submissions`` made of an input: records, and every problem by location."""

    form_id: str
    submissions: int = 0
    cases: list[CaseRecord] = field(default_factory=list)
    identities: list[IdentityRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> int:
        """How many submissions produced no record."""
        return self.submissions - len(self.cases) - len(self.identities)


class SubmissionsError(InputError):
    """The input as a whole is not submissions of a crsvdata form."""


def _shapes() -> dict[str, FormShape]:
    return {shape.form_id: shape for shape in (form_shape(case_form()), form_shape(identity_form()))}


class _Reader:
    """Turns Kobo JSON or CSV rows into entries of one form, collecting the unmappable keys."""

    def __init__(self, shape: FormShape) -> None:
        self.shape = shape
        self.problems: list[Problem] = []

    def problem(self, sub: Submission, question: str, code: str, severity: Severity, message: str) -> None:
        self.problems.append(Problem(sub.position, sub.uuid, question, code, severity, message))

    def unknown(self, sub: Submission, key: str) -> None:
        name = key if _SAFE_KEY.match(key) else "(a key that names no question)"
        self.problem(
            sub, name, "kobo.unknown_question", Severity.WARNING, "no question of the form; not imported"
        )

    # --- JSON -------------------------------------------------------------------------------------

    def json_entry(
        self, sub: Submission, data: dict[str, Any], groups: tuple[str, ...], repeat: str | None
    ) -> Entry:
        entry = Entry()
        for key, value in data.items():
            if not isinstance(key, str) or key.startswith("_") or key in KOBO_KEYS:
                continue
            parts = tuple(key.split("/"))
            name = parts[-1]
            # A key is the question's full group path (Kobo), its path inside this object (ODK's
            # nested JSON), or its bare name (a Kobo export without groups).
            if name in self.shape.repeats and self._placed(parts, self.shape.repeats[name].groups, groups):
                found = self.shape.repeats[name]
                if found.repeat != repeat or not isinstance(value, list):
                    self._wrong_place_or_type(sub, key, found.repeat != repeat)
                    continue
                children = []
                for item in value:
                    if not isinstance(item, dict):
                        self.problem(
                            sub, key, "kobo.wrong_type", Severity.ERROR, "a repeat entry is not an object"
                        )
                        continue
                    children.append(self.json_entry(sub, item, (*found.groups, name), name))
                entry.repeats[name] = children
            elif name in self.shape.groups and isinstance(value, dict):
                inner = self.json_entry(sub, value, (*groups, name), repeat)
                entry.answers.update(inner.answers)
                entry.repeats.update(inner.repeats)
            elif name in self.shape.questions and self._placed(
                parts, self.shape.questions[name].groups, groups
            ):
                question = self.shape.questions[name]
                if question.repeat != repeat:
                    self._wrong_place_or_type(sub, key, True)
                elif value is None or value == "":
                    continue
                elif isinstance(value, bool) or not isinstance(value, str | int | float):
                    self.problem(
                        sub, key, "kobo.wrong_type", Severity.ERROR, "the answer is not a text or number"
                    )
                else:
                    entry.answers[name] = str(value)
            else:
                self.unknown(sub, key)
        return entry

    @staticmethod
    def _placed(parts: tuple[str, ...], expected: tuple[str, ...], inside: tuple[str, ...]) -> bool:
        path = parts[:-1]
        return path in ((), expected) or (*inside, *path) == expected

    def _wrong_place_or_type(self, sub: Submission, key: str, place: bool) -> None:
        if place:
            self.problem(
                sub, key, "kobo.wrong_type", Severity.ERROR, "the answer is outside its repeat group"
            )
        else:
            self.problem(sub, key, "kobo.wrong_type", Severity.ERROR, "a repeat group is not a list")

    # --- CSV --------------------------------------------------------------------------------------

    def csv_entry(self, sub: Submission, row: dict[str, str]) -> Entry:
        root = Entry()
        numbered: dict[tuple[tuple[str, int], ...], Entry] = {}
        details: dict[tuple[int, str], tuple[Entry, list[str]]] = {}
        for column, cell in row.items():
            if column.startswith("_") or column in KOBO_KEYS:
                continue
            if column in ("start", "end") and column in self.shape.questions:
                if cell:
                    root.answers[column] = cell
                continue
            placed = self._csv_place(root, numbered, column)
            if placed is None:
                if cell:
                    self.unknown(sub, column)
                continue
            entry, name, choice = placed
            if choice is not None:
                key = (id(entry), name)
                details.setdefault(key, (entry, []))
                if cell in _TRUE_CELLS:
                    details[key][1].append(choice)
                elif cell not in _FALSE_CELLS:
                    self.problem(
                        sub, column, "kobo.wrong_type", Severity.ERROR, "a choice column is not 1 or 0"
                    )
            elif cell:
                entry.answers[name] = cell
        for (_, name), (entry, chosen) in details.items():
            if name not in entry.answers and chosen:
                # The columns say which codes were chosen, not in what order: the form's order is used.
                options = self.shape.choices.get(self.shape.questions[name].list_name or "", ())
                entry.answers[name] = " ".join(sorted(chosen, key=options.index))
        return root

    def _csv_place(
        self, root: Entry, numbered: dict[tuple[tuple[str, int], ...], Entry], column: str
    ) -> tuple[Entry, str, str | None] | None:
        segments = column.split("/")
        entry = root
        path: list[tuple[str, int]] = []
        repeat: str | None = None
        for index, segment in enumerate(segments):
            match = _SEGMENT.match(segment)
            if match is None:
                return None
            name, number = match.group(1), match.group(2)
            last = index == len(segments) - 1
            if number is not None:
                found = self.shape.repeats.get(name)
                if found is None or found.repeat != repeat or last:
                    return None
                path.append((name, int(number)))
                key = tuple(path)
                if key not in numbered:
                    numbered[key] = Entry()
                    entry.repeats.setdefault(name, []).append(numbered[key])
                entry = numbered[key]
                repeat = name
            elif name in self.shape.questions:
                question = self.shape.questions[name]
                if question.repeat != repeat:
                    return None
                if last:
                    return entry, name, None
                rest = segments[index + 1 :]
                options = self.shape.choices.get(question.list_name or "", ())
                if question.kind == "select_multiple" and len(rest) == 1 and rest[0] in options:
                    return entry, name, rest[0]
                return None
            elif name not in self.shape.groups:
                return None
        return None


class _Builder:
    """Builds one record's JSON form from an entry tree, reporting answers it cannot convert."""

    def __init__(self, shape: FormShape, reader: _Reader, sub: Submission) -> None:
        self.shape = shape
        self.reader = reader
        self.sub = sub
        self.failed = False

    def error(self, question: str, code: str, message: str) -> None:
        self.failed = True
        self.reader.problem(self.sub, question, code, Severity.ERROR, message)

    def build(self, entry: Entry, repeat: str | None) -> dict[str, Any]:
        document: dict[str, Any] = {}
        precisions: list[tuple[str, str]] = []
        for question in self.shape.in_repeat(repeat):
            text = entry.answers.get(question.name)
            if text is None:
                continue
            if question.list_name == DATE_PRECISION:
                if text not in ("year", "month", "day"):
                    self.error(question.name, "kobo.not_a_choice", "not a choice of the question")
                else:
                    precisions.append((question.pointer, text))
                continue
            value = self.convert(question, text.strip())
            if value is not None:
                _set(document, question.pointer, value)
        for pointer, precision in precisions:
            day = _get(document, pointer)
            if isinstance(day, str):
                _set(document, pointer, day[: {"year": 4, "month": 7, "day": 10}[precision]])
        for found in self.shape.repeats_in(repeat):
            children = entry.repeats.get(found.name) or []
            built = [self.build(child, found.name) for child in children]
            built = [child for child in built if child]
            if built:
                _set(document, found.pointer, built)
        return document

    def convert(self, question: Question, text: str) -> Any:
        kind = question.kind
        if kind == "integer":
            if not _INTEGER.match(text):
                return self.error(question.name, "kobo.wrong_type", "not a whole number")
            return int(text)
        if kind == "date":
            return self.day(question.name, text)
        if kind in ("start", "end"):
            return self.moment(question.name, text)
        if kind == "select_one":
            if text not in self.shape.choices.get(question.list_name or "", ()):
                return self.error(question.name, "kobo.not_a_choice", "not a choice of the question")
            return text == "yes" if question.list_name == YES_NO else text
        if kind == "select_multiple":
            codes = text.split()
            options = self.shape.choices.get(question.list_name or "", ())
            if any(code not in options for code in codes):
                return self.error(question.name, "kobo.not_a_choice", "a selected code is not a choice")
            return list(dict.fromkeys(codes)) or None
        if question.shape == "list":
            return text.split() or None
        return text

    def day(self, name: str, text: str) -> str | None:
        # ODK writes a date as YYYY-MM-DD; some exports add a midnight time, which carries nothing.
        candidate = text[:10] if len(text) > 10 and text[10] == "T" and text[11:19] == "00:00:00" else text
        if not _DAY.match(candidate):
            self.error(name, "kobo.impossible_date", "not a date (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(candidate).isoformat()
        except ValueError:
            self.error(name, "kobo.impossible_date", "not a real day")
            return None

    def moment(self, name: str, text: str) -> str | None:
        if not RFC3339_DATE_TIME.fullmatch(text):
            self.error(name, "kobo.impossible_date", "not a date-time with a UTC offset")
            return None
        try:
            datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError:
            self.error(name, "kobo.impossible_date", "not a real date-time")
            return None
        return text


def _segments(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    parts = _segments(pointer)
    target: Any = document
    for index, part in enumerate(parts[:-1]):
        following_is_index = parts[index + 1].isdigit()
        if isinstance(target, list):
            while len(target) <= int(part):
                target.append([] if following_is_index else {})
            target = target[int(part)]
        else:
            target = target.setdefault(part, [] if following_is_index else {})
    last = parts[-1]
    if isinstance(target, list):
        while len(target) <= int(last):
            target.append(None)
        target[int(last)] = value
    else:
        target[last] = value


def _get(document: dict[str, Any], pointer: str) -> Any:
    target: Any = document
    for part in _segments(pointer):
        if isinstance(target, list):
            target = target[int(part)] if part.isdigit() and int(part) < len(target) else None
        elif isinstance(target, dict):
            target = target.get(part)
        else:
            return None
    return target


def _uuid(data: dict[str, Any]) -> str | None:
    for key in ("_uuid", "meta/instanceID"):
        value = data.get(key)
        if isinstance(value, str) and _UUID.match(value):
            return value.removeprefix("uuid:")
    meta = data.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("instanceID"), str) and _UUID.match(meta["instanceID"]):
        return str(meta["instanceID"]).removeprefix("uuid:")
    return None


def _submission_time(data: dict[str, Any]) -> str | None:
    value = data.get("_submission_time")
    if isinstance(value, str) and re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", value
    ):
        return value + "Z"  # Kobo's server time is UTC without an offset
    return None


def _json_submissions(value: Any) -> list[Any]:
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        return list(value["results"])
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    raise SubmissionsError(
        "kobo.not_a_submission", "the JSON is neither a list of submissions nor Kobo's page"
    )


def _pick_form(keys: Iterable[str], shapes: dict[str, FormShape]) -> FormShape:
    names = {key.split("/")[-1].split("[")[0] for key in keys}
    scores = {
        form_id: len(names & set(shape.questions) - {"start", "end", "survivor_ref"})
        for form_id, shape in shapes.items()
    }
    best = max(scores, key=lambda form_id: scores[form_id])
    if scores[best] == 0:
        raise SubmissionsError(
            "kobo.unknown_form", "the submissions answer no question of the crsvdata forms"
        )
    return shapes[best]


def _all_keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield key
            yield from _all_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from _all_keys(item)


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".tsv", ".txt")


def _delimiter(path: Path) -> str:
    from crsvdata.io import open_input

    with open_input(path) as stream:
        head = stream.read(65536).split(b"\n", 1)[0]
    return ";" if head.count(b";") > head.count(b",") else ","


def read_submissions(path: Path) -> tuple[FormShape, _Reader, list[Submission]]:
    """The submissions of a Kobo JSON or CSV file, read as entries of the form they answer."""
    shapes = _shapes()
    if _is_csv(path):
        delimiter = _delimiter(path)
        rows = list(iter_csv_rows(path, delimiter))
        from crsvdata.io import csv_header

        shape = _pick_form(csv_header(path, delimiter), shapes)
        reader = _Reader(shape)
        subs = []
        for line, row in rows:
            sub = Submission(line, _uuid(row), Entry(), _submission_time(row))
            sub.entry = reader.csv_entry(sub, row)
            subs.append(sub)
        return shape, reader, subs
    items = _json_submissions(load_document(path).value)
    shape = _pick_form(_all_keys(items), shapes)
    reader = _Reader(shape)
    subs = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            sub = Submission(position, None, Entry())
            reader.problem(sub, "/", "kobo.not_a_submission", Severity.ERROR, "the item is not an object")
            subs.append(sub)
            continue
        sub = Submission(position, _uuid(item), Entry(), _submission_time(item))
        sub.entry = reader.json_entry(sub, item, (), None)
        subs.append(sub)
    return shape, reader, subs


def import_submissions(path: Path) -> KoboImport:
    """Turn a file of Kobo/ODK submissions of a crsvdata form into records, reporting what it could not map.

    Raises ``InputError`` (with a code and, for CSV, a line) when the file cannot be read as submissions.
    """
    shape, reader, subs = read_submissions(path)
    result = KoboImport(shape.form_id, submissions=len(subs))
    refused = {problem.submission for problem in reader.problems if problem.severity is Severity.ERROR}
    for sub in subs:
        if sub.position in refused:
            continue
        record = _record(shape, reader, sub)
        if isinstance(record, CaseRecord):
            result.cases.append(record)
        elif isinstance(record, IdentityRecord):
            result.identities.append(record)
    result.problems = reader.problems
    return result


def _record(shape: FormShape, reader: _Reader, sub: Submission) -> CaseRecord | IdentityRecord | None:
    builder = _Builder(shape, reader, sub)
    document = builder.build(sub.entry, None)
    if builder.failed:
        return None
    identity = shape.form_id == "crsvdata_identity"
    times = ("/recorded_at",) if identity else ("/created_at", "/updated_at")
    missing = [pointer for pointer in times if _get(document, pointer) is None]
    if missing and sub.submitted_at is not None:
        for pointer in missing:
            _set(document, pointer, sub.submitted_at)
        reader.problem(sub, "start", "kobo.time_from_server", Severity.WARNING, "times taken from the server")
    try:
        if identity:
            document = {"document_type": "identity-record", **document}
            return parse_identity_record(document)
        document = {"document_type": "case-record", "standard_version": RECORD_STANDARD_VERSION, **document}
        return parse_case_record(document)
    except CrsvValidationError as exc:
        for issue in exc.issues:
            reader.problem(sub, issue.pointer or "/", issue.code, Severity.ERROR, issue.message)
        return None
