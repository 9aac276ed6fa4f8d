"""Validation context switches shared by the identifier types and the models.

A pydantic model in crsvdata validates in two layers: *structure* (exactly what the published JSON Schema
accepts) and *rules* (checksums and cross-field rules, which JSON Schema cannot express). Both run by
default. Passing ``STRUCTURE_ONLY`` as the pydantic validation context switches the rules off, which is
how the schema-agreement tests and the validation report (that collects every rule finding instead of
stopping at the first) use the models.
"""

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

RULES_KEY: Final = "crsvdata_rules"
STRUCTURE_ONLY: Final[Mapping[str, Any]] = {RULES_KEY: False}


def rules_enabled(context: object) -> bool:
    """True unless the validation context explicitly switches the rules off."""
    # Called by every nested model of every record: the plain dict is checked first, without the ABC.
    if type(context) is dict or isinstance(context, Mapping):
        return bool(context.get(RULES_KEY, True))
    return True


INERT_MARK: Final = "__crsvdata_inert_on_valid_json__"

F = TypeVar("F", bound=Callable[..., Any])


def inert_on_valid_json(function: F) -> F:
    """Mark a pydantic validator that returns its input unchanged whenever the JSON it is given is valid
    (by the published schema and every rule).

    A check (null refused, a pattern, a rule) is inert in that sense; a validator that converts (a day's
    text into a ``date``, ``3.0`` into ``3``) is not. A document that has been validated whole is turned
    into models without the marked validators (``crsvdata.models.checked_validator``), so none of their
    Python runs a second time.
    """
    setattr(function, INERT_MARK, True)
    return function
