"""The code lists of the crsvdata standard: what each code means, in English and Ukrainian.

Every list is a CSV file under ``crsvdata/codes/data/`` and those files are the source of truth: the
generated enums (``crsvdata.codes.enums``), the JSON Schemas and the docs are all derived from them, so an
integrator who never touches Python reads the same lists. ``_catalogue.csv`` describes the lists and
``_crosswalks.csv`` says which extra columns hold codes of another list.

Codes are stable: a code never changes meaning and is never reused. A retired code stays in its list with
the standard version that deprecated it, so old records stay readable.

Loading reads only the installed package data; it never touches the network.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

from crsvdata._package_data import package_files
from crsvdata.errors import CrsvError

__all__ = [
    "BASE_COLUMNS",
    "CATALOGUE_COLUMNS",
    "CROSSWALK_COLUMNS",
    "DEFAULT_CODE_PATTERN",
    "Code",
    "CodeList",
    "Crosswalk",
    "Lang",
    "UnknownCodeError",
    "UnknownCodeListError",
    "codes",
    "crosswalk_values",
    "crosswalks",
    "description",
    "is_deprecated",
    "label",
    "load",
    "names",
]

Lang = Literal["en", "uk"]

BASE_COLUMNS: Final = ("code", "label_en", "label_uk", "description", "deprecated")
"""Every list starts with these columns, in this order; list-specific columns follow."""

CATALOGUE_COLUMNS: Final = (
    "name",
    "title_en",
    "title_uk",
    "description",
    "open",
    "source",
    "code_pattern",
    "member_prefix",
)
CROSSWALK_COLUMNS: Final = ("list", "column", "target", "multiple")

DEFAULT_CODE_PATTERN: Final = r"^[a-z][a-z0-9_]*$"
"""Form of a crsvdata-defined code; lists with an external code form declare their own pattern."""

_DATA_PACKAGE: Final = "crsvdata.codes"
_DATA_DIR: Final = "data"
_CATALOGUE_FILE: Final = "_catalogue.csv"
_CROSSWALK_FILE: Final = "_crosswalks.csv"
_DESCRIPTIONS_UK_FILE: Final = "_descriptions_uk.csv"
DESCRIPTIONS_UK_COLUMNS: Final = ("list", "code", "description_uk")
"""The Ukrainian descriptions: one row per list (``code`` empty) and per described code. They are kept
apart from the lists' own CSV files so that a list's content and its translation can change separately;
``description(name, code, "uk")`` joins them."""


class UnknownCodeListError(CrsvError, KeyError):
    """Raised when a code list name is not in the catalogue (also a ``KeyError``, as a lookup)."""

    code = "codelist.unknown_list"

    def __init__(self, name: str) -> None:
        KeyError.__init__(self, name)
        self.name = name

    def __str__(self) -> str:
        # KeyError.__str__ would show only the repr of the key; say what went wrong instead.
        return f"unknown code list {self.name!r}; see crsvdata.codes.names() for the lists of this standard"


class UnknownCodeError(CrsvError, KeyError):
    """Raised when a code is not in the code list it was looked up in (also a ``KeyError``)."""

    code = "schema.enum"

    def __init__(self, list_name: str, value: str) -> None:
        KeyError.__init__(self, list_name, value)
        self.list_name = list_name
        self.value = value

    def __str__(self) -> str:
        # The value is not repeated: a wrong "code" may be free text typed into a code field.
        return f"a value is not a code of code list {self.list_name!r}"


@dataclass(frozen=True, slots=True)
class Code:
    """One row of a code list."""

    code: str
    label_en: str
    label_uk: str
    description: str
    deprecated: str | None
    """Standard version (``X.Y``) that deprecated the code, or ``None`` if it is current."""
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    """List-specific columns (crosswalks and attributes), in CSV column order; empty cells are ``""``."""

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang`` ("en" or "uk")."""
        if lang == "en":
            return self.label_en
        if lang == "uk":
            return self.label_uk
        raise ValueError(f"unsupported label language {lang!r}; use 'en' or 'uk'")

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated is not None


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """An extra column whose cells are codes of another list (``target``)."""

    list: str
    column: str
    target: str
    multiple: bool
    """True if a cell may hold several space-separated codes."""


