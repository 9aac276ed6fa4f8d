"""The conformance suite: documents that every implementation of the standard must judge alike.

``conformance/<standard version>/`` holds

* ``valid/<schema>.<case>.json``: valid documents (edge cases included); some carry warnings, listed in
  ``expected_warnings.csv``;
* ``invalid/<schema>.<case>.json``: documents with exactly one defect each;
* ``expected_errors.csv``: ``file,code,pointer,layer`` for every invalid file. ``layer`` is ``schema``
  for what any JSON Schema validator must catch with the published schema, ``rule`` for the cross-field
  rules (dates in order, checksums, references) that only crsvdata checks.

The part of a file name before the first dot names the published schema it is checked against
(``case-record.minimal.json`` -> ``case-record.schema.json``). Everything in the folder is generated from
the cases below (and from ``examples/cases`` and ``examples/packages``) by
``python -m tools.manage conformance``; ``python -m tools.manage check`` fails when it is out of date.

Codes and pointers are crsvdata's (``crsvdata.validate``). A plain JSON Schema validator names the same
problem by its keyword, and sometimes at another place; ``validator_expectation`` turns a table row into
what such a validator reports, and ``jsonschema_findings``/``ajv_findings`` put python-jsonschema's and
ajv's errors into that same (keyword, pointer) shape, so tests and integrators compare like with like.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from jsonschema import ValidationError as SchemaError

from crsvdata.findings import escape_pointer_token, pointer_from_path
from crsvdata.version import RECORD_STANDARD_VERSION, STANDARD_VERSION

Document = dict[str, Any]
Layer = Literal["schema", "rule"]

REPOSITORY: Final = Path(__file__).resolve().parents[1]
CONFORMANCE_ROOT: Final = REPOSITORY / "conformance"
EXAMPLES_ROOT: Final = REPOSITORY / "examples"
TABLE_COLUMNS: Final = ("file", "code", "pointer", "layer")
ERRORS_TABLE: Final = "expected_errors.csv"
WARNINGS_TABLE: Final = "expected_warnings.csv"

# --- What a plain JSON Schema validator reports for a crsvdata schema code ------------------------------

SCHEMA_KEYWORDS: Final[Mapping[str, str]] = {
    "schema.required": "required",
    "schema.additional_properties": "additionalProperties",
    "schema.type": "type",
    "schema.enum": "enum",
    "schema.const": "const",
    "schema.pattern": "pattern",
    "schema.format": "format",
    "schema.min_length": "minLength",
    "schema.max_length": "maxLength",
    "schema.min_items": "minItems",
    "schema.max_items": "maxItems",
    "schema.minimum": "minimum",
    "schema.maximum": "maximum",
    "schema.discriminator": "oneOf",
    "schema.one_of": "oneOf",
    "schema.any_of": "anyOf",
}
"""crsvdata issue code -> the JSON Schema keyword that fails. Two rules complete the table:

1. ``required`` and ``additionalProperties`` sit on the object, so validators report the object; crsvdata
   (and ``jsonschema_findings``/``ajv_findings``) add the member's name, which validators give in their
   error details (python-jsonschema: the message; ajv: ``params.missingProperty``/``additionalProperty``).
2. A failure inside an ``anyOf``/``oneOf`` branch is reported by a plain validator as a failure of the
   ``anyOf``/``oneOf`` itself, at the place it applies to; crsvdata explains the branch instead (the day
   of a partial date is ``schema.format``; an identity document is judged by the branch its ``type``
   names, and an unknown ``type`` is ``schema.discriminator`` at ``.../type``).
"""

MEMBER_KEYWORDS: Final = frozenset({"required", "additionalProperties"})
COMBINATORS: Final = ("oneOf", "anyOf")


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        reference = str(node["$ref"])
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are followed: {reference}")
        target: Any = root
        for token in _tokens(reference[1:]):
            target = target[token]
        node = target
    return node


def validator_expectation(schema: Mapping[str, Any], code: str, pointer: str) -> tuple[str, str]:
    """The (keyword, pointer) a plain JSON Schema validator reports for a schema-layer table row.

    The pointer keeps crsvdata's member convention for ``required``/``additionalProperties`` (see
    ``SCHEMA_KEYWORDS``); a failure inside an ``anyOf``/``oneOf`` becomes that combinator, at the
    place it applies to.
    """
    keyword = SCHEMA_KEYWORDS[code]
    tokens = _tokens(pointer)
    where = tokens[:-1] if keyword in MEMBER_KEYWORDS else tokens
    node = _resolve(schema, schema)
    for depth in range(len(where) + 1):
        node = _resolve(schema, node)
        for combinator in COMBINATORS:
            if combinator in node and (keyword == combinator or keyword not in node):
                return combinator, "".join("/" + escape_pointer_token(token) for token in where[:depth])
        if depth == len(where):
            break
        token = where[depth]
        node = node["items"] if token.isdigit() and "items" in node else _member_schema(node, token)
    return keyword, pointer


def _member_schema(node: Mapping[str, Any], token: str) -> Mapping[str, Any]:
    """The schema of member ``token``: its property, else the first patternProperties entry it matches."""
    if token in node.get("properties", {}):
        member: Mapping[str, Any] = node["properties"][token]
        return member
    for pattern, member in node.get("patternProperties", {}).items():
        if re.search(pattern, token):
            return member
    raise KeyError(token)


def jsonschema_findings(errors: Iterable[SchemaError]) -> set[tuple[str, str]]:
    """python-jsonschema's top-level errors as (keyword, pointer), members named as crsvdata does.

    Branch failures of ``anyOf``/``oneOf`` stay inside their error's ``context``, as python-jsonschema
    reports them.
    """
    found: set[tuple[str, str]] = set()
    for error in errors:
        keyword = str(error.validator)
        pointer = pointer_from_path(list(error.absolute_path))
        instance = error.instance
        if keyword == "required" and isinstance(instance, dict):
            required = error.validator_value if isinstance(error.validator_value, list) else []
            found.update(
                (keyword, f"{pointer}/{escape_pointer_token(name)}")
                for name in required
                if name not in instance
            )
        elif keyword == "additionalProperties" and isinstance(instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            found.update(
                (keyword, f"{pointer}/{escape_pointer_token(name)}") for name in instance if name not in known
            )
        else:
            found.add((keyword, pointer))
    return found


def ajv_findings(errors: Sequence[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """ajv's errors (``allErrors: true``) as (keyword, pointer), members named as crsvdata does.

    ajv lists the failures of every ``anyOf``/``oneOf`` branch before the ``anyOf``/``oneOf`` error
    itself; those branch failures are dropped, so that only the combinator remains, as in
    python-jsonschema.
    """
    keep = [True] * len(errors)
    for index, error in enumerate(errors):
        if error["keyword"] in COMBINATORS:
            base = str(error["instancePath"])
            for earlier in range(index):
                path = str(errors[earlier]["instancePath"])
                if path == base or path.startswith(base + "/"):
                    keep[earlier] = False
    found: set[tuple[str, str]] = set()
    for error, kept in zip(errors, keep, strict=True):
        if not kept:
            continue
        keyword, pointer, params = str(error["keyword"]), str(error["instancePath"]), error.get("params", {})
        if keyword == "required":
            pointer = f"{pointer}/{escape_pointer_token(str(params['missingProperty']))}"
        elif keyword == "additionalProperties":
            pointer = f"{pointer}/{escape_pointer_token(str(params['additionalProperty']))}"
        found.add((keyword, pointer))
    return found


# --- The cases -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """One issue a file must produce: its crsvdata code and JSON pointer."""

    code: str
    pointer: str


@dataclass(frozen=True, slots=True)
class Case:
    """One conformance file: the schema it is checked against, its document and what it must produce.

    ``errors`` is empty for a valid file; ``warnings`` lists the warnings a valid file must produce.
    ``ascii_only`` writes every non-ASCII character as a JSON ``\\u`` escape.
    """

    schema: str
    slug: str
    document: Document
    layer: Layer | None = None
    errors: tuple[Expected, ...] = ()
    warnings: tuple[Expected, ...] = ()
    ascii_only: bool = False

    @property
    def valid(self) -> bool:
        """True for a file of ``valid/``."""
        return not self.errors

    @property
    def file(self) -> str:
        """The file's path inside the version folder, e.g. ``invalid/case-record.null-value.json``."""
        return f"{'valid' if self.valid else 'invalid'}/{self.schema}.{self.slug}.json"

    def text(self) -> str:
        """The file's content, written the one way the committed files are written."""
        return json.dumps(self.document, indent=2, ensure_ascii=self.ascii_only) + "\n"


