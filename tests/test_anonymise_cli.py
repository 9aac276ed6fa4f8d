"""The anonymise, risk and stats commands: no key no run, atomic outputs, exit codes, quiet errors."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crsvdata.anonymise import ExportProfile, ProfileError, profile_names
from crsvdata.cli import main

ROOT = Path(__file__).parents[1]
CASES = ROOT / "examples/synthetic/case-records.jsonl"
IDENTITIES = ROOT / "examples/synthetic/identity-records.jsonl"
DEMO_KEY = ROOT / "examples/keys/demo.key"
TO = ("--recipient", "test_recipient")


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_anonymise_refuses_to_run_without_a_key(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, _stdout, stderr = invoke(
        "anonymise", "--profile", "research", str(CASES), str(out), env={"CRSVDATA_PSEUDONYM_KEYS": ""}
    )
    assert code == 2
    assert "no default key" in stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_anonymise_writes_records_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "research.jsonl"
    code, stdout, _ = invoke(
        "anonymise",
        "--profile",
        "research",
        "--demo",
        "--key-file",
        str(DEMO_KEY),
        "--recipient",
        "test_recipient",
        str(CASES),
        str(out),
    )
    assert code == 0
    manifest = json.loads(stdout)
    assert manifest == json.loads((tmp_path / "research.jsonl.manifest.json").read_text())
    assert manifest["profile"]["name"] == "research"
    assert manifest["records"]["out"] == len(out.read_text().splitlines())
    assert manifest["pseudonyms"]["key_fingerprint"].startswith("hmac-sha256:")
    assert manifest["disclosure"]["achieved"]["k"] >= 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["research.jsonl", "research.jsonl.manifest.json"]


def test_key_from_the_environment_and_never_echoed(tmp_path: Path) -> None:
    raw = hashlib.sha256(b"crsvdata synthetic environment key").digest()
    encoded = base64.b64encode(raw).decode()
    env = {"CRSVDATA_PSEUDONYM_KEYS": f"env-key=base64:{encoded}"}
    code, stdout, stderr = invoke(
        "anonymise",
        "--profile",
        "investigation",
        "--identities",
        str(IDENTITIES),
        "--recipient",
        "test_recipient",
        str(CASES),
        str(tmp_path / "o.jsonl"),
        env=env,
    )
    assert code == 0
    everything = stdout + stderr + (tmp_path / "o.jsonl").read_text()
    assert encoded not in everything
    assert raw.hex() not in everything
    assert '"key_id": "env-key"' in stdout


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text(
        (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text().replace("k = 5", "k = 400")
    )
    out = tmp_path / "out" / "never.jsonl"
    out.parent.mkdir()
    code, _, stderr = invoke(
        "anonymise",
        "--profile",
        str(strict),
        "--demo",
        "--key-file",
        str(DEMO_KEY),
        *TO,
        str(CASES),
        str(out),
    )
    assert code == 1
    assert "k=400" in stderr
    assert list(out.parent.iterdir()) == []


def test_an_invalid_record_stops_the_export_without_quoting_it(tmp_path: Path) -> None:
    lines = CASES.read_text().splitlines()[:5]
    broken = json.loads(lines[2])
    broken["survivor"]["survivor_ref"] = "Тестенко Тестана 4253918189"
    lines[2] = json.dumps(broken, ensure_ascii=False)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    code, stdout, stderr = invoke(
        "anonymise",
        "--profile",
        "investigation",
        "--demo",
        "--key-file",
        str(DEMO_KEY),
        *TO,
        str(source),
        str(out),
    )
    assert code == 1
    assert "line 3" in stderr
    assert "Тестенко" not in stderr + stdout
    assert "4253918189" not in stderr + stdout
    assert not out.exists()


def test_a_bad_key_file_is_reported_without_its_content(tmp_path: Path) -> None:
    key = tmp_path / "weak.key"
    key.write_text('[keys]\nk1 = "hex:00112233"\n')
    code, _, stderr = invoke(
        "anonymise", "--profile", "research", "--key-file", str(key), str(CASES), str(tmp_path / "o")
    )
    assert code == 2
    assert "at least 32" in stderr
    assert "00112233" not in stderr


def test_risk_command_on_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["age", "sex", "form"])
        writer.writerows([["18-25", "f", "rape"], ["18-25", "f", "nudity"], ["26-40", "m", "rape"]])
    code, stdout, _ = invoke("risk", "--qi", "age,sex", "--sensitive", "form", "--format", "json", str(path))
    assert code == 1  # k=1 is below the default k=5: measured, and refused
    report = json.loads(stdout)
    assert (report["k"], report["classes"], report["sample_uniques"]) == (1, 2, 1)
    code, stdout, _ = invoke("risk", "--qi", "age,sex", "--k", "1", str(path))
    assert code == 0
    assert "global risk" in stdout
    code, _, stderr = invoke("risk", "--qi", "age,oblast", str(path))
    assert code == 2
    assert "oblast" in stderr


def test_stats_command_writes_a_suppressed_hxl_table(tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    code, stdout, _ = invoke("stats", "--by", "oblast,sex", "--hxl", "--threshold", "5", str(CASES), str(out))
    assert code == 0, stdout
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["oblast", "sex", "incidents", "suppressed"]
    assert all(tag.startswith("#") for tag in rows[1])
    counts = [int(r[2]) for r in rows[2:] if r[2]]
    assert counts
    assert all(c == 0 or c >= 5 for c in counts)
    assert (tmp_path / "stats.csv.manifest.json").exists()
    code, _, stderr = invoke("stats", "--by", "colour", str(CASES), str(tmp_path / "x.csv"))
    assert code == 2
    assert "unknown dimension" in stderr


def test_every_shipped_profile_loads_and_is_documented() -> None:
    docs = (ROOT / "docs/anonymisation/profiles.md").read_text()
    for name in profile_names():
        profile = ExportProfile.load(name)
        assert profile.version
        assert profile.purpose
        assert len(profile.sha256) == 64
        assert f"`{name}`" in docs
    assert set(profile_names()) >= {"statistics", "research", "investigation", "reparations", "referral"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                '"survivor.sex" = { transform = "generalise", levels = ["value", "suppressed"] }',
                '"survivor.name" = { transform = "keep" }',
            ),
            "not a field",
        ),
        (
            (
                '"survivor.role" = { transform = "generalise", levels = ["value", "suppressed"] }',
                '"survivor.role" = { transform = "redact" }',
            ),
            "supports",
        ),
        (('levels = ["band", "child_adult", "suppressed"]', 'levels = ["child_adult", "band"]'), "ordered"),
        (("k = 5", "k = 0"), "'disclosure.k': Input should be greater than or equal to 1"),
        (
            ('kind = "records"', 'kind = "records"\ncolour = "red"'),
            "'colour': Extra inputs are not permitted",
        ),
        (
            (
                '"incidents.acts" = { transform = "keep" }',
                '"incidents.acts" = { transform = "keep", mode = "x" }',
            ),
            "'fields.incidents.acts.mode'",
        ),
        # An exported attribute outside the risk model would split the classes the check counted.
        (
            (
                '"incidents.acts" = { transform = "keep" }',
                '"incidents.acts" = { transform = "keep" }\n'
                '"incidents.verification_status" = { transform = "keep" }',
            ),
            "neither a quasi-identifier nor sensitive",
        ),
        (
            (
                'record_ref = { transform = "pseudonymise", mode = "unlinkable" }',
                'record_ref = { transform = "pseudonymise", mode = "unlinkable" }\n'
                '"incidents.incident_ref" = { transform = "keep" }',
            ),
            "supports renumber, not 'keep'",
        ),
        (('version = "2.0.0"', 'version = "Тестенко"'), "'version': String should match pattern"),
    ],
)
def test_profile_mistakes_are_refused(change: tuple[str, str], message: str) -> None:
    text = (ROOT / "src/crsvdata/anonymise/profiles/research.toml").read_text()
    assert change[0] in text
    with pytest.raises(ProfileError, match=re.escape(message)) as error:
        ExportProfile.from_toml(text.replace(change[0], change[1]).encode(), "edited.toml")
    assert "Тестенко" not in str(error.value)  # the key is named, never the value
