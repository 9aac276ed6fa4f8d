"""One form of sexual violence within an incident, with its legal crosswalks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from crsvdata.codes import load as load_codelist
from crsvdata.codes.enums import FormOfViolence
from crsvdata.models._base import CrsvModel
from crsvdata.models._types import LocalId, NonEmptyList, NoNull, codelist


class Act(CrsvModel):
    """A single form of violence suffered in an incident.

    The legal qualifications (ICC Elements of Crimes, Criminal Code of Ukraine, GBVIMS, MRM, RD4U,
    HURIDOCS) are not stored on the act: they follow from the form through the code list's crosswalk
    columns, so that all partners derive them the same way.
    """

    form: FormOfViolence = codelist("form_of_violence", "The form of sexual violence.")
    repeated: Annotated[bool | None, NoNull] = Field(
        default=None, description="True when this form was suffered more than once in the incident."
    )
    perpetrator_ids: Annotated[NonEmptyList[LocalId] | None, NoNull] = Field(
        default=None, description="The perpetrators of this incident who committed this act."
    )

    def crosswalk(self, column: str) -> tuple[str, ...]:
        """The codes the form maps to in a crosswalk column (e.g. ``icc_eoc``); empty when none."""
        row = next(code for code in load_codelist("form_of_violence").rows if code.code == self.form.value)
        return tuple((row.extra.get(column) or "").split())
