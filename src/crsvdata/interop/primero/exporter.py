"""Write case records (and their identity records) back in Primero's shape, through the mapping table.

The inverse of the importer: every mapped field is read back through its row (a code through the option
row that gives it), every ``primero:`` extension is written back under its field id, every external
identifier under the field its scheme came from, and identity values come from the identity record with
the same ``survivor_ref``. Members the importer filled with a default (listed in ``crsvdata:defaulted``)
are left out, so that an import followed by an export gives back the values of the input.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Final

from crsvdata.interop.primero.importer import DEFAULTED_KEY, NAMESPACE
from crsvdata.interop.primero.table import MappingRow, load_mapping_rows
from crsvdata.models import CaseRecord, IdentityRecord

_PREFIX: Final = NAMESPACE + ":"
_NAME_PARTS: Final = {
    "name.given_name": "given_name",
    "name.patronymic": "patronymic",
    "name.family_name": "family_name",
}


def _get(document: Any, pointer: str) -> Any:
    node = document
    for part in (p for p in pointer.split("/") if p):
        if isinstance(node, list):
            index = int(part)
            if index >= len(node):
                return None
            node = node[index]
        elif isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        else:
            return None
    return node


def _primero_timestamp(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _back(row: MappingRow, options: dict[str, str], value: Any) -> Any:
    if row.transform == "code":
        return options.get(value)
    if row.transform == "boolean":
        return options.get("true" if value else "false")
    if row.transform == "timestamp":
        return _primero_timestamp(value)
    return value


def _mapped_rows(context: str) -> list[tuple[MappingRow, dict[str, str]]]:
    out: dict[str, tuple[MappingRow, dict[str, str]]] = {}
    for row in load_mapping_rows():
        in_context = (row.section == "alleged_perpetrator") == (context == "perpetrator")
        if not in_context or row.target not in ("mapped", "external_identifier", "identity"):
            continue
        if row.option:
            if row.target == "mapped" and row.field in out:
                out[row.field][1][row.code] = row.option
        elif row.field not in out:
            out[row.field] = (row, {})
    return list(out.values())


def _from_extensions(entry: dict[str, Any], into: dict[str, Any]) -> None:
    for key, value in (entry.get("extensions") or {}).items():
        if key.startswith(_PREFIX):
            into[key[len(_PREFIX) :]] = value


def _external(entry: dict[str, Any], scheme: str) -> str | None:
    for identifier in entry.get("external_identifiers") or ():
        if identifier["scheme"] == scheme:
            value: str = identifier["value"]
            return value
    return None


def export_record(case: CaseRecord, identity: IdentityRecord | None = None) -> dict[str, Any]:
    """One case record (with its identity record, if given) as a Primero incident's data."""
    document = case.to_json_dict()
    defaulted = set((document.get("extensions") or {}).get(DEFAULTED_KEY, ()))
    identity_doc = identity.to_json_dict() if identity is not None else {}
    data: dict[str, Any] = {}
    for row, options in _mapped_rows("record"):
        if row.target == "external_identifier":
            value = _external(_get(document, row.path) or {}, row.code)
        elif row.target == "identity":
            value = _identity_value(identity_doc, row)
        elif row.path in defaulted:
            continue
        else:
            found = _get(document, row.path)
            value = None if found is None else _back(row, options, found)
        if value is not None:
            data[row.field] = value
    _from_extensions(document, data)
    incident = document["incidents"][0]
    _from_extensions(incident, data)
    _from_extensions(identity_doc, data)
    perpetrators = []
    for index, perpetrator in enumerate(incident.get("perpetrators") or ()):
        row_data: dict[str, Any] = {}
        for row, options in _mapped_rows("perpetrator"):
            path = row.path.replace("*", str(index))
            if path in defaulted:
                continue
            found = _get(document, path)
            value = None if found is None else _back(row, options, found)
            if value is not None:
                row_data[row.field] = value
        _from_extensions(perpetrator, row_data)
        perpetrators.append(row_data)
    if perpetrators:
        data["alleged_perpetrator"] = perpetrators
    return data


def _identity_value(identity: dict[str, Any], row: MappingRow) -> Any:
    if row.path in _NAME_PARTS:
        return (identity.get("name") or {}).get(_NAME_PARTS[row.path])
    if row.path == "date_of_birth":
        return identity.get("date_of_birth")
    if row.path == "phones":
        phones = identity.get("phones")
        return phones[0] if phones else None
    if row.path == "address.street_address":
        return (identity.get("address") or {}).get("street_address")
    return None


def export_records(
    cases: Iterable[CaseRecord], identities: Iterable[IdentityRecord] = ()
) -> Iterator[dict[str, Any]]:
    """Case records as the Primero JSON exporter's rows ``{"id", "data"}``, identity merged back.

    Several incidents of one survivor share a ``survivor_ref`` and each has its own identity record (as
    the importer writes them, in the same order): they are matched in order, one identity per case.
    """
    waiting: dict[str, deque[IdentityRecord]] = defaultdict(deque)
    for identity in identities:
        waiting[identity.survivor_ref].append(identity)
    for case in cases:
        queue = waiting.get(case.survivor.survivor_ref)
        data = export_record(case, queue.popleft() if queue else None)
        yield {"id": data.pop("id", case.record_id), "data": data}
