"""Identity-data and exchange-package rules over the JSON form.

Two kinds of test. Differential: for generated identity records and packages, with identifiers broken
in every way a rule catches, the models (``collect_rule_findings``) and the walk over parsed JSON
(``rule_findings_in_json``) give exactly the findings the model code gave before the port (kept below as
frozen reference functions). Oracles: each rule against a plain statement of what it means. Last, the
case record's helpers that now delegate to the rules layer agree with their former model-side logic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata import rules
from crsvdata._context import STRUCTURE_ONLY
from crsvdata.codes.enums import ConsentGivenBy, ConsentMethod, ConsentPurpose, RecipientCategory
from crsvdata.findings import Finding
from crsvdata.geography import check_katotth
from crsvdata.identifiers import (
    check_foreign_passport,
    check_id_card_number,
    check_passport_booklet,
    check_phone,
    check_rnokpp,
    check_unzr,
)
from crsvdata.models import (
    Address,
    CaseRecord,
    Consent,
    ExchangePackage,
    ForeignPassportDocument,
    IdCardDocument,
    IdentityRecord,
    PassportBookletDocument,
    RnokppDocument,
    UnzrDocument,
    collect_rule_findings,
)
from crsvdata.models._base import CrsvModel, error
from crsvdata.models.json_rules import rule_findings_in_json
from crsvdata.testing import case_records, identity_records, katotth_codes
from crsvdata.testing.identifiers import (
    foreign_passport_numbers,
    id_card_numbers,
    invalid_katotth_codes,
    invalid_phone_numbers,
    invalid_rnokpps,
    passport_booklet_numbers,
    phone_numbers_ua,
    rnokpps,
    unknown_katotth_codes,
    unzrs,
    unzrs_with_invalid_date,
    unzrs_with_wrong_check_digit,
)
from crsvdata.version import RECORD_STANDARD_VERSION

Row = tuple[str, str, str, str]
M = TypeVar("M", bound=CrsvModel)


def _rows(findings: Iterator[Finding] | list[Finding]) -> list[Row]:
    return [(f.code, f.severity, f.message, f.pointer) for f in findings]


def _structure_only(model: type[M], document: Mapping[str, Any]) -> M:
    return model.model_validate_json(json.dumps(document), context=STRUCTURE_ONLY)


# --- The rules as the models defined them before the port (frozen reference copies) -----------------

_OLD_DOCUMENT_CHECKS: Mapping[type[CrsvModel], Callable[[Any], tuple[Finding, ...]]] = {
    RnokppDocument: check_rnokpp,
    UnzrDocument: check_unzr,
    PassportBookletDocument: check_passport_booklet,
    IdCardDocument: check_id_card_number,
    ForeignPassportDocument: check_foreign_passport,
}


def _old_document_rules(document: Any) -> Iterator[Finding]:
    return (finding.under("/number") for finding in _OLD_DOCUMENT_CHECKS[type(document)](document.number))


def _old_address_rules(address: Address) -> Iterator[Finding]:
    if address.katotth is not None:
        yield from (finding.under("/katotth") for finding in check_katotth(address.katotth))


def _old_identity_record_rules(record: IdentityRecord) -> Iterator[Finding]:
    for index, phone in enumerate(record.phones or ()):
        yield from (finding.under(f"/phones/{index}") for finding in check_phone(phone))


def _old_package_rules(package: ExchangePackage) -> Iterator[Finding]:
    if package.identity_records and package.purpose is not ConsentPurpose.REFERRAL:
        yield error(
            "package.identity_outside_referral",
            "identity records may only travel in a package whose purpose is referral",
            "/identity_records",
        )
    case_refs = {record.survivor.survivor_ref for record in package.case_records or ()}
    for index, identity in enumerate(package.identity_records or ()):
        if identity.survivor_ref not in case_refs:
            yield error(
                "package.identity_without_case",
                "an identity record travels without its survivor's case record",
                f"/identity_records/{index}/survivor_ref",
            )
    seen: set[str] = set()
    for index, record in enumerate(package.case_records or ()):
        if record.record_id in seen:
            yield error(
                "package.duplicate_record_id",
                "two case records in the package share a record_id",
                f"/case_records/{index}/record_id",
            )
        seen.add(record.record_id)


def _old_identity_findings(record: IdentityRecord) -> list[Finding]:
    """Every finding of an identity record, in the order the model walk gave them with the old code."""
    found = list(_old_identity_record_rules(record))
    for index, document in enumerate(record.documents or ()):
        found += [finding.under(f"/documents/{index}") for finding in _old_document_rules(document)]
    if record.address is not None:
        found += [finding.under("/address") for finding in _old_address_rules(record.address)]
    return found


def _old_package_findings(package: ExchangePackage) -> list[Finding]:
    found = list(_old_package_rules(package))
    for index, identity in enumerate(package.identity_records or ()):
        found += [finding.under(f"/identity_records/{index}") for finding in _old_identity_findings(identity)]
    return found


# --- Generated documents, with identifiers right and wrong -------------------------------------------

NUMBERS: Mapping[str, st.SearchStrategy[str]] = {
    "rnokpp": rnokpps() | invalid_rnokpps(),
    "unzr": unzrs() | unzrs_with_invalid_date() | unzrs_with_wrong_check_digit(),
    "passport_booklet": passport_booklet_numbers(),
    "id_card": id_card_numbers(),
    "foreign_passport": foreign_passport_numbers(),
}
"""Numbers the schema accepts for each document type: the rules decide which are right."""

documents_json = st.sampled_from(sorted(NUMBERS)).flatmap(
    lambda kind: NUMBERS[kind].map(lambda number: {"type": kind, "number": number})
)


@st.composite
def identity_documents(draw: st.DrawFn, survivor_ref: str | None = None) -> dict[str, Any]:
    """The JSON form of an identity record whose documents, phones and KATOTTH may break their rules."""
    record = draw(identity_records(survivor_ref)).to_json_dict()
    if draw(st.booleans()):
        record["documents"] = draw(st.lists(documents_json, min_size=1, max_size=4))
    if draw(st.booleans()):
        record["phones"] = draw(
            st.lists(phone_numbers_ua() | invalid_phone_numbers(), min_size=1, max_size=3)
        )
    if draw(st.booleans()):
        katotth = draw(katotth_codes() | unknown_katotth_codes() | invalid_katotth_codes())
        record["address"] = {**record.get("address", {}), "katotth": katotth}
    return record


@st.composite
def package_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The JSON form of an exchange package; some record ids repeat, some identities have no case."""
    cases = [record.to_json_dict() for record in draw(st.lists(case_records(), max_size=3))]
    if len(cases) > 1 and draw(st.booleans()):
        cases[-1]["record_id"] = cases[0]["record_id"]
    refs = [case["survivor"]["survivor_ref"] for case in cases]
    identities = []
    for linked in draw(st.lists(st.booleans(), max_size=3)):
        ref = draw(st.sampled_from(refs)) if linked and refs else None
        identities.append(draw(identity_documents(ref)))
    package: dict[str, Any] = {
        "document_type": "exchange-package",
        "package_id": "syn-package-1",
        "standard_version": RECORD_STANDARD_VERSION,
        "publisher": "unfpa",
        "published_at": "2026-07-01T09:30:00Z",
        "purpose": draw(st.sampled_from(list(ConsentPurpose))).value,
        "synthetic": True,
    }
    if cases:
        package["case_records"] = cases
    if identities:
        package["identity_records"] = identities
    return package


