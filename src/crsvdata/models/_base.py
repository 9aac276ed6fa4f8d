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

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any, ClassVar, Self, TypeAlias, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    model_serializer,
    model_validator,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError

from crsvdata._context import inert_on_valid_json, rules_enabled
from crsvdata.findings import Finding, Severity, escape_pointer_token, path_from_pointer
from crsvdata.models._json_form import accept_json_form

JsonRule: TypeAlias = Callable[[Mapping[str, Any]], Iterable[Finding]]
"""A rule over the JSON form of one object: its findings, with pointers relative to that object."""


class CrsvModel(BaseModel):
    """Strict, closed, and quiet about values; lax in, strict out.

    ``strict`` and ``extra="forbid"`` make the model accept exactly what its JSON Schema accepts;
    ``hide_input_in_errors`` keeps identifying values out of every ``ValidationError``. Python holding
    the JSON form (codes and days as strings, as ``json.loads`` gives them) validates exactly as the JSON
    text does (see ``_json_form``); assignment is validated; serialisation never writes ``null``.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_assignment=True,
        use_enum_values=False,
        ser_json_inf_nan="strings",
        # Built on first use, not at import: validating case records then builds one validator (the
        # case record's, nested models inline) instead of one per model class, ~70 ms less start-up.
        defer_build=True,
    )

    rule_codes: ClassVar[frozenset[str]] = frozenset()
    """Every code ``rule_findings`` can emit: declared up front so docs and tests can list them."""

    json_rule: ClassVar[JsonRule | None] = None
    """The function of ``crsvdata.rules`` that finds this model's own rule findings in its JSON form.

    The one definition that the model (through ``rule_findings``), the bulk validator's walk of parsed
    JSON (``crsvdata.models.json_rules``) and the walker generated from these links
    (``crsvdata.validation.rule_walk``, written by ``python -m tools.manage walker``) all call. A plain
    function read from the class, never from an instance (that would bind it as a method).
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # Lax in: JSON-form Python (codes and days as strings) validates as the same JSON text would.
        return accept_json_form(handler(source), handler)

    def __init__(self, /, **data: Any) -> None:
        # In a Python call, ``field=None`` is how "not recorded" is written: leave the field out, as JSON
        # does. A mapping given to model_validate is JSON form, and a null in it is refused as JSON's is.
        super().__init__(**{name: value for name, value in data.items() if value is not None})

    # Tell pydantic this is its own __init__: otherwise it would call it for every nested model it
    # validates, in Python mode and without the validation context.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Any = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate a model, or a mapping in JSON form, with exactly the published schema's verdict.

        ``strict=False`` is refused: lax coercion (``"34"`` for an integer) would accept documents the
        schema rejects.
        """
        _refuse_lax(strict)
        return super().model_validate(
            obj,
            extra=extra,
            from_attributes=from_attributes,
            context=context,
            by_alias=by_alias,
            by_name=by_name,
        )

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate JSON text with exactly the published schema's verdict (``strict=False`` is refused)."""
        _refuse_lax(strict)
        return super().model_validate_json(
            json_data, extra=extra, context=context, by_alias=by_alias, by_name=by_name
        )

    @model_serializer(mode="wrap")
    def _leave_absent_fields_out(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Strict out: every dump (model_dump, model_dump_json, FastAPI's response_model) leaves an absent
        # field out; the schema refuses null, and a document crsvdata writes must validate.
        dumped = handler(self)
        if isinstance(dumped, dict):
            if dumped.get("standard_version") == "1.0":
                # A document that declares 1.0 is written as 1.0: the frozen 1.0 schema has no
                # document_type (``crsvdata upgrade`` adds it when the document becomes 1.1). Identity
                # records declare no version: in a 1.0 package they are written as 1.0 too.
                dumped.pop("document_type", None)
                for identity in dumped.get("identity_records") or ():
                    if isinstance(identity, dict):
                        identity.pop("document_type", None)
            return {key: value for key, value in dumped.items() if value is not None}
        return dumped

    @classmethod
    def rules_over_json(cls, data: Mapping[str, Any]) -> Iterable[Finding]:
        """The rule findings of one object of this type, computed from its JSON form: its ``json_rule``."""
        rule = cls.json_rule
        return () if rule is None else rule(data)

    def rule_findings(self) -> Iterable[Finding]:
        """This model's own cross-field rule findings, with pointers relative to this model."""
        if has_rules_over_json(type(self)):
            return type(self).rules_over_json(self.to_json_dict())
        return ()

    @model_validator(mode="after")
    @inert_on_valid_json
    def _enforce_rules(self, info: ValidationInfo) -> Self:
        if rules_enabled(info.context):
            for finding in self.rule_findings():
                if finding.severity is Severity.ERROR:
                    raise _rule_error(type(self), finding)
        return self

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON form of this model: absent fields stay absent (never ``null``)."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_json(self) -> str:
        """Serialise to compact JSON text, leaving absent fields out."""
        return self.model_dump_json(exclude_none=True)


def _rule_error(model: type[BaseModel], finding: Finding) -> ValidationError:
    # The error's loc is the finding's place inside this model (pydantic prefixes the model's own place
    # when it is nested). The input is the pointer, never the value: the value may identify a survivor.
    return ValidationError.from_exception_data(
        model.__name__,
        [
            InitErrorDetails(
                type=PydanticCustomError(finding.code, finding.message),
                loc=path_from_pointer(finding.pointer),
                input=finding.pointer,
            )
        ],
        hide_input=True,
    )


def _refuse_lax(strict: bool | None) -> None:
    if strict is False:
        raise TypeError(
            "crsvdata models are always strict: strict=False would accept values the published schema "
            "rejects; pass JSON-form data (strings for codes and days) instead"
        )


@cache
def has_rules_over_json(model: type[BaseModel]) -> bool:
    """Whether ``model`` (or a base between it and ``CrsvModel``) has rules over its JSON form."""
    return issubclass(model, CrsvModel) and model.json_rule is not None


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
