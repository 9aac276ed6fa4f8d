"""Read Primero v2 incident exports into case records and identity records, and report every value.

Every populated value of a Primero record ends in exactly one place, counted in the report: a standard
field (``mapped``), a namespaced extension (``extension``), an external identifier, the survivor's identity
record (``identity``, never case data), or the list of values refused and why (``refused``). A record with
a value of the wrong type, an option id its field does not have, an impossible date, or that does not
validate once mapped is a *bad record*: reported with its position and field ids, and not written. Reports
name fields and reasons, never values.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from crsvdata.codes.enums import AgeBand
from crsvdata.errors import CrsvError
from crsvdata.findings import Severity
from crsvdata.identifiers import PHONE_E164_PATTERN, check_phone
from crsvdata.interop.primero.table import FieldMapping, load_mapping, option_ids, reference_fields
from crsvdata.io.reader import Document, InputError, scan_documents
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.models._types import LOCAL_ID_PATTERN, REF_PATTERN
from crsvdata.models.survivor import age_band_limits
from crsvdata.parse import CrsvValidationError, parse_case_record, parse_identity_record
from crsvdata.rules import MINOR_AGE_GROUPS
from crsvdata.version import RECORD_STANDARD_VERSION

NAMESPACE: Final = "primero"
DEFAULTED_KEY: Final = "crsvdata:defaulted"
"""Extension key listing the pointers the importer filled with a default (the exporter leaves them out)."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
_LOOKS_IDENTIFYING = re.compile(
    r"name|phone|mobile|email|address|birth|dob|national_id|passport|document|tax|rnokpp|unzr|contact",
    re.IGNORECASE,
)
"""Unknown fields named like this go to the identity record: an implementation may add identity fields."""
_SAFE_ID = re.compile(r"[^A-Za-z0-9._:-]")


class BadValueError(CrsvError):
    """A Primero value the importer cannot accept: the record is bad. ``code`` names why."""

    def __init__(self, code: str, field_id: str) -> None:
        super().__init__(f"a Primero value the importer cannot accept ({code})", code=code)
        self.field_id = field_id


class _NotRepresentableError(Exception):  # control flow inside the importer, never raised out of it
    """A valid Primero value that the standard field cannot hold: kept as an extension instead."""


@dataclass
class RecordReport:
    """What happened to one Primero record: counts per outcome, and every value not mapped, by field id."""

    position: int
    line: int | None
    record_id: str | None
    counts: Counter[str] = field(default_factory=Counter)
    unmapped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"position": self.position, "counts": dict(sorted(self.counts.items()))}
        if self.line is not None:
            out["line"] = self.line
        if self.record_id is not None:
            out["record_id"] = self.record_id
        if self.unmapped:
            out["unmapped"] = self.unmapped
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass
class ImportResult:
    """The records read, and the report: per record, per field, what was not mapped and why."""

    cases: list[CaseRecord] = field(default_factory=list)
    identities: list[IdentityRecord] = field(default_factory=list)
    records: list[RecordReport] = field(default_factory=list)
    input_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bad_records(self) -> int:
        return sum(1 for record in self.records if record.errors) + len(self.input_errors)

    def report(self) -> dict[str, Any]:
        totals: Counter[str] = Counter()
        for record in self.records:
            totals.update(record.counts)
        return {
            "kind": "primero_import_report",
            "records_in": len(self.records),
            "records_out": len(self.cases),
            "identity_records_out": len(self.identities),
            "bad_records": self.bad_records,
            "values": dict(sorted(totals.items())),
            "input_errors": self.input_errors,
            "records": [record.to_dict() for record in self.records],
        }


# --- the two export shapes ----------------------------------------------------------------------------


def primero_records(value: Any) -> list[tuple[int, dict[str, Any] | None]]:
    """The records of one parsed Primero document, each with its position; None for a malformed entry.

    Accepted: the API record ``{"data": {...}}``, the API list ``{"data": [...]}``, the JSON exporter's
    array ``[{"id", "data", ...}]``, or one bare record object (one JSON Lines line).
    """
    if isinstance(value, dict) and "data" in value and set(value) <= {"data", "metadata"}:
        inner = value["data"]
        entries = inner if isinstance(inner, list) else [inner]
    elif isinstance(value, list):
        entries = value
    else:
        entries = [value]
    return [(index, _record_data(entry)) for index, entry in enumerate(entries)]


