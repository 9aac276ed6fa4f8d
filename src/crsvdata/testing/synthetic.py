"""A fast, seeded generator of synthetic data sets (examples and benchmarks).

The hypothesis strategies explore every corner of the standard; this generator instead produces large,
plausible-looking data sets quickly and reproducibly: the same ``seed`` and ``count`` always give the
same records (with a given crsvdata version). Distributions loosely follow public figures (incidents
concentrated in Kherson, Donetsk, Kyiv and Kharkiv oblasts; both women and men as survivors), but every
record is invented: ids start with ``SYNTH-``, names come from ``crsvdata.testing.identity``.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from stdnum.ua import rntrc

from crsvdata.geography import all_katotth_codes, katotth_category, subdivisions
from crsvdata.identifiers import unzr_check_digit
from crsvdata.testing.identity import (
    SYNTHETIC_FAMILY_NAMES,
    SYNTHETIC_GIVEN_NAMES,
    SYNTHETIC_PATRONYMICS,
    SYNTHETIC_SETTLEMENTS,
)
from crsvdata.version import RECORD_STANDARD_VERSION

DEFAULT_SEED: Final = 20240229
"""The seed of the bundled data set: the day the interim reparations pilot was launched."""

_REGION_WEIGHTS: Final = {
    "UA-65": 116, "UA-14": 87, "UA-32": 60, "UA-63": 47, "UA-23": 27, "UA-48": 11, "UA-09": 10,
    "UA-74": 8, "UA-59": 6, "UA-30": 5, "UA-43": 5, "UA-12": 3,
}  # fmt: skip
_FORM_WEIGHTS: Final = {
    "rape": 30, "gang_rape": 8, "attempted_rape": 5, "sexual_assault_non_penetrative": 10,
    "threat_of_rape_or_sexual_violence": 20, "forced_nudity": 25, "prolonged_forced_nudity": 6,
    "invasive_strip_search": 8, "genital_violence_electrocution": 15, "genital_violence_beating": 12,
    "genital_violence_burn": 3, "genital_mutilation": 2, "forced_to_witness_sexual_violence": 6,
    "sexual_slavery": 1, "forced_prostitution": 1, "trafficking_for_sexual_exploitation": 1,
}  # fmt: skip
_CONTEXTS: Final = ("occupation", "detention", "filtration", "checkpoint", "hostilities", "house_search")
_CONTROL: Final = (
    "temporarily_occupied",
    "temporarily_occupied",
    "active_hostilities",
    "government_controlled",
)
_ORGANISATIONS: Final = ("unfpa", "un_women", "iom", "who", "ua_free_legal_aid_system")
_UA_MOBILE_PREFIXES: Final = ("50", "66", "67", "68", "95", "96", "97", "98", "99", "63", "73", "93")
_PURPOSES: Final = (
    "services",
    "statistics",
    "research",
    "investigation_prosecution",
    "reparations",
    "un_reporting",
)
_RECIPIENT_BY_PURPOSE: Final = {
    "services": "service_providers",
    "statistics": "any",
    "research": "researchers",
    "investigation_prosecution": "prosecution",
    "reparations": "reparations_bodies",
    "un_reporting": "un_agencies",
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _katotth(rng: random.Random, iso: str) -> str:
    """A real hromada of the oblast (Kyiv and Sevastopol, which have none, give their own code)."""
    level1 = next(s.katotth for s in subdivisions() if s.iso_3166_2 == iso)
    hromadas = _hromadas_in(level1)
    return rng.choice(hromadas) if hromadas else level1


@functools.cache
def _hromadas_in(level1: str) -> tuple[str, ...]:
    return tuple(
        code for code in all_katotth_codes() if code[:4] == level1[:4] and katotth_category(code) == "H"
    )


def _age(rng: random.Random) -> dict[str, Any]:
    years = rng.choices(
        [
            rng.randint(12, 17),
            rng.randint(18, 25),
            rng.randint(26, 40),
            rng.randint(41, 60),
            rng.randint(61, 80),
        ],
        weights=[4, 12, 40, 34, 10],
    )[0]
    bands = (
        (0, 11, "age_0_11"),
        (12, 17, "age_12_17"),
        (18, 25, "age_18_25"),
        (26, 40, "age_26_40"),
        (41, 60, "age_41_60"),
    )
    band = next((name for low, high, name in bands if low <= years <= high), "age_61_plus")
    age: dict[str, Any] = {"band": band}
    if rng.random() < 0.7:
        age["years"] = years
    if rng.random() < 0.2:
        age["estimated"] = True
    return age


def synthetic_case_record(rng: random.Random, number: int) -> dict[str, Any]:
    """One synthetic case record in its JSON form."""
    source = rng.choice(_ORGANISATIONS)
    incident_day = _day_between(rng, date(2022, 2, 24), date(2025, 6, 30))
    created = _day_between(rng, incident_day + timedelta(days=30), incident_day + timedelta(days=400))
    created_at = datetime.combine(created, time(rng.randint(8, 17), rng.randint(0, 59)), UTC)
    updated_at = created_at + timedelta(days=rng.randint(0, 90))
    iso = _weighted(rng, _REGION_WEIGHTS)
    precision = rng.choices([4, 7, 10], weights=[1, 4, 5])[0]
    location: dict[str, Any] = {"country": "UA", "subdivision": iso, "control_status": rng.choice(_CONTROL)}
    if rng.random() < 0.5:
        location["katotth"] = _katotth(rng, iso)
    forms = sorted({_weighted(rng, _FORM_WEIGHTS) for _ in range(rng.randint(1, 3))})
    incident: dict[str, Any] = {
        "incident_id": "inc-1",
        "incident_date": {"start": incident_day.isoformat()[:precision]},
        "reported_on": created.isoformat(),
        "location": location,
        "contexts": sorted(set(rng.sample(_CONTEXTS, rng.randint(1, 2)))),
        "acts": [{"form": form} for form in forms],
        "perpetrators": [
            {"perpetrator_id": "p1", "category": "state_armed_forces", "affiliation_state": "RU"}
        ],
        "conflict_nexus": ["perpetrator_profile_armed_actor", "temporal_link"],
        "narrative": f"SYNTHETIC narrative {number}: no real event is described here.",
    }
    age = _age(rng)
    child = age["band"] == "age_12_17"
    consents = []
    for index, purpose in enumerate(sorted(set(rng.sample(_PURPOSES, rng.randint(1, 4)))), start=1):
        consents.append(
            {
                "consent_id": f"c{index}",
                "purpose": purpose,
                "recipient_category": _RECIPIENT_BY_PURPOSE[purpose],
                "granted": rng.random() < 0.85,
                "given_on": created.isoformat(),
                "method": "written",
                "given_by": "parent_or_guardian" if child else "self",
            }
        )
    return {
        "document_type": "case-record",
        "record_id": f"SYNTH-{number:06d}",
        "standard_version": RECORD_STANDARD_VERSION,
        "source_organisation": source,
        "created_at": created_at.isoformat(),
        "updated_at": updated_at.isoformat(),
        "confidentiality": "strictly_confidential",
        "survivor": {
            "survivor_ref": f"SYN-SURV-{number:06d}",
            "sex": "male" if rng.random() < 0.55 else "female",
            "age_at_first_incident": age,
            "status": rng.choices(["civilian", "civilian_detainee", "prisoner_of_war"], weights=[70, 20, 10])[
                0
            ],
            "role": "direct_victim",
        },
        "incidents": [incident],
        "consents": consents,
    }


def _rnokpp(rng: random.Random) -> str:
    body = f"{rng.randint(20000, 45000):05d}{rng.randint(0, 9999):04d}"
    return body + rntrc.calc_check_digit(body)


def synthetic_identity_record(rng: random.Random, number: int, holder: str) -> dict[str, Any]:
    """One synthetic identity record in its JSON form, for the survivor of case ``number``."""
    birth = _day_between(rng, date(1950, 1, 1), date(2008, 12, 31))
    unzr_digits = f"{birth:%Y%m%d}{rng.randint(1, 9999):04d}"
    return {
        "document_type": "identity-record",
        "survivor_ref": f"SYN-SURV-{number:06d}",
        "holder_organisation": holder,
        "recorded_at": "2024-01-15T10:00:00+00:00",
        "name": {
            "family_name": rng.choice(SYNTHETIC_FAMILY_NAMES),
            "given_name": rng.choice(SYNTHETIC_GIVEN_NAMES),
            "patronymic": rng.choice(SYNTHETIC_PATRONYMICS),
        },
        "date_of_birth": birth.isoformat(),
        "documents": [
            {"type": "rnokpp", "number": _rnokpp(rng)},
            {"type": "unzr", "number": f"{unzr_digits[:8]}-{unzr_digits[8:]}{unzr_check_digit(unzr_digits)}"},
        ],
        "phones": [f"+380{rng.choice(_UA_MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"],
        "address": {
            "settlement": rng.choice(SYNTHETIC_SETTLEMENTS),
            "street_address": f"вул. Тестова, {rng.randint(1, 200)}",
        },
    }


def synthetic_dataset(
    count: int, seed: int = DEFAULT_SEED
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """``count`` pairs of (case record, identity record) JSON documents, reproducible from ``seed``."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        case = synthetic_case_record(rng, number)
        yield case, synthetic_identity_record(rng, number, case["source_organisation"])
