"""The adversary's findings against the old redactor, one regression case each; the precision guard;
and the result's promises (no redacted value in the output, counts by kind, no text in errors)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata.anonymise.redaction import (
    ALL_DETECTORS,
    DEFAULT_DETECTORS,
    PLACEHOLDER,
    KnownValues,
    normalise,
    placeholder,
    redact_text,
)
from crsvdata.models import IdentityRecord

HEADER = (
    '{"survivor_ref":"SYN-SURV-000001","holder_organisation":"unfpa",'
    '"recorded_at":"2024-01-15T10:00:00+00:00"'
)


def identity(extra: str = "") -> IdentityRecord:
    return IdentityRecord.model_validate_json(HEADER + extra + "}")


def survivor() -> KnownValues:
    return KnownValues.from_identity(
        identity(
            ',"name":{"family_name":"Тестенко","given_name":"Олена","patronymic":"Петрівна"},'
            '"other_names":[{"family_name":"Кравець"},{"family_name":"Вовчок"}],"date_of_birth":"1990-01-01"'
        )
    )


def assert_gone(out: str, *values: str) -> None:
    for value in values:
        assert value.casefold() not in out.casefold(), "a value survived"


def test_identity_without_a_name_still_redacts_everyone_named() -> None:
    text = "Олена Тестенко, село Вербівка, чоловік Микола Коваленко."
    out = redact_text(text, KnownValues.from_identity(identity())).text
    assert out == "[NAME] [NAME], село [PLACE], чоловік [NAME] [NAME]."


def test_relatives_witnesses_neighbours_villages_and_detention_sites() -> None:
    text = (
        "Сусідка Ганна Прикладенко бачила, як її вели з Калинівки до СІЗО № 2. "
        "Свідок Остап розповів про підвал школи № 3 у смт Тестове."
    )
    out = redact_text(text).text
    assert_gone(out, "Ганна", "Прикладенко", "Калинівк", "Остап", "Тестове", "№ 2", "№ 3")
    assert "Сусідка" in out
    assert "Свідок" in out


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Її бачив Кравця брат, потім прийшли з Вовчком.", ("Кравця", "Вовчком")),
        ("Елена Петровна сказала, що Лена боялася.", ("Елена", "Петровна", "Лена")),
        ("Зі Льоною говорили двічі.", ("Льоною",)),
        ("У списку була Elena Testenko.", ("Elena", "Testenko")),
        ("Записано: Олена\nТестенко, жителька села.", ("Олена", "Тестенко")),
        ("Прізвище: Тесте-\nнко.", ("Тесте", "нко")),
        ("Її акаунт @olena_testenko видалили.", ("olena", "testenko")),
        ("Постраждала, нар. 1 січ. 1990, проживала тут.", ("1990", "січ")),
        ("Постраждала народилася першого січня 1990 року.", ("першого", "1990")),
        ("Дата: 01.01.1990.", ("01.01.1990",)),
        ("Ользі Тестенкові сказали, що Петрівну шукають.", ("Ользі", "Тестенкові", "Петрівну")),
    ],
)
def test_known_values_in_the_forms_a_case_worker_writes(text: str, values: tuple[str, ...]) -> None:
    assert_gone(redact_text(text, survivor()).text, *values)


@pytest.mark.parametrize(
    ("text", "values", "kind"),
    [
        ("Пишіть у телеграм @vygadanko_77.", ("vygadanko",), "handle"),
        ("Пошта: olena (at) example (dot) org.", ("olena", "example"), "email"),
        ("Пошта: olena[at]example.org.", ("olena", "example"), "email"),
        ("Пошта: olena at example dot org.", ("olena", "example"), "email"),
        ("РНОКПП 3214 567 890.", ("3214", "567", "890"), "number"),
        ("Паспорт АА 123456.", ("123456",), "passport"),
        ("Паспорт АА 123 456.", ("123", "456"), "passport"),
        ("ID-картка 123 456 789.", ("123", "456", "789"), "id_card"),
        ("УНЗР 19900101-12345.", ("19900101", "12345"), "unzr"),
        ("Телефон +38 (067) 123-45-67.", ("067", "123", "45-67"), "phone"),
        ("Телефон 067 123 45 67.", ("067", "123"), "phone"),
        ("Телефон 0671234567.", ("0671234567",), "phone"),
        ("Телефон 38-067-123-45-67.", ("067", "123"), "phone"),
        ("Профіль https://facebook.com/olena.t та t.me/olena_t.", ("facebook", "olena"), "url"),
        ("Жила на площі Свободи, 5.", ("Свободи",), "address"),
        ("Жила на шосе Київське, 14.", ("Київське", "14"), "address"),
        ("Жила: ул. Садовая, 3.", ("Садовая",), "address"),
        ("Жила в мікрорайоні Сонячний.", ("Сонячний",), "address"),
        ("Жила на проспекті Перемоги 12.", ("Перемоги", "12"), "address"),
        ("Жила в провулку Тихому.", ("Тихому",), "address"),
        ("Жила на бульварі Тестовому, 7.", ("Тестовому",), "address"),
        ("Адреса: вулиця Шкільна, 4, кв. 9.", ("Шкільна", "кв. 9"), "address"),
        ("Адреса: вул. Шкільна 4.", ("Шкільна",), "address"),
        ("Адреса: пр-т Миру, 1.", ("Миру",), "address"),
        ("Адреса: мкр Тестовий, 2.", ("Тестовий",), "address"),
        ("Номер: нуль шість сім один два три чотири п'ять.", ("шість", "чотири"), "number"),
    ],
)
def test_contacts_numbers_and_addresses(text: str, values: tuple[str, ...], kind: str) -> None:
    result = redact_text(text)
    assert_gone(result.text, *values)
    assert result.spans, "nothing was redacted"


@pytest.mark.parametrize(
    "text",
    [
        "Вона пішла до лікарні в понеділок.",
        "Потім її відпустили. Тоді вона поїхала додому. Спочатку вона мовчала.",
        "Сержант, капітан і майор стояли біля дверей.",
        "У березні 2022 року село було окуповане, а у вересні звільнене.",
        "Коли вона вийшла, було темно. Вранці вона пішла до сусідів.",
        "Справу передано до Офісу Генерального прокурора; допомогу надав Червоний Хрест.",
        "Представники СБУ та ЗСУ опитали свідків.",
        "Лікарня не працювала. Постраждала плакала. Військові пішли.",
        "Наступного дня обстріли посилилися.",
    ],
)
def test_ordinary_words_are_not_redacted(text: str) -> None:
    result = redact_text(text)
    assert result.text == text
    assert result.spans == ()


def test_placeholders_keep_todays_format_and_are_left_alone() -> None:
    assert placeholder("name") == "[NAME]"
    once = redact_text("Потім Олена Петренко з Маріуполя прийшла.").text
    assert redact_text(once).text == once
    assert all(PLACEHOLDER.fullmatch(m.group()) for m in re.finditer(r"\[[^\]]+\]", once))


def test_profiles_may_keep_facilities_but_never_names() -> None:
    text = "Її тримали в СІЗО № 2 разом із Ганною."
    kept = redact_text(text, keep={"facility"}).text
    assert "СІЗО № 2" in kept
    assert "Ганною" not in kept
    assert "№ 2" not in redact_text(text).text
    with pytest.raises(ValueError, match="cannot be kept") as raised:
        redact_text(text, keep={"name"})
    assert "Ганн" not in str(raised.value)


def test_unknown_detector_error_does_not_echo_the_text() -> None:
    with pytest.raises(ValueError, match="unknown detector") as raised:
        redact_text("Олена Тестенко", detectors=["nonsense"])
    assert "Олена" not in str(raised.value)
    assert set(DEFAULT_DETECTORS) <= set(ALL_DETECTORS)


def test_counts_by_kind_for_the_manifest() -> None:
    result = redact_text("Ганна Прикладенко, тел. 067 123 45 67, жила у с. Вербівка.", survivor())
    assert result.counts == {"name": 2, "phone": 1, "place": 1}


@given(
    st.lists(
        st.sampled_from(
            [
                "Олена",
                "Тестенко",
                "Кравця",
                "067 123 45 67",
                "вона",
                "пішла",
                "до",
                "Вербівки",
                "@olena_t",
                "СІЗО № 2",
                ",",
                ".",
                "\n",
                "1 січ. 1990",
                "вул. Миру, 5",
            ]
        ),
        max_size=20,
    )
)
def test_the_output_holds_no_redacted_value(pieces: list[str]) -> None:
    text = " ".join(pieces)
    result = redact_text(text, survivor())
    prepared = normalise(text)
    for span in result.spans:
        value = prepared[span.start : span.end]
        assert value
        assert value not in result.text.replace(placeholder(span.kind), "\x00")
        assert span.kind.isidentifier()