@dataclass(frozen=True, slots=True)
class CodeList:
    """One code list: its catalogue entry and its rows, in the order of the CSV file."""

    name: str
    title_en: str
    title_uk: str
    description: str
    open: bool
    """An open list may be extended by partners; a closed one may not (unknown codes are errors)."""
    columns: tuple[str, ...]
    """All CSV columns, starting with ``BASE_COLUMNS``."""
    rows: tuple[Code, ...]
    source: str = ""
    code_pattern: str = DEFAULT_CODE_PATTERN
    member_prefix: str = ""
    _index: Mapping[str, Code] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", MappingProxyType({row.code: row for row in self.rows}))

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """The list-specific columns after ``BASE_COLUMNS``."""
        return self.columns[len(BASE_COLUMNS) :]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._index)

    def get(self, code: str) -> Code:
        """The row for ``code``; raises ``UnknownCodeError`` if the list has no such code."""
        try:
            return self._index[code]
        except KeyError:
            raise UnknownCodeError(self.name, code) from None

    def title(self, lang: Lang = "en") -> str:
        if lang == "en":
            return self.title_en
        if lang == "uk":
            return self.title_uk
        raise ValueError(f"unsupported label language {lang!r}; use 'en' or 'uk'")

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def __iter__(self) -> Iterator[Code]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


# --- parsing (pure functions: the generator and the tests reuse them on files outside the package) ---