_DROP: Final = object()


def _edit(document: Document, *edits: tuple[str, Any]) -> Document:
    """A copy of ``document`` with each (pointer, value) set; ``_DROP`` removes the member.

    A pointer ending in ``/-`` appends to the array (RFC 6902's convention).
    """
    result = copy.deepcopy(document)
    for pointer, value in edits:
        *parents, last = _tokens(pointer)
        node: Any = result
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list):
            if last == "-":
                node.append(copy.deepcopy(value))
            elif value is _DROP:
                del node[int(last)]
            else:
                node[int(last)] = copy.deepcopy(value)
        elif value is _DROP:
            del node[last]
        else:
            node[last] = copy.deepcopy(value)
    return result


def _case() -> Document:
    """A compact valid case record: the base every invalid case record changes in one place."""
    return {
        "record_id": "SYNTH-CONF-0001",
        "standard_version": RECORD_STANDARD_VERSION,
        "source_organisation": "unfpa",
        "created_at": "2023-03-01T10:00:00+02:00",
        "updated_at": "2023-06-01T10:00:00+03:00",
        "confidentiality": "confidential",
        "survivor": {
            "survivor_ref": "SYN-SURV-C0001",
            "sex": "female",
            "age_at_first_incident": {"band": "age_26_40", "years": 31},
            "status": "civilian",
            "role": "direct_victim",
        },
        "incidents": [
            {
                "incident_id": "inc-1",
                "incident_date": {"start": "2022-04"},
                "reported_on": "2023-03-01",
                "location": {
                    "country": "UA",
                    "subdivision": "UA-32",
                    "katotth": "UA32000000000030281",
                    "control_status": "temporarily_occupied",
                },
                "contexts": ["occupation"],
                "acts": [{"form": "rape", "perpetrator_ids": ["p1"]}],
                "perpetrators": [
                    {"perpetrator_id": "p1", "category": "state_armed_forces", "affiliation_state": "RU"}
                ],
                "narrative": "SYNTHETIC CONFORMANCE CASE.",
            }
        ],
        "consents": [
            {
                "consent_id": "c1",
                "purpose": "services",
                "recipient_category": "service_providers",
                "granted": True,
                "given_on": "2023-03-01",
                "method": "written",
                "given_by": "self",
            }
        ],
    }


def _identity() -> Document:
    """A compact valid identity record, for the survivor of ``_case()``."""
    return {
        "survivor_ref": "SYN-SURV-C0001",
        "holder_organisation": "unfpa",
        "recorded_at": "2023-03-01T10:15:00+02:00",
        "name": {"family_name": "Тестенко", "given_name": "Прикладина", "patronymic": "Вигаданівна"},
        "date_of_birth": "1991-05-17",
        "documents": [{"type": "id_card", "number": "009999123"}],
        "phones": ["+380509990001"],
        "emails": ["synthetic.person@example.org"],
        "address": {"subdivision": "UA-32", "settlement": "Тестове", "street_address": "вул. Прикладна, 1"},
    }


def _package() -> Document:
    """A compact valid referral package: the case record of ``_case()`` and its identity record."""
    return {
        "package_id": "SYNTH-PKG-C0001",
        "standard_version": RECORD_STANDARD_VERSION,
        "publisher": "unfpa",
        "published_at": "2023-06-02T09:00:00+03:00",
        "purpose": "referral",
        "synthetic": True,
        "case_records": [_case()],
        "identity_records": [_identity()],
    }


def _minimal_case() -> Document:
    case = _case()
    return {
        "record_id": "SYNTH-CONF-0002",
        **{key: case[key] for key in ("standard_version", "source_organisation", "created_at")},
        **{key: case[key] for key in ("updated_at", "confidentiality")},
        "survivor": {
            "survivor_ref": "SYN-SURV-C0002",
            "sex": "male",
            "status": "civilian",
            "role": "witness",
        },
        "incidents": [
            {
                "incident_id": "inc-1",
                "incident_date": {"start": "2022"},
                "location": {"country": "UA", "control_status": "active_hostilities"},
                "contexts": ["hostilities"],
                "acts": [{"form": "sexual_harassment"}],
            }
        ],
    }


def _with_incident_date(incident_date: Document) -> Document:
    return _edit(_case(), ("/incidents/0/incident_date", incident_date), ("/incidents/0/reported_on", _DROP))


_CLAIM: Final[Document] = {
    "claim_id": "rep1",
    "programme": "gsf_interim_reparations_pilot",
    "status": "paid",
    "submitted_on": "2023-04-03",
    "decision_on": "2023-05-02",
    "awarded": {"amount": "3000.00", "currency": "EUR"},
    "payments": [{"paid_on": "2023-05-20", "amount": {"amount": "3000.00", "currency": "EUR"}}],
}
_PROCEEDING: Final[Document] = {
    "proceeding_id": "pr1",
    "jurisdiction": "ua_national",
    "erdr_number": "12023999990000001",
    "registered_on": "2023-03-02",
    "stage": "pre_trial_investigation",
    "stage_on": "2023-03-10",
    "articles": ["438"],
    "incident_ids": ["inc-1"],
}
_REFERRAL: Final[Document] = {
    "referral_id": "r1",
    "sector": "mhpss",
    "from_organisation": "unfpa",
    "to_organisation": "unfpa",
    "referred_on": "2023-03-01",
    "outcome": "service_provided",
    "outcome_on": "2023-03-20",
}
_ALL_DOCUMENT_TYPES: Final[list[Document]] = [
    {"type": "rnokpp", "number": "4253918189"},
    {"type": "unzr", "number": "19910517-00427"},
    {"type": "passport_booklet", "number": "КВ123456"},
    {"type": "id_card", "number": "009999123"},
    {"type": "foreign_passport", "number": "FA123456"},
]


