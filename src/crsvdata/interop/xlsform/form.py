"""The XLSForm sheets of the intake forms, built from the code lists (labels in English and Ukrainian).

The case form is a first-contact intake: the record's provenance, the survivor's coarse attributes,
incidents with their acts, consents per purpose and recipient, and criminal proceedings by ERDR number.
Referrals, reparations, perpetrators, narratives and the standard 1.1 details are out of its scope (they
are recorded later, in the case management system). Names, dates of birth, contacts and documents are
asked only in the identity form, never in the case form; the two are linked by the survivor reference the
case worker types in both.

Every question that carries a member of the record names it in the column ``bind::crsvdata:member`` (a
JSON pointer relative to the enclosing repeat, or to the record); the form is thus self-describing, and
the submission reader maps answers back by that column, not by a second list kept beside the form.
ODK Collect and Enketo ignore the attribute.

Place: the country (Ukraine by default), then the oblast as an ISO 3166-2:UA select, then the raion and
the hromada as cascading selects of KATOTTH codes (the vendored codifier has no names below oblast level,
so their labels are the codes); settlements are not asked.

Rules the form enforces (``relevant``, ``required`` and ``constraint``, each with an English and a
Ukrainian message): identifier formats; the exact age within its band; a date range's end not before its
start and the report not before the incident, compared at the coarser of the two precisions (as the
model's rule compares a partial date's last day with the other's first); no date in the future; the
control status ``outside_ukraine`` exactly for places outside Ukraine; a consent names one organisation or
one category; a withdrawal only of a granted consent and not before it; a child's own consent needs the
recorded reason it stands without a guardian's (the record rule's age arithmetic); the ERDR number's
format and its year not after the registration; a proceeding's stage not before its registration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from openpyxl import Workbook

from crsvdata.codes import load
from crsvdata.geography.codifier import all_katotth_codes, katotth_category, oblast_of, parent
from crsvdata.identifiers import ERDR_PATTERN
from crsvdata.io.atomic import atomic_writer
from crsvdata.models._types import LOCAL_ID_PATTERN, ORGANISATION_PATTERN, REF_PATTERN
from crsvdata.models.case import RECORD_ID_PATTERN
from crsvdata.rules import ADULT_AGE

EN: Final = "label::English (en)"
UK: Final = "label::Ukrainian (uk)"
HINT_EN: Final = "hint::English (en)"
HINT_UK: Final = "hint::Ukrainian (uk)"
CONSTRAINT_EN: Final = "constraint_message::English (en)"
CONSTRAINT_UK: Final = "constraint_message::Ukrainian (uk)"
REQUIRED_EN: Final = "required_message::English (en)"
REQUIRED_UK: Final = "required_message::Ukrainian (uk)"
MEMBER: Final = "bind::crsvdata:member"
"""The record member a question carries: a JSON pointer relative to its repeat (or to the record)."""
SHAPE: Final = "bind::crsvdata:shape"
"""How an answer's text becomes the member's value where the question type does not say it (``list``)."""
NAMESPACE: Final = 'crsvdata="https://crsvdata.org/xlsform"'
SURVEY_COLUMNS: Final = (
    "type",
    "name",
    EN,
    UK,
    HINT_EN,
    HINT_UK,
    "required",
    REQUIRED_EN,
    REQUIRED_UK,
    "relevant",
    "constraint",
    CONSTRAINT_EN,
    CONSTRAINT_UK,
    "choice_filter",
    "calculation",
    "default",
    MEMBER,
    SHAPE,
)
CHOICE_COLUMNS: Final = ("list_name", "name", EN, UK, "oblast", "raion")

CASE_FORM_LISTS: Final = (
    "confidentiality_level",
    "sex",
    "age_band",
    "survivor_status",
    "affected_person_role",
    "displacement_status",
    "disability",
    "country",
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
    "jurisdiction",
    "proceeding_stage",
    "criminal_code_article",
)
"""The code lists whose every current code is a choice of the case form."""

YES_NO: Final = "yes_no"
DATE_PRECISION: Final = "date_precision"
PRECISIONS: Final = ("year", "month", "day")


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

    def constraints(self) -> dict[str, str]:
        """Question name -> its constraint expression, for every question that has one."""
        return {row["name"]: row["constraint"] for row in self.survey if row.get("constraint")}


def _rule(expression: str, en: str, uk: str) -> dict[str, str]:
    return {"constraint": expression, CONSTRAINT_EN: en, CONSTRAINT_UK: uk}


def _regex(pattern: str, en: str, uk: str) -> dict[str, str]:
    # An XPath string literal in single quotes: none of the patterns holds a quote.
    return _rule(f"regex(., '{pattern}')", en, uk)


def _required(en: str, uk: str) -> dict[str, str]:
    return {"required": "yes", REQUIRED_EN: en, REQUIRED_UK: uk}


def _year(ref: str) -> str:
    return f"int(format-date({ref}, '%Y'))"


def _month_number(ref: str) -> str:
    return f"({_year(ref)} * 12 + int(format-date({ref}, '%m')))"


def _not_before(start: str, start_precision: str, end_precision: str | None) -> str:
    """``.`` (a date at ``end_precision``, a day if None) does not end before ``start`` begins.

    A partial date's last day is compared with the other's first day by comparing both at the coarser
    of the two precisions: the year when either is a year, the month when either is a month, else the day.
    """
    coarse = [f"${{{start_precision}}}"] + ([f"${{{end_precision}}}"] if end_precision else [])
    either_year = " or ".join(f"{p} = 'year'" for p in coarse)
    either_month = " or ".join(f"{p} = 'month'" for p in coarse)
    start_ref = f"${{{start}}}"
    return (
        f"if({either_year}, {_year('.')} >= {_year(start_ref)}, "
        f"if({either_month}, {_month_number('.')} >= {_month_number(start_ref)}, . >= {start_ref}))"
    )


def _not_in_future() -> dict[str, str]:
    return _rule(". <= today()", "Not in the future", "Не в майбутньому")


def _code_choices(sheets: FormSheets, name: str) -> None:
    for code in load(name):
        if not code.is_deprecated:
            sheets.choices.append(
                {"list_name": name, "name": code.code, EN: code.label_en, UK: code.label_uk}
            )


def _katotth_choices(sheets: FormSheets) -> None:
    prefix_to_iso = {code.extra["katotth_prefix"]: code.code for code in load("ua_subdivision")}
    for code in all_katotth_codes():
        category = katotth_category(code)
        iso = prefix_to_iso.get(oblast_of(code)[:4])
        if iso is None:
            continue
        if category == "P":
            sheets.choices.append({"list_name": "raion", "name": code, EN: code, UK: code, "oblast": iso})
        elif category == "H":
            above = parent(code)
            if above is not None and katotth_category(above) == "P":
                sheets.choices.append(
                    {"list_name": "hromada", "name": code, EN: code, UK: code, "raion": above}
                )


def _fixed_choices(sheets: FormSheets) -> None:
    sheets.choices.append({"list_name": YES_NO, "name": "yes", EN: "Yes", UK: "Так"})
    sheets.choices.append({"list_name": YES_NO, "name": "no", EN: "No", UK: "Ні"})
    labels = {"year": ("Year only", "Лише рік"), "month": ("Month", "Місяць"), "day": ("Day", "День")}
    for precision in PRECISIONS:
        en, uk = labels[precision]
        sheets.choices.append({"list_name": DATE_PRECISION, "name": precision, EN: en, UK: uk})


def _band_limits() -> list[tuple[str, int, int | None]]:
    limits = []
    for code in load("age_band"):
        upper = code.extra.get("max_age") or ""
        limits.append((code.code, int(code.extra["min_age"]), int(upper) if upper else None))
    return limits


def _age_within_band() -> str:
    cases = []
    for band, lower, upper in _band_limits():
        bound = f" and . <= {upper}" if upper is not None else ""
        cases.append(f"(${{age_band}} = '{band}' and . >= {lower}{bound})")
    return " or ".join(cases)


def _youngest_age() -> str:
    # The exact age when known, else the band's lower limit: the age the record rule counts from.
    nested = "''"
    for band, lower, _ in reversed(_band_limits()):
        nested = f"if(${{age_band}} = '{band}', {lower}, {nested})"
    return f"if(${{age_years}} != '', ${{age_years}}, {nested})"


def _provenance(s: FormSheets) -> None:
    s.question("start", "start", "", "", **{MEMBER: "/created_at"})
    s.question("end", "end", "", "", **{MEMBER: "/updated_at"})
    s.question(
        "text",
        "record_id",
        "Record identifier",
        "Ідентифікатор запису",
        **_required("Give the record identifier", "Вкажіть ідентифікатор запису"),
        **_regex(
            RECORD_ID_PATTERN,
            "Letters, digits, '.', '_', ':', '-' (3 to 100)",
            "Літери, цифри, '.', '_', ':', '-' (від 3 до 100)",
        ),
        **{MEMBER: "/record_id"},
    )
    s.question(
        "text",
        "source_organisation",
        "Your organisation's code",
        "Код вашої організації",
        **_required("Give your organisation's code", "Вкажіть код вашої організації"),
        **_regex(
            ORGANISATION_PATTERN,
            "Lower-case letters, digits and '_', e.g. synth_ngo",
            "Малі латинські літери, цифри та '_', напр. synth_ngo",
        ),
        **{MEMBER: "/source_organisation"},
    )
    s.question(
        "select_one confidentiality_level",
        "confidentiality",
        "Confidentiality",
        "Рівень конфіденційності",
        required="yes",
        **{MEMBER: "/confidentiality"},
    )


def _survivor(s: FormSheets) -> None:
    s.question("begin_group", "survivor", "Survivor", "Постраждала особа", **{MEMBER: "/survivor"})
    s.question(
        "text",
        "survivor_ref",
        "Survivor reference (pseudonymous)",
        "Псевдонімне посилання на особу",
        **_required("Give the survivor reference", "Вкажіть посилання на особу"),
        **_regex(
            REF_PATTERN,
            "Starts with a letter; never a tax, phone or document number",
            "Починається з літери; ніколи не ІПН, телефон чи номер документа",
        ),
        **{MEMBER: "/survivor_ref"},
    )
    s.question("select_one sex", "sex", "Sex", "Стать", required="yes", **{MEMBER: "/sex"})
    s.question(
        "select_one survivor_status", "status", "Status", "Статус", required="yes", **{MEMBER: "/status"}
    )
    s.question("select_one affected_person_role", "role", "Role", "Роль", required="yes", **{MEMBER: "/role"})
    s.question(
        "select_one displacement_status",
        "displacement_status",
        "Displacement status",
        "Статус переміщення",
        **{MEMBER: "/displacement_status"},
    )
    s.question(
        "select_multiple disability",
        "disabilities",
        "Functional difficulties",
        "Функціональні труднощі",
        **{MEMBER: "/disabilities"},
    )
    s.question(
        "select_one age_band",
        "age_band",
        "Age band at the first incident",
        "Вікова група на час першого інциденту",
        **{MEMBER: "/age_at_first_incident/band"},
    )
    s.question(
        "integer",
        "age_years",
        "Age in years at the first incident",
        "Вік у роках на час першого інциденту",
        relevant="${age_band} != ''",
        **_rule(_age_within_band(), "The age must fall in the age band", "Вік має бути у віковій групі"),
        **{MEMBER: "/age_at_first_incident/years"},
    )
    s.question(
        "select_one yes_no",
        "age_estimated",
        "Is the age an estimate?",
        "Вік оцінено приблизно?",
        relevant="${age_band} != ''",
        **{MEMBER: "/age_at_first_incident/estimated"},
    )
    s.question("calculate", "youngest_age", "", "", calculation=_youngest_age())
    s.end("end_group")


def _incidents(s: FormSheets) -> None:
    s.question("begin_repeat", "incidents", "Incident", "Інцидент", **{MEMBER: "/incidents"})
    s.question(
        "text",
        "incident_id",
        "Incident identifier",
        "Ідентифікатор інциденту",
        **_required("Give the incident identifier", "Вкажіть ідентифікатор інциденту"),
        **_regex(
            LOCAL_ID_PATTERN, "Letters, digits, '.', '_', ':', '-'", "Літери, цифри, '.', '_', ':', '-'"
        ),
        **{MEMBER: "/incident_id"},
    )
    s.question(
        "select_one date_precision",
        "start_precision",
        "How precisely is the first day known?",
        "Наскільки точно відомий перший день?",
        required="yes",
        default="day",
        **{MEMBER: "/incident_date/start"},
    )
    s.question(
        "date",
        "incident_start",
        "Date of the incident (first day; any day of the year or month when only those are known)",
        "Дата інциденту (перший день; будь-який день року чи місяця, якщо відомі лише вони)",
        required="yes",
        **_not_in_future(),
        **{MEMBER: "/incident_date/start"},
    )
    s.question("calculate", "incident_year", "", "", calculation=_year("${incident_start}"))
    s.question(
        "select_one date_precision",
        "end_precision",
        "If it lasted: how precisely is the last day known?",
        "Якщо тривав: наскільки точно відомий останній день?",
        # Asked before the last day (its constraint compares at this precision), so not hidden by it;
        # without a last day the answer is ignored.
        default="day",
        **{MEMBER: "/incident_date/end"},
    )
    s.question(
        "date",
        "incident_end",
        "Last day, if it lasted",
        "Останній день, якщо тривав",
        **_rule(
            _not_before("incident_start", "start_precision", "end_precision") + " and . <= today()",
            "Not before the first day, and not in the future",
            "Не раніше першого дня і не в майбутньому",
        ),
        **{MEMBER: "/incident_date/end"},
    )
    s.question(
        "select_one yes_no",
        "date_estimated",
        "Are the dates estimates?",
        "Дати оцінено приблизно?",
        **{MEMBER: "/incident_date/estimated"},
    )
    s.question(
        "date",
        "reported_on",
        "Reported on",
        "Дата повідомлення",
        **_rule(
            _not_before("incident_start", "start_precision", None) + " and . <= today()",
            "Not before the incident, and not in the future",
            "Не раніше інциденту і не в майбутньому",
        ),
        **{MEMBER: "/reported_on"},
    )
    _location(s)
    s.question(
        "select_multiple incident_context",
        "contexts",
        "Context",
        "Контекст",
        required="yes",
        **{MEMBER: "/contexts"},
    )
    s.question("begin_repeat", "acts", "Form of violence", "Форма насильства", **{MEMBER: "/acts"})
    s.question(
        "select_one form_of_violence",
        "form",
        "Form of violence",
        "Форма насильства",
        required="yes",
        **{MEMBER: "/form"},
    )
    s.question(
        "select_one yes_no",
        "repeated",
        "Suffered more than once in this incident?",
        "Зазнано більше одного разу в цьому інциденті?",
        **{MEMBER: "/repeated"},
    )
    s.end("end_repeat")
    s.end("end_repeat")
    # The record rule counts a child's years from the earliest incident's year.
    s.question("calculate", "first_incident_year", "", "", calculation="min(${incident_year})")


def _location(s: FormSheets) -> None:
    s.question(
        "select_one country",
        "country",
        "Country",
        "Країна",
        required="yes",
        default="UA",
        **{MEMBER: "/location/country"},
    )
    s.question(
        "select_one ua_subdivision",
        "subdivision",
        "Oblast",
        "Область",
        relevant="${country} = 'UA'",
        **{MEMBER: "/location/subdivision"},
    )
    s.question(
        "select_one raion",
        "raion",
        "Raion (KATOTTH)",
        "Район (КАТОТТГ)",
        relevant="${subdivision} != ''",
        choice_filter="oblast = ${subdivision}",
        **{MEMBER: "/location/katotth"},
    )
    s.question(
        "select_one hromada",
        "hromada",
        "Hromada (KATOTTH)",
        "Громада (КАТОТТГ)",
        relevant="${raion} != ''",
        choice_filter="raion = ${raion}",
        **{MEMBER: "/location/katotth"},
    )
    s.question(
        "select_one territory_control_status",
        "control_status",
        "Who controlled the territory on that date",
        "Хто контролював територію на ту дату",
        required="yes",
        **_rule(
            "(${country} = 'UA' and . != 'outside_ukraine')"
            " or (${country} != 'UA' and . = 'outside_ukraine')",
            "'Outside Ukraine' exactly for a place outside Ukraine",
            "«Поза Україною» лише для місця поза Україною",
        ),
        **{MEMBER: "/location/control_status"},
    )


def _child_on_decision_day() -> str:
    years_since = f"{_year('${given_on}')} - ${{first_incident_year}} - 1"
    return (
        f"if(${{youngest_age}} != '' and "
        f"${{youngest_age}} + if({years_since} > 0, {years_since}, 0) < {ADULT_AGE}, 'yes', 'no')"
    )


def _consents(s: FormSheets) -> None:
    s.question(
        "begin_repeat",
        "consents",
        "Consent (one purpose, one recipient)",
        "Згода (одна мета, один отримувач)",
        **{MEMBER: "/consents"},
    )
    s.question(
        "text",
        "consent_id",
        "Consent identifier",
        "Ідентифікатор згоди",
        **_required("Give the consent identifier", "Вкажіть ідентифікатор згоди"),
        **_regex(
            LOCAL_ID_PATTERN, "Letters, digits, '.', '_', ':', '-'", "Літери, цифри, '.', '_', ':', '-'"
        ),
        **{MEMBER: "/consent_id"},
    )
    s.question(
        "select_one consent_purpose", "purpose", "Purpose", "Мета", required="yes", **{MEMBER: "/purpose"}
    )
    s.question(
        "select_one organisation",
        "recipient_organisation",
        "Recipient organisation (leave empty to name a category)",
        "Організація-отримувач (залиште порожнім, щоб вказати категорію)",
        **{MEMBER: "/recipient_organisation"},
    )
    s.question(
        "select_one recipient_category",
        "recipient_category",
        "Category of recipients",
        "Категорія отримувачів",
        relevant="${recipient_organisation} = ''",
        **_required(
            "Name one organisation or one category of recipients",
            "Вкажіть одну організацію або одну категорію отримувачів",
        ),
        **{MEMBER: "/recipient_category"},
    )
    s.question(
        "select_one yes_no",
        "granted",
        "Consent given?",
        "Згоду надано?",
        required="yes",
        **{MEMBER: "/granted"},
    )
    s.question(
        "date",
        "given_on",
        "Decided on",
        "Дата рішення",
        required="yes",
        **_not_in_future(),
        **{MEMBER: "/given_on"},
    )
    s.question("calculate", "is_child", "", "", calculation=_child_on_decision_day())
    s.question(
        "select_one consent_method",
        "method",
        "How it was recorded",
        "Як зафіксовано",
        required="yes",
        **{MEMBER: "/method"},
    )
    s.question(
        "select_one consent_given_by",
        "given_by",
        "Given by",
        "Ким надано",
        required="yes",
        **{
            HINT_EN: "A child's consent is given by a parent or guardian, unless a reason is recorded",
            HINT_UK: "За дитину згоду надає один із батьків чи опікун, якщо не зафіксовано причину",
            MEMBER: "/given_by",
        },
    )
    s.question(
        "select_one guardian_consent_exception",
        "guardian_exception",
        "Why the child's own consent stands without a guardian's",
        "Чому згода дитини чинна без згоди опікуна",
        relevant="${granted} = 'yes' and ${given_by} = 'self' and ${is_child} = 'yes'",
        **_required(
            "The survivor may have been a child: choose a parent or guardian as giver, or record the reason",
            "Особа могла бути дитиною: оберіть одного з батьків чи опікуна або зафіксуйте причину",
        ),
        **{MEMBER: "/guardian_exception"},
    )
    s.question(
        "date",
        "withdrawn_on",
        "Withdrawn on (if withdrawn)",
        "Дата відкликання (якщо відкликано)",
        relevant="${granted} = 'yes'",
        **_rule(
            ". >= ${given_on} and . <= today()",
            "Not before the consent was given, and not in the future",
            "Не раніше надання згоди і не в майбутньому",
        ),
        **{MEMBER: "/withdrawn_on"},
    )
    s.end("end_repeat")


def _proceedings(s: FormSheets) -> None:
    s.question(
        "begin_repeat",
        "proceedings",
        "Criminal proceeding",
        "Кримінальне провадження",
        **{MEMBER: "/proceedings"},
    )
    s.question(
        "text",
        "proceeding_id",
        "Proceeding identifier",
        "Ідентифікатор провадження",
        **_required("Give the proceeding identifier", "Вкажіть ідентифікатор провадження"),
        **_regex(
            LOCAL_ID_PATTERN, "Letters, digits, '.', '_', ':', '-'", "Літери, цифри, '.', '_', ':', '-'"
        ),
        **{MEMBER: "/proceeding_id"},
    )
    s.question(
        "select_one jurisdiction",
        "jurisdiction",
        "Jurisdiction",
        "Юрисдикція",
        required="yes",
        **{MEMBER: "/jurisdiction"},
    )
    s.question(
        "date",
        "registered_on",
        "Registered on",
        "Дата реєстрації",
        required="yes",
        **_not_in_future(),
        **{MEMBER: "/registered_on"},
    )
    s.question(
        "text",
        "erdr_number",
        "ERDR number",
        "Номер ЄРДР",
        relevant="${jurisdiction} = 'ua_national'",
        **_rule(
            f"regex(., '{ERDR_PATTERN}') and int(substr(., 1, 5)) <= {_year('${registered_on}')}",
            "17 digits: a non-zero first digit, a year from 2012 not after the registration, then 12 digits",
            "17 цифр: ненульова перша цифра, рік від 2012 і не пізніше реєстрації, потім 12 цифр",
        ),
        **{MEMBER: "/erdr_number"},
    )
    s.question(
        "select_one proceeding_stage", "stage", "Stage", "Стадія", required="yes", **{MEMBER: "/stage"}
    )
    s.question(
        "date",
        "stage_on",
        "Stage reached on",
        "Дата досягнення стадії",
        **_rule(
            ". >= ${registered_on} and . <= today()",
            "Not before the registration, and not in the future",
            "Не раніше реєстрації і не в майбутньому",
        ),
        **{MEMBER: "/stage_on"},
    )
    s.question(
        "select_multiple criminal_code_article",
        "articles",
        "Articles of the Criminal Code",
        "Статті Кримінального кодексу",
        **{MEMBER: "/articles"},
    )
    # A select of the incident ids typed above would be the natural question, but pyxform 4.5 cannot
    # compile a select_multiple from a repeat: the ids are typed, space-separated, and checked.
    s.question(
        "text",
        "incident_ids",
        "Incident identifiers it covers (separated by spaces)",
        "Ідентифікатори інцидентів, яких воно стосується (через пробіл)",
        **_required("Name at least one incident", "Вкажіть принаймні один інцидент"),
        **_regex(
            r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}( [A-Za-z0-9][A-Za-z0-9._:-]{0,63})*$",
            "Incident identifiers separated by single spaces",
            "Ідентифікатори інцидентів через один пробіл",
        ),
        **{MEMBER: "/incident_ids", SHAPE: "list"},
    )
    s.end("end_repeat")


def case_form() -> FormSheets:
    """The case intake form: provenance, survivor, incidents with acts, consents, proceedings."""
    s = FormSheets(
        settings={
            "form_title": "crsvdata case intake",
            "form_id": "crsvdata_case",
            "version": "2",
            "default_language": "English (en)",
            "namespaces": NAMESPACE,
        }
    )
    _provenance(s)
    _survivor(s)
    _incidents(s)
    _consents(s)
    _proceedings(s)
    for name in CASE_FORM_LISTS:
        _code_choices(s, name)
    _katotth_choices(s)
    _fixed_choices(s)
    return s


def identity_form() -> FormSheets:
    """The identity form: names, date of birth and contacts, linked by the survivor reference only."""
    s = FormSheets(
        settings={
            "form_title": "crsvdata identity",
            "form_id": "crsvdata_identity",
            "version": "2",
            "default_language": "English (en)",
            "namespaces": NAMESPACE,
        }
    )
    s.question("start", "start", "", "", **{MEMBER: "/recorded_at"})
    s.question(
        "text",
        "holder_organisation",
        "Your organisation's code",
        "Код вашої організації",
        **_required("Give your organisation's code", "Вкажіть код вашої організації"),
        **_regex(
            ORGANISATION_PATTERN,
            "Lower-case letters, digits and '_', e.g. synth_ngo",
            "Малі латинські літери, цифри та '_', напр. synth_ngo",
        ),
        **{MEMBER: "/holder_organisation"},
    )
    s.question(
        "text",
        "survivor_ref",
        "Survivor reference (as in the case form)",
        "Посилання на особу (як у формі справи)",
        **_required("Give the survivor reference", "Вкажіть посилання на особу"),
        **_regex(REF_PATTERN, "Starts with a letter", "Починається з літери"),
        **{MEMBER: "/survivor_ref"},
    )
    s.question("text", "family_name", "Family name", "Прізвище", **{MEMBER: "/name/family_name"})
    s.question("text", "given_name", "Given name", "Ім'я", **{MEMBER: "/name/given_name"})
    s.question("text", "patronymic", "Patronymic", "По батькові", **{MEMBER: "/name/patronymic"})
    s.question(
        "date",
        "date_of_birth",
        "Date of birth",
        "Дата народження",
        **_not_in_future(),
        **{MEMBER: "/date_of_birth"},
    )
    s.question(
        "text",
        "phone",
        "Phone (+380...)",
        "Телефон (+380...)",
        **_regex(r"^\+[1-9][0-9]{7,14}$", "E.164 form, e.g. +380...", "Формат E.164, напр. +380..."),
        **{MEMBER: "/phones/0"},
    )
    return s


def write_xlsform(sheets: FormSheets, path: Path) -> None:
    """Write the three sheets as an .xlsx workbook that pyxform, KoboToolbox and ODK Central read.

    The file appears complete or not at all (``OSError`` when it cannot be written).
    """
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
    with atomic_writer(path, "wb") as handle:
        book.save(handle)
