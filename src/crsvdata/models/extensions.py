"""The two open doors of a closed model: namespaced extensions and external identifiers.

Every model of the standard forbids unknown members, so a value from another system that the standard has
no field for would be lost on import. ``extensions`` keeps it, under a namespaced key such as
``primero:harmful_traditional_practice``; ``external_identifiers`` keeps the ids the source system gave the
record (Primero ``unique_id``, ``short_id``...), so that it can be traced back to its source row.

Both are validated for shape only: the standard cannot know what another system's value means. They are
*never exported* by any anonymisation profile (free JSON could carry a name or a phone number around the
anonymiser), and they may hold identity values only if the importer that wrote them is wrong: the Primero
importer sends every identity field to an ``IdentityRecord`` instead.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from pydantic import AfterValidator, Field, JsonValue, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from crsvdata.codes.enums import ExternalIdentifierScheme
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import NonEmptyList, codelist

EXTENSION_KEY_PATTERN: Final = r"^[a-z][a-z0-9_-]*:[A-Za-z0-9_.:-]{1,200}$"
"""``namespace:name``: a lower-case namespace (the source system, e.g. ``primero``), a colon, a field name."""

MAX_EXTENSIONS: Final = 1000


def _reject_top_level_null(value: Any, info: ValidationInfo) -> Any:
    # The standard has one way to say "not recorded": leave the member out. Inside an extension value (a
    # foreign system's JSON) nulls are that system's business and are kept as they are.
    if value is None:
        raise PydanticCustomError(
            "null_not_allowed", "an extension value may not be null: leave the key out instead"
        )
    return value


ExtensionValue = Annotated[
    JsonValue,
    AfterValidator(_reject_top_level_null),
    WithJsonSchema({"not": {"type": "null"}}),
]

ExtensionKey = Annotated[str, Field(pattern=EXTENSION_KEY_PATTERN)]

_EXTENSIONS_DESCRIPTION: Final = (
    "Values from another system that the standard has no field for, under namespaced keys "
    "('primero:field_name'); validated for shape only and never exported by any profile."
)

Extensions = Annotated[
    dict[ExtensionKey, ExtensionValue],
    # Written out, so that a key outside the pattern is refused by the schema as it is by the model.
    WithJsonSchema(
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": MAX_EXTENSIONS,
            "patternProperties": {EXTENSION_KEY_PATTERN: {"not": {"type": "null"}}},
            "additionalProperties": False,
            "description": _EXTENSIONS_DESCRIPTION,
            "examples": [{"primero:incident_timeofday": "morning"}],
        }
    ),
    Field(
        min_length=1,
        max_length=MAX_EXTENSIONS,
        description=_EXTENSIONS_DESCRIPTION,
    ),
]

ExternalIdValue = Annotated[str, Field(min_length=1, max_length=200)]


class ExternalIdentifier(CrsvModel):
    """An identifier another system gave this record, incident, perpetrator or referral."""

    scheme: ExternalIdentifierScheme = codelist(
        "external_identifier_scheme", "The system the identifier comes from."
    )
    value: ExternalIdValue = Field(description="The identifier as that system writes it.")


ExternalIdentifiers = Annotated[
    NonEmptyList[ExternalIdentifier],
    Field(description="Identifiers other systems gave this entry; never exported by any profile."),
]
