"""Maintainer tooling for the code lists: render ``enums.py`` and refresh the vendored ISO lists.

Nothing here runs when the library is used: ``tools.manage`` calls it (``python -m tools.manage codes``,
``refresh-iso``, ``check``) and the tests call ``render_enums`` to prove the committed ``enums.py`` matches
the CSV files.

The ISO lists (countries, currencies, languages, regions of Ukraine) are copied from pycountry into CSV
files instead of being read from pycountry at run time. Reading them live would make the published code
lists, and every schema built from them, change whenever a user upgrades pycountry (engineering anchors
6.4); a refresh is a deliberate, reviewed change instead. pycountry is therefore a dev-only dependency,
imported inside ``refresh_iso`` only.
"""

from __future__ import annotations

import csv
import gettext
import importlib.metadata
import io
import keyword
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from crsvdata.codes import (
    BASE_COLUMNS,
    CATALOGUE_COLUMNS,
    CodeList,
    parse_catalogue,
    parse_code_list,
    read_csv_text,
)
from crsvdata.version import STANDARD_VERSION

REPOSITORY: Final = Path(__file__).resolve().parents[1]
PACKAGE_DIR: Final = REPOSITORY / "src" / "crsvdata" / "codes"
DATA_DIR: Final = PACKAGE_DIR / "data"
ENUMS_PATH: Final = PACKAGE_DIR / "enums.py"
CATALOGUE_FILE: Final = "_catalogue.csv"

GENERATE_COMMAND: Final = "python -m tools.manage codes"
REFRESH_COMMAND: Final = "python -m tools.manage refresh-iso"

LINE_LENGTH: Final = 110  # pyproject's ruff line length: the generated file must pass `ruff check`.
_INDENT: Final = "    "

# ---------------------------------------------------------------------------------------------------------
# CSV formatting
# ---------------------------------------------------------------------------------------------------------


