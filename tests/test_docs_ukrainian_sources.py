"""The Ukrainian sources of the generated reference: every schema description has its translation, and
no translation is kept for a text the schemas no longer use."""

from __future__ import annotations

import json
import re

import crsvdata_reference as reference
from tools import ukrainian

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_every_schema_description_has_a_ukrainian_translation() -> None:
    missing = ukrainian.missing_schema_descriptions()
    assert not missing, (
        f"{len(missing)} schema description(s) without a Ukrainian translation in "
        "docs/hooks/schema_descriptions_uk.json; `python -m tools.ukrainian schemas` prints them as JSON "
        "members to translate:\n" + "\n".join(f"{where[0]}: {text}" for text, where in missing.items())
    )


def test_every_translation_is_ukrainian_and_still_used() -> None:
    translated: dict[str, str] = json.loads(ukrainian.SCHEMA_DESCRIPTIONS_UK.read_text("utf-8"))
    used = {" ".join(text.split()) for _, text in ukrainian.schema_descriptions()}
    unused = sorted(set(translated) - used)
    assert not unused, "translations of texts no schema uses any more (changed or removed):\n" + "\n".join(
        unused
    )
    for english, text in translated.items():
        assert CYRILLIC.search(text), english


def test_a_missing_translation_is_reported_with_where_it_is_used() -> None:
    translated = json.loads(ukrainian.SCHEMA_DESCRIPTIONS_UK.read_text("utf-8"))
    text = "Date of birth."
    del translated[text]
    missing = ukrainian.missing_schema_descriptions(translated)
    assert list(missing) == [text]
    # An exchange package embeds identity records, so the text is used in both schemas.
    where = "#/$defs/IdentityRecord/properties/date_of_birth"
    assert missing[text] == [f"exchange-package{where}", f"identity-record{where}"]
    skeleton = f'  // exchange-package{where}\n  "Date of birth.": "TODO",'
    assert ukrainian.schema_skeleton(missing) == [skeleton]


def test_every_shipped_profile_has_a_ukrainian_title_and_description() -> None:
    translated = reference.profile_texts_uk()
    expected = set()
    for profile in reference._shipped_profiles():
        for key in ("title", "description"):
            text = " ".join(str(profile.get(key, "")).split())
            expected.add(text)
            assert text in translated, (
                f"{profile.get('name')}: add the Ukrainian {key} to profile_texts_uk.json"
            )
            assert CYRILLIC.search(translated[text])
    assert set(translated) == expected, "profile_texts_uk.json keeps texts no shipped profile uses"
