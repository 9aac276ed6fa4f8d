"""Differential test of record-level exports against the code before "Faster anonymise" (commit e3b655f).

``tests/data/anonymise_golden/expected.json`` holds what that code gave for each run of
``tests/anonymise_golden.py`` (synthetic inputs; profiles research, investigation and reparations; a test
key and the demo key; narratives redacted with identities; consent refusals, exclusions, suppression and
refused exports): the manifest less its creation time, the SHA-256 of every output byte, the operator's
hints and the command line's stdout and stderr. Any change in what is exported, suppressed, generalised,
counted or reported fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymise_golden import CASES, EXPECTED, Case, cli_outcome, outcome

_EXPECTED = json.loads(EXPECTED.read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_export_is_unchanged(case: Case, tmp_path: Path) -> None:
    assert json.loads(json.dumps(outcome(case, tmp_path))) == _EXPECTED[case.name]


def test_command_line_is_unchanged(tmp_path: Path) -> None:
    assert json.loads(json.dumps(cli_outcome(tmp_path))) == _EXPECTED["cli"]


def test_every_run_is_recorded() -> None:
    assert set(_EXPECTED) == {case.name for case in CASES} | {"cli"}
