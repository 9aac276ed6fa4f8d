"""Keyed pseudonyms: HMAC-SHA-256 over the normalised value, with a domain-separated key.

A plain hash of a Ukrainian identifier is not a pseudonym: an RNOKPP with a known date of birth and sex
has 5,000 candidates, inverted in milliseconds (anonymisation.md, section 3). So every token here is
``HMAC-SHA-256(domain_key, kind || 0x1F || normalised value)``, where the domain key is itself derived
from a secret master key by HMAC over the domain name: two recipients (domains) get unrelated tokens for
the same person, and nobody without the master key can test a guess.

Token format (``ps1`` linkable, ``pu1`` unlinkable)::

    ps1.<key id>.<kind>.<26 base32 characters = 130 bits>

The key id makes rotation possible: a token always says which key made it. There is no default key;
without one, nothing is pseudonymised and the export refuses to run. Keys never appear in a ``repr``, a
message or an output; the manifest carries :meth:`KeyRing.fingerprint` only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

from stdnum.ua import rntrc

from crsvdata.anonymise.errors import KeyMaterialError
from crsvdata.identifiers import normalise_document_number, normalise_phone
from crsvdata.models.anonymised import TOKEN_PATTERN

__all__ = [
    "ENV_VAR",
    "KEY_ID_PATTERN",
    "MIN_KEY_BYTES",
    "TOKEN_PATTERN",
    "KeyRing",
    "PseudonymMode",
    "Pseudonymiser",
    "TokenParts",
    "normalise_for_pseudonym",
    "parse_token",
]

ENV_VAR: Final = "CRSVDATA_PSEUDONYM_KEYS"
"""Environment variable holding keys as ``id=base64:...`` (``;``-separated; the first one is active)."""

MIN_KEY_BYTES: Final = 32
KEY_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,15}$"
KIND_PATTERN: Final = r"^[a-z][a-z0-9_]{0,19}$"
DIGEST_CHARS: Final = 26
"""26 base32 characters carry 130 bits: collisions stay negligible for any realistic data set."""

_KEY_ID: Final = re.compile(KEY_ID_PATTERN)
_KIND: Final = re.compile(KIND_PATTERN)
_TOKEN: Final = re.compile(TOKEN_PATTERN)
_DOMAIN_LABEL: Final = b"crsvdata/pseudonym/v1\x1f"
_FINGERPRINT_LABEL: Final = b"crsvdata/key-fingerprint/v1"
_MIN_DISTINCT_KEY_BYTES: Final = 8

PseudonymMode = Literal["linkable", "unlinkable"]


# --- normalisation ----------------------------------------------------------------------------------

# Latin capitals (and lower-case letters) that look like Cyrillic ones: a name typed with a Latin "o" or
# a passport series with a Latin "K" must give the same token as the all-Cyrillic spelling.
_LOOKALIKES: Final = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
        "P": "Р", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "i": "і", "o": "о",
        "p": "р", "x": "х", "y": "у",
    }
)  # fmt: skip
_APOSTROPHES: Final = re.compile("[\u2019\u02bc\u0060\u00b4\u2032\u2018]")
_DASHES: Final = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_SPACES: Final = re.compile(r"\s+")

_DOCUMENT_KINDS: Final = frozenset(
    {"rnokpp", "unzr", "id_card", "passport_booklet", "foreign_passport", "document", "erdr"}
)


def normalise_for_pseudonym(value: str, kind: str) -> str:
    """The canonical form of ``value`` that is hashed, so that spelling variants give one token.

    * ``phone``: E.164 (``"050 123 45 67"`` and ``"+380501234567"`` agree), else its digits;
    * document kinds (``rnokpp``, ``unzr``, ``id_card``, ``passport_booklet``, ``foreign_passport``,
      ``document``, ``erdr``): no spaces or hyphens, upper case, Latin look-alikes read as Cyrillic;
    * ``email``: trimmed and case-folded;
    * ``ref`` (references chosen by an organisation, such as ``survivor_ref``): NFC and trimmed only,
      because those are case-sensitive identifiers;
    * anything else (names, places): NFC, one kind of apostrophe and hyphen, single spaces, Latin
      look-alikes read as Cyrillic, case-folded.
    """
    text = unicodedata.normalize("NFC", value).strip()
    if kind == "phone":
        e164 = normalise_phone(text)
        return e164 if e164 is not None else "".join(ch for ch in text if ch.isdigit())
    if kind in _DOCUMENT_KINDS:
        return normalise_document_number(text).translate(_LOOKALIKES).upper()
    if kind == "email":
        return text.casefold()
    if kind == "ref":
        return text
    text = _APOSTROPHES.sub("'", text)
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text)
    return text.translate(_LOOKALIKES).casefold()


# --- keys -------------------------------------------------------------------------------------------


def _decode_key(key_id: str, spec: str, source: str) -> bytes:
    kind, _, encoded = spec.partition(":")
    try:
        if kind == "base64":
            key = base64.b64decode(encoded.strip(), validate=True)
        elif kind == "hex":
            key = bytes.fromhex(encoded.strip())
        else:
            raise KeyMaterialError(f"key {key_id!r} in {source}: write the key as 'base64:...' or 'hex:...'")
    except (binascii.Error, ValueError):
        raise KeyMaterialError(f"key {key_id!r} in {source} is not valid {kind}") from None
    _check_key(key_id, key, source)
    return key


def _check_key(key_id: str, key: bytes, source: str) -> None:
    if not _KEY_ID.fullmatch(key_id):
        raise KeyMaterialError(
            f"a key id in {source} must be 1-16 lower-case letters, digits or '-', starting with a "
            "letter or digit"
        )
    if len(key) < MIN_KEY_BYTES:
        raise KeyMaterialError(
            f"key {key_id!r} in {source} has {len(key)} bytes; at least {MIN_KEY_BYTES} random bytes "
            "are required"
        )
    if len(set(key)) < _MIN_DISTINCT_KEY_BYTES:
        # A key like b"\0" * 32 passes the length test but is guessable.
        raise KeyMaterialError(f"key {key_id!r} in {source} is not random (too few distinct bytes)")


@dataclass(frozen=True)
class KeyRing:
    """Secret master keys by key id, and which one makes new tokens.

    Rotation: :meth:`with_key` adds a key and makes it active; older keys stay so that tokens made with
    them can still be checked (:meth:`Pseudonymiser.matches`). The keys themselves are never shown.
    """

    _keys: Mapping[str, bytes] = field(repr=False)
    active: str

    def __post_init__(self) -> None:
        if not self._keys:
            raise KeyMaterialError("a key ring needs at least one key")
        for key_id, key in self._keys.items():
            _check_key(key_id, key, "the key ring")
        if self.active not in self._keys:
            raise KeyMaterialError(f"the active key id {self.active!r} is not in the key ring")
        object.__setattr__(self, "_keys", MappingProxyType(dict(self._keys)))

    def __repr__(self) -> str:
        return f"KeyRing(active={self.active!r}, key_ids={list(self._keys)!r})"

    @classmethod
    def single(cls, key_id: str, key: bytes) -> KeyRing:
        """A key ring with one key."""
        return cls({key_id: key}, key_id)

    @classmethod
    def generate(cls, key_id: str) -> KeyRing:
        """A key ring with a fresh random 32-byte key (for tests and for creating key files)."""
        return cls.single(key_id, secrets.token_bytes(MIN_KEY_BYTES))

    @classmethod
    def from_toml(cls, text: str, source: str = "the key file") -> KeyRing:
        """Read ``active = "id"`` and a ``[keys]`` table of ``id = "base64:..."`` (or ``"hex:..."``)."""
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            # The decoder's message can quote the offending line, which may hold key material.
            raise KeyMaterialError(f"{source} is not valid TOML") from None
        keys = document.get("keys")
        if not isinstance(keys, dict) or not keys:
            raise KeyMaterialError(f"{source} has no [keys] table")
        decoded: dict[str, bytes] = {}
        for key_id, spec in keys.items():
            if not isinstance(spec, str):
                raise KeyMaterialError(f"key {key_id!r} in {source} must be a string")
            decoded[key_id] = _decode_key(key_id, spec, source)
        active = document.get("active", next(iter(keys)))
        if not isinstance(active, str):
            raise KeyMaterialError(f"'active' in {source} must be a key id")
        return cls(decoded, active)

    @classmethod
    def from_file(cls, path: Path) -> KeyRing:
        """Read a key file (TOML, see :meth:`from_toml`)."""
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise KeyMaterialError("the key file does not exist") from None
        except (OSError, UnicodeDecodeError):
            raise KeyMaterialError("the key file cannot be read") from None
        return cls.from_toml(text, "the key file")

    @classmethod
    def from_env(cls, variable: str = ENV_VAR, environ: Mapping[str, str] | None = None) -> KeyRing:
        """Read ``id=base64:...;id2=hex:...`` from an environment variable; the first key is active."""
        value = (os.environ if environ is None else environ).get(variable, "")
        source = f"${variable}"
        if not value.strip():
            raise KeyMaterialError(f"{source} is not set")
        decoded: dict[str, bytes] = {}
        for item in value.split(";"):
            if not item.strip():
                continue
            key_id, sep, spec = item.strip().partition("=")
            if not sep:
                raise KeyMaterialError(f"{source} must hold 'id=base64:...' entries separated by ';'")
            decoded[key_id] = _decode_key(key_id, spec, source)
        return cls(decoded, next(iter(decoded)))

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id, active or not."""
        return tuple(self._keys)

    def with_key(self, key_id: str, key: bytes, *, activate: bool = True) -> KeyRing:
        """A new key ring with ``key`` added (key rotation); it becomes the active key by default."""
        if key_id in self._keys:
            raise KeyMaterialError(f"key id {key_id!r} is already in the key ring; key ids are never reused")
        return KeyRing({**self._keys, key_id: key}, key_id if activate else self.active)

    def fingerprint(self, key_id: str | None = None) -> str:
        """A public fingerprint of a key (the active one by default), safe to publish in a manifest.

        It is an HMAC under the key itself, so it identifies the key without helping anyone find it.
        """
        digest = hmac.new(self._key(key_id), _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()
        return f"hmac-sha256:{digest[:32]}"

    def domain_key(self, domain: str, key_id: str | None = None) -> bytes:
        """The key of one pseudonymisation domain, derived from a master key."""
        return hmac.new(self._key(key_id), _DOMAIN_LABEL + domain.encode("utf-8"), hashlib.sha256).digest()

    def _key(self, key_id: str | None) -> bytes:
        wanted = self.active if key_id is None else key_id
        try:
            return self._keys[wanted]
        except KeyError:
            raise KeyMaterialError(f"no key with id {wanted!r} in the key ring") from None


# --- tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenParts:
    """The parts of a token: format version, key id, kind and digest."""

    version: str
    key_id: str
    kind: str
    digest: str

    @property
    def linkable(self) -> bool:
        """True for a keyed (deterministic) token, False for a random (unlinkable) one."""
        return self.version == "ps1"


def parse_token(token: str) -> TokenParts:
    """Split a token into its parts; ValueError if it is not a crsvdata pseudonym."""
    if not _TOKEN.fullmatch(token):
        raise ValueError("not a crsvdata pseudonym token")
    version, key_id, kind, digest = token.split(".")
    return TokenParts(version, key_id, kind, digest)


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii")[:DIGEST_CHARS]


class Pseudonymiser:
    """Make tokens for one pseudonymisation domain (e.g. one recipient of one profile).

    ``mode="linkable"``: the same value gives the same token in the domain (HMAC). ``"unlinkable"``: every
    call gives a fresh random token, so nothing can be linked, not even within one export.
    """

    def __init__(
        self,
        keys: KeyRing,
        domain: str,
        mode: PseudonymMode = "linkable",
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        if not domain:
            raise ValueError("a pseudonymisation domain must not be empty")
        if mode not in ("linkable", "unlinkable"):
            raise ValueError("mode must be 'linkable' or 'unlinkable'")
        self.keys = keys
        self.domain = domain
        self.mode: PseudonymMode = mode
        self._random_bytes = random_bytes
        self._domain_keys: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"Pseudonymiser(domain={self.domain!r}, mode={self.mode!r}, key_id={self.keys.active!r})"

    def _domain_key(self, key_id: str) -> bytes:
        key = self._domain_keys.get(key_id)
        if key is None:
            key = self._domain_keys[key_id] = self.keys.domain_key(self.domain, key_id)
        return key

    def digest(self, value: str, kind: str, key_id: str | None = None) -> str:
        """The 26-character keyed digest of ``value`` (already normalised by the caller)."""
        mac = hmac.new(
            self._domain_key(key_id or self.keys.active),
            kind.encode("ascii") + b"\x1f" + value.encode("utf-8"),
            hashlib.sha256,
        )
        return _b32(mac.digest())

    def token(self, value: str, kind: str, *, normalise_as: str | None = None) -> str:
        """The token of ``value``: normalised as ``normalise_as`` (default: ``kind``), then keyed.

        ``kind`` names what the token stands for (``survivor``, ``record``, ``rnokpp``...) and goes into
        the token; it also separates the inputs, so an RNOKPP and a phone with the same digits differ.
        """
        if not _KIND.fullmatch(kind):
            raise ValueError("a token kind must be 1-20 lower-case letters, digits or '_'")
        key_id = self.keys.active
        if self.mode == "unlinkable":
            return f"pu1.{key_id}.{kind}.{_b32(self._random_bytes(17))}"
        normalised = normalise_for_pseudonym(value, normalise_as or kind)
        return f"ps1.{key_id}.{kind}.{self.digest(normalised, kind, key_id)}"

    def matches(
        self, token: str, value: str, kind: str | None = None, *, normalise_as: str | None = None
    ) -> bool:
        """True when a linkable ``token`` was made from ``value`` in this domain, with any key of the ring.

        Uses the key id inside the token, so tokens made before a key rotation still check.
        """
        try:
            parts = parse_token(token)
        except ValueError:
            return False
        if not parts.linkable or (kind is not None and parts.kind != kind):
            return False
        if parts.key_id not in self.keys.key_ids:
            return False
        normalised = normalise_for_pseudonym(value, normalise_as or parts.kind)
        return hmac.compare_digest(parts.digest, self.digest(normalised, parts.kind, parts.key_id))

    def surrogate_rnokpp(self, value: str) -> str:
        """A 10-digit stand-in for an RNOKPP, derived from the keyed digest, whose check digit is wrong.

        For systems that need the *shape* of an RNOKPP: it can never pass as a real person's number.
        """
        mac = hmac.new(
            self._domain_key(self.keys.active),
            b"rnokpp-surrogate\x1f" + normalise_for_pseudonym(value, "rnokpp").encode("utf-8"),
            hashlib.sha256,
        ).digest()
        body = f"{int.from_bytes(mac[:8], 'big') % 10**9:09d}"
        wrong = (int(rntrc.calc_check_digit(body)) + 1 + mac[8] % 9) % 10
        return body + str(wrong)