def _record_data(entry: Any) -> dict[str, Any] | None:
    if not isinstance(entry, dict):
        return None
    data = entry.get("data")
    if isinstance(data, dict):
        # The JSON exporter: the row's own members ('id', 'incident_case_id'...) beside its data.
        merged = {k: v for k, v in entry.items() if k != "data"}
        merged.update(data)
        return merged
    return entry


def populated(value: Any) -> bool:
    """Whether a Primero value says something (Primero writes nil, "" and [] for "not filled in")."""
    return value is not None and value != "" and value != [] and value != {}


# --- one record ---------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, report: RecordReport) -> None:
        self.report = report
        self.case: dict[str, Any] = {}
        self.identity: dict[str, Any] = {}
        self.defaulted: list[str] = []

    def container(self, path: str, row_index: int | None) -> dict[str, Any]:
        found: dict[str, Any] = _at(
            self.case, path.replace("*", str(row_index)) if row_index is not None else path
        )
        return found

    def extension(self, path: str, row_index: int | None, key: str, value: Any, reason: str) -> None:
        target = self.container(path, row_index)
        target.setdefault("extensions", {})[f"{NAMESPACE}:{key}"] = value
        self.report.counts["extension"] += 1
        self.report.unmapped.append(
            {"field": _where(key, row_index), "outcome": "extension", "reason": reason}
        )


def _where(field_id: str, row_index: int | None) -> str:
    return field_id if row_index is None else f"alleged_perpetrator/{row_index}/{field_id}"


def _at(document: dict[str, Any], pointer: str) -> Any:
    """The object at ``pointer``, creating objects and lists on the way (digits are list indices)."""
    node: Any = document
    parts = [p for p in pointer.split("/") if p]
    for position, part in enumerate(parts):
        next_is_index = position + 1 < len(parts) and parts[position + 1].isdigit()
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append([] if next_is_index else {})
            node = node[index]
        else:
            node = node.setdefault(part, [] if next_is_index else {})
    return node


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    parent, _, last = pointer.rpartition("/")
    _at(document, parent)[last] = value


def _check_type(spec: dict[str, Any] | None, field_id: str, value: Any, context: str) -> None:
    """Raise BadValueError for a value of the wrong JSON type or an option id its field does not have."""
    if spec is None:
        return
    kind = spec.get("type", "")
    if kind in ("text_field", "textarea", "text") and not isinstance(value, str):
        raise BadValueError("primero.wrong_type", field_id)
    if kind == "numeric_field" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise BadValueError("primero.wrong_type", field_id)
    if kind in ("tick_box", "boolean") and not isinstance(value, bool):
        raise BadValueError("primero.wrong_type", field_id)
    if kind == "date_field":
        if not isinstance(value, str) or not (_DATE.match(value) or _TIMESTAMP.match(value)):
            raise BadValueError("primero.wrong_type", field_id)
        _to_date(value, field_id)
    if kind == "subform" and not (isinstance(value, list) and all(isinstance(r, dict) for r in value)):
        raise BadValueError("primero.wrong_type", field_id)
    if kind in ("select_box", "radio_button"):
        allowed = option_ids(context, field_id)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool):
                item = "true" if item else "false"  # yes/no radios are often stored as booleans
            if not isinstance(item, str):
                raise BadValueError("primero.wrong_type", field_id)
            if allowed is not None and item not in allowed:
                raise BadValueError("primero.unknown_option", field_id)


