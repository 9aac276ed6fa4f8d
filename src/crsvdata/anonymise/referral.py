"""Identified referral: one package for one named organisation, with the consented identity fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

import orjson
from pydantic import ValidationError

from crsvdata.anonymise.consent import Recipient
from crsvdata.anonymise.errors import AnonymisationError, ConsentScopeError, EmptyExportError
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.pseudonymise import Pseudonymiser
from crsvdata.anonymise.records import ExportRequest, consenting_records, pseudonym_domain
from crsvdata.anonymise.sink import HashingSink
from crsvdata.models import CaseRecord, ExchangePackage
from crsvdata.schema.documents import schema_id
from crsvdata.version import RECORD_STANDARD_VERSION

# --- identified referral ----------------------------------------------------------------------------

_REFERRAL_SURVIVOR_REQUIRED: Final = ("survivor_ref", "sex", "status", "role")
_REFERRAL_INCIDENT_REQUIRED: Final = (
    "incident_id",
    "incident_date",
    "location",
    "contexts",
    "acts",
    "confidentiality",
)


def export_referral(
    records: Iterable[CaseRecord], request: ExportRequest, *, sink: HashingSink, manifest: Manifest
) -> ExchangePackage:
    """Write one exchange package of the referred case records and their consented identity fields."""
    profile, keys, recipient, on = request.profile, request.keys, request.recipient, request.on
    identities, publisher = request.identities, request.publisher
    spec = profile.referral
    assert spec is not None
    if keys is None:
        raise AnonymisationError("a referral export needs a pseudonymisation key")
    if recipient.organisation is None:
        raise ConsentScopeError("a referral goes to one named organisation: give the recipient organisation")
    pseudonymiser = Pseudonymiser(keys, pseudonym_domain(profile, recipient))
    cases: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    sources: set[str] = set()
    for record in consenting_records(records, profile, recipient, on, manifest):
        source = record.source_organisation
        sources.add(source)
        survivor_token = pseudonymiser.token(
            f"{source}\x1f{record.survivor.survivor_ref}", "survivor", normalise_as="ref"
        )
        manifest.values.pseudonymised["survivor.survivor_ref"] += 1
        manifest.values.pseudonymised["record_id"] += 1
        cases.append(_referral_case(record, spec.case_fields, recipient, survivor_token, pseudonymiser))
        held = identities.get_all(source, record.survivor.survivor_ref) if identities else []
        for identity in held:
            document = identity.to_json_dict()
            kept = {k: v for k, v in document.items() if k in spec.identity_fields}
            people.append(
                {
                    "survivor_ref": survivor_token,
                    "holder_organisation": document["holder_organisation"],
                    "recorded_at": document["recorded_at"],
                    **kept,
                }
            )
        if not held:
            manifest.notes.append("a referred case has no identity record in the identity file")
    if len(sources) > 1 and publisher is None:
        raise ConsentScopeError("the referred records come from several organisations: give the publisher")
    publisher = publisher or (next(iter(sources)) if sources else None)
    if publisher is None:
        raise EmptyExportError("no record may be referred to this recipient: nothing was written", manifest)
    package: dict[str, Any] = {
        "package_id": f"referral-{on.isoformat()}",
        "standard_version": RECORD_STANDARD_VERSION,
        "publisher": publisher,
        "published_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "purpose": "referral",
    }
    if cases:
        package["case_records"] = cases
    if people:
        package["identity_records"] = people
    try:
        model = ExchangePackage.model_validate_json(orjson.dumps(package))
    except ValidationError as exc:
        codes = sorted({str(e["type"]) for e in exc.errors()})
        raise AnonymisationError(f"the referral package failed its own schema ({', '.join(codes)})") from None
    sink.write(model.to_json().encode("utf-8") + b"\n")
    manifest.records_out = len(cases)
    manifest.output = {
        **sink.describe("application/json", schema_id("exchange-package")),
        "identity_records": len(people),
    }
    manifest.notes = sorted(set(manifest.notes))
    return model


_NEVER_EXPORTED: set[str] = {"extensions", "external_identifiers"}
"""Foreign values and foreign ids: free JSON that could carry identity around the profile, never exported."""


def _referral_case(
    record: CaseRecord,
    allowed: frozenset[str],
    recipient: Recipient,
    survivor_token: str,
    pseudonymiser: Pseudonymiser,
) -> dict[str, Any]:
    document = record.to_json_dict()
    survivor = {
        k: v
        for k, v in document["survivor"].items()
        if k in _REFERRAL_SURVIVOR_REQUIRED or f"survivor.{k}" in allowed
    }
    survivor["survivor_ref"] = survivor_token
    incidents = []
    for incident in document["incidents"]:
        kept = {
            k: v
            for k, v in incident.items()
            if k in _REFERRAL_INCIDENT_REQUIRED or f"incidents.{k}" in allowed
        }
        # Perpetrators are withheld, so the acts' references to them go too.
        kept["acts"] = [{k: v for k, v in act.items() if k != "perpetrator_ids"} for act in incident["acts"]]
        incidents.append(kept)
    out: dict[str, Any] = {
        "record_id": pseudonymiser.token(
            f"{record.source_organisation}\x1f{record.record_id}", "record", normalise_as="ref"
        ),
        "standard_version": document["standard_version"],
        "source_organisation": document["source_organisation"],
        "created_at": document["created_at"],
        "updated_at": document["updated_at"],
        "confidentiality": document["confidentiality"],
        "survivor": survivor,
        "incidents": incidents,
    }
    organisation = recipient.organisation or ""
    if "consents" in allowed:
        consents = [
            c.to_json_dict()
            for c in record.consents or ()
            if c.recipient_organisation == organisation
            or (c.recipient_category is not None and c.covers(c.purpose, organisation, recipient.category))
        ]
        if consents:
            out["consents"] = consents
    if "referrals" in allowed:
        referrals = [
            r.model_dump(mode="json", exclude_none=True, exclude=_NEVER_EXPORTED)
            for r in record.referrals or ()
            if r.to_organisation == organisation
        ]
        if referrals:
            out["referrals"] = referrals
    return out
