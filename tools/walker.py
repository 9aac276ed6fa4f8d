"""Generate ``crsvdata/validation/rule_walk.py``: the rules and deprecated codes of parsed JSON, walked.

``crsvdata.models.json_rules`` and ``crsvdata.validation.codelists`` walk a parsed document with a plan
derived at run time from the pydantic models, so a valid file had to import pydantic and every model only
to learn where the rules sit. This generator derives the same plans here, once, and writes them out as
plain functions: one per model (the branches of a discriminated union are picked by their tag through a
literal table), each calling its model's ``json_rule`` (a function of ``crsvdata.rules``) directly and
appending to one list. A pointer is built only when a finding has to be re-anchored under its object.
The deprecated-code walk visits only the members that can hold a deprecated code, with those codes as
literals read from the code lists.

``python -m tools.manage walker`` writes the module; ``python -m tools.manage check`` fails when it is
stale. ``tests/test_rule_walk.py`` checks that its findings are those of the run-time walks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Final, Union, get_args, get_origin

from pydantic import BaseModel

from crsvdata.findings import escape_pointer_token
from crsvdata.models._base import CrsvModel
from crsvdata.models.json_rules import discriminator_of, models_in, tag_values
from crsvdata.schema.documents import DOCUMENT_TYPES
from tools.codes import write_text

ROOT: Final = Path(__file__).resolve().parent.parent
WALKER_PATH: Final = ROOT / "src" / "crsvdata" / "validation" / "rule_walk.py"
GENERATE_COMMAND: Final = "python -m tools.manage walker"

_TOKEN: Final = re.compile(r"[A-Za-z0-9_]+")
"""Member names the generated f-strings can hold as they are (no pointer escape, no brace, no quote)."""


@dataclass(frozen=True)
class _Member:
    """A member of an object to descend into: the model of each object found there, by tag value."""

    name: str
    in_list: bool
    """Whether the objects stand in a list (else the member holds one)."""
    on_its_own: bool
    """Whether an object can stand there by itself (not in a list)."""
    tag: str | None
    branches: tuple[tuple[object, type[BaseModel]], ...]
    """(tag value, model); the tag value is ``None`` for a member holding one model."""
    codelist: str | None = None
    """For the deprecated-code walk: the member's code list, when that list deprecates codes."""


def input_roots() -> dict[str, type[BaseModel]]:
    """The models of the input documents ``validate_document`` checks, by document kind."""
    return {row.kind: row.model for row in DOCUMENT_TYPES if row.input_document}


def _branches(
    model: type[BaseModel], field: str
) -> tuple[str | None, tuple[tuple[object, type[BaseModel]], ...]]:
    info = model.model_fields[field]
    classes = models_in(info.annotation)
    tag = discriminator_of(info)
    if len(classes) > 1 and tag is None:
        raise TypeError(f"{model.__name__}.{field}: a union of models needs a discriminator to be walked")
    if len(classes) <= 1:
        return None, tuple((None, cls) for cls in classes)
    return tag, tuple((value, cls) for cls in classes for value in tag_values(cls, tag))


def _json_rule(model: type[BaseModel]) -> tuple[str, str] | None:
    """(module, name) of the model's ``json_rule``: a public, importable function of ``crsvdata.rules``."""
    if not issubclass(model, CrsvModel) or model.json_rule is None:
        return None
    rule = model.json_rule
    module, name = getattr(rule, "__module__", ""), getattr(rule, "__name__", "")
    if not module.startswith("crsvdata.rules.") or getattr(rule, "__qualname__", "") != name:
        raise TypeError(f"{model.__name__}.json_rule must be a module-level function of crsvdata.rules")
    return module, name


class _RulePlan:
    """Which members of each model lead to rules, derived as ``crsvdata.models.json_rules`` does."""

    def __init__(self) -> None:
        self.members: dict[type[BaseModel], tuple[_Member, ...]] = {}

    def holds_rules(self, model: type[BaseModel]) -> bool:
        return _json_rule(model) is not None or bool(self.of(model))

    def leaf_rule(self, model: type[BaseModel]) -> str | None:
        """The name of the model's rule when no member of it leads to more rules; else None."""
        rule = _json_rule(model)
        return None if rule is None or self.of(model) else rule[1]

    def of(self, model: type[BaseModel]) -> tuple[_Member, ...]:
        if model not in self.members:
            found = []
            for field in model.model_fields:
                tag, branches = _branches(model, field)
                if branches and any(self.holds_rules(cls) for _, cls in branches):
                    found.append(
                        _Member(field, *_shapes(model.model_fields[field].annotation), tag, branches)
                    )
            self.members[model] = tuple(found)
        return self.members[model]


