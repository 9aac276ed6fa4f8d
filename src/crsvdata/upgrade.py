"""Upgrade a standard 1.0 document to 1.1, reporting every change by pointer (never by value).

Like ``ocdskit upgrade``: the document is checked against the frozen 1.0 schema, the steps of
:data:`STEPS` are applied in order, ``standard_version`` becomes ``"1.1"``, and the result is validated
as 1.1. A document already at 1.1 comes back unchanged with no change reported, so upgrading twice is
upgrading once. A document that declares a newer version, or is not a valid 1.0 document, is refused
with an :class:`UpgradeError` that names the code and the pointer of the problem.

Standard 1.1 only adds optional fields and codes, so a 1.0 document needs no data change beyond its
version and the ``document_type`` marker 1.1 writers put on every document (and on every record of a
package). Should 1.1 rename a code (deprecating the old one), the rename is one :class:`CodeRename` row in
:data:`CODE_RENAMES`: every field bound to that code list is then rewritten and reported.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Final, get_args

from pydantic import BaseModel

from crsvdata.errors import CrsvError
from crsvdata.findings import escape_pointer_token
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.version import RECORD_STANDARD_VERSION

__all__ = ["CODE_RENAMES", "STEPS", "Change", "CodeRename", "UpgradeError", "upgrade_document"]

SOURCE_VERSION: Final = "1.0"
TARGET_VERSION: Final = RECORD_STANDARD_VERSION
_RELEASED_SCHEMA: Final = {"1.0": "1.0.0"}
_KNOWN: Final = (SOURCE_VERSION, TARGET_VERSION)
_MODELS: Final[Mapping[str, type[BaseModel]]] = {
    "case_record": CaseRecord,
    "identity_record": IdentityRecord,
    "exchange_package": ExchangePackage,
}
_SCHEMA_NAMES: Final = {
    "case_record": "case-record",
    "identity_record": "identity-record",
    "exchange_package": "exchange-package",
}


class UpgradeError(CrsvError):
    """A document that cannot be upgraded: ``code`` says why and ``pointer`` where (never a value)."""

    code = "upgrade.invalid_document"

    def __init__(self, message: str, *, code: str, pointer: str = "") -> None:
        super().__init__(message, code=code)
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class Change:
    """One change the upgrade made: where, by which step, and what kind of change (no value)."""

    pointer: str
    step: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        return {"pointer": self.pointer, "step": self.step, "message": self.message}


@dataclass(frozen=True, slots=True)
class CodeRename:
    """A code of ``codelist`` that 1.1 deprecates in favour of ``new`` (the old code stays valid)."""

    codelist: str
    old: str
    new: str

    @property
    def step(self) -> str:
        return f"rename:{self.codelist}"


CODE_RENAMES: Final[tuple[CodeRename, ...]] = ()
"""Codes standard 1.1 renamed. Empty so far: 1.1 only adds codes. One row per renamed code."""

Step = Callable[[dict[str, Any], str], Iterator[Change]]
"""A step rewrites one document in place (its kind given) and yields what it changed."""


def _rename_codes(renames: Sequence[CodeRename]) -> Step:
    table = {(r.codelist, r.old): r for r in renames}

    def step(document: dict[str, Any], kind: str) -> Iterator[Change]:
        if table:
            yield from _rename_in(document, _MODELS[kind], "", table)

    return step


def _set_version(document: dict[str, Any], kind: str) -> Iterator[Change]:
    if kind == "identity_record":
        return  # an identity record carries no standard_version
    if kind == "exchange_package":
        for index, record in enumerate(document.get("case_records") or ()):
            if isinstance(record, dict) and record.get("standard_version") != TARGET_VERSION:
                record["standard_version"] = TARGET_VERSION
                yield Change(f"/case_records/{index}/standard_version", "version", "set to 1.1")
    if document.get("standard_version") != TARGET_VERSION:
        document["standard_version"] = TARGET_VERSION
        yield Change("/standard_version", "version", "set to 1.1")


def _add_marker(document: dict[str, Any], kind: str) -> Iterator[Change]:
    # Standard 1.1 gives every document a document_type member (its kind) that readers can dispatch on.
    if kind == "exchange_package":
        for key, marker in (("case_records", "case-record"), ("identity_records", "identity-record")):
            for index, item in enumerate(document.get(key) or ()):
                if isinstance(item, dict) and "document_type" not in item:
                    _put_first(item, marker)
                    yield Change(f"/{key}/{index}/document_type", "marker", f"set to {marker}")
    if "document_type" not in document:
        marker = _SCHEMA_NAMES[kind]
        _put_first(document, marker)
        yield Change("/document_type", "marker", f"set to {marker}")


def _put_first(document: dict[str, Any], marker: str) -> None:
    # The marker goes first, as crsvdata writes it, so that a streaming reader meets it at once.
    rest = dict(document)
    document.clear()
    document["document_type"] = marker
    document.update(rest)


STEPS: Final[tuple[Step, ...]] = (_rename_codes(CODE_RENAMES), _add_marker, _set_version)
"""The steps from 1.0 to 1.1, in order; the version is set last."""


def upgrade_document(
    document: Mapping[str, Any], *, steps: Sequence[Step] = STEPS
) -> tuple[dict[str, Any], list[Change]]:
    """The 1.1 form of ``document`` and the changes made; the input is not modified.

    Raises :class:`UpgradeError` for a document of no known kind, one that declares a version newer
    than 1.1 (or unknown), one that is not valid under the version it declares, and, defensively, one
    whose upgrade would not be valid 1.1.
    """
    from crsvdata.validation.engine import sniff_kind

    kind = sniff_kind(document)
    if kind is None:
        raise UpgradeError(
            "the document is not a case record, identity record or exchange package",
            code="document.unknown_type",
        )
    declared = _declared_version(document, kind)
    if declared == TARGET_VERSION:
        _require_valid(document, "the document")
        return copy.deepcopy(dict(document)), []
    _require_released_valid(document, kind, declared)
    upgraded = copy.deepcopy(dict(document))
    changes = [change for step in steps for change in step(upgraded, kind)]
    _require_valid(upgraded, "the upgraded document")
    return upgraded, changes


def _declared_version(document: Mapping[str, Any], kind: str) -> str:
    if kind == "identity_record":
        return SOURCE_VERSION  # no version field: valid under both, checked against the 1.0 schema
    versions = {document.get("standard_version")}
    if kind == "exchange_package":
        records = document.get("case_records")
        for record in records if isinstance(records, list) else ():
            versions.add(record.get("standard_version") if isinstance(record, dict) else None)
    unknown = sorted(str(v) for v in versions if v not in _KNOWN)
    if unknown:
        if all(_is_newer(v) for v in unknown):
            raise UpgradeError(
                "the document declares a standard version newer than 1.1: it cannot be upgraded to 1.1",
                code="upgrade.newer_version",
                pointer="/standard_version",
            )
        raise UpgradeError(
            "the document declares no standard version this library knows (1.0 or 1.1)",
            code="upgrade.unknown_version",
            pointer="/standard_version",
        )
    # A package of 1.0 records with a 1.1 header (or the reverse) upgrades as 1.0: the rest is 1.1 already.
    return SOURCE_VERSION if SOURCE_VERSION in versions else TARGET_VERSION


def _is_newer(version: str) -> bool:
    parts = version.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return False
    return (int(parts[0]), int(parts[1])) > (1, 1)


def _require_released_valid(document: Mapping[str, Any], kind: str, declared: str) -> None:
    from crsvdata.schema.registry import validator

    released = validator(_SCHEMA_NAMES[kind], _RELEASED_SCHEMA[declared])
    if kind == "exchange_package" and document.get("standard_version") == TARGET_VERSION:
        # Only the records are 1.0: a 1.1 header is checked with the rest after the upgrade.
        return
    # A 1.0 document may already carry the 1.1 marker (a 1.1 reader accepts it): the rest must be 1.0.
    as_released = _without_markers(document)
    error = next(iter(sorted(released.iter_errors(as_released), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        pointer = "".join(f"/{escape_pointer_token(str(token))}" for token in error.absolute_path)
        raise UpgradeError(
            f"the document is not a valid {declared} document (schema keyword '{error.validator}')",
            code="upgrade.invalid_document",
            pointer=pointer,
        )


def _without_markers(document: Mapping[str, Any]) -> dict[str, Any]:
    bare = {key: value for key, value in document.items() if key != "document_type"}
    for key in ("case_records", "identity_records"):
        items = bare.get(key)
        if isinstance(items, list):
            bare[key] = [_without_markers(i) if isinstance(i, dict) else i for i in items]
    return bare


def _require_valid(document: Mapping[str, Any], what: str) -> None:
    import json

    from crsvdata.validation.engine import validate_document

    valid, issues = validate_document(json.dumps(document, ensure_ascii=False), document)
    if not valid:
        first = next(issue for issue in issues if issue.severity.value == "error")
        raise UpgradeError(
            f"{what} is not valid: {first.code}",
            code="upgrade.invalid_document",
            pointer=first.pointer,
        )


def _rename_in(
    node: dict[str, Any], model: type[BaseModel], pointer: str, table: Mapping[tuple[str, str], CodeRename]
) -> Iterator[Change]:
    for field, (codelist, nested) in _plan(model).items():
        if field not in node:
            continue
        value = node[field]
        here = f"{pointer}/{escape_pointer_token(field)}"
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = here if index is None else f"{here}/{index}"
            if isinstance(item, dict):
                target = _model_for(item, nested)
                if target is not None:
                    yield from _rename_in(item, target, where, table)
            elif isinstance(item, str) and codelist is not None and (codelist, item) in table:
                rename = table[(codelist, item)]
                if index is None:
                    node[field] = rename.new
                else:
                    value[index] = rename.new
                yield Change(where, rename.step, f"deprecated code of '{codelist}' replaced")


@cache
def _plan(model: type[BaseModel]) -> dict[str, tuple[str | None, tuple[type[BaseModel], ...]]]:
    # For each field: its code list (if any) and the models it can hold, computed once per class.
    plan: dict[str, tuple[str | None, tuple[type[BaseModel], ...]]] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        codelist = extra.get("codelist") if isinstance(extra, dict) else None
        plan[name] = (codelist if isinstance(codelist, str) else None, tuple(_models_in(info.annotation)))
    return plan


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif not (isinstance(annotation, type) and issubclass(annotation, Enum)):
        for arg in get_args(annotation):
            yield from _models_in(arg)


def _model_for(item: Mapping[str, Any], candidates: Sequence[type[BaseModel]]) -> type[BaseModel] | None:
    # A union of models (identity documents) is told apart by which one has every key of the item.
    for candidate in candidates:
        if set(item) <= set(candidate.model_fields):
            return candidate
    return None
