"""Validation context switches shared by the identifier types and the models.

A pydantic model in crsvdata validates in two layers: *structure* (exactly what the published JSON Schema
accepts) and *rules* (checksums and cross-field rules, which JSON Schema cannot express). Both run by
default. Passing ``STRUCTURE_ONLY`` as the pydantic validation context switches the rules off, which is
how the schema-agreement tests and the validation report (that collects every rule finding instead of
stopping at the first) use the models.
"""

from collections.abc import Mapping
from typing import Any, Final

RULES_KEY: Final = "crsvdata_rules"
STRUCTURE_ONLY: Final[Mapping[str, Any]] = {RULES_KEY: False}


def rules_enabled(context: object) -> bool:
    """True unless the validation context explicitly switches the rules off."""
    # Called by every nested model of every record: the plain dict is checked first, without the ABC.
    if type(context) is dict or isinstance(context, Mapping):
        return bool(context.get(RULES_KEY, True))
    return True
