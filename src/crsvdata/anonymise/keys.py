"""Pseudonymisation keys: reading them, refusing weak or exposed ones, and making new key files.

Every token is an HMAC under a secret key, so the key's strength *is* the pseudonyms' strength: a
passphrase-like key can be recovered from any (value, token) pair or from the manifest fingerprint by
trying guesses offline, and then every token can be reversed by enumerating the identifier space. So a
key is accepted only when it looks like the output of a random generator (:func:`key_weakness`), a key
file is accepted only when no other user can read it, and the public demo key is refused unless the
caller says, with ``allow_demo``, that this is a demonstration.

No message here ever contains key material: key ids are echoed only once they have passed
:data:`KEY_ID_PATTERN`, an entry that does not parse is named by its position, and the TOML decoder's
own message (which can quote the offending line) is replaced by its line and column.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from crsvdata.anonymise.errors import KeyMaterialError

__all__ = [
    "DEMO_KEY_FINGERPRINT",
    "DEMO_KEY_ID",
    "DEMO_NOTE",
    "ENV_VAR",
    "KEY_ID_PATTERN",
    "MIN_DISTINCT_BYTES",
    "MIN_KEY_BYTES",
    "DemoKeyError",
    "KeyFileExistsError",
    "KeyFileModeError",
    "KeyRing",
    "WeakKeyError",
    "key_fingerprint",
    "key_weakness",
    "load_key_ring",
    "new_key",
    "write_key_file",
]

ENV_VAR: Final = "CRSVDATA_PSEUDONYM_KEYS"
"""Environment variable holding keys as ``id=base64:...`` (``;``-separated; the first one is active)."""

MIN_KEY_BYTES: Final = 32
MIN_DISTINCT_BYTES: Final = 16
"""Fewer distinct byte values (or consecutive differences) than this in a key means it was not drawn at
random: 32 random bytes fall below it with probability about 3e-17."""
KEY_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,15}$"
MAX_KEY_FILE_BYTES: Final = 64 * 1024
"""A key file is a few lines; anything larger is the wrong file (perhaps the data) and is not read."""

DEMO_KEY_ID: Final = "demo-only"
"""The id of the public demo key (``examples/keys/demo.key``); reserved, so no real key can carry it."""
DEMO_KEY_FINGERPRINT: Final = "hmac-sha256:f4c17315bcd28977d40c8f46380a426e"
"""The fingerprint of the public demo key. The key is recognised by this, not by its file name or id, so a
copy of it under another name or id is still refused."""
DEMO_NOTE: Final = (
    "DEMO EXPORT: pseudonymised with the public demo key; anyone can reverse every token. "
    "Synthetic data only; never share as anonymised."
)
"""The note an export made with the demo key carries in its manifest (``notes``)."""

_KEY_ID: Final = re.compile(KEY_ID_PATTERN)
_DOMAIN_LABEL: Final = b"crsvdata/pseudonym/v1\x1f"
_FINGERPRINT_LABEL: Final = b"crsvdata/key-fingerprint/v1"
# Bytes of text: printable ASCII and the ASCII whitespace a passphrase or a pasted encoding may carry.
_TEXT_BYTES: Final = frozenset(range(0x20, 0x7F)) | frozenset(b"\t\n\r\x0b\x0c")
_CREATE_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TOML_POSITION: Final = re.compile(r"at line (\d+), column (\d+)")
_ID_RULE: Final = "key ids are 1-16 lower-case letters, digits or '-', starting with a letter or digit"


class WeakKeyError(KeyMaterialError):
    """A key that is too short or does not look random (text, few distinct bytes, a pattern)."""

    code = "anonymise.key_weak"


class KeyFileModeError(KeyMaterialError):
    """A key file that users other than its owner may read (its mode allows group or others)."""

    code = "anonymise.key_file_mode"


class DemoKeyError(KeyMaterialError):
    """The public demo key, used without saying it is a demonstration (or mixed with real keys)."""

    code = "anonymise.key_demo"


class KeyFileExistsError(KeyMaterialError):
    """``crsvdata keys new`` was asked to write over an existing file."""

    code = "anonymise.key_exists"


# --- the strength rule -------------------------------------------------------------------------------


def _is_text(key: bytes) -> bool:
    if all(byte in _TEXT_BYTES for byte in key):
        return True
    # A passphrase in Ukrainian (or any script) is UTF-8 text too; 32 random bytes decode to printable
    # text with a probability far below 1e-10.
    try:
        text = key.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch.isspace() for ch in text)


def _period(key: bytes) -> int | None:
    for period in range(1, len(key) // 2 + 1):
        if all(key[i] == key[i + period] for i in range(len(key) - period)):
            return period
    return None


def key_weakness(key: bytes) -> str | None:
    """Why ``key`` is refused as a pseudonymisation key, or None when it is accepted.

    A key is refused when it is shorter than 32 bytes, or when it is text (every byte printable ASCII or
    whitespace, or the whole key printable UTF-8), or has fewer than 16 distinct byte values, or fewer
    than 16 distinct differences between consecutive bytes (a counter such as ``bytes(range(32))``), or
    repeats itself with a period of at most half its length. A key drawn from a random generator passes
    all of these except with negligible probability, and :func:`new_key` draws again in that case.

    The rule catches keys made by people (passphrases, words, counters, repeated blocks, encodings
    pasted as raw bytes); it cannot catch a key *derived* from a passphrase, such as the SHA-256 of one,
    which looks random. Make keys with ``crsvdata keys new``.
    """
    if len(key) < MIN_KEY_BYTES:
        return f"has {len(key)} bytes; at least {MIN_KEY_BYTES} random bytes are required"
    if _is_text(key):
        return (
            "is text (a passphrase, or an encoded key pasted as raw bytes), not random bytes; "
            "make a key with 'crsvdata keys new'"
        )
    if len(set(key)) < MIN_DISTINCT_BYTES:
        return f"is not random: fewer than {MIN_DISTINCT_BYTES} distinct byte values"
    if len({(b - a) % 256 for a, b in itertools.pairwise(key)}) < MIN_DISTINCT_BYTES:
        return "is not random: its bytes count up or down in a pattern"
    if _period(key) is not None:
        return "is not random: it repeats itself"
    return None


def new_key(random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
    """32 bytes from the operating system's random generator that pass :func:`key_weakness`.

    A draw is refused with probability below 1e-13; drawing again then keeps the promise that a key made
    here is always accepted, and costs nothing measurable in entropy.
    """
    while True:
        key = random_bytes(MIN_KEY_BYTES)
        if key_weakness(key) is None:
            return key


def key_fingerprint(key: bytes) -> str:
    """The public fingerprint of a key: HMAC-SHA-256 under the key of a fixed label, 128 bits, hex.

    It is a keyed value of the secret: it tells an auditor which key made an export, and verifies a guessed
    key as quickly as a token does, so it is exactly as safe as the key is unguessable. That is why weak
    keys are refused rather than the fingerprint hidden (docs/anonymisation/pseudonyms.md). The label
    differs from every domain-key label, so the fingerprint is never a key that makes tokens.
    """
    return "hmac-sha256:" + hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:32]


def _is_demo(key: bytes) -> bool:
    return hmac.compare_digest(key_fingerprint(key), DEMO_KEY_FINGERPRINT)


def _check_key(key_id: str, key: bytes, source: str) -> None:
    if not _KEY_ID.fullmatch(key_id):
        raise KeyMaterialError(f"a key id in {source} is not valid: {_ID_RULE}")
    weakness = key_weakness(key)
    if weakness is not None:
        raise WeakKeyError(f"key {key_id!r} in {source} {weakness}")


# --- the key ring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRing:
    """Secret master keys by key id, and which one makes new tokens.

    Rotation: :meth:`with_key` adds a key and makes it active; older keys stay so that tokens made with
    them can still be checked (``Pseudonymiser.matches``). The keys themselves are never shown.

    The public demo key is refused unless ``allow_demo=True``, and even then only on its own: a ring
    that holds it holds nothing else, so a real export can never use or rotate to it by mistake.
    """

    _keys: Mapping[str, bytes] = field(repr=False)
    active: str
    allow_demo: bool = field(default=False, kw_only=True)

    def __post_init__(self) -> None:
        source = "the key ring"
        if not self._keys:
            raise KeyMaterialError("a key ring needs at least one key")
        for key_id, key in self._keys.items():
            _check_key(key_id, key, source)
        if self.active not in self._keys:
            raise KeyMaterialError(
                f"the active key id is not in {source} (its keys: {', '.join(self._keys)})"
            )
        _check_demo(self._keys, source, self.allow_demo)
        object.__setattr__(self, "_keys", MappingProxyType(dict(self._keys)))

    def __repr__(self) -> str:
        demo = ", demo=True" if self.demo else ""
        return f"KeyRing(active={self.active!r}, key_ids={list(self._keys)!r}{demo})"

    @classmethod
    def single(cls, key_id: str, key: bytes, *, allow_demo: bool = False) -> KeyRing:
        """A key ring with one key."""
        return cls({key_id: key}, key_id, allow_demo=allow_demo)

    @classmethod
    def generate(cls, key_id: str) -> KeyRing:
        """A key ring with a fresh random 32-byte key (for tests and for creating key files)."""
        return cls.single(key_id, new_key())

    @classmethod
    def from_toml(cls, text: str, source: str = "the key file", *, allow_demo: bool = False) -> KeyRing:
        """Read ``active = "id"`` and a ``[keys]`` table of ``id = "base64:..."`` (or ``"hex:..."``)."""
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            # The decoder's message can quote the offending line, which may hold key material.
            position = _TOML_POSITION.search(str(exc))
            where = f" (line {position[1]}, column {position[2]})" if position else ""
            raise KeyMaterialError(f"{source} is not valid TOML{where}") from None
        if set(document) - {"active", "keys"}:
            # Not named: a misplaced key could be the unknown name itself.
            raise KeyMaterialError(f"{source} has entries other than 'active' and a [keys] table")
        keys = document.get("keys")
        if not isinstance(keys, dict) or not keys:
            raise KeyMaterialError(f"{source} has no [keys] table with at least one key")
        decoded: dict[str, bytes] = {}
        for number, (key_id, spec) in enumerate(keys.items(), start=1):
            where = f"key {number} of [keys] in {source}"
            if not _KEY_ID.fullmatch(key_id):
                raise KeyMaterialError(f"{where} has an invalid id: {_ID_RULE}")
            if not isinstance(spec, str):
                raise KeyMaterialError(f'{where} must be a string: "base64:..."')
            key = _decode_key(spec, where)
            _check_key(key_id, key, source)
            decoded[key_id] = key
        active = document.get("active", next(iter(keys)))
        if not isinstance(active, str):
            raise KeyMaterialError(f"'active' in {source} must be a key id in quotes")
        if active not in decoded:
            raise KeyMaterialError(
                f"'active' in {source} is not one of its keys (its keys: {', '.join(decoded)})"
            )
        _check_demo(decoded, source, allow_demo)
        return cls(decoded, active, allow_demo=allow_demo)

    @classmethod
    def from_file(cls, path: Path, *, allow_demo: bool = False) -> KeyRing:
        """Read a key file (TOML, see :meth:`from_toml`) that only its owner can read.

        Refused: a file whose mode lets group or others read or write it (``chmod 600`` fixes it), one
        that is not a regular file or is larger than 64 KiB, or one that is not UTF-8. The mode check is
        skipped on Windows, which has no such mode bits, and for the public demo key, which is no secret.
        """
        text, mode = _read_key_file(path)
        source = f"key file {path}"
        ring = cls.from_toml(text, source, allow_demo=allow_demo)
        if mode is not None and mode & 0o077 and not ring.demo:
            raise KeyFileModeError(
                f"{source} can be read or changed by other users (mode {mode & 0o777:03o}); "
                f"run 'chmod 600 {path}' and make a new key if others may have copied it"
            )
        return ring

    @classmethod
    def from_env(
        cls, variable: str = ENV_VAR, environ: Mapping[str, str] | None = None, *, allow_demo: bool = False
    ) -> KeyRing:
        """Read ``id=base64:...;id2=hex:...`` from an environment variable; the first key is active."""
        value = (os.environ if environ is None else environ).get(variable, "")
        source = f"${variable}"
        if not value.strip():
            raise KeyMaterialError(f"{source} is not set")
        decoded: dict[str, bytes] = {}
        entries = [item.strip() for item in value.split(";")]
        for number, item in enumerate((entry for entry in entries if entry), start=1):
            # Split at the first '=' only after checking what precedes it is an id: a key written without
            # 'id=' has '=' as base64 padding, and the text before it is key material.
            where = f"entry {number} of {source}"
            key_id, sep, spec = item.partition("=")
            if not sep or not _KEY_ID.fullmatch(key_id):
                raise KeyMaterialError(
                    f"{where} does not start with a key id: write 'id=base64:...' ({_ID_RULE})"
                )
            key = _decode_key(spec, where)
            _check_key(key_id, key, source)
            if key_id in decoded:
                raise KeyMaterialError(f"key id {key_id!r} appears twice in {source}")
            decoded[key_id] = key
        _check_demo(decoded, source, allow_demo)
        return cls(decoded, next(iter(decoded)), allow_demo=allow_demo)

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id, active or not."""
        return tuple(self._keys)

    @property
    def demo(self) -> bool:
        """True when this ring is the public demo key: anything made with it can be reversed by anyone."""
        return any(_is_demo(key) for key in self._keys.values())

    def __reduce__(self) -> Any:
        # Never pickled: a cache or a task queue would write the master keys to its store.
        raise TypeError("a KeyRing is not picklable: it holds master keys")

    def with_key(self, key_id: str, key: bytes, *, activate: bool = True) -> KeyRing:
        """A new key ring with ``key`` added (key rotation); it becomes the active key by default."""
        if key_id in self._keys:
            raise KeyMaterialError(f"key id {key_id!r} is already in the key ring; key ids are never reused")
        return KeyRing(
            {**self._keys, key_id: key}, key_id if activate else self.active, allow_demo=self.allow_demo
        )

    def fingerprint(self, key_id: str | None = None) -> str:
        """The public fingerprint of a key (the active one by default): see :func:`key_fingerprint`."""
        return key_fingerprint(self._key(key_id))

    def domain_key(self, domain: str, key_id: str | None = None) -> bytes:
        """The key of one pseudonymisation domain, derived from a master key."""
        return hmac.new(self._key(key_id), _DOMAIN_LABEL + domain.encode("utf-8"), hashlib.sha256).digest()

    def _key(self, key_id: str | None) -> bytes:
        wanted = self.active if key_id is None else key_id
        try:
            return self._keys[wanted]
        except KeyError:
            raise KeyMaterialError(
                f"no key with that id in the key ring (its keys: {', '.join(self._keys)})"
            ) from None


