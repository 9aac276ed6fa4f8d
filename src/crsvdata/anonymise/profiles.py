"""Export profiles as data: allow-lists of fields, each with its transform, a consent purpose, thresholds.

A profile is a TOML file (the shipped ones are ``crsvdata/anonymise/profiles/*.toml``, documented in
``docs/anonymisation/profiles.md``). It lists the fields it lets out; every other field is dropped, so a
field added to the standard later is never leaked by an old profile. Each field names one transform:

* ``keep``: as recorded (codes, booleans, local identifiers);
* ``pseudonymise``: replaced by a keyed token (``mode`` ``linkable`` or ``unlinkable``);
* ``generalise``: up a hierarchy; ``levels`` lists the levels the export may use, finest first. A
  quasi-identifier with several levels is searched: the least generalisation that meets ``k`` and ``l``
  is chosen. A field with one level is always written at that level;
* ``redact``: narrative redaction (known identity values, then ``detectors``, then the capitalised-word
  ``fallback`` when true).

Profiles are parsed once and cached: nothing on the per-record path reads a file.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from crsvdata.anonymise.errors import ProfileError
from crsvdata.anonymise.generalise import AGE_LEVELS, CATEGORICAL_LEVELS, DATE_LEVELS, PLACE_LEVELS
from crsvdata.anonymise.pseudonymise import PseudonymMode
from crsvdata.anonymise.redact import ALL_DETECTORS, DEFAULT_DETECTORS
from crsvdata.codes.enums import ConsentPurpose, RecipientCategory
from crsvdata.models.anonymised import PROFILE_NAME_PATTERN, VERSION_PATTERN
from crsvdata.models.dimensions import DIMENSIONS

__all__ = [
    "FIELD_CATALOGUE",
    "Disclosure",
    "ExportProfile",
    "FieldRule",
    "ReferralSpec",
    "StatisticsSpec",
    "profile_names",
]

Transform = Literal["keep", "pseudonymise", "generalise", "redact"]
ProfileKind = Literal["records", "aggregates", "referral"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What an output field supports: its transforms, its hierarchy, the output paths it lets out."""

    transforms: frozenset[str]
    hierarchy: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    incident_level: bool = False


def _spec(
    transforms: str, hierarchy: tuple[str, ...] = (), outputs: tuple[str, ...] = (), incident: bool = False
) -> FieldSpec:
    return FieldSpec(frozenset(transforms.split()), hierarchy, outputs, incident)


