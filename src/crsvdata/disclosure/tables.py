"""Count tables independent of case records: full ordered domains, cell counts and every margin.

A :class:`Table` has one :class:`Domain` per dimension. A domain lists *every* category that could occur
(normally a whole code list), in a fixed order, so a category nobody falls into is a real zero row of the
published table rather than a missing one: which rows a table has never tells a reader who is in it.

Entries are addressed by a *key*, one index per dimension; the index ``len(domain)`` stands for the
margin ``_total`` of that dimension. The interior cells are the keys without a total index, the margins
the others, and the grand total the key made only of total indexes.

Error messages name dimensions and positions, never a category value taken from the data: a mistyped
value could be a name or a place.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from crsvdata import codes
from crsvdata.errors import CrsvError

__all__ = [
    "MAX_ENTRIES",
    "TOTAL",
    "Domain",
    "Key",
    "PublishedTable",
    "Table",
    "TableError",
    "Unit",
    "record_key",
]

TOTAL: Final = "_total"
"""The label of a margin: the sum over every category of that dimension."""

MAX_ENTRIES: Final = 200_000
"""Largest table (cells and margins together) this package builds at all; the audit has its own limit."""

Key = tuple[int, ...]
IntArray = npt.NDArray[np.int64]


class TableError(CrsvError, ValueError):
    """A table cannot be built from what was given. The message never contains a value from the data."""

    code = "disclosure.table"


@dataclass(frozen=True, slots=True)
class Domain:
    """One dimension: its name and the full, ordered list of its categories."""

    name: str
    categories: tuple[str, ...]
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.categories:
            raise TableError(f"dimension {self.name!r} has an empty domain")
        if len(set(self.categories)) != len(self.categories):
            raise TableError(f"dimension {self.name!r} lists a category twice")
        if TOTAL in self.categories:
            raise TableError(f"dimension {self.name!r}: {TOTAL!r} is reserved for margins")
        object.__setattr__(self, "_index", {c: i for i, c in enumerate(self.categories)})

    @classmethod
    def from_code_list(
        cls,
        list_name: str,
        *,
        name: str | None = None,
        extra: Sequence[str] = (),
        include_deprecated: bool = True,
    ) -> Domain:
        """The whole code list ``list_name`` in file order, then ``extra`` categories (e.g. ``unknown``).

        Deprecated codes are kept by default: old records may still carry them, and dropping one would
        make its row appear or disappear with the data.
        """
        rows = codes.load(list_name)
        listed = tuple(row.code for row in rows if include_deprecated or not row.is_deprecated)
        return cls(name or list_name, listed + tuple(c for c in extra if c not in listed))

    def __len__(self) -> int:
        return len(self.categories)

    def index(self, category: str) -> int:
        """The position of ``category``; TableError (without the value) if it is not in the domain."""
        try:
            return self._index[category]
        except KeyError:
            raise TableError(f"dimension {self.name!r}: a category is not in its domain") from None


def record_key(value: bytes | int, modulus: int) -> int:
    """A unit's record key in ``[0, modulus)`` from the caller's keyed digest of the unit.

    ``value`` should be an HMAC (at least 8 bytes) of the unit under a secret key, so that record keys
    are uniform and unguessable; an ``int`` must already lie in range.
    """
    if modulus < 2:
        raise TableError("the key modulus must be at least 2")
    if isinstance(value, bytes):
        if len(value) < 8:
            raise TableError("a record key needs at least 8 bytes of keyed digest")
        return int.from_bytes(value, "big") % modulus
    if isinstance(value, bool) or not isinstance(value, int):
        raise TableError("a record key must be bytes or an int")
    if not 0 <= value < modulus:
        raise TableError("a record key must lie in [0, modulus)")
    return value


Unit = tuple[Sequence[str], bytes | int]
"""One counting unit for a keyed table: its category in each dimension and its record key."""


@dataclass(frozen=True)
class Table:
    """Counts of one unit over the full product of its domains, margins included.

    ``cells`` has one axis per domain (interior cells only); :attr:`entries` adds the margins.
    ``cell_keys`` (same shape) is the sum of the contributors' record keys modulo ``key_modulus``, present
    only when the table was built with :meth:`from_units`; cell-key perturbation needs it.
    """

    domains: tuple[Domain, ...]
    cells: IntArray
    cell_keys: IntArray | None = None
    key_modulus: int | None = None

    def __post_init__(self) -> None:
        if not self.domains:
            raise TableError("a table needs at least one dimension")
        names = [d.name for d in self.domains]
        if len(set(names)) != len(names):
            raise TableError("a dimension is named twice")
        shape = tuple(len(d) for d in self.domains)
        size = 1
        for n in shape:
            size *= n + 1
        if size > MAX_ENTRIES:
            raise TableError(
                f"the table would have {size} entries (limit {MAX_ENTRIES}); use fewer dimensions"
            )
        if self.cells.shape != shape:
            raise TableError(f"cells have shape {self.cells.shape}, the domains need {shape}")
        if self.cells.size and int(self.cells.min()) < 0:
            raise TableError("a count is negative")
        if (self.cell_keys is None) != (self.key_modulus is None):
            raise TableError("cell keys and their modulus go together")
        if self.cell_keys is not None and self.cell_keys.shape != shape:
            raise TableError("cell keys must have the shape of the cells")

    # --- construction -------------------------------------------------------------------------------

    @classmethod
    def from_counts(cls, domains: Sequence[Domain], counts: Mapping[tuple[str, ...], int]) -> Table:
        """A table from counts by category tuple; categories absent from ``counts`` count zero."""
        doms = tuple(domains)
        cells = np.zeros(tuple(len(d) for d in doms), dtype=np.int64)
        for number, (labels, count) in enumerate(counts.items()):
            key = _locate(doms, labels, number)
            if isinstance(count, bool) or not isinstance(count, int | np.integer):
                raise TableError(f"count number {number} is not an integer")
            if count < 0:
                raise TableError(f"count number {number} is negative")
            cells[key] += int(count)
        return cls(doms, cells)

    @classmethod
    def from_array(cls, domains: Sequence[Domain], cells: npt.ArrayLike) -> Table:
        """A table from an array of interior cells, one axis per domain in domain order."""
        array = np.asarray(cells)
        if array.dtype.kind not in "iu":
            raise TableError("cells must be integers")
        return cls(tuple(domains), array.astype(np.int64))

    @classmethod
    def from_units(cls, domains: Sequence[Domain], units: Iterable[Unit], modulus: int = 1 << 16) -> Table:
        """A keyed table: each unit counts one in its cell and adds its record key to the cell key."""
        doms = tuple(domains)
        shape = tuple(len(d) for d in doms)
        cells = np.zeros(shape, dtype=np.int64)
        keys = np.zeros(shape, dtype=np.int64)
        for number, (labels, key_value) in enumerate(units):
            key = _locate(doms, labels, number)
            cells[key] += 1
            keys[key] = (int(keys[key]) + record_key(key_value, modulus)) % modulus
        return cls(doms, cells, keys, modulus)

    # --- views --------------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of categories of each dimension (margins not included)."""
        return tuple(len(d) for d in self.domains)

    @property
    def entries(self) -> IntArray:
        """Cells and margins: shape ``n + 1`` per dimension, the last index of each axis its total."""
        return extend(self.cells)

    @property
    def entry_cell_keys(self) -> IntArray:
        """The cell key of every entry, margins included (sum of contributors' keys mod the modulus)."""
        if self.cell_keys is None or self.key_modulus is None:
            raise TableError("this table has no record keys; build it with Table.from_units")
        return extend(self.cell_keys) % self.key_modulus

    def label(self, key: Key) -> tuple[str, ...]:
        """The category labels of an entry (``_total`` for a margin)."""
        return tuple(
            TOTAL if i == len(d) else d.categories[i] for i, d in zip(key, self.domains, strict=True)
        )

    def positions(self) -> Iterator[Key]:
        """Every entry key: interior cells first, then margins by number of totals, each in domain order."""
        ranges = [range(len(d) + 1) for d in self.domains]
        shape = self.shape
        yield from sorted(
            itertools.product(*ranges),
            key=lambda k: (sum(i == n for i, n in zip(k, shape, strict=True)), k),
        )

    def is_margin(self, key: Key) -> bool:
        """True if ``key`` has a total index in some dimension."""
        return any(i == n for i, n in zip(key, self.shape, strict=True))