def _example(folder: str, name: str) -> Document:
    loaded: Document = json.loads((EXAMPLES_ROOT / folder / name).read_text("utf-8"))
    return loaded


def _with_extensions() -> Document:
    """Namespaced extensions (JSON of any shape, nulls inside allowed) and external ids at every level."""
    return _edit(
        _case(),
        ("/extensions", {"primero:status": "open", "primero:gbv_case_context": ["synth_context"]}),
        (
            "/external_identifiers",
            [{"scheme": "primero_unique_id", "value": "5e7c0000-0000-4000-8000-00000000synt"}],
        ),
        ("/incidents/0/extensions", {"primero:incident_timeofday": "morning", "primero:note": {"a": None}}),
        ("/incidents/0/external_identifiers", [{"scheme": "primero_incident_code", "value": "000synt"}]),
        ("/incidents/0/perpetrators/0/extensions", {"primero:age_group": "18_25"}),
    )


def valid_cases() -> tuple[Case, ...]:
    """Every valid file: the examples and the edge cases a validator must accept."""
    package = _example("packages", "referral-package.json")
    # 100 code points but 128 UTF-16 code units: length is counted in code points.
    astral_name = ("Тестенко-𝕋𝕖𝕤𝕥" * 8)[:100]
    narrative = ("SYNTHETIC. Свідчення вигадане 🕊️ " * 700)[:20000]
    cases = [
        Case("case-record", "occupation-detention", _example("cases", "occupation-detention.json")),
        Case("case-record", "child-survivor", _example("cases", "child-survivor.json")),
        Case("case-record", "prisoner-of-war", _example("cases", "prisoner-of-war.json")),
        Case("exchange-package", "referral-package", package),
        Case("identity-record", "referral-package-identity", package["identity_records"][0]),
        Case("case-record", "compact", _case()),
        Case("case-record", "minimal", _minimal_case()),
        Case("case-record", "extensions-and-external-identifiers", _with_extensions()),
        Case("case-record", "year-only-date", _with_incident_date({"start": "2022"})),
        Case("case-record", "month-only-date", _with_incident_date({"start": "2022-03"})),
        Case(
            "case-record",
            "date-ranges",
            _edit(
                _case(),
                ("/incidents/0/incident_date", {"start": "2022", "end": "2022-01", "estimated": True}),
                ("/incidents/0/reported_on", _DROP),
                ("/incidents/-", _edit(_case()["incidents"][0], ("/incident_id", "inc-2"))),
                ("/incidents/1/incident_date", {"start": "2022-03", "end": "2022-03-01"}),
                ("/incidents/-", _edit(_case()["incidents"][0], ("/incident_id", "inc-3"))),
                ("/incidents/2/incident_date", {"start": "2022-03-14", "end": "2022-03-14"}),
                ("/incidents/2/reported_on", "2022-03-14"),
            ),
        ),
        Case(
            "case-record",
            "whole-number-floats",
            _edit(
                _case(),
                ("/survivor/age_at_first_incident/years", 31.0),
                ("/incidents/0/perpetrators/0/number", 3.0),
            ),
        ),
        Case(
            "case-record",
            "number-bounds",
            _edit(
                _minimal_case(),
                ("/survivor/age_at_first_incident", {"band": "age_61_plus", "years": 120}),
                ("/incidents/-", _edit(_minimal_case()["incidents"][0], ("/incident_id", "inc-2"))),
                ("/incidents/0/perpetrators", [{"perpetrator_id": "p1", "number": 1}]),
                ("/incidents/1/perpetrators", [{"perpetrator_id": "p1", "number": 1000}]),
            ),
        ),
        Case(
            "case-record",
            "youngest-age",
            _edit(
                _minimal_case(),
                ("/survivor/age_at_first_incident", {"band": "age_0_11", "years": 0, "estimated": True}),
            ),
        ),
        Case(
            "case-record",
            "leap-day",
            _edit(
                _case(),
                ("/created_at", "2024-02-29T09:00:00+02:00"),
                ("/updated_at", "2024-02-29T23:59:59+02:00"),
                ("/incidents/0/incident_date", {"start": "2024-02-29"}),
                ("/incidents/0/reported_on", "2024-02-29"),
                ("/consents/0/given_on", "2024-02-29"),
            ),
        ),
        Case(
            "case-record",
            "crimea",
            _edit(
                _case(),
                ("/incidents/0/location/subdivision", "UA-43"),
                ("/incidents/0/location/katotth", "UA01000000000013043"),
            ),
        ),
        Case(
            "case-record",
            "sevastopol",
            _edit(
                _case(),
                ("/incidents/0/location/subdivision", "UA-40"),
                ("/incidents/0/location/katotth", "UA85000000000065278"),
            ),
        ),
        Case(
            "case-record",
            "outside-ukraine",
            _edit(
                _case(),
                ("/incidents/0/location", {"country": "RU", "control_status": "outside_ukraine"}),
                ("/incidents/0/contexts", ["captivity_as_pow"]),
            ),
        ),
        Case(
            "case-record",
            "non-ascii-text",
            _edit(
                _case(),
                ("/incidents/0/narrative", "SYNTHETIC. Вигадана історія: «тест», ґанок, їжак, є — 🕊️ 𝕊."),
            ),
        ),
        Case("case-record", "narrative-max-length", _edit(_case(), ("/incidents/0/narrative", narrative))),
        Case(
            "case-record", "list-max-items", _edit(_case(), ("/incidents/0/contexts", ["occupation"] * 1000))
        ),
        Case(
            "case-record",
            "date-time-forms",
            _edit(
                _case(),
                ("/created_at", "2023-03-01T08:00:00Z"),
                ("/updated_at", "2023-05-31T21:30:00.123456-03:00"),
            ),
        ),
        Case(
            "case-record",
            "own-organisation-code",
            _edit(
                _case(),
                ("/source_organisation", "synth_partner_ngo"),
                ("/referrals", [_edit(_REFERRAL, ("/from_organisation", "synth_partner_ngo"))]),
                ("/referrals/0/to_organisation", "synth_partner_ngo"),
            ),
        ),
        Case(
            "case-record",
            "full",
            _edit(
                _case(),
                ("/survivor/displacement_status", "internally_displaced"),
                ("/survivor/disabilities", ["mobility"]),
                ("/survivor/nationality", "UA"),
                ("/incidents/0/conflict_nexus", ["perpetrator_profile_armed_actor", "temporal_link"]),
                ("/incidents/0/verification_status", "reported"),
                ("/incidents/0/confidentiality", "strictly_confidential"),
                ("/incidents/0/acts/0/repeated", True),
                ("/incidents/0/perpetrators/0/number", 2),
                ("/incidents/0/perpetrators/0/sex", "male"),
                ("/incidents/0/perpetrators/0/identified", False),
                ("/consents/-", _edit(_case()["consents"][0], ("/consent_id", "c2"))),
                ("/consents/1/purpose", "referral"),
                ("/consents/1/recipient_category", _DROP),
                ("/consents/1/recipient_organisation", "who"),
                ("/consents/1/withdrawn_on", "2023-05-01"),
                ("/referrals", [_edit(_REFERRAL, ("/to_organisation", "who"))]),
                ("/proceedings", [_PROCEEDING]),
                ("/reparations", [_CLAIM]),
            ),
        ),
        Case(
            "case-record",
            "referral-without-consent",
            _edit(_case(), ("/referrals", [_edit(_REFERRAL, ("/to_organisation", "who"))])),
            warnings=(Expected("referral.without_consent", "/referrals/0"),),
        ),
        Case(
            "identity-record",
            "minimal",
            {key: _identity()[key] for key in ("survivor_ref", "holder_organisation", "recorded_at")},
        ),
        Case(
            "identity-record",
            "all-document-types",
            _edit(
                _identity(),
                ("/documents", _ALL_DOCUMENT_TYPES),
                ("/other_names", [{"family_name": "Прикладенко"}, {"given_name": "Prykladyna"}]),
                ("/phones/-", "+48601234567"),
                ("/address/katotth", "UA32000000000030281"),
            ),
        ),
        Case("identity-record", "leap-day-birth", _edit(_identity(), ("/date_of_birth", "2004-02-29"))),
        Case(
            "identity-record",
            "name-max-length",
            _edit(_identity(), ("/name/family_name", astral_name), ("/address/settlement", "Т" * 500)),
        ),
        Case(
            "identity-record",
            "escaped-unicode",
            _edit(_identity(), ("/name/given_name", "Прикладина 𝕋")),
            ascii_only=True,
        ),
        Case(
            "identity-record",
            "unzr-check-digit-warning",
            _edit(_identity(), ("/documents/0", {"type": "unzr", "number": "19910517-00428"})),
            warnings=(Expected("identifier.unzr_check_digit", "/documents/0/number"),),
        ),
        Case(
            "exchange-package",
            "minimal",
            {key: _package()[key] for key in ("package_id", "standard_version", "publisher", "published_at")}
            | {"purpose": "statistics"},
        ),
        Case(
            "exchange-package",
            "statistics",
            _edit(
                _package(),
                ("/purpose", "statistics"),
                ("/identity_records", _DROP),
                ("/case_records/-", _minimal_case()),
            ),
        ),
        *_standard_1_1_valid_cases(),
    ]
    return (*cases, *_incident_1_1_valid_cases(), *_document_type_valid_cases())


