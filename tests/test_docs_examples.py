"""Every code example on the documentation site is executed, so the docs cannot show code that fails.

Conventions (see docs/README.md):

- ```python blocks run in order, one namespace per page, from the repository root (so relative example
  paths such as ``examples/cases/...`` work);
- ```console blocks hold ``$ crsvdata ...`` commands; each runs with click's CliRunner and its exit code is
  checked (0, unless an ``<!-- expect-exit: N -->`` comment stands just before the block). The lines shown
  after a command must appear in its output, in order; a line ``...`` stands for any number of lines;
- ```json blocks must parse (``--8<-- "path"`` snippet lines are resolved first); a complete crsvdata
  document must also be valid;
- ```toml blocks must parse; ```sh blocks are install and setup commands, which are not run, so they may
  only use the commands listed in ``SHELL_COMMANDS``; ```text blocks are not code.
"""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import re
import shlex
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from crsvdata import validate
from crsvdata.cli import main
from crsvdata.validation.engine import sniff_kind

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATED = DOCS / "reference"  # written at build time from the committed sources; holds no examples
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n]*$")
EXPECT_EXIT = re.compile(r"<!--\s*expect-exit:\s*(\d+)\s*-->")
SNIPPET = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$')
LANGUAGES = frozenset({"python", "console", "json", "toml", "sh", "text"})
SHELL_COMMANDS = ("pip install", "make ", "cd ", "npm ", "node ", "python -m tools.manage", "crsvdata ")


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    code: str
    expect_exit: int


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if GENERATED not in p.parents and "hooks" not in p.parts)


def _blocks(path: Path) -> Iterator[Block]:
    lines = path.read_text("utf-8").splitlines()
    page = path.relative_to(DOCS).as_posix()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        indent, fence, lang = match["indent"], match["fence"], match["lang"]
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and not re.match(
            rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}\s*$", lines[index]
        ):
            body.append(
                lines[index][len(indent) :] if lines[index].startswith(indent) else lines[index].lstrip()
            )
            index += 1
        index += 1
        before = "\n".join(lines[max(0, start - 2) : start])
        expected = EXPECT_EXIT.search(before)
        yield Block(page, start + 1, lang, "\n".join(body) + "\n", int(expected.group(1)) if expected else 0)


ALL_BLOCKS = [block for path in _pages() for block in _blocks(path)]


def _ids(blocks: list[Block]) -> list[str]:
    return [f"{block.page}:{block.line}" for block in blocks]


@contextlib.contextmanager
def _in_repository() -> Iterator[None]:
    """Run from the repository root with the interpreter's scripts (the ``crsvdata`` command) on PATH."""
    previous_dir, previous_path = Path.cwd(), os.environ.get("PATH", "")
    os.chdir(ROOT)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), previous_path])
    try:
        yield
    finally:
        os.chdir(previous_dir)
        os.environ["PATH"] = previous_path


def test_docs_have_examples() -> None:
    languages = {block.lang for block in ALL_BLOCKS}
    assert {"python", "console", "json"} <= languages
    assert len([b for b in ALL_BLOCKS if b.lang == "python"]) >= 10


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=_ids(ALL_BLOCKS))
def test_block_language_is_known(block: Block) -> None:
    assert block.lang in LANGUAGES, (
        f"{block.page}:{block.line}: code block without a known language ({block.lang or 'none'}); "
        f"use one of {sorted(LANGUAGES)} so the tests know how to check it"
    )


PYTHON_PAGES = sorted({block.page for block in ALL_BLOCKS if block.lang == "python"})


@pytest.mark.parametrize("page", PYTHON_PAGES)
def test_python_examples_run(page: str) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_example_{re.sub(r'[^a-z0-9]', '_', page)}"}
    output = io.StringIO()
    with _in_repository(), contextlib.redirect_stdout(output):
        for block in (b for b in ALL_BLOCKS if b.page == page and b.lang == "python"):
            code = compile(block.code, f"docs/{block.page}:{block.line}", "exec")
            exec(code, namespace)


