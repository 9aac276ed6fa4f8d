"""Export profiles end to end: nothing identifying leaves, consent gates everything, outputs validate."""

from __future__ import annotations

import base64
import functools
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anonymise_strategies import (
    EXPORT_DAY,
    KEY,
    KEY_BYTES,
    all_strings,
    identity_strings,
    linked_cases,
    with_consent,
)
from crsvdata.aggregate import statistics
from crsvdata.anonymise import (
    AnonymisationError,
    ConsentScopeError,
    DisclosureRiskError,
    ExportProfile,
    Recipient,
    consent_decision,
    export,
    profile_names,
    read_case_records,
)
from crsvdata.anonymise.paths import output_paths, output_value
from crsvdata.codes.enums import ConsentGivenBy, ConsentMethod, ConsentPurpose, RecipientCategory
from crsvdata.disclosure import measure_risk
from crsvdata.models import CaseRecord, Consent, IdentityRecord
from crsvdata.schema.registry import validator
from crsvdata.testing import case_records

ROOT = Path(__file__).parents[1]
CASES = ROOT / "examples/synthetic/case-records.jsonl"
IDENTITIES = ROOT / "examples/synthetic/identity-records.jsonl"
RECORD_PROFILES = ("investigation", "reparations", "research")
RECIPIENT = Recipient("test_recipient")
PURPOSES = {
    "investigation": ConsentPurpose.INVESTIGATION_PROSECUTION,
    "reparations": ConsentPurpose.REPARATIONS,
    "research": ConsentPurpose.RESEARCH,
    "statistics": ConsentPurpose.STATISTICS,
}


@functools.cache
def _example_records() -> tuple[CaseRecord, ...]:
    # Parsed once per session: every hypothesis example used to re-read and re-validate 500 records.
    return tuple(read_case_records(CASES))


def examples() -> list[CaseRecord]:
    return list(_example_records())


def run(
    records: list[CaseRecord], profile: str, identities: list[IdentityRecord] | None = None, **kw: Any
) -> Any:
    if profile == "statistics":
        return statistics(records, on=EXPORT_DAY, **kw)
    kw.setdefault("recipient", RECIPIENT)
    return export(records, profile, keys=KEY, on=EXPORT_DAY, identities=identities, **kw)


def texts_of(result: Any) -> str:
    return result.data.decode("utf-8") + result.manifest.to_json()


# --- identity never leaves --------------------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])  # whole exports per example
@given(
    st.lists(linked_cases(ConsentPurpose.INVESTIGATION_PROSECUTION), min_size=1, max_size=4),
    st.sampled_from(RECORD_PROFILES),
)
def test_no_identity_value_appears_in_an_export_or_its_manifest(
    pairs: list[tuple[CaseRecord, IdentityRecord]], profile: str
) -> None:
    records = [with_consent(record, PURPOSES[profile]) for record, _ in pairs]
    identities = [identity for _, identity in pairs]
    try:
        result = run(records, profile, identities)
        text = texts_of(result)
        # Every anonymised record says its kind, as every document crsvdata writes since 1.1.
        for line in result.data.decode("utf-8").splitlines():
            assert json.loads(line)["document_type"] == "anonymised-case-record"
    except DisclosureRiskError as exc:
        text = str(exc)
    forbidden = set().union(*(identity_strings(i) for i in identities))
    forbidden |= {r.record_id for r in records} | {r.survivor.survivor_ref for r in records}
    for value in forbidden:
        if value.isdigit():
            # A number is found as a number: a document number inside a longer run of digits (an ERDR
            # number the profile exports, say) is a different number, and says nothing of it.
            embedded = re.search(rf"(?<![0-9]){value}(?![0-9])", text)
            assert not embedded, "an identity number left in the export"
            continue
        assert value not in text, "an identity value or raw reference left in the export"
        assert value.casefold() not in text.casefold() or len(value) < 5


def test_every_identity_record_of_a_survivor_is_used_for_redaction() -> None:
    # Regression (found by the property test above): two identity records under one (holder, survivor_ref)
    # key used to leave only the last one's names known, so the first one's name survived redaction.
    record = examples()[0]
    first = record.incidents[0].narrative
    assert first is not None
    planted = record.model_copy(
        update={
            "incidents": [
                record.incidents[0].model_copy(update={"narrative": first + " Свідок бачив Тестенкові."}),
                *record.incidents[1:],
            ]
        }
    )
    base = {
        "survivor_ref": record.survivor.survivor_ref,
        "holder_organisation": record.source_organisation,
        "recorded_at": "2024-01-01T00:00:00+00:00",
    }
    identities = [
        IdentityRecord.model_validate_json(json.dumps({**base, "name": {"family_name": name}}))
        for name in ("Тестенко", "Прикладенко")
    ]
    text = texts_of(run([with_consent(planted, PURPOSES["investigation"])], "investigation", identities))
    assert "Тестенк" not in text