_QUALIFICATION: Final[Document] = {
    "instrument": "ua_criminal_code",
    "code": "438",
    "part": 1,
    "mode": "committed",
    "status": "charged",
    "status_on": "2023-05-10",
    "assessed_by": "ua_office_prosecutor_general",
    "assessed_on": "2023-04-01",
    "perpetrator_ids": ["p1"],
}
_ICC_QUALIFICATION: Final[Document] = {
    "instrument": "icc_rome_statute",
    "code": "8(2)(b)(xxii)-1",
    "mode": "committed",
    "status": "candidate",
}


def _standard_1_1_case() -> Document:
    """The compact case with every field standard 1.1 adds to incidents and perpetrators."""
    return _edit(
        _case(),
        ("/incidents/0/contexts", ["detention"]),
        (
            "/incidents/0/circumstances",
            {
                "place_type": "place_of_detention",
                "time_of_day": "evening_night",
                "displacement_stage": "not_displaced",
                "abduction_status": "other_abduction_or_kidnapping",
                "goods_or_money_exchanged": False,
                "previous_incidents": False,
                "place_of_detention": {
                    "facility_type": "informal_detention_facility",
                    "katotth": "UA32000000000030281",
                    "held_from": "2022-04",
                    "held_until": "2022-05-03",
                },
            },
        ),
        ("/incidents/0/conflict_classification", "international"),
        ("/incidents/0/legal_qualifications", [_QUALIFICATION, _ICC_QUALIFICATION]),
        ("/incidents/0/gbvims_type", "rape"),
        ("/incidents/0/perpetrators/0/perpetrator_ref", "SYNTH-PERP-000001"),
        ("/incidents/0/perpetrators/0/party_to_conflict", "russian_federation"),
        ("/incidents/0/perpetrators/0/nationality", "RU"),
        ("/incidents/0/perpetrators/0/unit_number", "00001"),
        ("/incidents/0/perpetrators/0/unit_name", "SYNTHETIC 0th Test Brigade"),
        ("/incidents/0/perpetrators/0/rank", "junior_officer"),
        ("/incidents/0/perpetrators/0/age_group", "age_26_40"),
        ("/incidents/0/perpetrators/0/minor", False),
        ("/incidents/0/perpetrators/0/relationship", "no_relation"),
        ("/incidents/0/perpetrators/0/primary", True),
        (
            "/incidents/0/perpetrators/0/identification_basis",
            ["uniform_or_insignia", "name_or_call_sign_heard"],
        ),
        ("/incidents/0/perpetrators/0/identification_confidence", "medium"),
        ("/incidents/0/perpetrators/0/involvement", ["perpetrated", "ordered"]),
    )


def _incident_1_1_valid_cases() -> tuple[Case, ...]:
    return (
        Case("case-record", "standard-1-1-fields", _standard_1_1_case()),
        Case(
            "case-record",
            "gbvims-type-mismatch",
            _edit(_standard_1_1_case(), ("/incidents/0/gbvims_type", "sexual_assault")),
            warnings=(Expected("incident.gbvims_type_mismatch", "/incidents/0/gbvims_type"),),
        ),
        Case(
            "case-record",
            "deprecated-detention-or-filtration",
            _edit(_case(), ("/incidents/0/contexts", ["detention_or_filtration"])),
            warnings=(Expected("codelist.deprecated", "/incidents/0/contexts/0"),),
        ),
    )


def _incident_1_1_invalid_cases() -> tuple[Case, ...]:
    c, incident = "case-record", "/incidents/0"
    perpetrator, qualification = f"{incident}/perpetrators/0", f"{incident}/legal_qualifications/0"
    full = _standard_1_1_case

    def bad(slug: str, code: str, pointer: str, *edits: tuple[str, Any]) -> Case:
        layer: Layer = "schema" if code.startswith("schema.") else "rule"
        return Case(c, slug, _edit(full(), *edits), layer, (Expected(code, pointer),))

    status_on, icc_code = f"{qualification}/status_on", f"{incident}/legal_qualifications/1/code"

    return (
        bad("qualification-unknown-code", "qualification.unknown_code", f"{qualification}/code",
            (f"{qualification}/code", "999")),
        bad("qualification-part-outside-criminal-code", "qualification.part_outside_criminal_code",
            f"{incident}/legal_qualifications/1/part", (f"{incident}/legal_qualifications/1/part", 2)),
        bad("qualification-status-without-date", "qualification.status_without_date",
            f"{qualification}/status", (status_on, _DROP)),
        bad("qualification-conflict-mismatch", "qualification.conflict_mismatch",
            icc_code, (icc_code, "8(2)(e)(vi)-1")),
        bad("qualification-unknown-perpetrator-ref", "qualification.unknown_perpetrator_ref",
            f"{qualification}/perpetrator_ids/0", (f"{qualification}/perpetrator_ids", ["p7"])),
        bad("perpetrator-age-group-contradicts-minor", "perpetrator.age_group_contradicts_minor",
            f"{perpetrator}/minor", (f"{perpetrator}/minor", True)),
        bad("perpetrator-confidence-without-basis", "perpetrator.confidence_without_basis",
            f"{perpetrator}/identification_confidence", (f"{perpetrator}/identification_basis", _DROP)),
        bad("detention-period-reversed", "detention.period_reversed",
            f"{incident}/circumstances/place_of_detention/held_until",
            (f"{incident}/circumstances/place_of_detention/held_until", "2022-03")),
        bad("perpetrator-ref-pattern", "schema.pattern", f"{perpetrator}/perpetrator_ref",
            (f"{perpetrator}/perpetrator_ref", "1234567890")),
        bad("unit-number-pattern", "schema.pattern", f"{perpetrator}/unit_number",
            (f"{perpetrator}/unit_number", "12-34")),
    )  # fmt: skip


