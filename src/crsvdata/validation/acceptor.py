"""The fast tier of bulk validation: a clean line parsed in compiled code, structure by the schema.

Lines are parsed by :func:`crsvdata.io.clean.parse_clean_line` (jiter, sound by construction: it
steps aside wherever it could read a line differently from the strict reader).

Structure is then decided by the published schema itself, compiled by jsonschema-rs (the validator an
integrator may use): a document it accepts goes straight to the rules over its JSON form; anything it
refuses is judged by the exact path (the models, then the schema's explanation), so reports for invalid
documents are the exact path's by construction. That is sound only if the schema never accepts what the
models refuse; ``tests/test_fast_path_soundness.py`` checks it on generated and mutated documents.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs
import orjson

from crsvdata.io.clean import parse_clean_line
from crsvdata.schema.published import schema_text
from crsvdata.version import STANDARD_VERSION

__all__ = ["parse_clean_line", "structure_accepted"]


@cache
def _structure_validator(schema_name: str) -> Any:
    # Compiled once per process from the installed schema text (not through crsvdata.schema.registry,
    # which imports python-jsonschema); the published schemas are self-contained, so no registry.
    schema = orjson.loads(schema_text(f"{schema_name}.schema.json", STANDARD_VERSION))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def structure_accepted(schema_name: str, document: object) -> bool:
    """Whether the published schema ``schema_name`` accepts ``document`` (formats checked)."""
    return bool(_structure_validator(schema_name).is_valid(document))
