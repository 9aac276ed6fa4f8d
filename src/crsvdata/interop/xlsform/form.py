"""The XLSForm sheets of the intake forms, built from the code lists (labels in English and Ukrainian).

The case form is a first-contact intake: the survivor's coarse attributes, incidents with their acts, and
consents per purpose and recipient. Proceedings, reparations, referrals, perpetrators and narratives are
out of its scope (they are recorded later, in the case management system). Names, dates of birth,
contacts and documents are asked only in the identity form, never in the case form; the two are linked
by the survivor reference the case worker types in both.

Place: the oblast is a select of ISO 3166-2:UA subdivisions; the raion and the hromada are cascading
selects of KATOTTH codes filtered by the choice column ``oblast`` (the vendored codifier has no names
below oblast level, so their labels are the codes); settlements are not asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from openpyxl import Workbook

from crsvdata.codes import load
from crsvdata.geography.codifier import all_katotth_codes, katotth_category, oblast_of

EN: Final = "label::English (en)"
UK: Final = "label::Ukrainian (uk)"
HINT_EN: Final = "hint::English (en)"
HINT_UK: Final = "hint::Ukrainian (uk)"
SURVEY_COLUMNS: Final = (
    "type",
    "name",
    EN,
    UK,
    HINT_EN,
    HINT_UK,
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "constraint_message::Ukrainian (uk)",
    "choice_filter",
    "calculation",
)
CHOICE_COLUMNS: Final = ("list_name", "name", EN, UK, "oblast")

CASE_FORM_LISTS: Final = (
    "sex",
    "age_band",
    "survivor_status",
    "affected_person_role",
    "ua_subdivision",
    "territory_control_status",
    "incident_context",
    "form_of_violence",
    "consent_purpose",
    "organisation",
    "recipient_category",
    "consent_method",
    "consent_given_by",
    "guardian_consent_exception",
)
"""The code lists whose every current code is a choice of the case form."""

RECORD_ID: Final = r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$"
LOCAL_ID: Final = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
REF: Final = r"^[A-Za-z][A-Za-z0-9._:-]{2,63}$"
ADULT_AGE: Final = 18


@dataclass
class FormSheets:
    """The three sheets of an XLSForm, as rows of column -> cell."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)

    def question(self, kind: str, name: str, en: str, uk: str, **cells: str) -> None:
        self.survey.append({"type": kind, "name": name, EN: en, UK: uk, **cells})

    def end(self, kind: str) -> None:
        self.survey.append({"type": kind})


def _regex(pattern: str, en: str, uk: str) -> dict[str, str]:
    return {
        "constraint": f"regex(., '{pattern}')",
        "constraint_message::English (en)": en,
        "constraint_message::Ukrainian (uk)": uk,
    }


def _after(other: str, en: str, uk: str) -> dict[str, str]:
    return {
        "constraint": f". >= ${{{other}}}",
        "constraint_message::English (en)": en,
        "constraint_message::Ukrainian (uk)": uk,
    }


def _code_choices(sheets: FormSheets, name: str) -> None:
    for code in load(name):
        if not code.is_deprecated:
            sheets.choices.append(
                {"list_name": name, "name": code.code, EN: code.label_en, UK: code.label_uk}
            )


def _katotth_choices(sheets: FormSheets) -> None:
    prefix_to_iso = {code.extra["katotth_prefix"]: code.code for code in load("ua_subdivision")}
    for code in all_katotth_codes():
        list_name = {"P": "raion", "H": "hromada"}.get(katotth_category(code) or "")
        if list_name is None:
            continue
        iso = prefix_to_iso.get(oblast_of(code)[:4])
        if iso is None:
            continue
        row = {"list_name": list_name, "name": code, EN: code, UK: code, "oblast": iso}
        if list_name == "hromada":
            row["oblast"] = code[:9]  # the hromada's raion: its code's first nine characters name it
        sheets.choices.append(row)


