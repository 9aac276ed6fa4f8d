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
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from crsvdata.anonymise.keys import ENV_VAR, KEY_ID_PATTERN, MIN_KEY_BYTES, KeyRing
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

KIND_PATTERN: Final = r"^[a-z][a-z0-9_]{0,19}$"
DIGEST_CHARS: Final = 26
"""26 base32 characters carry 130 bits: collisions stay negligible for any realistic data set."""

_KIND: Final = re.compile(KIND_PATTERN)
_TOKEN: Final = re.compile(TOKEN_PATTERN)

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


_B32_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_PAIRS: Final = tuple(a + b for a in _B32_ALPHABET for b in _B32_ALPHABET)
"""Two base32 characters for every 10 bits."""


def _b32(data: bytes) -> str:
    """The first 26 characters of ``base64.b32encode(data)`` (130 bits), without encoding the rest."""
    if len(data) < 17:
        return base64.b32encode(data).decode("ascii")[:DIGEST_CHARS]
    bits = int.from_bytes(data[:17], "big") >> 6  # the first 130 of 136 bits
    return "".join(_B32_PAIRS[(bits >> shift) & 1023] for shift in range(120, -1, -10))


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
        from stdnum.ua import rntrc  # python-stdnum (~10 MB with what it imports) loads on first use

        wrong = (int(rntrc.calc_check_digit(body)) + 1 + mac[8] % 9) % 10
        return body + str(wrong)
