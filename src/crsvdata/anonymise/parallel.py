"""Both passes of a record-level export on several processes.

The first pass cuts the file as ``crsvdata validate --jobs`` cuts it
(:func:`crsvdata.validation.parallel.map_line_parts`): each process reads its lines with the one reader,
validates each record exactly as one process does (:func:`crsvdata.parse.documents_as`), decides consent
and builds it (:class:`.records.FirstPass`), and sends back only :class:`.records.FirstPassItem` tuples.
The second pass sends the spooled records in chunks (:func:`~crsvdata.validation.parallel.map_in_order`)
to :class:`.records.RecordFinisher`, which puts the chosen values in and checks each record against the
published schema and the allow-list. This process takes every result in input order, and the search,
the writing and the second measure are its own, so the spool, the output and the manifest are those of
one process, and the first invalid record stops the export with the message one process gives.

What a worker needs is sent as plain data: the profile by where it was loaded from and its SHA-256
(checked again), the key ring's keys (through the worker's pipe, never a file), the recipient, the
consent day, the identities file's path and, for the second pass, the chosen levels.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError, InvalidInputError
from crsvdata.anonymise.inputs import IdentityIndex, invalid_input
from crsvdata.anonymise.keys import KeyRing, key_ring_for_worker
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.records import (
    ExportRequest,
    FinishedRecord,
    FirstPass,
    FirstPassItem,
    RecordFinisher,
    ToFinish,
)
from crsvdata.io import InputError, Line, open_input, scan_lines
from crsvdata.models import CaseRecord
from crsvdata.parse import CrsvValidationError, documents_as
from crsvdata.validation.parallel import map_in_order, map_line_parts

__all__ = ["ParallelExport", "can_run_in_parallel"]


@dataclass(frozen=True, slots=True)
class _WorkerSpec:
    """What a worker process needs to run either pass: plain, picklable data only."""

    run: str
    profile_origin: str | Path
    profile_sha256: str
    recipient: Recipient
    on: date
    keys: tuple[dict[str, bytes], str, bool] = field(repr=False)  # a spec shown anywhere hides its keys
    identities: str | None = None


_PartResult = tuple[list[FirstPassItem], int, tuple[str, str] | None]
"""(the items of a part, its lines, the first invalid record's (message, code) or None)."""

_RUNS: dict[str, _RunState] = {}
"""What each process holds of the export runs it works on (a worker serves one run)."""
_RUNS_KEPT: Final = 4


def can_run_in_parallel(request: ExportRequest) -> bool:
    """Whether a worker process can rebuild ``request``: a profile loaded from a name or file, a key ring,
    and the default source of random bytes (an injected one could not be shared)."""
    return (
        request.profile.kind == "records"
        and request.profile.origin is not None
        and request.keys is not None
        and request.random_bytes is secrets.token_bytes
    )


class ParallelExport:
    """Both passes of one record-level export of the JSON Lines file ``source`` on ``jobs`` processes (this
    one among them).

    :meth:`first_pass` reads, checks and builds its records; :meth:`finish_all` is the second
    pass (:data:`.records.FinishAll`), on records sent in chunks. Use it as a context manager: on exit
    this process forgets the run (and closes its identities file).
    """

    def __init__(self, request: ExportRequest, source: Path, identities: Path | None, jobs: int) -> None:
        profile, keys = request.profile, request.keys
        if keys is None or profile.origin is None:
            raise AnonymisationError("this export cannot be sent to worker processes")
        self.source = source
        self.jobs = jobs
        self.spec = _WorkerSpec(
            run=secrets.token_hex(16),
            profile_origin=profile.origin,
            profile_sha256=profile.sha256,
            recipient=request.recipient,
            on=request.on,
            keys=key_ring_for_worker(keys),
            identities=None if identities is None else os.fspath(identities.resolve()),
        )

    def __enter__(self) -> ParallelExport:
        return self

    def __exit__(self, *_: object) -> None:
        _forget(self.spec.run)

    def first_pass(self) -> Iterator[FirstPassItem]:
        """The first pass over the JSON Lines file ``source``, items in file order.

        Raises what one process raises: ``InputError`` when the file cannot be read or has no line,
        ``InvalidInputError`` at the first record that is not valid.
        """
        return _first_pass_in_parallel(self.source, self.spec, self.jobs)

    def finish_all(self, records: Iterable[ToFinish], levels: Mapping[str, str]) -> Iterator[FinishedRecord]:
        """The second pass over ``records``, in order, in chunks of :data:`_FINISHED_PER_TASK`."""
        work = partial(_finish_chunk, self.spec, dict(levels))
        for finished in map_in_order(_chunks(records), self.jobs, work):
            yield from finished


_FINISHED_PER_TASK: Final = 256
"""Records sent to a worker at a time in the second pass (about 300 kB of spooled records)."""


def _chunks(records: Iterable[ToFinish]) -> Iterator[list[ToFinish]]:
    chunk: list[ToFinish] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == _FINISHED_PER_TASK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _finish_chunk(spec: _WorkerSpec, levels: dict[str, str], records: list[ToFinish]) -> list[FinishedRecord]:
    state = _state(spec)
    key = tuple(sorted(levels.items()))
    if state.finisher is None or state.levels != key:
        state.finisher, state.levels = RecordFinisher(state.first_pass.request.profile, levels), key
    return [state.finisher.finish(record) for record in records]


def _first_pass_in_parallel(path: Path, spec: _WorkerSpec, jobs: int) -> Iterator[FirstPassItem]:
    lines = 0
    with open_input(path) as stream:
        for items, count, error in map_line_parts(stream, jobs, partial(_first_pass_of_part, spec)):
            lines += count
            yield from items
            if error is not None:
                message, code = error
                raise InvalidInputError(message, code=code)
    if not lines:
        raise InputError("input.empty", "the input is empty")


def _first_pass_of_part(spec: _WorkerSpec, lines: Iterator[Line]) -> _PartResult:
    first_pass = _state(spec).first_pass
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


@dataclass
class _RunState:
    """One export run as one process knows it."""

    first_pass: FirstPass
    identities: IdentityIndex | None
    finisher: RecordFinisher | None = None
    levels: tuple[tuple[str, str], ...] = ()


def _state(spec: _WorkerSpec) -> _RunState:
    found = _RUNS.get(spec.run)
    if found is not None:
        return found
    profile = ExportProfile.load(spec.profile_origin)
    if profile.sha256 != spec.profile_sha256:
        raise AnonymisationError("the profile file changed while the export ran")
    key_values, active, allow_demo = spec.keys
    keys = KeyRing(key_values, active, allow_demo=allow_demo)
    index = IdentityIndex.from_file(Path(spec.identities)) if spec.identities is not None else None
    state = _RunState(FirstPass(ExportRequest(profile, spec.recipient, spec.on, keys, index)), index)
    while len(_RUNS) >= _RUNS_KEPT:
        _forget(next(iter(_RUNS)))
    _RUNS[spec.run] = state
    return state


def _forget(run: str) -> None:
    state = _RUNS.pop(run, None)
    if state is not None and state.identities is not None:
        state.identities.close()
