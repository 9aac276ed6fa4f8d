"""Documentation pages generated from the committed sources, so that the reference can never drift.

The docs site's reference section is written by this module at every build (the mkdocs hook
``docs/hooks/crsvdata_docs.py`` calls ``write_reference``), from three sources of truth and nothing else:

- the committed JSON Schemas under ``schemas/<version>/`` (one page per published document type, every
  object and every field: type, required or not, code list, description, an example);
- the code lists (``crsvdata.codes``; one page per list, in English and in Ukrainian, with the
  crosswalk columns linked to the lists they point into);
- the issue catalogue (``crsvdata.validation.catalogue.ISSUE_CODES``; one page with every issue code).

Examples shown next to fields are taken from the synthetic documents under ``examples/`` when one of them
has the field, and from the schema's ``examples`` otherwise. The generated pages are never committed
(``docs/reference/`` is git-ignored): rebuilding the site rewrites them.

Hand-written pages can include generated fragments with an HTML comment, for example
``<!-- crsvdata:form-crosswalk uk -->``; see ``FRAGMENTS``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from crsvdata import codes
from crsvdata.codes import CodeList
from crsvdata.validation.catalogue import ISSUE_CODES, IssueCode
from crsvdata.validation.catalogue_uk import UKRAINIAN as UKRAINIAN_ISSUES
from crsvdata.version import SCHEMA_BASE_URL, STANDARD_VERSION

__all__ = [
    "FRAGMENTS",
    "REFERENCE_DIR",
    "SCHEMA_NAMES",
    "DocLang",
    "ReferenceSources",
    "anchor_for_code",
    "field_anchor",
    "fragment",
    "generate_pages",
    "reference_nav",
    "render_directives",
    "write_reference",
]

DocLang = Literal["en", "uk"]
Json = dict[str, Any]

REFERENCE_DIR: Final = "reference"
"""The folder (under the docs folder) that this module owns and rewrites at every build."""

SCHEMA_NAMES: Final = ("case-record", "identity-record", "exchange-package")
"""The document types whose pages come first; any other schema of the version folder follows by name."""


def _title(page: str, lang: DocLang = "en") -> str:
    if lang == "uk" and page in _TITLES_UK:
        return _TITLES_UK[page]
    return _TITLES.get(page) or page.replace("-", " ").capitalize()


_TITLES_UK: Final[Mapping[str, str]] = {
    "case-record": "Запис справи",
    "identity-record": "Запис про особу",
    "exchange-package": "Пакет обміну",
    "anonymised-case-record": "Знеособлений запис справи",
}

SCHEMA_DESCRIPTIONS_UK: Final = Path(__file__).with_name("schema_descriptions_uk.json")
"""The Ukrainian schema descriptions: English description (whitespace collapsed) -> Ukrainian, like a
gettext catalogue. Keyed by the English text, so a description that changes in a model shows up as missing
(``tests/test_docs_reference.py`` lists it, ``python -m tools.ukrainian schemas`` prints a skeleton) rather
than keeping a stale translation; a text used by many fields (identifiers, organisation codes) is
translated once. The published schemas stay English-only."""


@functools.cache
def schema_descriptions_uk() -> Mapping[str, str]:
    """The Ukrainian catalogue of schema descriptions."""
    loaded: dict[str, str] = json.loads(SCHEMA_DESCRIPTIONS_UK.read_text("utf-8"))
    return loaded


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _in_language(text: str, lang: DocLang) -> str:
    """``text`` (an English schema description) in ``lang``; English until its translation is written."""
    if lang == "en" or not text:
        return text
    return schema_descriptions_uk().get(_normalised(text), text)


_RECORD_UI: Final[Mapping[str, tuple[str, str]]] = {
    "always": ("always {value}", "завжди {value}"),
    "partial_date": (
        "partial date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
        "неповна дата: `YYYY`, `YYYY-MM` або `YYYY-MM-DD`",
    ),
    "date": ("date `YYYY-MM-DD`", "дата `YYYY-MM-DD`"),
    "date_time": ("date-time with UTC offset", "дата й час зі зсувом від UTC"),
    "text": ("text", "текст"),
    "up_to": ("up to {n} characters", "до {n} символів"),
    "integer": ("integer", "ціле число"),
    "boolean": ("`true` or `false`", "`true` або `false`"),
    "code": ("code", "код"),
    "codes": ("codes", "кодів"),
    "items": ("{low}–{high} items", "{low}–{high} елементів"),
    "list_of": ("list of {inner} ({size})", "список: {inner} ({size})"),
    "one_of": ("one of {options}{chosen}", "одне з: {options}{chosen}"),
    "chosen_by": (" chosen by {field}", ", вибір за полем {field}"),
    "format": ("Format", "Формат"),
    "open": ("open", "відкритий"),
    "required": ("**required**", "**обов'язкове**"),
    "optional": ("optional", "необов'язкове"),
    "field": ("Field", "Поле"),
    "type": ("Type", "Тип"),
    "required_header": ("Required", "Обов'язковість"),
    "code_list": ("Code list", "Список кодів"),
    "description": ("Description", "Опис"),
    "example": ("Example", "Приклад"),
    "used_in": ("Used in", "Використовується в"),
    "schema_file": ("Schema file", "Файл схеми"),
    "dialect": ("JSON Schema dialect", "Діалект JSON Schema"),
    "standard_version": ("Standard version", "Версія стандарту"),
    "how_to_read": (
        '!!! info "How to read this page"\n'
        "    Each section is one kind of JSON object. A **required** field must be present; an optional\n"
        "    field is left out when it is not known: never write `null`. A field with a code list takes\n"
        "    one of the codes of that list (a list of codes where the type says so). Examples come from\n"
        "    the synthetic documents under `examples/`.\n",
        '!!! info "Як читати цю сторінку"\n'
        "    Кожен розділ описує один вид об'єкта JSON. **Обов'язкове** поле має бути присутнім;\n"
        "    необов'язкове поле пропускають, коли значення невідоме: ніколи не пишіть `null`. Поле зі\n"
        "    списком кодів набуває одного з кодів цього списку (або списку кодів, якщо так зазначено в\n"
        "    типі). Приклади взято із синтетичних документів у `examples/`.\n",
    ),
    "objects_here": ("Objects on this page", "Об'єкти на цій сторінці"),
    "objects_elsewhere": ("Documented on other pages", "Описані на інших сторінках"),
}


def _rui(key: str, lang: DocLang) -> str:
    english, ukrainian = _RECORD_UI[key]
    return english if lang == "en" else ukrainian


_TITLES: Final[Mapping[str, str]] = {
    "case-record": "Case record",
    "identity-record": "Identity record",
    "exchange-package": "Exchange package",
}

_EXTRA_COLUMN_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "icc_eoc": ("ICC Elements of Crimes", "Елементи злочинів МКС"),
    "icc_related": ("Related ICC crimes", "Суміжні злочини за Римським статутом"),
    "conflict": ("Armed conflict", "Збройний конфлікт"),
    "ua_criminal_code": ("Criminal Code of Ukraine", "Кримінальний кодекс України"),
    "gbvims_core_type": ("GBVIMS", "GBVIMS"),
    "mrm_form": ("MRM", "MRM"),
    "rd4u_category": ("RD4U", "RD4U"),
    "un_crsv_form": ("UN CRSV form", "Форма СНПК за ООН"),
    "huridocs_mt": ("HURIDOCS", "HURIDOCS"),
    "huridocs_method": ("HURIDOCS method", "Метод HURIDOCS"),
    "hxl_attribute": ("HXL attribute", "Атрибут HXL"),
    "min_age": ("From age", "Від (років)"),
    "max_age": ("To age", "До (років)"),
    "rank": ("Rank", "Ранг"),
    "alpha_3": ("Alpha-3", "Alpha-3"),
    "numeric": ("Numeric", "Цифровий код"),
    "provision": ("Rome Statute provision", "Положення Римського статуту"),
    "kind": ("Kind", "Тип"),
    "type": ("Type", "Тип"),
    "katotth_prefix": ("KATOTTH prefix", "Префікс КАТОТТГ"),
    "level": ("Level", "Рівень"),
}

_UI: Final[Mapping[str, tuple[str, str]]] = {
    "code": ("Code", "Код"),
    "label_en": ("English", "Англійською"),
    "label_uk": ("Ukrainian", "Українською"),
    "description": ("Description", "Опис"),
    "deprecated": ("Deprecated", "Застарілий"),
    "deprecated_in": ("deprecated in {version}", "застарілий з версії {version}"),
    "open": (
        "Open list: partners may use codes of their own (a short snake_case code); ask for them to be added.",
        "Відкритий список: партнери можуть використовувати власні коди (короткий код у snake_case); "
        "попросіть додати їх до стандарту.",
    ),
    "closed": (
        "Closed list: a value outside this list is an error (issue `schema.enum`).",
        "Закритий список: значення поза цим списком є помилкою (код проблеми `schema.enum`).",
    ),
    "name": ("Name in the standard", "Назва у стандарті"),
    "codes_count": ("Codes", "Кодів"),
    "source": ("Source", "Джерело"),
    "used_by": ("Used by", "Де використовується"),
    "not_used": (
        "Not used by a field directly: other lists point into it.",
        "Поля на нього не посилаються: на нього посилаються інші списки.",
    ),
    "download": ("Download", "Завантажити"),
    "list": ("List", "Список"),
    "kind_of_list": ("Kind", "Вид"),
    "open_short": ("open", "відкритий"),
    "closed_short": ("closed", "закритий"),
    "pattern": ("Code form", "Форма коду"),
    "labels_note": (
        "Labels and descriptions are in English and Ukrainian (the Ukrainian site shows the Ukrainian ones). "
        "Codes are never translated: a record always carries the code.",
        "Назви та описи подано англійською й українською (українська версія сайту показує українські). "
        "Коди ніколи не перекладаються: у записі завжди зберігається код.",
    ),
    "form": ("Form of violence", "Форма насильства"),
    "label": ("Label", "Назва"),
    "crosswalks": ("Crosswalks", "Відповідності"),
    "crosswalks_intro": (
        "Each column names the codes of another classification that correspond to this code; an empty cell "
        "means there is no equivalent. Legal crosswalks name candidate qualifications, to be assessed case "
        "by case.",
        "Кожен стовпець називає коди іншої класифікації, що відповідають цьому коду; порожня клітинка "
        "означає, що відповідника немає. Правові відповідності називають можливі кваліфікації, які "
        "оцінюються в кожній справі окремо.",
    ),
}


def _ui(key: str, lang: DocLang) -> str:
    english, ukrainian = _UI[key]
    return english if lang == "en" else ukrainian


def _column_name(column: str, lang: DocLang) -> str:
    names = _EXTRA_COLUMN_NAMES.get(column)
    if names is None:
        return column.replace("_", " ").capitalize()
    return names[0] if lang == "en" else names[1]


# --- small Markdown helpers ---


def anchor_for_code(code: str) -> str:
    """The HTML id of a code's row on its code list page (codes may hold characters ids should not)."""
    return "code-" + re.sub(r"[^A-Za-z0-9_.-]", "-", code)


