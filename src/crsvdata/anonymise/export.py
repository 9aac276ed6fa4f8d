"""Run an export profile: the entry points ``export`` (in memory) and ``export_file`` (atomic files).

The work is split along the pipeline: :mod:`.inputs` reads, :mod:`.records` (record-level profiles, via
:mod:`.builder` and :mod:`.paths`) or :mod:`.referral` (identified referral) transforms, :mod:`.sink`
hashes what is written for the manifest. Tables are :mod:`crsvdata.aggregate`'s.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import (
    AnonymisationError,
    ConsentScopeError,
)
from crsvdata.anonymise.inputs import IdentityIndex, read_case_records
from crsvdata.anonymise.keys import DEMO_NOTE
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import ExportProfile
from crsvdata.anonymise.pseudonymise import KeyRing
from crsvdata.anonymise.records import export_records, pseudonym_domain
from crsvdata.anonymise.referral import export_referral
from crsvdata.anonymise.sink import HashingSink
from crsvdata.io import atomic_writer
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord

# --- entry points -----------------------------------------------------------------------------------

__all__ = ["ExportResult", "export", "export_file", "resolve_profile"]


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
    chosen = profile if isinstance(profile, ExportProfile) else ExportProfile.load(profile)
    if recipient is None:
        if chosen.recipient_category is None:
            raise ConsentScopeError(f"profile {chosen.name!r} needs a named recipient organisation")
        recipient = Recipient(category=chosen.recipient_category)
    if chosen.requires_recipient_organisation and recipient.organisation is None:
        raise ConsentScopeError(f"profile {chosen.name!r} needs a named recipient organisation")
    return chosen, recipient


def _run(
    records: Iterable[CaseRecord],
    profile: ExportProfile,
    keys: KeyRing | None,
    recipient: Recipient,
    on: date,
    identities: IdentityIndex | None,
    sink: HashingSink,
    random_bytes: Callable[[int], bytes],
    publisher: str | None = None,
) -> ExportResult:
    manifest = Manifest(profile=profile, recipient=recipient, export_date=on)
    if keys is not None:
        manifest.key_id = keys.active
        manifest.key_fingerprint = keys.fingerprint()
        if keys.demo:
            manifest.notes.append(DEMO_NOTE)
        if profile.kind != "aggregates":
            manifest.pseudonym_domain = pseudonym_domain(profile, recipient)
    result = ExportResult(manifest, b"")
    if profile.kind == "records":
        if keys is None:
            raise AnonymisationError("a record-level export needs a pseudonymisation key")
        export_records(records, profile, keys, recipient, on, identities, sink, manifest, random_bytes)
    elif profile.kind == "aggregates":
        raise AnonymisationError(
            f"profile {profile.name!r} publishes tables: use crsvdata.aggregate (crsvdata stats)"
        )
    else:
        if keys is None:
            raise AnonymisationError("a referral export needs a pseudonymisation key")
        result.package = export_referral(
            records, profile, keys, recipient, on, identities, sink, manifest, publisher
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

    ``recipient`` defaults to the profile's recipient category; ``on`` (the day consent must hold) to
    today (UTC). ``identities`` lets narratives be redacted with each survivor's own identity values
    and is required for the identity part of a referral. Raises an ``AnonymisationError`` subclass
    rather than return an export that breaks the profile.
    """
    chosen, who = resolve_profile(profile, recipient)
    index = (
        identities
        if isinstance(identities, IdentityIndex) or identities is None
        else IdentityIndex(identities)
    )
    buffer = io.BytesIO()
    result = _run(
        records,
        chosen,
        keys,
        who,
        on or datetime.now(UTC).date(),
        index,
        HashingSink(buffer),
        random_bytes,
        publisher,
    )
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
) -> Manifest:
    """Export a JSON Lines file of case records to ``target``, with its manifest beside it.

    Both files are written atomically: on any failure neither exists (never a partial file). The
    manifest goes to ``manifest_path`` (default: ``target`` + ``.manifest.json``).
    """
    chosen, who = resolve_profile(profile, recipient)
    manifest_target = manifest_path or target.with_name(target.name + ".manifest.json")
    manifest_written = False
    with ExitStack() as stack:
        index = IdentityIndex.from_file(identities) if identities is not None else None
        if index is not None:
            stack.callback(index.close)
        try:
            with atomic_writer(target, "wb") as handle:
                result = _run(
                    read_case_records(source),
                    chosen,
                    keys,
                    who,
                    on or datetime.now(UTC).date(),
                    index,
                    HashingSink(handle),
                    secrets.token_bytes,
                    publisher,
                )
                with atomic_writer(manifest_target, "w") as manifest_handle:
                    manifest_handle.write(result.manifest.to_json())
                manifest_written = True
        except BaseException:
            if manifest_written:
                with suppress(OSError):
                    manifest_target.unlink()
            raise
    return result.manifest
