"""Record-level profiles: consent gate -> build -> search -> write -> re-measure, all by persons.

Record-level profiles make two passes. The first reads and gates each record, builds its anonymised form
without the quasi-identifiers and spools it, and its order digest, to anonymous temporary files, keeping
in memory only integer codes of the measured values at each allowed level and a person digest per
record. The search then picks the levels; the second pass reads the spool, fills in the
quasi-identifiers, checks every record once against the published anonymised-record schema
(:mod:`.written`) and writes it. Finally the risk is measured again on what was written, by
:func:`measure_risk` reading the output rows, and the export fails (leaving no file) unless it meets the
profile.

The unit of the risk model is the person, ``(source_organisation, survivor_ref)``: five records of one
survivor are one person, never a class of five. What is measured is the profile's quasi-identifiers plus
the structural fields it writes (renumbered identifiers show how many incidents or claims a record has);
sensitive attributes are measured for l and t. Records come out grouped by class and, within a class, in
an order keyed by the secret, so the input order (often the order of registration) does not show.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, BinaryIO, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import orjson

from crsvdata.anonymise.builder import TALLY_KEY, RecordBuilder, insert_measured, prune
from crsvdata.anonymise.consent import Recipient, consent_decision
from crsvdata.anonymise.errors import AnonymisationError, ConsentScopeError, DisclosureRiskError
from crsvdata.anonymise.inputs import IdentityIndex
from crsvdata.anonymise.manifest import Manifest
from crsvdata.anonymise.paths import OutputPath, allowed_path, canonical_json, count_present, output_paths
from crsvdata.anonymise.profiles import ExportProfile, FieldRule
from crsvdata.anonymise.pseudonymise import KeyRing, Pseudonymiser
from crsvdata.anonymise.sink import HashingSink
from crsvdata.anonymise.written import record_bytes
from crsvdata.disclosure.risk import measure_risk
from crsvdata.disclosure.search import Column, SearchResult, person_diversity, search
from crsvdata.models import CaseRecord
from crsvdata.schema.documents import schema_id

__all__ = [
    "ExportRequest",
    "FinishAll",
    "FinishedRecord",
    "FirstPass",
    "FirstPassItem",
    "MeasuredRows",
    "RecordFinisher",
    "consenting_records",
    "export_first_pass",
    "export_records",
    "finish_here",
    "pseudonym_domain",
]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """One export run: the profile, for whom, as of which day, with which key and identities."""

    profile: ExportProfile
    recipient: Recipient
    on: date
    keys: KeyRing | None
    identities: IdentityIndex | None = None
    publisher: str | None = None
    random_bytes: Callable[[int], bytes] = secrets.token_bytes


def pseudonym_domain(profile: ExportProfile, recipient: Recipient) -> str:
    """The token domain of one profile for one named recipient organisation.

    A category is never a domain: two prosecutors' offices would share every token and could link their
    exports. So a record-level export needs the recipient's organisation code.
    """
    if recipient.organisation is None:
        raise ConsentScopeError(
            f"profile {profile.name!r} writes pseudonyms: name the recipient organisation (--recipient ORG)"
        )
    return f"crsvdata/{profile.name}/{recipient.organisation}"


def consenting_records(
    records: Iterable[CaseRecord], profile: ExportProfile, recipient: Recipient, on: date, manifest: Manifest
) -> Iterator[CaseRecord]:
    """The records whose consent holds; every other one is counted in the manifest by reason."""
    for record in records:
        manifest.records_in += 1
        decision, hint = _decision(record, profile, recipient, on)
        if decision == "granted":
            yield record
            continue
        _count_excluded(manifest, decision, hint)


def _decision(record: CaseRecord, profile: ExportProfile, recipient: Recipient, on: date) -> tuple[str, bool]:
    """The consent decision, and whether a missing consent names another organisation (a hint)."""
    decision = consent_decision(record, profile.purpose, recipient, on)
    hint = decision == "consent.missing" and _names_another_organisation(record, profile, recipient)
    return decision, hint


def _count_excluded(manifest: Manifest, decision: str, names_another_organisation: bool) -> None:
    manifest.excluded[decision] += 1
    if names_another_organisation:
        manifest.operator_hints["consent.names_an_organisation"] += 1


def _names_another_organisation(record: CaseRecord, profile: ExportProfile, recipient: Recipient) -> bool:
    return any(
        c.purpose is profile.purpose
        and c.recipient_organisation is not None
        and c.recipient_organisation != recipient.organisation
        for c in record.consents or ()
    )


def _digest(text: str) -> str:
    # Sensitive values (narratives among them) are only compared, never read back: keep 16 bytes each.
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def person_digest(organisation: str, survivor_ref: str) -> bytes:
    """The 16-byte digest :class:`_Persons` tells persons apart by."""
    # One string per person, not a pair: neither an organisation code nor a reference can hold \x1f.
    key = f"{organisation}\x1f{survivor_ref}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=_PERSON_DIGEST).digest()


class _Persons:
    """A small number for each person, (source organisation, survivor reference), in order of arrival.

    While records are read, each holds a 16-byte digest of its person's key (a dict of the keys cost about
    140 bytes a person); :meth:`numbers` then gives equal digests one number, in order of first arrival,
    as the dict did. Two persons share a digest with probability about n**2 / 2**129 (below 1e-26 at a
    million); they would then be measured as one person, which only makes the export more cautious.
    """

    def __init__(self) -> None:
        self._digests = bytearray()

    def add(self, digest: bytes) -> None:
        """Add one record's person digest (:class:`FirstPassItem`'s ``person``)."""
        self._digests += digest

    def numbers(self) -> array[int]:
        """Each record's person number (0, 1, ... in order of first arrival); the digests are let go.

        Done by hand rather than with ``np.unique(return_index=True, return_inverse=True)``, which holds
        about 60 bytes a record at once; this holds at most about 30 (the digests included).
        """
        digests = np.frombuffer(self._digests, dtype=f"V{_PERSON_DIGEST}")
        count = len(digests)
        if not count:
            return array("Q")
        by_digest = np.argsort(digests, kind="stable")  # a person's records in record order
        first = np.empty(count, dtype=bool)
        first[0] = True
        for start in range(1, count, _CHUNK):  # neighbours compared a chunk at a time: no full sorted copy
            stop = min(count, start + _CHUNK)
            ordered = digests[by_digest[start - 1 : stop]]
            first[start:stop] = ordered[1:] != ordered[:-1]
        del digests
        self._digests = bytearray()
        first_records = by_digest[first]
        arrival = np.empty(len(first_records), dtype=np.uint32)
        arrival[np.argsort(first_records)] = np.arange(len(first_records), dtype=np.uint32)
        del first_records
        person = np.cumsum(first, dtype=np.uint32)
        person -= 1
        del first
        number_in_digest_order = arrival[person]
        del person, arrival
        numbers: array[int] = array("Q", [0]) * count
        np.frombuffer(numbers, dtype=np.uint64)[by_digest] = number_in_digest_order
        return numbers


_PERSON_DIGEST: Final = 16
_CHUNK: Final = 1 << 16


class _Interned:
    """Equal tuples stored once, each record holding the number of its tuple."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, ...], int] = {}
        self.items: list[tuple[str, ...]] = []

    def number(self, item: tuple[str, ...]) -> int:
        found = self._numbers.get(item)
        if found is None:
            found = self._numbers[item] = len(self.items)
            self.items.append(item)
        return found


