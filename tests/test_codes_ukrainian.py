"""Every code list speaks Ukrainian: a Ukrainian label for every code, and a Ukrainian description for the
list and for every code that has an English one (``codes/data/_descriptions_uk.csv``)."""

from __future__ import annotations

import re

import pytest

from crsvdata import codes
from crsvdata.codes import UnknownCodeError, UnknownCodeListError

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _missing_ukrainian() -> list[str]:
    missing = []
    for name in codes.names():
        code_list = codes.load(name)
        if code_list.description and codes.description(name, None, "uk") == code_list.description:
            missing.append(f"{name},,{code_list.description}")
        for row in code_list:
            if not CYRILLIC.search(row.label_uk):
                missing.append(f"{name},{row.code}: no Ukrainian label")
            if row.description and codes.description(name, row.code, "uk") == row.description:
                missing.append(f"{name},{row.code},{row.description}")
    return missing


def test_every_list_and_described_code_has_a_ukrainian_description() -> None:
    missing = _missing_ukrainian()
    assert not missing, (
        "add these rows (list,code,description_uk; code empty for the list itself) to "
        "src/crsvdata/codes/data/_descriptions_uk.csv, translating the English text shown:\n"
        + "\n".join(missing)
    )


def test_ukrainian_descriptions_are_ukrainian_and_name_real_codes() -> None:
    # The file must not keep a translation of a code that was removed or renamed.
    entries = codes._descriptions_uk()
    assert entries
    for (name, code), text in entries.items():
        code_list = codes.load(name)
        if code:
            assert code_list.get(code).description, (name, code, "the English description is empty")
        assert CYRILLIC.search(text), (name, code)
        assert text == text.strip()


def test_description_gives_the_language_asked_for() -> None:
    english = codes.load("sex").get("other").description
    assert codes.description("sex", "other") == english
    ukrainian = codes.description("sex", "other", "uk")
    assert ukrainian != english
    assert CYRILLIC.search(ukrainian)
    assert codes.description("sex", None, "uk").startswith("Стать")
    with pytest.raises(UnknownCodeError):
        codes.description("sex", "nobody", "uk")
    with pytest.raises(UnknownCodeListError):
        codes.description("no_such_list", None, "uk")
    with pytest.raises(ValueError, match="unsupported"):
        codes.description("sex", "other", "de")  # type: ignore[arg-type]