def field_anchor(def_name: str, field: str) -> str:
    """The HTML id of a field's row on a record page, e.g. ``survivor.sex``."""
    return f"{def_name.lower()}.{field}"


_CODE_SPANS: Final = re.compile(r"(`+)(.+?)\1")


def _cell(text: str) -> str:
    """Make text safe for one Markdown table cell.

    Pipes are escaped outside code spans only: inside backticks Python-Markdown's tables already read a
    pipe as text, and an escape there would be shown.
    """
    text = text.strip().replace("\r", "")
    text = re.sub(r"\n\s*\n", "<br><br>", text).replace("\n", " ")
    out, position = [], 0
    for match in _CODE_SPANS.finditer(text):
        out.append(text[position : match.start()].replace("|", "\\|"))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].replace("|", "\\|"))
    return "".join(out)


def _code_span(text: str) -> str:
    """A code span that survives backticks inside it (table cells escape their pipes in ``_cell``)."""
    fence = "``" if "`" in text else "`"
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].replace("\n", " ")


def _facts(facts: Iterable[tuple[str, str]]) -> str:
    """A short list of "name: value" lines (a table without a header would render an empty header row)."""
    return "\n".join(f"- **{name}:** {value}" for name, value in facts) + "\n"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _front_matter(title: str, description: str | None = None, hide: Sequence[str] = ()) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(description, ensure_ascii=False)}")
    if hide:
        lines.append("hide:")
        lines.extend(f"  - {item}" for item in hide)
    lines.append("---")
    return "\n".join(lines) + "\n\n"


_GENERATED_NOTE: Final = (
    "<!-- Generated by crsvdata_reference at build time from the committed sources; do not edit. -->\n\n"
)


# --- sources ---


@dataclass(frozen=True)
class ReferenceSources:
    """What the reference is generated from: the committed schema folder and the example documents."""

    schemas_dir: Path
    """The repository's ``schemas/`` folder (holding ``<version>/*.schema.json``)."""
    examples_dir: Path | None = None
    """The repository's ``examples/`` folder, for real example values; ``None`` uses schema examples only."""
    version: str = STANDARD_VERSION

    def schema(self, name: str) -> Json:
        path = self.schemas_dir / self.version / f"{name}.schema.json"
        loaded: Json = json.loads(path.read_text("utf-8"))
        return loaded

    def schema_names(self) -> tuple[str, ...]:
        """Every published schema of the version folder: the main document types first, then by name."""
        found = {
            path.name.removesuffix(".schema.json")
            for path in (self.schemas_dir / self.version).glob("*.schema.json")
        }
        return (*(name for name in SCHEMA_NAMES if name in found), *sorted(found - set(SCHEMA_NAMES)))

    def schemas(self) -> dict[str, Json]:
        return {name: self.schema(name) for name in self.schema_names()}

    def example_documents(self) -> Iterator[Json]:
        if self.examples_dir is None:
            return
        for folder in ("cases", "packages"):
            for path in sorted((self.examples_dir / folder).glob("*.json")):
                document = json.loads(path.read_text("utf-8"))
                if isinstance(document, dict):
                    yield document


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _root_name(schema: Json) -> str:
    return str(schema.get("title", "Root"))


def _definitions(schema: Json) -> dict[str, Json]:
    """Every named object or enum of a schema document, the root included under its title."""
    defs: dict[str, Json] = dict(schema.get("$defs", {}))
    defs[_root_name(schema)] = {key: value for key, value in schema.items() if key not in _DOCUMENT_KEYS}
    return defs


_DOCUMENT_KEYS: Final = frozenset({"$schema", "$id", "$defs"})


