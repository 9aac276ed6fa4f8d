"""Hypothesis strategies shared by the anonymisation tests: linked case and identity records, narratives
with planted identifiers, and the strings that must never leave in an export."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from hypothesis import strategies as st
from stdnum.ua import rntrc

from crsvdata.anonymise import KeyRing, normalise_for_pseudonym
from crsvdata.codes.enums import ConsentGivenBy, ConsentMethod, ConsentPurpose, RecipientCategory
from crsvdata.models import CaseRecord, Consent, IdentityRecord
from crsvdata.testing import case_records, identity_records

EXPORT_DAY = date(2026, 12, 31)
KEY_BYTES = hashlib.sha256(b"crsvdata synthetic test key").digest()
KEY = KeyRing.single("test-key", KEY_BYTES)
"""A fixed test key, derived from a public label so that it passes the strength rule: never a real key."""

# Ukrainian case endings appended to, or replacing the last vowel of, a name (anonymisation.md 6).
ENDINGS = ("и", "і", "у", "ою", "ові", "еві", "ій", "а", "ом", "ого", "ої")


def inflections(name: str) -> st.SearchStrategy[str]:
    """A name in a nominative or an inflected form (ending appended, or replacing the last vowel)."""
    stem = name[:-1] if name[-1] in "аяоеиіьй" else name
    return st.sampled_from([name, *(name + e for e in ENDINGS), *(stem + e for e in ENDINGS)])


def phone_variants(e164: str) -> st.SearchStrategy[str]:
    """A UA phone number in one of six ways people write it."""
    national = e164[4:]  # +380 XX XXX XX XX -> XX XXXXXXX
    a, b, c, d = national[:2], national[2:5], national[5:7], national[7:9]
    return st.sampled_from(
        [
            e164,
            f"0{national}",
            f"0{a} {b} {c} {d}",
            f"+38 (0{a}) {b}-{c}-{d}",
            f"+380 {a} {b} {c} {d}",
            f"38-0{a}-{b}-{c}{d}",
        ]
    )


def with_consent(record: CaseRecord, purpose: ConsentPurpose, granted: bool = True) -> CaseRecord:
    """The record with its consents replaced by one decision for ``purpose`` to any recipient."""
    consent = Consent(
        consent_id="cx",
        purpose=purpose,
        recipient_category=RecipientCategory.ANY,
        granted=granted,
        given_on=record.created_at.date(),
        method=ConsentMethod.WRITTEN,
        given_by=ConsentGivenBy.PARENT_OR_GUARDIAN,
    )
    referral_consents = [c for c in record.consents or () if c.purpose is ConsentPurpose.REFERRAL]
    consents = [consent, *referral_consents]
    return CaseRecord.model_validate_json(record.model_copy(update={"consents": consents}).to_json())


@st.composite
def linked_cases(
    draw: st.DrawFn, purpose: ConsentPurpose | None = None, plant: bool = True
) -> tuple[CaseRecord, IdentityRecord]:
    """A case record and its survivor's identity record; its narratives embed identity values."""
    record = draw(case_records())
    identity = draw(identity_records(record.survivor.survivor_ref, holder=record.source_organisation))
    if plant:
        incidents = []
        for incident in record.incidents:
            pieces = ["SYNTHETIC narrative."]
            if identity.name is not None:
                for part in (identity.name.family_name, identity.name.given_name, identity.name.patronymic):
                    if part:
                        pieces.append(f"Свідок бачив {draw(inflections(part))} біля дому.")
            for phone in identity.phones or ():
                pieces.append(f"Тел.: {draw(phone_variants(phone))}.")
            for document in identity.documents or ():
                pieces.append(f"Документ «{document.number}».")
            for email in identity.emails or ():
                pieces.append(f"Пошта: {email}")
            if identity.address is not None and identity.address.street_address:
                pieces.append(f"Адреса: {identity.address.street_address}.")
            incidents.append(incident.model_copy(update={"narrative": " ".join(pieces)}))
        record = CaseRecord.model_validate_json(record.model_copy(update={"incidents": incidents}).to_json())
    if purpose is not None:
        record = with_consent(record, purpose)
    return record, identity


def identity_strings(identity: IdentityRecord) -> set[str]:
    """Every identity value of the record and its normalised forms, as they could appear in text."""
    values: set[str] = set()
    if identity.name is not None or identity.other_names:
        for name in [identity.name, *(identity.other_names or ())]:
            if name is None:
                continue
            for part in (name.family_name, name.given_name, name.patronymic):
                if part and len(part) >= 4:
                    values.update({part, part.casefold(), part.upper()})
    for phone in identity.phones or ():
        values.update({phone, phone[1:], "0" + phone[4:], phone[4:]})
    for document in identity.documents or ():
        values.update({document.number, normalise_for_pseudonym(document.number, "document")})
        values.add(re.sub(r"\D", "", document.number))
    for email in identity.emails or ():
        values.update({email, email.casefold()})
    if identity.address is not None:
        for text in (identity.address.street_address, identity.address.settlement):
            if text:
                values.add(text)
    return {v for v in values if len(v) >= 4}


def rnokpp_space(birth: date, female: bool) -> list[str]:
    """Every RNOKPP of one date of birth and sex: 5 date digits, 4 serial digits (parity = sex), check."""
    days = (birth - date(1899, 12, 31)).days
    numbers = []
    for serial in range(1000):
        for sex_digit in (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9):
            body = f"{days:05d}{serial:03d}{sex_digit}"
            numbers.append(body + rntrc.calc_check_digit(body))
    return numbers


def all_strings(document: Any) -> list[str]:
    """Every string (keys and values) inside a JSON document."""
    if isinstance(document, dict):
        return [s for k, v in document.items() for s in (k, *all_strings(v))]
    if isinstance(document, list):
        return [s for item in document for s in all_strings(item)]
    return [document] if isinstance(document, str) else []
