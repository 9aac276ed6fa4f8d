"""mkdocs hook: the schema browser, an expandable tree of every published schema, in English and Ukrainian.

As the OCDS documentation does, each standard version's JSON Schemas can be read as a tree: one HTML
``<details>`` per property, with its type, whether it is required, its description (from the schema) and,
for an object or a list of objects, its own properties inside. The pages are generated at build time from
``schemas/<version>/`` into ``docs/schema-browser/`` (git-ignored): ``index.md`` lists the standard
versions (released and frozen, or in development) with links to their schema files and trees, and
``<version>.md`` holds the trees. Ukrainian pages (``*.uk.md``) translate the interface; field
descriptions come from the schema, in Ukrainian from the reference's catalogue (schema_descriptions_uk.json).

Pages are written to disk, not added as virtual files, because the i18n plugin rebuilds its file list from
the docs folder (as ``crsvdata_reference`` does for the same reason).
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from typing import Any, Final

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from crsvdata_reference import schema_descriptions_uk

log = logging.getLogger("mkdocs.hooks.crsvdata_schema_browser")

FOLDER: Final = "schema-browser"
VERSION_FOLDER: Final = re.compile(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}")
MAX_DEPTH: Final = 8
"""Nesting shown at most; deeper (or recursive) definitions are named, not expanded."""

STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Schema browser",
        "intro": (
            "Every published JSON Schema of the crsvdata standard as an expandable tree: open a property "
            "to see its type, whether it is required, its description and what it contains."
        ),
        "versions": "Standard versions",
        "version_intro": (
            "A released version is frozen: its schemas never change (see Versioning). "
            "The schema files are served at their <code>$id</code>."
        ),
        "released": "released, frozen",
        "development": "in development",
        "browse": "browse the schemas",
        "files": "schema files",
        "required": "required",
        "codes": "codes",
        "codelist": "code list",
        "array_of": "array of",
        "items": "each item",
        "see_above": "defined above",
        "schema_file": "JSON Schema file",
        "version_title": "Standard {version} schemas",
        "status": "Status",
    },
    "uk": {
        "lang": "uk",
        "title": "Оглядач схем",
        "intro": (
            "Кожна опублікована JSON Schema стандарту crsvdata у вигляді дерева, що розгортається: "
            "відкрийте властивість, щоб побачити її тип, чи вона обов'язкова, опис і вміст."
        ),
        "versions": "Версії стандарту",
        "version_intro": (
            "Випущена версія заморожена: її схеми ніколи не змінюються. "
            "Файли схем доступні за їхнім <code>$id</code>. Описи полів — англійською, як у схемах."
        ),
        "released": "випущена, заморожена",
        "development": "у розробці",
        "browse": "переглянути схеми",
        "files": "файли схем",
        "required": "обов'язкове",
        "codes": "коди",
        "codelist": "список кодів",
        "array_of": "масив із",
        "items": "кожен елемент",
        "see_above": "визначено вище",
        "schema_file": "файл JSON Schema",
        "version_title": "Схеми стандарту {version}",
        "status": "Стан",
    },
}


def _versions(schemas: Path) -> list[str]:
    found = [p.name for p in schemas.iterdir() if p.is_dir() and VERSION_FOLDER.fullmatch(p.name)]
    return sorted(found, key=lambda v: tuple(int(part) for part in v.split(".")), reverse=True)


def _released(schemas: Path) -> set[str]:
    released = schemas / "RELEASED"
    if not released.is_file():
        return set()
    lines = released.read_text("utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The node with a local ``$ref`` followed (its own keywords win), and the definition's name."""
    reference = node.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/$defs/"):
        return node, None
    name = reference.removeprefix("#/$defs/")
    target = root.get("$defs", {}).get(name, {})
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}, name


def _type_label(
    node: dict[str, Any], definition: str | None, root: dict[str, Any], text: dict[str, str]
) -> str:
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        item, item_name = _resolve(node["items"], root)
        return f"{text['array_of']} {_type_label(item, item_name, root, text)}"
    kind = node.get("type")
    if isinstance(kind, list):
        label = " | ".join(str(k) for k in kind)
    elif kind:
        label = str(kind)
    elif "anyOf" in node or "oneOf" in node:
        label = "one of"
    elif "enum" in node:
        label = "code"
    else:
        label = "value"
    if definition and definition not in label:
        label = f"{label} ({definition})"
    return label