def _object_defs_in_order(schema: Json) -> list[str]:
    """The object types of a schema, root first, then in the order their fields first mention them."""
    defs = _definitions(schema)
    order: list[str] = []
    queue = [_root_name(schema)]
    while queue:
        name = queue.pop(0)
        if name in order or "properties" not in defs[name]:
            continue
        order.append(name)
        for prop in defs[name]["properties"].values():
            queue.extend(_refs_in(prop))
    return order


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield _ref_name(value)
            elif key != "discriminator":
                yield from _refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs_in(item)


Owners = Mapping[tuple[str, str], str]


def _page_owners(schemas: Mapping[str, Json]) -> dict[tuple[str, str], str]:
    """(page, object type) -> the page that documents it: the first page whose object of that name is the
    same object (two schemas may name different objects alike; each is then documented on its own page)."""
    owners: dict[tuple[str, str], str] = {}
    first: dict[str, list[tuple[str, Json]]] = {}
    for page, schema in schemas.items():
        defs = _definitions(schema)
        for name in _object_defs_in_order(schema):
            same = next((owner for owner, node in first.get(name, []) if node == defs[name]), None)
            if same is None:
                first.setdefault(name, []).append((page, defs[name]))
                same = page
            owners[(page, name)] = same
    return owners


def _kind_of(document: Json) -> str | None:
    if "package_id" in document:
        return "exchange-package"
    if "record_id" in document:
        return "case-record"
    if "holder_organisation" in document:
        return "identity-record"
    return None


def _example_values(sources: ReferenceSources, schemas: Mapping[str, Json]) -> dict[tuple[str, str], Any]:
    """(object type, field) -> the first value an example document gives that field."""
    found: dict[tuple[str, str], Any] = {}

    def walk(node: Json, value: Any, defs: Mapping[str, Json], owner: str | None) -> None:
        if "$ref" in node:
            name = _ref_name(node["$ref"])
            walk(defs[name], value, defs, name)
            return
        if "oneOf" in node and isinstance(value, dict) and "discriminator" in node:
            discriminator = node["discriminator"]
            target = discriminator["mapping"].get(value.get(discriminator["propertyName"]))
            if target is not None:
                walk({"$ref": target}, value, defs, owner)
            return
        if node.get("type") == "array" and isinstance(value, list):
            for item in value:
                walk(node.get("items", {}), item, defs, owner)
            return
        if "properties" in node and isinstance(value, dict) and owner is not None:
            for key, item in value.items():
                prop = node["properties"].get(key)
                if prop is None:
                    continue
                if _is_scalar_example(item):
                    found.setdefault((owner, key), item)
                walk(prop, item, defs, owner)

    for document in sources.example_documents():
        kind = _kind_of(document)
        if kind is None:
            continue
        schema = schemas[kind]
        walk(schema, document, _definitions(schema), _root_name(schema))
    return found


def _is_scalar_example(value: Any) -> bool:
    if isinstance(value, str | int | float | bool):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str | int | float) for v in value)


def _render_example(value: Any) -> str:
    if isinstance(value, list) and len(value) > 3:
        value = value[:3]
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "…"
    return _code_span(text)


# --- record pages ---


def _codelist_of(prop: Json) -> tuple[str | None, bool]:
    """The code list a property draws from, and whether that list is open."""
    for node in (prop, prop.get("items", {})):
        if isinstance(node.get("codelist"), str):
            return node["codelist"], False
        if isinstance(node.get("openCodelist"), str):
            return node["openCodelist"], True
    return None, False


@dataclass(frozen=True)
class _PageContext:
    page: str
    defs: Mapping[str, Json]
    owners: Owners
    lang: DocLang = "en"

    def link(self, name: str) -> str:
        owner = self.owners.get((self.page, name), self.page)
        target = f"#{name.lower()}" if owner == self.page else f"{owner}.md#{name.lower()}"
        return f"[{name}]({target})"


def _scalar_type(node: Json, lang: DocLang = "en") -> str:
    if "const" in node:
        return _rui("always", lang).format(value=_code_span(json.dumps(node["const"])))
    kind = node.get("type")
    if "anyOf" in node and kind == "string":
        return _rui("partial_date", lang)
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date":
            return _rui("date", lang)
        if fmt == "date-time":
            return _rui("date_time", lang)
        parts = [_rui("text", lang)]
        if "maxLength" in node:
            parts.append(_rui("up_to", lang).format(n=node["maxLength"]))
        return ", ".join(parts)
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{_rui('integer', lang)} {low}–{high}"
        return _rui("integer", lang)
    if kind == "boolean":
        return _rui("boolean", lang)
    return str(kind or "any")


def _type_text(prop: Json, ctx: _PageContext) -> str:
    lang = ctx.lang
    if "$ref" in prop:
        name = _ref_name(prop["$ref"])
        target = ctx.defs[name]
        return _rui("code", lang) if "enum" in target else ctx.link(name)
    if prop.get("type") == "array":
        items = prop.get("items", {})
        size = _rui("items", lang).format(low=prop.get("minItems", 0), high=prop.get("maxItems", "∞"))
        if "$ref" in items:
            name = _ref_name(items["$ref"])
            inner = _rui("codes", lang) if "enum" in ctx.defs[name] else ctx.link(name)
        elif "oneOf" in items:
            inner = _one_of_text(items, ctx)
        else:
            inner = _scalar_type(items, lang)
        return _rui("list_of", lang).format(inner=inner, size=size)
    if "oneOf" in prop:
        return _one_of_text(prop, ctx)
    return _scalar_type(prop, lang)


def _one_of_text(node: Json, ctx: _PageContext) -> str:
    options = ", ".join(ctx.link(_ref_name(option["$ref"])) for option in node["oneOf"] if "$ref" in option)
    discriminator = node.get("discriminator", {}).get("propertyName")
    chosen = _rui("chosen_by", ctx.lang).format(field=_code_span(discriminator)) if discriminator else ""
    return _rui("one_of", ctx.lang).format(options=options, chosen=chosen)


def _description(prop: Json, ctx: _PageContext) -> str:
    text = prop.get("description")
    from_code_list = False
    if not text and "$ref" in prop:
        text = ctx.defs[_ref_name(prop["$ref"])].get("description", "")
        from_code_list = "enum" in ctx.defs[_ref_name(prop["$ref"])]
    if not text and prop.get("type") == "array":
        text = prop.get("items", {}).get("description", "")
    codelist, _ = _codelist_of(prop)
    if ctx.lang == "uk" and from_code_list and codelist is not None and codelist in codes.names():
        # A code list's type carries the list's own description: take the list's Ukrainian one.
        code_list = codes.load(codelist)
        described = f"{code_list.title_uk}. {_first_paragraph(codes.description(codelist, None, 'uk'))}"
    else:
        described = _first_paragraph(_in_language(str(text or ""), ctx.lang))
    pattern = prop.get("pattern") or prop.get("items", {}).get("pattern")
    if isinstance(pattern, str) and "anyOf" not in prop:
        described += f"<br>{_rui('format', ctx.lang)}: {_code_span(pattern)}"
    return described


def _example_text(def_name: str, field: str, prop: Json, examples: Mapping[tuple[str, str], Any]) -> str:
    if (def_name, field) in examples:
        return _render_example(examples[(def_name, field)])
    for node in (prop, prop.get("items", {})):
        if isinstance(node, dict) and node.get("examples"):
            return _render_example(node["examples"][0])
    if "const" in prop:
        return _render_example(prop["const"])
    return ""


