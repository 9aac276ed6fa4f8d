"""Export profiles as data: allow-lists of fields, each with its transform, a consent purpose, thresholds.

A profile is a TOML file (the shipped ones are ``crsvdata/anonymise/profiles/*.toml``, documented in
``docs/anonymisation/profiles.md``). It lists the fields it lets out; every other field is dropped, so a
field added to the standard later is never leaked by an old profile. Which fields exist, what transforms
each supports and how they apply is the field table (:mod:`crsvdata.anonymise.fields`). Each listed
field names one transform:

* ``keep``: as recorded (codes, booleans, amounts);
* ``pseudonymise``: replaced by a keyed token (``mode`` ``linkable`` or ``unlinkable``);
* ``renumber``: a local identifier (of an incident, perpetrator, proceeding, claim) or a reference to
  one, replaced by a number within the record (``i1``, ``i2``...), references rewritten to match;
* ``generalise``: up a hierarchy; ``levels`` lists the levels the export may use, finest first. A
  quasi-identifier with several levels is searched: the least generalisation that meets ``k`` and ``l``
  is chosen. A field with one level is always written at that level;
* ``redact``: narrative redaction (known identity values, then ``detectors``, then the capitalised-word
  ``fallback`` when true).

The file is read into a pydantic model (:class:`ProfileFile`, unknown keys refused), then checked
against the field table: a record-level profile must declare every attribute it lets out as a
quasi-identifier or a sensitive attribute, so the risk it measures is the risk of what it writes.
Errors name the key, never a value. Profiles are parsed once and cached: nothing on the per-record path
reads a file.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator

from crsvdata.anonymise.errors import ProfileError
from crsvdata.anonymise.fields import FIELD_TABLE, FieldEntry, Transform, identifier_of
from crsvdata.anonymise.pseudonymise import PseudonymMode
from crsvdata.anonymise.redaction import ALL_DETECTORS, DEFAULT_DETECTORS, KEEPABLE_KINDS
from crsvdata.codes.enums import ConsentPurpose, RecipientCategory
from crsvdata.models.anonymised import PROFILE_NAME_PATTERN, VERSION_PATTERN
from crsvdata.models.dimensions import DIMENSIONS

__all__ = [
    "Disclosure",
    "ExportProfile",
    "FieldRule",
    "ProfileFile",
    "ReferralSpec",
    "StatisticsSpec",
    "profile_names",
]

ProfileKind = Literal["records", "aggregates", "referral"]

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

# --- the file, as read ------------------------------------------------------------------------------

StrictStr = Annotated[str, Strict()]
StrictBool = Annotated[bool, Strict()]
StrictInt = Annotated[int, Strict()]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSetting(_Table):
    """One entry of ``[fields]``."""

    transform: Transform
    levels: list[StrictStr] | None = None
    mode: PseudonymMode | None = None
    detectors: list[StrictStr] | None = None
    fallback: StrictBool = False
    keep: list[StrictStr] | None = None
    """Kinds a redacted narrative keeps (``facility``, ``unit``): an investigation needs "СІЗО № 2"."""


class DisclosureSetting(_Table):
    """``[disclosure]``: the risk model and its thresholds."""

    quasi_identifiers: list[StrictStr] = []
    sensitive: list[StrictStr] = []
    k: Annotated[StrictInt, Field(ge=1)] = 1
    l: Annotated[StrictInt, Field(ge=1)] = 1  # noqa: E741  (l-diversity's own name)
    max_global_risk: Annotated[float, Strict(), Field(gt=0, le=1)] = 1.0
    max_suppressed_fraction: Fraction = 0.0


class StatisticsSetting(_Table):
    """``[statistics]``: the default table of an aggregate profile."""

    by: Annotated[list[StrictStr], Field(min_length=1)]
    unit: Literal["survivors", "incidents", "acts"] | None = None
    period: Literal["year", "quarter", "month"] = "year"
    hxl: StrictBool = True

    @field_validator("by")
    @classmethod
    def _known_dimensions(cls, by: list[str]) -> list[str]:
        if any(name not in DIMENSIONS for name in by):
            raise ValueError(f"dimensions must be taken from {', '.join(DIMENSIONS)}")
        return by


class ReferralSetting(_Table):
    """``[referral]``: what an identified referral keeps."""

    case_fields: list[Literal[tuple(sorted(REFERRAL_CASE_FIELDS))]] = []  # type: ignore[valid-type]
    identity_fields: list[Literal[tuple(sorted(REFERRAL_IDENTITY_FIELDS))]] = []  # type: ignore[valid-type]


class ProfileFile(_Table):
    """A profile file as written: every key typed, unknown keys refused."""

    name: Annotated[StrictStr, Field(pattern=PROFILE_NAME_PATTERN)]
    version: Annotated[StrictStr, Field(pattern=VERSION_PATTERN)]
    kind: ProfileKind
    title: StrictStr
    description: StrictStr
    purpose: ConsentPurpose
    recipient_category: RecipientCategory | None = None
    requires_recipient_organisation: StrictBool = False
    pseudonym_mode: PseudonymMode = "linkable"
    small_cell_threshold: Annotated[StrictInt, Field(ge=1)] = 5
    top_code_age: Annotated[StrictInt, Field(ge=1, le=120)] = 80
    fields: dict[str, FieldSetting] = {}
    disclosure: DisclosureSetting = DisclosureSetting()
    statistics: StatisticsSetting | None = None
    referral: ReferralSetting | None = None


def _read(document: Mapping[str, Any], source: str) -> ProfileFile:
    try:
        return ProfileFile.model_validate(document)
    except ValidationError as exc:
        problems = [
            f"'{'.'.join(str(part) for part in error['loc'])}': {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False, include_context=False)
        ]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ProfileError(f"{source}: {'; '.join(problems[:3])}{more}") from None


# --- the checked profile ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One allow-listed field, its entry in the field table and its transform."""

    entry: FieldEntry[Any]
    transform: Transform
    levels: tuple[str, ...] = ()
    mode: PseudonymMode | None = None
    detectors: tuple[str, ...] = DEFAULT_DETECTORS
    fallback: bool = False
    keep: frozenset[str] = frozenset()

    @property
    def path(self) -> str:
        return self.entry.path

    @property
    def value_levels(self) -> tuple[str, ...]:
        """The levels the field may be written at: its generalisation levels, or ``value``."""
        return self.levels if self.transform == "generalise" else ("value",)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The risk model a record-level export is measured against, on its own output, by persons."""

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
    origin: str | Path | None = field(default=None, repr=False, compare=False)
    """Where :meth:`load` found it (a shipped profile's name, or the file's absolute path), so that a
    worker process can load the same profile; None for a profile built by :meth:`from_toml`."""

    @property
    def is_record_level(self) -> bool:
        """True for profiles whose output is one record per case (records and referral)."""
        return self.kind != "aggregates"

    @property
    def structural(self) -> tuple[str, ...]:
        """The renumbered identifiers and references it writes: measured with the quasi-identifiers."""
        return tuple(path for path, rule in self.fields.items() if rule.entry.role == "structural")

    @property
    def allowed_output_paths(self) -> frozenset[str]:
        """The dotted output paths (list indices dropped) this profile may fill, besides the header."""
        paths = {"document_type", "standard_version", "profile", "profile_version"}
        paths.update(rule.entry.output_path for rule in self.fields.values())
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
            return replace(cls.from_toml(data, path.name), origin=path.resolve())
        return _shipped(str(name_or_path))

    @classmethod
    def from_toml(
        cls, data: bytes, source: str = "profile", *, table: Mapping[str, FieldEntry[Any]] = FIELD_TABLE
    ) -> ExportProfile:
        """Parse and check a profile from the bytes of its TOML file, against ``table`` (the standard's)."""
        try:
            document = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ProfileError(f"{source}: not valid TOML ({exc})") from None
        return _check(_read(document, source), source, hashlib.sha256(data).hexdigest(), table)


def profile_names() -> tuple[str, ...]:
    """The names of the shipped profiles."""
    folder = resources.files("crsvdata.anonymise") / "profiles"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.cache
def _shipped(name: str) -> ExportProfile:
    if name not in profile_names():
        raise ProfileError(f"no export profile named {name!r}; shipped: {', '.join(profile_names())}")
    data = (resources.files("crsvdata.anonymise") / "profiles" / f"{name}.toml").read_bytes()
    return replace(ExportProfile.from_toml(data, f"{name}.toml"), origin=name)


# --- checks against the field table -----------------------------------------------------------------


def _check(
    file: ProfileFile, source: str, sha256: str, table: Mapping[str, FieldEntry[Any]]
) -> ExportProfile:
    if file.kind == "records" and not file.fields:
        raise ProfileError(f"{source}: a records profile needs a [fields] table")
    if file.kind != "records" and (file.fields or file.disclosure.quasi_identifiers):
        raise ProfileError(f"{source}: only a records profile has [fields] and quasi-identifiers")
    if (file.kind == "aggregates") != (file.statistics is not None):
        raise ProfileError(f"{source}: an aggregates profile, and only one, has a [statistics] table")
    if (file.kind == "referral") != (file.referral is not None):
        raise ProfileError(f"{source}: a referral profile, and only one, has a [referral] table")
    rules = {path: _rule(path, setting, table, source) for path, setting in file.fields.items()}
    _check_structure(rules, table, source)
    disclosure = _disclosure(file.disclosure, rules, source)
    statistics = referral = None
    if file.statistics is not None:
        s = file.statistics
        statistics = StatisticsSpec(tuple(s.by), s.unit, s.period, s.hxl)
    if file.referral is not None:
        wanted = file.referral
        referral = ReferralSpec(frozenset(wanted.case_fields), frozenset(wanted.identity_fields))
    return ExportProfile(
        name=file.name,
        version=file.version,
        kind=file.kind,
        title=file.title,
        description=file.description,
        purpose=file.purpose,
        recipient_category=file.recipient_category,
        requires_recipient_organisation=file.requires_recipient_organisation,
        pseudonym_mode=file.pseudonym_mode,
        small_cell_threshold=file.small_cell_threshold,
        top_code_age=file.top_code_age,
        fields=MappingProxyType(rules),
        disclosure=disclosure,
        statistics=statistics,
        referral=referral,
        sha256=sha256,
    )


def _rule(path: str, setting: FieldSetting, table: Mapping[str, FieldEntry[Any]], source: str) -> FieldRule:
    where = f"{source}: field {path!r}"
    entry = table.get(path)
    if entry is None:
        raise ProfileError(f"{where} is not a field a profile can list")
    if setting.transform not in entry.transforms:
        supported = ", ".join(sorted(entry.transforms))
        raise ProfileError(f"{where} supports {supported}, not {setting.transform!r}")
    levels: tuple[str, ...] = ()
    if setting.transform == "generalise":
        levels = tuple(setting.levels or ())
        if not levels or any(level not in entry.hierarchy for level in levels):
            raise ProfileError(f"{where}: levels must be taken from {', '.join(entry.hierarchy)}")
        ranks = [entry.hierarchy.index(level) for level in levels]
        if ranks != sorted(set(ranks)):
            raise ProfileError(f"{where}: levels must be distinct and ordered finest first")
    elif setting.levels is not None:
        raise ProfileError(f"{where}: only a generalised field has levels")
    if setting.mode is not None and setting.transform != "pseudonymise":
        raise ProfileError(f"{where}: 'mode' is for pseudonymised fields only")
    detectors = tuple(setting.detectors) if setting.detectors is not None else DEFAULT_DETECTORS
    if any(d not in ALL_DETECTORS for d in detectors):
        raise ProfileError(f"{where}: detectors must be taken from {', '.join(ALL_DETECTORS)}")
    if (setting.detectors is not None or setting.fallback or setting.keep) and setting.transform != "redact":
        raise ProfileError(f"{where}: 'detectors', 'fallback' and 'keep' are for redacted fields only")
    keep = frozenset(setting.keep or ())
    if not keep <= KEEPABLE_KINDS:
        raise ProfileError(f"{where}: 'keep' may list only {', '.join(sorted(KEEPABLE_KINDS))}")
    return FieldRule(entry, setting.transform, levels, setting.mode, detectors, setting.fallback, keep)


def _check_structure(
    rules: Mapping[str, FieldRule], table: Mapping[str, FieldEntry[Any]], source: str
) -> None:
    """A field comes with the fields its scope (and every scope above) requires, such as a proceeding's
    identifier and stage; a reference needs the identifiers it refers to."""
    for path, rule in rules.items():
        scope = rule.entry.scope
        while scope.parent is not None:
            for other in table.values():
                if other.scope is scope and other.required and other.path not in rules:
                    raise ProfileError(f"{source}: field {path!r} needs {other.path!r} too")
            scope = scope.parent
        target = rule.entry.refers_to
        if target is not None:
            identifier = identifier_of(table, target)
            if identifier is None or identifier.path not in rules:
                raise ProfileError(
                    f"{source}: field {path!r} refers to identifiers the profile does not list"
                )


def _disclosure(setting: DisclosureSetting, rules: Mapping[str, FieldRule], source: str) -> Disclosure:
    where = f"{source}: [disclosure]"
    qis, sensitive = tuple(setting.quasi_identifiers), tuple(setting.sensitive)
    for path in qis:
        rule = rules.get(path)
        if rule is None or rule.entry.role != "attribute" or rule.transform not in ("keep", "generalise"):
            raise ProfileError(f"{where}: quasi-identifier {path!r} must be a kept or generalised attribute")
    for path in sensitive:
        rule = rules.get(path)
        if rule is None or rule.entry.role != "attribute" or rule.transform not in ("keep", "redact"):
            raise ProfileError(f"{where}: sensitive attribute {path!r} must be a kept or redacted attribute")
        if path in qis:
            raise ProfileError(f"{where}: {path!r} cannot be both a quasi-identifier and sensitive")
        if rule.entry.quasi_identifier_only:
            raise ProfileError(
                f"{where}: {path!r} can identify a person and must be declared a quasi-identifier"
            )
    # The risk measured must be the risk of what is written: an attribute outside the model would let a
    # recipient split the classes the check counted (k=6 on the declared columns, k=1 with all of them).
    for path, rule in rules.items():
        if rule.entry.role == "attribute" and path not in qis and path not in sensitive:
            raise ProfileError(
                f"{where}: field {path!r} is exported but is neither a quasi-identifier nor sensitive"
            )
    if setting.l > 1 and not sensitive:
        raise ProfileError(f"{where}: l > 1 needs a sensitive attribute")
    return Disclosure(
        qis, sensitive, setting.k, setting.l, setting.max_global_risk, setting.max_suppressed_fraction
    )