FIELD_CATALOGUE: Final[Mapping[str, FieldSpec]] = MappingProxyType(
    {
        "record_ref": _spec("pseudonymise", outputs=("record_ref",)),
        "source_organisation": _spec("keep", outputs=("source_organisation",)),
        "survivor.survivor_ref": _spec("pseudonymise", outputs=("survivor.survivor_ref",)),
        "survivor.sex": _spec("keep generalise", CATEGORICAL_LEVELS, ("survivor.sex",)),
        "survivor.age": _spec("generalise", AGE_LEVELS, ("survivor.age",)),
        "survivor.status": _spec("keep generalise", CATEGORICAL_LEVELS, ("survivor.status",)),
        "survivor.role": _spec("keep", outputs=("survivor.role",)),
        "survivor.displacement_status": _spec("keep", outputs=("survivor.displacement_status",)),
        "survivor.disabilities": _spec("keep", outputs=("survivor.disabilities",)),
        "survivor.nationality": _spec("keep", outputs=("survivor.nationality",)),
        "incidents.incident_ref": _spec("keep", outputs=("incidents.incident_ref",), incident=True),
        "incidents.period": _spec("generalise", DATE_LEVELS, ("incidents.period",), True),
        "incidents.reported_period": _spec("generalise", DATE_LEVELS, ("incidents.reported_period",), True),
        "incidents.place": _spec("generalise", PLACE_LEVELS, ("incidents.place",), True),
        "incidents.control_status": _spec(
            "keep generalise", CATEGORICAL_LEVELS, ("incidents.control_status",), True
        ),
        "incidents.contexts": _spec("keep", outputs=("incidents.contexts",), incident=True),
        "incidents.acts": _spec("keep", outputs=("incidents.acts.form",), incident=True),
        "incidents.acts.repeated": _spec("keep", outputs=("incidents.acts.repeated",), incident=True),
        "incidents.acts.perpetrator_ids": _spec(
            "keep", outputs=("incidents.acts.perpetrator_ids",), incident=True
        ),
        "incidents.perpetrators": _spec("keep", outputs=("incidents.perpetrators",), incident=True),
        "incidents.conflict_nexus": _spec("keep", outputs=("incidents.conflict_nexus",), incident=True),
        "incidents.verification_status": _spec(
            "keep", outputs=("incidents.verification_status",), incident=True
        ),
        "incidents.narrative": _spec("redact", outputs=("incidents.narrative_redacted",), incident=True),
        "proceedings": _spec(
            "keep", outputs=("proceedings.proceeding_ref", "proceedings.jurisdiction", "proceedings.stage")
        ),
        "proceedings.erdr_number": _spec("keep", outputs=("proceedings.erdr_number",)),
        "proceedings.registered": _spec("generalise", DATE_LEVELS, ("proceedings.registered",)),
        "proceedings.stage_period": _spec("generalise", DATE_LEVELS, ("proceedings.stage_period",)),
        "proceedings.articles": _spec("keep", outputs=("proceedings.articles",)),
        "proceedings.incident_refs": _spec("keep", outputs=("proceedings.incident_refs",)),
        "reparations": _spec(
            "keep", outputs=("reparations.claim_ref", "reparations.programme", "reparations.status")
        ),
        "reparations.submitted": _spec("generalise", DATE_LEVELS, ("reparations.submitted",)),
        "reparations.decided": _spec("generalise", DATE_LEVELS, ("reparations.decided",)),
        "reparations.forms": _spec("keep", outputs=("reparations.forms",)),
        "reparations.amounts": _spec("keep", outputs=("reparations.awarded", "reparations.payments.amount")),
        "reparations.payments.paid": _spec("generalise", DATE_LEVELS, ("reparations.payments.paid",)),
        "services": _spec("keep", outputs=("services",)),
    }
)
"""Every field a record-level profile may list, what it supports and which output paths it fills."""

_PARENTS: Final = {
    "incidents.acts.repeated": "incidents.acts",
    "incidents.acts.perpetrator_ids": "incidents.acts",
    **{path: "proceedings" for path in FIELD_CATALOGUE if path.startswith("proceedings.")},
    **{path: "reparations" for path in FIELD_CATALOGUE if path.startswith("reparations.")},
}

REFERRAL_CASE_FIELDS: Final = frozenset(
    {
        "survivor.age_at_first_incident",
        "survivor.displacement_status",
        "survivor.disabilities",
        "survivor.nationality",
        "incidents.reported_on",
        "incidents.verification_status",
        "consents",
        "referrals",
    }
)
"""Optional CaseRecord fields a referral profile may keep (required fields are always kept)."""
REFERRAL_IDENTITY_FIELDS: Final = frozenset(
    {"name", "other_names", "date_of_birth", "documents", "phones", "emails", "address"}
)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One allow-listed field and its transform."""

    path: str
    transform: Transform
    levels: tuple[str, ...] = ()
    mode: PseudonymMode | None = None
    detectors: tuple[str, ...] = DEFAULT_DETECTORS
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The thresholds a record-level export must meet, measured on its own output."""

    quasi_identifiers: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    k: int = 1
    l: int = 1  # noqa: E741  (l-diversity's own name)
    max_global_risk: float = 1.0
    max_suppressed_fraction: float = 0.0


@dataclass(frozen=True, slots=True)
class StatisticsSpec:
    """The default table of an aggregate profile."""

    by: tuple[str, ...]
    unit: str | None = None
    period: str = "year"
    hxl: bool = True


@dataclass(frozen=True, slots=True)
class ReferralSpec:
    """What an identified referral keeps of the case record and of the identity record."""

    case_fields: frozenset[str]
    identity_fields: frozenset[str]


