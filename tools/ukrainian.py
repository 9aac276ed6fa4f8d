"""Print skeletons of the Ukrainian entries still missing: ``python -m tools.ukrainian issues``.

The tests of the Ukrainian issue catalogue (``tests/test_validation_ukrainian.py``) fail when an issue
code has no Ukrainian title and fix; this prints the missing entries in the form
``crsvdata/validation/catalogue_uk.py`` expects, the English text beside them, ready to translate.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.catalogue_uk import UKRAINIAN


def missing_issue_entries() -> list[str]:
    """A skeleton line for every catalogued issue code without a Ukrainian entry."""
    return [
        f'    "{code}": ("TODO: {entry.title}", "TODO: {entry.fix}"),'
        for code, entry in ISSUE_CODES.items()
        if code not in UKRAINIAN
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the skeleton asked for; exit 1 when something is missing, so a script can tell."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["issues"]:
        print("usage: python -m tools.ukrainian issues", file=sys.stderr)
        return 2
    missing = missing_issue_entries()
    print("\n".join(missing) if missing else "# every issue code has a Ukrainian entry")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
