"""Read an export's inputs: case records and an index of identity records, with the one reader.

Both go through :mod:`crsvdata.io` like ``crsvdata validate`` does, so an export accepts exactly the
bytes validate accepts: a record with a key twice (a refused consent followed by a granted one), NaN,
bad UTF-8 or a too deep document stops the export with the code validate reports for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from crsvdata.anonymise.errors import InvalidInputError
from crsvdata.findings import Severity
from crsvdata.io import InputError, is_json_lines_path, open_input, scan_documents
from crsvdata.io.sources import OneShotIterator
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.parse import CrsvValidationError, iter_documents_as
from crsvdata.validation.report import Issue

# --- input ------------------------------------------------------------------------------------------


def invalid_input(error: CrsvValidationError, what: str = "") -> InvalidInputError:
    """The export's error for an invalid input: where, the first issue's code, pointer and message."""
    first = error.issues[0] if error.issues else None
    where = f"{what}line {first.line}: " if first is not None and first.line else what
    detail = f"{first.code} at {first.pointer or '/'}: {first.message}" if first is not None else "invalid"
    return InvalidInputError(f"{where}{detail}; run 'crsvdata validate'", code=error.code)


def _invalid_identity(kind: str, number: int, exc: ValidationError) -> InvalidInputError:
    codes = sorted({str(error["type"]) for error in exc.errors()})[:5]
    return InvalidInputError(
        f"identity file line {number}: not a valid {kind} ({', '.join(codes)}); run 'crsvdata validate'"
    )


def read_case_records(path: Path) -> Iterator[CaseRecord]:
    """Stream the case records of a file; ``InvalidInputError`` (no values) at the first bad record.

    The error's ``code`` is the issue code ``crsvdata validate`` reports (``input.duplicate_key``,
    ``schema.required``...). A file that cannot be read at all raises ``InputError``.
    """
    return OneShotIterator(_case_records(path), "the case records")


def _case_records(path: Path) -> Iterator[CaseRecord]:
    try:
        yield from iter_documents_as(CaseRecord, Path(path))
    except CrsvValidationError as exc:
        raise invalid_input(exc) from None


class IdentityIndex:
    """Identity records by (holder organisation, survivor reference), read on demand from a file.

    Only byte offsets are kept in memory; a record is parsed when a case asks for it.
    """

    def __init__(self, records: Iterable[IdentityRecord] = ()) -> None:
        # A survivor may have several identity records under one key (a duplicate, a later update): every
        # one of them is kept, so that redaction knows all the names and numbers, not only the last ones.
        self._records: dict[tuple[str, str], list[IdentityRecord]] = {}
        for record in records:
            self._records.setdefault((record.holder_organisation, record.survivor_ref), []).append(record)
        self._offsets: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._stream: IO[bytes] | None = None

    @classmethod
    def from_file(cls, path: Path) -> IdentityIndex:
        """Index a file of identity records, read strictly like ``crsvdata validate`` reads it.

        JSON Lines are indexed by byte offset (each line is validated when it is used); a file that is one
        document (an identity record or a package) is validated and held.
        """
        if not is_json_lines_path(path):
            try:
                return cls(iter_documents_as(IdentityRecord, path))
            except CrsvValidationError as exc:
                raise invalid_input(exc, "identity file ") from None
        index = cls()
        for item in scan_documents(path):
            if isinstance(item, InputError):
                raise invalid_input(CrsvValidationError([_issue(item)]), "identity file ")
            value = item.value
            if not isinstance(value, dict) or not isinstance(value.get("holder_organisation"), str):
                raise InvalidInputError(f"identity file line {item.line}: not an identity record")
            if not isinstance(value.get("survivor_ref"), str):
                raise InvalidInputError(f"identity file line {item.line}: not an identity record")
            key = (value["holder_organisation"], value["survivor_ref"])
            index._offsets.setdefault(key, []).append((item.offset, item.line or 0))
        index._stream = open_input(path)
        return index

    def get(self, organisation: str, survivor_ref: str) -> IdentityRecord | None:
        """The first identity record held by ``organisation`` for ``survivor_ref``, or None."""
        found = self.get_all(organisation, survivor_ref)
        return found[0] if found else None

    def get_all(self, organisation: str, survivor_ref: str) -> list[IdentityRecord]:
        """Every identity record held by ``organisation`` for ``survivor_ref`` (empty when none)."""
        key = (organisation, survivor_ref)
        if key in self._records:
            return list(self._records[key])
        places = self._offsets.get(key)
        if not places or self._stream is None:
            return []
        found = []
        for offset, number in places:
            self._stream.seek(offset)
            try:
                found.append(IdentityRecord.model_validate_json(self._stream.readline()))
            except ValidationError as exc:
                raise _invalid_identity("identity record", number, exc) from None
        return found

    def close(self) -> None:
        """Close the underlying file, if any."""
        if self._stream is not None:
            self._stream.close()


def _issue(error: InputError) -> Issue:
    return Issue(error.code, Severity.ERROR, error.message, "", error.line)