def _object_section(
    name: str, ctx: _PageContext, examples: Mapping[tuple[str, str], Any], is_root: bool
) -> str:
    node = ctx.defs[name]
    required = set(node.get("required", ()))
    lang = ctx.lang
    out = [f"## {name} {{#{name.lower()}}}\n"]
    description = _in_language(str(node.get("description", "")).strip(), lang)
    if description:
        out.append(description + "\n")
    rows = []
    for field, prop in node["properties"].items():
        codelist, is_open = _codelist_of(prop)
        if codelist is None:
            list_cell = ""
        else:
            list_cell = f"[{codelist}](../codelists/{codelist}.md)" + (
                f" ({_rui('open', lang)})" if is_open else ""
            )
        rows.append(
            [
                f'<a id="{field_anchor(name, field)}"></a>{_code_span(field)}',
                _cell(_type_text(prop, ctx)),
                _rui("required", lang) if field in required else _rui("optional", lang),
                list_cell,
                _cell(_description(prop, ctx)),
                _cell(_example_text(name, field, prop, examples)),
            ]
        )
    header = ("field", "type", "required_header", "code_list", "description", "example")
    table = _table([_rui(key, lang) for key in header], rows)
    out.append(f'<div class="crsv-fields" markdown>\n\n{table}\n</div>\n')
    if not is_root:
        users = [
            f"{ctx.link(owner)}.{_code_span(field)}"
            for owner, owner_node in ctx.defs.items()
            if "properties" in owner_node
            for field, prop in owner_node["properties"].items()
            if name in set(_refs_in(prop))
        ]
        if users:
            out.append(f"{_rui('used_in', lang)}: " + ", ".join(users) + ".\n")
    return "\n".join(out)


def _record_page(
    page: str,
    schemas: Mapping[str, Json],
    owners: Owners,
    examples: Mapping[tuple[str, str], Any],
    version: str,
    lang: DocLang = "en",
) -> str:
    schema = schemas[page]
    ctx = _PageContext(page, _definitions(schema), owners, lang)
    objects = [name for name in _object_defs_in_order(schema) if owners.get((page, name)) == page]
    elsewhere = [name for name in _object_defs_in_order(schema) if owners.get((page, name)) != page]
    title = _title(page, lang)
    filename = f"{page}.schema.json"
    summary = _first_paragraph(_in_language(str(schema.get("description", "")), lang))
    out = [
        _front_matter(title, summary, hide=("navigation",)),
        _GENERATED_NOTE,
        f"# {title}\n",
        summary + "\n",
        _facts(
            [
                (_rui("schema_file", lang), f"[{filename}](../../schemas/{version}/{filename})"),
                ("`$id`", _code_span(str(schema.get("$id", "")))),
                (_rui("dialect", lang), _code_span(str(schema.get("$schema", "")))),
                (_rui("standard_version", lang), _code_span(version)),
            ]
        ),
        _rui("how_to_read", lang),
        f"{_rui('objects_here', lang)}: "
        + ", ".join(f"[{name}](#{name.lower()})" for name in objects)
        + (
            f". {_rui('objects_elsewhere', lang)}: " + ", ".join(ctx.link(name) for name in elsewhere) + "."
            if elsewhere
            else "."
        )
        + "\n",
    ]
    for index, name in enumerate(objects):
        out.append(_object_section(name, ctx, examples, is_root=index == 0))
    return "\n".join(out)