def test_narratives_are_redacted_with_the_survivors_own_values() -> None:
    record = examples()[0]
    identity = next(
        i
        for i in map(IdentityRecord.model_validate_json, IDENTITIES.read_text().splitlines())
        if i.survivor_ref == record.survivor.survivor_ref
    )
    assert identity.name is not None
    assert identity.phones
    narrative = (
        f"{identity.name.given_name} {identity.name.family_name}у бачили; тел. 0{identity.phones[0][4:]}."
    )
    incident = record.incidents[0].model_copy(update={"narrative": narrative})
    record = with_consent(
        record.model_copy(update={"incidents": [incident]}), ConsentPurpose.INVESTIGATION_PROSECUTION
    )
    with_identity = run([record], "investigation", [identity])
    assert (
        with_identity.records[0]["incidents"][0]["narrative_redacted"]
        == "[NAME] [NAME] бачили; тел. [PHONE]."
    )
    assert with_identity.manifest.values.redacted == {"name": 2, "phone": 1}
    # Without the survivor's identity the narrative is withheld, never sent with detectors alone.
    without = run([record], "investigation")
    assert "narrative_redacted" not in without.records[0]["incidents"][0]
    assert without.manifest.values.suppressed["incidents.narrative"] == 1


# --- consent ----------------------------------------------------------------------------------------


def consent(purpose: ConsentPurpose, granted: bool, given_on: date, **kw: Any) -> Consent:
    return Consent(
        consent_id=kw.pop("consent_id", "c"),
        purpose=purpose,
        granted=granted,
        given_on=given_on,
        method=ConsentMethod.WRITTEN,
        given_by=ConsentGivenBy.PARENT_OR_GUARDIAN,
        **kw,
    )


def test_consent_decisions() -> None:
    base = examples()[0]
    day = base.created_at.date()
    research = Recipient(category=RecipientCategory.RESEARCHERS)

    def decide(*consents: Consent, recipient: Recipient = research) -> str:
        numbered = [c.model_copy(update={"consent_id": f"c{i}"}) for i, c in enumerate(consents)]
        record = base.model_copy(update={"consents": numbered or None})
        return consent_decision(record, ConsentPurpose.RESEARCH, recipient, EXPORT_DAY)

    cat = RecipientCategory.RESEARCHERS
    assert decide() == "consent.missing"
    assert decide(consent(ConsentPurpose.RESEARCH, True, day, recipient_category=cat)) == "granted"
    assert (
        decide(consent(ConsentPurpose.RESEARCH, True, day, recipient_category=RecipientCategory.ANY))
        == "granted"
    )
    assert decide(consent(ConsentPurpose.STATISTICS, True, day, recipient_category=cat)) == "consent.missing"
    assert (
        decide(consent(ConsentPurpose.RESEARCH, True, day, recipient_category=RecipientCategory.UN_AGENCIES))
        == "consent.missing"
    )
    assert (
        decide(consent(ConsentPurpose.RESEARCH, True, day, recipient_category=cat, withdrawn_on=day))
        == "consent.withdrawn"
    )
    later = date(day.year + 1, 1, 1)
    assert (
        decide(
            consent(ConsentPurpose.RESEARCH, True, day, recipient_category=cat),
            consent(ConsentPurpose.RESEARCH, False, later, recipient_organisation="unfpa"),
            recipient=Recipient("unfpa", cat),
        )
        == "consent.refused"
    )
    assert (
        decide(
            consent(ConsentPurpose.RESEARCH, False, day, recipient_category=cat),
            consent(ConsentPurpose.RESEARCH, True, later, recipient_category=cat),
        )
        == "granted"
    )
    # A consent given after the export day does not count yet.
    assert (
        decide(consent(ConsentPurpose.RESEARCH, True, date(2027, 6, 1), recipient_category=cat))
        == "consent.missing"
    )


