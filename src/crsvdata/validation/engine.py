"""Validate documents: parse safely, check structure, then every rule, and report all of it.

The model's structural layer accepts exactly what the published JSON Schema accepts (a tested promise).
A document the compiled schema accepts goes straight to the rules, walked over its parsed JSON by the
generated ``rule_walk`` (no pydantic, no model is imported for valid data); a refused one is explained
through the schema, with the models' errors as the fallback. Every finding is reported, not only the
first.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.findings import Severity, pointer_from_path
from crsvdata.io import (
    MAX_LINE_BYTES,
    InputError,
    Line,
    decode_utf8,
    is_json_lines_path,
    iter_lines,
    load_document,
    load_line,
    open_input,
    parse_json,
)
from crsvdata.io.sources import JsonModel, Source, as_path, unsupported_source
from crsvdata.schema.documents import document_type, kind_of_marker
from crsvdata.validation.acceptor import structure_accepted
from crsvdata.validation.report import SAFE_KEY, Issue, ValidationReport
from crsvdata.validation.rule_walk import findings_in_json

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

DocumentKind = Literal["case_record", "identity_record", "exchange_package"]


class _ModelsOnFirstUse(Mapping[DocumentKind, "type[BaseModel]"]):
    # A file of case records never loads the identity or package models: each is imported when asked for.
    _KINDS: Final[tuple[DocumentKind, ...]] = ("case_record", "identity_record", "exchange_package")

    def __getitem__(self, kind: DocumentKind) -> type[BaseModel]:
        if kind not in self._KINDS:
            raise KeyError(kind)
        return document_type(kind).model

    def __iter__(self) -> Iterator[DocumentKind]:
        return iter(self._KINDS)

    def __len__(self) -> int:
        return len(self._KINDS)


MODELS: Final[Mapping[DocumentKind, type[BaseModel]]] = _ModelsOnFirstUse()
SCHEMA_NAMES: Final[Mapping[DocumentKind, str]] = {
    "case_record": "case-record",
    "identity_record": "identity-record",
    "exchange_package": "exchange-package",
}

_INPUT_KINDS: Final[Mapping[str, DocumentKind]] = {kind: kind for kind in MODELS}

# pydantic error types -> crsvdata issue codes, aligned with the JSON Schema keyword that fails on the
# same input, so that the Python report and a plain JSON Schema validator name problems alike.
_PYDANTIC_CODES: Final[Mapping[str, str]] = {
    "missing": "schema.required",
    "extra_forbidden": "schema.additional_properties",
    "enum": "schema.enum",
    "literal_error": "schema.const",
    "string_pattern_mismatch": "schema.pattern",
    "string_too_short": "schema.min_length",
    "string_too_long": "schema.max_length",
    "too_short": "schema.min_items",
    "too_long": "schema.max_items",
    "greater_than_equal": "schema.minimum",
    "less_than_equal": "schema.maximum",
    "null_not_allowed": "schema.type",
    "partial_date": "schema.format",
    "date_from_datetime_parsing": "schema.format",
    "date_parsing": "schema.format",
    "datetime_parsing": "schema.format",
    "datetime_from_date_parsing": "schema.format",
    "timezone_aware": "schema.format",
    "union_tag_invalid": "schema.discriminator",
    "union_tag_not_found": "schema.discriminator",
    "json_invalid": "input.json_syntax",
}


def sniff_kind(document: object) -> DocumentKind | None:
    """Which kind of input document a parsed JSON value is: its ``document_type`` marker first.

    A document without a known marker (every 1.0 document) is judged by its identifying keys. A marker
    that contradicts those keys is not trusted silently: ``validate_document`` reports it
    (``document.type_mismatch``, see :func:`marker_conflict`).
    """
    marked = kind_of_marker(document)
    if marked is not None:
        return _INPUT_KINDS.get(marked)  # an anonymised case record is an export, not an input
    return _kind_by_members(document)


def _kind_by_members(document: object) -> DocumentKind | None:
    if not isinstance(document, dict):
        return None
    if "package_id" in document:
        return "exchange_package"
    if "record_id" in document:
        return "case_record"
    if "holder_organisation" in document:
        return "identity_record"
    return None


def marker_conflict(document: object) -> str | None:
    """Why a document's ``document_type`` contradicts its identifying members; None when it does not."""
    return _conflict_of(kind_of_marker(document), _kind_by_members(document))