def _in_my_objects(finding: Finding) -> bool:
    # The case records' own findings belong to their rules, tested with them.
    return finding.code.startswith("package.") or finding.pointer.startswith("/identity_records/")


# --- Differential: the same findings as the old model code -------------------------------------------


@settings(max_examples=80, deadline=None)
@given(identity_documents())
def test_identity_record_models_give_the_old_findings(document: dict[str, Any]) -> None:
    record = _structure_only(IdentityRecord, document)
    assert _rows(collect_rule_findings(record)) == _rows(_old_identity_findings(record))


@settings(max_examples=80, deadline=None)
@given(identity_documents())
def test_identity_record_json_walk_gives_the_old_findings(document: dict[str, Any]) -> None:
    record = _structure_only(IdentityRecord, document)
    walked = rule_findings_in_json(IdentityRecord, record.to_json_dict())
    assert _rows(list(walked)) == _rows(_old_identity_findings(record))


@settings(max_examples=30, deadline=None)
@given(package_documents())
def test_package_models_give_the_old_findings(document: dict[str, Any]) -> None:
    package = _structure_only(ExchangePackage, document)
    found = [finding for finding in collect_rule_findings(package) if _in_my_objects(finding)]
    assert _rows(found) == _rows(_old_package_findings(package))


@settings(max_examples=30, deadline=None)
@given(package_documents())
def test_package_json_walk_gives_the_old_findings(document: dict[str, Any]) -> None:
    package = _structure_only(ExchangePackage, document)
    walked = rule_findings_in_json(ExchangePackage, package.to_json_dict())
    found = [finding for finding in walked if _in_my_objects(finding)]
    assert _rows(found) == _rows(_old_package_findings(package))