def extend(cells: IntArray) -> IntArray:
    """Append to every axis its sum, so index ``n`` of an axis is that dimension's margin."""
    out = cells.astype(np.int64)
    for axis in range(out.ndim):
        out = np.concatenate([out, out.sum(axis=axis, keepdims=True)], axis=axis)
    return out


def _locate(domains: tuple[Domain, ...], labels: Sequence[str], number: int) -> Key:
    if isinstance(labels, str) or len(labels) != len(domains):
        raise TableError(f"unit or count number {number} has the wrong number of categories")
    return tuple(d.index(label) for d, label in zip(domains, labels, strict=True))


@dataclass(frozen=True)
class PublishedTable:
    """What leaves the organisation: a value (or None when suppressed) for every entry of the table.

    Every category of every domain appears, whatever the data. ``method`` names the protection;
    ``whole_table_suppressed`` says that nothing could be published safely.
    """

    domains: tuple[Domain, ...]
    values: Mapping[Key, int | None]
    method: str
    threshold: int
    whole_table_suppressed: bool = False

    def rows(self) -> Iterator[tuple[tuple[str, ...], int | None]]:
        """(labels, value) for every entry: interior cells first, then margins, in domain order."""
        shape = tuple(len(d) for d in self.domains)
        for key in sorted(self.values, key=lambda k: (sum(i == n for i, n in zip(k, shape, strict=True)), k)):
            yield (
                tuple(
                    TOTAL if i == len(d) else d.categories[i] for i, d in zip(key, self.domains, strict=True)
                ),
                self.values[key],
            )
