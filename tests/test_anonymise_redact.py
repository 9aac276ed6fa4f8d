"""Narrative redaction: planted identifiers never survive; redaction is idempotent and its spans are sound."""

from __future__ import annotations

import re
from dataclasses import fields

from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban

from anonymise_strategies import inflections, phone_variants
from crsvdata.anonymise import KnownValues, Span, redact_text
from crsvdata.anonymise.redaction import PLACEHOLDER
from crsvdata.anonymise.redaction import normalise as prepare_text
from crsvdata.models import IdentityRecord
from crsvdata.testing import (
    foreign_passport_numbers,
    id_card_numbers,
    identity_records,
    passport_booklet_numbers,
    phone_numbers_ua,
    rnokpps,
    unzrs,
)

FILLER = st.sampled_from(
    [
        "Вона розповіла, що",
        "Потім",
        "— сказав він,",
        "(зі слів постраждалої)",
        "«",
        "»",
        ";",
        "2022 року",
        "у підвалі",
    ]
)


def digit_runs(value: str) -> list[str]:
    return [run for run in re.findall(r"\d+", value) if len(run) >= 6]


def ua_ibans() -> st.SearchStrategy[str]:
    def build(bank: str, account: str) -> str:
        bban = bank + account
        check = iban.calc_check_digits("UA00" + bban)
        return f"UA{check}{bban}"

    return st.builds(
        build, st.from_regex(r"[0-9]{6}", fullmatch=True), st.from_regex(r"[0-9]{19}", fullmatch=True)
    )


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, IdentityRecord, list[str]]:
    """A narrative with the identity's values planted in varied forms, and the planted strings."""
    identity = draw(identity_records())
    secrets: list[str] = []
    pieces: list[str] = []
    if identity.name is not None:
        for part in (identity.name.family_name, identity.name.given_name, identity.name.patronymic):
            if part:
                form = draw(inflections(part))
                secrets.append(form)
                pieces.append(draw(st.sampled_from([form, f"«{form}»", f"({form})", f"{form},", f"{form}."])))
    for phone in identity.phones or ():
        form = draw(phone_variants(phone))
        secrets.append(form)
        pieces.append(f"тел. {form}")
    for document in identity.documents or ():
        secrets.append(document.number)
        pieces.append(f"номер {document.number}")
    for email in identity.emails or ():
        secrets.append(email)
        pieces.append(f"<{email}>")
    if identity.address is not None and identity.address.street_address:
        secrets.append(identity.address.street_address)
        pieces.append(f"жила за адресою {identity.address.street_address}")
    words = [draw(FILLER) + " " + piece for piece in pieces]
    return " ".join(draw(st.permutations(words))), identity, secrets


@given(planted())
def test_planted_identity_values_never_survive(case: tuple[str, IdentityRecord, list[str]]) -> None:
    text, identity, secrets = case
    result = redact_text(text, KnownValues.from_identity(identity))
    out = result.text.casefold()
    for secret in secrets:
        assert secret.casefold() not in out
        for run in digit_runs(secret):
            assert run not in out
        for word in re.findall(r"[^\W\d_]{4,}", secret):
            # The stem (all but a case ending) of every word of a name or street is gone too.
            assert word.casefold()[: max(4, len(word) - 2)] not in out


@given(
    st.one_of(
        rnokpps(),
        unzrs(),
        passport_booklet_numbers(),
        foreign_passport_numbers(),
        id_card_numbers(),
        phone_numbers_ua().flatmap(phone_variants),
        ua_ibans(),
        st.integers(1, 9999).map(lambda n: f"person.{n}@gov.ua"),
        st.integers(1, 9999).map(lambda n: f"особа{n}@приклад.укр"),
    ),
    FILLER,
    FILLER,
)
def test_detectors_alone_catch_every_format_identifier(value: str, before: str, after: str) -> None:
    text = f"{before} {value} {after}"
    out = redact_text(text).text
    assert value not in out
    for run in digit_runs(value):
        assert run not in re.sub(r"[\s\-()+]", "", out)


@given(planted(), st.booleans())
def test_redaction_is_idempotent(case: tuple[str, IdentityRecord, list[str]], fallback: bool) -> None:
    text, identity, _ = case
    known = KnownValues.from_identity(identity)
    once = redact_text(text, known, fallback=fallback)
    twice = redact_text(once.text, known, fallback=fallback)
    assert twice.text == once.text
    assert twice.spans == ()


@given(planted(), st.booleans())
def test_spans_are_sound_and_carry_no_value(
    case: tuple[str, IdentityRecord, list[str]], fallback: bool
) -> None:
    text, identity, _ = case
    prepared = prepare_text(text)
    result = redact_text(text, KnownValues.from_identity(identity), fallback=fallback)
    previous_end = 0
    rebuilt = []
    for span in result.spans:
        assert previous_end <= span.start < span.end <= len(prepared)
        rebuilt.append(prepared[previous_end : span.start])
        rebuilt.append(f"[{span.kind.upper()}]")
        previous_end = span.end
    rebuilt.append(prepared[previous_end:])
    # Outside the spans the text is kept character for character.
    assert "".join(rebuilt) == result.text
    assert {f.name for f in fields(Span)} == {"start", "end", "kind", "source"}
    assert all(isinstance(span.kind, str) and span.kind.isidentifier() for span in result.spans)


def test_inflected_names_and_alternations_are_found() -> None:
    identity = IdentityRecord.model_validate_json(
        '{"survivor_ref":"SYN-SURV-000001","holder_organisation":"unfpa","recorded_at":"2024-01-15T10:00:00+00:00",'
        '"name":{"family_name":"Тестенко","given_name":"Ольга","patronymic":"Сидорівна"},'
        '"other_names":[{"given_name":"Федір"}],'
        '"address":{"settlement":"Тестове","street_address":"вул. Тестова, 161"}}'
    )
    text = (
        "Ользі Тестенкові сказали; Федора бачили в Тестовому. Жила на вулиці Тестовій, 161, кв. 4. "
        "Латиницею: Testenko. Ще: TЕСТЕНКО (латинська T)."
    )
    out = redact_text(text, KnownValues.from_identity(identity)).text
    for leaked in ("Ольз", "Тестенк", "Федор", "Тестов", "161", "Testenko", "TЕСТЕНКО"):
        assert leaked not in out, leaked
    assert "сказали" in out
    assert "бачили" in out


def test_unknown_names_go_without_the_fallback_and_placeholders_stay() -> None:
    # The morphological name pass finds people the identity record does not name; the capitalised-word
    # fallback (every capitalised word, sentence starts included) is only for maximal recall.
    text = "Потім Олена Петренко з Маріуполя прийшла. [NAME] теж."
    for fallback in (False, True):
        out = redact_text(text, fallback=fallback).text
        assert "Олена" not in out
        assert "Петренко" not in out
        assert "Маріуполя" not in out
        assert "[NAME] теж." in out
        assert all(m.group() in {"[PROPER_NOUN]", "[NAME]", "[PLACE]"} for m in PLACEHOLDER.finditer(out))
    assert redact_text(text).text.startswith("Потім"), "a sentence-initial common word is not a name"


def test_invisible_characters_do_not_hide_a_name() -> None:
    identity = IdentityRecord.model_validate_json(
        '{"survivor_ref":"SYN-SURV-000001","holder_organisation":"unfpa","recorded_at":"2024-01-15T10:00:00+00:00",'
        '"name":{"family_name":"Тестенко"}}'
    )
    out = redact_text("Тест\u200bенко і Тесте\u0301нко", KnownValues.from_identity(identity)).text
    assert "Тест" not in out.replace("\u0301", "")
