"""The GBVIMS classification of an incident, derived from its acts by the GBVIMS elimination order.

GBVIMS gives every incident exactly one core type: the first of rape, sexual assault, physical assault,
forced marriage, denial of resources and psychological abuse that any act of the incident amounts to
(GBVIMS User Guide ch. 3, Classification Tool). Statistics therefore count incidents, not acts. The
``gbvims_core_type`` list is in that order, and each form of violence names its core type in the
``gbvims_core_type`` crosswalk. The case context (possible sexual slavery or exploitation) is derived as
the GBVIMS Incident Recorder does, from the core type and the circumstances.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from crsvdata import rules
from crsvdata.codes.enums import AbductionStatus, FormOfViolence, GbvimsCaseContext, GbvimsCoreType

if TYPE_CHECKING:
    from crsvdata.models.incident import Incident

__all__ = ["ELIMINATION_ORDER", "gbvims_case_context", "gbvims_core_types", "gbvims_incident_type"]

ELIMINATION_ORDER: Final[tuple[GbvimsCoreType, ...]] = tuple(GbvimsCoreType)
"""The GBVIMS core types in the order the Classification Tool asks about them."""

_SLAVERY_FORMS: Final = frozenset(
    {FormOfViolence.SEXUAL_SLAVERY, FormOfViolence.TRAFFICKING_FOR_SEXUAL_EXPLOITATION}
)
_EXPLOITATION_FORMS: Final = frozenset({FormOfViolence.FORCED_PROSTITUTION})
_SEXUAL_TYPES: Final = frozenset({GbvimsCoreType.RAPE, GbvimsCoreType.SEXUAL_ASSAULT})
_ABDUCTED: Final = frozenset(
    {
        AbductionStatus.FORCED_CONSCRIPTION,
        AbductionStatus.TRAFFICKED,
        AbductionStatus.OTHER_ABDUCTION_OR_KIDNAPPING,
    }
)


def gbvims_core_types(forms: Iterable[FormOfViolence]) -> frozenset[GbvimsCoreType]:
    """The GBVIMS core types the forms amount to, one per form that has one."""
    return frozenset(GbvimsCoreType(code) for code in rules.gbvims_core_types(form.value for form in forms))


def gbvims_incident_type(forms: Iterable[FormOfViolence]) -> GbvimsCoreType | None:
    """The one GBVIMS core type of an incident with these forms; ``None`` if no form has a core type."""
    code = rules.gbvims_incident_type(form.value for form in forms)
    return None if code is None else GbvimsCoreType(code)


def gbvims_case_context(incident: Incident) -> frozenset[GbvimsCaseContext]:
    """The GBVIMS case-context flags of an incident (possible sexual slavery or exploitation)."""
    forms = [act.form for act in incident.acts]
    core = gbvims_incident_type(forms)
    circumstances = incident.circumstances
    flags: set[GbvimsCaseContext] = set()
    if _SLAVERY_FORMS.intersection(forms) or (
        core in _SEXUAL_TYPES and circumstances is not None and circumstances.abduction_status in _ABDUCTED
    ):
        flags.add(GbvimsCaseContext.POSSIBLE_SEXUAL_SLAVERY)
    if _EXPLOITATION_FORMS.intersection(forms) or (
        core in _SEXUAL_TYPES and circumstances is not None and circumstances.goods_or_money_exchanged is True
    ):
        flags.add(GbvimsCaseContext.POSSIBLE_SEXUAL_EXPLOITATION)
    return frozenset(flags)
