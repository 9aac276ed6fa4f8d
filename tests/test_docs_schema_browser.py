"""The schema browser hook (docs/hooks/crsvdata_schema_browser.py): the trees it renders from a schema."""

from __future__ import annotations

import re
from pathlib import Path

import crsvdata_schema_browser as browser

ROOT = Path(__file__).resolve().parents[1]

TREE_SCHEMA = {
    "title": "Node",
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "description": "The <name> of the node."},
        "kind": {"$ref": "#/$defs/Kind", "codelist": "kind"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
    },
    "$defs": {
        "Kind": {"type": "string", "enum": ["leaf", "branch"]},
        "Node": {
            "type": "object",
            "properties": {"parent": {"$ref": "#/$defs/Node"}, "label": {"type": "string"}},
        },
    },
}


def test_a_tree_nests_properties_marks_required_and_escapes_descriptions() -> None:
    tree = browser.schema_tree(TREE_SCHEMA, "en")
    assert tree.count("<details>") == tree.count("</details>")
    assert "<summary><code>name</code> <span class='crsv-type'>string</span> " in tree
    assert "<span class='crsv-required'>required</span>" in tree
    assert tree.count("crsv-required") == 1  # only "name" is required
    assert "The &lt;name&gt; of the node." in tree
    assert "<code>leaf</code>, <code>branch</code>" in tree
    assert '<a href="../../reference/codelists/kind/"><code>kind</code></a>' in tree
    assert "<code>children</code> <span class='crsv-type'>array of object (Node)</span>" in tree
    assert "<summary><code>label</code>" in tree  # the items' own properties, one level in


def test_a_recursive_definition_is_named_not_expanded_forever() -> None:
    tree = browser.schema_tree(TREE_SCHEMA, "en")
    assert tree.count("<summary><code>parent</code>") == 1
    assert "Node (defined above)" in tree


def test_ukrainian_trees_translate_the_interface() -> None:
    tree = browser.schema_tree(TREE_SCHEMA, "uk")
    assert "обов'язкове" in tree
    assert "список кодів" in tree
    assert "масив із object (Node)" in tree
    assert ">required<" not in tree
    assert "array of" not in tree


def test_a_list_of_codes_shows_its_codes_once_with_its_code_list() -> None:
    listed = {"type": "array", "codelist": "kind", "items": {"$ref": "#/$defs/Kind"}}
    schema = {"type": "object", "properties": {"kinds": listed}, "$defs": TREE_SCHEMA["$defs"]}
    tree = browser.schema_tree(schema, "en")
    assert tree.count("<code>leaf</code>") == 1
    assert "../../reference/codelists/kind/" in tree


def test_long_code_lists_are_linked_not_spelled_out() -> None:
    node = {"type": "string", "codelist": "country", "enum": [f"C{i}" for i in range(200)]}
    tree = browser.schema_tree({"type": "object", "properties": {"country": node}}, "en")
    assert "200 codes" in tree
    assert "<code>C199</code>" not in tree


def test_pages_exist_for_each_version_in_both_languages_with_released_status() -> None:
    pages = browser.generate_pages(ROOT / "schemas")
    versions = [p.name for p in (ROOT / "schemas").iterdir() if re.fullmatch(r"[0-9.]+", p.name)]
    for version in versions:
        assert f"schema-browser/{version}.md" in pages
        assert f"schema-browser/{version}.uk.md" in pages
    released = (ROOT / "schemas" / "RELEASED").read_text("utf-8")
    for version in versions:
        status = "released, frozen" if version in released else "in development"
        assert f"<strong>{version}</strong> ({status})" in pages["schema-browser/index.md"]
    assert browser.nav_pages(ROOT / "schemas")[0] == "schema-browser/index.md"
