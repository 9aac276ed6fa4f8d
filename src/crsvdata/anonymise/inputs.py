"""Read an export's inputs: case records (JSON Lines) and an index of identity records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import orjson
from pydantic import ValidationError

from crsvdata.anonymise.errors import (
    InvalidInputError,
)
from crsvdata.io import iter_lines
from crsvdata.models import CaseRecord, IdentityRecord

# --- input ------------------------------------------------------------------------------------------


def _invalid(kind: str, number: int, exc: ValidationError) -> InvalidInputError:
    codes = sorted({str(error["type"]) for error in exc.errors()})[:5]
    return InvalidInputError(
        f"line {number}: not a valid {kind} ({', '.join(codes)}); run 'crsvdata validate'"
    )


def read_case_records(path: Path) -> Iterator[CaseRecord]:
    """Stream the case records of a JSON Lines file; InvalidInputError (no values) at the first bad line."""
    try:
        stream = path.open("rb")
    except OSError:
        raise InvalidInputError("the input file cannot be read") from None
    with stream:
        for line in iter_lines(stream):
            if line.error is not None:
                raise InvalidInputError(f"line {line.number}: {line.error.message}")
            try:
                yield CaseRecord.model_validate_json(line.data)
            except ValidationError as exc:
                raise _invalid("case record", line.number, exc) from None


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
        """Index a JSON Lines file of identity records (each line is validated when it is used)."""
        index = cls()
        try:
            stream = path.open("rb")
        except OSError:
            raise InvalidInputError("the identity file cannot be read") from None
        index._stream = stream
        offset = 0
        for number, raw in enumerate(iter(stream.readline, b""), start=1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            try:
                document = orjson.loads(raw)
                key = (str(document["holder_organisation"]), str(document["survivor_ref"]))
            except (orjson.JSONDecodeError, KeyError, TypeError):
                stream.close()
                raise InvalidInputError(f"identity file line {number}: not an identity record") from None
            index._offsets.setdefault(key, []).append((start, number))
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
                raise _invalid("identity record", number, exc) from None
        return found

    def close(self) -> None:
        """Close the underlying file, if any."""
        if self._stream is not None:
            self._stream.close()
