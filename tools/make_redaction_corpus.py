"""Build ``tests/data/redaction/narratives.jsonl``: a labelled, SYNTHETIC corpus of case-worker style
Ukrainian narratives for measuring narrative redaction.

Every person name is invented: the surnames from lists of obviously made-up ones (Тестенко,
Прикладенко...) and of ordinary-looking invented ones; given names and patronymics are ordinary, as in
real narratives. Names are declined into all seven cases by shevchenko, and written as diminutives,
Russian forms, Latin spellings, with initials and across a line break. Places are real settlement
names or invented ones, declined by the dictionary. Every line is one narrative:
``{"id", "source", "text", "spans": [[start, end, kind], ...]}`` with kind person, place, contact,
address, dob, facility or unit. The hand-written lines of ``handwritten.txt`` are appended.

Run: ``python tools/make_redaction_corpus.py`` (seeded: the output is the same on every run).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pymorphy3
import shevchenko

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/data/redaction/narratives.jsonl"
HANDWRITTEN = ROOT / "tests/data/redaction/handwritten.txt"
SEED = 20240517
COUNT = 170

FEMALE = [
    "Олена",
    "Ганна",
    "Ірина",
    "Марія",
    "Оксана",
    "Наталія",
    "Тетяна",
    "Світлана",
    "Людмила",
    "Галина",
    "Юлія",
    "Катерина",
    "Вікторія",
    "Зоряна",
    "Ольга",
    "Надія",
    "Віра",
    "Христина",
    "Любов",
    "Софія",
]
MALE = [
    "Микола",
    "Іван",
    "Петро",
    "Андрій",
    "Сергій",
    "Олександр",
    "Василь",
    "Дмитро",
    "Тарас",
    "Богдан",
    "Юрій",
    "Михайло",
    "Степан",
    "Олексій",
    "Віктор",
    "Роман",
    "Григорій",
    "Павло",
    "Ігор",
    "Остап",
]
SURNAMES = [
    "Тестенко",
    "Прикладенко",
    "Вигаданенко",
    "Зразковий",
    "Макетенко",
    "Шаблюк",
    "Пробенко",
    "Кравець",
    "Вовчок",
    "Швець",
    "Горобець",
    "Коваленко",
    "Мельничук",
    "Бондаренко",
    "Лисенко",
    "Гнатюк",
    "Романишин",
    "Савчук",
    "Дорошенко",
    "Пилипчук",
    "Яковенко",
    "Ткачук",
    "Кузьменко",
]
PATRONYMIC_FROM = ["Петр", "Іван", "Микола", "Степан", "Василь", "Андрі", "Сергі", "Олексі"]
DIMINUTIVE = {
    "Олена": "Лена",
    "Ганна": "Ганя",
    "Ірина": "Іра",
    "Марія": "Маруся",
    "Оксана": "Ксана",
    "Наталія": "Наташа",
    "Тетяна": "Таня",
    "Світлана": "Свєта",
    "Людмила": "Люда",
    "Галина": "Галя",
    "Юлія": "Юля",
    "Катерина": "Катя",
    "Микола": "Коля",
    "Іван": "Ваня",
    "Петро": "Петя",
    "Олександр": "Сашко",
    "Василь": "Вася",
    "Дмитро": "Діма",
    "Юрій": "Юра",
    "Михайло": "Михась",
    "Степан": "Стьопа",
    "Сергій": "Сергійко",
    "Віктор": "Вітя",
    "Павло": "Павлик",
}
RUSSIAN = {
    "Олена": "Елена",
    "Ганна": "Анна",
    "Ірина": "Ирина",
    "Наталія": "Наталья",
    "Тетяна": "Татьяна",
    "Микола": "Николай",
    "Іван": "Иван",
    "Петро": "Пётр",
    "Андрій": "Андрей",
    "Сергій": "Сергей",
    "Олексій": "Алексей",
    "Дмитро": "Дмитрий",
    "Юрій": "Юрий",
    "Михайло": "Михаил",
}
LATIN = {
    "Олена": "Olena",
    "Ганна": "Hanna",
    "Ірина": "Iryna",
    "Марія": "Mariia",
    "Микола": "Mykola",
    "Іван": "Ivan",
    "Петро": "Petro",
    "Андрій": "Andrii",
    "Тестенко": "Testenko",
    "Прикладенко": "Prykladenko",
    "Коваленко": "Kovalenko",
    "Кравець": "Kravets",
    "Савчук": "Savchuk",
}
PLACES = [
    "Вербівка",
    "Мирне",
    "Тестове",
    "Прикладне",
    "Калинівка",
    "Ізюм",
    "Херсон",
    "Бородянка",
    "Балаклія",
    "Куп'янськ",
    "Снігурівка",
    "Вигадане",
    "Ясинувата",
    "Новоселівка",
    "Вовчанськ",
    "Гостомель",
]
STREETS = [
    "вул. Садова",
    "вулиця Шкільна",
    "пров. Вишневий",
    "просп. Миру",
    "бульвар Тестовий",
    "площа Прикладна",
    "мкр Сонячний",
    "шосе Київське",
    "ул. Ленина",
]
FACILITIES = [
    "підвалі школи № 3",
    "СІЗО № 1",
    "ІТТ № 2",
    "приміщенні комендатури",
    "гаражі агрофірми «Колос»",
    "підвалі відділку поліції",
    "колонії № 77",
    "фільтраційному таборі в с. Безіменне",
]
DISTRACTORS = [
    "Вона пішла до лікарні в понеділок.",
    "Потім її відпустили.",
    "Після цього вона виїхала на підконтрольну територію.",
    "У березні 2022 року село було окуповане.",
    "Військові ЗСУ звільнили територію у вересні.",
    "Справу передано до Офісу Генерального прокурора.",
    "Постраждала отримала допомогу Червоного Хреста.",
    "Сержант і капітан стояли біля дверей.",
    "Вночі було чути вибухи.",
    "Її погрожували вбити.",
    "Представники СБУ опитали свідків.",
    "Медична допомога надана в травні.",
    "Вони розмовляли російською.",
    "Дітей вивезли до Росії.",
    "Наступного дня обстріли посилилися.",
    "Вранці вона пішла до сусідів.",
]

_uk = pymorphy3.MorphAnalyzer(lang="uk")
CASE_OF = {
    "nomn": "nominative",
    "gent": "genitive",
    "datv": "dative",
    "accs": "accusative",
    "ablt": "ablative",
    "loct": "locative",
    "voct": "vocative",
}


def decline(person: dict[str, str], case: str, fields: tuple[str, ...]) -> list[str]:
    args = {f: person[f] for f in fields}
    try:
        result = shevchenko.in_case(CASE_OF[case], gender=person["gender"], **args)
    except Exception:  # the generator falls back to the nominative
        result = args
    return [result.get(f, args[f]) for f in fields]


def decline_place(name: str, case: str) -> str:
    for parse in _uk.parse(name.lower()):
        if "NOUN" in parse.tag:
            form = parse.inflect({case})
            if form is not None:
                word: str = form.word
                return name[0] + word[1:]
    return name


def make_person(rng: random.Random) -> dict[str, str]:
    gender = rng.choice(["feminine", "masculine"])
    given = rng.choice(FEMALE if gender == "feminine" else MALE)
    stem = rng.choice(PATRONYMIC_FROM)
    ending = "івна" if stem[-1] != "і" else "ївна"
    ending_m = "ович" if stem[-1] != "і" else "йович"
    patronymic = stem.rstrip("і") + (ending if gender == "feminine" else ending_m)
    if stem.endswith("і"):
        patronymic = stem[:-1] + ("іївна" if gender == "feminine" else "ійович")
    return {
        "gender": gender,
        "given_name": given,
        "patronymic_name": patronymic,
        "family_name": rng.choice(SURNAMES),
    }


def p(text: str) -> str:
    return f"⟦person|{text}⟧"


def render_person(rng: random.Random, case: str) -> str:
    person = make_person(rng)
    style = rng.choice(
        [
            "full",
            "given_family",
            "family_given",
            "given",
            "family",
            "initial",
            "initials_after",
            "diminutive",
            "russian",
            "latin",
            "newline",
            "given_patronymic",
        ]
    )
    if style == "full":
        g, pa, f = decline(person, case, ("given_name", "patronymic_name", "family_name"))
        return f"{p(f)} {p(g)} {p(pa)}"
    if style == "given_family":
        g, f = decline(person, case, ("given_name", "family_name"))
        return f"{p(g)} {p(f)}"
    if style == "family_given":
        f, g = decline(person, case, ("family_name", "given_name"))
        return f"{p(f)} {p(g)}"
    if style == "given":
        return p(decline(person, case, ("given_name",))[0])
    if style == "family":
        return p(decline(person, case, ("family_name",))[0])
    if style == "initial":
        f = decline(person, case, ("family_name",))[0]
        return f"{p(person['given_name'][0] + '.')} {p(f)}"
    if style == "initials_after":
        f = decline(person, case, ("family_name",))[0]
        return f"{p(f)} {p(person['given_name'][0] + '.' + person['patronymic_name'][0] + '.')}"
    if style == "diminutive":
        return p(DIMINUTIVE.get(person["given_name"], person["given_name"]))
    if style == "russian":
        given = RUSSIAN.get(person["given_name"], person["given_name"])
        return f"{p(given)} {p(person['family_name'])}"
    if style == "latin":
        given = LATIN.get(person["given_name"], "Olena")
        return f"{p(given)} {p(LATIN.get(person['family_name'], 'Testenko'))}"
    if style == "newline":
        g, f = decline(person, case, ("given_name", "family_name"))
        return f"{p(g)}\n{p(f)}"
    g, pa = decline(person, case, ("given_name", "patronymic_name"))
    return f"{p(g)} {p(pa)}"


def phone(rng: random.Random) -> str:
    digits = f"0{rng.choice(['50', '63', '67', '68', '93', '97'])}{rng.randrange(10**7):07d}"
    fmt = rng.choice(["{0}", "+38 {0}", "{a} {b} {c} {d}", "+38 ({a}) {b}-{c}-{d}", "{a}-{b}-{c}-{d}"])
    return fmt.format(digits, a=digits[:3], b=digits[3:6], c=digits[6:8], d=digits[8:])


TEMPLATES: list[tuple[str, str]] = [
    ("Постраждалу затримали біля будинку {P:gent}.", ""),
    ("{P:nomn} бачила, як її вели до {PL:gent}.", ""),
    ("Її тримали в {F} разом із {P:ablt}.", ""),
    ("Свідком затримання був сусід {P:nomn}.", ""),
    ("Допитував її чоловік, якого інші називали {P:ablt}.", ""),
    ("Постраждала передала записку {P:datv}.", ""),
    ("У {PL:loct} вона жила в родині {P:gent}.", ""),
    ("Чоловік постраждалої, {P:nomn}, зник під час фільтрації.", ""),
    ("Слідчий опитав {P:accs} у присутності адвоката.", ""),
    ("Вона говорила про {P:accs} з великим страхом.", ""),
    ("Згодом постраждала дізналася про {P:accs} від знайомих.", ""),
    ("Телефон сестри: {PH}.", ""),
    ("Родина проживала за адресою {ST}, {N}.", ""),
    ("У село {PL:nomn} прийшли військові, серед них був {P:nomn}.", ""),
    ("Мати {P:gent} підтвердила її слова.", ""),
    ("Звернення подала через {P:accs}, волонтерку з {PL:gent}.", ""),
    ("{P:voct}, розкажіть, що сталося, — звернулася до неї психологиня.", ""),
    ("Під час окупації {PL:gent} її кілька разів викликали на допит.", ""),
    ("Вона дала номер {PH} та пошту {EM}.", ""),
    ("Акаунт у телеграмі {TG} належав її братові {P:datv}.", ""),
    ("На блокпості біля {PL:gent} телефон перевіряв військовий із позивним «{CS}».", ""),
    ("Постраждала, {DOB} року народження, проживала в {PL:loct}.", ""),
    ("Разом із нею утримували {P:accs} та {P:accs}.", ""),
    ("Документи забрав {P:nomn}, а повернув лише через тиждень.", ""),
]
CALLSIGNS = ["Грім", "Тайфун", "Сокіл", "Кедр", "Лис"]
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


def fill(rng: random.Random, template: str) -> str:
    def slot(match: re.Match[str]) -> str:
        name, _, case = match.group(1).partition(":")
        if name == "P":
            return render_person(rng, case or "nomn")
        if name == "PL":
            return f"⟦place|{decline_place(rng.choice(PLACES), case or 'nomn')}⟧"
        if name == "F":
            return f"⟦facility|{rng.choice(FACILITIES)}⟧"
        if name == "PH":
            return f"⟦contact|{phone(rng)}⟧"
        if name == "EM":
            local = rng.choice(["olena.t", "prykladenko77", "h.testenko", "vygadanyi"])
            domain = rng.choice(["@example.org", " (at) example (dot) com", "[at]example.net"])
            return f"⟦contact|{local}{domain}⟧"
        if name == "TG":
            return f"⟦contact|@{rng.choice(['testenko_o', 'pryklad_ua', 'vygadanko'])}⟧"
        if name == "ST":
            return "⟦address|" + rng.choice(STREETS)
        if name == "N":
            return f"{rng.randint(1, 120)}⟧"
        if name == "CS":
            return p(rng.choice(CALLSIGNS))
        if name == "DOB":
            return f"⟦dob|{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1960, 2005)}⟧"
        raise ValueError(name)

    return re.sub(r"\{([A-Z]+(?::[a-z]+)?)\}", slot, template)


MARK = re.compile(r"⟦(\w+)\|(.*?)⟧", re.DOTALL)


def unmark(marked: str) -> tuple[str, list[list[object]]]:
    text_parts: list[str] = []
    spans: list[list[object]] = []
    position = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[position : match.start()]
        text_parts.append(before)
        length += len(before)
        value = match.group(2)
        spans.append([length, length + len(value), match.group(1)])
        text_parts.append(value)
        length += len(value)
        position = match.end()
    text_parts.append(marked[position:])
    return "".join(text_parts), spans


def main() -> int:
    rng = random.Random(SEED)
    rows = []
    for index in range(COUNT):
        sentences = [fill(rng, rng.choice(TEMPLATES)[0]) for _ in range(rng.randint(1, 3))]
        sentences += rng.sample(DISTRACTORS, rng.randint(1, 2))
        rng.shuffle(sentences)
        text, spans = unmark(" ".join(sentences))
        rows.append({"id": f"gen-{index:03d}", "source": "generated", "text": text, "spans": spans})
    for index, line in enumerate(HANDWRITTEN.read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            text, spans = unmark(line.strip())
            rows.append({"id": f"hand-{index:03d}", "source": "handwritten", "text": text, "spans": spans})
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} narratives -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