def test_the_json_walk_reaches_an_identity_documents_rules() -> None:
    document = {
        "survivor_ref": "SYN-SURV-000001",
        "holder_organisation": "unfpa",
        "recorded_at": "2026-07-01T09:30:00Z",
        "documents": [{"type": "id_card", "number": "000123456"}, {"type": "rnokpp", "number": "1234567890"}],
    }
    record = _structure_only(IdentityRecord, document)
    expected = _rows(_old_identity_findings(record))
    assert [row[3] for row in expected] == ["/documents/1/number"]
    assert _rows(list(rule_findings_in_json(IdentityRecord, record.to_json_dict()))) == expected


# --- Oracles: each rule as it is meant -----------------------------------------------------------------

_RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)


def _rnokpp_check_digit_holds(number: str) -> bool:
    weighted = sum(weight * int(digit) for weight, digit in zip(_RNOKPP_WEIGHTS, number, strict=False))
    return weighted % 11 % 10 == int(number[9])


def _document_codes(kind: str, number: str) -> list[str]:
    findings = list(rules.identity_document_rules({"type": kind, "number": number}))
    assert all(finding.pointer == "/number" for finding in findings)
    # Never the value in a message (a long-enough value, so that a match is not a coincidence).
    assert len(number) < 6 or all(number not in finding.message for finding in findings)
    return [finding.code for finding in findings]


@given(st.text(alphabet="0123456789", min_size=10, max_size=10) | rnokpps())
def test_an_rnokpp_is_wrong_exactly_when_its_check_digit_does_not_match(number: str) -> None:
    expected = [] if _rnokpp_check_digit_holds(number) else ["identifier.rnokpp_checksum"]
    assert _document_codes("rnokpp", number) == expected


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@given(
    st.integers(0, 9999),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(1, 9999),
    st.integers(0, 9),
)
def test_a_unzr_needs_a_real_date_and_warns_on_a_731_check_digit_mismatch(
    year: int, month: int, day: int, serial: int, check: int
) -> None:
    number = f"{year:04d}{month:02d}{day:02d}-{serial:04d}{check}"
    twelve = number[:8] + number[9:13]
    check_digit = sum(int(digit) * (7, 3, 1)[index % 3] for index, digit in enumerate(twelve)) % 10
    if year == 0 or day > _days_in_month(year, month):
        expected = ["identifier.unzr_date"]
    elif check != check_digit:
        expected = ["identifier.unzr_check_digit"]
    else:
        expected = []
    assert _document_codes("unzr", number) == expected


_UKRAINIAN_CAPITALS = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЮЯҐЄІЇ"
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_FORMATS: Mapping[str, tuple[str, Callable[[str], bool]]] = {
    "passport_booklet": (
        "identifier.passport_booklet_format",
        lambda n: (
            len(n) == 8 and all(c in _UKRAINIAN_CAPITALS for c in n[:2]) and all(c in _DIGITS for c in n[2:])
        ),
    ),
    "id_card": ("identifier.id_card_number_format", lambda n: len(n) == 9 and all(c in _DIGITS for c in n)),
    "foreign_passport": (
        "identifier.foreign_passport_format",
        lambda n: len(n) == 8 and all(c in _LATIN for c in n[:2]) and all(c in _DIGITS for c in n[2:]),
    ),
}
_NEAR_NUMBERS = st.text(alphabet=_DIGITS + "AКFЁ ab-\n٣", max_size=11)