def _conflict_of(marked: str | None, by_members: DocumentKind | None) -> str | None:
    if marked is None or by_members is None or marked == by_members:
        return None
    said, seen = marked.replace("_", " "), by_members.replace("_", " ")
    return f"document_type names another kind of document ({said}) than its members show ({seen})"


def _structural_issues(exc: ValidationError) -> Iterator[Issue]:
    for detail in exc.errors(include_url=False, include_input=False, include_context=False):
        error_type = detail["type"]
        location = [part for part in detail["loc"] if not _is_union_branch_label(part)]
        if error_type == "extra_forbidden" and location and not SAFE_KEY.fullmatch(str(location[-1])):
            location = location[:-1]
            detail["msg"] = "an unexpected member (its name is withheld because it may hold data)"
        code = _PYDANTIC_CODES.get(error_type)
        if code is None:
            # Type errors (wrong JSON type) and identifier rules raised by field types.
            code = error_type if "." in error_type else "schema.type"
        severity = Severity.ERROR
        yield Issue(code, severity, detail["msg"], pointer_from_path(location))


def _is_union_branch_label(part: str | int) -> bool:
    # pydantic names the branch of a union it tried ("list[...]", "function-after[...]", a tag); JSON
    # pointers must only contain real keys and indexes.
    return isinstance(part, str) and (
        "[" in part or part in {"rnokpp", "unzr", "passport_booklet", "id_card", "foreign_passport"}
    )


def validate_document(
    text: str | bytes, document: object, line: int | None = None
) -> tuple[bool, list[Issue]]:
    """Validate one parsed document whose JSON text is ``text``; return (valid, issues)."""
    # marker_conflict and sniff_kind, each member read once.
    marked = kind_of_marker(document)
    by_members = _kind_by_members(document)
    conflict = _conflict_of(marked, by_members)
    if conflict is not None:
        return False, [Issue("document.type_mismatch", Severity.ERROR, conflict, "/document_type", line)]
    kind = by_members if marked is None else _INPUT_KINDS.get(marked)
    if kind is None:
        message = "the document is not a case record, identity record or exchange package"
        return False, [Issue("document.unknown_type", Severity.ERROR, message, "", line)]
    if not structure_accepted(SCHEMA_NAMES[kind], document):
        # Imported here, as the models are: valid data never needs pydantic.
        from pydantic import ValidationError

        try:
            MODELS[kind].model_validate_json(text, context=STRUCTURE_ONLY)
        except ValidationError as exc:
            # Explain through the published schema, so the codes and pointers are those any JSON Schema
            # validator gives; the model's own errors are the fallback should the two ever disagree.
            # Imported here: jsonschema's format checkers take a second to import, and valid data never
            # needs them.
            from crsvdata.validation.schema_issues import schema_issues

            issues = schema_issues(SCHEMA_NAMES[kind], document, line)
            if not issues:
                issues = [_at_line(issue, line) for issue in _structural_issues(exc)]
            return False, issues
    # Structure holds (the schema accepted it, or else the models did): the rules read the parsed JSON,
    # walked as crsvdata.models.json_rules and crsvdata.validation.codelists would (tests/test_rule_walk.py).
    assert isinstance(document, dict)  # sniff_kind names a kind only for an object
    issues = [Issue.from_finding(f, line) for f in findings_in_json(kind, document)]
    return not any(issue.severity is Severity.ERROR for issue in issues), issues


def _at_line(issue: Issue, line: int | None) -> Issue:
    return Issue(issue.code, issue.severity, issue.message, issue.pointer, line, issue.source)


def _input_issue(error: InputError) -> Issue:
    return Issue(error.code, Severity.ERROR, error.message, "", error.line)


IssueSink = Callable[[Issue], object]
"""Where issues go instead of ``ValidationReport.issues`` (``on_issue``): called once per issue, in order."""


