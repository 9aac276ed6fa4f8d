"""Pseudonymisation keys: weak keys refused by a stated rule, key files readable by their owner only, the
public demo key recognised by its fingerprint, and no error of key loading ever carrying key material."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import stat
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from crsvdata.anonymise import KeyMaterialError, KeyRing
from crsvdata.anonymise.keys import (
    DEMO_KEY_FINGERPRINT,
    DEMO_KEY_ID,
    DEMO_NOTE,
    MIN_KEY_BYTES,
    DemoKeyError,
    KeyFileExistsError,
    KeyFileModeError,
    WeakKeyError,
    key_fingerprint,
    key_weakness,
    load_key_ring,
    new_key,
    write_key_file,
)
from crsvdata.cli import main

ROOT = Path(__file__).parents[1]
DEMO_FILE = ROOT / "examples/keys/demo.key"
DEMO_BYTES = base64.b64decode(DEMO_FILE.read_text().split('"base64:')[1].split('"')[0])
FINGERPRINT_LABEL = b"crsvdata/key-fingerprint/v1"


def random_bytes(low: int = MIN_KEY_BYTES, high: int = 64) -> st.SearchStrategy[bytes]:
    """Bytes as a random generator makes them: a seeded real Random, never hypothesis's structured bytes."""
    return st.tuples(st.randoms(use_true_random=True), st.integers(low, high)).map(
        lambda r: r[0].randbytes(r[1])
    )


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


# --- what leaks would look like --------------------------------------------------------------------------

# Passphrase-like material is drawn from characters the messages never use in runs of six (no lower-case
# letters, no '/', '-', '_' or '$'), so a match can only be the material itself.
PASSPHRASE_ALPHABET = string.ascii_uppercase + string.digits + "!#%&*+,.:?@^~"
material = st.one_of(
    random_bytes(32, 48),
    st.binary(min_size=1, max_size=64),
    st.text(PASSPHRASE_ALPHABET, min_size=1, max_size=64).map(str.encode),
)


def encodings(key: bytes) -> list[str]:
    """Every way the key could be written: raw text, base64 (padded or not, URL-safe), hex, base32."""
    return [
        key.decode("latin-1"),
        b64(key),
        b64(key).rstrip("="),
        base64.urlsafe_b64encode(key).decode(),
        key.hex(),
        key.hex().upper(),
        base64.b32encode(key).decode(),
    ]


def assert_no_material(key: bytes, *texts: str) -> None:
    for encoded in encodings(key):
        for start in range(max(len(encoded) - 5, 0)):
            chunk = encoded[start : start + 6]
            for text in texts:
                assert chunk not in text, f"a 6-character piece of the key ({chunk!r}) is shown"


# --- every error path of key loading ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One wrong way to supply a key: an environment variable, or a key file with a mode."""

    name: str
    env: str | None = None
    file: bytes | None = None
    mode: int = 0o600
    demo: bool = False


def cases(key: bytes, loose_mode: int) -> list[Case]:
    e, h = b64(key), key.hex()
    entry = f'[keys]\nk1 = "base64:{e}"\n'
    return [
        # Environment variable forms.
        Case("no id, base64 padding taken for '='", env=f"base64:{e}"),
        Case("no id, hex", env=f"hex:{h}"),
        Case("bare base64", env=e),
        Case("empty id", env=f"=base64:{e}"),
        Case("upper-case id", env=f"K1=base64:{e}"),
        Case("no prefix", env=f"k1={e}"),
        Case("bad base64", env=f"k1=base64:{e}!"),
        Case("bad hex", env=f"k1=hex:{h}zz"),
        Case("truncated", env=f"k1=base64:{e[: len(e) // 2]}"),
        Case("duplicate ids", env=f"k1=base64:{e};k1=base64:{e}"),
        Case("broken second entry", env=f"k1=base64:{e};oops"),
        Case("reserved demo id", env=f"{DEMO_KEY_ID}=base64:{e}"),
        Case("mixed with the demo key", env=f"k1=base64:{e};k2=base64:{b64(DEMO_BYTES)}", demo=True),
        Case("--demo on a real key", env=f"k1=base64:{e}", demo=True),
        # Key file shapes.
        Case("keys is a string", file=f'keys = "base64:{e}"\n'.encode()),
        Case("no [keys] table", file=f'k1 = "base64:{e}"\n'.encode()),
        Case("unknown top-level entry", file=f'actve = "k1"\n{entry}'.encode()),
        Case("array value", file=f'[keys]\nk1 = ["base64:{e}"]\n'.encode()),
        Case("integer value", file=f"[keys]\nk1 = 0x{h or '0'}\n".encode()),
        Case("invalid TOML", file=f'[keys]\nk1 = base64:{e}"\n'.encode()),
        Case("key as the name", file=f'[keys]\n"{e}" = "k1"\n'.encode()),
        Case("bad base64 in file", file=f'[keys]\nk1 = "base64:{e}!"\n'.encode()),
        Case("duplicate TOML keys", file=f'[keys]\nk1 = "hex:{h}"\nk1 = "hex:{h}"\n'.encode()),
        Case("unknown active id", file=f'active = "k9"\n{entry}'.encode()),
        Case("active is a number", file=f"active = 1\n{entry}".encode()),
        Case("raw key as the file", file=key),
        Case("not UTF-8", file=key + b"\xff\xfe"),
        Case("readable by others", file=entry.encode(), mode=loose_mode),
        Case("--demo with a real key file", file=entry.encode(), demo=True),
    ]


