"""Record-level profiles: consent gate -> build -> search -> write -> re-measure.

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

import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import orjson
from pydantic import ValidationError

from crsvdata.anonymise.builder import TALLY_KEY, RecordBuilder, value_levels
from crsvdata.anonymise.consent import Recipient, consent_decision
from crsvdata.anonymise.errors import (
    AnonymisationError,
    DisclosureRiskError,
)
from crsvdata.anonymise.inputs import IdentityIndex
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.paths import allowed_path, output_paths, output_value
from crsvdata.anonymise.profiles import FIELD_CATALOGUE, ExportProfile
from crsvdata.anonymise.pseudonymise import KeyRing, Pseudonymiser
from crsvdata.anonymise.sink import HashingSink
from crsvdata.disclosure.risk import measure_risk
from crsvdata.disclosure.search import Column, search
from crsvdata.models import CaseRecord
from crsvdata.models.anonymised import AnonymisedCaseRecord
from crsvdata.schema.documents import schema_id

# --- record-level profiles --------------------------------------------------------------------------


def pseudonym_domain(profile: ExportProfile, recipient: Recipient) -> str:
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


def export_records(
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
    domain = pseudonym_domain(profile, recipient)
    pseudonymisers = {
        mode: Pseudonymiser(keys, domain, mode, random_bytes) for mode in ("linkable", "unlinkable")
    }
    order_key = Pseudonymiser(keys, domain + "/order")
    builder = RecordBuilder(profile, pseudonymisers, identities, manifest)
    disclosure = profile.disclosure
    qcols = [Column(path, value_levels(profile.fields[path])) for path in disclosure.quasi_identifiers]
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
            for key, count in body.pop(TALLY_KEY, {}).items():
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
            outside = [p for p in output_paths(written) if not allowed_path(p, allowed)]
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