@st.composite
def non_consenting(draw: st.DrawFn, purpose: ConsentPurpose) -> CaseRecord:
    record = draw(case_records())
    granted = draw(st.booleans())
    decision = consent(purpose, granted, record.created_at.date(), recipient_category=RecipientCategory.ANY)
    if granted:
        decision = decision.model_copy(update={"withdrawn_on": record.created_at.date()})
    others = [c for c in record.consents or () if c.purpose is not purpose]
    consents = [decision.model_copy(update={"consent_id": "cz"}), *others] if draw(st.booleans()) else others
    return CaseRecord.model_validate_json(record.model_copy(update={"consents": consents or None}).to_json())


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])  # whole exports per example
@given(
    st.lists(linked_cases(ConsentPurpose.INVESTIGATION_PROSECUTION, plant=False), min_size=1, max_size=4),
    non_consenting(ConsentPurpose.INVESTIGATION_PROSECUTION),
    st.integers(0, 10),
)
def test_adding_a_non_consenting_record_never_changes_an_export(
    pairs: list[tuple[CaseRecord, IdentityRecord]], extra: CaseRecord, position: int
) -> None:
    records = [record for record, _ in pairs]
    with_extra = list(records)
    with_extra.insert(position % (len(records) + 1), extra)
    assert run(with_extra, "investigation").data == run(records, "investigation").data
    stats_records = [with_consent(r, ConsentPurpose.STATISTICS) for r in records]
    # ``extra`` refuses investigation only; for the statistics check it must refuse statistics too.
    no_statistics = [c for c in extra.consents or () if c.purpose is not ConsentPurpose.STATISTICS]
    stats_extra = list(stats_records)
    stats_extra.insert(
        position % (len(records) + 1), extra.model_copy(update={"consents": no_statistics or None})
    )
    assert run(stats_extra, "statistics").data == run(stats_records, "statistics").data


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])  # whole exports per example
@given(non_consenting(ConsentPurpose.RESEARCH), st.integers(0, 500))
def test_a_non_consenting_record_does_not_change_the_research_export(
    extra: CaseRecord, position: int
) -> None:
    records = examples()
    more = list(records)
    more.insert(position, extra)

    def content(result: Any) -> list[Any]:
        return [{k: v for k, v in r.items() if k != "record_ref"} for r in result.records]

    first, second = run(records, "research"), run(more, "research")
    assert content(first) == content(second)
    assert first.manifest.levels == second.manifest.levels


# --- outputs are closed, valid and safe ------------------------------------------------------------


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])  # whole exports per example
@given(st.lists(case_records(), min_size=1, max_size=4), st.sampled_from(("investigation", "reparations")))
def test_outputs_stay_inside_the_allow_list_and_validate_against_the_published_schema(
    records: list[CaseRecord], profile: str
) -> None:
    records = [with_consent(r, PURPOSES[profile]) for r in records]
    result = run(records, profile)
    allowed = ExportProfile.load(profile).allowed_output_paths
    assert len(result.records) == len(records)
    for document in result.records:
        for path in output_paths(document):
            assert any(path == a or path.startswith(a + ".") for a in allowed), path
        assert list(validator("anonymised-case-record").iter_errors(document)) == []


def test_research_on_the_examples_meets_its_thresholds_when_measured_again() -> None:
    result = run(examples(), "research")
    profile = ExportProfile.load("research")
    rows = result.records
    assert rows, "the research export of the examples should not be empty"
    qis, sensitive = profile.disclosure.quasi_identifiers, profile.disclosure.sensitive
    paths = {name: profile.fields[name].entry.output_path for name in (*qis, *sensitive)}
    table = [{name: output_value(row, path) for name, path in paths.items()} for row in rows]
    risk = measure_risk(table, qis, sensitive)
    assert risk.k >= 5
    assert risk.l_distinct is not None
    assert risk.l_distinct >= 2
    assert risk.global_risk <= profile.disclosure.max_global_risk
    manifest = result.manifest.to_dict()
    assert manifest["disclosure"]["achieved"]["k"] == risk.k
    assert manifest["records"]["out"] == len(rows)
    suppressed = result.manifest.excluded["disclosure.suppressed"]
    assert suppressed <= 0.05 * (len(rows) + suppressed)
    for row in rows:
        assert "narrative_redacted" not in json.dumps(row)
        assert "source_organisation" not in row
        assert row["record_ref"].startswith("pu1.")
        assert list(validator("anonymised-case-record").iter_errors(row)) == []
    assert len({row["record_ref"] for row in rows}) == len(rows)


