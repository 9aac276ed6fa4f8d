"""The Primero mapping table (``mapping.csv``, data, not code) and the vendored Primero field list.

One row per Primero field (``option`` empty) and, for select fields mapped to a code list, one row per
option id. ``target`` says where a value goes:

- ``mapped``: into the case record at JSON pointer ``path`` (``*`` is the subform row), converted by
  ``transform`` (``text``, ``date``, ``timestamp``, ``integer``, ``boolean``, ``ref``, ``local_id``,
  ``code``; a ``code`` field's option rows give the crsvdata ``code`` of each option id, and an option
  whose row says ``extension`` is kept as an extension);
- ``extension``: kept whole as ``primero:<field>`` in the ``extensions`` of the entry at ``path``
  (``""`` the record, ``/incidents/0`` the incident, ``.../perpetrators/*`` the perpetrator);
- ``external_identifier``: an ``{scheme: code, value}`` in the ``external_identifiers`` at ``path``;
- ``identity``: into the survivor's ``IdentityRecord`` (``path`` the identity field), never case data;
- ``refused``: not carried, for the reason in ``code`` (listed in every import report);
- ``subform``: a subform whose rows become entries at ``path`` (perpetrators);
- ``subform_field``: a field of a subform kept whole as an extension (its parent's row says so).

Re-pointing a Primero field at a new standard field is an edit of its rows only.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

TARGETS: Final = frozenset(
    {"mapped", "extension", "external_identifier", "identity", "refused", "subform", "subform_field"}
)
PERPETRATOR_SECTION: Final = "alleged_perpetrator"


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One row of ``mapping.csv``."""

    section: str
    field: str
    type: str
    option: str
    target: str
    path: str
    code: str
    transform: str
    note: str


@dataclass(frozen=True, slots=True)
class FieldMapping:
    """Where one Primero field goes, with its option rows (option id -> row) for coded fields."""

    row: MappingRow
    options: dict[str, MappingRow]


@cache
def load_mapping_rows() -> tuple[MappingRow, ...]:
    """Every row of the mapping table, in file order."""
    text = resources.files("crsvdata.interop.primero").joinpath("mapping.csv").read_text("utf-8")
    rows = tuple(MappingRow(**row) for row in csv.DictReader(text.splitlines()))
    for row in rows:
        if row.target not in TARGETS:
            raise ValueError(f"mapping.csv: unknown target {row.target!r} for field {row.field}")
    return rows


@cache
def load_mapping() -> dict[tuple[str, str], FieldMapping]:
    """The field mappings by (context, field id): context ``record`` or ``perpetrator``."""
    out: dict[tuple[str, str], FieldMapping] = {}
    for row in load_mapping_rows():
        context = "perpetrator" if row.section == PERPETRATOR_SECTION else "record"
        key = (context, row.field)
        if row.option:
            out[key].options[row.option] = row
        elif key not in out:  # a field listed in two sections (short_id, status) maps once
            out[key] = FieldMapping(row, {})
    return out


@cache
def load_reference() -> dict[str, Any]:
    """The vendored Primero GBV field list (``data/primero-gbv-fields.json``, sources inside)."""
    text = (
        resources.files("crsvdata.interop.primero")
        .joinpath("data/primero-gbv-fields.json")
        .read_text("utf-8")
    )
    value: dict[str, Any] = json.loads(text)
    return value


@cache
def reference_fields() -> dict[tuple[str, str], dict[str, Any]]:
    """Every Primero field of the reference by (context, field id), forms first."""
    reference = load_reference()
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for form in reference["forms"]:
        context = "perpetrator" if form["unique_id"] == PERPETRATOR_SECTION else "record"
        for field in form["fields"]:
            out.setdefault((context, field["name"]), {**field, "section": form["unique_id"]})
    for group, section in (
        ("system_fields", "system"),
        ("case_identity_fields", "case_identity"),
        ("case_consent_fields", "case_consent"),
    ):
        for field in reference[group]:
            if field["name"].startswith("unique_id ("):
                continue
            out.setdefault(("record", field["name"]), {**field, "section": section})
    return out


@cache
def option_ids(context: str, field: str) -> frozenset[str] | None:
    """The option ids a select field accepts, or None when the reference lists none (open or free)."""
    spec = reference_fields().get((context, field))
    if spec is None:
        return None
    options = spec.get("options")
    if not options:
        lookup = spec.get("lookup")
        options = load_reference()["lookups"].get(lookup, {}).get("options") if lookup else None
    if not options:
        return None
    return frozenset(option["id"] for option in options)
