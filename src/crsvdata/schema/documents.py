"""The one table of document types: kind -> model -> published schema file -> ``$id``.

Everything that needs to know which documents the standard has (validation, the schema registry, the
schema generator in ``tools/``, the docs build, the conformance builder) reads this table, so adding a
document type is one row here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from crsvdata.version import SCHEMA_BASE_URL, STANDARD_VERSION

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "DOCUMENT_TYPES",
    "MARKER_MEMBER",
    "DocumentKind",
    "DocumentType",
    "document_type",
    "kind_of_marker",
    "schema_id",
]

MARKER_MEMBER: Final = "document_type"
"""The member every document carries since standard 1.1 to say its kind (its value is the schema name)."""

DocumentKind = Literal["case_record", "identity_record", "exchange_package", "anonymised_case_record"]


def schema_id(name: str, version: str = STANDARD_VERSION) -> str:
    """The absolute ``$id`` of a published schema file (``name`` without ``.schema.json``)."""
    return f"{SCHEMA_BASE_URL}{version}/{name}.schema.json"


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One kind of document the standard publishes."""

    kind: DocumentKind
    model_name: str
    """The model's name in ``crsvdata.models``; imported on first use of :attr:`model`, so that reading
    a document's kind (``kind_of_marker``) loads no model at all."""
    schema_name: str
    """The schema file's name without ``.schema.json``: ``schemas/<version>/<schema_name>.schema.json``."""
    input_document: bool
    """True when partners exchange it as input (``crsvdata validate`` recognises it)."""

    @property
    def model(self) -> type[BaseModel]:
        """The pydantic model of this document type."""
        model: type[BaseModel] = getattr(importlib.import_module("crsvdata.models"), self.model_name)
        return model

    @property
    def marker(self) -> str:
        """The value of this document type's ``document_type`` member: its schema name (``case-record``)."""
        return self.schema_name

    @property
    def schema_file(self) -> str:
        """The file name under ``schemas/<version>/``."""
        return f"{self.schema_name}.schema.json"

    def schema_id(self, version: str = STANDARD_VERSION) -> str:
        """The ``$id`` of this document type's schema for ``version``."""
        return schema_id(self.schema_name, version)


DOCUMENT_TYPES: Final[tuple[DocumentType, ...]] = (
    DocumentType("case_record", "CaseRecord", "case-record", True),
    DocumentType("identity_record", "IdentityRecord", "identity-record", True),
    DocumentType("exchange_package", "ExchangePackage", "exchange-package", True),
    DocumentType("anonymised_case_record", "AnonymisedCaseRecord", "anonymised-case-record", False),
)

_BY_NAME: Final[dict[str, DocumentType]] = {
    **{t.kind: t for t in DOCUMENT_TYPES},
    **{t.schema_name: t for t in DOCUMENT_TYPES},
}


def document_type(kind_or_schema_name: str) -> DocumentType:
    """The row for a kind (``case_record``) or a schema name (``case-record``); KeyError if unknown."""
    return _BY_NAME[kind_or_schema_name]


_BY_MARKER: Final[dict[str, DocumentKind]] = {t.marker: t.kind for t in DOCUMENT_TYPES}


def kind_of_marker(document: object) -> DocumentKind | None:
    """The kind a document's ``document_type`` member names; None when it has none or no known one."""
    if not isinstance(document, dict):
        return None
    marker = document.get(MARKER_MEMBER)
    return _BY_MARKER.get(marker) if isinstance(marker, str) else None
