"""The Ukrainian API reference: ``docs/hooks/api_uk.json`` has a Ukrainian text for exactly the objects the
English pages render (mkdocstrings, from the docstrings), in their order, and the /uk/ pages show them all
with the English page's anchors."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import crsvdata_api_uk as api_uk
from test_docs_site import site
from tools import ukrainian

__all__ = ["site"]

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_every_rendered_api_object_has_a_ukrainian_text_and_no_text_is_stale(site: Path) -> None:
    rendered = ukrainian.rendered_api_objects(site)
    assert sum(map(len, rendered.values())) > 50, "the English API reference renders almost nothing"
    missing, stale = ukrainian.api_differences(rendered, ukrainian.api_entries())
    assert not missing, (
        "API objects without a Ukrainian text in docs/hooks/api_uk.json "
        "(`python -m tools.ukrainian api SITE` prints skeletons):\n"
        + "\n".join(f"{block}: {name}" for block, names in missing.items() for name in names)
    )
    assert not stale, "Ukrainian texts of objects no English page renders any more:\n" + "\n".join(stale)


def test_the_ukrainian_texts_follow_the_english_page_order(site: Path) -> None:
    rendered = ukrainian.rendered_api_objects(site)
    for block, names in ukrainian.api_entries().items():
        assert list(names) == rendered[block], block


def test_every_text_is_ukrainian() -> None:
    for block, names in ukrainian.api_entries().items():
        for name, text in names.items():
            assert CYRILLIC.search(text), f"{block}: {name}"
            assert "TODO" not in text, f"{block}: {name}"


def test_the_ukrainian_pages_render_every_object_with_the_english_anchor(site: Path) -> None:
    for page in ukrainian.api_pages():
        folder = page.parent.relative_to(ukrainian.ROOT / "docs")
        relative = folder / ("" if page.stem == "index" else page.stem) / "index.html"
        english = re.findall(r'<h[1-6] id="(crsvdata[\w.]*)"', (site / relative).read_text("utf-8"))
        ukrainian_page = (site / "uk" / relative).read_text("utf-8")
        shown = re.findall(r'<h[1-6] id="(crsvdata[\w.]*)"', ukrainian_page)
        assert shown == english, relative


def test_a_block_is_rendered_with_headings_nested_as_on_the_english_page() -> None:
    translated = {
        "crsvdata.validation.catalogue": "Каталог.",
        "crsvdata.validation.catalogue.IssueCode": "Код.",
        "crsvdata.validation.catalogue.IssueCode.family": "Родина.",
    }
    shown = api_uk.render_block("crsvdata.validation.catalogue", True, translated)
    headings = re.findall(r"^(#+) `([\w.]+)` <small>(\w+)</small> \{ #([\w.]+) \}$", shown, re.M)
    assert headings == [
        ("##", "crsvdata.validation.catalogue", "модуль", "crsvdata.validation.catalogue"),
        ("###", "IssueCode", "клас", "crsvdata.validation.catalogue.IssueCode"),
        ("####", "family", "атрибут", "crsvdata.validation.catalogue.IssueCode.family"),
    ]
    hidden_root = api_uk.render_block(
        "crsvdata.validation.catalogue", False, dict(list(translated.items())[1:])
    )
    assert hidden_root.startswith("## `IssueCode` <small>клас</small>")


def test_signatures_come_from_the_code() -> None:
    assert (
        api_uk.signature("crsvdata.codes.label")
        == "def label(name: str, code: str, lang: Lang = 'en') -> str"
    )
    assert api_uk.signature("crsvdata.models.CaseRecord") == "class CaseRecord(CrsvModel)"
    assert api_uk.signature("crsvdata.validation.catalogue") is None
    assert api_uk.kind_uk("crsvdata.validation.Issue.message_in") == "метод"


def test_a_page_block_without_ukrainian_text_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.crsvdata"):
        api_uk.render_blocks(
            "::: crsvdata.nonexistent\n    options:\n      show_root_heading: false\n", "x.uk.md"
        )
    assert "crsvdata.nonexistent" in caplog.text
