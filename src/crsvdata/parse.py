"""Turn JSON into validated models, raising one error that lists every issue.

The models are strict, so Python objects from ``json.loads`` (strings for dates and codes) go through
JSON text here rather than ``model_validate``: the same path an integrator's file takes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from crsvdata.errors import CrsvError
from crsvdata.findings import Severity
from crsvdata.io import InputError, decode_utf8, iter_lines, parse_json
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.validation.engine import validate_document
from crsvdata.validation.report import Issue

ModelT = TypeVar("ModelT", bound=BaseModel)


class CrsvValidationError(CrsvError, ValueError):
    """A document did not validate; ``issues`` says why. Its text names fields and codes, never values."""

    code = "document.invalid"

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = [
            f"{i.code} at {i.pointer or '/'}" + (f" (line {i.line})" if i.line else "") for i in issues[:10]
        ]
        more = f" and {len(issues) - 10} more" if len(issues) > 10 else ""
        super().__init__("invalid crsvdata document: " + "; ".join(lines) + more)


def _parse(model: type[ModelT], source: str | bytes | Mapping[str, Any], line: int | None = None) -> ModelT:
    if isinstance(source, Mapping):
        text = json.dumps(source, ensure_ascii=False, allow_nan=False)
    elif isinstance(source, bytes):
        text = decode_utf8(source, line)
    else:
        text = source
    try:
        document = parse_json(text, line)
    except InputError as exc:
        raise CrsvValidationError([Issue(exc.code, Severity.ERROR, exc.message, "", line)]) from None
    valid, issues = validate_document(text, document, line)
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if not valid or errors:
        raise CrsvValidationError(errors or issues)
    return model.model_validate_json(text)


def parse_case_record(source: str | bytes | Mapping[str, Any]) -> CaseRecord:
    """Validate JSON text, bytes or a parsed mapping as a ``CaseRecord`` (structure and rules)."""
    return _parse(CaseRecord, source)


def parse_identity_record(source: str | bytes | Mapping[str, Any]) -> IdentityRecord:
    """Validate JSON text, bytes or a parsed mapping as an ``IdentityRecord``."""
    return _parse(IdentityRecord, source)


def iter_case_records(path: Path) -> Iterator[CaseRecord]:
    """Yield the case records of a JSON Lines file, raising ``CrsvValidationError`` at the first bad line."""
    with path.open("rb") as stream:
        for line in iter_lines(stream):
            if line.error is not None:
                raise CrsvValidationError(
                    [Issue(line.error.code, Severity.ERROR, line.error.message, "", line.number)]
                )
            yield _parse(CaseRecord, line.data, line.number)