MAX_CODES_SHOWN: Final = 24
"""A longer list of codes (countries, currencies) is named and linked, not spelled out in the tree."""


def _enum(node: dict[str, Any], text: dict[str, str]) -> str:
    values = node.get("enum")
    codelist = node.get("codelist") or node.get("openCodelist")
    link = ""
    if isinstance(codelist, str) and re.fullmatch(r"[a-z0-9_]+", codelist):
        # Relative to a version page (schema-browser/VERSION/), in either language's folder.
        link = f'<a href="../../reference/codelists/{codelist}/"><code>{codelist}</code></a>'
    if not isinstance(values, list) or not values:
        return f"<p>{text['codelist']}: {link}</p>" if link else ""
    if len(values) > MAX_CODES_SHOWN:
        shown = f"{len(values)} {text['codes']}"
        return f"<p>{shown}: {link}</p>" if link else f"<p>{shown}</p>"
    codes = ", ".join(f"<code>{html.escape(str(value))}</code>" for value in values)
    return f"<p>{text['codes']}: {codes}" + (f" ({text['codelist']}: {link})" if link else "") + "</p>"


def _children(
    node: dict[str, Any], root: dict[str, Any], text: dict[str, str], depth: int, seen: tuple[str, ...]
) -> str:
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        item, item_name = _resolve(node["items"], root)
        if item_name in seen or depth >= MAX_DEPTH:
            return f"<p>{text['items']}: {html.escape(item_name or '')} ({text['see_above']})</p>"
        # A list's code list is named on the list; its codes are the items' (listed once, by the items).
        for key in ("codelist", "openCodelist"):
            if key in node:
                item = {**item, key: node[key]}
        return _children(item, root, text, depth + 1, (*seen, *(n for n in [item_name] if n)))
    parts = [_enum(node, text)]
    for key in ("anyOf", "oneOf"):
        for option in node.get(key, []) or []:
            if isinstance(option, dict):
                resolved, name = _resolve(option, root)
                if name and name not in seen and depth < MAX_DEPTH:
                    parts.append(_children(resolved, root, text, depth + 1, (*seen, name)))
    properties = node.get("properties")
    if isinstance(properties, dict):
        required = set(node.get("required", []))
        for name, child in properties.items():
            parts.append(_property(name, child, name in required, root, text, depth + 1, seen))
    return "".join(parts)


def _property(
    name: str,
    node: dict[str, Any],
    required: bool,
    root: dict[str, Any],
    text: dict[str, str],
    depth: int,
    seen: tuple[str, ...],
) -> str:
    resolved, definition = _resolve(node, root)
    summary = (
        f"<code>{html.escape(name)}</code> <span class='crsv-type'>"
        f"{html.escape(_type_label(resolved, definition, root, text))}</span>"
        + (f" <span class='crsv-required'>{text['required']}</span>" if required else "")
    )
    description = resolved.get("description")
    body = f"<p>{html.escape(_described(description, text))}</p>" if isinstance(description, str) else ""
    if definition and (definition in seen or depth >= MAX_DEPTH):
        body += f"<p>{html.escape(definition)} ({text['see_above']})</p>"
    else:
        body += _children(resolved, root, text, depth, (*seen, *(n for n in [definition] if n)))
    return f"<details><summary>{summary}</summary>{body}</details>"


def _described(description: str, text: dict[str, str]) -> str:
    # The Ukrainian pages take the reference's Ukrainian catalogue of schema descriptions (keyed by the
    # English text), so a description reads the same here as on the record-type pages.
    if text.get("lang") != "uk" or not description:
        return description
    return schema_descriptions_uk().get(" ".join(description.split()), description)


