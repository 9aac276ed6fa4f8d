"""The coverage of Primero's GBV incident fields (and the MRM sexual-violence forms) by the mapping table.

Each field of the vendored Primero field list is put in exactly one class by its row(s) in
``crsvdata/interop/primero/mapping.csv``: ``mapped`` (every value reaches a standard field), ``partly``
(a coded field some of whose option ids have no crsvdata code and are kept as extensions), ``external_id``,
``extension``, ``identity`` (sent to the identity record) or ``refused``. A field of the list without a
row is ``unaccounted`` (a test keeps that at zero). The MRM forms are not in the field list: their rows are
in ``mapping-mrm.csv``, from the reference notes, and are counted the same way.
"""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

from crsvdata.interop.primero.table import MappingRow, load_mapping_rows, reference_fields

CLASSES = ("mapped", "partly", "external_id", "extension", "identity", "refused", "unaccounted")


def _classify(field_row: MappingRow, option_rows: list[MappingRow]) -> str:
    target = field_row.target
    if target == "mapped":
        if any(row.target != "mapped" for row in option_rows):
            return "partly"
        return "mapped"
    if target == "subform":
        return "mapped"
    if target == "external_identifier":
        return "external_id"
    if target in ("extension", "subform_field"):
        return "extension"
    return target


def _rows_by_field(
    rows: tuple[MappingRow, ...],
) -> dict[tuple[str, str], tuple[MappingRow, list[MappingRow]]]:
    out: dict[tuple[str, str], tuple[MappingRow, list[MappingRow]]] = {}
    for row in rows:
        context = "perpetrator" if row.section == "alleged_perpetrator" else "record"
        key = (context, row.field)
        if row.option:
            out[key][1].append(row)
        elif key not in out:
            out[key] = (row, [])
    return out


def gbv_coverage() -> dict[str, Counter[str]]:
    """Per Primero section of the field list: how many fields fall in each class."""
    by_field = _rows_by_field(load_mapping_rows())
    table: dict[str, Counter[str]] = {}
    for key, spec in reference_fields().items():
        found = by_field.get(key)
        klass = "unaccounted" if found is None else _classify(*found)
        table.setdefault(spec["section"], Counter())[klass] += 1
    return table


def unaccounted_fields() -> list[str]:
    """Fields of the Primero field list that no row of the mapping table accounts for."""
    by_field = _rows_by_field(load_mapping_rows())
    return sorted(
        f"{spec['section']}.{key[1]}" for key, spec in reference_fields().items() if key not in by_field
    )


def mrm_rows() -> tuple[MappingRow, ...]:
    text = resources.files("crsvdata.interop.primero").joinpath("mapping-mrm.csv").read_text("utf-8")
    return tuple(MappingRow(**row) for row in csv.DictReader(text.splitlines()))


def mrm_coverage() -> dict[str, Counter[str]]:
    """Per MRM form (sexual-violence violation, perpetrator): how many fields fall in each class."""
    table: dict[str, Counter[str]] = {}
    grouped: dict[tuple[str, str], tuple[MappingRow, list[MappingRow]]] = {}
    for row in mrm_rows():
        key = (row.section, row.field)
        if row.option:
            grouped[key][1].append(row)
        elif key not in grouped:
            grouped[key] = (row, [])
    for (section, _), (row, options) in grouped.items():
        table.setdefault(section, Counter())[_classify(row, options)] += 1
    return table


def render(title: str, table: dict[str, Counter[str]]) -> str:
    """A Markdown table: one row per section, one column per class, and the total."""
    lines = [f"### {title}", "", "| section | fields | " + " | ".join(CLASSES) + " |"]
    lines.append("|---|" + "---:|" * (len(CLASSES) + 1))
    total: Counter[str] = Counter()
    for section, counts in table.items():
        total.update(counts)
        lines.append(
            f"| {section} | {sum(counts.values())} | " + " | ".join(str(counts[c]) for c in CLASSES) + " |"
        )
    lines.append(
        f"| **total** | **{sum(total.values())}** | " + " | ".join(f"**{total[c]}**" for c in CLASSES) + " |"
    )
    fields = sum(total.values())
    carried = fields - total["refused"] - total["unaccounted"]
    lines += [
        "",
        f"{total['mapped']} of {fields} fields map fully to a standard field, {total['partly']} partly; "
        f"{carried} of {fields} have every value carried (mapped, extension, external id or identity).",
    ]
    return "\n".join(lines)


def report() -> str:
    return (
        render("Primero GBV incident (field list)", gbv_coverage())
        + "\n\n"
        + render("Primero MRM sexual violence and perpetrators", mrm_coverage())
        + "\n"
    )
