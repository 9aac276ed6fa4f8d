"""The first pass of a record-level export on several processes, each reading its own part of the file.

The file is cut as ``crsvdata validate --jobs`` cuts it (:func:`crsvdata.validation.parallel.map_line_parts`).
Each process reads its lines with the one reader, validates each record exactly as one process does
(:func:`crsvdata.parse.documents_as`), decides consent and builds it (:class:`.records.FirstPass`), and
sends back only :class:`.records.FirstPassItem` tuples. The parent takes the parts in file order, so the
spool, the search and the output are those of one process, and the first invalid record stops the export
with the message one process gives. What a worker needs is sent as plain data: the profile by where it
was loaded from and its SHA-256 (checked again), the key ring's keys (through the worker's pipe, never a
file), the recipient, the consent day and the identities file's path.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError, InvalidInputError
from crsvdata.anonymise.inputs import IdentityIndex, invalid_input
from crsvdata.anonymise.keys import KeyRing, key_ring_for_worker
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.records import ExportRequest, FirstPass, FirstPassItem
from crsvdata.io import InputError, Line, open_input, scan_lines
from crsvdata.models import CaseRecord
from crsvdata.parse import CrsvValidationError, documents_as
from crsvdata.validation.parallel import map_line_parts

__all__ = ["can_run_in_parallel", "first_pass_in_parallel"]


@dataclass(frozen=True, slots=True)
class _WorkerSpec:
    """What a worker process needs to run the first pass: plain, picklable data only."""

    run: str
    profile_origin: str | Path
    profile_sha256: str
    recipient: Recipient
    on: date
    keys: tuple[dict[str, bytes], str, bool]
    identities: str | None


_PartResult = tuple[list[FirstPassItem], int, tuple[str, str] | None]
"""(the items of a part, its lines, the first invalid record's (message, code) or None)."""

_PASSES: dict[str, tuple[FirstPass, IdentityIndex | None]] = {}
"""Each process's first pass for the export runs it works on (a worker serves one run)."""
_PASSES_KEPT: Final = 4


def can_run_in_parallel(request: ExportRequest) -> bool:
    """Whether a worker process can rebuild ``request``: a profile loaded from a name or file, a key ring,
    and the default source of random bytes (an injected one could not be shared)."""
    return (
        request.profile.kind == "records"
        and request.profile.origin is not None
        and request.keys is not None
        and request.random_bytes is secrets.token_bytes
    )


def first_pass_in_parallel(
    path: Path, request: ExportRequest, identities: Path | None, jobs: int
) -> Iterator[FirstPassItem]:
    """The first pass over the JSON Lines file ``path`` on ``jobs`` processes, items in file order.

    Raises what one process raises: ``InputError`` when the file cannot be read or has no line,
    ``InvalidInputError`` at the first record that is not valid.
    """
    profile, keys = request.profile, request.keys
    if keys is None or profile.origin is None:
        raise AnonymisationError("this export cannot be sent to worker processes")
    spec = _WorkerSpec(
        run=secrets.token_hex(16),
        profile_origin=profile.origin,
        profile_sha256=profile.sha256,
        recipient=request.recipient,
        on=request.on,
        keys=key_ring_for_worker(keys),
        identities=None if identities is None else os.fspath(identities.resolve()),
    )
    lines = 0
    try:
        with open_input(path) as stream:
            for items, count, error in map_line_parts(stream, jobs, partial(_first_pass_of_part, spec)):
                lines += count
                yield from items
                if error is not None:
                    message, code = error
                    raise InvalidInputError(message, code=code)
    finally:
        _forget(spec.run)
    if not lines:
        raise InputError("input.empty", "the input is empty")


def _first_pass_of_part(spec: _WorkerSpec, lines: Iterator[Line]) -> _PartResult:
    first_pass = _first_pass(spec)
    items: list[FirstPassItem] = []
    counted = _Counted(lines)
    try:
        for record in documents_as(CaseRecord, scan_lines(counted)):
            items.append(first_pass.item(record))
    except CrsvValidationError as exc:
        error = invalid_input(exc)
        return items, counted.count, (str(error), error.code)
    return items, counted.count, None


class _Counted:
    """The lines of a part, counted as they are read."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines
        self.count = 0

    def __iter__(self) -> Iterator[Line]:
        for line in self._lines:
            self.count += 1
            yield line


def _first_pass(spec: _WorkerSpec) -> FirstPass:
    found = _PASSES.get(spec.run)
    if found is not None:
        return found[0]
    profile = ExportProfile.load(spec.profile_origin)
    if profile.sha256 != spec.profile_sha256:
        raise AnonymisationError("the profile file changed while the export ran")
    key_values, active, allow_demo = spec.keys
    keys = KeyRing(key_values, active, allow_demo=allow_demo)
    index = IdentityIndex.from_file(Path(spec.identities)) if spec.identities is not None else None
    first_pass = FirstPass(ExportRequest(profile, spec.recipient, spec.on, keys, index))
    while len(_PASSES) >= _PASSES_KEPT:
        _forget(next(iter(_PASSES)))
    _PASSES[spec.run] = (first_pass, index)
    return first_pass


def _forget(run: str) -> None:
    _, index = _PASSES.pop(run, (None, None))
    if index is not None:
        index.close()
