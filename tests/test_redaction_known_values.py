"""Known-value leaks: a drawn identity, written into a narrative in the forms a case worker uses, never
survives redaction (no letter token of the value, no digit run of its numbers)."""

from __future__ import annotations

import re
from datetime import date

import shevchenko
import translitua
from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata.anonymise.redaction import KnownValues, normalise, redact_text

GIVEN_F = ["Олена", "Ганна", "Ірина", "Оксана", "Тетяна", "Наталія", "Юлія", "Катерина", "Світлана"]
GIVEN_M = ["Микола", "Петро", "Іван", "Андрій", "Сергій", "Дмитро", "Юрій", "Михайло", "Олексій"]
SURNAMES = [
    "Кравець",
    "Вовчок",
    "Швець",
    "Горобець",
    "Тестенко",
    "Прикладенко",
    "Вигаданенко",
    "Шаблюк",
    "Зразковий",
    "Пробенко",
    "Коваленко",
    "Мельничук",
]
PATRONYMICS_F = ["Петрівна", "Іванівна", "Миколаївна", "Степанівна", "Андріївна"]
PATRONYMICS_M = ["Петрович", "Іванович", "Миколайович", "Степанович", "Андрійович"]
RUSSIAN = {
    "Олена": "Елена",
    "Ганна": "Анна",
    "Ірина": "Ирина",
    "Тетяна": "Татьяна",
    "Наталія": "Наталья",
    "Микола": "Николай",
    "Петро": "Петр",
    "Іван": "Иван",
    "Андрій": "Андрей",
    "Сергій": "Сергей",
    "Дмитро": "Дмитрий",
    "Юрій": "Юрий",
    "Михайло": "Михаил",
    "Олексій": "Алексей",
}
DIMINUTIVES = {
    "Олена": "Лена",
    "Ганна": "Ганя",
    "Ірина": "Іра",
    "Тетяна": "Таня",
    "Наталія": "Наташа",
    "Юлія": "Юля",
    "Катерина": "Катя",
    "Світлана": "Свєта",
    "Микола": "Коля",
    "Петро": "Петя",
    "Іван": "Ваня",
    "Сергій": "Сергійко",
    "Дмитро": "Діма",
    "Юрій": "Юра",
    "Олексій": "Льоша",
}
MONTHS = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]
MONTH_ABBR = [
    "січ.",
    "лют.",
    "бер.",
    "квіт.",
    "трав.",
    "черв.",
    "лип.",
    "серп.",
    "вер.",
    "жовт.",
    "лист.",
    "груд.",
]
CASES = list(shevchenko.CASES)
FRAMES = [
    "Зі слів постраждалої, {v} приходив до неї двічі.",
    "Вона боялася, що {v} знайде її.",
    "Потім {v}\nпідписала заяву.",
    "Записано: {v}; інших даних немає.",
    "— Я не знаю, де {v}, — сказала вона.",
]


def rnokpp_for(day: date, serial: int) -> str:
    body = f"{(day - date(1899, 12, 31)).days:05d}{serial:04d}"
    weights = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
    check = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10
    return body + str(check)


@st.composite
def identities(draw: st.DrawFn) -> dict[str, object]:
    feminine = draw(st.booleans())
    return {
        "gender": "feminine" if feminine else "masculine",
        "given": draw(st.sampled_from(GIVEN_F if feminine else GIVEN_M)),
        "patronymic": draw(st.sampled_from(PATRONYMICS_F if feminine else PATRONYMICS_M)),
        "family": draw(st.sampled_from(SURNAMES)),
        "dob": draw(st.dates(date(1950, 1, 1), date(2008, 12, 31))),
        "phone": "0"
        + draw(st.sampled_from(["50", "67", "93", "97"]))
        + f"{draw(st.integers(0, 9_999_999)):07d}",
        "serial": draw(st.integers(0, 9999)),
        "passport": draw(st.sampled_from(["АА", "ВК", "МЕ", "КН"])) + f"{draw(st.integers(100000, 999999))}",
    }


def spaced(digits: str, draw: st.DrawFn) -> str:
    separator = draw(st.sampled_from([" ", "-", "", " - "]))
    size = draw(st.sampled_from([2, 3, 4]))
    return separator.join(digits[i : i + size] for i in range(0, len(digits), size))