def _expand(token: str) -> list[str]:
    if any(char in token for char in "*?["):
        matches = sorted(glob.glob(token, root_dir=ROOT))
        assert matches, f"the pattern {token!r} matches no file"
        return matches
    return [token]


def _commands(block: Block) -> Iterator[tuple[str, list[str]]]:
    """(command line, expected output lines) for every ``$`` line of a console block."""
    command: str | None = None
    expected: list[str] = []
    for line in block.code.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, expected
            command, expected = line[2:].strip(), []
        elif command is not None and line.strip():
            expected.append(line.strip())
    if command is not None:
        yield command, expected


def _contains_in_order(output: list[str], expected: list[str]) -> str | None:
    """None when every expected line occurs in the output in order ("..." skips); else the missing line."""
    position = 0
    for line in expected:
        if line == "...":
            continue
        try:
            position = output.index(line, position) + 1
        except ValueError:
            return line
    return None


CONSOLE_BLOCKS = [block for block in ALL_BLOCKS if block.lang == "console"]


@pytest.mark.parametrize("block", CONSOLE_BLOCKS, ids=_ids(CONSOLE_BLOCKS))
def test_console_examples_run(block: Block) -> None:
    commands = list(_commands(block))
    assert commands, f"{block.page}:{block.line}: a console block needs at least one '$ crsvdata ...' line"
    for command, expected in commands:
        words = shlex.split(command)
        assert words[0] == "crsvdata", (
            f"{block.page}:{block.line}: console blocks run only crsvdata: {command}"
        )
        stdin: bytes | None = None
        if "<" in words:
            at = words.index("<")
            stdin = (ROOT / words[at + 1]).read_bytes()
            words = words[:at] + words[at + 2 :]
        with _in_repository():
            args = [expanded for word in words[1:] for expanded in _expand(word)]
            result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
        where = f"{block.page}:{block.line}: `{command}`"
        assert result.exit_code == block.expect_exit, f"{where} exited {result.exit_code}:\n{result.output}"
        lines = [line.strip() for line in result.output.splitlines()]
        missing = _contains_in_order(lines, expected)
        assert missing is None, f"{where}: the docs show a line the command does not print:\n{missing}"


def _resolve_snippets(code: str) -> str:
    out = []
    for line in code.splitlines():
        match = SNIPPET.match(line)
        out.append((ROOT / match.group(1)).read_text("utf-8") if match else line)
    return "\n".join(out)


JSON_BLOCKS = [block for block in ALL_BLOCKS if block.lang == "json"]


@pytest.mark.parametrize("block", JSON_BLOCKS, ids=_ids(JSON_BLOCKS))
def test_json_examples_parse_and_documents_are_valid(block: Block) -> None:
    text = _resolve_snippets(block.code)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        # JSON Lines output (one object per line) is allowed too.
        value = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(value, dict) and sniff_kind(value) is not None:
        report = validate(value)
        assert report.valid, f"{block.page}:{block.line}: {[(i.code, i.pointer) for i in report.issues]}"


TOML_BLOCKS = [block for block in ALL_BLOCKS if block.lang == "toml"]


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=_ids(TOML_BLOCKS))
def test_toml_examples_parse(block: Block) -> None:
    tomllib.loads(_resolve_snippets(block.code))


SHELL_BLOCKS = [block for block in ALL_BLOCKS if block.lang == "sh"]


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=_ids(SHELL_BLOCKS))
def test_shell_examples_use_known_commands(block: Block) -> None:
    for line in block.code.splitlines():
        command = line.split("#", 1)[0].strip()
        if command:
            assert command.startswith(SHELL_COMMANDS), (
                f"{block.page}:{block.line}: `{command}` is not run by the tests; show crsvdata commands "
                "in a ```console block (which is run), or extend SHELL_COMMANDS for an install step"
            )


def test_expect_exit_comments_stand_before_console_blocks() -> None:
    for path in _pages():
        lines = path.read_text("utf-8").splitlines()
        for number, line in enumerate(lines):
            if EXPECT_EXIT.search(line):
                following = next((later for later in lines[number + 1 :] if later.strip()), "")
                assert following.strip().startswith("```console"), f"{path}:{number + 1}: orphan expect-exit"