@given(
    st.sampled_from(sorted(_FORMATS)),
    _NEAR_NUMBERS | passport_booklet_numbers() | id_card_numbers() | foreign_passport_numbers(),
)
def test_a_document_without_a_checksum_is_wrong_exactly_when_its_shape_is(kind: str, number: str) -> None:
    code, well_formed = _FORMATS[kind]
    assert _document_codes(kind, number) == ([] if well_formed(number) else [code])


@given(st.lists(st.tuples(phone_numbers_ua(), st.booleans()), min_size=1, max_size=4))
def test_a_phone_with_its_trunk_zero_kept_is_flagged_where_it_stands(phones: list[tuple[str, bool]]) -> None:
    # "+380 0XX..." is the number a Ukrainian writes as 0XX..., with the trunk prefix kept after +380.
    written = ["+3800" + phone[4:] if keep_zero else phone for phone, keep_zero in phones]
    findings = list(rules.identity_record_rules({"phones": written}))
    assert [(finding.code, finding.pointer) for finding in findings] == [
        ("identifier.phone_not_canonical", f"/phones/{index}")
        for index, (_, keep_zero) in enumerate(phones)
        if keep_zero
    ]


def test_an_identity_record_without_phones_has_no_phone_finding() -> None:
    assert list(rules.identity_record_rules({"survivor_ref": "SYN-SURV-000001"})) == []


@given(
    st.sampled_from(["known", "unknown", "invalid", "absent"]).flatmap(
        lambda kind: st.tuples(
            st.just(kind),
            {
                "known": katotth_codes(),
                "unknown": unknown_katotth_codes(),
                "invalid": invalid_katotth_codes(),
                "absent": st.just(""),
            }[kind],
        )
    )
)
def test_an_address_is_wrong_exactly_when_its_katotth_code_is_not_a_codifier_unit(
    case: tuple[str, str],
) -> None:
    kind, code = case
    address = {"settlement": "Тестове"} | ({} if kind == "absent" else {"katotth": code})
    findings = list(rules.address_rules(address))
    assert all(finding.pointer == "/katotth" for finding in findings)
    codes = {finding.code for finding in findings}
    if kind in ("known", "absent"):
        assert codes == set()
    elif kind == "unknown":
        assert codes == {"identifier.katotth_unknown"}
    else:
        assert codes
        assert codes <= {"identifier.katotth_structure", "identifier.katotth_oblast"}


_REFS = st.sampled_from(["SYN-SURV-A", "SYN-SURV-B", "SYN-SURV-C"])
_RECORD_IDS = st.sampled_from(["SYNTH-000001", "SYNTH-000002", "SYNTH-000003"])


@st.composite
def package_shapes(draw: st.DrawFn) -> dict[str, Any]:
    """Just what the package rules read: purpose, record ids and survivor refs (small pools: repeats)."""
    package: dict[str, Any] = {"purpose": draw(st.sampled_from(list(ConsentPurpose))).value}
    cases = draw(st.lists(st.tuples(_RECORD_IDS, _REFS), max_size=4))
    identities = draw(st.lists(_REFS, max_size=3))
    if cases:
        package["case_records"] = [
            {"record_id": rid, "survivor": {"survivor_ref": ref}} for rid, ref in cases
        ]
    if identities:
        package["identity_records"] = [{"survivor_ref": ref} for ref in identities]
    return package


def _pointers(package: Mapping[str, Any], code: str) -> list[str]:
    return [finding.pointer for finding in rules.package_rules(package) if finding.code == code]


@given(package_shapes())
def test_identity_records_travel_only_for_a_referral(package: dict[str, Any]) -> None:
    carries_identity = len(package.get("identity_records", [])) > 0
    expected = ["/identity_records"] if carries_identity and package["purpose"] != "referral" else []
    assert _pointers(package, "package.identity_outside_referral") == expected


@given(package_shapes())
def test_each_identity_record_needs_its_survivors_case_record(package: dict[str, Any]) -> None:
    travelling = [case["survivor"]["survivor_ref"] for case in package.get("case_records", [])]
    expected = [
        f"/identity_records/{index}/survivor_ref"
        for index, identity in enumerate(package.get("identity_records", []))
        if identity["survivor_ref"] not in travelling
    ]
    assert _pointers(package, "package.identity_without_case") == expected