CASE_NAMES = [case.name for case in cases(b"x" * 32, 0o644)]
loose_modes = st.builds(lambda extra: 0o600 | extra, st.integers(1, 0o077))


def load(case: Case, folder: Path) -> KeyRing:
    if case.env is not None:
        return load_key_ring(None, demo=case.demo, environ={"CRSVDATA_PSEUDONYM_KEYS": case.env})
    assert case.file is not None
    path = folder / "k.toml"
    path.unlink(missing_ok=True)
    path.write_bytes(case.file)
    path.chmod(case.mode)
    return load_key_ring(path, demo=case.demo)


@settings(max_examples=300)
@given(key=material, mode=loose_modes, which=st.sampled_from(CASE_NAMES))
def test_no_error_of_key_loading_shows_any_piece_of_the_key(
    key: bytes, mode: int, which: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case = next(c for c in cases(key, mode) if c.name == which)
    with pytest.raises(KeyMaterialError) as error:
        load(case, tmp_path_factory.mktemp("keys"))
    assert error.value.code.startswith("anonymise.key")
    assert_no_material(key, str(error.value), repr(error.value), error.value.message)


def test_a_key_written_without_an_id_is_refused_without_being_echoed() -> None:
    # The adversary's case: '=' of the base64 padding was taken for 'id=' and the key shown as its id.
    key = new_key()
    with pytest.raises(KeyMaterialError, match="does not start with a key id") as error:
        KeyRing.from_env(environ={"CRSVDATA_PSEUDONYM_KEYS": f"base64:{b64(key)}"})
    assert b64(key).rstrip("=") not in str(error.value)
    assert_no_material(key, str(error.value))


def test_toml_errors_give_the_line_not_the_line_text() -> None:
    key = new_key()
    with pytest.raises(KeyMaterialError, match=r"not valid TOML \(line 3, column \d+\)") as error:
        KeyRing.from_toml(f'active = "k1"\n[keys]\nk1 = base64:{b64(key)}"\n')
    assert_no_material(key, str(error.value))


# --- the strength rule ---------------------------------------------------------------------------------


@given(random_bytes())
def test_random_keys_pass(key: bytes) -> None:
    assert key_weakness(key) is None
    assert KeyRing.single("k1", key).key_ids == ("k1",)


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\t\n\r ")))
def test_any_printable_ascii_string_is_refused_at_any_length(text: str) -> None:
    with pytest.raises(WeakKeyError):
        KeyRing.single("k1", text.encode("ascii"))


@given(st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1))
def test_a_passphrase_in_any_script_is_refused(text: str) -> None:
    # A Ukrainian passphrase is UTF-8 bytes above 0x7F: still text, still refused.
    assert key_weakness(text.encode("utf-8")) is not None


@given(
    st.sets(st.integers(0, 255), min_size=1, max_size=15).flatmap(
        lambda values: st.lists(st.sampled_from(sorted(values)), min_size=32, max_size=64)
    )
)
def test_keys_with_few_distinct_bytes_are_refused(key: list[int]) -> None:
    with pytest.raises(WeakKeyError):
        KeyRing.single("k1", bytes(key))


