"""Run an export profile: consent gate -> minimise -> pseudonymise -> generalise -> redact -> check -> write.

Record-level profiles make two passes. The first reads and gates each record, builds its anonymised form
without the quasi-identifiers and spools it to an anonymous temporary file, keeping in memory only
integer codes of the quasi-identifier values at each allowed level. The search then picks the levels;
the second pass reads the spool, fills in the quasi-identifiers, validates every record against
``AnonymisedCaseRecord`` and writes it. Finally the risk is measured again on what was written, by
:func:`measure_risk` reading the output rows, and the export fails (leaving no file) unless it meets
the profile. Records come out grouped by class and, within a class, in an order keyed by the secret, so
the input order (often the order of registration) does not show.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Final

import orjson
from pydantic import ValidationError

from crsvdata.anonymise.consent import Recipient, consent_decision
from crsvdata.anonymise.errors import (
    AnonymisationError,
    ConsentScopeError,
    DisclosureRiskError,
    InvalidInputError,
)
from crsvdata.anonymise.generalise import (
    age_json,
    generalise_age,
    generalise_category,
    generalise_date,
    generalise_period,
    generalise_place,
)
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.profiles import FIELD_CATALOGUE, ExportProfile, FieldRule
from crsvdata.anonymise.pseudonymise import KeyRing, Pseudonymiser
from crsvdata.anonymise.redact import KnownValues, redact_text
from crsvdata.disclosure.risk import measure_risk
from crsvdata.disclosure.search import Column, search
from crsvdata.io import atomic_writer, iter_lines
from crsvdata.models import CaseRecord, ExchangePackage, IdentityRecord
from crsvdata.models.anonymised import AnonymisedCaseRecord
from crsvdata.schema.documents import schema_id
from crsvdata.version import RECORD_STANDARD_VERSION

__all__ = [
    "ExportResult",
    "HashingSink",
    "IdentityIndex",
    "consenting_records",
    "export",
    "export_file",
    "output_paths",
    "output_value",
    "read_case_records",
    "resolve_profile",
]

_MAX_NARRATIVE: Final = 20000
_TALLY: Final = "__tally"
"""A private key of a spooled record: counts known only in the first pass, removed before writing."""


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


# --- output paths (shared by the builder, the re-check and the tests) -------------------------------


def _canon(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def output_value(document: Mapping[str, Any], path: str) -> str:
    """The canonical value of a profile field in an anonymised record, as the risk check reads it.

    Survivor fields give the field's value; incident fields the list of the values of every incident.
    Absent values are ``null``.
    """
    head, _, name = path.partition(".")
    if head == "survivor":
        return _canon((document.get("survivor") or {}).get(name))
    if head == "incidents":
        field = "acts" if name == "acts" else name
        return _canon([incident.get(field) for incident in document.get("incidents") or ()])
    return _canon(document.get(path))


def output_paths(document: Any, prefix: str = "") -> set[str]:
    """The dotted paths of every leaf of a JSON document (list indices dropped)."""
    if isinstance(document, dict):
        paths: set[str] = set()
        for key, value in document.items():
            paths |= output_paths(value, f"{prefix}.{key}" if prefix else key)
        return paths
    if isinstance(document, list):
        paths = set()
        for item in document:
            paths |= output_paths(item, prefix)
        return paths or {prefix}
    return {prefix}


def _allowed(path: str, allowed: frozenset[str]) -> bool:
    return any(path == a or path.startswith(a + ".") for a in allowed)


# --- the record builder -----------------------------------------------------------------------------


def _levels(rule: FieldRule) -> tuple[str, ...]:
    return rule.levels if rule.transform == "generalise" else ("value",)


class _RecordBuilder:
    """Builds one record's anonymised form (without quasi-identifiers) and their values at each level."""

    def __init__(
        self,
        profile: ExportProfile,
        pseudonymisers: Mapping[str, Pseudonymiser],
        identities: IdentityIndex | None,
        manifest: Manifest,
    ) -> None:
        self.profile = profile
        self.rules = profile.fields
        self.pseudonymisers = pseudonymisers
        self.identities = identities
        self.qis = profile.disclosure.quasi_identifiers
        self.qi_set = frozenset(self.qis)
        self.sensitive = profile.disclosure.sensitive

    # One value of a survivor field at one level.
    def _survivor(self, record: CaseRecord, name: str, level: str) -> Any:
        survivor = record.survivor
        if name == "age":
            return age_json(generalise_age(survivor.age_at_first_incident, level, self.profile.top_code_age))
        raw: Any
        if name == "sex":
            raw = survivor.sex.value
        elif name == "status":
            raw = survivor.status.value
        elif name == "role":
            raw = survivor.role.value
        elif name == "displacement_status":
            raw = survivor.displacement_status.value if survivor.displacement_status else None
        elif name == "disabilities":
            raw = [d.value for d in survivor.disabilities] if survivor.disabilities else None
        elif name == "nationality":
            raw = survivor.nationality.value if survivor.nationality else None
        else:
            raise AssertionError(name)
        return raw if level == "value" else generalise_category(raw, level)

    # One value of an incident field at one level.
    def _incident(self, incident: Any, name: str, level: str) -> Any:
        if name == "incident_ref":
            return incident.incident_id
        if name == "period":
            return generalise_period(incident.incident_date, level)
        if name == "reported_period":
            return generalise_date(incident.reported_on, level) if incident.reported_on else None
        if name == "place":
            return generalise_place(incident.location, level)
        if name == "control_status":
            value = incident.location.control_status.value
            return value if level == "value" else generalise_category(value, level)
        if name == "contexts":
            return [c.value for c in incident.contexts]
        if name == "acts":
            acts = []
            for act in sorted(incident.acts, key=lambda a: a.form.value):
                item: dict[str, Any] = {"form": act.form.value}
                if "incidents.acts.repeated" in self.rules and act.repeated is not None:
                    item["repeated"] = act.repeated
                if "incidents.acts.perpetrator_ids" in self.rules and act.perpetrator_ids:
                    item["perpetrator_ids"] = list(act.perpetrator_ids)
                acts.append(item)
            return acts
        if name == "perpetrators":
            return [p.to_json_dict() for p in incident.perpetrators] if incident.perpetrators else None
        if name == "conflict_nexus":
            return [c.value for c in incident.conflict_nexus] if incident.conflict_nexus else None
        if name == "verification_status":
            return incident.verification_status.value if incident.verification_status else None
        raise AssertionError(name)

    def _token(self, path: str, value: str, kind: str) -> str:
        rule = self.rules[path]
        mode = rule.mode or self.profile.pseudonym_mode
        return self.pseudonymisers[mode].token(value, kind, normalise_as="ref")

    def build(self, record: CaseRecord) -> tuple[dict[str, Any], list[tuple[str, ...]], list[str]]:
        """The anonymised record without its quasi-identifiers, their values per level, sensitive values."""
        rules = self.rules
        body: dict[str, Any] = {
            "standard_version": RECORD_STANDARD_VERSION,
            "profile": self.profile.name,
            "profile_version": self.profile.version,
        }
        qi_values: dict[str, tuple[str, ...]] = {}
        source = record.source_organisation
        if "record_ref" in rules:
            body["record_ref"] = self._token("record_ref", f"{source}\x1f{record.record_id}", "record")
        if "source_organisation" in rules:
            body["source_organisation"] = source
        survivor: dict[str, Any] = {}
        if "survivor.survivor_ref" in rules:
            survivor["survivor_ref"] = self._token(
                "survivor.survivor_ref", f"{source}\x1f{record.survivor.survivor_ref}", "survivor"
            )
        incidents: list[dict[str, Any]] = [{} for _ in record.incidents]
        for path, rule in rules.items():
            head, _, name = path.partition(".")
            if head == "survivor" and name != "survivor_ref":
                levels = _levels(rule)
                if path in self.qi_set:
                    qi_values[path] = tuple(_canon(self._survivor(record, name, level)) for level in levels)
                    continue
                value = self._survivor(record, name, levels[0])
                if value is not None:
                    survivor[name] = value
            elif head == "incidents" and name.count(".") == 0 and name != "narrative":
                levels = _levels(rule)
                if path in self.qi_set:
                    qi_values[path] = tuple(
                        _canon([self._incident(incident, name, level) for incident in record.incidents])
                        for level in levels
                    )
                    continue
                for target, incident in zip(incidents, record.incidents, strict=True):
                    value = self._incident(incident, name, levels[0])
                    if value is not None:
                        target[name] = value
        if "incidents.narrative" in rules:
            tally: dict[str, int] = {}
            self._narratives(record, incidents, rules["incidents.narrative"], tally)
            if tally:
                body[_TALLY] = tally
        if "survivor" in {p.partition(".")[0] for p in rules}:
            body["survivor"] = survivor
        if any(p.startswith("incidents.") for p in rules):
            body["incidents"] = incidents
        if "proceedings" in rules and record.proceedings:
            body["proceedings"] = [self._proceeding(p) for p in record.proceedings]
        if "reparations" in rules and record.reparations:
            body["reparations"] = [self._reparation(c) for c in record.reparations]
        if "services" in rules and record.referrals:
            services = sorted(
                {(r.sector.value, r.outcome.value if r.outcome else "") for r in record.referrals}
            )
            body["services"] = [
                {"sector": sector, **({"outcome": outcome} if outcome else {})}
                for sector, outcome in services
            ]
        sensitive = [output_value(body, path) for path in self.sensitive]
        return body, [qi_values[path] for path in self.qis], sensitive

    def _date(self, path: str, day: date | None) -> str | None:
        if day is None or path not in self.rules:
            return None
        return generalise_date(day, self.rules[path].levels[0])

    def _proceeding(self, proceeding: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "proceeding_ref": proceeding.proceeding_id,
            "jurisdiction": proceeding.jurisdiction.value,
            "stage": proceeding.stage.value,
        }
        if "proceedings.erdr_number" in self.rules and proceeding.erdr_number:
            out["erdr_number"] = proceeding.erdr_number
        self._put_dates(
            out,
            (
                ("registered", "proceedings.registered", proceeding.registered_on),
                ("stage_period", "proceedings.stage_period", proceeding.stage_on),
            ),
        )
        if "proceedings.articles" in self.rules and proceeding.articles:
            out["articles"] = [a.value for a in proceeding.articles]
        if "proceedings.incident_refs" in self.rules:
            out["incident_refs"] = list(proceeding.incident_ids)
        return out

    def _put_dates(self, out: dict[str, Any], fields: tuple[tuple[str, str, Any], ...]) -> None:
        # Each (output key, profile path, day): the profile's transform decides whether and how it leaves.
        for key, path, day in fields:
            value = self._date(path, day)
            if value is not None:
                out[key] = value

    def _reparation(self, claim: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "claim_ref": claim.claim_id,
            "programme": claim.programme.value,
            "status": claim.status.value,
        }
        self._put_dates(
            out,
            (
                ("submitted", "reparations.submitted", claim.submitted_on),
                ("decided", "reparations.decided", claim.decision_on),
            ),
        )
        if "reparations.forms" in self.rules and claim.forms:
            out["forms"] = [f.value for f in claim.forms]
        amounts = "reparations.amounts" in self.rules
        if amounts and claim.awarded is not None:
            out["awarded"] = claim.awarded.to_json_dict()
        payments = []
        for payment in claim.payments or ():
            item: dict[str, Any] = {}
            paid = self._date("reparations.payments.paid", payment.paid_on)
            if paid is not None:
                item["paid"] = paid
            if amounts:
                item["amount"] = payment.amount.to_json_dict()
            if item:
                payments.append(item)
        if payments:
            out["payments"] = payments
        return out

    def _narratives(
        self, record: CaseRecord, incidents: list[dict[str, Any]], rule: FieldRule, tally: dict[str, int]
    ) -> None:
        known: KnownValues | None = None
        identities: list[IdentityRecord] = []
        if self.identities is not None:
            identities = self.identities.get_all(record.source_organisation, record.survivor.survivor_ref)
        for target, incident in zip(incidents, record.incidents, strict=True):
            if incident.narrative is None:
                continue
            if not identities:
                # Without the survivor's own names and numbers, detectors alone miss names: withhold.
                tally["suppressed:incidents.narrative"] = tally.get("suppressed:incidents.narrative", 0) + 1
                continue
            if known is None:
                known = KnownValues.merged(KnownValues.from_identity(i) for i in identities)
            result = redact_text(incident.narrative, known, rule.detectors, fallback=rule.fallback)
            if not result.text.strip() or len(result.text) > _MAX_NARRATIVE:
                tally["suppressed:incidents.narrative"] = tally.get("suppressed:incidents.narrative", 0) + 1
                continue
            for kind, count in result.counts.items():
                tally[f"redacted:{kind}"] = tally.get(f"redacted:{kind}", 0) + count
            target["narrative_redacted"] = result.text


