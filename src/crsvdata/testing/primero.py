"""Synthetic Primero v2 GBV incident exports, built from the vendored Primero field list.

``primero_records()`` draws one incident's data: any subset of the fields of the list (sparse records),
every option id reachable, subforms with rows (perpetrators, services, reported elsewhere), identity
fields with obviously invented names. ``primero_exports()`` draws a whole export in either shape (the API
record or the JSON exporter's array), with duplicated records. ``corrupt()`` makes one record bad in a
known field. ``example_export(seed)`` is the seeded file of ``examples/primero/``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Final, Protocol, TypeVar

from hypothesis import strategies as st

from crsvdata.interop.primero.table import load_reference, option_ids, reference_fields

T = TypeVar("T")

SYNTHETIC_NAMES: Final = ("Synthia", "Testana", "Fakeova", "Exampleko", "Mockenko", "Dummyna")
IDENTITY_TEXT_FIELDS: Final = frozenset(
    {
        "name",
        "name_first",
        "name_middle",
        "name_last",
        "name_nickname",
        "name_other",
        "national_id_no",
        "address_current",
        "location_current",
    }
)
"""Identity fields drawn as marked synthetic strings (``telephone_current`` and ``date_of_birth`` apart)."""
IDENTITY_MARK: Final = "SYNTHIDENT"
"""Every synthetic identity string contains this mark, so a test can search output for a leak."""

_DAY0 = date(2022, 2, 24)


class Pick(Protocol):
    """Where the generator's choices come from: hypothesis (shrinkable) or a seeded ``random.Random``."""

    def integer(self, low: int, high: int) -> int: ...
    def boolean(self) -> bool: ...
    def choice(self, items: Sequence[T]) -> T: ...


class _DrawPick:
    def __init__(self, draw: Any) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        value: int = self._draw(st.integers(low, high))
        return value

    def boolean(self) -> bool:
        value: bool = self._draw(st.booleans())
        return value

    def choice(self, items: Sequence[T]) -> T:
        value: T = self._draw(st.sampled_from(items))
        return value


class _SeededPick:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def boolean(self) -> bool:
        return self._rng.random() < 0.5

    def choice(self, items: Sequence[T]) -> T:
        return items[self._rng.randrange(len(items))]


_SKIP: Final = frozenset({"alleged_perpetrator"})


def _day(offset: int) -> str:
    return (_DAY0 + timedelta(days=offset)).isoformat()


def _subform_fields(subform: str) -> list[dict[str, Any]]:
    for form in load_reference()["forms"]:
        if form["unique_id"] == subform:
            fields: list[dict[str, Any]] = form["fields"]
            return fields
    return []


def _value(pick: Pick, context: str, spec: dict[str, Any]) -> Any:
    """A plausible value for one Primero field, by its type and options."""
    name, kind = spec["name"], spec["type"]
    if name in IDENTITY_TEXT_FIELDS:
        return f"{pick.choice(SYNTHETIC_NAMES)} {IDENTITY_MARK}-{pick.integer(0, 99999)}"
    if name == "telephone_current":
        return "+38050" + f"{pick.integer(1000000, 9999999)}"
    if name == "date_of_birth":
        return _day(-pick.integer(18 * 366, 80 * 365))
    if name == "incident_date":
        return _day(pick.integer(0, 300))
    if name in ("created_at", "last_updated_at", "posted_at"):
        offset = {"created_at": 400, "posted_at": 401, "last_updated_at": 402}[name]
        return _day(offset) + "T10:00:00.000Z"
    if name == "date_of_first_report":
        return _day(pick.integer(301, 399))
    if name == "age":
        return pick.integer(0, 120)
    if name == "survivor_code":
        return f"SYNTH-SURV-{pick.integer(0, 9999):04d}"
    options = option_ids(context, name)
    if (options is not None and kind in ("select_box", "radio_button")) or kind.startswith("select"):
        if options is None:
            return f"synth_option_{pick.integer(0, 9)}"
        chosen = pick.choice(sorted(options))
        if options == {"true", "false"} and pick.boolean():
            return chosen == "true"  # Primero often stores yes/no as JSON booleans
        if spec.get("multi_select"):
            return [chosen]
        return chosen
    if kind in ("tick_box", "boolean"):
        return pick.boolean()
    if kind == "numeric_field":
        return pick.integer(1, 50)
    if kind == "date_field" or kind == "date":
        return _day(pick.integer(0, 399))
    if kind.startswith("datetime"):
        return _day(pick.integer(0, 399)) + "T08:30:00.000Z"
    if kind.startswith("list"):
        return [f"synth-{pick.integer(0, 99)}"]
    if kind == "subform":
        subform = spec.get("subform_unique_id") or name
        return [
            _row(pick, _subform_fields(subform), context="record", index=index)
            for index in range(pick.integer(1, 2))
        ]
    return f"SYNTH {name} {pick.integer(0, 999)}"