def _codelist_users(schemas: Mapping[str, Json]) -> dict[str, list[tuple[str, str, str]]]:
    """Code list -> (page, object type, field) of every field that takes its codes."""
    owners = _page_owners(schemas)
    users: dict[str, list[tuple[str, str, str]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for page in schemas:
        for name, node in _definitions(schemas[page]).items():
            if "properties" not in node or owners.get((page, name)) != page:
                continue
            for field, prop in node["properties"].items():
                codelist, _ = _codelist_of(prop)
                if codelist is not None and (page, name, field) not in seen:
                    seen.add((page, name, field))
                    users.setdefault(codelist, []).append((page, name, field))
    return users


# --- code list pages ---


def _crosswalk_targets(code_list: CodeList) -> dict[str, str]:
    return {crosswalk.column: crosswalk.target for crosswalk in codes.crosswalks(code_list.name)}


def _code_link(target: str, code: str, prefix: str = "") -> str:
    link = f"[`{code}`]({prefix}{target}.md#{anchor_for_code(code)})"
    # External codes (8(2)(b)(xxii)-1, 020111010000) would break anywhere in a narrow cell: keep them whole.
    return f'<span class="crsv-nowrap">{link}</span>'


_CODE_ATTRIBUTES: Final = frozenset({"alpha_3", "numeric", "katotth_prefix"})
"""Attribute columns whose values are codes of another standard (ISO alpha-3, KATOTTH prefixes)."""

_ATTRIBUTE_VALUES_UK: Final[Mapping[str, str]] = {
    # The ISO 3166-2 subdivision types of ua_subdivision (pycountry's English words).
    "Region": "область",
    "City": "місто зі спеціальним статусом",
    "Republic": "автономна республіка",
}


def _attribute_cell(value: str, column: str, lang: DocLang) -> str:
    """A list-specific attribute: a code as a code; on a Ukrainian page a known English word translated."""
    if not value:
        return ""
    if column in _CODE_ATTRIBUTES:
        return _code_span(value)
    if lang == "uk":
        return _cell(_ATTRIBUTE_VALUES_UK.get(value, value))
    return _cell(value)


def _extra_cell(value: str, target: str | None, lang: DocLang) -> str:
    """A crosswalk cell: external codes (ICC, Criminal Code, RD4U, HURIDOCS) as codes, crsvdata's own
    snake_case codes by their label in the page's language; each linked to its row in the target list."""
    if not value:
        return ""
    if target is None:
        return _cell(value)
    target_list = codes.load(target)
    if target_list.code_pattern != codes.DEFAULT_CODE_PATTERN:
        return ", ".join(_code_link(target, code) for code in value.split())
    return ", ".join(_label_link(target, code, lang, "") for code in value.split())


def _label_cell(label: str, column: str, lang: DocLang) -> str:
    """A label cell; on a Ukrainian page the English label is marked as English (``lang="en"``), since it
    is there as the English name, not as text waiting for a translation."""
    if lang == "uk" and column == "label_en" and label:
        return f'<span lang="en">{_cell(label)}</span>'
    return _cell(label)


def _codelist_page(
    code_list: CodeList,
    lang: DocLang,
    users: Sequence[tuple[str, str, str]],
    version: str,
) -> str:
    list_description = codes.description(code_list.name, None, lang)
    title = code_list.title(lang)
    targets = _crosswalk_targets(code_list)
    out = [
        _front_matter(title, _first_paragraph(list_description), hide=("toc",)),
        _GENERATED_NOTE,
        f"# {title}\n",
        list_description + "\n",
    ]
    facts = [
        (_ui("name", lang), _code_span(code_list.name)),
        (_ui("kind_of_list", lang), _ui("open" if code_list.open else "closed", lang)),
        (_ui("codes_count", lang), str(len(code_list))),
    ]
    if code_list.source:
        # A source is a citation, kept in its own language and marked so (a screen reader reads it as such).
        source = (
            _cell(code_list.source) if lang == "en" else f'<span lang="en">{_cell(code_list.source)}</span>'
        )
        facts.append((_ui("source", lang), source))
    if code_list.code_pattern != codes.DEFAULT_CODE_PATTERN:
        facts.append((_ui("pattern", lang), _code_span(code_list.code_pattern)))
    if users:
        links = ", ".join(
            f"[{name}.{field}](../schema/{page}.md#{field_anchor(name, field)})"
            for page, name, field in users
        )
        facts.append((_ui("used_by", lang), links))
    else:
        facts.append((_ui("used_by", lang), _ui("not_used", lang)))
    facts.append(
        (
            _ui("download", lang),
            f"[{code_list.name}.csv](../../schemas/{version}/codelists/{code_list.name}.csv) · "
            f"[{code_list.name}.json](../../schemas/{version}/codelists/{code_list.name}.json)",
        )
    )
    out.append(_facts(facts))
    out.append(f"*{_ui('labels_note', lang)}*\n")
    attributes = [column for column in code_list.extra_columns if column not in targets]
    crosswalk_columns = [column for column in code_list.extra_columns if column in targets]
    has_deprecated = any(row.is_deprecated for row in code_list)
    label_columns = ("label_en", "label_uk") if lang == "en" else ("label_uk", "label_en")
    header = [_ui("code", lang), *(_ui(column, lang) for column in label_columns), _ui("description", lang)]
    header.extend(_column_name(column, lang) for column in attributes)
    if has_deprecated:
        header.append(_ui("deprecated", lang))
    rows = []
    for row in code_list:
        labels = {"label_en": row.label_en, "label_uk": row.label_uk}
        cells = [
            f'<code id="{anchor_for_code(row.code)}">{row.code}</code>',
            *(_label_cell(labels[column], column, lang) for column in label_columns),
            _cell(codes.description(code_list.name, row.code, lang)),
        ]
        cells.extend(_attribute_cell(row.extra[column], column, lang) for column in attributes)
        if has_deprecated:
            cells.append(_ui("deprecated_in", lang).format(version=row.deprecated) if row.deprecated else "")
        rows.append(cells)
    out.append(_table(header, rows))
    if crosswalk_columns:
        out.append(f"## {_ui('crosswalks', lang)} {{#crosswalks}}\n\n{_ui('crosswalks_intro', lang)}\n")
        crosswalk_rows = [
            [
                f"[`{row.code}`](#{anchor_for_code(row.code)})",
                _cell(row.label(lang)),
                *(_extra_cell(row.extra[column], targets[column], lang) for column in crosswalk_columns),
            ]
            for row in code_list
        ]
        out.append(
            _table(
                [_ui("code", lang), _ui("label", lang), *(_column_name(c, lang) for c in crosswalk_columns)],
                crosswalk_rows,
            )
        )
    return "\n".join(out)


_CODELIST_INDEX_INTRO: Final[Mapping[DocLang, str]] = {
    "en": (
        "Every coded field of the standard takes its values from one of these lists. Each list is a CSV "
        "file (the source of truth) with the columns `code`, `label_en`, `label_uk`, `description` and "
        "`deprecated`, followed by list-specific columns such as crosswalks to other classifications. "
        "The files are published beside the schemas, as CSV and as JSON, for tools in any language.\n\n"
        "A **closed** list is exhaustive: any other value is an error. An **open** list may be extended "
        "by partners with codes of their own. Codes never change meaning and are never reused: a code "
        "that is retired is marked deprecated and stays in its list.\n"
    ),
    "uk": (
        "Кожне кодоване поле стандарту бере значення з одного з цих списків. Кожен список — це CSV-файл "
        "(першоджерело) зі стовпцями `code`, `label_en`, `label_uk`, `description` і `deprecated`, за "
        "якими йдуть стовпці, властиві конкретному списку, зокрема відповідності іншим класифікаціям. "
        "Файли публікуються поряд зі схемами у форматах CSV і JSON, щоб ними могли користуватися "
        "програми будь-якою мовою.\n\n"
        "**Закритий** список вичерпний: будь-яке інше значення є помилкою. **Відкритий** список партнери "
        "можуть доповнювати власними кодами. Коди ніколи не змінюють значення і ніколи не "
        "використовуються повторно: код, що вийшов з ужитку, позначається як застарілий і залишається у "
        "списку.\n"
    ),
}


def _codelist_index(lang: DocLang) -> str:
    title = "Code lists" if lang == "en" else "Списки кодів"
    out = [_front_matter(title), _GENERATED_NOTE, f"# {title}\n", _CODELIST_INDEX_INTRO[lang]]
    rows = []
    for name in codes.names():
        code_list = codes.load(name)
        rows.append(
            [
                f"[{_cell(code_list.title(lang))}]({name}.md)",
                _code_span(name),
                _ui("open_short" if code_list.open else "closed_short", lang),
                str(len(code_list)),
                _cell(_first_sentence(codes.description(name, None, lang))),
            ]
        )
    header = (
        ["List", "Name", "Kind", "Codes", "What it is for"]
        if lang == "en"
        else ["Список", "Назва", "Вид", "Кодів", "Призначення (англійською)"]
    )
    out.append(_table(header, rows))
    return "\n".join(out)


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.;])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


# --- issue codes ---

