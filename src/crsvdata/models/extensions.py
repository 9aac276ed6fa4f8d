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

from typing import Annotated, Final

from pydantic import Field, JsonValue, WithJsonSchema

from crsvdata.codes.enums import ExternalIdentifierScheme
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import NonEmptyList, codelist

EXTENSION_KEY_PATTERN: Final = r"^[a-z][a-z0-9_-]*:[A-Za-z0-9_.:-]{1,200}$"
"""``namespace:name``: a lower-case namespace (the source system, e.g. ``primero``), a colon, a field name."""


ExtensionValue = JsonValue
"""Any JSON value, kept as the foreign system wrote it, null included: it is that system's data, not the
standard's, so the standard's rule "leave a member out rather than write null" does not reach inside it.
Importers leave out the values their system uses for "not filled in" (Primero: null, "" and [])."""

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
            "patternProperties": {EXTENSION_KEY_PATTERN: {}},
            "additionalProperties": False,
            "description": _EXTENSIONS_DESCRIPTION,
        }
    ),
    Field(description=_EXTENSIONS_DESCRIPTION),
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