class _Collector:
    def __init__(
        self,
        report: ValidationReport,
        max_issues: int | None,
        on_issue: IssueSink | None = None,
        kept: int | None = None,
    ) -> None:
        self.report = report
        self.max_issues = max_issues
        self.keep: IssueSink = report.issues.append if on_issue is None else on_issue
        self.kept = len(report.issues) if kept is None else kept
        """Issues kept so far in this report (the limit counts them, wherever they went)."""

    def add(self, valid: bool, issues: Iterable[Issue]) -> None:
        self.report.documents += 1
        if not valid:
            self.report.invalid_documents += 1
        for issue in issues:
            if self.max_issues is not None and self.kept >= self.max_issues:
                self.report.issue_limit_reached = True
                return
            self.keep(issue)
            self.kept += 1


class _Counted:
    """An ``on_issue`` that counts what it passed on: a later collector of the same report goes on from it."""

    def __init__(self, sink: IssueSink) -> None:
        self.sink = sink
        self.count = 0

    def __call__(self, issue: Issue) -> None:
        self.count += 1
        self.sink(issue)


def validate_text(
    text: str,
    report: ValidationReport,
    max_issues: int | None = None,
    json_lines: bool | None = None,
    *,
    on_issue: IssueSink | None = None,
) -> None:
    """Validate JSON text (one document) or JSON Lines text into ``report`` (its issues to ``on_issue``
    when given)."""
    collector = _Collector(report, max_issues, on_issue)
    if json_lines is None:
        json_lines = _looks_like_json_lines(text)
    if not json_lines:
        try:
            document = parse_json(text)
        except InputError as exc:
            collector.add(False, [_input_issue(exc)])
            return
        collector.add(*validate_document(text, document))
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            _validate_line(collector, raw, number)


def _looks_like_json_lines(text: str) -> bool:
    stripped = text.strip()
    if "\n" not in stripped:
        return False
    try:
        json.loads(stripped)
    except json.JSONDecodeError as exc:
        return exc.msg == "Extra data"
    except RecursionError:
        return False
    return False


def _validate_line(collector: _Collector, text: str, number: int) -> None:
    collector.add(*_validate_line_text(text, number))


def _validate_line_text(text: str, number: int) -> tuple[bool, list[Issue]]:
    try:
        document = parse_json(text, line=number)
    except InputError as exc:
        return False, [_input_issue(exc)]
    return validate_document(text, document, line=number)


def validate_stream(
    stream: IO[bytes],
    report: ValidationReport,
    max_issues: int | None = None,
    json_lines: bool | None = True,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    *,
    on_issue: IssueSink | None = None,
) -> None:
    """Validate a binary stream. JSON Lines is read line by line with flat memory.

    With ``json_lines=None`` the first line decides: if it is a complete JSON value on its own, the stream
    is JSON Lines; otherwise it is one (pretty-printed) JSON document. ``jobs`` > 1 validates JSON Lines on
    that many processes (same report, same order); ``progress`` is called with the bytes of each line.
    With ``on_issue``, each issue is passed to it instead of being kept in ``report.issues``.
    """
    collector = _Collector(report, max_issues, on_issue)
    first = b""
    blank_lines = blank_bytes = 0  # read before the first line that decides: they keep their numbers
    if json_lines is None:
        first = stream.readline(MAX_LINE_BYTES + 1)
        while first and not first.strip():
            blank_lines += first.count(b"\n")
            blank_bytes += len(first)
            first = stream.readline(MAX_LINE_BYTES + 1)
        json_lines = _is_complete_json(first)
    if not json_lines:
        try:
            text = decode_utf8(first + stream.read())
        except InputError as exc:
            collector.add(False, [_input_issue(exc)])
            return
        # The blank lines back (as newlines, after any byte-order mark), so a syntax error names its line.
        validate_text("\n" * blank_lines + text, report, max_issues, json_lines=False, on_issue=on_issue)
        return
    leading = [Line(blank_lines + 1, first, None, blank_bytes)] if first else []
    after = blank_lines + 1 + len(leading)
    seen_any = False
    if progress is not None and blank_bytes:
        progress(blank_bytes)
    results: Iterator[tuple[bool, list[Issue], int]]
    if jobs > 1:
        from crsvdata.validation.parallel import validate_lines_in_parallel

        results = validate_lines_in_parallel(
            stream, jobs, leading=leading, first_number=after, first_offset=blank_bytes + len(first)
        )
    else:
        rest = iter_lines(stream, first_number=after, first_offset=blank_bytes + len(first))
        results = map(validate_line, itertools.chain(leading, rest))
    for valid, issues, size in results:
        seen_any = True
        collector.add(valid, issues)
        if progress is not None:
            progress(size)
    if not seen_any:
        collector.add(False, [_input_issue(InputError("input.empty", "the input is empty"))])