@given(st.integers(0, 255), st.integers(0, 255), st.integers(32, 64))
def test_counters_and_ramps_are_refused(start: int, step: int, length: int) -> None:
    # bytes(range(32)) and its kin: many distinct bytes, but one difference between neighbours.
    assert key_weakness(bytes((start + i * step) % 256 for i in range(length))) is not None


@given(random_bytes(1, 32), st.integers(2, 4))
def test_a_repeated_block_is_refused(block: bytes, copies: int) -> None:
    assert key_weakness((block * copies)[: max(len(block) * copies, MIN_KEY_BYTES)]) is not None


def test_new_keys_always_pass_and_a_weak_draw_is_drawn_again() -> None:
    assert all(key_weakness(new_key()) is None for _ in range(200))
    draws = [b"\x00" * 32, b"correct horse battery staple 12!", random.Random(7).randbytes(32)]
    assert new_key(lambda n: draws.pop(0)) == random.Random(7).randbytes(32)
    assert draws == []


def test_every_constructor_applies_the_rule() -> None:
    weak = b"Kyiv2026!Kyiv2026!Kyiv2026!Kyiv2026!"
    ring = KeyRing.generate("k1")
    for attempt in (
        lambda: KeyRing.single("k2", weak),
        lambda: ring.with_key("k2", weak),
        lambda: KeyRing.from_env(environ={"CRSVDATA_PSEUDONYM_KEYS": f"k2=base64:{b64(weak)}"}),
        lambda: KeyRing.from_toml(f'[keys]\nk2 = "hex:{weak.hex()}"\n'),
    ):
        with pytest.raises(WeakKeyError, match="is text"):
            attempt()


# --- key files -------------------------------------------------------------------------------------------


def test_new_key_file_is_mode_600_whatever_the_umask_and_loads(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        ring = write_key_file(tmp_path / "k.toml", "k2026a")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "k.toml").stat().st_mode) == 0o600
    loaded = KeyRing.from_file(tmp_path / "k.toml")
    assert loaded.active == ring.active == "k2026a"
    assert loaded.fingerprint() == ring.fingerprint()
    assert [p.name for p in tmp_path.iterdir()] == ["k.toml"]  # no temporary file left


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "k.toml"
    target.write_text("precious")
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "nowhere")
    for path in (target, link):
        with pytest.raises(KeyFileExistsError):
            write_key_file(path)
    assert target.read_text() == "precious"
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "k.toml"]


