"""The base every crsvdata model derives from, and the machinery that runs cross-field rules.

Validation has two layers. *Structure* is what the published JSON Schema says: types, patterns, code
lists, required fields. *Rules* are what JSON Schema cannot say: dates in order, checksums, references
that must resolve, consent that must come from a guardian. A model declares its rules by overriding
``rule_findings``, next to the fields they constrain; each finding carries a stable code.

When a model is validated with rules on (the default), the first rule *error* makes validation fail with
that code as the pydantic error type. ``collect_rule_findings`` walks a validated model and returns every
finding, errors and warnings, each with its JSON pointer: that is what the validation report uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, ClassVar, Self, get_args

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from crsvdata._context import rules_enabled
from crsvdata.findings import Finding, Severity, escape_pointer_token


class CrsvModel(BaseModel):
    """Strict, closed, and quiet about values.

    ``strict`` and ``extra="forbid"`` make the model accept exactly what its JSON Schema accepts;
    ``hide_input_in_errors`` keeps identifying values out of every ``ValidationError``.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_assignment=False,
        use_enum_values=False,
        ser_json_inf_nan="strings",
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset()
    """Every code ``rule_findings`` can emit: declared up front so docs and tests can list them."""

    def rule_findings(self) -> Iterable[Finding]:
        """This model's own cross-field rule findings, with pointers relative to this model."""
        return ()

    @model_validator(mode="after")
    def _enforce_rules(self, info: ValidationInfo) -> Self:
        if rules_enabled(info.context):
            for finding in self.rule_findings():
                if finding.severity is Severity.ERROR:
                    where = f" (at {finding.pointer})" if finding.pointer else ""
                    raise PydanticCustomError(finding.code, finding.message + where)
        return self

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON form of this model: absent fields stay absent (never ``null``)."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_json(self) -> str:
        """Serialise to compact JSON text, leaving absent fields out."""
        return self.model_dump_json(exclude_none=True)


def error(code: str, message: str, pointer: str = "") -> Finding:
    """A rule error finding."""
    return Finding(code, Severity.ERROR, message, pointer)


def warning(code: str, message: str, pointer: str = "") -> Finding:
    """A rule warning finding."""
    return Finding(code, Severity.WARNING, message, pointer)


def collect_rule_findings(model: BaseModel, pointer: str = "") -> Iterator[Finding]:
    """Every rule finding in ``model`` and the models nested in it, with absolute JSON pointers."""
    if isinstance(model, CrsvModel):
        for finding in model.rule_findings():
            yield finding.under(pointer)
    for name in _nested_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        child_pointer = f"{pointer}/{escape_pointer_token(name)}"
        if isinstance(value, BaseModel):
            yield from collect_rule_findings(value, child_pointer)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from collect_rule_findings(item, f"{child_pointer}/{index}")


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    # Only fields whose type mentions a model can hold one: skip the scalars once per class, not per record.
    return tuple(name for name, info in model.model_fields.items() if _mentions_model(info.annotation))


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(arg) for arg in get_args(annotation))