@dataclass(frozen=True)
class ExportProfile:
    """A parsed, checked export profile. Load with :meth:`load`."""

    name: str
    version: str
    kind: ProfileKind
    title: str
    description: str
    purpose: ConsentPurpose
    recipient_category: RecipientCategory | None
    requires_recipient_organisation: bool
    pseudonym_mode: PseudonymMode
    small_cell_threshold: int
    top_code_age: int
    fields: Mapping[str, FieldRule]
    disclosure: Disclosure
    statistics: StatisticsSpec | None
    referral: ReferralSpec | None
    sha256: str = field(repr=False)
    """SHA-256 of the profile file's bytes, recorded in every manifest."""

    @property
    def allowed_output_paths(self) -> frozenset[str]:
        """The dotted output paths (list indices dropped) this profile may fill, besides the header."""
        paths = {"standard_version", "profile", "profile_version"}
        for path in self.fields:
            paths.update(FIELD_CATALOGUE[path].outputs)
        return frozenset(paths)

    @classmethod
    def load(cls, name_or_path: str | Path) -> ExportProfile:
        """A shipped profile by name (``research``...) or a profile file by path."""
        if isinstance(name_or_path, Path) or "/" in str(name_or_path) or str(name_or_path).endswith(".toml"):
            path = Path(name_or_path)
            try:
                data = path.read_bytes()
            except OSError:
                raise ProfileError(f"cannot read the profile file {path.name!r}") from None
            return cls.from_toml(data, path.name)
        return _shipped(str(name_or_path))

    @classmethod
    def from_toml(cls, data: bytes, source: str = "profile") -> ExportProfile:
        """Parse and check a profile from the bytes of its TOML file."""
        try:
            document = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ProfileError(f"{source}: not valid TOML ({exc})") from None
        return _parse(document, source, hashlib.sha256(data).hexdigest())


def profile_names() -> tuple[str, ...]:
    """The names of the shipped profiles."""
    folder = resources.files("crsvdata.anonymise") / "profiles"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.cache
def _shipped(name: str) -> ExportProfile:
    if name not in profile_names():
        raise ProfileError(f"no export profile named {name!r}; shipped: {', '.join(profile_names())}")
    data = (resources.files("crsvdata.anonymise") / "profiles" / f"{name}.toml").read_bytes()
    return ExportProfile.from_toml(data, f"{name}.toml")


# --- parsing ----------------------------------------------------------------------------------------

_TOP_KEYS: Final = frozenset(
    {
        "name", "version", "kind", "title", "description", "purpose", "recipient_category",
        "requires_recipient_organisation", "pseudonym_mode", "small_cell_threshold", "top_code_age",
        "fields", "disclosure", "statistics", "referral",
    }
)  # fmt: skip