class MeasuredRows:
    """The written records as the re-measure reads them (:data:`MeasuredRow`), a few integers each."""

    def __init__(self) -> None:
        self._persons: array[int] = array("Q")
        self._values: array[int] = array("I")
        self._secrets: array[int] = array("I")
        self._value_tuples = _Interned()
        self._secret_tuples = _Interned()

    def append(self, person: int, values: tuple[str, ...], secrets_: tuple[str, ...]) -> None:
        self._persons.append(person)
        self._values.append(self._value_tuples.number(values))
        self._secrets.append(self._secret_tuples.number(secrets_))

    def __len__(self) -> int:
        return len(self._persons)

    def __iter__(self) -> Iterator[MeasuredRow]:
        values, secrets_ = self._value_tuples.items, self._secret_tuples.items
        for person, value, secret in zip(self._persons, self._values, self._secrets, strict=True):
            yield person, values[value], secrets_[secret]

    def person_classes(self) -> dict[tuple[tuple[str, ...], _HeldByAttribute], int]:
        """How many persons hold what in each class: ``(measured values, held) -> persons``.

        ``held`` is, for each sensitive attribute, the sorted distinct values a person's records in the
        class have (`_risk_table` makes one row of each). Grouped with numpy over the record numbers,
        a few bytes a record, not a dict entry per (person, class).
        """
        values, secrets_ = self._value_tuples.items, self._secret_tuples.items
        if not self._persons:
            return {}
        person = np.frombuffer(self._persons, dtype=np.uint64)
        value = np.frombuffer(self._values, dtype=np.uint32)
        secret = np.frombuffer(self._secrets, dtype=np.uint32)
        order = np.lexsort((secret, value, person))
        person, value, secret = person[order], value[order], secret[order]
        del order
        # A record whose (person, class, sensitive values) an earlier one had says nothing more.
        same_group = np.zeros(len(person), dtype=bool)
        same_group[1:] = (person[1:] == person[:-1]) & (value[1:] == value[:-1])
        repeated = same_group.copy()
        repeated[1:] &= secret[1:] == secret[:-1]
        fresh = ~repeated
        value, secret, same_group = value[fresh], secret[fresh], same_group[fresh]
        del person, repeated, fresh
        group = np.cumsum(~same_group) - 1
        alone = np.bincount(group)[group] == 1
        counts: dict[tuple[tuple[str, ...], _HeldByAttribute], int] = {}
        # Most persons hold one combination in a class: those are counted in numpy, by (class, tuple).
        pairs = (value[alone].astype(np.uint64) << np.uint64(32)) | secret[alone].astype(np.uint64)
        distinct, persons = np.unique(pairs, return_counts=True)
        for pair, number in zip(distinct.tolist(), persons.tolist(), strict=True):
            key = (values[pair >> 32], tuple((digest,) for digest in secrets_[pair & 0xFFFFFFFF]))
            counts[key] = counts.get(key, 0) + number
        several = np.flatnonzero(~alone)
        for _, members in groupby(
            zip(group[several].tolist(), value[several].tolist(), secret[several].tolist(), strict=True),
            key=itemgetter(0),
        ):
            found = list(members)
            held = tuple(
                tuple(sorted({secrets_[s][at] for _, _, s in found}))
                for at in range(len(secrets_[found[0][2]]))
            )
            key = (values[found[0][1]], held)
            counts[key] = counts.get(key, 0) + 1
        return counts


