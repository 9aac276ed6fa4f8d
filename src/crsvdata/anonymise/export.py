"""Run an export profile: the entry points ``export`` (in memory) and ``export_file`` (atomic files).

The work is split along the pipeline: :mod:`.inputs` reads, :mod:`.records` (record-level profiles, via
:mod:`.builder` and :mod:`.paths`) or :mod:`.referral` (identified referral) transforms, :mod:`.sink`
hashes what is written for the manifest. Tables are :mod:`crsvdata.aggregate`'s.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError, ConsentScopeError, EmptyExportError
from crsvdata.anonymise.inputs import IdentityIndex, read_case_records
from crsvdata.anonymise.keys import DEMO_NOTE
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.pseudonymise import KeyRing
from crsvdata.anonymise.records import (
    ExportRequest,
    export_first_pass,
    export_records,
    pseudonym_domain,
)
from crsvdata.anonymise.referral import export_referral
from crsvdata.anonymise.sink import HashingSink, write_with_manifest
from crsvdata.io import is_json_lines_path, refuse_unsafe_outputs
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord

if TYPE_CHECKING:
    from crsvdata.anonymise.parallel import ParallelExport

# --- entry points -----------------------------------------------------------------------------------

__all__ = ["ExportResult", "consent_day", "export", "export_file", "resolve_profile"]


@dataclass
class ExportResult:
    """What an export produced: the bytes that would be written, and the manifest."""

    manifest: Manifest
    data: bytes
    package: ExchangePackage | None = None

    @property
    def records(self) -> list[dict[str, Any]]:
        """The anonymised records (record-level profiles), as JSON objects."""
        return [orjson.loads(line) for line in self.data.splitlines() if line.strip()]


def resolve_profile(
    profile: ExportProfile | str, recipient: Recipient | None
) -> tuple[ExportProfile, Recipient]:
    """The profile, and the recipient completed with the profile's category when it names none.

    A record-level profile (records or referral) needs a named recipient organisation: its pseudonyms
    are made in that organisation's own domain, so two recipients can never link their exports.
    """
    chosen = profile if isinstance(profile, ExportProfile) else ExportProfile.load(profile)
    if recipient is None:
        if chosen.recipient_category is None or chosen.is_record_level:
            raise ConsentScopeError(
                f"profile {chosen.name!r} needs a named recipient organisation (--recipient ORG)"
            )
        recipient = Recipient(category=chosen.recipient_category)
    elif recipient.category is None and chosen.recipient_category is not None:
        recipient = Recipient(recipient.organisation, chosen.recipient_category)
    if (chosen.requires_recipient_organisation or chosen.is_record_level) and recipient.organisation is None:
        raise ConsentScopeError(
            f"profile {chosen.name!r} needs a named recipient organisation (--recipient ORG)"
        )
    return chosen, recipient


def today() -> date:
    """The run day (UTC): the day consent is evaluated on unless an aggregate names a past one."""
    return datetime.now(UTC).date()


def consent_day(profile: ExportProfile, on: date | None, *, as_of_past: bool = False) -> date:
    """The day consent is evaluated on: today, or ``on``.

    A day before today is refused for record-level profiles (a record that left cannot be called back,
    and a past day must never re-export what a survivor withdrew since); an aggregate may name one with
    ``as_of_past`` (to re-run a published period), and the manifest records it.
    """
    run_day = today()
    if on is None or on >= run_day:
        return on or run_day
    if profile.is_record_level:
        raise ConsentScopeError(
            f"profile {profile.name!r} is record level: consent is evaluated as of today, not a past day"
        )
    if not as_of_past:
        raise ConsentScopeError("a past consent day needs --as-of-past (recorded in the manifest)")
    return on


def _run(
    records: Iterable[CaseRecord],
    request: ExportRequest,
    sink: HashingSink,
    passes: ParallelExport | None = None,
) -> ExportResult:
    profile, keys, recipient = request.profile, request.keys, request.recipient
    manifest = Manifest(profile=profile, recipient=recipient, export_date=request.on)
    if keys is not None:
        manifest.key_id = keys.active
        manifest.key_fingerprint = keys.fingerprint()
        if keys.demo:
            manifest.notes.append(DEMO_NOTE)
        if profile.is_record_level:
            manifest.pseudonym_domain = pseudonym_domain(profile, recipient)
    result = ExportResult(manifest, b"")
    if profile.kind == "records":
        if passes is None:
            export_records(records, request, sink=sink, manifest=manifest)
        else:
            export_first_pass(
                passes.first_pass(), request, sink=sink, manifest=manifest, finish_all=passes.finish_all
            )
    elif profile.kind == "aggregates":
        raise AnonymisationError(
            f"profile {profile.name!r} publishes tables: use crsvdata.aggregate (crsvdata stats)"
        )
    else:
        if keys is None:
            raise AnonymisationError("a referral export needs a pseudonymisation key")
        result.package = export_referral(records, request, sink=sink, manifest=manifest)
    if manifest.records_out == 0:
        raise EmptyExportError(
            f"no record may leave under profile {profile.name!r} for recipient {recipient.label!r}; "
            "nothing was written",
            manifest,
        )
    return result


def export(
    records: Iterable[CaseRecord],
    profile: ExportProfile | str,
    *,
    keys: KeyRing,
    recipient: Recipient | None = None,
    on: date | None = None,
    identities: Iterable[IdentityRecord] | IdentityIndex | None = None,
    publisher: str | None = None,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> ExportResult:
    """Export ``records`` under ``profile`` in memory and return the output bytes and the manifest.

    ``recipient`` names the organisation (required: pseudonyms are made in its own domain); its
    category defaults to the profile's. Consent is evaluated as of today (UTC): ``on`` may name today or
    a later day, never an earlier one. ``identities`` lets narratives be redacted with each
    survivor's own identity values and is required for the identity part of a referral. Raises an
    ``AnonymisationError`` subclass rather than return an export that breaks the profile, and
    ``EmptyExportError`` when no record may leave.
    """
    chosen, who = resolve_profile(profile, recipient)
    day = consent_day(chosen, on)
    index = (
        identities
        if isinstance(identities, IdentityIndex) or identities is None
        else IdentityIndex(identities)
    )
    buffer = io.BytesIO()
    request = ExportRequest(chosen, who, day, keys, index, publisher, random_bytes)
    result = _run(records, request, HashingSink(buffer))
    result.data = buffer.getvalue()
    return result


def export_file(
    source: Path,
    target: Path,
    profile: ExportProfile | str,
    *,
    keys: KeyRing | None,
    recipient: Recipient | None = None,
    on: date | None = None,
    identities: Path | None = None,
    manifest_path: Path | None = None,
    publisher: str | None = None,
    jobs: int = 1,
) -> Manifest:
    """Export a JSON Lines file of case records to ``target``, with its manifest beside it.

    Both files are written atomically: on any failure neither exists (never a partial file). The
    manifest goes to ``manifest_path`` (default: ``target`` + ``.manifest.json``).

    ``jobs`` processes (this one included) run both passes over a JSON Lines file under a record-level
    profile loaded by name or from a file (:meth:`ExportProfile.load`); the output and the manifest are
    those of one process. Otherwise, or with ``jobs=1``, one process does it all.
    """
    chosen, who = resolve_profile(profile, recipient)
    day = consent_day(chosen, on)
    manifest_target = manifest_path or target.with_name(target.name + ".manifest.json")
    # The Python API refuses what the command line refuses: an output must never replace an input.
    refuse_unsafe_outputs(
        {"the output": target, "the manifest": manifest_target},
        {"the input": source, "the identities file": identities},
    )
    with ExitStack() as stack:
        index = IdentityIndex.from_file(identities) if identities is not None else None
        if index is not None:
            stack.callback(index.close)
        request = ExportRequest(chosen, who, day, keys, index, publisher)
        passes = None
        if jobs > 1 and is_json_lines_path(source):
            # Imported here: the process pool (multiprocessing) is loaded only by a run that uses it.
            from crsvdata.anonymise.parallel import ParallelExport, can_run_in_parallel

            if can_run_in_parallel(request):
                passes = stack.enter_context(ParallelExport(request, source, identities, jobs))
        return write_with_manifest(
            target,
            manifest_target,
            lambda sink: _run(read_case_records(source), request, sink, passes).manifest,
        )