def _take(
    table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], source: str, default: Any = ...
) -> Any:
    if key not in table:
        if default is ...:
            raise ProfileError(f"{source}: '{key}' is required")
        return default
    value = table[key]
    if not isinstance(value, kind) or (
        isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise ProfileError(f"{source}: '{key}' has the wrong type")
    return value


def _unknown(table: Mapping[str, Any], allowed: frozenset[str], source: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ProfileError(f"{source}: unknown key(s) {', '.join(extra)}")


def _parse(doc: Mapping[str, Any], source: str, sha256: str) -> ExportProfile:
    import re

    _unknown(doc, _TOP_KEYS, source)
    name = _take(doc, "name", str, source)
    if not re.fullmatch(PROFILE_NAME_PATTERN, name):
        raise ProfileError(f"{source}: 'name' must match {PROFILE_NAME_PATTERN}")
    version = _take(doc, "version", str, source)
    if not re.fullmatch(VERSION_PATTERN, version):
        raise ProfileError(f"{source}: 'version' must be MAJOR.MINOR.PATCH")
    kind = _take(doc, "kind", str, source)
    if kind not in ("records", "aggregates", "referral"):
        raise ProfileError(f"{source}: 'kind' must be records, aggregates or referral")
    try:
        purpose = ConsentPurpose(_take(doc, "purpose", str, source))
        category_text = _take(doc, "recipient_category", str, source, None)
        category = RecipientCategory(category_text) if category_text is not None else None
    except ValueError:
        raise ProfileError(f"{source}: 'purpose' or 'recipient_category' is not a code of its list") from None
    mode = _take(doc, "pseudonym_mode", str, source, "linkable")
    if mode not in ("linkable", "unlinkable"):
        raise ProfileError(f"{source}: 'pseudonym_mode' must be linkable or unlinkable")
    threshold = _take(doc, "small_cell_threshold", int, source, 5)
    top_code_age = _take(doc, "top_code_age", int, source, 80)
    if threshold < 1 or not 1 <= top_code_age <= 120:
        raise ProfileError(f"{source}: 'small_cell_threshold' must be >= 1 and 'top_code_age' 1-120")
    fields = _parse_fields(_take(doc, "fields", dict, source, {}), source)
    disclosure = _parse_disclosure(_take(doc, "disclosure", dict, source, {}), fields, source)
    statistics = None
    referral = None
    if kind == "records" and not fields:
        raise ProfileError(f"{source}: a records profile needs a [fields] table")
    if kind != "records" and (fields or disclosure.quasi_identifiers):
        raise ProfileError(f"{source}: only a records profile has [fields] and quasi-identifiers")
    if kind == "aggregates":
        statistics = _parse_statistics(_take(doc, "statistics", dict, source), source)
    elif "statistics" in doc:
        raise ProfileError(f"{source}: only an aggregates profile has [statistics]")
    if kind == "referral":
        referral = _parse_referral(_take(doc, "referral", dict, source), source)
    elif "referral" in doc:
        raise ProfileError(f"{source}: only a referral profile has [referral]")
    return ExportProfile(
        name=name,
        version=version,
        kind=kind,
        title=_take(doc, "title", str, source),
        description=_take(doc, "description", str, source),
        purpose=purpose,
        recipient_category=category,
        requires_recipient_organisation=_take(doc, "requires_recipient_organisation", bool, source, False),
        pseudonym_mode=mode,
        small_cell_threshold=threshold,
        top_code_age=top_code_age,
        fields=MappingProxyType(fields),
        disclosure=disclosure,
        statistics=statistics,
        referral=referral,
        sha256=sha256,
    )


def _parse_fields(table: Mapping[str, Any], source: str) -> dict[str, FieldRule]:
    rules: dict[str, FieldRule] = {}
    for path, raw in table.items():
        where = f"{source}: field {path!r}"
        spec = FIELD_CATALOGUE.get(path)
        if spec is None:
            raise ProfileError(f"{where} is not a field a profile can list")
        if not isinstance(raw, dict):
            raise ProfileError(f'{where} must be a table such as {{ transform = "keep" }}')
        _unknown(raw, frozenset({"transform", "levels", "mode", "detectors", "fallback"}), where)
        transform = _take(raw, "transform", str, where)
        if transform not in spec.transforms:
            raise ProfileError(f"{where} supports {', '.join(sorted(spec.transforms))}, not {transform!r}")
        levels: tuple[str, ...] = ()
        if transform == "generalise":
            levels = tuple(_take(raw, "levels", list, where))
            if not levels or any(level not in spec.hierarchy for level in levels):
                raise ProfileError(f"{where}: levels must be taken from {', '.join(spec.hierarchy)}")
            ranks = [spec.hierarchy.index(level) for level in levels]
            if ranks != sorted(set(ranks)):
                raise ProfileError(f"{where}: levels must be distinct and ordered finest first")
        elif "levels" in raw:
            raise ProfileError(f"{where}: only a generalised field has levels")
        mode = _take(raw, "mode", str, where, None)
        if mode is not None and (transform != "pseudonymise" or mode not in ("linkable", "unlinkable")):
            raise ProfileError(f"{where}: 'mode' is linkable or unlinkable, for pseudonymised fields only")
        detectors = tuple(_take(raw, "detectors", list, where, list(DEFAULT_DETECTORS)))
        if any(d not in ALL_DETECTORS for d in detectors):
            raise ProfileError(f"{where}: detectors must be taken from {', '.join(ALL_DETECTORS)}")
        rules[path] = FieldRule(
            path=path,
            transform=transform,
            levels=levels,
            mode=mode,
            detectors=detectors,
            fallback=_take(raw, "fallback", bool, where, False),
        )
    for path in rules:
        parent = _PARENTS.get(path)
        if parent is not None and parent not in rules:
            raise ProfileError(f"{source}: field {path!r} needs {parent!r} too")
    return rules


def _parse_disclosure(table: Mapping[str, Any], fields: Mapping[str, FieldRule], source: str) -> Disclosure:
    where = f"{source}: [disclosure]"
    _unknown(
        table,
        frozenset({"quasi_identifiers", "sensitive", "k", "l", "max_global_risk", "max_suppressed_fraction"}),
        where,
    )
    qis = tuple(_take(table, "quasi_identifiers", list, where, []))
    sensitive = tuple(_take(table, "sensitive", list, where, []))
    for path in qis:
        rule = fields.get(path)
        if rule is None or rule.transform not in ("keep", "generalise"):
            raise ProfileError(f"{where}: quasi-identifier {path!r} must be a kept or generalised field")
    for path in sensitive:
        rule = fields.get(path)
        if rule is None or rule.transform != "keep" or path in qis:
            raise ProfileError(
                f"{where}: sensitive attribute {path!r} must be a kept field, not a quasi-identifier"
            )
    k = _take(table, "k", int, where, 1)
    l_value = _take(table, "l", int, where, 1)
    risk = float(_take(table, "max_global_risk", (int, float), where, 1.0))
    budget = float(_take(table, "max_suppressed_fraction", (int, float), where, 0.0))
    if k < 1 or l_value < 1 or not 0 < risk <= 1 or not 0 <= budget <= 1:
        raise ProfileError(
            f"{where}: k and l must be >= 1, max_global_risk in (0, 1], the fraction in [0, 1]"
        )
    if l_value > 1 and not sensitive:
        raise ProfileError(f"{where}: l > 1 needs a sensitive attribute")
    return Disclosure(qis, sensitive, k, l_value, risk, budget)


def _parse_statistics(table: Mapping[str, Any], source: str) -> StatisticsSpec:
    where = f"{source}: [statistics]"
    _unknown(table, frozenset({"by", "unit", "period", "hxl"}), where)
    by = tuple(_take(table, "by", list, where))
    if not by or any(d not in DIMENSIONS for d in by):
        raise ProfileError(f"{where}: 'by' must list dimensions from {', '.join(DIMENSIONS)}")
    unit = _take(table, "unit", str, where, None)
    if unit is not None and unit not in ("survivors", "incidents", "acts"):
        raise ProfileError(f"{where}: 'unit' must be survivors, incidents or acts")
    period = _take(table, "period", str, where, "year")
    if period not in ("year", "quarter", "month"):
        raise ProfileError(f"{where}: 'period' must be year, quarter or month")
    return StatisticsSpec(by, unit, period, _take(table, "hxl", bool, where, True))


def _parse_referral(table: Mapping[str, Any], source: str) -> ReferralSpec:
    where = f"{source}: [referral]"
    _unknown(table, frozenset({"case_fields", "identity_fields"}), where)
    case_fields = frozenset(_take(table, "case_fields", list, where, []))
    identity_fields = frozenset(_take(table, "identity_fields", list, where, []))
    if not case_fields <= REFERRAL_CASE_FIELDS:
        raise ProfileError(
            f"{where}: case_fields must be taken from {', '.join(sorted(REFERRAL_CASE_FIELDS))}"
        )
    if not identity_fields <= REFERRAL_IDENTITY_FIELDS:
        raise ProfileError(
            f"{where}: identity_fields must be taken from {', '.join(sorted(REFERRAL_IDENTITY_FIELDS))}"
        )
    return ReferralSpec(case_fields, identity_fields)