def _yes_no(sheets: FormSheets) -> None:
    sheets.choices.append({"list_name": "yes_no", "name": "yes", EN: "Yes", UK: "Так"})
    sheets.choices.append({"list_name": "yes_no", "name": "no", EN: "No", UK: "Ні"})


def case_form() -> FormSheets:
    """The case intake form: survivor, incidents with acts, consents; no identity question."""
    s = FormSheets(
        settings={
            "form_title": "crsvdata case intake",
            "form_id": "crsvdata_case",
            "version": "1",
            "default_language": "English (en)",
        }
    )
    s.question(
        "text",
        "record_id",
        "Record identifier",
        "Ідентифікатор запису",
        required="yes",
        **_regex(
            RECORD_ID,
            "Letters, digits, '.', '_', ':', '-' (3 to 100)",
            "Літери, цифри, '.', '_', ':', '-' (від 3 до 100)",
        ),
    )
    s.question("begin_group", "survivor", "Survivor", "Постраждала особа")
    s.question(
        "text",
        "survivor_ref",
        "Survivor reference (pseudonymous)",
        "Псевдонімне посилання на особу",
        required="yes",
        **_regex(
            REF,
            "Starts with a letter; never a tax, phone or document number",
            "Починається з літери; ніколи не ІПН, телефон чи номер документа",
        ),
    )
    s.question("select_one sex", "sex", "Sex", "Стать", required="yes")
    s.question("select_one survivor_status", "status", "Status", "Статус", required="yes")
    s.question("select_one affected_person_role", "role", "Role", "Роль", required="yes")
    s.question(
        "select_one age_band",
        "age_band",
        "Age band at the first incident",
        "Вікова група на час першого інциденту",
    )
    s.question(
        "integer",
        "age_years",
        "Age in years at the first incident",
        "Вік у роках на час першого інциденту",
        relevant="${age_band} != ''",
        constraint=". >= 0 and . <= 120",
        **{
            "constraint_message::English (en)": "0 to 120",
            "constraint_message::Ukrainian (uk)": "Від 0 до 120",
        },
    )
    s.question(
        "calculate",
        "is_child",
        "",
        "",
        calculation=f"if(${{age_years}} != '' and ${{age_years}} < {ADULT_AGE}, 'yes', 'no')",
    )
    s.end("end_group")
    s.question("begin_repeat", "incidents", "Incident", "Інцидент")
    s.question(
        "text",
        "incident_id",
        "Incident identifier",
        "Ідентифікатор інциденту",
        required="yes",
        **_regex(LOCAL_ID, "Letters, digits, '.', '_', ':', '-'", "Літери, цифри, '.', '_', ':', '-'"),
    )
    s.question(
        "date",
        "incident_start",
        "Date of the incident (first day)",
        "Дата інциденту (перший день)",
        required="yes",
    )
    s.question(
        "date",
        "incident_end",
        "Last day, if it lasted",
        "Останній день, якщо тривав",
        **_after("incident_start", "Not before the first day", "Не раніше першого дня"),
    )
    s.question(
        "date",
        "reported_on",
        "Reported on",
        "Дата повідомлення",
        **_after("incident_start", "Not before the incident", "Не раніше інциденту"),
    )
    s.question("select_one ua_subdivision", "subdivision", "Oblast", "Область")
    s.question(
        "select_one raion",
        "raion",
        "Raion (KATOTTH)",
        "Район (КАТОТТГ)",
        relevant="${subdivision} != ''",
        choice_filter="oblast = ${subdivision}",
    )
    s.question(
        "select_one hromada",
        "hromada",
        "Hromada (KATOTTH)",
        "Громада (КАТОТТГ)",
        relevant="${raion} != ''",
        choice_filter="oblast = ${raion}",
    )
    s.question(
        "select_one territory_control_status",
        "control_status",
        "Who controlled the territory on that date",
        "Хто контролював територію на ту дату",
        required="yes",
    )
    s.question("select_multiple incident_context", "contexts", "Context", "Контекст", required="yes")
    s.question("begin_repeat", "acts", "Form of violence", "Форма насильства")
    s.question("select_one form_of_violence", "form", "Form of violence", "Форма насильства", required="yes")
    s.end("end_repeat")
    s.end("end_repeat")
    s.question(
        "begin_repeat",
        "consents",
        "Consent (one purpose, one recipient)",
        "Згода (одна мета, один отримувач)",
    )
    s.question(
        "text",
        "consent_id",
        "Consent identifier",
        "Ідентифікатор згоди",
        required="yes",
        **_regex(LOCAL_ID, "Letters, digits, '.', '_', ':', '-'", "Літери, цифри, '.', '_', ':', '-'"),
    )
    s.question("select_one consent_purpose", "purpose", "Purpose", "Мета", required="yes")
    s.question(
        "select_one organisation",
        "recipient_organisation",
        "Recipient organisation",
        "Організація-отримувач",
        relevant="${recipient_category} = ''",
    )
    s.question(
        "select_one recipient_category",
        "recipient_category",
        "Or a category of recipients",
        "Або категорія отримувачів",
        relevant="${recipient_organisation} = ''",
    )
    s.question("select_one yes_no", "granted", "Consent given?", "Згоду надано?", required="yes")
    s.question("date", "given_on", "Decided on", "Дата рішення", required="yes")
    s.question("select_one consent_method", "method", "How it was recorded", "Як зафіксовано", required="yes")
    s.question(
        "select_one consent_given_by",
        "given_by",
        "Given by",
        "Ким надано",
        required="yes",
        constraint="${is_child} = 'no' or . != 'self' or ${guardian_exception} != ''",
        **{
            "constraint_message::English (en)": (
                "A child's consent needs a parent or guardian, or a recorded exception"
            ),
            "constraint_message::Ukrainian (uk)": (
                "Згоду дитини надає один із батьків чи опікун, або фіксується виняток"
            ),
        },
    )
    s.question(
        "select_one guardian_consent_exception",
        "guardian_exception",
        "Why no guardian consents",
        "Чому згоду надає не опікун",
        relevant="${is_child} = 'yes'",
    )
    s.end("end_repeat")
    for name in CASE_FORM_LISTS:
        _code_choices(s, name)
    _katotth_choices(s)
    _yes_no(s)
    return s