_ORDER_CHARS: Final = 26
"""Characters of an order digest (:meth:`Pseudonymiser.digest`), kept as ASCII bytes, 26 per record."""


def _digest_ranks(order: BinaryIO, count: int) -> npt.NDArray[np.uint32]:
    """Each record's place among the ``count`` order digests in ``order`` (26 base32 characters each, from
    the start of the file), ties by record number as a stable sort leaves them.

    The digests are read a chunk at a time into three integers each whose order is the text's order
    (every character as its rank in ASCII order, 5 bits: 12 + 12 + 2 characters), so the text itself is
    never held whole; four bytes a record then stand in for the digest when the records are sorted.
    """
    high = np.empty(count, dtype=np.uint64)
    middle = np.empty(count, dtype=np.uint64)
    low = np.empty(count, dtype=np.uint16)
    for start in range(0, count, _CHUNK):
        stop = min(count, start + _CHUNK)
        text = order.read((stop - start) * _ORDER_CHARS)
        ranks = _ASCII_RANK[np.frombuffer(text, dtype=np.uint8).reshape(stop - start, _ORDER_CHARS)]
        if (ranks == _NOT_BASE32).any():
            raise AnonymisationError(
                "an order digest is not base32 text"
            )  # never: the pseudonymiser wrote it
        high[start:stop] = _packed(ranks[:, :12])
        middle[start:stop] = _packed(ranks[:, 12:24])
        low[start:stop] = _packed(ranks[:, 24:]).astype(np.uint16)
    by_digest = np.lexsort((low, middle, high))  # lexsort is stable
    del high, middle, low
    rank = np.empty(count, dtype=np.uint32)
    rank[by_digest] = np.arange(count, dtype=np.uint32)
    return rank


