"""Build one record's anonymised form by walking the field table; quasi-identifiers are filled in later.

Nothing here names a field: every value comes from a :class:`~crsvdata.anonymise.fields.FieldEntry`
(its accessor, its kind, its scope) and the profile's rule for it. Quasi-identifiers are not written in
the first pass: the builder returns their canonical values at every allowed level, the search picks a
level, and :func:`insert_measured` puts the chosen values in.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import orjson
from pydantic import BaseModel

from crsvdata.anonymise.fields import SCOPES, FieldEntry, Scope, ValueKind, apply_level
from crsvdata.anonymise.inputs import IdentityIndex
from crsvdata.anonymise.paths import canonical_json
from crsvdata.anonymise.profiles import ExportProfile, FieldRule
from crsvdata.anonymise.pseudonymise import Pseudonymiser
from crsvdata.anonymise.redaction import KnownValues, redact_text
from crsvdata.models import CaseRecord, IdentityRecord
from crsvdata.version import RECORD_STANDARD_VERSION

__all__ = ["TALLY_KEY", "BuiltRecord", "RecordBuilder", "insert_measured", "prune", "redact_narrative"]

_MAX_NARRATIVE: Final = 20000
TALLY_KEY: Final = "__tally"
"""A private key of a spooled record: counts known only in the first pass, removed before writing."""


def redact_narrative(text: str, known: KnownValues, rule: FieldRule) -> tuple[str, Mapping[str, int]]:
    """The one call into the narrative redactor: swapping the redactor means changing this function."""
    result = redact_text(text, known, rule.detectors, fallback=rule.fallback, keep=rule.keep)
    return result.text, result.counts


@functools.cache
def _ancestry(scope: Scope[Any]) -> tuple[Scope[Any], ...]:
    chain = []
    current: Scope[Any] | None = scope
    while current is not None and current.parent is not None:
        chain.append(current)
        current = current.parent
    return tuple(chain[::-1])


@functools.cache
def _has_many(scope: Scope[Any]) -> bool:
    return any(s.many for s in _ancestry(scope))


def flat_sources(scope: Scope[Any], record: CaseRecord) -> list[tuple[tuple[int, ...], Any]]:
    """Every source of ``scope`` in ``record``, depth first, with its position (indices from the top)."""
    found: list[tuple[tuple[int, ...], Any]] = [((), record)]
    for step in _ancestry(scope):
        found = [((*pos, i), child) for pos, parent in found for i, child in enumerate(step.children(parent))]
    return found


_MEMO_LIMIT: Final = 200_000
"""Distinct raw values remembered per quasi-identifier (places and days: thousands in practice)."""


def _memo_key(raw: Any) -> Hashable | None:
    """A key equal for two raw values exactly when every field of them is equal, or None (not memoised).

    The type is part of the key (True == 1, and a code equals its string); a model is keyed by all of its
    fields, so a generalisation cannot depend on a field the key leaves out.
    """
    if isinstance(raw, list):
        key: Hashable = (list, tuple((type(item), item) for item in raw))
    elif isinstance(raw, BaseModel):
        key = (type(raw), tuple(raw.__dict__.items()))
    else:
        key = (type(raw), raw)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def flat_outputs(scope: Scope[Any], body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object of ``scope`` in a built record, in the order of :func:`flat_sources`."""
    found = [body]
    for step in _ancestry(scope):
        nxt: list[dict[str, Any]] = []
        for parent in found:
            child = parent.get(step.key)
            if step.many:
                nxt.extend(child or ())
            elif child is not None:
                nxt.append(child)
        found = nxt
    return found


@dataclass
class _Context:
    """What one record's walk knows besides the current source: renumbered ids and the tally."""

    record: CaseRecord
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    tally: dict[str, int] = field(default_factory=dict)
    known: KnownValues | None = None
    identities: list[IdentityRecord] | None = None

    def count(self, key: str, n: int = 1) -> None:
        self.tally[key] = self.tally.get(key, 0) + n


@dataclass(frozen=True, slots=True)
class BuiltRecord:
    """A record without its quasi-identifiers, and their canonical values at each allowed level."""

    body: dict[str, Any]
    quasi_identifiers: tuple[tuple[str, ...], ...]


