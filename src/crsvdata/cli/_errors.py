"""One way to show a refused input or output on the command line: where, the code, a safe message.

Every command that reads case data prints the first problem as ``crsvdata validate`` prints an issue
(``FILE:LINE: POINTER  error  CODE  MESSAGE``), so a refusal reads the same whichever command met it.
Messages come from ``CrsvError.message``, which never carries a data value.
"""

from __future__ import annotations

from pathlib import Path

from crsvdata.errors import CrsvError
from crsvdata.io import InputError

EXIT_REFUSED = 1
EXIT_UNREADABLE = 2


def render_error(source: Path | str, error: CrsvError) -> str:
    """The one-line report of ``error`` met while reading ``source``."""
    issues = getattr(error, "issues", None)
    if issues:
        first = issues[0]
        where = f"{source}:{first.line}" if first.line else str(source)
        return f"{where}: {first.pointer or '/'}  error  {first.code}  {first.message}"
    line = getattr(error, "line", None)
    where = f"{source}:{line}" if line else str(source)
    return f"{where}: /  error  {error.code}  {error.message}"


def exit_status(error: CrsvError) -> int:
    """2 when the file could not be read as a whole (as validate decides), 1 when a record in it is bad."""
    if isinstance(error, InputError) and error.line is None:
        return EXIT_UNREADABLE
    if error.code.startswith("output."):
        return EXIT_UNREADABLE
    return EXIT_REFUSED
