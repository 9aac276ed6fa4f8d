"""mkdocs hooks of the crsvdata site (declared under ``hooks:`` in mkdocs.yml).

- ``on_config``: regenerate ``docs/reference/`` from the committed schemas, code lists and issue
  catalogue (``crsvdata_reference``), and expand the nav placeholders ``reference/`` and
  ``anonymisation/`` into the pages that exist.
- ``on_files``: publish every file under ``schemas/`` at ``/schemas/...``, where each schema's ``$id``
  points.
- ``on_page_markdown``: replace ``<!-- crsvdata:NAME LANG -->`` lines by generated tables, and the
  ``::: module`` blocks of a Ukrainian page by the Ukrainian API reference (``crsvdata_api_uk``).
- ``on_post_page`` and ``on_post_build``: the theme's script fetches ``sitemap.xml`` next to every
  ``<link rel="alternate" hreflang>`` of a page, expecting those links to name each language's home. The
  i18n plugin makes them name the same page in the other language instead, so every page logged two
  failed requests. The head links are pointed at each language's home (the per-page alternates stay in
  the sitemap and in the language menu), and the sitemap is copied into each translation's folder.

The reference pages are written to disk rather than added as virtual files because the i18n plugin
(mkdocs-static-i18n) rebuilds its file list from the docs folder and would drop virtual pages.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import crsvdata_api_uk as api_uk
import crsvdata_reference as docs_reference

log = logging.getLogger("mkdocs.hooks.crsvdata")

REFERENCE_PLACEHOLDER = "reference/"
ANONYMISATION_PLACEHOLDER = "anonymisation/"


def _root(config: MkDocsConfig) -> Path:
    return Path(str(config.config_file_path)).resolve().parent


def _anonymisation_pages(docs_dir: Path) -> list[Any]:
    """The anonymisation pages present now: index first, then by name; translations (*.uk.md) excluded."""
    folder = docs_dir / "anonymisation"
    if not folder.is_dir():
        return []
    pages = sorted(
        (p for p in folder.glob("*.md") if p.suffixes == [".md"]),
        key=lambda p: (p.name != "index.md", p.name),
    )
    return [p.relative_to(docs_dir).as_posix() for p in pages]


def _expand(nav: Any, replacements: dict[str, list[Any]]) -> Any:
    """Replace placeholder entries of the nav; an entry whose placeholder has no pages is dropped."""
    if isinstance(nav, list):
        out = []
        for item in nav:
            expanded = _expand(item, replacements)
            if expanded is not None:
                out.append(expanded)
        return out
    if isinstance(nav, dict):
        ((title, value),) = nav.items()
        if isinstance(value, str) and value in replacements:
            pages = replacements[value]
            return {title: pages} if pages else None
        expanded = _expand(value, replacements)
        return {title: expanded} if expanded is not None else None
    return nav


@event_priority(50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    docs_dir = Path(config.docs_dir)
    sources = docs_reference.ReferenceSources(root / "schemas", root / "examples")
    changed = docs_reference.write_reference(docs_dir, sources)
    if changed:
        log.info("crsvdata: regenerated %d reference page(s)", len(changed))
    anonymisation = _anonymisation_pages(docs_dir)
    if not anonymisation:
        log.info("crsvdata: no pages under docs/anonymisation/ yet; the nav section is left out")
    if config.nav is not None:
        config.nav = _expand(
            config.nav,
            {
                REFERENCE_PLACEHOLDER: docs_reference.reference_nav(sources),
                ANONYMISATION_PLACEHOLDER: anonymisation,
            },
        )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    schemas = _root(config) / "schemas"
    for path in sorted(schemas.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            src_uri = "schemas/" + path.relative_to(schemas).as_posix()
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".uk.md"):
        markdown = api_uk.render_blocks(markdown, page.file.src_uri)
    return docs_reference.render_directives(markdown, page.file.src_uri)


def _translation_folders(config: MkDocsConfig) -> list[str]:
    plugin = config.plugins.get("i18n")
    languages = getattr(getattr(plugin, "config", None), "languages", None) or []
    return [str(lang.locale) for lang in languages if not getattr(lang, "default", False)]


_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="([^"]+)">')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    translations = set(_translation_folders(config))
    to_root = "../" * page.url.count("/") if page.url else ""

    def home(match: re.Match[str]) -> str:
        lang = match.group(1)
        href = to_root + (f"{lang}/" if lang in translations else "") or "./"
        return f'<link rel="alternate" href="{href}" hreflang="{lang}">'

    return _HEAD_ALTERNATE.sub(home, output)


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        source = site / name
        if not source.exists():
            continue
        for folder in _translation_folders(config):
            (site / folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site / folder / name)
