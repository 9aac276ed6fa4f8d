"""The field table: every field a record-level profile may let out, one typed entry each.

An entry says where the field sits in the anonymised record (its scope and output key), how it is read
from the case record (a typed accessor over ``CaseRecord``, ``Survivor``, ``Incident``, ``Act``,
``Perpetrator``, ``LegalProceeding``, ``ReparationClaim`` or ``Payment``), which transforms a profile may
ask for, the generalisation hierarchy, and what kind of value it is, which decides how each transform is
applied (:func:`apply_level`). The builder, the profile checks, the risk model and the allow-list re-check
all iterate this table: adding a field to the standard is one entry here.

Roles: an ``attribute`` is information about the person or the events and must be declared by a
record-level profile as a quasi-identifier or a sensitive attribute; a ``token`` is a keyed pseudonym; a
``structural`` field is a local identifier renumbered per record (``i1``, ``i2``...) or a reference to one,
and is measured with the quasi-identifiers because it shows how many incidents, perpetrators or claims
a record has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from types import MappingProxyType
from typing import Any, Final, Generic, Literal, TypeVar

from crsvdata.anonymise.generalise import (
    AGE_LEVELS,
    CATEGORICAL_LEVELS,
    DATE_LEVELS,
    PLACE_LEVELS,
    age_json,
    generalise_age,
    generalise_date,
    generalise_period,
    generalise_place,
)
from crsvdata.models import CaseRecord
from crsvdata.models.act import Act
from crsvdata.models.incident import Incident, IncidentDate, Location
from crsvdata.models.perpetrator import Perpetrator
from crsvdata.models.proceeding import LegalProceeding
from crsvdata.models.reparation import Payment, ReparationClaim
from crsvdata.models.survivor import Age, Survivor

__all__ = [
    "FIELD_TABLE",
    "SCOPES",
    "FieldEntry",
    "Role",
    "Scope",
    "Transform",
    "ValueKind",
    "apply_level",
    "field_table",
]

Transform = Literal["keep", "pseudonymise", "generalise", "redact", "renumber"]
Role = Literal["attribute", "token", "structural"]
TRANSFORMS: Final[tuple[Transform, ...]] = ("keep", "pseudonymise", "generalise", "redact", "renumber")

S = TypeVar("S")


class ValueKind(Enum):
    """What a field's raw value is, which decides how keep and generalise apply to it."""

    CODE = "code"  # one code (an enum member) or None
    CODES = "codes"  # a list of codes or None
    PLAIN = "plain"  # a boolean, a number or a JSON-ready model (to_json_dict)
    AGE = "age"
    PERIOD = "period"  # an IncidentDate
    DATE = "date"
    PLACE = "place"  # a Location
    TEXT = "text"  # a narrative: only redact
    TOKEN = "token"  # an identifier replaced by a keyed pseudonym
    LOCAL_ID = "local_id"  # an identifier renumbered per record
    LOCAL_REFS = "local_refs"  # references to renumbered identifiers of another scope


@dataclass(frozen=True, slots=True, eq=False)
class Scope(Generic[S]):
    """A place in the anonymised record: the record itself, the survivor, or a list such as incidents.

    ``children`` gives the sources of this scope within one source of the parent scope; ``key`` is the
    output key in the parent's object. ``many`` scopes are lists. ``id_prefix`` is the prefix of its
    renumbered identifiers; ``drop_empty`` drops items left with no field (a payment with nothing kept).
    """

    name: str
    parent: Scope[Any] | None
    key: str
    many: bool
    children: Callable[[Any], Sequence[S]]
    id_prefix: str = ""
    drop_empty: bool = False

    def path(self, output: str) -> str:
        return f"{self.name}.{output}" if self.name else output


def _one(value: Any) -> Sequence[Any]:
    return (value,)