@given(mode=loose_modes)
def test_a_key_file_others_can_read_is_refused_with_chmod_600(
    mode: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("k")
    write_key_file(folder / "k.toml")
    (folder / "k.toml").chmod(mode)
    with pytest.raises(KeyFileModeError, match="chmod 600"):
        KeyRing.from_file(folder / "k.toml")
    (folder / "k.toml").chmod(0o400)
    assert KeyRing.from_file(folder / "k.toml").key_ids


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "cannot be read|not a regular file"),
        (lambda p: os.mkfifo(p), "not a regular file"),
        (lambda p: p.write_bytes(b"#" * (65 * 1024)), "larger than 64 KiB"),
    ],
)
def test_unreadable_key_files_are_refused_by_kind(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "k.toml"
    make(path)
    with pytest.raises(KeyMaterialError, match=message):
        KeyRing.from_file(path)


# --- the demo key ---------------------------------------------------------------------------------------


def test_the_demo_fingerprint_is_the_demo_file_and_its_copies_are_refused(tmp_path: Path) -> None:
    assert KeyRing.from_file(DEMO_FILE, allow_demo=True).fingerprint() == DEMO_KEY_FINGERPRINT
    with pytest.raises(DemoKeyError, match="--demo"):
        KeyRing.from_file(DEMO_FILE)
    # Recognised by the key, not the path or the id: a renamed copy under another id is still the demo key.
    copy = tmp_path / "real-looking.key"
    copy.write_text(f'[keys]\nk2026a = "hex:{DEMO_BYTES.hex()}"\n')
    copy.chmod(0o600)
    with pytest.raises(DemoKeyError):
        KeyRing.from_file(copy)
    with pytest.raises(DemoKeyError):
        KeyRing.single("k2026a", DEMO_BYTES)
    assert KeyRing.from_file(copy, allow_demo=True).demo


def test_the_demo_key_stays_on_its_own_and_its_id_is_reserved() -> None:
    demo = KeyRing.single(DEMO_KEY_ID, DEMO_BYTES, allow_demo=True)
    with pytest.raises(DemoKeyError, match="mixes"):
        demo.with_key("k2026a", new_key())
    with pytest.raises(DemoKeyError, match="reserved"):
        KeyRing.single(DEMO_KEY_ID, new_key(), allow_demo=True)
    with pytest.raises(DemoKeyError, match="only for the public demo key"):
        load_key_ring(None, demo=True, environ={"CRSVDATA_PSEUDONYM_KEYS": f"k1=base64:{b64(new_key())}"})
    assert not KeyRing.generate("k1").demo


# --- the fingerprint ------------------------------------------------------------------------------------


def _same_hmac_key(one: bytes, other: bytes) -> bool:
    block = hashlib.sha256().block_size  # keys up to a block are zero-padded to it (RFC 2104)
    return len(one) <= block and len(other) <= block and one.ljust(block, b"\0") == other.ljust(block, b"\0")


@given(random_bytes(32, 32), st.data())
def test_the_fingerprint_is_a_keyed_value_that_verifies_no_guess(key: bytes, data: st.DataObject) -> None:
    fingerprint = key_fingerprint(key)
    # It is HMAC-SHA-256 under the key: a PRF of a 256-bit secret, so checking a guess needs the key.
    expected = hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:32]
    assert fingerprint == f"hmac-sha256:{expected}"
    # Every bit of the secret matters: the search space is all 2**256 keys.
    bit = data.draw(st.integers(0, 255))
    flipped = bytearray(key)
    flipped[bit // 8] ^= 1 << (bit % 8)
    guesses = [
        bytes(flipped),
        data.draw(random_bytes(32, 32)),
        key[:-1],
        key + b"\x01",
        b64(key).encode(),
        data.draw(st.text(PASSPHRASE_ALPHABET, min_size=32, max_size=64)).encode(),
    ]
    # HMAC pads a key shorter than its block with zeros, so K, K||00 and (when K ends in 00) K minus its
    # last byte are one and the same key: such a "guess" is the key itself, not a guess.
    assert all(key_fingerprint(guess) != fingerprint for guess in guesses if not _same_hmac_key(guess, key))
    # No unkeyed hash of public inputs gives it, and it is not the key or a prefix of it.
    public = [FINGERPRINT_LABEL, b"", fingerprint.encode()]
    assert all(hashlib.sha256(p).hexdigest()[:32] != expected for p in public)
    assert all(chunk not in fingerprint for chunk in (key.hex()[:12], b64(key)[:12]))


def test_several_keys_in_the_environment_first_active() -> None:
    one, two = new_key(), new_key()
    ring = KeyRing.from_env(
        environ={"CRSVDATA_PSEUDONYM_KEYS": f"new=base64:{b64(one)}; old=hex:{two.hex()}"}
    )
    assert (ring.active, ring.key_ids) == ("new", ("new", "old"))
    assert ring.fingerprint("new") != ring.fingerprint("old")
    assert_no_material(one, repr(ring), ring.fingerprint())
    assert_no_material(two, repr(ring), ring.fingerprint("old"))


# --- the command line -------------------------------------------------------------------------------------

CASES = ROOT / "examples/synthetic/case-records.jsonl"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"CRSVDATA_PSEUDONYM_KEYS": "", **(env or {})})
    # An exception escaping the command would be a traceback for a user: never acceptable here.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def anonymise(folder: Path, *options: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return invoke(
        "anonymise",
        "--profile",
        "research",
        "--recipient",
        "synth_research_unit",
        *options,
        str(CASES),
        str(folder / "out.jsonl"),
        env=env,
    )