def read_csv_text(text: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """Parse CSV text into its header and rows (each row a dict keyed by column)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = tuple(next(reader))
    except StopIteration:
        raise ValueError("empty CSV file") from None
    rows: list[dict[str, str]] = []
    for number, record in enumerate(reader, start=2):
        if len(record) != len(header):
            raise ValueError(f"line {number}: {len(record)} cells, header has {len(header)}")
        rows.append(dict(zip(header, record, strict=True)))
    return header, rows


def parse_catalogue(text: str) -> dict[str, dict[str, str]]:
    """Parse ``_catalogue.csv``; returns name -> catalogue row, in file order."""
    header, rows = read_csv_text(text)
    if header != CATALOGUE_COLUMNS:
        raise ValueError(f"_catalogue.csv header must be {','.join(CATALOGUE_COLUMNS)}")
    return {row["name"]: row for row in rows}


def parse_crosswalks(text: str) -> tuple[Crosswalk, ...]:
    header, rows = read_csv_text(text)
    if header != CROSSWALK_COLUMNS:
        raise ValueError(f"_crosswalks.csv header must be {','.join(CROSSWALK_COLUMNS)}")
    return tuple(
        Crosswalk(row["list"], row["column"], row["target"], _parse_bool(row["multiple"], "multiple"))
        for row in rows
    )


def parse_code_list(entry: Mapping[str, str], text: str) -> CodeList:
    """Build a ``CodeList`` from its catalogue row and the text of its CSV file."""
    header, rows = read_csv_text(text)
    if header[: len(BASE_COLUMNS)] != BASE_COLUMNS:
        raise ValueError(f"{entry['name']}.csv header must start with {','.join(BASE_COLUMNS)}")
    extra_columns = header[len(BASE_COLUMNS) :]
    parsed = tuple(
        Code(
            code=row["code"],
            label_en=row["label_en"],
            label_uk=row["label_uk"],
            description=row["description"],
            deprecated=row["deprecated"] or None,
            extra=MappingProxyType({column: row[column] for column in extra_columns}),
        )
        for row in rows
    )
    return CodeList(
        name=entry["name"],
        title_en=entry["title_en"],
        title_uk=entry["title_uk"],
        description=entry["description"],
        open=_parse_bool(entry["open"], "open"),
        columns=header,
        rows=parsed,
        source=entry["source"],
        code_pattern=entry["code_pattern"] or DEFAULT_CODE_PATTERN,
        member_prefix=entry["member_prefix"],
    )


def _parse_bool(value: str, column: str) -> bool:
    if value == "true":
        return True
    if value == "false":
        return False
    raise ValueError(f"column {column!r} must be 'true' or 'false', not {value!r}")


# --- package data ---


def _read_data(filename: str) -> str:
    resource = package_files(_DATA_PACKAGE).joinpath(_DATA_DIR, filename)
    # utf-8 (not utf-8-sig): the files have no BOM, and a stray BOM must show up as a header mismatch.
    return resource.read_text(encoding="utf-8")


@functools.cache
def _catalogue() -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType(parse_catalogue(_read_data(_CATALOGUE_FILE)))


@functools.cache
def _crosswalks() -> tuple[Crosswalk, ...]:
    return parse_crosswalks(_read_data(_CROSSWALK_FILE))


@functools.cache
def _descriptions_uk() -> Mapping[tuple[str, str], str]:
    header, rows = read_csv_text(_read_data(_DESCRIPTIONS_UK_FILE))
    if header != DESCRIPTIONS_UK_COLUMNS:
        raise ValueError(f"{_DESCRIPTIONS_UK_FILE} header must be {','.join(DESCRIPTIONS_UK_COLUMNS)}")
    return MappingProxyType({(row["list"], row["code"]): row["description_uk"] for row in rows})


def description(name: str, code: str | None = None, lang: Lang = "en") -> str:
    """The description of the list ``name`` (``code`` None) or of one of its codes, in ``lang``.

    A Ukrainian description not written yet falls back to the English one (a test requires every one);
    an unknown list or code raises ``UnknownCodeListError`` or ``UnknownCodeError``.
    """
    code_list = load(name)
    english = code_list.description if code is None else code_list.get(code).description
    if lang == "en":
        return english
    if lang == "uk":
        return _descriptions_uk().get((name, code or ""), english)
    raise ValueError(f"unsupported description language {lang!r}; use 'en' or 'uk'")


def names() -> tuple[str, ...]:
    """Names of all code lists of the standard, in catalogue order."""
    return tuple(_catalogue())


@functools.cache
def load(name: str) -> CodeList:
    """The code list ``name``; raises ``UnknownCodeListError`` (a ``KeyError``) for an unknown name."""
    entry = _catalogue().get(name)
    if entry is None:
        raise UnknownCodeListError(name)
    return parse_code_list(entry, _read_data(f"{name}.csv"))


def codes(name: str) -> frozenset[str]:
    """All codes of list ``name``, deprecated ones included."""
    return load(name).codes


def label(name: str, code: str, lang: Lang = "en") -> str:
    """The label of ``code`` in list ``name``, in English ("en") or Ukrainian ("uk")."""
    return load(name).get(code).label(lang)


def is_deprecated(name: str, code: str) -> bool:
    """True if ``code`` of list ``name`` is deprecated; raises ``UnknownCodeError`` if it is not a code."""
    return load(name).get(code).is_deprecated


def crosswalks(name: str | None = None) -> tuple[Crosswalk, ...]:
    """The crosswalk columns of list ``name`` (of all lists if ``name`` is None)."""
    if name is None:
        return _crosswalks()
    if name not in _catalogue():
        raise UnknownCodeListError(name)
    return tuple(crosswalk for crosswalk in _crosswalks() if crosswalk.list == name)


def crosswalk_values(name: str, code: str, column: str) -> tuple[str, ...]:
    """The target codes in crosswalk ``column`` for ``code`` of list ``name`` (empty: no equivalent)."""
    code_list = load(name)
    if column not in code_list.extra_columns:
        raise KeyError(f"code list {name!r} has no column {column!r}")
    return tuple(code_list.get(code).extra[column].split())