_FAMILIES: Final[Mapping[str, tuple[str, str]]] = {
    "input": (
        "Reading the input",
        "The file could not be read as JSON or JSON Lines. Nothing inside it was checked.",
    ),
    "document": ("Recognising the document", "The JSON is readable but is not a crsvdata document."),
    "schema": (
        "Structure",
        "What the published JSON Schema checks. Each code is named after the JSON Schema keyword that "
        "fails, so that the Python library and any JSON Schema validator name problems alike.",
    ),
    "codelist": ("Code lists", "Codes that are valid but should be replaced."),
    "output": ("Writing output", "A command could not write its output. Nothing partial was left behind."),
    "anonymise": (
        "Exports refused",
        "An export, a table or a risk measurement was refused before anything was written "
        "(crsvdata.anonymise errors). Messages never carry a record value or key material.",
    ),
    "disclosure": (
        "Protecting tables",
        "A published table could not be built or audited (crsvdata.disclosure); nothing was written.",
    ),
    "library": ("Library errors", "The base of every error crsvdata raises (crsvdata.errors.CrsvError)."),
    "identifier": (
        "Identifiers",
        "Checks of Ukrainian identifiers beyond their format: check digits, embedded dates, KATOTTH levels, "
        "phone numbers. Identifier values are never repeated in a message.",
    ),
}
_FAMILIES_UK: Final[Mapping[str, tuple[str, str]]] = {
    "input": (
        "Читання вхідних даних",
        "Файл не вдалося прочитати як JSON або JSON Lines. Нічого з його вмісту не перевірено.",
    ),
    "document": ("Розпізнавання документа", "JSON читається, але не є документом crsvdata."),
    "schema": (
        "Структура",
        "Те, що перевіряє опублікована JSON Schema. Кожен код названо за ключовим словом JSON Schema, "
        "перевірка якого не пройшла, тож бібліотека Python і будь-який валідатор JSON Schema називають "
        "проблеми однаково.",
    ),
    "codelist": ("Списки кодів", "Коди, які досі чинні, але їх слід замінити."),
    "output": (
        "Запис результатів",
        "Команда не змогла записати результат. Частково записаних файлів не залишилося.",
    ),
    "anonymise": (
        "Відмови в експорті",
        "В експорті, таблиці чи вимірюванні ризику відмовлено до того, як щось було записано (помилки "
        "crsvdata.anonymise). Повідомлення ніколи не містять значень із записів чи матеріалу ключа.",
    ),
    "disclosure": (
        "Захист таблиць",
        "Опубліковану таблицю не вдалося побудувати або перевірити (crsvdata.disclosure); "
        "нічого не записано.",
    ),
    "library": (
        "Помилки бібліотеки",
        "Основа всіх помилок, які crsvdata породжує навмисно (crsvdata.errors.CrsvError).",
    ),
    "identifier": (
        "Ідентифікатори",
        "Перевірки українських ідентифікаторів понад їхній формат: контрольні цифри, вбудовані дати, рівні "
        "КАТОТТГ, номери телефонів. Значення ідентифікаторів у повідомленнях ніколи не повторюються.",
    ),
}
_RULES_FAMILY: Final = (
    "Cross-field rules",
    "Rules JSON Schema cannot express: dates in order, references that must resolve, consent given by "
    "the right person. They run once the document's structure is valid.",
)
_RULES_FAMILY_UK: Final = (
    "Правила між полями",
    "Правила, яких JSON Schema не може виразити: послідовність дат, посилання, що мають вказувати на "
    "наявні елементи, згода, надана належною особою. Їх перевіряють, коли структура документа коректна.",
)
_ISSUES_TEXT: Final[Mapping[str, tuple[str, str]]] = {
    "title": ("Issue codes", "Коди проблем"),
    "description": (
        "Every issue code crsvdata reports: what it means and how to fix it.",
        "Усі коди проблем, про які повідомляє crsvdata: що вони означають і як проблему виправити.",
    ),
    "intro": (
        "Every problem crsvdata reports has a stable **code**, a **severity** and a **JSON pointer** to "
        "the place in the document. An **error** makes the document invalid; a **warning** does not. "
        "Codes never change meaning and are never reused, so tools may rely on them. Messages name fields, "
        "never values, so a report can be shared without leaking a survivor's data.\n",
        "Кожна проблема, про яку повідомляє crsvdata, має сталий **код**, **рівень серйозності** і "
        "**вказівник JSON** (JSON pointer) на місце в документі. **Помилка** робить документ некоректним, "
        "**попередження** — ні. Коди ніколи не змінюють значення й ніколи не використовуються повторно, тож "
        "програми можуть на них покладатися. Повідомлення називають поля, але ніколи не значення, тому "
        "звітом можна ділитися, не розкриваючи даних постраждалої особи. Команда "
        "`crsvdata validate --lang uk` виводить повідомлення українською.\n",
    ),
    "anchor": (
        "Link to a code with its anchor, e.g. `reference/issues/#schema.required`.\n",
        "Посилайтеся на код за його якорем, наприклад `reference/issues/#schema.required`.\n",
    ),
    "code": ("Code", "Код"),
    "severity": ("Severity", "Серйозність"),
    "means": ("What it means", "Що це означає"),
    "fix": ("How to fix it", "Як виправити"),
    "checked_on": ("Checked on", "Де перевіряється"),
    "error": ("error", "помилка"),
    "warning": ("warning", "попередження"),
}


def _issues_text(key: str, lang: DocLang) -> str:
    english, ukrainian = _ISSUES_TEXT[key]
    return english if lang == "en" else ukrainian


def _rule_owners() -> dict[str, list[str]]:
    """Issue code -> the models that declare it in their ``rule_codes``."""
    from crsvdata import models

    owners: dict[str, list[str]] = {}
    for name in models.__all__:
        model = getattr(models, name)
        for code in sorted(getattr(model, "rule_codes", ()) or ()):
            owners.setdefault(code, []).append(name)
    return owners


def _issues_page(lang: DocLang = "en") -> str:
    families: dict[str, list[IssueCode]] = {}
    for issue in ISSUE_CODES.values():
        key = issue.family if issue.family in _FAMILIES else "rules"
        families.setdefault(key, []).append(issue)
    owners = _rule_owners()
    title = _issues_text("title", lang)
    out = [
        _front_matter(title, _issues_text("description", lang)),
        _GENERATED_NOTE,
        f"# {title}\n",
        _issues_text("intro", lang),
        _issues_text("anchor", lang),
    ]
    named = _FAMILIES if lang == "en" else _FAMILIES_UK
    rules = _RULES_FAMILY if lang == "en" else _RULES_FAMILY_UK
    order = [*(family for family in _FAMILIES if family in families), "rules"]
    for family in order:
        if family not in families:
            continue
        heading, intro = named.get(family, rules)
        out.append(f"## {heading}\n\n{intro}\n")
        header = [_issues_text(key, lang) for key in ("code", "severity", "means", "fix")]
        if family == "rules":
            header.append(_issues_text("checked_on", lang))
        rows = []
        for issue in families[family]:
            # A code without its Ukrainian entry yet shows the English text (a test of
            # tests/test_validation_ukrainian.py fails until it is written).
            title_uk, fix_uk = UKRAINIAN_ISSUES.get(issue.code, (issue.title, issue.fix))
            row = [
                f'<code id="{issue.code}">{issue.code}</code>',
                _issues_text(issue.severity.value, lang),
                _cell(issue.title if lang == "en" else title_uk),
                _cell(issue.fix if lang == "en" else fix_uk),
            ]
            if family == "rules":
                row.append(", ".join(f"`{owner}`" for owner in owners.get(issue.code, [])))
            rows.append(row)
        out.append(_table(header, rows))
    return "\n".join(out)


# --- reference index ---


def _reference_index(lang: DocLang, version: str, names: Sequence[str]) -> str:
    if lang == "uk":
        title = "Довідник"
        lines = [
            _front_matter(title),
            _GENERATED_NOTE,
            f"# {title}\n",
            "Усі сторінки довідника створюються під час збирання сайту з файлів, що зберігаються в "
            "репозиторії: опублікованих JSON-схем, CSV-файлів списків кодів і каталогу кодів проблем. "
            "Тому вони не можуть розійтися з тим, що насправді перевіряє бібліотека.\n",
            "- [Списки кодів](codelists/index.md) — кожен список англійською та українською, з "
            "відповідностями до Елементів злочинів МКС, Кримінального кодексу України, GBVIMS, MRM, "
            "RD4U і HURIDOCS.",
            "- Типи записів: "
            + ", ".join(f"[{_title(name, 'uk')}](schema/{name}.md)" for name in names)
            + ".",
            "- [Коди проблем](issues.md): що означає кожна проблема, яку повідомляє перевірка, і як її "
            "виправити.\n",
            "## Файли для завантаження\n",
        ]
    else:
        title = "Reference"
        lines = [
            _front_matter(title),
            _GENERATED_NOTE,
            f"# {title}\n",
            "Every reference page is generated when the site is built, from the files committed in the "
            "repository: the published JSON Schemas, the code-list CSV files and the catalogue of issue "
            "codes. It cannot drift from what the library actually checks.\n",
            "- Record types: "
            + ", ".join(f"[{_title(name)}](schema/{name}.md)" for name in names)
            + " — every object and field.",
            "- [Code lists](codelists/index.md) — every list in English and Ukrainian, with the crosswalks "
            "to the ICC Elements of Crimes, the Criminal Code of Ukraine, GBVIMS, MRM, RD4U and HURIDOCS.",
            "- [Issue codes](issues.md) — what each validation issue means and how to fix it.\n",
            "## Downloads\n",
        ]
    intro = (
        f"The schemas of standard version {version}, at the address of their `$id`:"
        if lang == "en"
        else f"Схеми стандарту версії {version} за адресою їхнього `$id`:"
    )
    lines.append(intro + "\n")
    for name in names:
        lines.append(
            f"- [{name}.schema.json](../schemas/{version}/{name}.schema.json) — "
            f"`{SCHEMA_BASE_URL}{version}/{name}.schema.json`"
        )
    lines.append(
        "\n"
        + (
            f"Code lists: `{SCHEMA_BASE_URL}{version}/codelists/<name>.csv` and `.json`, linked from each "
            "code list page."
            if lang == "en"
            else f"Списки кодів: `{SCHEMA_BASE_URL}{version}/codelists/<name>.csv` і `.json`; посилання є "
            "на сторінці кожного списку."
        )
        + "\n"
    )
    return "\n".join(lines)


