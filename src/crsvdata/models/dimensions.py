"""The dimensions a table of case records can be counted by: part of the standard, like its HXL hashtags.

Each dimension names the unit at which it has exactly one value (a survivor has one sex; an incident
one oblast; an act one form), which is what makes a table's margins true sums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["DIMENSIONS", "UNIT_RANK", "Dimension", "Unit"]

Unit = Literal["survivors", "incidents", "acts"]
UNIT_RANK: Final[Mapping[str, int]] = {"survivors": 0, "incidents": 1, "acts": 2}


@dataclass(frozen=True, slots=True)
class Dimension:
    """A dimension one can count by: where its value lives and its HXL hashtag."""

    name: str
    level: Unit
    hxl: str
    description: str


DIMENSIONS: Final[Mapping[str, Dimension]] = {
    d.name: d
    for d in (
        Dimension(
            "form_of_violence", "acts", "#indicator+type+crsv_form_of_violence", "form of sexual violence"
        ),
        Dimension(
            "oblast", "incidents", "#adm1+code+v_iso3166_2", "ISO 3166-2:UA code of the incident's oblast"
        ),
        Dimension(
            "control_status", "incidents", "#status+crsv_territory_control", "who controlled the territory"
        ),
        Dimension(
            "period", "incidents", "#date+occurred", "when the incident started (year, quarter or month)"
        ),
        Dimension("sex", "survivors", "#group+crsv_sex", "sex of the survivor"),
        Dimension("age_band", "survivors", "#group+crsv_age_band", "GBVIMS age band at the first incident"),
        Dimension("survivor_status", "survivors", "#group+crsv_survivor_status", "civilian, detainee, POW"),
    )
}
"""The dimensions of ``crsvdata stats --by``. The ``+crsv_*`` HXL attributes are crsvdata's own."""