def _row(pick: Pick, fields: list[dict[str, Any]], *, context: str, index: int) -> dict[str, Any]:
    row: dict[str, Any] = {"unique_id": f"synth-row-{index}-{pick.integer(0, 9999)}"}
    for spec in fields:
        if pick.boolean():
            row[spec["name"]] = _value(pick, context, spec)
    return row


def primero_record(pick: Pick, *, sparse: bool = True) -> dict[str, Any]:
    """One Primero incident's data: each field of the list present or not (all present if not sparse)."""
    uid = f"5e7c0000-0000-4000-8000-{pick.integer(0, 10**12 - 1):012d}"
    data: dict[str, Any] = {"id": uid, "unique_id": uid, "incident_id": uid, "short_id": uid[-7:]}
    for (context, name), spec in reference_fields().items():
        if context != "record" or name in data or name in _SKIP or (sparse and not pick.boolean()):
            continue
        data[name] = _value(pick, context, spec)
    if not sparse or pick.boolean():
        perpetrator_fields = _subform_fields("alleged_perpetrator")
        data["alleged_perpetrator"] = [
            _row(pick, perpetrator_fields, context="perpetrator", index=i) for i in range(pick.integer(1, 3))
        ]
    return data


@st.composite
def primero_records(draw: Any, *, sparse: bool = True) -> dict[str, Any]:
    """Hypothesis: one Primero incident's data (see ``primero_record``)."""
    return primero_record(_DrawPick(draw), sparse=sparse)


BAD_KINDS: Final = ("unknown_option", "wrong_type", "impossible_date")


def corrupt(data: dict[str, Any], kind: str) -> tuple[dict[str, Any], str]:
    """A copy of ``data`` made bad in one known way; returns it and the field made bad."""
    bad = dict(data)
    if kind == "unknown_option":
        bad["incident_timeofday"] = "synth_not_an_option"
        return bad, "incident_timeofday"
    if kind == "wrong_type":
        bad["age"] = "SYNTH not a number"
        return bad, "age"
    bad["incident_date"] = "2023-02-30"
    return bad, "incident_date"


@st.composite
def primero_exports(draw: Any) -> tuple[Any, list[dict[str, Any]]]:
    """A Primero export (API shape or JSON exporter array) and the records' data it holds."""
    records = draw(st.lists(primero_records(), min_size=1, max_size=3))
    if draw(st.booleans()):
        records.append(dict(records[0]))  # a duplicate, as exports of merged systems have
    if len(records) == 1 and draw(st.booleans()):
        return {"data": records[0]}, records
    shaped = [{"id": r["id"], "data": {k: v for k, v in r.items() if k != "id"}} for r in records]
    return shaped, records


def example_export(seed: int = 2022, count: int = 6) -> list[dict[str, Any]]:
    """The seeded example export (JSON exporter shape): full and sparse records, a duplicate."""
    pick = _SeededPick(random.Random(seed))
    records = [primero_record(pick, sparse=index % 2 == 1) for index in range(count)]
    records.append(dict(records[0]))
    return [{"id": r["id"], "data": {k: v for k, v in r.items() if k != "id"}} for r in records]