RECORD: Final[Scope[CaseRecord]] = Scope("", None, "", False, _one)
SURVIVOR: Final[Scope[Survivor]] = Scope("survivor", RECORD, "survivor", False, lambda r: (r.survivor,))
INCIDENTS: Final[Scope[Incident]] = Scope("incidents", RECORD, "incidents", True, lambda r: r.incidents, "i")
# Acts are written sorted by form, so the order they were recorded in does not show.
ACTS: Final[Scope[Act]] = Scope(
    "incidents.acts", INCIDENTS, "acts", True, lambda i: sorted(i.acts, key=lambda a: a.form.value)
)
PERPETRATORS: Final[Scope[Perpetrator]] = Scope(
    "incidents.perpetrators", INCIDENTS, "perpetrators", True, lambda i: i.perpetrators or (), "p"
)
PROCEEDINGS: Final[Scope[LegalProceeding]] = Scope(
    "proceedings", RECORD, "proceedings", True, lambda r: r.proceedings or (), "cp"
)
REPARATIONS: Final[Scope[ReparationClaim]] = Scope(
    "reparations", RECORD, "reparations", True, lambda r: r.reparations or (), "rc"
)
PAYMENTS: Final[Scope[Payment]] = Scope(
    "reparations.payments", REPARATIONS, "payments", True, lambda c: c.payments or (), drop_empty=True
)
SCOPES: Final = (RECORD, SURVIVOR, INCIDENTS, ACTS, PERPETRATORS, PROCEEDINGS, REPARATIONS, PAYMENTS)

_KEEP: Final = frozenset[Transform]({"keep"})
_KEEP_OR_GENERALISE: Final = frozenset[Transform]({"keep", "generalise"})
_GENERALISE: Final = frozenset[Transform]({"generalise"})


@dataclass(frozen=True, slots=True, eq=False)
class FieldEntry(Generic[S]):
    """One field a record-level profile may list.

    ``path`` is the key in a profile's ``[fields]``; ``output`` the key written in the scope's object.
    ``required``: the anonymised record needs it whenever its scope is exported (a proceeding's stage).
    ``refers_to``: for references, the scope whose renumbered identifiers they name.
    ``quasi_identifier_only``: an attribute that can single a person out (ethnicity, religion, origin...):
    a profile that lists it must declare it a quasi-identifier, so it is always in the risk model and can
    never leave raw as a "sensitive" column outside the classes the risk check counts.
    """

    path: str
    scope: Scope[S]
    output: str
    read: Callable[[S], Any]
    kind: ValueKind
    transforms: frozenset[Transform]
    hierarchy: tuple[str, ...] = ()
    role: Role = "attribute"
    required: bool = False
    refers_to: Scope[Any] | None = None
    token_kind: str = ""
    quasi_identifier_only: bool = False

    @property
    def output_path(self) -> str:
        """The dotted path of the field in the anonymised record (list indices dropped)."""
        return self.scope.path(self.output)


def _code(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)


def _codes(values: Sequence[Enum] | None) -> list[str] | None:
    return [str(v.value) for v in values] if values else None


def _plain(value: Any) -> Any:
    return value.to_json_dict() if hasattr(value, "to_json_dict") else value


def _services(record: CaseRecord) -> list[dict[str, str]] | None:
    # Organisations and dates of referrals identify the survivor's path: only sector and outcome leave,
    # deduplicated and sorted.
    pairs = sorted({(r.sector.value, r.outcome.value if r.outcome else "") for r in record.referrals or ()})
    return [{"sector": s, **({"outcome": o} if o else {})} for s, o in pairs] or None


def apply_level(kind: ValueKind, raw: Any, level: str, *, top_code_age: int) -> Any:
    """The JSON value of ``raw`` (of ``kind``) at ``level``: ``value`` for keep, a hierarchy level else."""
    if raw is None or level == "suppressed":
        return None
    if kind is ValueKind.AGE:
        assert isinstance(raw, Age)
        return age_json(generalise_age(raw, level, top_code_age))
    if kind is ValueKind.PERIOD:
        assert isinstance(raw, IncidentDate)
        return generalise_period(raw, level)
    if kind is ValueKind.DATE:
        assert isinstance(raw, date)
        return generalise_date(raw, level)
    if kind is ValueKind.PLACE:
        assert isinstance(raw, Location)
        return generalise_place(raw, level)
    if level != "value":
        raise ValueError(f"level {level!r} does not apply to a {kind.value} value")
    if kind is ValueKind.CODE:
        return _code(raw)
    if kind is ValueKind.CODES:
        return _codes(raw)
    return _plain(raw)