def validate_line_exactly(line: Line) -> tuple[bool, list[Issue], int]:
    """Validate one JSON Lines line through the strict reader only (the reference for the acceptor)."""
    return _validate_loaded_line(line, exactly=True)


def validate_line(line: Line) -> tuple[bool, list[Issue], int]:
    """Validate one JSON Lines line; return (valid, issues, bytes consumed)."""
    # crsvdata.io.load_line is the one line reader every command uses, so all accept and refuse alike
    # (a clean line is parsed by its compiled reader, which returns exactly what the strict one would).
    return _validate_loaded_line(line, exactly=False)


def _validate_loaded_line(line: Line, *, exactly: bool) -> tuple[bool, list[Issue], int]:
    size = len(line.data)
    try:
        document = load_line(line, exactly=exactly)
    except InputError as exc:
        return False, [_input_issue(exc)], size
    valid, issues = validate_document(document.text, document.value, line=line.number)
    return valid, issues, size


def _is_complete_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def validate(
    source: Source,
    *,
    max_issues: int | None = None,
    json_lines: bool | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    on_issue: IssueSink | None = None,
) -> ValidationReport:
    """Validate a crsvdata document or a JSON Lines stream of records.

    ``source`` is a ``pathlib.Path`` or other ``os.PathLike`` (JSON, or JSON Lines when it ends in
    ``.jsonl``/``.ndjson``), a binary stream, ``bytes`` or ``str`` holding JSON or JSON Lines text (a
    ``str`` is never a file name), an already parsed mapping or a model (see ``crsvdata.io.sources``).
    ``jobs`` > 1 validates JSON Lines on that many processes; the report is the same as with one.
    With ``on_issue``, each issue is passed to it, in order, instead of being kept in the report's
    ``issues`` (which stays empty): memory then stays flat however many issues there are.
    """
    path = as_path(source)
    if isinstance(source, JsonModel):
        source = source.to_json()
    if path is not None:
        source = path
    elif not isinstance(source, str | bytes | Mapping) and not hasattr(source, "readline"):
        raise unsupported_source(source)
    counted = None if on_issue is None else _Counted(on_issue)
    on_issue = counted
    if isinstance(source, Path):
        report = ValidationReport(source=str(source))
        # The same file reader as every other command (crsvdata.io): JSON Lines by suffix, else one document.
        lines_mode = json_lines if json_lines is not None else is_json_lines_path(source)
        try:
            if lines_mode:
                with open_input(source) as stream:
                    validate_stream(stream, report, max_issues, True, jobs, progress, on_issue=on_issue)
                return report
            document = load_document(source)
        except InputError as exc:
            # Also after some lines were reported (a file replaced while workers read it): within the limit.
            kept = None if counted is None else counted.count
            _Collector(report, max_issues, on_issue, kept).add(False, [_input_issue(exc)])
            return report
        _Collector(report, max_issues, on_issue).add(*validate_document(document.text, document.value))
        return report
    report = ValidationReport()
    if isinstance(source, Mapping):
        text = json.dumps(source, ensure_ascii=False, allow_nan=False)
        validate_text(text, report, max_issues, json_lines=False, on_issue=on_issue)
    elif isinstance(source, bytes):
        try:
            validate_text(decode_utf8(source), report, max_issues, json_lines, on_issue=on_issue)
        except InputError as exc:
            _Collector(report, max_issues, on_issue).add(False, [_input_issue(exc)])
    elif isinstance(source, str):
        validate_text(source, report, max_issues, json_lines, on_issue=on_issue)
    else:
        assert not isinstance(source, os.PathLike | JsonModel)
        validate_stream(source, report, max_issues, json_lines, jobs, progress, on_issue=on_issue)
    return report