def key_ring_for_worker(ring: KeyRing) -> tuple[dict[str, bytes], str, bool]:
    """The ring as plain data, to hand to a worker process of the same export (:mod:`.parallel`).

    A ``KeyRing`` does not pickle, so that a cache or a task queue can never write one to a store by
    accident; the parallel export sends these parts through its own workers' pipes only.
    """
    return dict(ring._keys), ring.active, ring.allow_demo


def _check_demo(keys: Mapping[str, bytes], source: str, allow_demo: bool) -> None:
    demo = [key_id for key_id, key in keys.items() if _is_demo(key)]
    if not demo:
        if DEMO_KEY_ID in keys:
            raise DemoKeyError(f"the key id {DEMO_KEY_ID!r} in {source} is reserved for the public demo key")
        return
    if len(keys) > 1:
        raise DemoKeyError(f"{source} mixes the public demo key with other keys; keep it on its own")
    if not allow_demo:
        raise DemoKeyError(
            f"{source} holds the public demo key: anyone can reverse what it pseudonymises; "
            "make a real key with 'crsvdata keys new', or pass --demo for a demonstration"
        )


def _decode_key(spec: str, where: str) -> bytes:
    # ``where`` names the entry by its position: until the value has decoded, the entry may be a key
    # written in the wrong place, so not even its id is repeated.
    kind, _, encoded = spec.partition(":")
    try:
        if kind == "base64":
            return base64.b64decode(encoded.strip(), validate=True)
        if kind == "hex":
            return bytes.fromhex(encoded.strip())
    except (binascii.Error, ValueError):
        raise KeyMaterialError(f"{where} is not valid {kind}") from None
    raise KeyMaterialError(f"{where}: write the key as 'base64:...' or 'hex:...'")