_BASES: Final = {"case-record": _case, "identity-record": _identity, "exchange-package": _package}


def _invalid(schema: str, slug: str, code: str, pointer: str, *edits: tuple[str, Any]) -> Case:
    """The schema's base document with ``edits``, which must produce ``code`` at ``pointer`` and no more."""
    layer: Layer = "schema" if code.startswith("schema.") else "rule"
    return Case(schema, slug, _edit(_BASES[schema](), *edits), layer, (Expected(code, pointer),))


def _at(schema: str, slug: str, code: str, pointer: str, value: Any) -> Case:
    """The schema's base document with ``value`` set at ``pointer`` (``_DROP``: removed), the issue there."""
    return _invalid(schema, slug, code, pointer, (pointer, value))


def _broken_cases() -> Iterator[Case]:
    """The breakages of ``crsvdata.testing.broken`` (testing extra), applied to the base case record."""
    from crsvdata.testing.broken import BREAKAGES, break_record

    for name in sorted(BREAKAGES):
        broken = break_record(_case(), name)
        layer: Layer = "schema" if broken.code.startswith("schema.") else "rule"
        expected = (Expected(broken.code, broken.pointer),)
        yield Case("case-record", "broken-" + name.replace("_", "-"), broken.document, layer, expected)


def _schema_layer_cases() -> tuple[Case, ...]:
    """One case per keyword and shape that any JSON Schema validator must reject."""
    c, i, p = "case-record", "identity-record", "exchange-package"
    years, number = "/survivor/age_at_first_incident/years", "/incidents/0/perpetrators/0/number"
    start, end = "/incidents/0/incident_date/start", "/incidents/0/incident_date/end"
    katotth, document = "/incidents/0/location/katotth", "/documents/0"
    return (
        # required, additionalProperties: the pointer names the member
        _at(c, "missing-incident-acts", "schema.required", "/incidents/0/acts", _DROP),
        _at(c, "unknown-top-level-member", "schema.additional_properties", "/notes", "SYNTHETIC"),
        _at(i, "missing-recorded-at", "schema.required", "/recorded_at", _DROP),
        _at(i, "unknown-member", "schema.additional_properties", "/tax_number", "4253918189"),
        _invalid(
            c,
            "extension-key-without-namespace",
            "schema.additional_properties",
            "/extensions/note",
            ("/extensions", {"note": 1}),
        ),
        _invalid(
            c,
            "external-identifier-unknown-scheme",
            "schema.enum",
            "/external_identifiers/0/scheme",
            ("/external_identifiers", [{"scheme": "primero", "value": "000synt"}]),
        ),
        _at(p, "missing-purpose", "schema.required", "/purpose", _DROP),
        _at(p, "unknown-member", "schema.additional_properties", "/recipient", "who"),
        # type, null included
        _at(c, "integer-as-string", "schema.type", years, "31"),
        _at(c, "fractional-integer", "schema.type", years, 31.5),
        _at(c, "boolean-as-string", "schema.type", "/consents/0/granted", "true"),
        _at(c, "object-as-array", "schema.type", "/survivor", []),
        _at(c, "array-as-object", "schema.type", "/incidents/0/acts", {"form": "rape"}),
        _at(c, "partial-date-as-number", "schema.type", start, 2022),
        _at(i, "null-member", "schema.type", "/date_of_birth", None),
        _at(p, "boolean-as-string", "schema.type", "/synthetic", "yes"),
        # enum, const
        _at(c, "unknown-code-in-list", "schema.enum", "/incidents/0/contexts/0", "Occupation"),
        _at(c, "wrong-standard-version", "schema.enum", "/standard_version", "2.0"),
        _at(p, "unknown-purpose", "schema.enum", "/purpose", "sharing"),
        _at(p, "nested-case-record-defect", "schema.enum", "/case_records/0/survivor/sex", "f"),
        _at(p, "wrong-standard-version", "schema.enum", "/standard_version", "1"),
        # pattern
        _at(c, "record-id-pattern", "schema.pattern", "/record_id", "SYNTH CONF 0001"),
        _at(c, "subdivision-pattern", "schema.pattern", "/incidents/0/location/subdivision", "UA-99"),
        _at(c, "katotth-pattern", "schema.pattern", katotth, "UA3200000000003028"),
        _at(c, "organisation-code-pattern", "schema.pattern", "/source_organisation", "UNFPA"),
        _invalid(
            c,
            "erdr-number-pattern",
            "schema.pattern",
            "/proceedings/0/erdr_number",
            ("/proceedings", [_edit(_PROCEEDING, ("/erdr_number", "12011999990000001"))]),
        ),
        _invalid(
            c,
            "amount-pattern",
            "schema.pattern",
            "/reparations/0/awarded/amount",
            ("/reparations", [_edit(_CLAIM, ("/awarded/amount", "3000,00"))]),
        ),
        _at(i, "phone-pattern", "schema.pattern", "/phones/0", "0509990001"),
        _at(i, "email-pattern", "schema.pattern", "/emails/0", "synthetic.person.example.org"),
        _at(i, "survivor-ref-pattern", "schema.pattern", "/survivor_ref", "4253918189"),
        # format: date, date-time, and the day of a partial date (inside an anyOf)
        _at(c, "date-not-in-calendar", "schema.format", "/consents/0/given_on", "2023-02-29"),
        _at(c, "date-time-without-offset", "schema.format", "/updated_at", "2023-06-01T10:00:00"),
        _at(c, "date-time-date-only", "schema.format", "/created_at", "2023-03-01"),
        _at(c, "date-time-without-seconds", "schema.format", "/created_at", "2023-03-01T10:00+02:00"),
        _at(c, "partial-date-month-13", "schema.format", start, "2022-13"),
        _invalid(
            c,
            "partial-date-year-1899",
            "schema.format",
            start,
            (start, "1899"),
            ("/incidents/0/reported_on", _DROP),
        ),
        _at(c, "partial-date-end-not-in-calendar", "schema.format", end, "2022-04-31"),
        _at(i, "date-of-birth-not-in-calendar", "schema.format", "/date_of_birth", "1991-02-29"),
        _at(p, "date-time-without-offset", "schema.format", "/published_at", "2023-06-02T09:00:00"),
        # minLength, maxLength: counted in Unicode code points
        _at(c, "empty-narrative", "schema.min_length", "/incidents/0/narrative", ""),
        _at(c, "narrative-too-long", "schema.max_length", "/incidents/0/narrative", "S" * 20001),
        _at(i, "empty-name-part", "schema.min_length", "/name/patronymic", ""),
        _at(i, "name-part-too-long", "schema.max_length", "/name/family_name", "Т" * 101),
        # minItems, maxItems
        _at(c, "empty-optional-list", "schema.min_items", "/consents", []),
        _at(c, "list-too-long", "schema.max_items", "/incidents/0/contexts", ["occupation"] * 1001),
        _at(i, "empty-list", "schema.min_items", "/other_names", []),
        _at(p, "empty-list", "schema.min_items", "/case_records", []),
        # minimum, maximum
        _at(c, "age-below-minimum", "schema.minimum", years, -1),
        _invalid(
            c,
            "age-above-maximum",
            "schema.maximum",
            years,
            ("/survivor/age_at_first_incident", {"band": "age_61_plus", "years": 121}),
        ),
        _at(c, "perpetrators-below-minimum", "schema.minimum", number, 0),
        _at(c, "perpetrators-above-maximum", "schema.maximum", number, 1001),
        # identity documents: a tagged union (oneOf, with a discriminator annotation)
        _at(i, "document-unknown-type", "schema.discriminator", f"{document}/type", "passport"),
        _at(i, "document-without-type", "schema.discriminator", f"{document}/type", _DROP),
        _at(i, "document-number-pattern", "schema.pattern", f"{document}/number", "12345678"),
        _invalid(
            i,
            "passport-booklet-latin-letters",
            "schema.pattern",
            f"{document}/number",
            (document, {"type": "passport_booklet", "number": "KB123456"}),
        ),
        _at(i, "document-without-number", "schema.required", f"{document}/number", _DROP),
        _at(i, "document-unknown-member", "schema.additional_properties", f"{document}/issued", "2020"),
        _at(
            p,
            "nested-document-unknown-type",
            "schema.discriminator",
            "/identity_records/0/documents/0/type",
            "driving_licence",
        ),
    )