class _CodePlan:
    """Which members of each model can hold a deprecated code, derived as ``codelists`` does."""

    def __init__(self, deprecated: Mapping[str, frozenset[str]]) -> None:
        self.deprecated = deprecated
        self.members: dict[type[BaseModel], tuple[_Member, ...]] = {}

    def holds_codes(self, model: type[BaseModel]) -> bool:
        return bool(self.of(model))

    def of(self, model: type[BaseModel]) -> tuple[_Member, ...]:
        if model not in self.members:
            found = []
            for field, info in model.model_fields.items():
                extra = info.json_schema_extra
                name = extra.get("codelist") if isinstance(extra, dict) else None
                codelist = name if isinstance(name, str) and self.deprecated.get(name) else None
                tag, branches = _branches(model, field)
                nested = any(self.holds_codes(cls) for _, cls in branches)
                if codelist is not None or nested:
                    shapes = _shapes(info.annotation)
                    found.append(_Member(field, *shapes, tag, branches if nested else (), codelist))
            self.members[model] = tuple(found)
        return self.members[model]


def deprecated_codes() -> dict[str, frozenset[str]]:
    """The deprecated codes of every code list, as ``crsvdata.validation.codelists`` reads them."""
    from crsvdata.validation.codelists import _deprecated_codes

    found: dict[str, set[str]] = {}
    for list_name, code in _deprecated_codes():
        found.setdefault(list_name, set()).add(code)
    return {name: frozenset(codes) for name, codes in found.items()}


def _literal(value: object) -> str:
    """A Python literal as ruff format writes it (double quotes)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _shapes(annotation: Any) -> tuple[bool, bool]:
    """(in a list, on its own): how the member's type lets a value stand (``None`` aside)."""
    origin = get_origin(annotation)
    if origin is list:
        return True, False
    if origin is Annotated:
        return _shapes(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        arms = [_shapes(arg) for arg in get_args(annotation) if arg is not type(None)]
        return any(listed for listed, _ in arms), any(alone for _, alone in arms)
    return False, True


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _token(name: str) -> str:
    if not _TOKEN.fullmatch(name) or escape_pointer_token(name) != name:
        raise ValueError(f"member {name!r}: the generator writes plain member names into pointers only")
    return name


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables: dict[str, str] = {}
        """The tag tables, by name: the line defining each."""

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)


def _function(prefix: str, model: type[BaseModel]) -> str:
    return f"_{prefix}_{_snake(model.__name__)}"


def _descend(
    writer: _Writer,
    prefix: str,
    owner: type[BaseModel],
    member: _Member,
    value: str,
    pointer: str,
    depth: int,
    holds: Callable[[type[BaseModel]], bool],
    leaf_rule: Callable[[type[BaseModel]], str | None] | None = None,
) -> None:
    """Lines that walk the object in ``value`` and re-anchor what it found under ``pointer``."""
    if member.tag is None and leaf_rule is not None:
        ((_, model),) = member.branches
        rule = leaf_rule(model)
        if rule is not None:
            # An object with a rule and nothing inside to walk: its rule is called here, without a walk
            # function, and the pointer is built only when the rule found something (most find nothing).
            writer.line(depth, f"found = {rule}({value})")
            writer.line(depth, "if found:")
            writer.line(depth + 1, f"out.extend([finding.under({pointer}) for finding in found])")
            return
    writer.line(depth, "start = len(out)")
    if member.tag is None:
        ((_, model),) = member.branches
        writer.line(depth, f"{_function(prefix, model)}({value}, out)")
    else:
        where = f"{_snake(owner.__name__)}_{member.name}".upper()
        table = f"_{prefix.upper()}_BY_{member.tag.upper()}_IN_{where}"
        if table not in writer.tables:
            entries = "".join(
                f"    {_literal(tag)}: {_function(prefix, model) if holds(model) else '_nothing'},\n"
                for tag, model in member.branches
            )
            writer.tables[table] = f"{table}: Final[dict[object, _Walk]] = {{\n{entries}}}"
        writer.line(depth, f"{table}[{value}[{_literal(member.tag)}]]({value}, out)")
    writer.line(depth, "if len(out) > start:")
    writer.line(depth + 1, f"_anchor(out, start, {pointer})")