# --- fragments for hand-written pages ---


def _label_link(list_name: str, code: str, lang: DocLang, prefix: str) -> str:
    code_list = codes.load(list_name)
    label = code_list.get(code).label(lang) if code in code_list else code
    return f"[{_cell(label)}]({prefix}{list_name}.md#{anchor_for_code(code)})"


def _form_crosswalk(lang: DocLang, prefix: str) -> str:
    forms = codes.load("form_of_violence")
    header = (
        [
            *("Form of violence", "ICC Elements of Crimes", "Related ICC crimes"),
            *("Criminal Code of Ukraine", "GBVIMS", "MRM", "RD4U"),
        ]
        if lang == "en"
        else [
            *("Форма насильства", "Елементи злочинів МКС", "Суміжні злочини МКС"),
            *("КК України (статті)", "GBVIMS", "MRM", "RD4U"),
        ]
    )
    rows = []
    for row in forms:
        rows.append(
            [
                _label_link("form_of_violence", row.code, lang, prefix),
                ", ".join(_code_link("icc_eoc_crime", c, prefix) for c in row.extra["icc_eoc"].split())
                or "—",
                ", ".join(
                    _code_link("icc_related_crime", c, prefix) for c in row.extra["icc_related"].split()
                )
                or "—",
                ", ".join(
                    _code_link("criminal_code_article", c, prefix)
                    for c in row.extra["ua_criminal_code"].split()
                )
                or "—",
                _label_link("gbvims_core_type", row.extra["gbvims_core_type"], lang, prefix)
                if row.extra["gbvims_core_type"]
                else "—",
                _label_link("mrm_form", row.extra["mrm_form"], lang, prefix)
                if row.extra["mrm_form"]
                else "—",
                row.extra["rd4u_category"] or "—",
            ]
        )
    return _table(header, rows)


def _simple_list(list_name: str) -> Callable[[DocLang, str], str]:
    def render(lang: DocLang, prefix: str) -> str:
        header = [_ui("code", lang), _ui("label", lang), _ui("description", lang)]
        rows = [
            [
                f"[`{row.code}`]({prefix}{list_name}.md#{anchor_for_code(row.code)})",
                _cell(row.label(lang)),
                _cell(codes.description(list_name, row.code, lang)),
            ]
            for row in codes.load(list_name)
            if not row.is_deprecated
        ]
        return _table(header, rows)

    return render


_TRANSFORM_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "keep": ("Shared as recorded", "Передається як записано"),
    "pseudonymise": ("Replaced by a keyed pseudonym", "Замінюється ключовим псевдонімом"),
    "generalise": ("Generalised", "Узагальнюється"),
    "redact": ("Redacted (identifying details removed)", "Редагується (ідентифікаційні деталі вилучаються)"),
}
_PROFILE_UI: Final[Mapping[str, tuple[str, str]]] = {
    "purpose": ("Consent it needs", "Потрібна згода"),
    "recipients": ("Recipients", "Отримувачі"),
    "one_organisation": (
        "one named organisation, which the consent must name (or its category)",
        "одна названа організація, яку має називати згода (або її категорія)",
    ),
    "kind": ("Output", "Результат"),
    "records": ("records, one per case", "записи, по одному на випадок"),
    "aggregates": ("counts only; no record leaves", "лише підрахунки; жоден запис не передається"),
    "referral": (
        "an identified exchange package (case and identity)",
        "ідентифікований пакет обміну (випадок та особа)",
    ),
    "k": ("Disclosure control", "Контроль розкриття"),
    "k_value": (
        "every combination of {qis} shared by at least {k} records",
        "кожна комбінація {qis} спільна щонайменше для {k} записів",
    ),
    "cells": ("counts from 1 to {n} are suppressed", "значення від 1 до {n} приховуються"),
    "by": ("Counted by", "Розрізи"),
    "case_fields": ("Case data shared", "Дані випадку, що передаються"),
    "identity_fields": ("Identity data shared", "Дані про особу, що передаються"),
    "withheld": (
        "Everything not listed is withheld: a profile is an allow-list, so a field added to the standard "
        "later is never shared by an older profile.",
        "Усе, чого немає в переліку, не передається: профіль — це дозвільний список, тож поле, додане до "
        "стандарту пізніше, ніколи не передасться за старішим профілем.",
    ),
    "none": (
        "No export profiles are installed with this version of crsvdata.",
        "У цій версії crsvdata немає профілів експорту.",
    ),
    "description": ("Why (in the profile's own words)", "Чому (словами самого профілю)"),
}


def _profile_ui(key: str, lang: DocLang) -> str:
    english, ukrainian = _PROFILE_UI[key]
    return english if lang == "en" else ukrainian


def _shipped_profiles() -> list[Json]:
    """The export profiles shipped with the anonymisation package, read as data (their TOML files)."""
    import importlib.util
    import tomllib
    from importlib import resources

    if importlib.util.find_spec("crsvdata.anonymise") is None:
        return []
    folder = resources.files("crsvdata.anonymise").joinpath("profiles")
    if not folder.is_dir():
        return []
    loaded = [
        tomllib.loads(entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".toml")
    ]
    order = {"statistics": 0, "research": 1, "reparations": 2, "investigation": 3, "referral": 4}
    return sorted(
        loaded, key=lambda profile: (order.get(str(profile.get("name")), 9), str(profile.get("name")))
    )


PROFILE_TEXTS_UK: Final = Path(__file__).with_name("profile_texts_uk.json")
"""Ukrainian titles and descriptions of the shipped export profiles, keyed by the English text (as
``schema_descriptions_uk.json``): a profile whose text changes shows its English text until translated,
and ``tests/test_docs_ukrainian_sources.py`` lists it."""


@functools.cache
def profile_texts_uk() -> Mapping[str, str]:
    """The Ukrainian catalogue of the shipped profiles' titles and descriptions."""
    loaded: dict[str, str] = json.loads(PROFILE_TEXTS_UK.read_text("utf-8"))
    return loaded


def _profile_text(text: str, lang: DocLang) -> str:
    english = _normalised(text)
    return english if lang == "en" else profile_texts_uk().get(english, english)