def _rule_layer_cases() -> tuple[Case, ...]:
    """One case per rule error code: schema-valid documents that only crsvdata's rules reject."""
    c, i, p = "case-record", "identity-record", "exchange-package"
    katotth, location, reported = (
        "/incidents/0/location/katotth",
        "/incidents/0/location",
        "/incidents/0/reported_on",
    )
    consent = _case()["consents"][0]
    return (
        # identifiers
        _invalid(
            i,
            "rnokpp-checksum",
            "identifier.rnokpp_checksum",
            "/documents/0/number",
            ("/documents/0", {"type": "rnokpp", "number": "4253918188"}),
        ),
        _invalid(
            i,
            "unzr-date",
            "identifier.unzr_date",
            "/documents/0/number",
            ("/documents/0", {"type": "unzr", "number": "19910231-00421"}),
        ),
        _at(i, "phone-invalid", "identifier.phone_invalid", "/phones/0", "+38050999000"),
        _at(i, "phone-not-canonical", "identifier.phone_not_canonical", "/phones/0", "+3800509990001"),
        _at(
            i,
            "address-katotth-oblast",
            "identifier.katotth_oblast",
            "/address/katotth",
            "UA02000000000000001",
        ),
        _at(c, "katotth-oblast", "identifier.katotth_oblast", katotth, "UA02000000000000001"),
        _at(c, "katotth-structure", "identifier.katotth_structure", katotth, "UA32000010000000001"),
        # Well formed, levels consistent, oblast known (Kyiv oblast), but no such unit in the codifier.
        _at(c, "katotth-unknown", "identifier.katotth_unknown", katotth, "UA32000000000000000"),
        _at(
            i,
            "address-katotth-unknown",
            "identifier.katotth_unknown",
            "/address/katotth",
            "UA32000000000000000",
        ),
        # locations
        _invalid(
            c,
            "subdivision-outside-ukraine",
            "location.subdivision_outside_ukraine",
            f"{location}/country",
            (location, {"country": "PL", "subdivision": "UA-46", "control_status": "outside_ukraine"}),
        ),
        _at(
            c,
            "control-status-country-mismatch",
            "location.control_status_country_mismatch",
            f"{location}/control_status",
            "outside_ukraine",
        ),
        # incidents and the record's own dates
        _invalid(
            c,
            "incident-after-record",
            "incident.after_record",
            "/incidents/0/incident_date/start",
            ("/incidents/0/incident_date", {"start": "2023-07"}),
            (reported, _DROP),
        ),
        _at(c, "reported-after-record", "incident.reported_after_record", reported, "2023-06-02"),
        _at(
            c,
            "unknown-perpetrator-ref",
            "incident.unknown_perpetrator_ref",
            "/incidents/0/acts/0/perpetrator_ids/0",
            "p2",
        ),
        _invalid(
            c,
            "duplicate-perpetrator-id",
            "incident.duplicate_perpetrator_id",
            "/incidents/0/perpetrators/1/perpetrator_id",
            ("/incidents/0/perpetrators/-", {"perpetrator_id": "p1", "category": "unknown"}),
        ),
        _invalid(
            c,
            "duplicate-consent-id",
            "record.duplicate_id",
            "/consents/1/consent_id",
            ("/consents/-", _edit(consent, ("/purpose", "statistics"))),
        ),
        # consents
        _invalid(
            c,
            "consent-without-recipient",
            "consent.recipient_missing",
            "/consents/0",
            ("/consents/0/recipient_category", _DROP),
        ),
        _invalid(
            c,
            "consent-with-two-recipients",
            "consent.recipient_ambiguous",
            "/consents/0/recipient_category",
            ("/consents/0/recipient_organisation", "who"),
        ),
        _invalid(
            c,
            "refusal-withdrawn",
            "consent.withdrawn_not_granted",
            "/consents/0/withdrawn_on",
            ("/consents/0/granted", False),
            ("/consents/0/withdrawn_on", "2023-04-01"),
        ),
        _at(c, "consent-after-record", "consent.after_record", "/consents/0/given_on", "2023-06-02"),
        # referrals, proceedings, reparations
        _invalid(
            c,
            "outcome-date-without-outcome",
            "referral.outcome_date_without_outcome",
            "/referrals/0/outcome_on",
            ("/referrals", [_edit(_REFERRAL, ("/outcome", _DROP))]),
        ),
        _invalid(
            c,
            "erdr-outside-ukraine",
            "proceeding.erdr_outside_ukraine",
            "/proceedings/0/erdr_number",
            ("/proceedings", [_edit(_PROCEEDING, ("/jurisdiction", "icc"))]),
        ),
        _invalid(
            c,
            "stage-before-registration",
            "proceeding.stage_before_registration",
            "/proceedings/0/stage_on",
            ("/proceedings", [_edit(_PROCEEDING, ("/stage_on", "2023-03-01"))]),
        ),
        _invalid(
            c,
            "unknown-incident-ref",
            "proceeding.unknown_incident_ref",
            "/proceedings/0/incident_ids/0",
            ("/proceedings", [_edit(_PROCEEDING, ("/incident_ids/0", "inc-9"))]),
        ),
        _invalid(
            c,
            "decision-before-submission",
            "reparation.decision_before_submission",
            "/reparations/0/decision_on",
            ("/reparations", [_edit(_CLAIM, ("/decision_on", "2023-04-02"))]),
        ),
        _invalid(
            c,
            "payment-without-decision",
            "reparation.payment_without_decision",
            "/reparations/0/payments/0/paid_on",
            ("/reparations", [_edit(_CLAIM, ("/decision_on", _DROP), ("/awarded", _DROP))]),
        ),
        # packages
        _invalid(
            p,
            "identity-outside-referral",
            "package.identity_outside_referral",
            "/identity_records",
            ("/purpose", "statistics"),
        ),
        _at(
            p,
            "identity-without-case",
            "package.identity_without_case",
            "/identity_records/0/survivor_ref",
            "SYN-SURV-C0099",
        ),
        _invalid(
            p,
            "duplicate-record-id",
            "package.duplicate_record_id",
            "/case_records/1/record_id",
            ("/case_records/-", _case()),
        ),
        _invalid(
            p,
            "nested-record-rule",
            "record.updated_before_created",
            "/case_records/0/updated_at",
            ("/case_records/0/updated_at", "2023-02-28T10:00:00+02:00"),
            ("/case_records/0/incidents/0/reported_on", _DROP),
            ("/case_records/0/consents", _DROP),
        ),
    )