def identity_form() -> FormSheets:
    """The identity form: names, date of birth and contacts, linked by the survivor reference only."""
    s = FormSheets(
        settings={
            "form_title": "crsvdata identity",
            "form_id": "crsvdata_identity",
            "version": "1",
            "default_language": "English (en)",
        }
    )
    s.question(
        "text",
        "survivor_ref",
        "Survivor reference (as in the case form)",
        "Посилання на особу (як у формі справи)",
        required="yes",
        **_regex(REF, "Starts with a letter", "Починається з літери"),
    )
    s.question("text", "family_name", "Family name", "Прізвище")
    s.question("text", "given_name", "Given name", "Ім'я")
    s.question("text", "patronymic", "Patronymic", "По батькові")
    s.question(
        "date",
        "date_of_birth",
        "Date of birth",
        "Дата народження",
        constraint=". <= today()",
        **{
            "constraint_message::English (en)": "Not in the future",
            "constraint_message::Ukrainian (uk)": "Не в майбутньому",
        },
    )
    s.question(
        "text",
        "phone",
        "Phone (+380...)",
        "Телефон (+380...)",
        **_regex(r"^\+[1-9][0-9]{7,14}$", "E.164 form, e.g. +380...", "Формат E.164, напр. +380..."),
    )
    return s


def write_xlsform(sheets: FormSheets, path: Path) -> None:
    """Write the three sheets as an .xlsx workbook that pyxform, KoboToolbox and ODK Central read."""
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in sheets.survey:
        survey.append([row.get(column, "") for column in SURVEY_COLUMNS])
    choices = book.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for row in sheets.choices:
        choices.append([row.get(column, "") for column in CHOICE_COLUMNS])
    settings = book.create_sheet("settings")
    settings.append(list(sheets.settings))
    settings.append(list(sheets.settings.values()))
    book.save(path)