def format_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The canonical text of a code-list CSV file: UTF-8, LF line ends, quoting only where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` if it differs; returns True if the file changed."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    # newline="" keeps LF on Windows too: the files are compared byte for byte in the tests.
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return True


def read_lists(data_dir: Path = DATA_DIR) -> list[CodeList]:
    """Parse every list of the catalogue in ``data_dir`` (no caching, unlike ``crsvdata.codes.load``)."""
    catalogue = parse_catalogue((data_dir / CATALOGUE_FILE).read_text(encoding="utf-8"))
    return [
        parse_code_list(entry, (data_dir / f"{name}.csv").read_text(encoding="utf-8"))
        for name, entry in catalogue.items()
    ]


# ---------------------------------------------------------------------------------------------------------
# enums.py
# ---------------------------------------------------------------------------------------------------------

_NON_ALNUM: Final = re.compile(r"[^A-Za-z0-9]+")
_AMBIGUOUS_NAMES: Final = frozenset({"l", "O", "I"})


def class_name(list_name: str) -> str:
    """PascalCase class name of a list: ``form_of_violence`` -> ``FormOfViolence``."""
    return "".join(part.capitalize() for part in list_name.split("_"))


def member_name(code: str, prefix: str = "") -> str:
    """Enum member name of a code: upper case, every non-alphanumeric run replaced by ``_``.

    A name that would start with a digit (``442-1``) or is otherwise not a usable identifier gets the
    list's ``member_prefix`` (``ART_442_1``).
    """
    name = _NON_ALNUM.sub("_", code).upper()
    if not name.isidentifier() or name.startswith("_") or keyword.iskeyword(name):
        if not prefix:
            raise ValueError(f"code {code!r} needs a member_prefix to become an enum member name")
        name = f"{prefix}_{name}"
    if not name.isidentifier():
        raise ValueError(f"code {code!r} gives an invalid member name {name!r}")
    return name


def _check_literal(text: str, what: str) -> None:
    # Backslashes and double quotes would need escaping inside the generated string literals and
    # docstrings; no label needs them (Ukrainian text uses «»), so refuse rather than escape.
    if "\\" in text or '"' in text:
        raise ValueError(f"{what} contains a backslash or double quote: {text!r}")


def _docstring(text: str, indent: str) -> list[str]:
    _check_literal(text, "docstring text")
    one_line = f'{indent}"""{text}"""'
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    lines = textwrap.wrap(
        text,
        width=LINE_LENGTH,
        initial_indent=f'{indent}"""',
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    return [*lines, f'{indent}"""']


def _class_docstring(code_list: CodeList) -> list[str]:
    kind = "open: partners may add codes" if code_list.open else "closed"
    paragraphs = [
        code_list.title_en.rstrip(".") + ".",
        code_list.description,
        f"Code list ``{code_list.name}`` ({kind}). Source: {code_list.source}.",
    ]
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        _check_literal(paragraph, f"{code_list.name} catalogue text")
        if number:
            lines.append("")
        first_indent = f'{_INDENT}"""' if number == 0 else _INDENT
        lines.extend(
            textwrap.wrap(
                paragraph,
                width=LINE_LENGTH,
                initial_indent=first_indent,
                subsequent_indent=_INDENT,
                break_on_hyphens=False,
            )
        )
    lines.append(f'{_INDENT}"""')
    return lines


def _render_class(code_list: CodeList) -> list[str]:
    lines = [f"class {class_name(code_list.name)}(StrEnum):", *_class_docstring(code_list), ""]
    seen: dict[str, str] = {}
    for row in code_list.rows:
        name = member_name(row.code, code_list.member_prefix)
        if name in seen:
            raise ValueError(f"{code_list.name}: codes {seen[name]!r} and {row.code!r} give one member name")
        seen[name] = row.code
        _check_literal(row.code, f"{code_list.name} code")
        doc = row.label_en if row.deprecated is None else f"{row.label_en} (deprecated in {row.deprecated})"
        # pycodestyle's E741 flags l, O and I as easily misread; they are real codes here (KATOTTH "O").
        noqa = "  # noqa: E741" if name in _AMBIGUOUS_NAMES else ""
        lines.append(f'{_INDENT}{name} = "{row.code}"{noqa}')
        lines.extend(_docstring(doc, _INDENT))
    return lines


def _all_sort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 expects in __all__: constants first, then classes.
    return (0 if name.isupper() else 1, name)


def render_enums(data_dir: Path = DATA_DIR) -> str:
    """The text of ``enums.py`` for the CSV files in ``data_dir``; deterministic, ruff-clean."""
    lists = read_lists(data_dir)
    classes = [class_name(code_list.name) for code_list in lists]
    out = [
        f"# GENERATED by `{GENERATE_COMMAND}` from src/crsvdata/codes/data/*.csv: do not edit by hand.",
        "# The CSV files are the source of truth; edit them and regenerate.",
        '"""One ``StrEnum`` per crsvdata code list (standard version '
        + ".".join(STANDARD_VERSION.split(".")[:2])
        + ").",
        "",
        "Member values are the codes; member names are the codes in upper case with every run of other",
        "characters replaced by ``_`` (and a list prefix where a code starts with a digit). Ukrainian",
        "labels, descriptions and crosswalks are in ``crsvdata.codes``.",
        '"""',
        "",
        "from collections.abc import Mapping",
        "from enum import StrEnum",
        "from types import MappingProxyType",
        "from typing import Final",
        "",
        "__all__ = [",
        *(f'    "{name}",' for name in sorted(["ENUMS", *classes], key=_all_sort_key)),
        "]",
    ]
    for code_list in lists:
        out.extend(["", "", *_render_class(code_list)])
    out.extend(
        [
            "",
            "",
            "ENUMS: Final[Mapping[str, type[StrEnum]]] = MappingProxyType(",
            "    {",
            *(f'        "{code_list.name}": {class_name(code_list.name)},' for code_list in lists),
            "    }",
            ")",
            '"""Code list name -> its enum."""',
        ]
    )
    return "\n".join(out) + "\n"


def write_enums(path: Path = ENUMS_PATH, data_dir: Path = DATA_DIR) -> bool:
    """Regenerate ``enums.py``; returns True if it changed."""
    return write_text(path, render_enums(data_dir))


def check_enums(path: Path = ENUMS_PATH, data_dir: Path = DATA_DIR) -> list[str]:
    """Problems with the committed ``enums.py`` (empty if it is in sync with the CSV files)."""
    expected = render_enums(data_dir)
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual != expected:
        return [f"{path.name} is out of date with the code-list CSV files: run `{GENERATE_COMMAND}`"]
    return []


# ---------------------------------------------------------------------------------------------------------
# Vendored ISO lists
# ---------------------------------------------------------------------------------------------------------

ISO_LISTS: Final = ("country", "currency", "language", "ua_subdivision")

# Hand corrections to pycountry's Ukrainian gettext catalogues, applied on every refresh (so a refresh never
# undoes them). Keep each one justified.
UK_LABEL_OVERRIDES: Final[Mapping[str, Mapping[str, str]]] = {
    "country": {
        # pycountry copies the inverted ISO form with a lower-case "республіка"/"штати".
        "CD": "Демократична Республіка Конго",
        "DO": "Домініканська Республіка",
        "FM": "Федеративні Штати Мікронезії",
        # pycountry has only the abbreviation "США".
        "US": "Сполучені Штати Америки",
    },
    "currency": {
        # "вона" is feminine: pycountry's "Північнокорейський вона" is ungrammatical.
        "KPW": "Північнокорейська вона",
    },
    "language": {
        # pycountry gives "латиниця", which is the Latin *script*, not the language.
        "la": "Латинська",
        # Official Ukrainian name of the language; "голландська" is colloquial.
        "nl": "Нідерландська",
        # Written as one word in Ukrainian.
        "sh": "Сербохорватська",
        # The name used by the Law of Ukraine No. 1985-IX (2021) on Ukrainian Sign Language.
        "ukl": "Українська жестова мова",
    },
    "ua_subdivision": {
        # pycountry's "Київ"/"Севастополь" do not tell the cities from the oblast (UA-32); the Constitution
        # (art. 133) and KATOTTH name them as cities.
        "UA-30": "Місто Київ",
        "UA-40": "Місто Севастополь",
    },
}

EN_LABEL_OVERRIDES: Final[Mapping[str, Mapping[str, str]]] = {
    # ISO's short name is a romanisation ("Avtonomna Respublika Krym"), not an English label.
    "ua_subdivision": {"UA-43": "Autonomous Republic of Crimea"},
}

# Languages of Ukraine without an ISO 639-1 code, coded by ISO 639-3 as BCP 47 does (shortest ISO 639
# code): Crimean Tatar, Gagauz, Krymchak, Karaim and Urum (Indigenous and minority languages of Ukraine),
# Romani, Rusyn, and Ukrainian Sign Language (interpretation needs of Deaf survivors).
EXTRA_LANGUAGES: Final = ("crh", "gag", "jct", "kdr", "rom", "rue", "ukl", "uum")

_ISO_STANDARD: Final[Mapping[str, str]] = {
    "country": "ISO 3166-1",
    "currency": "ISO 4217",
    "language": "ISO 639-1, with ISO 639-3 for languages of Ukraine without a 639-1 code",
    "ua_subdivision": "ISO 3166-2:UA",
}


_Fresh = list[tuple[str, str, dict[str, str]]]
"""Rows read from pycountry: (code, English name, pycountry-owned extra columns)."""


def _countries(pycountry: Any) -> _Fresh:
    return [(c.alpha_2, c.name, {"alpha_3": c.alpha_3}) for c in pycountry.countries]


def _currencies(pycountry: Any) -> _Fresh:
    return [(c.alpha_3, c.name, {"numeric": c.numeric}) for c in pycountry.currencies]


def _languages(pycountry: Any) -> _Fresh:
    rows = [
        (lang.alpha_2, lang.name, {"alpha_3": lang.alpha_3})
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None)
    ]
    for alpha_3 in EXTRA_LANGUAGES:
        lang = pycountry.languages.get(alpha_3=alpha_3)
        if lang is None:
            raise LookupError(f"pycountry has no ISO 639-3 language {alpha_3!r} (EXTRA_LANGUAGES)")
        rows.append((alpha_3, lang.name, {"alpha_3": alpha_3}))
    return rows


def _ua_subdivisions(pycountry: Any) -> _Fresh:
    return [(s.code, s.name, {"type": s.type}) for s in pycountry.subdivisions.get(country_code="UA")]


@dataclass(frozen=True)
class _IsoSpec:
    domain: str  # pycountry gettext domain holding the Ukrainian names
    columns: tuple[str, ...]  # extra columns pycountry owns; every other extra column belongs to crsvdata
    read: Callable[[Any], _Fresh]


_ISO_SPECS: Final[Mapping[str, _IsoSpec]] = {
    "country": _IsoSpec("iso3166-1", ("alpha_3",), _countries),
    "currency": _IsoSpec("iso4217", ("numeric",), _currencies),
    "language": _IsoSpec("iso639-3", ("alpha_3",), _languages),
    "ua_subdivision": _IsoSpec("iso3166-2", ("type",), _ua_subdivisions),
}


def normalise_uk_label(text: str) -> str:
    """House style for Ukrainian labels: typographic apostrophe, capital first letter (labels stand alone)."""
    text = text.replace("'", "\u2019").replace("\u02bc", "\u2019")
    return text[:1].upper() + text[1:]


def _standard_minor(version: str = STANDARD_VERSION) -> str:
    return ".".join(version.split(".")[:2])


@dataclass
class RefreshReport:
    """What ``refresh_iso`` did."""

    changed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def merge_iso_list(
    name: str,
    fresh: Sequence[tuple[str, str, str, Mapping[str, str]]],
    pycountry_columns: Sequence[str],
    existing_text: str | None,
    deprecate_in: str,
) -> tuple[str, list[str]]:
    """Merge freshly read ISO rows into the existing CSV text; returns (new text, warnings).

    pycountry owns ``code``, the labels and ``pycountry_columns``; crsvdata owns ``description``,
    ``deprecated`` and any other extra column, which are kept. A code that disappeared from pycountry is
    never dropped (codes are never removed or reused): it is kept and marked deprecated.
    """
    warnings: list[str] = []
    existing_header: tuple[str, ...] = BASE_COLUMNS
    existing: dict[str, dict[str, str]] = {}
    if existing_text is not None:
        existing_header, rows = read_csv_text(existing_text)
        existing = {row["code"]: row for row in rows}
    own_columns = [c for c in existing_header[len(BASE_COLUMNS) :] if c not in pycountry_columns]
    header = (*BASE_COLUMNS, *pycountry_columns, *own_columns)

    merged: dict[str, dict[str, str]] = {}
    for code, label_en, label_uk, extra in fresh:
        old = existing.get(code, {})
        row = {column: old.get(column, "") for column in header}
        row.update(code=code, label_en=label_en, label_uk=label_uk, **extra)
        merged[code] = row
    for code, old in existing.items():
        if code in merged:
            continue
        row = {column: old.get(column, "") for column in header}
        if not row["deprecated"]:
            row["deprecated"] = deprecate_in
            warnings.append(
                f"{name}: {code} is no longer in pycountry; kept and marked deprecated in {deprecate_in}"
            )
        merged[code] = row
    body = [[merged[code][column] for column in header] for code in sorted(merged)]
    return format_csv(header, body), warnings


def refresh_iso(data_dir: Path = DATA_DIR, lists: Sequence[str] = ISO_LISTS) -> RefreshReport:
    """Rewrite the vendored ISO code lists from the installed pycountry (maintainers only)."""
    try:
        import pycountry  # dev-only dependency: never imported by the library itself
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError("refresh-iso needs pycountry: pip install 'crsvdata[dev]'") from error

    version = importlib.metadata.version("pycountry")
    report = RefreshReport()
    missing: list[str] = []
    fresh_lists: dict[str, list[tuple[str, str, str, Mapping[str, str]]]] = {}
    for name in lists:
        spec = _ISO_SPECS[name]
        translation = gettext.translation(spec.domain, localedir=pycountry.LOCALES_DIR, languages=["uk"])
        uk_overrides = UK_LABEL_OVERRIDES.get(name, {})
        en_overrides = EN_LABEL_OVERRIDES.get(name, {})
        fresh = fresh_lists.setdefault(name, [])
        for code, english, extra in spec.read(pycountry):
            ukrainian = uk_overrides.get(code) or translation.gettext(english)
            if ukrainian == english:
                missing.append(f"{name}:{code} ({english})")
            fresh.append((code, en_overrides.get(code, english), normalise_uk_label(ukrainian), extra))
    if missing:
        # Falling back to English silently would ship English names as Ukrainian labels.
        raise LookupError(
            "pycountry has no Ukrainian name for: "
            + ", ".join(missing)
            + "; add a label to UK_LABEL_OVERRIDES in crsvdata/codes/_generate.py"
        )
    for name, fresh in fresh_lists.items():
        path = data_dir / f"{name}.csv"
        existing = path.read_text(encoding="utf-8") if path.exists() else None
        text, warnings = merge_iso_list(name, fresh, _ISO_SPECS[name].columns, existing, _standard_minor())
        report.warnings.extend(warnings)
        if write_text(path, text):
            report.changed.append(path)
    if _update_catalogue_sources(data_dir, lists, version):
        report.changed.append(data_dir / CATALOGUE_FILE)
    return report


def _update_catalogue_sources(data_dir: Path, lists: Sequence[str], version: str) -> bool:
    path = data_dir / CATALOGUE_FILE
    catalogue = parse_catalogue(path.read_text(encoding="utf-8"))
    for name in lists:
        if name in catalogue:
            catalogue[name]["source"] = f"pycountry {version} ({_ISO_STANDARD[name]})"
    rows = [[entry[column] for column in CATALOGUE_COLUMNS] for entry in catalogue.values()]
    return write_text(path, format_csv(CATALOGUE_COLUMNS, rows))