@st.composite
def rendered(draw: st.DrawFn) -> tuple[dict[str, object], str, list[str]]:
    """An identity, one of its values written in a drawn form, and the letter/digit strings planted."""
    who = draw(identities())
    gender = str(who["gender"])
    form = draw(
        st.sampled_from(
            [
                "case",
                "russian",
                "latin",
                "diminutive",
                "newline",
                "handle",
                "dob_words",
                "dob_abbr",
                "dob_numeric",
                "phone",
                "rnokpp",
                "passport",
                "full",
            ]
        )
    )
    given, patronymic, family = str(who["given"]), str(who["patronymic"]), str(who["family"])
    dob = who["dob"]
    assert isinstance(dob, date)
    if form in ("case", "full"):
        case = draw(st.sampled_from(CASES))
        out = shevchenko.in_case(
            case, gender=gender, given_name=given, patronymic_name=patronymic, family_name=family
        )
        if form == "full":
            value = f"{out['family_name']} {out['given_name']} {out['patronymic_name']}"
        else:
            value = draw(st.sampled_from([out["given_name"], out["family_name"], out["patronymic_name"]]))
    elif form == "russian":
        value = RUSSIAN.get(given, given) + " " + patronymic.replace("івна", "овна").replace("ович", "ович")
    elif form == "latin":
        value = translitua.translit(f"{given} {family}", translitua.UkrainianKMU)
        value = value.replace("Olena", draw(st.sampled_from(["Olena", "Elena", "Olena"])))
    elif form == "diminutive":
        value = DIMINUTIVES.get(given, given)
    elif form == "newline":
        value = f"{given}\n{family}"
    elif form == "handle":
        latin = translitua.translit(f"{given}_{family}", translitua.UkrainianKMU).lower()
        value = "@" + latin
    elif form == "dob_words":
        value = f"нар. {dob.day} {MONTHS[dob.month - 1]} {dob.year} р."
    elif form == "dob_abbr":
        value = f"нар. {dob.day} {MONTH_ABBR[dob.month - 1]} {dob.year}"
    elif form == "dob_numeric":
        value = draw(
            st.sampled_from([f"{dob:%d.%m.%Y}", f"{dob:%Y-%m-%d}", f"{dob.day}.{dob.month}.{dob.year}"])
        )
    elif form == "phone":
        phone = str(who["phone"])
        value = draw(st.sampled_from(["+38", "38", ""])) + spaced(phone, draw)
    elif form == "rnokpp":
        value = "РНОКПП " + spaced(rnokpp_for(dob, int(str(who["serial"]))), draw)
    else:
        passport = str(who["passport"])
        value = passport[:2] + draw(st.sampled_from([" ", "", " № "])) + spaced(passport[2:], draw)
    frame = draw(st.sampled_from(FRAMES))
    return who, frame.format(v=value), [value]


def known_for(who: dict[str, object]) -> KnownValues:
    dob = who["dob"]
    assert isinstance(dob, date)
    return KnownValues(
        names=[
            ("given", str(who["given"])),
            ("patronymic", str(who["patronymic"])),
            ("family", str(who["family"])),
        ],
        phones=["+38" + str(who["phone"])],
        documents=[
            f"rnokpp:{rnokpp_for(dob, int(str(who['serial'])))}",
            f"passport_booklet:{who['passport']}",
        ],
        date_of_birth=dob,
    )


def letter_tokens(value: str) -> set[str]:
    return {t.casefold() for t in re.findall(r"[^\W\d_]{3,}", normalise(value))} - {"нар", "рнокпп"}


def digit_runs(value: str) -> set[str]:
    return {run for run in re.findall(r"\d+", value) if len(run) >= 2}


@settings(max_examples=300, deadline=None)
@given(rendered())
def test_no_token_of_a_known_value_survives(case: tuple[dict[str, object], str, list[str]]) -> None:
    who, narrative, planted = case
    out = redact_text(narrative, known_for(who)).text
    out_words = {t.casefold() for t in re.findall(r"[^\W\d_]+", out)}
    out_digits = set(re.findall(r"\d+", out))
    originals = " ".join([str(who["given"]), str(who["patronymic"]), str(who["family"])])
    for value in [*planted, originals]:
        leaked = letter_tokens(value) & out_words
        assert not leaked, "a name token survived"
        assert not (digit_runs(value) & out_digits), "a digit run survived"


@settings(max_examples=100, deadline=None)
@given(rendered())
def test_values_go_even_without_the_identity(case: tuple[dict[str, object], str, list[str]]) -> None:
    """Without the record's values the name pass and the detectors still take the names and numbers:
    the narrative of a person with no identity record (a witness) is protected too."""
    _, narrative, planted = case
    out = redact_text(narrative).text
    out_words = {t.casefold() for t in re.findall(r"[^\W\d_]+", out)}
    for value in planted:
        if not value.startswith("нар"):  # a date of birth without the word for birth is a plain date
            assert not (digit_runs(value) & set(re.findall(r"\d+", out))) or re.fullmatch(
                r"[\d.\-]+", value
            ), "a digit run survived"
        assert not (letter_tokens(value) & out_words), "a name token survived"