@given(package_shapes())
def test_every_repeat_of_a_record_id_after_its_first_is_flagged(package: dict[str, Any]) -> None:
    ids = [case["record_id"] for case in package.get("case_records", [])]
    expected = [f"/case_records/{index}/record_id" for index in range(len(ids)) if ids[index] in ids[:index]]
    assert _pointers(package, "package.duplicate_record_id") == expected


# --- The case record's helpers: one definition, in the rules layer -------------------------------------


def _old_may_be_child_on(record: CaseRecord, day: date) -> bool:
    age = record.survivor.age_at_first_incident
    if age is None:
        return False
    first_day = min(incident.incident_date.first_day() for incident in record.incidents)
    return age.youngest_possible() + max(0, day.year - first_day.year - 1) < 18


def _old_covers(consent: Consent, purpose: ConsentPurpose, organisation: str) -> bool:
    if consent.purpose is not purpose:
        return False
    if consent.recipient_organisation is not None:
        return consent.recipient_organisation == organisation
    return consent.recipient_category in (None, RecipientCategory.ANY)


def _old_holds_on(consent: Consent, day: date) -> bool:
    recorded = (
        consent.method is not ConsentMethod.NOT_RECORDED
        and consent.given_by is not ConsentGivenBy.NOT_RECORDED
    )
    return (
        consent.granted
        and recorded
        and consent.given_on <= day
        and (consent.withdrawn_on is None or day < consent.withdrawn_on)
    )


@st.composite
def records_with_withdrawals(draw: st.DrawFn) -> CaseRecord:
    """A generated case record; one consent is sometimes made granted, recorded and later withdrawn.

    Few generated consents are withdrawn, and "in force on" shows an off-by-one only at that day.
    """
    record = draw(case_records())
    if record.consents and draw(st.booleans()):
        index = draw(st.integers(0, len(record.consents) - 1))
        document = record.to_json_dict()
        withdrawn = record.consents[index].given_on + timedelta(days=draw(st.integers(0, 30)))
        document["consents"][index] |= {
            "granted": True,
            "method": "written",
            "given_by": "parent_or_guardian",
            "withdrawn_on": withdrawn.isoformat(),
        }
        record = _structure_only(CaseRecord, document)
    return record


def _questions(record: CaseRecord, day: date) -> Iterator[tuple[ConsentPurpose, str, date]]:
    """Each consent's own purpose and recipient on the days around its edges, and ``day`` for any."""
    organisations = [record.source_organisation, "unfpa"]
    for purpose in ConsentPurpose:
        for organisation in organisations:
            yield purpose, organisation, day
    for consent in record.consents or ():
        edges = [consent.given_on] + ([consent.withdrawn_on] if consent.withdrawn_on is not None else [])
        for edge in edges:
            for delta in (-1, 0, 1):
                for organisation in [consent.recipient_organisation or "unfpa", *organisations]:
                    yield consent.purpose, organisation, edge + timedelta(days=delta)


@settings(max_examples=50, deadline=None)
@given(records_with_withdrawals(), st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_case_record_helpers_agree_with_the_rules_and_with_their_former_logic(
    record: CaseRecord, any_day: date
) -> None:
    data = record.to_json_dict()
    assert record.first_incident_day() == rules.first_incident_day(data)
    consents = record.consents or []
    for purpose, organisation, day in _questions(record, any_day):
        assert (
            record.may_be_child_on(day)
            is rules.may_be_child_on(data, day)
            is _old_may_be_child_on(record, day)
        )
        found = [id(consent) for consent in record.consents_for(purpose, organisation, day)]
        by_rules = [
            id(consent)
            for consent, consent_data in zip(consents, data.get("consents", []), strict=True)
            if rules.consent_covers(consent_data, purpose.value, organisation, None)
            and rules.consent_holds_on(consent_data, day.isoformat())
        ]
        former = [id(c) for c in consents if _old_covers(c, purpose, organisation) and _old_holds_on(c, day)]
        assert found == by_rules == former