def _unreadable(source: str, exc: OSError) -> KeyMaterialError:
    return KeyMaterialError(f"{source} cannot be read ({exc.strerror or type(exc).__name__})")


def _read_key_file(path: Path) -> tuple[str, int | None]:
    """The text of a key file and its mode (None where mode bits mean nothing)."""
    source = f"key file {path}"
    # O_NONBLOCK: a FIFO or device given by mistake is refused below instead of blocking the export.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise KeyMaterialError(f"{source} does not exist") from None
    except OSError as exc:
        raise _unreadable(source, exc) from None
    try:
        # The mode of the file that was opened, not of whatever the path names a moment later.
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise KeyMaterialError(f"{source} is not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise _unreadable(source, exc) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyMaterialError(f"{source} is larger than {MAX_KEY_FILE_BYTES // 1024} KiB: not a key file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyMaterialError(f"{source} is not UTF-8 text") from None
    return text, None if os.name == "nt" else stat.S_IMODE(status.st_mode)


def load_key_ring(
    key_file: Path | None, *, demo: bool = False, environ: Mapping[str, str] | None = None
) -> KeyRing:
    """The key ring of a command: from ``key_file`` if given, else from :data:`ENV_VAR`.

    ``demo=True`` allows the public demo key and requires it: a demonstration flag on a real key would
    mark a real export as a demo.
    """
    ring = (
        KeyRing.from_file(key_file, allow_demo=demo)
        if key_file is not None
        else KeyRing.from_env(environ=environ, allow_demo=demo)
    )
    if demo and not ring.demo:
        raise DemoKeyError("--demo is only for the public demo key (examples/keys/demo.key)")
    return ring


# --- new key files -----------------------------------------------------------------------------------


def _default_key_id() -> str:
    # The day makes ids sort by age; the random suffix keeps two keys made the same day apart.
    return f"k{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(2)}"


def _key_file_text(key_id: str, key: bytes) -> str:
    return (
        "# crsvdata pseudonymisation key. SECRET: whoever holds this file can reverse every pseudonym\n"
        "# made with it. Keep it with the organisation that coordinates pseudonymisation, never with\n"
        "# the data or a recipient, readable only by you (mode 600). Made by 'crsvdata keys new'.\n"
        f'active = "{key_id}"\n\n[keys]\n{key_id} = "base64:{base64.b64encode(key).decode("ascii")}"\n'
    )


def _exists(path: Path) -> KeyFileExistsError:
    return KeyFileExistsError(f"{path} exists; a key file is never overwritten (choose a new path)")


def write_key_file(path: Path, key_id: str | None = None) -> KeyRing:
    """Write a new key file at ``path`` (mode 600) with a fresh random key, and return its key ring.

    The file appears all at once: it is written to a temporary file in the same folder (created with
    mode 600, so the key is never readable by others, not even briefly) and hard-linked to ``path``,
    which fails if ``path`` exists: an existing key is never overwritten, even by a concurrent writer.
    """
    chosen = _default_key_id() if key_id is None else key_id
    if not _KEY_ID.fullmatch(chosen):
        raise KeyMaterialError(f"the key id is not valid: {_ID_RULE}")
    if chosen == DEMO_KEY_ID:
        raise DemoKeyError(f"the key id {DEMO_KEY_ID!r} is reserved for the public demo key")
    key = new_key()
    ring = KeyRing.single(chosen, key)
    if os.path.lexists(path):
        raise _exists(path)
    directory = path.parent if str(path.parent) else Path(".")
    temporary = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        descriptor = os.open(temporary, _CREATE_FLAGS, 0o600)
    except OSError as exc:
        raise KeyMaterialError(
            f"cannot write in {directory} ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if os.name != "nt":
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask did
            handle.write(_key_file_text(chosen, key).encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError:
            # A file system without hard links (FAT on a USB stick): create exclusively instead.
            _write_exclusive(path, temporary.read_bytes())
    finally:
        temporary.unlink(missing_ok=True)
    return ring


def _write_exclusive(path: Path, data: bytes) -> None:
    try:
        descriptor = os.open(path, _CREATE_FLAGS, 0o600)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise KeyMaterialError(f"cannot write {path} ({exc.strerror or type(exc).__name__})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