def _rule_function(writer: _Writer, model: type[BaseModel], plan: _RulePlan) -> str:
    writer.lines = []
    writer.line(0, f"def {_function('rules', model)}(data: dict[str, Any], out: list[Finding]) -> None:")
    rule = _json_rule(model)
    if rule is not None:
        writer.line(1, f"out.extend({rule[1]}(data))")
    for member in plan.of(model):
        token = _token(member.name)
        writer.line(1, f"value = data.get({_literal(member.name)})")
        # Only the shapes the member's type allows: the document is schema-valid.
        keyword = "if"
        if member.in_list:
            writer.line(1, "if isinstance(value, list):")
            writer.line(2, "for index, item in enumerate(value):")
            writer.line(3, "if isinstance(item, dict):")
            _descend(
                writer,
                "rules",
                model,
                member,
                "item",
                f'f"/{token}/{{index}}"',
                4,
                plan.holds_rules,
                plan.leaf_rule,
            )
            keyword = "elif"
        if member.on_its_own:
            writer.line(1, f"{keyword} isinstance(value, dict):")
            _descend(
                writer, "rules", model, member, "value", f'"/{token}"', 2, plan.holds_rules, plan.leaf_rule
            )
    return "\n".join(writer.lines)


def _code_function(writer: _Writer, model: type[BaseModel], plan: _CodePlan) -> str:
    writer.lines = []
    writer.line(0, f"def {_function('codes', model)}(data: dict[str, Any], out: list[Finding]) -> None:")
    for member in plan.of(model):
        token = _token(member.name)
        codes = f"_DEPRECATED_IN_{member.codelist.upper()}" if member.codelist else None
        writer.line(1, f"value = data.get({_literal(member.name)})")
        # As codelists' walk: an object is walked (when one there can hold a deprecated code), a code is
        # looked up; only the shapes the member's type allows (the document is schema-valid).
        keyword = "if"
        if member.in_list:
            writer.line(1, "if isinstance(value, list):")
            writer.line(2, "for index, item in enumerate(value):")
            inner = "if"
            if member.branches:
                writer.line(3, "if isinstance(item, dict):")
                _descend(
                    writer, "codes", model, member, "item", f'f"/{token}/{{index}}"', 4, plan.holds_codes
                )
                inner = "elif"
            if codes:
                writer.line(3, f"{inner} item in {codes}:")
                writer.line(4, f'out.append(_deprecated_{member.codelist}(f"/{token}/{{index}}"))')
            keyword = "elif"
        if member.on_its_own:
            if member.branches:
                writer.line(1, f"{keyword} isinstance(value, dict):")
                _descend(writer, "codes", model, member, "value", f'"/{token}"', 2, plan.holds_codes)
                keyword = "elif"
            if codes:
                writer.line(1, f"{keyword} value in {codes}:")
                writer.line(2, f'out.append(_deprecated_{member.codelist}("/{token}"))')
    return "\n".join(writer.lines)


def _reachable(
    roots: Iterable[type[BaseModel]], members: Callable[[type[BaseModel]], tuple[_Member, ...]]
) -> list[type[BaseModel]]:
    # Depth first from the roots, in field order: a stable order for the generated file.
    order: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in order:
            return
        order.append(model)
        for member in members(model):
            for _, cls in member.branches:
                visit(cls)

    for root in roots:
        visit(root)
    names = [_snake(model.__name__) for model in order]
    if len(set(names)) != len(names):
        raise ValueError("two walked models share a name: the generated functions would collide")
    return order


_HEADER: Final = f'''# GENERATED by `{GENERATE_COMMAND}` from the models' json_rule links and the code lists:
# do not edit by hand. tools/walker.py is the generator; `python -m tools.manage check` fails when stale.
"""The rule findings and deprecated-code warnings of a schema-valid parsed document, walked statically.

The same objects, in the same order, through the same ``crsvdata.rules`` functions as
``crsvdata.models.json_rules.rule_findings_in_json`` and
``crsvdata.validation.codelists.deprecated_code_findings_in_json``, without pydantic or any model: one
function per model, each appending to one list; a pointer is built only to re-anchor a finding. The
document must be structurally valid (as the published schema decides).
"""

from collections.abc import Callable
from typing import Any, Final

from crsvdata.findings import Finding, Severity
'''

