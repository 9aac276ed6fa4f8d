"""Tests of the code lists: the CSV files, the API in ``crsvdata.codes`` and the generated enums."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import itertools
import re
import shutil
import socket
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crsvdata import codes as codelists
from crsvdata.codes import (
    BASE_COLUMNS,
    DEFAULT_CODE_PATTERN,
    Code,
    CodeList,
    UnknownCodeError,
    UnknownCodeListError,
    crosswalk_values,
    crosswalks,
    is_deprecated,
    label,
    load,
    names,
    parse_code_list,
)
from crsvdata.codes.enums import (
    ENUMS,
    CriminalCodeArticle,
    FormOfViolence,
    IccEocCrime,
    KatotthCategory,
    Sex,
    UaSubdivision,
)
from crsvdata.version import STANDARD_VERSION
from tools import codes as gen
from tools import manage as dev

DATA_DIR = gen.DATA_DIR
ALL_NAMES = names()
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

# Lists written by `refresh-iso`; their rows may have an empty description (the name says it all).
VENDORED = frozenset({"country", "currency", "language", "ua_subdivision"})

# Lists whose codes follow an external form rather than crsvdata's snake_case. A list not named here must
# use the default pattern, so nobody loosens the code form of a crsvdata list by accident.
EXTERNAL_CODE_FORMS = frozenset(
    {
        "icc_eoc_crime",
        "icc_related_crime",
        "rd4u_category",
        "criminal_code_article",
        "katotth_category",
        "country",
        "currency",
        "language",
        "ua_subdivision",
        "huridocs_act_type",
        "huridocs_method_of_violence",
        "huridocs_perpetrator_type",
    }
)

# Codes other modules of crsvdata rely on: they must exist with exactly this spelling.
REQUIRED_CODES: dict[str, set[str]] = {
    "sex": {"female", "male", "other", "unknown"},
    "age_band": {"age_0_11", "age_12_17", "age_18_25", "age_26_40", "age_41_60", "age_61_plus"},
    "survivor_status": {"civilian", "prisoner_of_war", "civilian_detainee", "unknown"},
    "displacement_status": {
        "not_displaced",
        "internally_displaced",
        "refugee_or_abroad",
        "returnee",
        "unknown",
    },
    "disability": {
        "none",
        "seeing",
        "hearing",
        "mobility",
        "cognition",
        "self_care",
        "communication",
        "psychosocial",
        "unknown",
    },
    "form_of_violence": {
        "rape",
        "gang_rape",
        "attempted_rape",
        "sexual_assault_non_penetrative",
        "threat_of_rape_or_sexual_violence",
        "forced_nudity",
        "prolonged_forced_nudity",
        "invasive_strip_search",
        "genital_violence_electrocution",
        "genital_violence_beating",
        "genital_violence_burn",
        "genital_mutilation",
        "forced_to_witness_sexual_violence",
        "sexual_slavery",
        "forced_prostitution",
        "forced_marriage",
        "forced_pregnancy",
        "forced_abortion",
        "enforced_sterilization",
        "intentional_sti_infection",
        "trafficking_for_sexual_exploitation",
        "sexual_harassment",
        "other",
    },
    "icc_eoc_crime": {
        f"{prefix}-{n}" for prefix in ("7(1)(g)", "8(2)(b)(xxii)", "8(2)(e)(vi)") for n in range(1, 7)
    },
    "rd4u_category": {"A1.1", "A2.3", "A2.4", "A2.5", "A2.6", "A2.7", "A2.8", "A2.9"},
    "incident_context": {
        "occupation",
        "detention_or_filtration",
        "checkpoint",
        "hostilities",
        "deportation_or_forcible_transfer",
        "house_search",
        "displacement_or_flight",
        "captivity_as_pow",
        "other",
        "unknown",
    },
    "territory_control_status": {
        "government_controlled",
        "temporarily_occupied",
        "active_hostilities",
        "outside_ukraine",
        "unknown",
    },
    "conflict_nexus_indicator": {
        "perpetrator_profile_armed_actor",
        "victim_profile_targeted_group",
        "victim_profile_sogi",
        "climate_of_impunity",
        "cross_border_displacement_or_trafficking",
        "ceasefire_violation",
        "temporal_link",
        "geographic_link",
        "causal_link",
    },
    "perpetrator_category": {
        "state_armed_forces",
        "state_security_or_law_enforcement",
        "penitentiary_or_detention_staff",
        "affiliated_armed_group",
        "non_state_armed_group",
        "occupation_administration",
        "private_individual",
        "unknown",
    },
    "consent_purpose": {
        "services",
        "referral",
        "investigation_prosecution",
        "international_court",
        "reparations",
        "un_reporting",
        "statistics",
        "research",
        "media_or_advocacy",
    },
    "consent_method": {"written", "oral_recorded", "oral_witnessed", "electronic"},
    "consent_given_by": {"self", "parent_or_guardian", "legal_representative", "court_appointed_guardian"},
    "recipient_category": {
        "service_providers",
        "health_providers",
        "law_enforcement",
        "prosecution",
        "courts",
        "un_agencies",
        "reparations_bodies",
        "researchers",
        "any",
    },
    "service_sector": {
        "clinical_management_of_rape",
        "sexual_reproductive_health",
        "mhpss",
        "legal_aid",
        "shelter",
        "livelihoods",
        "case_management",
        "forensic_medical_examination",
        "interim_reparation_payment",
        "rehabilitation",
        "other",
    },
    "referral_outcome": {
        "pending",
        "service_provided",
        "declined_by_survivor",
        "service_unavailable",
        "not_eligible",
        "lost_contact",
        "unknown",
    },
    "proceeding_stage": {
        "registered",
        "pre_trial_investigation",
        "notice_of_suspicion",
        "indictment_sent_to_court",
        "trial",
        "conviction",
        "acquittal",
        "closed_without_indictment",
        "suspended",
        "unknown",
    },
    "jurisdiction": {"ua_national", "icc", "foreign_universal_jurisdiction", "other_international"},
    "criminal_code_article": {
        "438",
        "442-1",
        "442",
        "437",
        "152",
        "153",
        "154",
        "155",
        "156",
        "127",
        "149",
        "146",
        "303",
        "433",
        "434",
    },
    "reparation_programme": {
        "gsf_interim_reparations_pilot",
        "ua_law_4067_ix_status",
        "ua_law_4067_ix_interim_reparation",
        "rd4u_claim",
        "other",
    },
    "reparation_status": {"submitted", "under_review", "eligible", "granted", "refused", "paid", "withdrawn"},
    "reparation_form": {
        "one_off_payment",
        "medical",
        "psychological",
        "rehabilitation",
        "legal_aid",
        "housing",
        "other",
    },
    "confidentiality_level": {"restricted", "confidential", "strictly_confidential"},
    "organisation": {
        "unfpa",
        "un_women",
        "unodc",
        "who",
        "undp",
        "iom",
        "osrsg_svc",
        "ohchr_hrmmu",
        "unicef",
        "ua_office_prosecutor_general",
        "ua_national_police",
        "ua_government_commissioner_gender_policy",
        "ua_ministry_social_policy",
        "ua_ministry_health",
        "ua_ombudsman",
        "ua_free_legal_aid_system",
        "global_survivors_fund",
        "icc_otp",
        "council_of_europe_rd4u",
    },
    "affected_person_role": {"direct_victim", "witness", "family_member"},
    "verification_status": {"alleged", "reported", "verified_un", "verified_other", "unverified", "rejected"},
    "identity_document_type": {
        "rnokpp",
        "unzr",
        "passport_booklet",
        "id_card",
        "foreign_passport",
        "birth_certificate",
        "other",
    },
    "katotth_category": {"O", "K", "P", "H", "M", "T", "C", "X", "B"},
    "country": {"UA", "RU", "BY", "PL", "MD", "DE", "US"},
    "currency": {"UAH", "EUR", "USD"},
    "language": {"uk", "ru", "en", "crh"},
    "gbvims_core_type": {
        "rape",
        "sexual_assault",
        "physical_assault",
        "forced_marriage",
        "denial_of_resources_opportunities_or_services",
        "psychological_emotional_abuse",
    },
}

# The 27 ISO 3166-2:UA codes (domain-standards.md 4.3), with the KATOTTH first-level prefix of each.
UA_SUBDIVISION_KATOTTH = {
    "UA-43": "UA01",
    "UA-05": "UA05",
    "UA-07": "UA07",
    "UA-12": "UA12",
    "UA-14": "UA14",
    "UA-18": "UA18",
    "UA-21": "UA21",
    "UA-23": "UA23",
    "UA-26": "UA26",
    "UA-32": "UA32",
    "UA-35": "UA35",
    "UA-09": "UA44",
    "UA-46": "UA46",
    "UA-48": "UA48",
    "UA-51": "UA51",
    "UA-53": "UA53",
    "UA-56": "UA56",
    "UA-59": "UA59",
    "UA-61": "UA61",
    "UA-63": "UA63",
    "UA-65": "UA65",
    "UA-68": "UA68",
    "UA-71": "UA71",
    "UA-77": "UA73",
    "UA-74": "UA74",
    "UA-30": "UA80",
    "UA-40": "UA85",
}


def _csv_path(name: str) -> Path:
    return DATA_DIR / f"{name}.csv"


def _rows(code_list: CodeList) -> Iterator[Code]:
    return iter(code_list.rows)


# ---------------------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------------------


def test_catalogue_lists_exactly_the_csv_files() -> None:
    files = {path.stem for path in DATA_DIR.glob("*.csv") if not path.name.startswith("_")}
    assert set(ALL_NAMES) == files
    assert len(ALL_NAMES) == len(set(ALL_NAMES))
    assert {path.name for path in DATA_DIR.glob("_*")} == {
        "_catalogue.csv",
        "_crosswalks.csv",
        "_descriptions_uk.csv",
        "_crosswalk_conditions.csv",
    }


@pytest.mark.parametrize("filename", sorted(path.name for path in DATA_DIR.glob("*.csv")))
def test_csv_file_is_canonical_utf8_lf(filename: str) -> None:
    raw = (DATA_DIR / filename).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw, "LF line ends only"
    text = raw.decode("utf-8")
    assert text.endswith("\n")
    header, rows = codelists.read_csv_text(text)
    # Re-serialising must give the same text: one quoting style, so diffs of the lists stay readable.
    assert gen.format_csv(header, [[row[column] for column in header] for row in rows]) == text
    for row in rows:
        for column, cell in row.items():
            assert cell == cell.strip(), f"{filename}: {column} has surrounding whitespace: {cell!r}"
            assert "  " not in cell, f"{filename}: {column}: double space in {cell!r}"
            assert "\n" not in cell, f"{filename}: {column}: line break in {cell!r}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_header(name: str) -> None:
    header, _ = codelists.read_csv_text(_csv_path(name).read_text(encoding="utf-8"))
    assert header[: len(BASE_COLUMNS)] == ("code", "label_en", "label_uk", "description", "deprecated")
    extra = header[len(BASE_COLUMNS) :]
    assert len(set(header)) == len(header)
    assert all(re.fullmatch(DEFAULT_CODE_PATTERN, column) for column in extra)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_codes_unique_and_in_the_code_form(name: str) -> None:
    code_list = load(name)
    all_codes = [row.code for row in code_list.rows]
    assert len(all_codes) == len(set(all_codes)), "duplicate codes"
    assert all_codes, "empty list"
    if name not in EXTERNAL_CODE_FORMS:
        assert code_list.code_pattern == DEFAULT_CODE_PATTERN
    pattern = re.compile(code_list.code_pattern)
    bad = [code for code in all_codes if not pattern.fullmatch(code)]
    assert not bad, f"codes not matching {code_list.code_pattern}: {bad}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_labels(name: str) -> None:
    for row in _rows(load(name)):
        assert row.label_en, row.code
        assert row.label_uk, row.code
        assert CYRILLIC.search(row.label_uk), f"{name}:{row.code}: Ukrainian label has no Cyrillic"
        assert not CYRILLIC.search(row.label_en), f"{name}:{row.code}: English label has Cyrillic"
        assert row.label_uk != row.label_en, row.code
        # Labels stand alone (dropdowns, reports), so they start with a capital or a digit.
        assert not row.label_en[0].islower(), row.code
        assert not row.label_uk[0].islower(), row.code
        # House style: the typographic apostrophe, so one word is always spelled the same way.
        assert "'" not in row.label_uk, f"{name}:{row.code}: use ’ in {row.label_uk!r}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_descriptions_are_english_sentences(name: str) -> None:
    for row in _rows(load(name)):
        if not row.description:
            assert name in VENDORED, f"{name}:{row.code} needs a description"
            continue
        assert not CYRILLIC.search(row.description), f"{name}:{row.code}: descriptions are in English"
        assert row.description[0].isupper(), f"{name}:{row.code}"
        assert row.description.endswith("."), f"{name}:{row.code}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_deprecated_is_a_standard_version_not_in_the_future(name: str) -> None:
    current = tuple(int(part) for part in STANDARD_VERSION.split(".")[:2])
    for row in _rows(load(name)):
        if row.deprecated is None:
            continue
        match = VERSION.fullmatch(row.deprecated)
        assert match, f"{name}:{row.code}: deprecated must be X.Y, not {row.deprecated!r}"
        assert (int(match[1]), int(match[2])) <= current, f"{name}:{row.code}"


def test_catalogue_entries() -> None:
    for name in ALL_NAMES:
        code_list = load(name)
        assert code_list.title_en, name
        assert code_list.description, name
        assert code_list.source, name
        assert CYRILLIC.search(code_list.title_uk), name
        re.compile(code_list.code_pattern)
        assert code_list.member_prefix == "" or re.fullmatch(r"[A-Z][A-Z0-9]*", code_list.member_prefix)
    # Only organisations are an open list; every other list is closed (an unknown code is an error).
    assert {name for name in ALL_NAMES if load(name).open} == {"organisation"}
    assert {name for name in ALL_NAMES if load(name).source.startswith("pycountry ")} == VENDORED


@pytest.mark.parametrize(("name", "required"), sorted(REQUIRED_CODES.items()))
def test_required_codes_exist(name: str, required: set[str]) -> None:
    assert required <= load(name).codes, sorted(required - load(name).codes)


# ---------------------------------------------------------------------------------------------------------
# Crosswalks
# ---------------------------------------------------------------------------------------------------------


def test_crosswalk_declarations_point_at_real_lists_and_columns() -> None:
    declared = crosswalks()
    assert declared
    seen = set()
    for crosswalk in declared:
        assert (crosswalk.list, crosswalk.column) not in seen
        seen.add((crosswalk.list, crosswalk.column))
        assert crosswalk.column in load(crosswalk.list).extra_columns, crosswalk
        assert crosswalk.target in ALL_NAMES, crosswalk
    assert {c.column for c in crosswalks("form_of_violence")} == {
        "icc_eoc",
        "icc_related",
        "ua_criminal_code",
        "gbvims_core_type",
        "mrm_form",
        "rd4u_category",
        "un_crsv_form",
        "huridocs_mt",
        "huridocs_method",
    }


@pytest.mark.parametrize("crosswalk", crosswalks(), ids=lambda c: f"{c.list}.{c.column}")
def test_crosswalk_values_are_codes_of_the_target(crosswalk: codelists.Crosswalk) -> None:
    target = load(crosswalk.target).codes
    for row in _rows(load(crosswalk.list)):
        cell = row.extra[crosswalk.column]
        values = cell.split(" ") if cell else []
        assert all(values), f"{crosswalk.list}:{row.code}: stray spaces in {cell!r}"
        assert len(values) == len(set(values)), f"{crosswalk.list}:{row.code}: repeated value"
        if not crosswalk.multiple:
            assert len(values) <= 1, f"{crosswalk.list}:{row.code}: one value only"
        unknown = set(values) - target
        assert not unknown, (
            f"{crosswalk.list}:{row.code}.{crosswalk.column}: not in {crosswalk.target}: {unknown}"
        )


def test_icc_crosswalk_names_all_three_contexts_of_one_conduct() -> None:
    # An act that may be charged as, say, rape may be so as a crime against humanity and as a war crime in
    # either kind of armed conflict; listing only some of the three would be an accident.
    for row in load("form_of_violence"):
        values = crosswalk_values("form_of_violence", row.code, "icc_eoc")
        if not values:
            continue
        suffixes = {value.rsplit("-", 1)[1] for value in values}
        assert len(suffixes) == 1, row.code
        (suffix,) = suffixes
        assert set(values) == {f"{p}-{suffix}" for p in ("7(1)(g)", "8(2)(b)(xxii)", "8(2)(e)(vi)")}


# The ICC Elements of Crimes count trafficking as sexual slavery (footnote to art. 7(1)(g)-2); the UN
# definition names it as a form of its own. That one form may disagree, in exactly that way.
ICC_UN_EXCEPTIONS = {("trafficking_for_sexual_exploitation", "trafficking_for_sexual_purposes")}


def test_icc_and_un_crosswalks_agree() -> None:
    for row in load("form_of_violence"):
        if (row.code, row.extra["un_crsv_form"]) in ICC_UN_EXCEPTIONS:
            assert set(crosswalk_values("form_of_violence", row.code, "icc_eoc")) == {
                "7(1)(g)-2",
                "8(2)(b)(xxii)-2",
                "8(2)(e)(vi)-2",
            }
            continue
        for icc in crosswalk_values("form_of_violence", row.code, "icc_eoc"):
            via_icc = load("icc_eoc_crime").get(icc).extra["un_crsv_form"]
            assert row.extra["un_crsv_form"] == via_icc, (row.code, icc)


def test_icc_codes_carry_their_provision_and_conduct() -> None:
    un_by_suffix = {
        "1": "rape",
        "2": "sexual_slavery",
        "3": "forced_prostitution",
        "4": "forced_pregnancy",
        "5": "enforced_sterilization",
        "6": "other_sexual_violence_comparable_gravity",
    }
    icc = load("icc_eoc_crime")
    assert len(icc) == 18
    for row in icc:
        provision, suffix = row.code.rsplit("-", 1)
        assert row.extra["provision"] == provision
        assert row.extra["un_crsv_form"] == un_by_suffix[suffix]


def test_crosswalk_values_api() -> None:
    assert crosswalk_values("form_of_violence", "rape", "ua_criminal_code") == ("438", "152", "155", "434")
    assert crosswalk_values("form_of_violence", "other", "icc_eoc") == ()
    with pytest.raises(KeyError):
        crosswalk_values("form_of_violence", "rape", "no_such_column")
    with pytest.raises(UnknownCodeError):
        crosswalk_values("form_of_violence", "no_such_code", "icc_eoc")
    with pytest.raises(UnknownCodeListError):
        crosswalks("no_such_list")


# ---------------------------------------------------------------------------------------------------------
# List-specific content
# ---------------------------------------------------------------------------------------------------------


def _bands() -> list[tuple[str, int, int | None]]:
    # Every row is a band: an unknown age is recorded by leaving the age out, not as a band, so that code
    # reading min_age can rely on it.
    bands = []
    for row in load("age_band"):
        high = row.extra["max_age"]
        bands.append((row.code, int(row.extra["min_age"]), int(high) if high else None))
    return bands


def test_age_bands_partition_0_to_120() -> None:
    bands = sorted(_bands(), key=lambda band: band[1])
    assert bands[0][1] == 0
    for (code, _, high), (next_code, next_low, _) in itertools.pairwise(bands):
        assert high is not None, f"only the last band may be open-ended, not {code}"
        assert next_low == high + 1, f"gap or overlap between {code} and {next_code}"
    assert bands[-1][2] is None or bands[-1][2] >= 120


@given(st.integers(min_value=0, max_value=120))
def test_every_age_falls_in_exactly_one_band(age: int) -> None:
    matching = [code for code, low, high in _bands() if low <= age and (high is None or age <= high)]
    assert len(matching) == 1, (age, matching)


def test_ua_subdivisions_are_the_27_iso_codes_with_katotth_prefixes() -> None:
    subdivisions = load("ua_subdivision")
    assert {row.code: row.extra["katotth_prefix"] for row in subdivisions} == UA_SUBDIVISION_KATOTTH
    iso_regex = re.compile(r"^UA-(0[579]|1[248]|2[136]|3[025]|4[0368]|5[1369]|6[1358]|7[147])$")
    assert all(iso_regex.fullmatch(code) for code in subdivisions.codes)
    assert subdivisions.get("UA-43").extra["type"] == "Republic"
    assert {row.code for row in subdivisions if row.extra["type"] == "City"} == {"UA-30", "UA-40"}
    # The cities must not share a label with their oblast (Kyiv city vs Kyiv oblast).
    assert len({row.label_uk for row in subdivisions}) == 27


def test_vendored_iso_lists_look_right() -> None:
    countries = load("country")
    assert len(countries) >= 249
    assert label("country", "UA", "uk") == "Україна"
    assert all(re.fullmatch(r"[A-Z]{3}", row.extra["alpha_3"]) for row in countries)
    assert countries.get("UA").extra["alpha_3"] == "UKR"
    assert all(re.fullmatch(r"[0-9]{3}", row.extra["numeric"]) for row in load("currency"))
    assert label("currency", "UAH", "uk") == "Гривня"
    languages = load("language")
    assert all(re.fullmatch(r"[a-z]{3}", row.extra["alpha_3"]) for row in languages)
    # Two-letter codes where ISO 639-1 has them; three letters only for the listed languages of Ukraine.
    assert {row.code for row in languages if len(row.code) == 3} == set(gen.EXTRA_LANGUAGES)
    assert label("language", "la", "uk") == "Латинська"  # pycountry says "латиниця", the script


def test_ranked_and_levelled_attributes() -> None:
    ranks = [int(row.extra["rank"]) for row in load("confidentiality_level")]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    levels = {row.code: row.extra["level"] for row in load("katotth_category")}
    assert levels["O"] == levels["K"] == "1"
    assert levels["B"] == "additional"
    assert set(levels.values()) == {"1", "2", "3", "4", "additional"}


# ---------------------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------------------


def test_load_returns_a_cached_immutable_code_list() -> None:
    sex = load("sex")
    assert sex is load("sex")
    assert sex.name == "sex"
    assert not sex.open
    assert [row.code for row in sex] == ["female", "male", "other", "unknown"]
    assert len(sex) == 4
    assert "female" in sex
    assert "woman" not in sex
    assert sex.get("female").label("uk") == "Жіноча"
    with pytest.raises(dataclasses.FrozenInstanceError):
        sex.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        sex.get("female").extra["hxl_attribute"] = "+x"  # type: ignore[index]
    assert hash(sex.get("female")) == hash(load("sex").get("female"))


def test_unknown_list_raises_a_clear_key_error() -> None:
    with pytest.raises(UnknownCodeListError) as info:
        load("no_such_list")
    assert isinstance(info.value, KeyError)
    assert "unknown code list 'no_such_list'" in str(info.value)
    with pytest.raises(KeyError):
        codelists.codes("no_such_list")


def test_label_is_deprecated_and_codes() -> None:
    assert label("form_of_violence", "rape") == "Rape"
    assert label("form_of_violence", "rape", "uk") == "Зґвалтування"
    assert label("criminal_code_article", "438", lang="uk") == "Порушення законів та звичаїв війни"
    with pytest.raises(ValueError, match="unsupported label language"):
        label("sex", "female", "de")  # type: ignore[arg-type]
    with pytest.raises(UnknownCodeError) as info:
        label("sex", "woman")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "a value is not a code of code list 'sex'"
    assert info.value.value == "woman"
    assert info.value.code == "schema.enum"
    assert is_deprecated("sex", "female") is False
    with pytest.raises(UnknownCodeError):
        is_deprecated("sex", "woman")
    assert codelists.codes("jurisdiction") == frozenset(
        {"ua_national", "icc", "foreign_universal_jurisdiction", "other_international"}
    )


def test_deprecated_column_is_parsed() -> None:
    entry = {
        "name": "demo",
        "title_en": "Demo",
        "title_uk": "Демо",
        "description": "A demo list.",
        "open": "false",
        "source": "test",
        "code_pattern": "",
        "member_prefix": "",
    }
    text = (
        "code,label_en,label_uk,description,deprecated,x\nold,Old,Старий,Old.,1.1,a\nnew,New,Новий,New.,,\n"
    )
    demo = parse_code_list(entry, text)
    assert demo.get("old").deprecated == "1.1"
    assert demo.get("old").is_deprecated
    assert demo.get("new").deprecated is None
    assert not demo.get("new").is_deprecated
    assert demo.extra_columns == ("x",)
    assert demo.code_pattern == DEFAULT_CODE_PATTERN
    with pytest.raises(ValueError, match="header must start with"):
        parse_code_list(entry, "code,label,label_uk,description,deprecated\n")
    with pytest.raises(ValueError, match="cells"):
        parse_code_list(entry, "code,label_en,label_uk,description,deprecated\na,A,А\n")
    with pytest.raises(ValueError, match="'open' must be 'true' or 'false'"):
        parse_code_list({**entry, "open": "yes"}, text)


def test_loading_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ALL_NAMES:
        assert load.__wrapped__(name).rows  # bypass the cache: really read the file again


# ---------------------------------------------------------------------------------------------------------
# Generated enums
# ---------------------------------------------------------------------------------------------------------


def test_enums_py_is_in_sync_with_the_csv_files() -> None:
    expected = gen.render_enums()
    actual = gen.ENUMS_PATH.read_text(encoding="utf-8")
    assert actual == expected, "enums.py is out of date: run `python -m tools.manage codes`"


def test_enums_cover_every_list() -> None:
    assert list(ENUMS) == list(ALL_NAMES)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_enum_values_are_the_csv_codes_in_order(name: str) -> None:
    enum = ENUMS[name]
    assert issubclass(enum, StrEnum)
    assert [member.value for member in enum] == [row.code for row in load(name)]
    assert enum.__name__ == gen.class_name(name)


def test_class_and_member_names() -> None:
    assert gen.class_name("sex") == "Sex"
    assert gen.class_name("form_of_violence") == "FormOfViolence"
    assert gen.class_name("ua_subdivision") == "UaSubdivision"
    assert CriminalCodeArticle.ART_438.value == "438"
    assert CriminalCodeArticle.ART_442_1.value == "442-1"
    assert UaSubdivision.UA_14.value == "UA-14"
    assert IccEocCrime.ICC_8_2_B_XXII_1.value == "8(2)(b)(xxii)-1"
    assert KatotthCategory.O.value == "O"
    assert FormOfViolence("rape") is FormOfViolence.RAPE
    female: str = Sex.FEMALE  # a StrEnum member is the code itself wherever a str is expected
    assert female == "female"
    assert f"{Sex.FEMALE}" == "female"


def test_member_name_rules() -> None:
    assert gen.member_name("442-1", "ART") == "ART_442_1"
    assert gen.member_name("A2.4") == "A2_4"
    assert gen.member_name("UA-14") == "UA_14"
    with pytest.raises(ValueError, match="member_prefix"):
        gen.member_name("438")
    with pytest.raises(ValueError, match="member_prefix"):
        gen.member_name("-x")


@given(st.from_regex(DEFAULT_CODE_PATTERN, fullmatch=True))
def test_snake_case_codes_become_their_upper_case(code: str) -> None:
    name = gen.member_name(code)
    assert name.isidentifier()
    assert name == re.sub("_+", "_", code.upper())


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def test_render_refuses_codes_that_collide(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "sex.csv"
    extra_rows = "un_known,Unknown 2,Невідомо 2,One.,,\nun-known,Unknown 3,Невідомо 3,Two.,,\n"
    path.write_text(path.read_text(encoding="utf-8") + extra_rows, encoding="utf-8")
    with pytest.raises(ValueError, match="give one member name"):
        gen.render_enums(data)


def test_check_names_the_command_when_enums_are_stale(tmp_path: Path) -> None:
    stale = tmp_path / "enums.py"
    stale.write_text("# stale\n", encoding="utf-8")
    problems = gen.check_enums(path=stale)
    assert len(problems) == 1
    assert "python -m tools.manage codes" in problems[0]
    assert gen.write_enums(path=stale) is True
    assert gen.check_enums(path=stale) == []
    assert gen.write_enums(path=stale) is False


def test_a_csv_edit_shows_up_in_the_rendered_enums(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "sex.csv"
    extra_row = "declined,Declined to say,Не вказано,Declined.,1.0,\n"
    path.write_text(path.read_text(encoding="utf-8") + extra_row, encoding="utf-8")
    rendered = gen.render_enums(data)
    assert rendered != gen.render_enums()
    assert '    DECLINED = "declined"\n    """Declined to say (deprecated in 1.0)"""\n' in rendered


# ---------------------------------------------------------------------------------------------------------
# The maintainer CLI
# ---------------------------------------------------------------------------------------------------------


def test_dev_check_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert dev.main(["check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_dev_check_fails_and_names_the_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "enums.py"
    stale.write_text("", encoding="utf-8")
    monkeypatch.setitem(dev.CHECKS, "codes", lambda: gen.check_enums(path=stale))
    assert dev.main(["check"]) == 1
    assert "python -m tools.manage codes" in capsys.readouterr().err


def test_dev_parser_has_the_commands() -> None:
    assert set(dev.COMMANDS) >= {"codes", "refresh-iso", "check"}
    with pytest.raises(SystemExit):
        dev.build_parser().parse_args([])
    assert dev.build_parser().parse_args(["refresh-iso"]).command == "refresh-iso"


# ---------------------------------------------------------------------------------------------------------
# Refreshing the vendored ISO lists
# ---------------------------------------------------------------------------------------------------------


def test_merge_keeps_crsvdata_columns_and_never_drops_a_code() -> None:
    existing = (
        "code,label_en,label_uk,description,deprecated,type,katotth_prefix\n"
        "UA-01,Old,Старе,Our note.,,Region,UA99\n"
        "UA-02,Gone,Зникле,,,Region,UA98\n"
    )
    fresh = [
        ("UA-03", "New", "Нове", {"type": "City"}),
        ("UA-01", "Renamed", "Перейменоване", {"type": "Region"}),
    ]
    text, warnings = gen.merge_iso_list("ua_subdivision", fresh, ("type",), existing, "1.1")
    header, rows = codelists.read_csv_text(text)
    assert header == (*BASE_COLUMNS, "type", "katotth_prefix")
    by_code = {row["code"]: row for row in rows}
    assert [row["code"] for row in rows] == ["UA-01", "UA-02", "UA-03"]
    assert by_code["UA-01"]["label_en"] == "Renamed"  # pycountry owns the labels
    assert by_code["UA-01"]["description"] == "Our note."  # crsvdata owns the description
    assert by_code["UA-01"]["katotth_prefix"] == "UA99"  # and its own columns
    assert by_code["UA-02"]["deprecated"] == "1.1"
    assert by_code["UA-02"]["label_en"] == "Gone"
    assert by_code["UA-03"]["katotth_prefix"] == ""
    assert len(warnings) == 1
    assert "UA-02" in warnings[0]


def test_normalise_uk_label() -> None:
    assert gen.normalise_uk_label("в'єтнамська") == "В’єтнамська"
    assert gen.normalise_uk_label("Україна") == "Україна"


def test_refresh_iso_reproduces_the_vendored_lists(tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    version = importlib.metadata.version("pycountry")
    if not load("country").source.startswith(f"pycountry {version} "):
        pytest.skip(f"vendored lists come from another pycountry than the installed {version}")
    data = _copy_data(tmp_path)
    report = gen.refresh_iso(data)
    assert report.changed == []
    assert report.warnings == []
    for name in (*gen.ISO_LISTS, "_catalogue"):
        assert (data / f"{name}.csv").read_bytes() == _csv_path(name).read_bytes()
