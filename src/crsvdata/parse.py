"""Turn JSON into validated models, raising one error that lists every issue.

The models are strict, so Python objects from ``json.loads`` (strings for dates and codes) go through
JSON text here rather than ``model_validate``: the same path an integrator's file takes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final, TypeVar

from pydantic import BaseModel

from crsvdata._context import STRUCTURE_ONLY
from crsvdata.errors import CrsvError
from crsvdata.findings import Severity
from crsvdata.io import Document, InputError, load_document, parse_json, scan_documents
from crsvdata.io.sources import OneShotIterator, Source, as_path, in_memory_text, unsupported_source
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.models.checked import checked_validator
from crsvdata.validation.engine import MODELS, sniff_kind, validate_document
from crsvdata.validation.report import Issue

ModelT = TypeVar("ModelT", bound=BaseModel)


class CrsvValidationError(CrsvError, ValueError):
    """A document did not validate; ``issues`` says why. Its text names fields and codes, never values."""

    code = "document.invalid"

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        if issues:
            # The first issue's code, so that a caller sees "input.duplicate_key" as validate reports it.
            self.code = issues[0].code
        lines = [
            (f"line {i.line}: " if i.line else "") + f"{i.code} at {i.pointer or '/'}: {i.message}"
            for i in issues[:10]
        ]
        more = f" and {len(issues) - 10} more" if len(issues) > 10 else ""
        super().__init__("invalid crsvdata document: " + "; ".join(lines) + more)


def _parse(model: type[ModelT], source: Source, line: int | None = None) -> ModelT:
    try:
        path = as_path(source)
        if path is not None:
            document = load_document(path)
        else:
            text = in_memory_text(source)
            if text is None:
                raise unsupported_source(source)
            document = Document(text, parse_json(text, line), line)
    except InputError as exc:
        raise CrsvValidationError([_input_issue(exc)]) from None
    return _validated(model, document)


def _input_issue(error: InputError) -> Issue:
    return Issue(error.code, Severity.ERROR, error.message, "", error.line)


def _validated(model: type[ModelT], document: Document) -> ModelT:
    """The model of a strictly parsed document, or ``CrsvValidationError`` with the report's errors.

    The document is validated as ``crsvdata validate`` does it (structure by the published schema, every
    rule over the parsed JSON); the model is then built with its rules off, since the report has just
    found none of them broken: a record is checked once, not once per nested model. The model's own checks
    are left out too (:func:`crsvdata.models.checked.checked_validator`): they have all just passed.
    """
    valid, issues = validate_document(document.text, document.value, document.line)
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if not valid or errors:
        raise CrsvValidationError(errors or issues)
    kind = sniff_kind(document.value)
    if kind is not None and MODELS[kind] is not model:
        message = f"the document is a valid {kind.replace('_', ' ')}, not a {_NAMES[model]}"
        raise CrsvValidationError([Issue("document.wrong_kind", Severity.ERROR, message, "", document.line)])
    # Everything the model would check has just passed: it is built without those checks.
    built: ModelT = checked_validator(model).validate_json(document.text, context=STRUCTURE_ONLY)
    return built


_NAMES: Final[Mapping[type[BaseModel], str]] = {
    CaseRecord: "case record",
    IdentityRecord: "identity record",
    ExchangePackage: "exchange package",
}


def parse_case_record(source: Source) -> CaseRecord:
    """Validate a source as a ``CaseRecord`` (structure and rules).

    ``source`` is a ``pathlib.Path`` (a file holding one document), JSON text (``str``), ``bytes``, a
    binary stream, a parsed mapping or a model (see ``crsvdata.io.sources``).
    """
    return _parse(CaseRecord, source)


def parse_identity_record(source: Source) -> IdentityRecord:
    """Validate a source (as ``parse_case_record`` takes it) as an ``IdentityRecord``."""
    return _parse(IdentityRecord, source)


def iter_documents_as(model: type[ModelT], path: Path) -> Iterator[ModelT]:
    """The documents of a file as ``model`` instances, read by the reader ``validate`` uses.

    A ``.jsonl``/``.ndjson`` file is JSON Lines, any other file one JSON document (pretty-printed or
    not, a BOM allowed); an exchange package yields the case records or identity records it holds.
    Raises ``InputError`` when the file as a whole cannot be read and ``CrsvValidationError`` (with the
    line) at the first document that is not valid: never a partial silent result.
    """
    return documents_as(model, scan_documents(path))


def documents_as(model: type[ModelT], documents: Iterable[Document | InputError]) -> Iterator[ModelT]:
    """:func:`iter_documents_as` on documents already read (:func:`crsvdata.io.scan_lines` gives them).

    Raises ``CrsvValidationError`` at the first ``InputError`` or invalid document.
    """
    for document in documents:
        if isinstance(document, InputError):
            raise CrsvValidationError([_input_issue(document)])
        if model is not ExchangePackage and sniff_kind(document.value) == "exchange_package":
            package = _validated(ExchangePackage, document)
            held = package.case_records if model is CaseRecord else package.identity_records
            yield from (item for item in held or () if isinstance(item, model))
            continue
        yield _validated(model, document)


def iter_case_records(path: os.PathLike[str]) -> Iterator[CaseRecord]:
    """Yield the case records of a file (JSON Lines, or one JSON document), validated once each.

    Raises ``InputError`` (no line) when the file cannot be read at all, ``CrsvValidationError`` at the
    first bad line or record; the codes are those ``crsvdata validate`` reports for the same bytes.
    """
    return OneShotIterator(iter_documents_as(CaseRecord, Path(path)), "the case records")