def _entry(
    path: str,
    scope: Scope[S],
    read: Callable[[S], Any],
    kind: ValueKind,
    transforms: frozenset[Transform] = _KEEP,
    hierarchy: tuple[str, ...] = (),
    **options: Any,
) -> FieldEntry[S]:
    output = options.pop("output", path.rpartition(".")[2])
    return FieldEntry(path, scope, output, read, kind, transforms, hierarchy, **options)


def _categorical(path: str, scope: Scope[S], read: Callable[[S], Any], kind: ValueKind) -> FieldEntry[S]:
    return _entry(path, scope, read, kind, _KEEP_OR_GENERALISE, CATEGORICAL_LEVELS)


def _quasi_identifier(path: str, read: Callable[[Survivor], Any]) -> FieldEntry[Survivor]:
    return _entry(
        path,
        SURVIVOR,
        read,
        ValueKind.CODE,
        _KEEP_OR_GENERALISE,
        CATEGORICAL_LEVELS,
        quasi_identifier_only=True,
    )


def _dated(path: str, scope: Scope[S], read: Callable[[S], date | None], **options: Any) -> FieldEntry[S]:
    return _entry(path, scope, read, ValueKind.DATE, _GENERALISE, DATE_LEVELS, **options)


def _local_id(
    path: str, scope: Scope[S], read: Callable[[S], str], output: str, *, required: bool = True
) -> FieldEntry[S]:
    return _entry(
        path,
        scope,
        read,
        ValueKind.LOCAL_ID,
        frozenset({"renumber"}),
        role="structural",
        output=output,
        required=required,
    )


_CODE, _CODES, _PLAIN = ValueKind.CODE, ValueKind.CODES, ValueKind.PLAIN


def _circ(incident: Incident, name: str) -> Any:
    """A field of the incident's circumstances (standard 1.1), or None when they are not recorded."""
    return None if incident.circumstances is None else getattr(incident.circumstances, name)


def _detention_facility_type(incident: Incident) -> Any:
    # Only the kind of place: its KATOTTH code and the period held are never exportable.
    place = None if incident.circumstances is None else incident.circumstances.place_of_detention
    return None if place is None else place.facility_type