def _export_profiles(lang: DocLang, prefix: str) -> str:
    profiles = _shipped_profiles()
    if not profiles:
        return f"*{_profile_ui('none', lang)}*\n"
    out: list[str] = []
    for profile in profiles:
        name = str(profile.get("name", ""))
        title = _profile_text(str(profile.get("title", "")), lang)
        out.append(f"### `{name}` — {_cell(title)}\n")
        purpose = str(profile.get("purpose", ""))
        facts = [(_profile_ui("purpose", lang), _label_link("consent_purpose", purpose, lang, prefix))]
        recipient = profile.get("recipient_category")
        if profile.get("requires_recipient_organisation"):
            facts.append((_profile_ui("recipients", lang), _profile_ui("one_organisation", lang)))
        elif isinstance(recipient, str):
            facts.append(
                (_profile_ui("recipients", lang), _label_link("recipient_category", recipient, lang, prefix))
            )
        kind = str(profile.get("kind", "records"))
        if kind in ("records", "aggregates", "referral"):
            facts.append((_profile_ui("kind", lang), _profile_ui(kind, lang)))
        disclosure = profile.get("disclosure", {})
        k = int(disclosure.get("k", 1)) if isinstance(disclosure, dict) else 1
        if kind == "records" and k > 1:
            qis = ", ".join(f"`{q}`" for q in disclosure.get("quasi_identifiers", []))
            facts.append((_profile_ui("k", lang), _profile_ui("k_value", lang).format(qis=qis, k=k)))
        if kind == "aggregates":
            threshold = int(profile.get("small_cell_threshold", 5))
            facts.append((_profile_ui("k", lang), _profile_ui("cells", lang).format(n=threshold - 1)))
            statistics = profile.get("statistics", {})
            if isinstance(statistics, dict) and statistics.get("by"):
                facts.append((_profile_ui("by", lang), ", ".join(f"`{b}`" for b in statistics["by"])))
        referral = profile.get("referral")
        if isinstance(referral, dict):
            facts.append(
                (
                    _profile_ui("case_fields", lang),
                    ", ".join(f"`{f}`" for f in referral.get("case_fields", [])),
                )
            )
            facts.append(
                (
                    _profile_ui("identity_fields", lang),
                    ", ".join(f"`{f}`" for f in referral.get("identity_fields", [])),
                )
            )
        fields = profile.get("fields", {})
        if isinstance(fields, dict):
            by_transform: dict[str, list[str]] = {}
            for path, rule in fields.items():
                transform = str(rule.get("transform", "keep")) if isinstance(rule, dict) else "keep"
                levels = rule.get("levels", []) if isinstance(rule, dict) else []
                shown = f"`{path}`" + (
                    f" ({' → '.join(levels)})" if transform == "generalise" and levels else ""
                )
                by_transform.setdefault(transform, []).append(shown)
            for transform, names in _TRANSFORM_NAMES.items():
                if transform in by_transform:
                    label = names[0] if lang == "en" else names[1]
                    facts.append((label, ", ".join(by_transform[transform])))
        out.append(_facts(facts))
        description = _profile_text(str(profile.get("description", "")), lang)
        if description:
            out.append(f"**{_profile_ui('description', lang)}:** {description}\n")
    out.append(f"*{_profile_ui('withheld', lang)}*\n")
    return "\n".join(out)


FRAGMENTS: Final[Mapping[str, Callable[[DocLang, str], str]]] = {
    "form-crosswalk": _form_crosswalk,
    "consent-purposes": _simple_list("consent_purpose"),
    "recipient-categories": _simple_list("recipient_category"),
    "consent-given-by": _simple_list("consent_given_by"),
    "guardian-exceptions": _simple_list("guardian_consent_exception"),
    "confidentiality-levels": _simple_list("confidentiality_level"),
    "export-profiles": _export_profiles,
}
"""Name -> renderer of a generated table that hand-written pages include with a directive comment."""


def fragment(name: str, lang: DocLang, page_path: str) -> str:
    """Render fragment ``name`` for a page at ``page_path`` (relative to the docs folder)."""
    renderer = FRAGMENTS.get(name)
    if renderer is None:
        raise KeyError(f"unknown crsvdata docs fragment {name!r}; known: {', '.join(sorted(FRAGMENTS))}")
    depth = page_path.count("/")
    prefix = "../" * depth + f"{REFERENCE_DIR}/codelists/"
    return renderer(lang, prefix)


_DIRECTIVE: Final = re.compile(r"^<!--\s*crsvdata:([a-z-]+)\s+(en|uk)\s*-->\s*$", re.MULTILINE)


def render_directives(markdown: str, page_path: str) -> str:
    """Replace every ``<!-- crsvdata:NAME LANG -->`` line of a page by the generated fragment."""

    def replace(match: re.Match[str]) -> str:
        lang: DocLang = "uk" if match.group(2) == "uk" else "en"
        return fragment(match.group(1), lang, page_path)

    return _DIRECTIVE.sub(replace, markdown)


# --- the whole reference ---


def generate_pages(sources: ReferenceSources) -> dict[str, str]:
    """Every generated page: path relative to the docs folder (``reference/...``) -> Markdown text."""
    schemas = sources.schemas()
    owners = _page_owners(schemas)
    examples = _example_values(sources, schemas)
    users = _codelist_users(schemas)
    base = REFERENCE_DIR
    pages: dict[str, str] = {
        f"{base}/index.md": _reference_index("en", sources.version, list(schemas)),
        f"{base}/index.uk.md": _reference_index("uk", sources.version, list(schemas)),
        f"{base}/issues.md": _issues_page("en"),
        f"{base}/issues.uk.md": _issues_page("uk"),
        f"{base}/codelists/index.md": _codelist_index("en"),
        f"{base}/codelists/index.uk.md": _codelist_index("uk"),
    }
    for name in schemas:
        pages[f"{base}/schema/{name}.md"] = _record_page(name, schemas, owners, examples, sources.version)
        pages[f"{base}/schema/{name}.uk.md"] = _record_page(
            name, schemas, owners, examples, sources.version, "uk"
        )
    for name in codes.names():
        code_list = codes.load(name)
        list_users = users.get(name, [])
        pages[f"{base}/codelists/{name}.md"] = _codelist_page(code_list, "en", list_users, sources.version)
        pages[f"{base}/codelists/{name}.uk.md"] = _codelist_page(code_list, "uk", list_users, sources.version)
    return pages


def reference_nav(sources: ReferenceSources) -> list[Any]:
    """The navigation of the reference section, as mkdocs ``nav`` entries (titles come from the pages)."""
    base = REFERENCE_DIR
    return [
        f"{base}/index.md",
        {"Record types": [f"{base}/schema/{name}.md" for name in sources.schema_names()]},
        {"Code lists": [f"{base}/codelists/index.md", *(f"{base}/codelists/{n}.md" for n in codes.names())]},
        f"{base}/issues.md",
    ]


def write_reference(docs_dir: Path, sources: ReferenceSources) -> list[Path]:
    """Write the generated pages under ``docs_dir/reference``; return the files that changed.

    Files are written only when their text changed (so ``mkdocs serve`` does not rebuild in a loop) and
    atomically (so two builds at once never see half a file). Stale files in the folder are removed.
    """
    pages = generate_pages(sources)
    root = docs_dir / REFERENCE_DIR
    changed: list[Path] = []
    for relative, text in pages.items():
        path = docs_dir / relative
        if path.exists() and path.read_text("utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".md")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
        changed.append(path)
    wanted = {(docs_dir / relative).resolve() for relative in pages}
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file() and path.resolve() not in wanted and not path.name.startswith(".tmp-"):
                path.unlink()
                changed.append(path)
    return changed