# --- Standard 1.1 (part A): provenance, verification, consequences, affected persons, reparations ------


def _full_1_1() -> Document:
    """The compact case record with every field that standard 1.1 part A added."""
    return _edit(
        _case(),
        ("/record_status", "duplicate"),
        ("/duplicate_of", "SYNTH-CONF-0000"),
        (
            "/reported_elsewhere",
            [
                {"to_category": "police", "reported_on": "2022-05", "reference": "SYNTH-POLICE-0001"},
                {"to_organisation": "ohchr_hrmmu", "reported_on": "2023"},
            ],
        ),
        (
            "/affected_persons",
            [
                {
                    "person_ref": "SYN-FAM-C0001",
                    "relationship": "child",
                    "affected_how": ["witnessed_violence", "psychological_harm"],
                    "age_band": "age_12_17",
                },
                {"person_ref": "SYN-FAM-C0002", "relationship": "spouse_or_partner"},
            ],
        ),
        ("/survivor/ethnicity", "ukrainian"),
        ("/survivor/religion", "not_stated"),
        ("/survivor/country_of_origin", "UA"),
        ("/survivor/marital_status", "married_cohabiting"),
        (
            "/incidents/0/verification",
            {
                "level": "verified_un",
                "verified_by": "ohchr_hrmmu",
                "verified_on": "2023-05-10",
                "primary_sources": 2,
                "secondary_sources": 1,
            },
        ),
        ("/incidents/0/consequences", ["pregnancy", "stigma_rejection"]),
        (
            "/consents/-",
            _edit(
                _case()["consents"][0],
                ("/consent_id", "c2"),
                ("/purpose", "statistics"),
                ("/method", "not_recorded"),
                ("/given_by", "not_recorded"),
            ),
        ),
        (
            "/proceedings",
            [
                {
                    "proceeding_id": "pr1",
                    "jurisdiction": "ua_national",
                    "registered_on": "2023-03-15",
                    "stage": "pre_trial_investigation",
                    "incident_ids": ["inc-1"],
                    "victim_status": {"status": "recognised", "decided_on": "2023-03-20"},
                    "legal_representation": {"represented": True, "representative_type": "free_legal_aid"},
                    "civil_claim": {
                        "filed": True,
                        "filed_on": "2023-04-01",
                        "amount": {"amount": "150000.00", "currency": "UAH"},
                    },
                }
            ],
        ),
        (
            "/reparations",
            [
                {
                    "claim_id": "rep1",
                    "programme": "rd4u_claim",
                    "status": "submitted",
                    "submitted_on": "2023-04-01",
                    "claim_number": "SYNTH-RD4U-000001",
                    "rd4u_categories": ["A2.4", "A2.3"],
                    "incident_ids": ["inc-1"],
                },
                {
                    "claim_id": "rep2",
                    "programme": "ua_law_4067_ix_status",
                    "status": "granted",
                    "submitted_on": "2023-04-02",
                    "decision_on": "2023-05-15",
                    "law_4067_application": {
                        "submitted_on": "2023-04-02",
                        "decision_number": "SYNTH-4067-0001",
                        "decision_on": "2023-05-15",
                        "state_register_entry": True,
                        "state_register_entry_on": "2023-05-20",
                    },
                },
                {
                    "claim_id": "rep3",
                    "programme": "ua_cmu_268_child_status",
                    "status": "submitted",
                    "submitted_on": "2023-04-03",
                },
            ],
        ),
    )


def _standard_1_1_valid_cases() -> tuple[Case, ...]:
    full = _full_1_1()
    return (
        Case(
            "case-record",
            "standard-1-1-full",
            full,
            warnings=(Expected("consent.grant_not_recorded", "/consents/1/method"),),
        ),
    )


def _standard_1_1_invalid_cases() -> tuple[Case, ...]:
    c = "case-record"
    full = _full_1_1

    def bad(slug: str, code: str, pointer: str, *edits: tuple[str, Any]) -> Case:
        layer: Layer = "schema" if code.startswith("schema.") else "rule"
        document = _edit(full(), ("/consents", _case()["consents"]), *edits)
        return Case(c, slug, document, layer, (Expected(code, pointer),))

    claim, application = "/reparations/1", "/reparations/1/law_4067_application"
    return (
        bad(
            "duplicate-without-original",
            "record.duplicate_of_missing",
            "/record_status",
            ("/duplicate_of", _DROP),
        ),
        bad(
            "duplicate-of-not-duplicate",
            "record.duplicate_of_unexpected",
            "/duplicate_of",
            ("/record_status", "open"),
        ),
        bad(
            "duplicate-of-self",
            "record.duplicate_of_self",
            "/duplicate_of",
            ("/duplicate_of", "SYNTH-CONF-0001"),
        ),
        bad("duplicate-of-pattern", "schema.pattern", "/duplicate_of", ("/duplicate_of", "-bad id")),
        bad("record-status-unknown", "schema.enum", "/record_status", ("/record_status", "transferred")),
        bad(
            "reported-elsewhere-nowhere",
            "reported.recipient_missing",
            "/reported_elsewhere/1",
            ("/reported_elsewhere/1/to_organisation", _DROP),
        ),
        bad(
            "reported-elsewhere-two-recipients",
            "reported.recipient_ambiguous",
            "/reported_elsewhere/0/to_category",
            ("/reported_elsewhere/0/to_organisation", "unfpa"),
        ),
        bad(
            "reported-elsewhere-date",
            "schema.format",
            "/reported_elsewhere/0/reported_on",
            ("/reported_elsewhere/0/reported_on", "2022-13"),
        ),
        bad(
            "verified-without-date",
            "verification.verified_without_date",
            "/incidents/0/verification/verified_on",
            ("/incidents/0/verification/verified_on", _DROP),
        ),
        bad(
            "verification-negative-sources",
            "schema.minimum",
            "/incidents/0/verification/primary_sources",
            ("/incidents/0/verification/primary_sources", -1),
        ),
        bad(
            "consequence-unknown",
            "schema.enum",
            "/incidents/0/consequences/0",
            ("/incidents/0/consequences/0", "unknown_consequence"),
        ),
        bad(
            "affected-person-duplicate-ref",
            "affected.duplicate_ref",
            "/affected_persons/1/person_ref",
            ("/affected_persons/1/person_ref", "SYN-FAM-C0001"),
        ),
        bad(
            "affected-person-is-survivor",
            "affected.is_survivor",
            "/affected_persons/0/person_ref",
            ("/affected_persons/0/person_ref", "SYN-SURV-C0001"),
        ),
        bad(
            "affected-person-ref-pattern",
            "schema.pattern",
            "/affected_persons/0/person_ref",
            ("/affected_persons/0/person_ref", "4253918189"),
        ),
        bad(
            "representative-type-without-representative",
            "proceeding.representative_type_without_representative",
            "/proceedings/0/legal_representation/representative_type",
            ("/proceedings/0/legal_representation/represented", False),
        ),
        bad(
            "civil-claim-details-not-filed",
            "proceeding.civil_claim_details_not_filed",
            "/proceedings/0/civil_claim/filed",
            ("/proceedings/0/civil_claim/filed", False),
        ),
        bad(
            "reparation-unknown-incident",
            "reparation.unknown_incident_ref",
            "/reparations/0/incident_ids/0",
            ("/reparations/0/incident_ids/0", "inc-9"),
        ),
        bad(
            "rd4u-categories-outside-rd4u",
            "reparation.rd4u_categories_outside_rd4u",
            "/reparations/2/rd4u_categories",
            ("/reparations/2/rd4u_categories", ["A2.4"]),
        ),
        bad(
            "claim-number-pattern",
            "schema.pattern",
            "/reparations/0/claim_number",
            ("/reparations/0/claim_number", "no spaces allowed"),
        ),
        bad(
            "law-4067-outside-programme",
            "reparation.law_4067_outside_programme",
            f"{claim}/law_4067_application",
            (f"{claim}/programme", "gsf_interim_reparations_pilot"),
        ),
        bad(
            "law-4067-decision-before-application",
            "reparation.law_4067_decision_before_application",
            f"{application}/decision_on",
            (f"{application}/decision_on", "2023-04-01"),
            (f"{claim}/decision_on", _DROP),
        ),
        bad(
            "law-4067-register-date-without-entry",
            "reparation.law_4067_register_date_without_entry",
            f"{application}/state_register_entry_on",
            (f"{application}/state_register_entry", False),
        ),
        bad(
            "law-4067-decision-number-pattern",
            "schema.pattern",
            f"{application}/decision_number",
            (f"{application}/decision_number", "№ 1"),
        ),
    )