class RecordBuilder:
    """Builds one record's anonymised form under a profile by walking its field rules."""

    def __init__(
        self,
        profile: ExportProfile,
        *,
        pseudonymisers: Mapping[str, Pseudonymiser],
        identities: IdentityIndex | None,
    ) -> None:
        self.profile = profile
        self.pseudonymisers = pseudonymisers
        self.identities = identities
        qi_paths = frozenset(profile.disclosure.quasi_identifiers)
        self.quasi_identifiers = tuple(profile.fields[p] for p in profile.disclosure.quasi_identifiers)
        active: set[Scope[Any]] = set()
        for rule in profile.fields.values():
            active.update(_ancestry(rule.entry.scope))
        self._children = {scope: [s for s in SCOPES if s.parent is scope and s in active] for scope in SCOPES}
        self._direct = {
            scope: [r for r in profile.fields.values() if r.entry.scope is scope and r.path not in qi_paths]
            for scope in SCOPES
        }
        self._identifier = {
            scope: next((r for r in self._direct[scope] if r.entry.kind is ValueKind.LOCAL_ID), None)
            for scope in SCOPES
        }
        self._root = next(s for s in SCOPES if s.parent is None)
        # The canonical text of a raw value at each level is a pure function of the value: each distinct
        # value of a quasi-identifier is generalised once per run.
        self._level_texts: dict[str, dict[Hashable, tuple[str, ...]]] = {
            rule.path: {} for rule in self.quasi_identifiers
        }
        self._list_texts: dict[str, dict[Hashable, tuple[str, ...]]] = {
            rule.path: {} for rule in self.quasi_identifiers
        }

    def build(self, record: CaseRecord) -> BuiltRecord:
        """The record's anonymised form without quasi-identifiers, and their values per level."""
        body: dict[str, Any] = {
            "standard_version": RECORD_STANDARD_VERSION,
            "profile": self.profile.name,
            "profile_version": self.profile.version,
        }
        context = _Context(record)
        self._fill(self._root, record, body, context)
        if context.tally:
            body[TALLY_KEY] = context.tally
        sources: dict[Scope[Any], list[tuple[tuple[int, ...], Any]]] = {}
        levels = tuple(self._levels(rule, record, sources) for rule in self.quasi_identifiers)
        return BuiltRecord(body, levels)

    def _fill(self, scope: Scope[Any], source: Any, out: dict[str, Any], context: _Context) -> None:
        for rule in self._direct[scope]:
            value = self._value(rule, source, context)
            if value is not None:
                out[rule.entry.output] = value
        for child in self._children[scope]:
            items = list(child.children(source))
            self._renumber(child, items, context)
            built = []
            for item in items:
                target: dict[str, Any] = {}
                self._fill(child, item, target, context)
                built.append(target)
            if child.many:
                out[child.key] = built
            elif built:
                out[child.key] = built[0]

    def _renumber(self, scope: Scope[Any], items: Sequence[Any], context: _Context) -> None:
        identifier = self._identifier[scope]
        if identifier is None:
            return
        numbering: dict[str, str] = {}
        for position, item in enumerate(items, start=1):
            numbering.setdefault(str(identifier.entry.read(item)), f"{scope.id_prefix}{position}")
        context.ids[scope.name] = numbering

    def _value(self, rule: FieldRule, source: Any, context: _Context) -> Any:
        entry = rule.entry
        raw = entry.read(source)
        if raw is None:
            return None
        kind = entry.kind
        if kind is ValueKind.TOKEN:
            mode = rule.mode or self.profile.pseudonym_mode
            value = f"{context.record.source_organisation}\x1f{raw}"
            return self.pseudonymisers[mode].token(value, entry.token_kind, normalise_as="ref")
        if kind is ValueKind.LOCAL_ID:
            return context.ids[entry.scope.name][str(raw)]
        if kind is ValueKind.LOCAL_REFS:
            assert entry.refers_to is not None
            numbering = context.ids.get(entry.refers_to.name, {})
            # A reference to an identifier the record does not have cannot be renumbered: it is dropped and
            # counted, never passed through as it was.
            kept = [numbering[str(ref)] for ref in raw if str(ref) in numbering]
            if len(kept) < len(raw):
                context.count(f"suppressed:{entry.path}", len(raw) - len(kept))
            return kept or None
        if kind is ValueKind.TEXT:
            return self._narrative(str(raw), rule, context)
        return apply_level(kind, raw, rule.value_levels[0], top_code_age=self.profile.top_code_age)

    def _narrative(self, text: str, rule: FieldRule, context: _Context) -> str | None:
        if context.identities is None:
            record = context.record
            context.identities = (
                self.identities.get_all(record.source_organisation, record.survivor.survivor_ref)
                if self.identities is not None
                else []
            )
        if not context.identities:
            # Without the survivor's own names and numbers, detectors alone miss names: withhold.
            context.count(f"suppressed:{rule.path}")
            return None
        if context.known is None:
            context.known = KnownValues.merged(KnownValues.from_identity(i) for i in context.identities)
        redacted, counts = redact_narrative(text, context.known, rule)
        if not redacted.strip() or len(redacted) > _MAX_NARRATIVE:
            context.count(f"suppressed:{rule.path}")
            return None
        for kind, count in counts.items():
            context.count(f"redacted:{kind}", count)
        return redacted

    def _levels(
        self,
        rule: FieldRule,
        record: CaseRecord,
        sources_of: dict[Scope[Any], list[tuple[tuple[int, ...], Any]]],
    ) -> tuple[str, ...]:
        """The canonical values of one quasi-identifier at each level: one value, or for a field of a
        list scope ``[[position..., value], ...]`` (the text ``canonical_json`` gives for that list)."""
        entry = rule.entry
        sources = sources_of.get(entry.scope)
        if sources is None:
            sources = sources_of[entry.scope] = flat_sources(entry.scope, record)
        texts = [self._texts(rule, entry.read(source)) for _, source in sources]
        if not _has_many(entry.scope):
            return texts[0] if texts else ("null",) * len(rule.value_levels)
        key = (tuple(position for position, _ in sources), tuple(texts))
        memo = self._list_texts[rule.path]
        found = memo.get(key)
        if found is not None:
            return found
        heads = ["[" + "".join(f"{p}," for p in position) for position, _ in sources]
        joined = tuple(
            "[" + ",".join(head + text[level] + "]" for head, text in zip(heads, texts, strict=True)) + "]"
            for level in range(len(rule.value_levels))
        )
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = joined
        return joined

    def _texts(self, rule: FieldRule, raw: Any) -> tuple[str, ...]:
        memo = self._level_texts[rule.path]
        key = _memo_key(raw)
        if key is not None:
            found = memo.get(key)
            if found is not None:
                return found
        top = self.profile.top_code_age
        kind = rule.entry.kind
        texts = tuple(
            canonical_json(apply_level(kind, raw, level, top_code_age=top)) for level in rule.value_levels
        )
        if key is not None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[key] = texts
        return texts


def insert_measured(body: dict[str, Any], entry: FieldEntry[Any], chosen: str, finest: str) -> int:
    """Put a quasi-identifier's chosen values into a built record; returns how many the level withheld.

    ``chosen`` and ``finest`` are the canonical values at the chosen and at the finest level: a value
    present at the finest level and absent at the chosen one was suppressed by generalisation.
    """
    value, original = orjson.loads(chosen), orjson.loads(finest)
    targets = flat_outputs(entry.scope, body)
    if not _has_many(entry.scope):
        value, original = [[value]], [[original]]
    withheld = 0
    for target, item, before in zip(targets, value, original, strict=True):
        if item[-1] is not None:
            target[entry.output] = item[-1]
        elif before[-1] is not None:
            withheld += 1
    return withheld


def prune(body: dict[str, Any], scopes: Sequence[Scope[Any]] = SCOPES) -> None:
    """Drop empty lists (the record's model has none) and empty items of scopes that drop them."""
    for scope in reversed(scopes):
        if scope.parent is None:
            continue
        for parent in flat_outputs(scope.parent, body):
            child = parent.get(scope.key)
            if isinstance(child, list):
                if scope.drop_empty:
                    child[:] = [item for item in child if item]
                if not child:
                    del parent[scope.key]
