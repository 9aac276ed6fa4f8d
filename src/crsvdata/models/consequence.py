"""The consequences of an incident for the survivor: pregnancy, infections, injuries, stigma..."""

from __future__ import annotations

from typing import Annotated, Any

from crsvdata.codes.enums import Consequence
from crsvdata.models._types import NonEmptyList, NoNull, codelist

Consequences = Annotated[NonEmptyList[Consequence] | None, NoNull]
"""The type of an incident's ``consequences`` field."""


def consequences_field() -> Any:
    """The ``consequences`` field of an incident, absent when nothing is recorded."""
    return codelist(
        "consequence",
        "Consequences of the incident for the survivor (pregnancy, child born of CRSV, infections, "
        "injuries, stigma...).",
        default=None,
    )