def _to_date(value: str, field_id: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise BadValueError("primero.impossible_date", field_id) from None


def _convert(mapping: FieldMapping, value: Any, field_id: str) -> Any:
    """The crsvdata value of a Primero value through its row, _NotRepresentableError when it has none."""
    row = mapping.row
    transform = row.transform
    if transform == "text":
        return value
    if transform == "date":
        return _to_date(value, field_id).isoformat()
    if transform == "timestamp":
        if not isinstance(value, str) or not _TIMESTAMP.match(value):
            raise BadValueError("primero.wrong_type", field_id)
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            raise BadValueError("primero.impossible_date", field_id) from None
    if transform == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise _NotRepresentableError
        if not 0 <= value <= 120:
            raise _NotRepresentableError
        return int(value)
    if transform in ("ref", "local_id"):
        pattern = REF_PATTERN if transform == "ref" else LOCAL_ID_PATTERN
        if not isinstance(value, str) or not re.match(pattern, value):
            raise _NotRepresentableError
        return value
    if transform in ("code", "boolean"):
        option = ("true" if value else "false") if isinstance(value, bool) else value
        option_row = mapping.options.get(option)
        if option_row is None or option_row.target != "mapped":
            raise _NotRepresentableError
        return option_row.code == "true" if transform == "boolean" else option_row.code
    raise ValueError(f"mapping.csv: unknown transform {transform!r} for field {field_id}")


def _carry(
    builder: _Builder, context: str, field_id: str, value: Any, row_index: int | None, default_path: str
) -> None:
    """Put one populated value where the mapping table says, counting it once."""
    mapping = load_mapping().get((context, field_id))
    spec = reference_fields().get((context, field_id))
    _check_type(spec, field_id, value, context)
    if mapping is None:
        if _LOOKS_IDENTIFYING.search(field_id) and row_index is not None:
            builder.report.counts["refused"] += 1
            builder.report.unmapped.append(
                {"field": _where(field_id, row_index), "outcome": "refused", "reason": "perpetrator_identity"}
            )
            return
        if _LOOKS_IDENTIFYING.search(field_id):
            # A field the list does not know, named like a name, phone or address: identity, not case data.
            _identity(builder, "", field_id, value)
            builder.report.unmapped.append(
                {
                    "field": _where(field_id, row_index),
                    "outcome": "identity",
                    "reason": "unknown identity-like field",
                }
            )
            return
        builder.extension(default_path, row_index, field_id, value, "not in the Primero field list")
        return
    row = mapping.row
    target = row.target
    if target in ("extension", "subform_field"):
        builder.extension(row.path, row_index, field_id, value, row.note or "no standard field")
    elif target == "external_identifier":
        if not isinstance(value, str):
            raise BadValueError("primero.wrong_type", field_id)
        container = builder.container(row.path, row_index)
        container.setdefault("external_identifiers", []).append({"scheme": row.code, "value": value})
        builder.report.counts["external_identifier"] += 1
    elif target == "identity":
        _identity(builder, row.path, field_id, value)
    elif target == "refused":
        builder.report.counts["refused"] += 1
        builder.report.unmapped.append(
            {"field": _where(field_id, row_index), "outcome": "refused", "reason": row.code}
        )
    elif target == "mapped":
        try:
            converted = _convert(mapping, value, field_id)
        except _NotRepresentableError:
            extension_path = default_path
            option = mapping.options.get(str(value).lower() if isinstance(value, bool) else str(value))
            if option is not None and option.path:
                extension_path = option.path
            builder.extension(extension_path, row_index, field_id, value, "no equivalent in the standard")
            return
        path = row.path.replace("*", str(row_index)) if row_index is not None else row.path
        _set(builder.case, path, converted)
        builder.report.counts["mapped"] += 1
    else:
        raise ValueError(f"mapping.csv: field {field_id} has target {target!r} where a value is")


_NAME_PARTS: Final = {
    "name.given_name": "given_name",
    "name.patronymic": "patronymic",
    "name.family_name": "family_name",
}


def _identity(builder: _Builder, path: str, field_id: str, value: Any) -> None:
    identity = builder.identity
    if path in _NAME_PARTS and isinstance(value, str) and len(value) <= 100:
        identity.setdefault("name", {})[_NAME_PARTS[path]] = value
    elif path == "date_of_birth" and isinstance(value, str):
        identity["date_of_birth"] = _to_date(value, field_id).isoformat()
    elif path == "phones" and isinstance(value, str) and _valid_phone(value):
        identity["phones"] = [value]
    elif path == "address.street_address" and isinstance(value, str) and len(value) <= 500:
        identity.setdefault("address", {})["street_address"] = value
    else:
        identity.setdefault("extensions", {})[f"{NAMESPACE}:{field_id}"] = value
    builder.report.counts["identity"] += 1


def _valid_phone(value: str) -> bool:
    if not re.match(PHONE_E164_PATTERN, value):
        return False
    return not any(finding.severity is Severity.ERROR for finding in check_phone(value))


def age_band_for(years: int) -> str:
    """The age band holding ``years``."""
    for band in AgeBand:
        lower, upper = age_band_limits(band)
        if years >= lower and (upper is None or years <= upper):
            return band.value
    raise ValueError("no age band holds this age")


def _safe_id(value: str, limit: int) -> str:
    return _SAFE_ID.sub("-", value)[:limit]


def import_document(
    data: dict[str, Any], report: RecordReport, *, organisation: str, imported_at: datetime
) -> tuple[CaseRecord | None, IdentityRecord | None]:
    """One Primero record's data as a case record and (when it has identity values) an identity record."""
    builder = _Builder(report)
    for field_id, value in data.items():
        if not populated(value):
            continue
        try:
            if field_id == "alleged_perpetrator" and isinstance(value, list):
                _check_type(reference_fields().get(("record", field_id)), field_id, value, "record")
                _perpetrators(builder, value)
                continue
            _carry(builder, "record", field_id, value, None, "")
        except BadValueError as bad:
            report.errors.append({"field": bad.field_id, "code": bad.code})
    if report.errors:
        return None, None
    record_id = _record_id(data)
    if record_id is None:
        report.errors.append({"field": "id", "code": "primero.no_identifier"})
        return None, None
    report.record_id = record_id
    _fill_defaults(builder, record_id, organisation, imported_at)
    try:
        case = parse_case_record(builder.case)
    except CrsvValidationError as exc:
        report.errors.extend({"field": issue.pointer or "/", "code": issue.code} for issue in exc.issues)
        return None, None
    identity = None
    if builder.identity:
        identity_doc = {
            "survivor_ref": case.survivor.survivor_ref,
            "holder_organisation": organisation,
            "recorded_at": builder.case["created_at"],
            **builder.identity,
        }
        try:
            identity = parse_identity_record(identity_doc)
        except CrsvValidationError as exc:
            report.errors.extend(
                {"field": "identity" + (issue.pointer or "/"), "code": issue.code} for issue in exc.issues
            )
            return None, None
    return case, identity


def _perpetrators(builder: _Builder, rows: list[Any]) -> None:
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BadValueError("primero.wrong_type", "alleged_perpetrator")
        _at(builder.case, f"/incidents/0/perpetrators/{index}")
        for field_id, value in row.items():
            if populated(value):
                _carry(builder, "perpetrator", field_id, value, index, "/incidents/0/perpetrators/*")
        perpetrator = builder.case["incidents"][0]["perpetrators"][index]
        _reconcile_minor(builder, perpetrator, row, index)
        if "perpetrator_id" not in perpetrator:
            perpetrator["perpetrator_id"] = f"perp-{index + 1}"
            builder.defaulted.append(f"/incidents/0/perpetrators/{index}/perpetrator_id")


def _reconcile_minor(builder: _Builder, perpetrator: dict[str, Any], row: dict[str, Any], index: int) -> None:
    """Keep Primero's age type as an extension when it contradicts the age group (both are kept)."""
    if "minor" not in perpetrator:
        return
    expected = MINOR_AGE_GROUPS.get(perpetrator.get("age_group", ""))
    if expected is None or expected == perpetrator["minor"]:
        return
    del perpetrator["minor"]
    builder.report.counts["mapped"] -= 1
    builder.extension(
        "/incidents/0/perpetrators/*", index, "age_type", row["age_type"], "contradicts the age group"
    )


_ACT_OF_GBVIMS_TYPE: Final = {"rape": "rape", "forced_marriage": "forced_marriage"}
"""The act a stored GBVIMS type gives when Primero records no act: only where the form is that type."""


def _record_id(data: dict[str, Any]) -> str | None:
    for key in ("id", "unique_id", "incident_id", "short_id"):
        value = data.get(key)
        if isinstance(value, str) and value:
            candidate = _safe_id(value, 100)
            if re.match(r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$", candidate):
                return candidate
    return None


def _default(builder: _Builder, pointer: str, value: Any) -> None:
    parent, _, last = pointer.rpartition("/")
    container = _at(builder.case, parent)
    if last not in container:
        container[last] = value
        builder.defaulted.append(pointer)


def _fill_defaults(builder: _Builder, record_id: str, organisation: str, imported_at: datetime) -> None:
    """The members the standard requires that Primero lacks, each listed in ``crsvdata:defaulted``."""
    case = builder.case
    case["record_id"] = record_id
    case["standard_version"] = RECORD_STANDARD_VERSION
    case["source_organisation"] = organisation
    _default(builder, "/created_at", case.get("updated_at", imported_at.isoformat()))
    _default(builder, "/updated_at", case["created_at"])
    _default(builder, "/confidentiality", "strictly_confidential")
    _default(builder, "/survivor/survivor_ref", "primero-" + _safe_id(record_id, 55))
    _default(builder, "/survivor/sex", "unknown")
    _default(builder, "/survivor/status", "unknown")
    _default(builder, "/survivor/role", "direct_victim")
    age = case["survivor"].get("age_at_first_incident")
    if age is not None:
        if "years" in age:
            _default(builder, "/survivor/age_at_first_incident/band", age_band_for(age["years"]))
        else:  # an 'estimated' flag without an age says nothing the standard can hold
            builder.extension(
                "", None, "estimated", "true" if age["estimated"] else "false", "no age to qualify"
            )
            builder.report.counts["mapped"] -= 1
            del case["survivor"]["age_at_first_incident"]
    incident = _at(case, "/incidents/0")
    _default(builder, "/incidents/0/incident_id", "inc-1")
    fallback_day = incident.get("reported_on") or case["created_at"][:10]
    _default(builder, "/incidents/0/incident_date/start", fallback_day[:4])
    _default(builder, "/incidents/0/location", {"country": "UA", "control_status": "unknown"})
    _default(builder, "/incidents/0/contexts", ["unknown"])
    act_form = _ACT_OF_GBVIMS_TYPE.get(incident.get("gbvims_type", ""), "other")
    _default(builder, "/incidents/0/acts", [{"form": act_form}])
    if builder.defaulted:
        case.setdefault("extensions", {})[DEFAULTED_KEY] = sorted(builder.defaulted)


# --- a whole export -----------------------------------------------------------------------------------


def import_records(path: Path, *, organisation: str, imported_at: datetime | None = None) -> ImportResult:
    """Read a Primero export file (one JSON document, or JSON Lines of records) into an ``ImportResult``.

    Raises ``InputError`` when the file as a whole cannot be read; a bad line of a JSON Lines file is
    reported in ``input_errors`` and the others are read.
    """
    when = imported_at or datetime.now(UTC).replace(microsecond=0)
    result = ImportResult()
    position = 0
    for item in scan_documents(path):
        if isinstance(item, InputError):
            result.input_errors.append(
                {
                    "line": item.line,
                    "code": item.code,
                    "message": item.message,
                    "byte_offset": item.byte_offset,
                }
            )
            continue
        position = _import_value(result, item, position, organisation, when)
    return result


def _import_value(
    result: ImportResult, document: Document, position: int, organisation: str, when: datetime
) -> int:
    for _, data in primero_records(document.value):
        report = RecordReport(position, document.line, None)
        result.records.append(report)
        position += 1
        if data is None:
            report.errors.append({"field": "/", "code": "primero.not_a_record"})
            continue
        case, identity = import_document(data, report, organisation=organisation, imported_at=when)
        if case is not None:
            result.cases.append(case)
        if identity is not None:
            result.identities.append(identity)
    return position