def test_an_unreachable_threshold_raises_instead_of_writing(tmp_path: Path) -> None:
    text = (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text().replace("k = 5", "k = 400")
    strict = ExportProfile.from_toml(text.encode(), "strict.toml")
    with pytest.raises(DisclosureRiskError, match="k=400"):
        run(examples(), strict)


def test_pseudonyms_link_within_a_recipient_only() -> None:
    records = [with_consent(r, ConsentPurpose.INVESTIGATION_PROSECUTION) for r in examples()[:5]]
    prosecutor = Recipient("ua_office_prosecutor_general", RecipientCategory.PROSECUTION)
    police = Recipient("ua_national_police", RecipientCategory.LAW_ENFORCEMENT)
    a = run(records, "investigation", recipient=prosecutor).records
    b = run(records, "investigation", recipient=prosecutor).records
    c = run(records, "investigation", recipient=police).records
    assert [r["survivor"]["survivor_ref"] for r in a] == [r["survivor"]["survivor_ref"] for r in b]
    assert not {r["survivor"]["survivor_ref"] for r in a} & {r["survivor"]["survivor_ref"] for r in c}


def test_the_key_never_appears_in_output_manifest_or_errors() -> None:
    raw = KEY_BYTES
    encodings = [raw.hex(), base64.b64encode(raw).decode(), base64.b32encode(raw).decode()]
    pieces = [texts_of(run(examples()[:50], name)) for name in ("investigation", "reparations", "statistics")]
    text = (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text().replace("k = 5", "k = 400")
    with pytest.raises(AnonymisationError) as error:
        run(examples()[:20], ExportProfile.from_toml(text.encode(), "strict.toml"))
    pieces.append(str(error.value))
    for text in pieces:
        for encoded in encodings:
            assert encoded[:16] not in text
    assert KEY.fingerprint() in pieces[0]


def test_manifest_holds_no_record_value() -> None:
    records = examples()[:80]
    result = run(
        records,
        "investigation",
        list(map(IdentityRecord.model_validate_json, IDENTITIES.read_text().splitlines()[:80])),
    )
    manifest = result.manifest.to_json()
    values = set()
    for record in records:
        document = record.to_json_dict()
        values |= {s for s in all_strings(document) if len(s) >= 6 and any(ch.isdigit() for ch in s)}
        values.add(record.survivor.survivor_ref)
    for value in values:
        assert value not in manifest


# --- referral ---------------------------------------------------------------------------------------


def test_referral_carries_identity_only_for_the_consented_recipient() -> None:
    identities = list(map(IdentityRecord.model_validate_json, IDENTITIES.read_text().splitlines()))
    records = examples()[:10]
    day = records[0].created_at.date()
    consented = records[0].model_copy(
        update={
            "consents": [
                consent(
                    ConsentPurpose.REFERRAL,
                    True,
                    min(day, records[0].updated_at.date()),
                    recipient_organisation="la_strada_ukraine",
                )
            ]
        }
    )
    others = [r for r in records[1:] if r.source_organisation == records[0].source_organisation]
    result = export(
        [consented, *others],
        "referral",
        keys=KEY,
        recipient=Recipient("la_strada_ukraine"),
        on=EXPORT_DAY,
        identities=identities,
    )
    package = json.loads(result.data)
    assert list(validator("exchange-package").iter_errors(package)) == []
    assert package["purpose"] == "referral"
    assert package["document_type"] == "exchange-package"
    assert package["identity_records"][0]["document_type"] == "identity-record"
    assert len(package["case_records"]) == 1
    assert len(package["identity_records"]) == 1
    person = package["identity_records"][0]
    assert person["survivor_ref"] == package["case_records"][0]["survivor"]["survivor_ref"]
    assert person["survivor_ref"] != consented.survivor.survivor_ref
    assert "documents" not in person
    assert "date_of_birth" not in person
    assert "name" in person
    assert all("narrative" not in i for i in package["case_records"][0]["incidents"])
    with pytest.raises(ConsentScopeError):
        export(
            records, "referral", keys=KEY, on=EXPORT_DAY, recipient=Recipient(category=RecipientCategory.ANY)
        )


@pytest.mark.parametrize("name", sorted(set(profile_names()) - {"referral"}))
def test_only_the_referral_profile_can_carry_identity(name: str) -> None:
    profile = ExportProfile.load(name)
    assert profile.kind != "referral"
    assert not {
        p
        for p in profile.allowed_output_paths
        if p.split(".")[-1] in {"name", "phones", "documents", "emails", "address"}
    }


def test_shuffled_input_gives_the_same_research_content() -> None:
    records = examples()
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)

    def content(result: Any) -> list[Any]:
        return [{k: v for k, v in r.items() if k != "record_ref"} for r in result.records]

    assert content(run(records, "research")) == content(run(shuffled, "research"))
