"""Every rule finding of a parsed JSON document, without building a model.

``collect_rule_findings`` walks a validated model; bulk validation holds the parsed JSON already (and the
published schema has checked its structure), so building the models only to hand their JSON form back to
``crsvdata.rules`` would cost more than the rules themselves. ``rule_findings_in_json`` walks the JSON
document with a plan derived once per model class from the models' own fields: the same objects, in the
same order, through the same ``rules_over_json`` of each model, so the findings are those
``collect_rule_findings`` gives for the model of that document (``tests/test_json_rules.py`` checks it
over generated and mutated documents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from crsvdata.findings import Finding, escape_pointer_token
from crsvdata.models._base import CrsvModel, has_rules_over_json

__all__ = ["discriminator_of", "model_at", "models_in", "rule_findings_in_json", "tag_values"]


@dataclass(frozen=True)
class _Member:
    """A member of an object whose value holds objects with rules (or objects holding such)."""

    name: str
    token: str
    """The member's name as a JSON pointer token."""
    plans: Mapping[object, _Plan]
    """The plan of the object found there, keyed by its tag value; ``None`` when the type has no tag."""
    tag: str | None
    """The member whose value tells the branch of a discriminated union; ``None`` for a plain model."""


@dataclass(frozen=True)
class _Plan:
    rules: Callable[[Mapping[str, Any]], Iterable[Finding]] | None
    """The model's ``rules_over_json``; ``None`` when it has no rules of its own."""
    members: tuple[_Member, ...]


def rule_findings_in_json(model: type[BaseModel], document: Mapping[str, Any]) -> Iterator[Finding]:
    """Every rule finding of ``document``, the JSON form of a ``model``, with pointers from its root.

    The document must be structurally valid for ``model`` (as the published schema decides); rules read
    it as their JSON form.
    """
    yield from _walk(_plan(model), document, "")


def _walk(plan: _Plan, data: Mapping[str, Any], pointer: str) -> Iterator[Finding]:
    if plan.rules is not None:
        for finding in plan.rules(data):
            yield finding.under(pointer) if pointer else finding
    for member in plan.members:
        value = data.get(member.name)
        if value is None:
            continue
        here = f"{pointer}/{member.token}"
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _walk(_branch(member, item), item, f"{here}/{index}")
        elif isinstance(value, dict):
            yield from _walk(_branch(member, value), value, here)


def model_at(model: type[BaseModel], field: str, data: Mapping[str, Any]) -> type[BaseModel] | None:
    """The model of the object ``data`` found in ``field`` of a ``model`` (or an item of its list)."""
    classes = models_in(model.model_fields[field].annotation)
    if len(classes) <= 1:
        return classes[0] if classes else None
    tag = discriminator_of(model.model_fields[field])
    if tag is None:
        raise TypeError(f"{model.__name__}.{field}: a union of models needs a discriminator to be walked")
    return next(cls for cls in classes if data.get(tag) in tag_values(cls, tag))


def _branch(member: _Member, data: Mapping[str, Any]) -> _Plan:
    return member.plans[None if member.tag is None else data[member.tag]]


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    members = []
    for name, info in model.model_fields.items():
        classes = models_in(info.annotation)
        if not classes:
            continue
        tag = discriminator_of(info)
        if len(classes) > 1 and tag is None:
            raise TypeError(f"{model.__name__}.{name}: a union of models needs a discriminator to be walked")
        plans: dict[object, _Plan] = {}
        for cls in classes:
            if tag is None:
                plans[None] = _plan(cls)
            else:
                for value in tag_values(cls, tag):
                    plans[value] = _plan(cls)
        if any(_holds_rules(plan) for plan in plans.values()):
            members.append(_Member(name, escape_pointer_token(name), plans, tag))
    rules = model.rules_over_json if issubclass(model, CrsvModel) and has_rules_over_json(model) else None
    return _Plan(rules, tuple(members))


def _holds_rules(plan: _Plan) -> bool:
    return plan.rules is not None or bool(plan.members)


def discriminator_of(info: FieldInfo) -> str | None:
    """The tag member of a discriminated union of models in a field (or in the items of its list)."""
    if isinstance(info.discriminator, str):
        return info.discriminator
    pending = list(get_args(info.annotation))
    while pending:
        part = pending.pop()
        if isinstance(part, FieldInfo) and isinstance(part.discriminator, str):
            return part.discriminator
        pending.extend(get_args(part))
    return None


def models_in(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The model classes a field's value (or the items of its list) can be, from its annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    origin = get_origin(annotation)
    if origin is dict or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return ()  # the model walk does not descend into mappings either
    found: list[type[BaseModel]] = []
    if origin is not None:  # a union, a list, an Annotated: look inside
        for arg in get_args(annotation):
            for cls in models_in(arg):
                if cls not in found:
                    found.append(cls)
    return tuple(found)


@cache
def tag_values(model: type[BaseModel], tag: str) -> tuple[object, ...]:
    annotation = model.model_fields[tag].annotation
    if get_origin(annotation) is not Literal:
        raise TypeError(f"{model.__name__}.{tag}: a discriminator must be a Literal")
    return tuple(value.value if hasattr(value, "value") else value for value in get_args(annotation))