_HELPERS: Final = (
    """def _anchor(out: list[Finding], start: int, prefix: str) -> None:
    # The findings from ``start`` on were found inside the object at ``prefix``.
    for position in range(start, len(out)):
        out[position] = out[position].under(prefix)""",
    """def _nothing(data: dict[str, Any], out: list[Finding]) -> None:
    pass  # an object of this type holds nothing to find""",
)

_API: Final = '''def findings_in_json(kind: str, document: dict[str, Any]) -> list[Finding]:
    """The rule findings of a schema-valid ``document`` of ``kind``, then its deprecated-code warnings."""
    out: list[Finding] = []
    RULE_WALKS[kind](document, out)
    DEPRECATED_CODE_WALKS[kind](document, out)
    return out'''


def render_walker(
    roots: Mapping[str, type[BaseModel]] | None = None, deprecated: Mapping[str, frozenset[str]] | None = None
) -> str:
    """The text of ``rule_walk.py`` for ``roots`` (kind -> model) and the ``deprecated`` codes by list."""
    from crsvdata.validation.codelists import _deprecated

    roots = input_roots() if roots is None else roots
    deprecated = deprecated_codes() if deprecated is None else deprecated
    rule_plan, code_plan = _RulePlan(), _CodePlan(deprecated)
    rule_models = [m for m in _reachable(roots.values(), rule_plan.of) if rule_plan.holds_rules(m)]
    code_models = [m for m in _reachable(roots.values(), code_plan.of) if code_plan.holds_codes(m)]
    rules = sorted({rule for model in rule_models if (rule := _json_rule(model)) is not None})
    used_lists = sorted({m.codelist for model in code_models for m in code_plan.of(model) if m.codelist})

    by_module: dict[str, list[str]] = {}
    for module, name in rules:
        by_module.setdefault(module, []).append(name)
    imports = "".join(
        f"from {module} import {', '.join(sorted(names))}\n" for module, names in sorted(by_module.items())
    )
    blocks = [
        _HEADER + imports + '\n__all__ = ["DEPRECATED_CODE_WALKS", "RULE_WALKS", "findings_in_json"]\n\n'
        "_Walk = Callable[[dict[str, Any], list[Finding]], None]\n"
        '"""Appends the findings of one object (pointers relative to it) to a list."""'
    ]
    for list_name in used_lists:
        codes = ", ".join(_literal(code) for code in sorted(deprecated[list_name]))
        blocks.append(f"_DEPRECATED_IN_{list_name.upper()}: Final = frozenset({{{codes}}})")
        message = _deprecated(list_name, "").message
        blocks.append(
            f"def _deprecated_{list_name}(pointer: str) -> Finding:\n"
            f"    return Finding(\n        {_literal('codelist.deprecated')},\n        Severity.WARNING,\n"
            f"        {_literal(message)},\n        pointer,\n    )"
        )
    blocks += _HELPERS
    writer = _Writer()
    for model in rule_models:
        blocks.append(_rule_function(writer, model, rule_plan))
    for model in code_models:
        blocks.append(_code_function(writer, model, code_plan))
    blocks += writer.tables.values()
    for title, prefix, holds, doc in (
        ("RULE_WALKS", "rules", rule_plan.holds_rules, "its rule findings (``rule_findings_in_json``)"),
        (
            "DEPRECATED_CODE_WALKS",
            "codes",
            code_plan.holds_codes,
            "its deprecated codes (``deprecated_code_findings_in_json``)",
        ),
    ):
        entries = "".join(
            f"    {_literal(kind)}: {_function(prefix, model) if holds(model) else '_nothing'},\n"
            for kind, model in roots.items()
        )
        blocks.append(
            f'{title}: Final[dict[str, _Walk]] = {{\n{entries}}}\n"""Document kind -> the walk of {doc}."""'
        )
    blocks.append(_API)
    return "\n\n\n".join(blocks) + "\n"


def write_walker(path: Path = WALKER_PATH) -> bool:
    """Regenerate ``rule_walk.py``; returns True if it changed."""
    return write_text(path, render_walker())


def check_walker(path: Path = WALKER_PATH) -> list[str]:
    """Problems with the committed ``rule_walk.py`` (empty when it is what the models and lists give)."""
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual != render_walker():
        return [
            f"{path.name} is out of date with the models' rules or the code lists: run `{GENERATE_COMMAND}`"
        ]
    return []