@settings(max_examples=120)
@given(key=material, mode=loose_modes, which=st.sampled_from(CASE_NAMES))
def test_every_refusal_of_the_cli_exits_2_with_a_key_code_and_no_key_material(
    key: bytes, mode: int, which: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case = next(c for c in cases(key, mode) if c.name == which)
    folder = tmp_path_factory.mktemp("cli")
    options = ["--demo"] if case.demo else []
    env = None
    if case.env is not None:
        env = {"CRSVDATA_PSEUDONYM_KEYS": case.env}
    else:
        assert case.file is not None
        (folder / "k.toml").write_bytes(case.file)
        (folder / "k.toml").chmod(case.mode)
        options += ["--key-file", str(folder / "k.toml")]
    code, stdout, stderr = anonymise(folder, *options, env=env)
    assert code == 2
    assert stderr.startswith("error: anonymise.key")
    assert "Traceback" not in stderr
    assert stdout == ""
    assert not (folder / "out.jsonl").exists()
    assert_no_material(key, stdout, stderr)


def test_keys_new_prints_the_id_and_path_never_the_key(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    code, stdout, stderr = invoke("keys", "new", str(path), "--id", "k2026a")
    assert (code, stderr) == (0, "")
    assert "k2026a" in stdout
    assert str(path) in stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ring = KeyRing.from_file(path)
    assert ring.fingerprint() in stdout
    key = base64.b64decode(path.read_text().split('"base64:')[1].split('"')[0])
    assert key_weakness(key) is None
    assert_no_material(key, stdout)
    # The default id is valid and new keys differ.
    code, stdout, _ = invoke("keys", "new", str(tmp_path / "k2.toml"))
    assert code == 0
    assert KeyRing.from_file(tmp_path / "k2.toml").fingerprint() != ring.fingerprint()


@pytest.mark.parametrize(
    ("args", "code_name"),
    [
        (["--id", "Not Valid"], "anonymise.key:"),
        (["--id", DEMO_KEY_ID], "anonymise.key_demo"),
    ],
)
def test_keys_new_refuses_bad_ids(tmp_path: Path, args: list[str], code_name: str) -> None:
    code, _, stderr = invoke("keys", "new", str(tmp_path / "k.toml"), *args)
    assert code == 2
    assert stderr.startswith(f"error: {code_name}")
    assert list(tmp_path.iterdir()) == []


def test_keys_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    assert invoke("keys", "new", str(path))[0] == 0
    before = path.read_bytes()
    code, stdout, stderr = invoke("keys", "new", str(path))
    assert (code, stdout) == (2, "")
    assert stderr.startswith("error: anonymise.key_exists")
    assert path.read_bytes() == before


def test_a_new_key_exports_and_loses_its_use_once_others_can_read_it(tmp_path: Path) -> None:
    key = tmp_path / "k.toml"
    invoke("keys", "new", str(key))
    code, stdout, _ = anonymise(tmp_path, "--key-file", str(key))
    assert code == 0
    manifest = json.loads(stdout)
    assert manifest["pseudonyms"]["key_fingerprint"] == KeyRing.from_file(key).fingerprint()
    assert "notes" not in manifest or DEMO_NOTE not in manifest["notes"]
    key.chmod(0o644)
    (tmp_path / "out.jsonl").unlink()
    code, _, stderr = anonymise(tmp_path, "--key-file", str(key))
    assert code == 2
    assert stderr.startswith("error: anonymise.key_file_mode")
    assert "chmod 600" in stderr


def test_the_demo_key_needs_demo_and_marks_the_manifest(tmp_path: Path) -> None:
    code, _, stderr = anonymise(tmp_path, "--key-file", str(DEMO_FILE))
    assert code == 2
    assert stderr.startswith("error: anonymise.key_demo")
    assert "--demo" in stderr
    code, stdout, _ = anonymise(tmp_path, "--demo", "--key-file", str(DEMO_FILE))
    assert code == 0
    assert DEMO_NOTE in json.loads(stdout)["notes"]
    assert DEMO_NOTE in json.loads((tmp_path / "out.jsonl.manifest.json").read_text())["notes"]
    assert json.loads(stdout)["pseudonyms"]["key_fingerprint"] == DEMO_KEY_FINGERPRINT


def test_a_passphrase_key_is_refused_by_the_cli(tmp_path: Path) -> None:
    passphrase = "Kharkiv-2026: the keys of the coordinating office!"
    code, _, stderr = anonymise(
        tmp_path, env={"CRSVDATA_PSEUDONYM_KEYS": f"k1=base64:{b64(passphrase.encode())}"}
    )
    assert code == 2
    assert stderr.startswith("error: anonymise.key_weak")
    assert "Kharkiv" not in stderr