def schema_tree(schema: dict[str, Any], lang: str) -> str:
    """The HTML tree of one schema: a ``<details>`` per property, nested as the schema nests them."""
    text = STRINGS[lang]
    return f"<div class='crsv-schema'>{_children(schema, schema, text, 0, ())}</div>"


def _to_site_root(page_url: str) -> str:
    return "../" * page_url.count("/")


def version_page(schemas: Path, version: str, lang: str, released: bool) -> str:
    text = STRINGS[lang]
    page_url = ("uk/" if lang == "uk" else "") + f"{FOLDER}/{version}/"
    to_root = _to_site_root(page_url)
    status = text["released"] if released else text["development"]
    lines = [
        "---",
        f"title: {text['version_title'].format(version=version)}",
        "---",
        "",
        f"# {text['version_title'].format(version=version)}",
        "",
        f"{text['status']}: **{status}**. {text['intro']}",
        "",
    ]
    for path in sorted((schemas / version).glob("*.schema.json")):
        schema = json.loads(path.read_text("utf-8"))
        href = f"{to_root}schemas/{version}/{path.name}"
        lines += [
            f"## {html.escape(str(schema.get('title', path.name)))}",
            "",
            f'<p><a href="{href}">{text["schema_file"]}: <code>{path.name}</code></a></p>',
            "",
            f"<p>{html.escape(_described(str(schema.get('description', '')), text))}</p>",
            "",
            schema_tree(schema, lang),
            "",
        ]
    return "\n".join(lines)


def index_page(schemas: Path, versions: list[str], released: set[str], lang: str) -> str:
    text = STRINGS[lang]
    page_url = ("uk/" if lang == "uk" else "") + f"{FOLDER}/"
    to_root = _to_site_root(page_url)
    lines = ["---", f"title: {text['title']}", "---", "", f"# {text['title']}", "", text["intro"], ""]
    lines += [f"## {text['versions']}", "", text["version_intro"], "", "<ul>"]
    for version in versions:
        status = text["released"] if version in released else text["development"]
        files = ", ".join(
            f'<a href="{to_root}schemas/{version}/{p.name}"><code>{p.name}</code></a>'
            for p in sorted((schemas / version).glob("*.schema.json"))
        )
        lines.append(
            f'<li><strong>{version}</strong> ({status}): <a href="{version}/">{text["browse"]}</a>; '
            f"{text['files']}: {files}</li>"
        )
    lines += ["</ul>", ""]
    return "\n".join(lines)


def generate_pages(schemas: Path) -> dict[str, str]:
    """Every page of the browser, by path under the docs folder."""
    versions = _versions(schemas)
    released = _released(schemas)
    pages: dict[str, str] = {}
    for lang, suffix in (("en", ".md"), ("uk", ".uk.md")):
        pages[f"{FOLDER}/index{suffix}"] = index_page(schemas, versions, released, lang)
        for version in versions:
            pages[f"{FOLDER}/{version}{suffix}"] = version_page(schemas, version, lang, version in released)
    return pages


def nav_pages(schemas: Path) -> list[str]:
    """The English pages in nav order: the versions page, then each version, newest first."""
    return [f"{FOLDER}/index.md", *(f"{FOLDER}/{version}.md" for version in _versions(schemas))]


SCHEMA_BROWSER_PLACEHOLDER: Final = "schema-browser/"


@event_priority(60)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    schemas = Path(str(config.config_file_path)).resolve().parent / "schemas"
    docs_dir = Path(config.docs_dir)
    written = 0
    for relative, content in generate_pages(schemas).items():
        target = docs_dir / relative
        if not target.is_file() or target.read_text("utf-8") != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, "utf-8")
            written += 1
    if written:
        log.info("crsvdata: wrote %d schema browser page(s)", written)
    if isinstance(config.nav, list):
        config.nav = [_expand(item, nav_pages(schemas)) for item in config.nav]
    return config


def _expand(item: Any, pages: list[str]) -> Any:
    if isinstance(item, dict):
        ((title, value),) = item.items()
        if value == SCHEMA_BROWSER_PLACEHOLDER:
            return {title: pages}
        if isinstance(value, list):
            return {title: [_expand(child, pages) for child in value]}
    return item
