"""The pydantic types of KATOTTH and ISO 3166-2:UA codes: their pattern, description and validator.

Imported on first use through ``crsvdata.geography`` (which is where to import them from): the check
functions and the rules need none of this, nor pydantic.
"""

from typing import Annotated, TypeAlias

from pydantic import Field

from crsvdata.geography import (
    _KATOTTH,
    _UA_SUBDIVISION,
    KATOTTH_PATTERN,
    UA_SUBDIVISION_PATTERN,
)

KatotthCode: TypeAlias = Annotated[
    str,
    Field(
        pattern=KATOTTH_PATTERN,
        description=(
            "A KATOTTH (КАТОТТГ) code: 'UA' and 17 digits, OO RR HHH PPP MM UUUUU (oblast, raion, "
            "hromada, settlement, city district, unique key) [C]. That the levels are consistent, the "
            "oblast is one of the 27 level-1 units and the code exists in the official codifier are rules "
            "outside this schema. Codes at level 4 or the "
            "city-district level can identify a person in a small place: generalise them for export."
        ),
        examples=["UA80000000000093317"],
    ),
    _KATOTTH.validator(),
]

UaSubdivisionCode: TypeAlias = Annotated[
    str,
    Field(
        pattern=UA_SUBDIVISION_PATTERN,
        description=(
            "An ISO 3166-2:UA code [C]: one of 24 oblasts, the Autonomous Republic of Crimea (UA-43) or "
            "the cities of Kyiv (UA-30) and Sevastopol (UA-40)."
        ),
        examples=["UA-30"],
    ),
    _UA_SUBDIVISION.validator(),
]
