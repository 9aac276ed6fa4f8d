"""The one shape every check in crsvdata reports in.

Identifier checks, cross-field rules, and (later) schema and model validation all describe a problem as a
``Finding``: a stable ``code``, a ``severity``, a JSON pointer to the place, and a message made from a
template. A finding never carries the offending value: messages name the field, not its content, so that
a finding can be logged or shown to anyone without leaking a survivor's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is: errors make a document invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a document.

    ``pointer`` is an RFC 6901 JSON pointer relative to the object that was checked ("" is the object
    itself). ``message`` must never contain a value taken from the data.
    """

    code: str
    severity: Severity
    message: str
    pointer: str = ""

    def under(self, prefix: str) -> Finding:
        """Return the same finding with ``prefix`` (a JSON pointer) prepended to its pointer."""
        return Finding(self.code, self.severity, self.message, prefix + self.pointer)


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901 section 3)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_from_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """Build a JSON pointer from a sequence of keys and indexes."""
    return "".join("/" + escape_pointer_token(part) for part in path)


def path_from_pointer(pointer: str) -> tuple[str | int, ...]:
    """Split a JSON pointer into keys and indexes (the inverse of ``pointer_from_path``)."""
    if not pointer:
        return ()
    tokens = (token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:])
    return tuple(int(token) if token.isdigit() else token for token in tokens)
