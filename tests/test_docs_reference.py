"""The generated reference pages (crsvdata_reference), checked without building the site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import crsvdata_reference as ref
from crsvdata import codes
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.version import STANDARD_VERSION

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ref.ReferenceSources(ROOT / "schemas", ROOT / "examples")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return ref.generate_pages(SOURCES)


def _schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (ROOT / "schemas" / STANDARD_VERSION / f"{name}.schema.json").read_text("utf-8")
    )
    return loaded


def test_generation_is_deterministic(pages: dict[str, str]) -> None:
    # In another interpreter with another string-hash seed, so that an order taken from a set shows up.
    script = (
        "import json, sys; from pathlib import Path; import crsvdata_reference as ref; "
        "root = Path(sys.argv[1]); "
        "print(json.dumps(ref.generate_pages(ref.ReferenceSources(root / 'schemas', root / 'examples'))))"
    )
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    hooks_and_source = os.pathsep.join([str(ROOT / "docs" / "hooks"), str(ROOT / "src")])
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": hooks_and_source}
    command = [sys.executable, "-c", script, str(ROOT)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == pages


def test_every_object_and_field_of_every_schema_is_documented(pages: dict[str, str]) -> None:
    text = "\n".join(pages[f"reference/schema/{name}.md"] for name in SOURCES.schema_names())
    for name in SOURCES.schema_names():
        schema = _schema(name)
        objects = {str(schema["title"]): schema, **schema.get("$defs", {})}  # type: ignore[dict-item]
        for object_name, node in objects.items():
            if "properties" not in node:
                continue
            assert f"## {object_name} {{#{object_name.lower()}}}" in text, object_name
            for field in node["properties"]:
                assert f'id="{ref.field_anchor(object_name, field)}"' in text, (object_name, field)


def test_each_object_is_documented_once(pages: dict[str, str]) -> None:
    headings = re.findall(
        r"^## (\w+) \{#", "\n".join(pages[f"reference/schema/{n}.md"] for n in SOURCES.schema_names()), re.M
    )
    assert len(headings) == len(set(headings))


def test_code_list_links_name_existing_lists(pages: dict[str, str]) -> None:
    names = set(codes.names())
    for path, text in pages.items():
        for target in re.findall(r"\(\.\./codelists/(\w+)\.md\)", text):
            assert target in names, (path, target)


def test_examples_come_from_the_example_files(pages: dict[str, str]) -> None:
    case_page = pages["reference/schema/case-record.md"]
    assert '`"SYNTH-CASE-' in case_page
    identity_page = pages["reference/schema/identity-record.md"]
    assert '`"Тестенко"`' in identity_page


@pytest.mark.parametrize("name", codes.names())
def test_every_code_list_has_two_languages_with_every_code(pages: dict[str, str], name: str) -> None:
    code_list = codes.load(name)
    english = pages[f"reference/codelists/{name}.md"]
    ukrainian = pages[f"reference/codelists/{name}.uk.md"]
    assert f"# {code_list.title_en}\n" in english
    assert f"# {code_list.title_uk}\n" in ukrainian
    for row in code_list:
        anchor = f'<code id="{ref.anchor_for_code(row.code)}">{row.code}</code>'
        assert anchor in english, row.code
        assert anchor in ukrainian, row.code
    for crosswalk in codes.crosswalks(name):
        target = codes.load(crosswalk.target)
        for row in code_list:
            for value in row.extra[crosswalk.column].split():
                assert value in target, (name, row.code, crosswalk.column, value)
                assert f"({crosswalk.target}.md#{ref.anchor_for_code(value)})" in english


def test_anchors_are_unique_per_code_list() -> None:
    for name in codes.names():
        anchors = [ref.anchor_for_code(row.code) for row in codes.load(name)]
        assert len(anchors) == len(set(anchors)), name


def test_issue_page_lists_every_code(pages: dict[str, str]) -> None:
    page = pages["reference/issues.md"]
    for code, entry in ISSUE_CODES.items():
        assert f'<code id="{code}">{code}</code>' in page
        assert entry.severity.value in page


def test_reference_nav_names_only_generated_pages(pages: dict[str, str]) -> None:
    def walk(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [p for value in node.values() for p in walk(value)]
        if isinstance(node, list):
            return [p for item in node for p in walk(item)]
        return []

    listed = walk(ref.reference_nav(SOURCES))
    assert set(listed) <= set(pages)
    assert {p for p in pages if not p.endswith(".uk.md")} == set(listed)


@pytest.mark.parametrize("name", sorted(ref.FRAGMENTS))
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_fragments_render(name: str, lang: ref.DocLang) -> None:
    markdown = f"Intro\n\n<!-- crsvdata:{name} {lang} -->\n\nOutro\n"
    rendered = ref.render_directives(markdown, "data-managers/page.md")
    assert "crsvdata:" not in rendered
    assert rendered.startswith("Intro")
    assert rendered.rstrip().endswith("Outro")


def test_fragment_links_are_relative_to_the_page() -> None:
    rendered = ref.fragment("form-crosswalk", "uk", "data-managers/legal-qualifications.uk.md")
    assert "(../reference/codelists/form_of_violence.md#code-rape)" in rendered
    assert "Зґвалтування" in rendered


def test_unknown_fragment_fails_the_build() -> None:
    with pytest.raises(KeyError, match="unknown crsvdata docs fragment"):
        ref.render_directives("<!-- crsvdata:no-such-table en -->\n", "index.md")


def test_write_reference_writes_only_changes_and_removes_stale_files(tmp_path: Path) -> None:
    written = ref.write_reference(tmp_path, SOURCES)
    assert len(written) == len(ref.generate_pages(SOURCES))
    assert ref.write_reference(tmp_path, SOURCES) == []
    stale = tmp_path / "reference" / "codelists" / "retired_list.md"
    stale.write_text("old", "utf-8")
    assert ref.write_reference(tmp_path, SOURCES) == [stale]
    assert not stale.exists()


def test_every_pattern_is_shown_verbatim(pages: dict[str, str]) -> None:
    """Patterns are copied from the schema untouched (no escaping shows up inside code spans)."""
    text = "\n".join(pages[f"reference/schema/{name}.md"] for name in SOURCES.schema_names())

    def patterns(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["pattern"]] if isinstance(node.get("pattern"), str) and "anyOf" not in node else []
            return found + [p for key, value in node.items() if key != "anyOf" for p in patterns(value)]
        if isinstance(node, list):
            return [p for item in node for p in patterns(item)]
        return []

    for name in SOURCES.schema_names():
        for pattern in patterns(_schema(name)):
            assert f"`{pattern}`" in text, pattern