def _packed(ranks: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    packed = np.zeros(len(ranks), dtype=np.uint64)
    for column in range(ranks.shape[1]):
        packed <<= np.uint64(5)
        packed |= ranks[:, column]
    return packed


_BASE32: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_NOT_BASE32: Final = 255
_ASCII_RANK: Final = np.full(256, _NOT_BASE32, dtype=np.uint8)
_ASCII_RANK[np.frombuffer(bytes(sorted(_BASE32)), dtype=np.uint8)] = np.arange(32, dtype=np.uint8)


def _kept_in_order(
    qcols: list[Column], result: SearchResult, digest_rank: npt.NDArray[np.uint32]
) -> npt.NDArray[np.uint32]:
    """The records the chosen node keeps, grouped by class (classes by their values) and by the order
    digest within a class (its :func:`_digest_ranks`): Python's stable sort of ``(values, digest)``, done
    on integers."""
    node = result.node
    level_values = [[combo[node[q]] for combo in col.combos] for q, col in enumerate(qcols)]
    codes = result.level_codes
    ids = [col.ids for col in qcols]
    width = range(len(qcols))
    classes: dict[tuple[int, ...], int] = {}
    class_values: list[tuple[str, ...]] = []
    kept: array[int] = array("I")
    kept_class: array[int] = array("I")
    for index in range(len(digest_rank)):
        key = tuple(codes[q][ids[q][index]] for q in width)
        if key in result.suppressed_classes:
            continue
        number = classes.get(key)
        if number is None:
            # Equal codes are equal values at the chosen level (Column.level_codes), so a class is one tuple.
            number = classes[key] = len(class_values)
            class_values.append(tuple(level_values[q][ids[q][index]] for q in width))
        kept.append(index)
        kept_class.append(number)
    if not kept:
        return np.zeros(0, dtype=np.uint32)
    rank = np.empty(len(class_values), dtype=np.uint32)
    rank[sorted(range(len(class_values)), key=class_values.__getitem__)] = np.arange(
        len(class_values), dtype=np.uint32
    )
    kept_indices = np.frombuffer(kept, dtype=np.uint32)
    classes_of = rank[np.frombuffer(kept_class, dtype=np.uint32)]
    del kept_class
    # lexsort is stable, as list.sort is: equal keys keep the input order.
    in_order = np.lexsort((digest_rank[kept_indices], classes_of))
    del classes_of
    return kept_indices[in_order]


class FirstPassItem(NamedTuple):
    """One input record after the first pass: what the search, the spool and the manifest need of it.

    A record whose consent does not hold has only ``decision`` (the exclusion reason) and
    ``names_another_organisation``; a granted one has its spooled line (built without the
    quasi-identifiers), the canonical values of each quasi-identifier at every allowed level, the text of
    each structural field, a digest of each sensitive one, its person digest and its order digest. Plain
    data: a worker process sends it back to the parent as it is.
    """

    decision: str
    names_another_organisation: bool = False
    line: bytes = b""
    quasi_identifiers: tuple[tuple[str, ...], ...] = ()
    structural: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    person: bytes = b""
    order: bytes = b""


class FirstPass:
    """The first pass of one export over one record at a time: consent, then the built form.

    One per process: the builder's memory of generalised values is this process's own.
    """

    def __init__(self, request: ExportRequest) -> None:
        profile, keys = request.profile, request.keys
        if keys is None:
            raise AnonymisationError("a record-level export needs a pseudonymisation key")
        self.request = request
        domain = pseudonym_domain(profile, request.recipient)
        pseudonymisers = {
            mode: Pseudonymiser(keys, domain, mode, request.random_bytes)
            for mode in ("linkable", "unlinkable")
        }
        self._order_key = Pseudonymiser(keys, domain + "/order")
        self._builder = RecordBuilder(profile, pseudonymisers=pseudonymisers, identities=request.identities)
        self._structural = [OutputPath(profile.fields[p].entry.output_path) for p in profile.structural]
        self._sensitive = [
            OutputPath(profile.fields[p].entry.output_path) for p in profile.disclosure.sensitive
        ]

    def item(self, record: CaseRecord) -> FirstPassItem:
        """What the export keeps of ``record`` from the first pass."""
        request = self.request
        profile, recipient = request.profile, request.recipient
        decision, hint = _decision(record, profile, recipient, request.on)
        if decision != "granted":
            return FirstPassItem(decision, hint)
        built = self._builder.build(record)
        body = built.body
        order = self._order_key.digest(f"{record.source_organisation}\x1f{record.record_id}", "order")
        return FirstPassItem(
            decision,
            line=orjson.dumps(body) + b"\n",
            quasi_identifiers=built.quasi_identifiers,
            structural=tuple(path.text(body) for path in self._structural),
            sensitive=tuple(_digest(path.text(body)) for path in self._sensitive),
            person=person_digest(record.source_organisation, record.survivor.survivor_ref),
            order=order.encode("ascii"),
        )

    def items(self, records: Iterable[CaseRecord]) -> Iterator[FirstPassItem]:
        """:meth:`item` of each record, in order."""
        return map(self.item, records)


def export_records(
    records: Iterable[CaseRecord], request: ExportRequest, *, sink: HashingSink, manifest: Manifest
) -> None:
    """Run a record-level profile: write the anonymised records to ``sink`` and fill ``manifest``."""
    export_first_pass(FirstPass(request).items(records), request, sink=sink, manifest=manifest)


def export_first_pass(
    items: Iterable[FirstPassItem],
    request: ExportRequest,
    *,
    sink: HashingSink,
    manifest: Manifest,
    finish_all: FinishAll | None = None,
) -> None:
    """Finish a record-level export from its first pass (:class:`FirstPass`, here or in workers):
    search, the second pass (``finish_all``, by default :func:`finish_here`), write, re-measure."""
    profile = request.profile
    disclosure = profile.disclosure
    qi_rules = [profile.fields[p] for p in disclosure.quasi_identifiers]
    structural_rules = [profile.fields[p] for p in profile.structural]
    sensitive_rules = [profile.fields[p] for p in disclosure.sensitive]
    qcols = [Column(rule.path, rule.value_levels) for rule in (*qi_rules, *structural_rules)]
    scols = [Column(rule.path, ("value",)) for rule in sensitive_rules]
    measured_columns = qcols[: len(qi_rules)]
    structural_columns = qcols[len(qi_rules) :]
    persons = _Persons()
    offsets: array[int] = array("Q")
    # The built records and their order digests wait in anonymous temporary files (deleted on close,
    # also on failure); the digests come back only after the search, whose arrays they would sit beside.
    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as order_spool:
        for item in items:
            manifest.records_in += 1
            if item.decision != "granted":
                _count_excluded(manifest, item.decision, item.names_another_organisation)
                continue
            offsets.append(spool.tell())
            spool.write(item.line)
            for column, values in zip(measured_columns, item.quasi_identifiers, strict=True):
                column.add(values)
            for column, text in zip(structural_columns, item.structural, strict=True):
                column.add((text,))
            for column, digest in zip(scols, item.sensitive, strict=True):
                column.add((digest,))
            persons.add(item.person)
            order_spool.write(item.order)
        person_of_record = persons.numbers()
        result = search(
            qcols,
            scols,
            k=disclosure.k,
            l=disclosure.l,
            max_global_risk=disclosure.max_global_risk,
            max_suppressed_fraction=disclosure.max_suppressed_fraction,
            persons=person_of_record,
        )
        if result is None:
            raise DisclosureRiskError(
                f"no generalisation within the levels of profile {profile.name!r} reaches k={disclosure.k}, "
                f"l={disclosure.l} and global risk <= {disclosure.max_global_risk} (measured by persons) "
                f"while suppressing at most {disclosure.max_suppressed_fraction:.0%} of the "
                f"{len(offsets)} consenting records"
            )
        node = result.node
        manifest.levels = {col.name: col.levels[level] for col, level in zip(qcols, node, strict=True)}
        for rule in structural_rules:
            manifest.levels.pop(rule.path, None)
        manifest.search = {"nodes_evaluated": result.evaluated, "loss": round(result.loss, 6)}
        del scols
        order_spool.seek(0)
        digest_rank = _digest_ranks(order_spool, len(offsets))
        kept = _kept_in_order(qcols, result, digest_rank)
        del digest_rank
        if len(kept) < len(offsets):
            manifest.excluded["disclosure.suppressed"] += len(offsets) - len(kept)
        writer = _Writer(profile, sink, manifest)
        records = _to_finish(spool, offsets, kept, qcols[: len(qi_rules)], node)
        finished = (finish_all or finish_here(profile))(records, manifest.levels)
        for index, record in zip(kept, finished, strict=True):
            writer.write(record, person_of_record[index])
    consenting = len(offsets)
    # What the search and the writer held (tens of bytes a record) goes before the re-measure groups.
    del kept, offsets, person_of_record, qcols, result
    _verify(writer.rows, profile, manifest, consenting=consenting)
    manifest.output = sink.describe("application/x-ndjson", schema_id("anonymised-case-record"))


def _to_finish(
    spool: BinaryIO,
    offsets: array[int],
    kept: npt.NDArray[np.uint32],
    measured_columns: list[Column],
    node: tuple[int, ...],
) -> Iterator[ToFinish]:
    for index in kept:
        spool.seek(offsets[index])
        chosen = tuple(column.value(index, node[q]) for q, column in enumerate(measured_columns))
        finest = tuple(column.value(index, 0) for column in measured_columns)
        yield spool.readline(), chosen, finest


class FinishedRecord(NamedTuple):
    """One record of the second pass, ready to write: its bytes and what the manifest and the re-measure
    need of it. Plain data, so that a worker process can send it back."""

    text: bytes
    suppressed: tuple[int, ...]  # per quasi-identifier: values its chosen level withheld
    tally: tuple[tuple[str, int], ...]  # the first pass's counts (``redacted:KIND``, ``suppressed:PATH``)
    present: tuple[tuple[str, int], ...]  # values written of each counted field (only those > 0)
    measured: tuple[str, ...]
    sensitive: tuple[str, ...]


ToFinish = tuple[bytes, tuple[str, ...], tuple[str, ...]]
"""A record for the second pass: its spooled line, each quasi-identifier's canonical value at the chosen
level and at the finest one."""


class RecordFinisher:
    """The second pass over one record: the chosen quasi-identifiers put in, the record checked against
    the published schema and the profile's allow-list, and read for the tally and the re-measure.

    Needs only the profile and the chosen levels, so it runs in any process.
    """

    def __init__(self, profile: ExportProfile, levels: Mapping[str, str]) -> None:
        self.quasi_identifiers = [profile.fields[p] for p in profile.disclosure.quasi_identifiers]
        self.allowed = profile.allowed_output_paths
        self._allowed_seen: set[str] = set()
        counted = {
            path
            for path, rule in profile.fields.items()
            if rule.transform in ("pseudonymise", "renumber")
            or (rule.transform == "generalise" and _generalised(rule, levels.get(path)))
        }
        # Every field is read once per record: for the tally, and for the re-measure when it is measured.
        self._fields = [
            (path, path in counted, OutputPath(rule.entry.output_path))
            for path, rule in profile.fields.items()
        ]
        self.measured = (*profile.disclosure.quasi_identifiers, *profile.structural)
        self.sensitive = profile.disclosure.sensitive

    def finish(self, record: ToFinish) -> FinishedRecord:
        """The record's bytes and counts; ``AnonymisationError`` (naming a path, never a value) if it
        fails its schema or holds a field outside the allow-list."""
        line, chosen, finest = record
        body = orjson.loads(line)
        suppressed = tuple(
            insert_measured(body, rule.entry, at_level, at_finest)
            for rule, at_level, at_finest in zip(self.quasi_identifiers, chosen, finest, strict=True)
        )
        tally = tuple(body.pop(TALLY_KEY, {}).items())
        prune(body)
        text, written = record_bytes(body)
        outside = []
        for path in output_paths(written):
            if path not in self._allowed_seen:
                if allowed_path(path, self.allowed):
                    self._allowed_seen.add(path)
                else:
                    outside.append(path)
        if outside:
            raise AnonymisationError(f"a field outside the profile's allow-list was produced: {outside[0]}")
        collected = {}
        present = []
        for path, is_counted, where in self._fields:
            value = collected[path] = where.collect(written)
            if is_counted:
                count = count_present(value)
                if count:
                    present.append((path, count))
        return FinishedRecord(
            text + b"\n",
            suppressed,
            tally,
            tuple(present),
            tuple(canonical_json(collected[p]) for p in self.measured),
            tuple(_digest(canonical_json(collected[p])) for p in self.sensitive),
        )

    def finish_all(self, records: Iterable[ToFinish]) -> Iterator[FinishedRecord]:
        """:meth:`finish` of each record, in order."""
        return map(self.finish, records)


FinishAll = Callable[[Iterable[ToFinish], Mapping[str, str]], Iterator[FinishedRecord]]
"""Runs the second pass over records in order, given the chosen levels (here or on worker processes)."""


def finish_here(profile: ExportProfile) -> FinishAll:
    """The second pass in this process."""
    return lambda records, levels: RecordFinisher(profile, levels).finish_all(records)


class _Writer:
    """Writes and tallies each finished record; keeps what the re-measure reads."""

    def __init__(self, profile: ExportProfile, sink: HashingSink, manifest: Manifest) -> None:
        self.sink = sink
        self.manifest = manifest
        self.quasi_identifiers = profile.disclosure.quasi_identifiers
        tally = manifest.values
        self._counters = {
            path: tally.pseudonymised
            if rule.transform == "pseudonymise"
            else tally.renumbered
            if rule.transform == "renumber"
            else tally.generalised
            for path, rule in profile.fields.items()
        }
        self.rows = MeasuredRows()

    def write(self, record: FinishedRecord, person: int) -> None:
        values = self.manifest.values
        for path, withheld in zip(self.quasi_identifiers, record.suppressed, strict=True):
            values.suppressed[path] += withheld
        for key, count in record.tally:
            what, _, name = key.partition(":")
            (values.redacted if what == "redacted" else values.suppressed)[name] += count
        self.sink.write(record.text)
        for path, count in record.present:
            self._counters[path][path] += count
        self.manifest.records_out += 1
        self.rows.append(person, record.measured, record.sensitive)


def _generalised(rule: FieldRule, level: str | None) -> bool:
    chosen = level or rule.levels[0]
    return rule.entry.hierarchy.index(chosen) > 0


MeasuredRow = tuple[int, tuple[str, ...], tuple[str, ...]]
"""A written record as the re-measure sees it: person number, measured values, sensitive digests."""

_HeldByAttribute = tuple[tuple[str, ...], ...]
"""For each sensitive attribute, the sorted distinct values one person holds in one class."""


def _risk_table(
    classes: Mapping[tuple[tuple[str, ...], _HeldByAttribute], int],
    measured: tuple[str, ...],
    sensitive: tuple[str, ...],
) -> list[dict[str, Any]]:
    """One row per (person, class), for measure_risk: a person's records in one class count once, and
    their sensitive values in it as one value (the sorted set), so no person can fill a class or its
    diversity alone. Equal rows are one dict, listed as many times as persons hold it (measure_risk only
    counts them)."""
    table: list[dict[str, Any]] = []
    for (values, held), persons in classes.items():
        row = dict(zip(measured, values, strict=True))
        row.update((name, "|".join(seen)) for name, seen in zip(sensitive, held, strict=True))
        table += [row] * persons
    return table


def _l_by_person(classes: Iterable[tuple[tuple[str, ...], _HeldByAttribute]], sensitive: int) -> int | None:
    """The smallest :func:`person_diversity` over classes and sensitive attributes (None without any).

    Each distinct held combination once: intersections and unions do not count how many persons hold it.
    """
    if not sensitive:
        return None
    held_in: dict[tuple[str, ...], list[_HeldByAttribute]] = {}
    for values, held in classes:
        held_in.setdefault(values, []).append(held)
    return min(
        person_diversity(set(held[s]) for held in helds)
        for helds in held_in.values()
        for s in range(sensitive)
    )


def _verify(
    rows: MeasuredRows,
    profile: ExportProfile,
    manifest: Manifest,
    *,
    consenting: int,
) -> None:
    disclosure = profile.disclosure
    measured = (*disclosure.quasi_identifiers, *profile.structural)
    if not measured:
        return
    classes = rows.person_classes()
    table = _risk_table(classes, measured, disclosure.sensitive)
    risk = measure_risk(table, measured, disclosure.sensitive)
    del table
    manifest.risk = risk
    if not rows:
        return
    manifest.l_by_person = _l_by_person(classes, len(disclosure.sensitive))
    problems = []
    if risk.k < disclosure.k:
        problems.append(f"k={risk.k} < {disclosure.k}")
    if disclosure.l > 1 and (manifest.l_by_person or 0) < disclosure.l:
        problems.append(f"l={manifest.l_by_person} < {disclosure.l}")
    if risk.global_risk > disclosure.max_global_risk + 1e-12:
        problems.append(f"global risk {risk.global_risk:.3f} > {disclosure.max_global_risk}")
    if consenting and (consenting - len(rows)) / consenting > disclosure.max_suppressed_fraction + 1e-9:
        problems.append("suppression budget exceeded")
    if problems:
        raise DisclosureRiskError("the output does not meet the profile (by persons): " + "; ".join(problems))