def invalid_cases() -> tuple[Case, ...]:
    """Every invalid file, one defect each."""
    return (
        *_broken_cases(),
        *_schema_layer_cases(),
        *_rule_layer_cases(),
        *_standard_1_1_invalid_cases(),
        *_incident_1_1_invalid_cases(),
        *_document_type_invalid_cases(),
    )


def _marked(value: str, document: Document) -> Document:
    """``document`` with the 1.1 ``document_type`` marker ``value`` first."""
    return {"document_type": value, **{k: v for k, v in document.items() if k != "document_type"}}


def _document_type_valid_cases() -> tuple[Case, ...]:
    """Since 1.1 every document may say its kind; a package's records may say theirs too."""
    package = _marked("exchange-package", _package())
    package["case_records"] = [_marked("case-record", r) for r in package["case_records"]]
    package["identity_records"] = [_marked("identity-record", r) for r in package["identity_records"]]
    return (
        Case("case-record", "document-type", _marked("case-record", _case())),
        Case("identity-record", "document-type", _marked("identity-record", _identity())),
        Case("exchange-package", "document-type", package),
    )


def _document_type_invalid_cases() -> tuple[Case, ...]:
    """A marker that is not its kind's constant (here the kind's name with '_') is a ``const`` error.

    The members still say the kind, so every validator judges the document against its own schema; a
    marker naming *another* kind is crsvdata's ``document.type_mismatch`` (tested in test_validation).
    """
    return tuple(
        Case(
            schema,
            "document-type-misspelt",
            _marked(schema.replace("-", "_"), _BASES[schema]()),
            "schema",
            (Expected("schema.const", "/document_type"),),
        )
        for schema in _BASES
    )


def all_cases() -> tuple[Case, ...]:
    """Every file of the suite, valid first."""
    cases = (*valid_cases(), *invalid_cases())
    files = [case.file for case in cases]
    duplicates = sorted({name for name in files if files.count(name) > 1})
    if duplicates:
        raise ValueError(f"two conformance cases share a file name: {duplicates}")
    return cases


# --- The tables and the folder -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of ``expected_errors.csv`` or ``expected_warnings.csv``."""

    file: str
    code: str
    pointer: str
    layer: Layer


def _table(rows: Iterable[TableRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for row in sorted(rows, key=lambda row: (row.file, row.pointer, row.code)):
        writer.writerow((row.file, row.code, row.pointer, row.layer))
    return out.getvalue()


def read_table(path: Path) -> list[TableRow]:
    """Read an expected-errors or expected-warnings table."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        if tuple(reader.fieldnames or ()) != TABLE_COLUMNS:
            raise ValueError(f"{path}: the columns must be {','.join(TABLE_COLUMNS)}")
        rows = []
        for record in reader:
            if record["layer"] not in ("schema", "rule"):
                raise ValueError(f"{path}: unknown layer {record['layer']!r}")
            layer: Layer = "schema" if record["layer"] == "schema" else "rule"
            rows.append(TableRow(record["file"], record["code"], record["pointer"], layer))
        return rows


def generated_files(cases: Sequence[Case] | None = None) -> dict[str, str]:
    """Every file of the version folder, keyed by its path inside it."""
    cases = all_cases() if cases is None else cases
    files = {case.file: case.text() for case in cases}
    errors = [TableRow(c.file, e.code, e.pointer, c.layer or "schema") for c in cases for e in c.errors]
    warnings = [TableRow(c.file, w.code, w.pointer, "rule") for c in cases for w in c.warnings]
    files[ERRORS_TABLE] = _table(errors)
    files[WARNINGS_TABLE] = _table(warnings)
    return files


def suite_folder(version: str = STANDARD_VERSION, root: Path = CONFORMANCE_ROOT) -> Path:
    """The folder of one version's suite."""
    return root / version


def _committed(folder: Path) -> set[str]:
    found = {f"{sub}/{path.name}" for sub in ("valid", "invalid") for path in (folder / sub).glob("*.json")}
    return found | {name for name in (ERRORS_TABLE, WARNINGS_TABLE) if (folder / name).exists()}


def write_suite(folder: Path | None = None) -> list[Path]:
    """Regenerate the development version's suite; return the files written or removed."""
    folder = folder or suite_folder()
    files = generated_files()
    changed = []
    for name in sorted(_committed(folder) - set(files)):
        (folder / name).unlink()
        changed.append(folder / name)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            changed.append(path)
    return changed


def stale_suite_problems(folder: Path | None = None) -> list[str]:
    """Files of the committed suite that differ from a fresh generation (or should not be there)."""
    folder = folder or suite_folder()
    files = generated_files()
    fix = "run `python -m tools.manage conformance`"
    problems = [
        f"{folder / name} is not generated: {fix}" for name in sorted(_committed(folder) - set(files))
    ]
    for name, text in files.items():
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != text:
            problems.append(f"{path} is out of date: {fix}")
    return problems