# --- hashing writer ---------------------------------------------------------------------------------


class HashingSink:
    """Writes bytes to a stream and keeps their SHA-256 and size for the manifest."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.hash.update(data)
        self.size += len(data)

    def describe(self, media_type: str, schema: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"media_type": media_type, "bytes": self.size, "sha256": self.hash.hexdigest()}
        if schema is not None:
            out["schema"] = schema
        return out


# --- record-level profiles --------------------------------------------------------------------------


def _domain(profile: ExportProfile, recipient: Recipient) -> str:
    return f"crsvdata/{profile.name}/{recipient.label}"


def consenting_records(
    records: Iterable[CaseRecord], profile: ExportProfile, recipient: Recipient, on: date, manifest: Manifest
) -> Iterator[CaseRecord]:
    for record in records:
        manifest.records_in += 1
        decision = consent_decision(record, profile.purpose, recipient, on)
        if decision == "granted":
            yield record
        else:
            manifest.excluded[decision] += 1


def _export_records(
    records: Iterable[CaseRecord],
    profile: ExportProfile,
    keys: KeyRing,
    recipient: Recipient,
    on: date,
    identities: IdentityIndex | None,
    sink: HashingSink,
    manifest: Manifest,
    random_bytes: Callable[[int], bytes],
) -> None:
    domain = _domain(profile, recipient)
    pseudonymisers = {
        mode: Pseudonymiser(keys, domain, mode, random_bytes) for mode in ("linkable", "unlinkable")
    }
    order_key = Pseudonymiser(keys, domain + "/order")
    builder = _RecordBuilder(profile, pseudonymisers, identities, manifest)
    disclosure = profile.disclosure
    qcols = [Column(path, _levels(profile.fields[path])) for path in disclosure.quasi_identifiers]
    scols = [Column(path, ("value",)) for path in disclosure.sensitive]
    offsets: array[int] = array("Q")
    order: list[str] = []
    with tempfile.TemporaryFile() as spool:
        for record in consenting_records(records, profile, recipient, on, manifest):
            body, qi_values, sensitive = builder.build(record)
            offsets.append(spool.tell())
            spool.write(orjson.dumps(body) + b"\n")
            for column, values in zip(qcols, qi_values, strict=True):
                column.add(values)
            for column, value in zip(scols, sensitive, strict=True):
                column.add((value,))
            order.append(order_key.digest(f"{record.source_organisation}\x1f{record.record_id}", "order"))
        result = search(
            qcols,
            scols,
            k=disclosure.k,
            l=disclosure.l,
            max_global_risk=disclosure.max_global_risk,
            max_suppressed_fraction=disclosure.max_suppressed_fraction,
        )
        if result is None:
            raise DisclosureRiskError(
                f"no generalisation within the levels of profile {profile.name!r} reaches k={disclosure.k}, "
                f"l={disclosure.l} and global risk <= {disclosure.max_global_risk} while suppressing at "
                f"most {disclosure.max_suppressed_fraction:.0%} of the {len(offsets)} consenting records"
            )
        node = result.node
        manifest.levels = {col.name: col.levels[level] for col, level in zip(qcols, node, strict=True)}
        manifest.search = {"nodes_evaluated": result.evaluated, "loss": round(result.loss, 6)}
        kept = [i for i in range(len(offsets)) if not result.is_suppressed(qcols, i)]
        if len(kept) < len(offsets):
            manifest.excluded["disclosure.suppressed"] += len(offsets) - len(kept)
        kept.sort(key=lambda i: (tuple(col.value(i, node[q]) for q, col in enumerate(qcols)), order[i]))
        allowed = profile.allowed_output_paths
        rows: list[tuple[str, ...]] = []
        for index in kept:
            spool.seek(offsets[index])
            body = orjson.loads(spool.readline())
            for key, count in body.pop(_TALLY, {}).items():
                what, _, name = key.partition(":")
                (manifest.values.redacted if what == "redacted" else manifest.values.suppressed)[name] += (
                    count
                )
            for q, column in enumerate(qcols):
                _insert(
                    body,
                    column.name,
                    orjson.loads(column.value(index, node[q])),
                    manifest,
                    column,
                    index,
                    node[q],
                )
            try:
                model = AnonymisedCaseRecord.model_validate_json(orjson.dumps(body))
            except ValidationError as exc:
                codes = sorted({str(e["type"]) for e in exc.errors()})
                raise AnonymisationError(
                    f"an anonymised record failed its own schema ({', '.join(codes)})"
                ) from None
            text = model.to_json().encode("utf-8")
            written = orjson.loads(text)
            outside = [p for p in output_paths(written) if not _allowed(p, allowed)]
            if outside:
                raise AnonymisationError(
                    f"a field outside the profile's allow-list was produced: {outside[0]}"
                )
            sink.write(text + b"\n")
            _tally_written(written, profile, manifest)
            manifest.records_out += 1
            rows.append(
                tuple(
                    output_value(written, p) for p in (*disclosure.quasi_identifiers, *disclosure.sensitive)
                )
            )
    _verify(rows, profile, manifest, len(offsets))
    manifest.output = sink.describe("application/x-ndjson", schema_id("anonymised-case-record"))


def _count_present(node: Any, parts: list[str]) -> int:
    if isinstance(node, list):
        return sum(_count_present(item, parts) for item in node)
    if not parts:
        return 0 if node is None else 1
    if not isinstance(node, dict):
        return 0
    return _count_present(node.get(parts[0]), parts[1:])


def _tally_written(document: Mapping[str, Any], profile: ExportProfile, manifest: Manifest) -> None:
    """Count pseudonymised and generalised values in one written record."""
    tally = manifest.values
    for path, rule in profile.fields.items():
        output = FIELD_CATALOGUE[path].outputs[0]
        if rule.transform == "pseudonymise":
            tally.pseudonymised[path] += _count_present(document, output.split("."))
        elif rule.transform == "generalise":
            level = manifest.levels.get(path, rule.levels[0])
            if FIELD_CATALOGUE[path].hierarchy.index(level) > 0:
                count = _count_present(document, output.split("."))
                if count:
                    tally.generalised[path] += count


def _insert(
    body: dict[str, Any], path: str, value: Any, manifest: Manifest, column: Column, index: int, level: int
) -> None:
    head, _, name = path.partition(".")
    finest = orjson.loads(column.value(index, 0))
    if head == "survivor":
        if value is not None:
            body.setdefault("survivor", {})[name] = value
        elif finest is not None:
            manifest.values.suppressed[path] += 1
        return
    incidents = body.setdefault("incidents", [])
    for position, item in enumerate(value):
        if item is not None:
            incidents[position][name] = item
        elif finest[position] is not None:
            manifest.values.suppressed[path] += 1


def _verify(rows: list[tuple[str, ...]], profile: ExportProfile, manifest: Manifest, consenting: int) -> None:
    disclosure = profile.disclosure
    if not disclosure.quasi_identifiers:
        return
    names = (*disclosure.quasi_identifiers, *disclosure.sensitive)
    risk = measure_risk(
        (dict(zip(names, row, strict=True)) for row in rows),
        disclosure.quasi_identifiers,
        disclosure.sensitive,
    )
    manifest.risk = risk
    if risk.records == 0:
        return
    problems = []
    if risk.k < disclosure.k:
        problems.append(f"k={risk.k} < {disclosure.k}")
    if disclosure.l > 1 and (risk.l_distinct or 0) < disclosure.l:
        problems.append(f"l={risk.l_distinct} < {disclosure.l}")
    if risk.global_risk > disclosure.max_global_risk + 1e-12:
        problems.append(f"global risk {risk.global_risk:.3f} > {disclosure.max_global_risk}")
    if consenting and (consenting - risk.records) / consenting > disclosure.max_suppressed_fraction + 1e-9:
        problems.append("suppression budget exceeded")
    if problems:
        raise DisclosureRiskError("the output does not meet the profile: " + "; ".join(problems))


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


def _export_referral(
    records: Iterable[CaseRecord],
    profile: ExportProfile,
    keys: KeyRing,
    recipient: Recipient,
    on: date,
    identities: IdentityIndex | None,
    sink: HashingSink,
    manifest: Manifest,
    publisher: str | None,
) -> ExchangePackage:
    spec = profile.referral
    assert spec is not None
    if recipient.organisation is None:
        raise ConsentScopeError("a referral goes to one named organisation: give the recipient organisation")
    pseudonymiser = Pseudonymiser(keys, _domain(profile, recipient))
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
        raise ConsentScopeError("no record may be referred to this recipient: nothing to write")
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
        referrals = [r.to_json_dict() for r in record.referrals or () if r.to_organisation == organisation]
        if referrals:
            out["referrals"] = referrals
    return out


# --- entry points -----------------------------------------------------------------------------------


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
        if profile.kind != "aggregates":
            manifest.pseudonym_domain = _domain(profile, recipient)
    result = ExportResult(manifest, b"")
    if profile.kind == "records":
        if keys is None:
            raise AnonymisationError("a record-level export needs a pseudonymisation key")
        _export_records(records, profile, keys, recipient, on, identities, sink, manifest, random_bytes)
    elif profile.kind == "aggregates":
        raise AnonymisationError(
            f"profile {profile.name!r} publishes tables: use crsvdata.aggregate (crsvdata stats)"
        )
    else:
        if keys is None:
            raise AnonymisationError("a referral export needs a pseudonymisation key")
        result.package = _export_referral(
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
