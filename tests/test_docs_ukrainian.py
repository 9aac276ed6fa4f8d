"""Every page under /uk/ of the built site is written in Ukrainian, not English under a Ukrainian menu.

The check counts the letters of each page's article (the ``<article>`` of mkdocs-material: not the
navigation, header or footer, which the theme translates on its own) and fails when Latin letters are more
than ``MAX_LATIN_SHARE`` of them. What a translation keeps in Latin script is left out before counting:
``code``, ``pre`` and ``kbd`` blocks, URLs, and code identifiers written in running text (``record_id``,
``crsvdata.validate``, ``schema.enum``, ``CaseRecord``), and text marked ``lang="en"`` (the English label
beside the Ukrainian one on a code-list page, a cited source). What remains Latin in a translated page is
proper names and acronyms (crsvdata, JSON, GBVIMS, ICC, KATOTTH, Primero): on the pages that were
translated by hand they are 2-9 % of the letters; an untranslated English page is over 90 %. The
threshold of 15 % leaves room for a page dense with names and still catches a page with one English
paragraph in five.

The site is the one ``tests/test_docs_site.py`` builds or is given (``CRSVDATA_DOCS_SITE``, refused when
stale), so ``make test`` checks the very site that ``make docs-check`` built.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from test_docs_site import site

__all__ = ["site"]  # the session fixture, shared with tests/test_docs_site.py

MAX_LATIN_SHARE = 0.15
MIN_LETTERS = 40
"""A page with fewer letters than this (a redirect, an empty index) is not judged."""

_SKIPPED_TAGS = frozenset({"code", "pre", "kbd", "script", "style", "svg"})
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# A word with an underscore, a dot or slash between letters, or an inner capital is a code identifier or
# a file name (record_id, crsvdata.validate, docs/index.md, CaseRecord, mkdocs.yml), not English prose.
_IDENTIFIER = re.compile(r"\b\w*(?:[_./]\w+)+\b|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b|--?[a-z][\w-]*")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class _ArticleText(HTMLParser):
    """The text of the first ``<article>``, without code, permalink anchors and other skipped elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_article = 0
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        # Text marked as in another language (the English label beside the Ukrainian one in a code list,
        # a citation) is there in that language on purpose, not waiting for a translation.
        other_language = attributes.get("lang") not in (None, "uk")
        if tag == "article":
            self._in_article += 1
        elif self._in_article and (
            self._skipping or tag in _SKIPPED_TAGS or "headerlink" in classes or other_language
        ):
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        elif self._in_article and self._skipping:
            self._skipping -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A void element (``<br/>``) opens nothing to close."""

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skipping:
            self.parts.append(data)


_VOID = re.compile(r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^>]*?)/?>", re.I)


def article_text(page: str) -> str:
    """The prose of a built page's article, with URLs and code identifiers removed."""
    parser = _ArticleText()
    # Void elements never get an end tag; written self-closing, the parser does not count them as open.
    parser.feed(_VOID.sub(r"<\1\2/>", page))
    text = " ".join(parser.parts)
    return _IDENTIFIER.sub(" ", _URL.sub(" ", text))


def latin_share(text: str) -> tuple[float, int]:
    """The share of Latin letters among the Latin and Cyrillic letters of ``text``, and their number."""
    latin, cyrillic = len(_LATIN.findall(text)), len(_CYRILLIC.findall(text))
    letters = latin + cyrillic
    return (latin / letters if letters else 0.0), letters


def ukrainian_pages(site: Path) -> list[Path]:
    """Every HTML page of the Ukrainian site, except the 404 page (the theme's, not written by us)."""
    return sorted(path for path in (site / "uk").rglob("*.html") if path.name != "404.html")


def test_the_article_text_leaves_out_code_urls_and_identifiers() -> None:
    page = (
        "<nav>Navigation in English</nav><article><h1>Заголовок<a class='headerlink' href='#x'>¶</a></h1>"
        "<p>Поле <span lang='en'>English label</span> "
        "<code>record_id</code> і record_id, CaseRecord, docs/index.md, https://example.org/x "
        "та --lang uk.<br>Текст</p><pre><code>crsvdata validate file.json</code></pre></article>"
        "<footer>Footer</footer>"
    )
    text = article_text(page)
    assert "Заголовок" in text
    assert "Текст" in text
    assert not _LATIN.search(text.replace("uk", "")), text
    share, letters = latin_share("Київ Kyiv")
    assert letters == 8
    assert share == 0.5


def test_every_ukrainian_page_is_mostly_cyrillic(site: Path) -> None:
    pages = ukrainian_pages(site)
    assert len(pages) > 20, "the Ukrainian site is missing"
    failing = []
    for path in pages:
        share, letters = latin_share(article_text(path.read_text("utf-8")))
        page = path.parent.relative_to(site / "uk").as_posix() + "/"
        if letters >= MIN_LETTERS and share > MAX_LATIN_SHARE:
            failing.append(f"{share:5.0%}  /uk/{page}")
    assert not failing, (
        f"{len(failing)} of {len(pages)} /uk/ pages have more than {MAX_LATIN_SHARE:.0%} Latin letters "
        "(write or complete their .uk.md twin, or the Ukrainian source of the generated page):\n"
        + "\n".join(failing)
    )