_ENTRIES: Final[tuple[FieldEntry[Any], ...]] = (
    _entry(
        "record_ref", RECORD, lambda r: r.record_id, ValueKind.TOKEN, frozenset({"pseudonymise"}),
        role="token", token_kind="record",
    ),
    _entry("source_organisation", RECORD, lambda r: r.source_organisation, _PLAIN),
    _entry(
        "survivor.survivor_ref", SURVIVOR, lambda s: s.survivor_ref, ValueKind.TOKEN,
        frozenset({"pseudonymise"}), role="token", token_kind="survivor",
    ),
    _categorical("survivor.sex", SURVIVOR, lambda s: s.sex, _CODE),
    _entry(
        "survivor.age", SURVIVOR, lambda s: s.age_at_first_incident, ValueKind.AGE, _GENERALISE, AGE_LEVELS
    ),
    _categorical("survivor.status", SURVIVOR, lambda s: s.status, _CODE),
    _categorical("survivor.role", SURVIVOR, lambda s: s.role, _CODE),
    _categorical("survivor.displacement_status", SURVIVOR, lambda s: s.displacement_status, _CODE),
    _categorical("survivor.disabilities", SURVIVOR, lambda s: s.disabilities, _CODES),
    _categorical("survivor.nationality", SURVIVOR, lambda s: s.nationality, _CODE),
    # Standard 1.1. No shipped profile lists these; one that does must count them as quasi-identifiers.
    _quasi_identifier("survivor.ethnicity", lambda s: s.ethnicity),
    _quasi_identifier("survivor.religion", lambda s: s.religion),
    _quasi_identifier("survivor.country_of_origin", lambda s: s.country_of_origin),
    _quasi_identifier("survivor.marital_status", lambda s: s.marital_status),
    _quasi_identifier("survivor.child_separation", lambda s: s.child_separation),
    _local_id("incidents.incident_ref", INCIDENTS, lambda i: i.incident_id, "incident_ref", required=False),
    _entry(
        "incidents.period", INCIDENTS, lambda i: i.incident_date, ValueKind.PERIOD, _GENERALISE, DATE_LEVELS
    ),
    _dated("incidents.reported_period", INCIDENTS, lambda i: i.reported_on),
    _entry("incidents.place", INCIDENTS, lambda i: i.location, ValueKind.PLACE, _GENERALISE, PLACE_LEVELS),
    _categorical("incidents.control_status", INCIDENTS, lambda i: i.location.control_status, _CODE),
    _categorical("incidents.contexts", INCIDENTS, lambda i: i.contexts, _CODES),
    _categorical("incidents.conflict_nexus", INCIDENTS, lambda i: i.conflict_nexus, _CODES),
    _categorical("incidents.verification_status", INCIDENTS, lambda i: i.verification_status, _CODE),
    _categorical("incidents.place_type", INCIDENTS, lambda i: _circ(i, "place_type"), _CODE),
    _categorical("incidents.time_of_day", INCIDENTS, lambda i: _circ(i, "time_of_day"), _CODE),
    _categorical("incidents.displacement_stage", INCIDENTS, lambda i: _circ(i, "displacement_stage"), _CODE),
    _categorical("incidents.abduction_status", INCIDENTS, lambda i: _circ(i, "abduction_status"), _CODE),
    _categorical(
        "incidents.goods_or_money_exchanged",
        INCIDENTS,
        lambda i: _circ(i, "goods_or_money_exchanged"),
        _PLAIN,
    ),
    _categorical("incidents.previous_incidents", INCIDENTS, lambda i: _circ(i, "previous_incidents"), _PLAIN),
    _categorical("incidents.detention_facility_type", INCIDENTS, _detention_facility_type, _CODE),
    _categorical(
        "incidents.conflict_classification", INCIDENTS, lambda i: i.conflict_classification, _CODE
    ),
    _categorical("incidents.gbvims_type", INCIDENTS, lambda i: i.gbvims_type, _CODE),
    _entry(
        "incidents.narrative", INCIDENTS, lambda i: i.narrative, ValueKind.TEXT, frozenset({"redact"}),
        output="narrative_redacted",
    ),
    _entry("incidents.acts", ACTS, lambda a: a.form, _CODE, output="form", required=True),
    _entry("incidents.acts.repeated", ACTS, lambda a: a.repeated, _PLAIN),
    _entry(
        "incidents.acts.perpetrator_ids", ACTS, lambda a: a.perpetrator_ids, ValueKind.LOCAL_REFS,
        frozenset({"renumber"}), role="structural", refers_to=PERPETRATORS,
    ),
    _local_id("incidents.perpetrators", PERPETRATORS, lambda p: p.perpetrator_id, "perpetrator_id"),
    _categorical("incidents.perpetrators.category", PERPETRATORS, lambda p: p.category, _CODE),
    _categorical(
        "incidents.perpetrators.affiliation_state", PERPETRATORS, lambda p: p.affiliation_state, _CODE
    ),
    _categorical("incidents.perpetrators.number", PERPETRATORS, lambda p: p.number, _PLAIN),
    _categorical("incidents.perpetrators.sex", PERPETRATORS, lambda p: p.sex, _CODE),
    _categorical("incidents.perpetrators.identified", PERPETRATORS, lambda p: p.identified, _PLAIN),
    # Standard 1.1. A unit number, a rank or a call-sign-based identification can point to one person in
    # a small unit: no shipped profile lists them, and a profile that does must declare them in its risk
    # model like any attribute. The cross-record perpetrator_ref leaves only as a keyed pseudonym.
    _entry(
        "incidents.perpetrators.perpetrator_ref", PERPETRATORS, lambda p: p.perpetrator_ref, ValueKind.TOKEN,
        frozenset({"pseudonymise"}), role="token", token_kind="perpetrator",
    ),
    _categorical(
        "incidents.perpetrators.party_to_conflict", PERPETRATORS, lambda p: p.party_to_conflict, _CODE
    ),
    _categorical("incidents.perpetrators.nationality", PERPETRATORS, lambda p: p.nationality, _CODE),
    _entry("incidents.perpetrators.unit_number", PERPETRATORS, lambda p: p.unit_number, _PLAIN),
    _categorical("incidents.perpetrators.rank", PERPETRATORS, lambda p: p.rank, _CODE),
    _categorical("incidents.perpetrators.age_group", PERPETRATORS, lambda p: p.age_group, _CODE),
    _categorical("incidents.perpetrators.minor", PERPETRATORS, lambda p: p.minor, _PLAIN),
    _categorical("incidents.perpetrators.relationship", PERPETRATORS, lambda p: p.relationship, _CODE),
    _categorical("incidents.perpetrators.primary", PERPETRATORS, lambda p: p.primary, _PLAIN),
    _categorical(
        "incidents.perpetrators.identification_basis", PERPETRATORS, lambda p: p.identification_basis, _CODES
    ),
    _categorical(
        "incidents.perpetrators.identification_confidence", PERPETRATORS,
        lambda p: p.identification_confidence, _CODE,
    ),
    _categorical("incidents.perpetrators.involvement", PERPETRATORS, lambda p: p.involvement, _CODES),
    _local_id("proceedings", PROCEEDINGS, lambda p: p.proceeding_id, "proceeding_ref"),
    _entry("proceedings.jurisdiction", PROCEEDINGS, lambda p: p.jurisdiction, _CODE, required=True),
    _entry("proceedings.stage", PROCEEDINGS, lambda p: p.stage, _CODE, required=True),
    _entry("proceedings.erdr_number", PROCEEDINGS, lambda p: p.erdr_number, _PLAIN),
    _dated("proceedings.registered", PROCEEDINGS, lambda p: p.registered_on),
    _dated("proceedings.stage_period", PROCEEDINGS, lambda p: p.stage_on),
    _categorical("proceedings.articles", PROCEEDINGS, lambda p: p.articles, _CODES),
    _entry(
        "proceedings.incident_refs", PROCEEDINGS, lambda p: p.incident_ids, ValueKind.LOCAL_REFS,
        frozenset({"renumber"}), role="structural", refers_to=INCIDENTS,
    ),
    _local_id("reparations", REPARATIONS, lambda c: c.claim_id, "claim_ref"),
    _entry("reparations.programme", REPARATIONS, lambda c: c.programme, _CODE, required=True),
    _entry("reparations.status", REPARATIONS, lambda c: c.status, _CODE, required=True),
    _dated("reparations.submitted", REPARATIONS, lambda c: c.submitted_on),
    _dated("reparations.decided", REPARATIONS, lambda c: c.decision_on),
    _categorical("reparations.forms", REPARATIONS, lambda c: c.forms, _CODES),
    _categorical("reparations.awarded", REPARATIONS, lambda c: c.awarded, _PLAIN),
    _dated("reparations.payments.paid", PAYMENTS, lambda p: p.paid_on),
    _categorical("reparations.payments.amount", PAYMENTS, lambda p: p.amount, _PLAIN),
    _categorical("services", RECORD, _services, _PLAIN),
)  # fmt: skip


def field_table(entries: Sequence[FieldEntry[Any]]) -> Mapping[str, FieldEntry[Any]]:
    """A field table (by profile path) from entries; each scope may have one renumbered identifier."""
    table: dict[str, FieldEntry[Any]] = {}
    identified: set[str] = set()
    for entry in entries:
        if entry.path in table:
            raise ValueError(f"field {entry.path!r} is listed twice")
        if entry.kind is ValueKind.LOCAL_ID:
            if entry.scope.name in identified:
                raise ValueError(f"scope {entry.scope.name!r} has two identifiers")
            identified.add(entry.scope.name)
        table[entry.path] = entry
    return MappingProxyType(table)


FIELD_TABLE: Final = field_table(_ENTRIES)
"""Every field a record-level profile may list, by its path in the profile."""


def identifier_of(table: Mapping[str, FieldEntry[Any]], scope: Scope[Any]) -> FieldEntry[Any] | None:
    """The renumbered identifier entry of ``scope`` in ``table``, if it has one."""
    return next((e for e in table.values() if e.scope is scope and e.kind is ValueKind.LOCAL_ID), None)
