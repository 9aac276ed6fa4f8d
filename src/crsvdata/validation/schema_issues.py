"""Structural issues from the published JSON Schema, in crsvdata's shape, found by jsonschema-rs.

A document the model rejects is explained through the committed schema, so the codes and pointers are
the ones any JSON Schema validator in any language would give: ``schema.<keyword>`` at the failing
member's JSON pointer. Messages are built from the issue catalogue and never quote the document's values.

The schema's errors come from the compiled validator of ``crsvdata.schema.compiled``; the explanation is
the one python-jsonschema's errors used to get (``schema_issues_reference``), with the same choices:
errors are visited in python-jsonschema's order (keywords in schema order, members in ``properties``
order, items by index), a branch keyword is explained by its tagged branch or by ``best_match``'s pick,
and the issues are identical, which ``tests/test_schema_issues_parity.py`` checks. A document the
compiled path cannot explain (text jsonschema-rs refuses to read, a reference outside the document) goes
to the reference, which imports python-jsonschema for that document only.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from crsvdata.findings import Severity, escape_pointer_token, pointer_from_path
from crsvdata.schema.compiled import compiled_schema, python_search
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.report import SAFE_KEY, Issue

__all__ = ["keyword_code", "schema_issues"]

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")
_WEAK: Final = frozenset({"anyOf", "oneOf"})
_BRANCHES: Final = frozenset({"anyOf", "oneOf"})

Path = tuple[str | int, ...]


class _CannotExplainError(Exception):
    """The compiled path cannot reproduce the reference for this document; the reference explains it."""


def keyword_code(keyword: str) -> str:
    """The issue code for a failing JSON Schema keyword: ``minItems`` -> ``schema.min_items``."""
    return "schema." + _CAMEL.sub("_", keyword).lower()


@dataclass(slots=True)
class _Failure:
    """One schema error, in python-jsonschema's terms (``validator`` is the failing keyword)."""

    validator: str
    absolute_path: Path
    path: Path  # relative to the branch keyword whose context holds it, as python-jsonschema's .path
    instance: Any
    schema: Any
    absolute_schema_path: Path  # python-jsonschema's: no "$ref" steps
    order: tuple[int, ...]  # where python-jsonschema's depth-first walk meets this error
    branch: int | None = None
    context: list[_Failure] = field(default_factory=list)

    @property
    def validator_value(self) -> Any:
        return self.schema.get(self.validator) if isinstance(self.schema, dict) else None


def _is_type(instance: Any, kind: str) -> bool:
    # python-jsonschema's 2020-12 type checker: a bool is no number; 1.0 is an integer.
    if kind == "object":
        return isinstance(instance, dict)
    if kind == "array":
        return isinstance(instance, list)
    if kind == "string":
        return isinstance(instance, str)
    if kind == "boolean":
        return isinstance(instance, bool)
    if kind == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if kind == "number":
        return isinstance(instance, int | float)
    if kind == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    raise _CannotExplainError(kind)


def _matches_type(failure: _Failure) -> bool:
    try:
        expected = failure.schema["type"]
    except (KeyError, TypeError):
        return False
    if isinstance(expected, str):
        return _is_type(failure.instance, expected)
    return any(_is_type(failure.instance, each) for each in expected)


def _relevance(failure: _Failure) -> tuple[Any, ...]:
    # python-jsonschema's by_relevance(): deeper, then later path, then not a branch keyword, then type.
    keyword = failure.validator
    return (-len(failure.path), list(failure.path), keyword not in _WEAK, False, not _matches_type(failure))


def _best_match(errors: list[_Failure]) -> _Failure | None:
    # python-jsonschema's best_match(), step for step (max keeps the first of equals, nsmallest is stable).
    best = max(errors, key=_relevance, default=None)
    if best is None:
        return None
    while best.context:
        smallest = heapq.nsmallest(2, best.context, key=_relevance)
        if len(smallest) == 2 and _relevance(smallest[0]) == _relevance(smallest[1]):
            return best
        best = smallest[0]
    return best


class _Reader:
    """Turns jsonschema-rs errors into python-jsonschema's shape by walking the schema and the document."""

    def __init__(self, root: dict[str, Any], document: Any) -> None:
        self.root = root
        self.document = document

    def _resolve(self, reference: Any) -> Any:
        if not isinstance(reference, str) or not reference.startswith("#/"):
            raise _CannotExplainError("a reference outside the document")
        node: Any = self.root
        for token in reference[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or token not in node:
                raise _CannotExplainError("a dangling reference")
            node = node[token]
        return node

    def failure(self, error: Any, parent: _Failure | None) -> _Failure | None:
        """The error as python-jsonschema raises it, or None where python-jsonschema raises none."""
        try:
            return self._failure(error, parent)
        except (IndexError, KeyError, ValueError) as exc:
            raise _CannotExplainError("a schema error the walk does not follow") from exc

    def _failure(self, error: Any, parent: _Failure | None) -> _Failure | None:
        steps = list(error.evaluation_path)
        instance_path: Path = tuple(error.instance_path)
        node: Any = self.root
        value: Any = self.document
        consumed = 0
        order: list[int] = []
        schema_path: list[str | int] = []
        index = 0
        keyword: str | None = None
        while index < len(steps):
            step = steps[index]
            if not isinstance(node, dict) or not isinstance(step, str):
                raise _CannotExplainError("a schema path through a non-object")
            if step not in node:
                raise _CannotExplainError("a schema path step the schema does not have")
            order.append(list(node).index(step))
            if step == "$ref":
                node = self._resolve(node["$ref"])
                index += 1
                continue
            schema_path.append(step)
            if index == len(steps) - 1:
                keyword = step
                break
            if step == "properties":
                member = steps[index + 1]
                order.append(list(node["properties"]).index(member))
                schema_path.append(member)
                node = node["properties"][member]
                value, consumed = self._descend(value, instance_path, consumed, member)
                index += 2
            elif step == "patternProperties":
                pattern = steps[index + 1]
                member = instance_path[consumed]
                order.append(list(node["patternProperties"]).index(pattern))
                order.append(list(value).index(member) if isinstance(value, dict) else 0)
                schema_path.append(pattern)
                node = node["patternProperties"][pattern]
                value, consumed = self._descend(value, instance_path, consumed, member)
                index += 2
            elif step == "items":
                item = instance_path[consumed]
                if not isinstance(item, int):
                    raise _CannotExplainError("items at a member")
                order.append(item)
                node = node["items"]
                value, consumed = self._descend(value, instance_path, consumed, item)
                index += 1
            elif step in _BRANCHES:
                branch = steps[index + 1]
                if not isinstance(branch, int):
                    raise _CannotExplainError("a branch that is not an index")
                order.append(branch)
                schema_path.append(branch)
                node = node[step][branch]
                index += 2
            else:
                raise _CannotExplainError(f"a path through {step}")
        if keyword is None or consumed != len(instance_path):
            raise _CannotExplainError("a schema path that does not end at a keyword")
        if not _python_raises(keyword, value, node):
            return None
        if keyword == "required":
            required = node.get("required", [])
            missing = getattr(error.kind, "property", None)
            order.append(required.index(missing) if missing in required else 0)
        relative = instance_path[len(parent.absolute_path) :] if parent is not None else instance_path
        failure = _Failure(keyword, instance_path, relative, value, node, tuple(schema_path), tuple(order))
        if keyword in _BRANCHES:
            return self._with_context(error, failure)
        return failure

    def _descend(self, value: Any, instance_path: Path, consumed: int, expected: Any) -> tuple[Any, int]:
        if consumed >= len(instance_path) or instance_path[consumed] != expected:
            raise _CannotExplainError("a schema path that leaves the instance path")
        try:
            return value[expected], consumed + 1
        except (KeyError, IndexError, TypeError) as exc:
            raise _CannotExplainError("an instance path the document does not have") from exc

    def _with_context(self, error: Any, failure: _Failure) -> _Failure | None:
        if type(error.kind).__name__ == "OneOfMultipleValid":
            return failure  # python-jsonschema's "valid under each of" error has no context
        valid = 0
        for branch, errors in enumerate(getattr(error.kind, "context", None) or []):
            found = [sub for sub in (self.failure(each, failure) for each in errors) if sub is not None]
            valid += not found
            for sub in found:
                sub.branch = branch
            failure.context.extend(sorted(found, key=lambda sub: sub.order))
        if valid == 0:
            return failure
        if failure.validator == "oneOf" and valid > 1:
            failure.context = []
            return failure
        return None  # a branch Rust's regex refused is valid for Python's


def _python_raises(keyword: str, instance: Any, schema: dict[str, Any]) -> bool:
    # Rust's regex is never more lenient than Python's on the published patterns (crsvdata.schema.compiled);
    # it is stricter only at a final newline, so a pattern error is confirmed with Python's re.search.
    if keyword == "pattern":
        return not (isinstance(instance, str) and python_search(schema["pattern"])(instance) is not None)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        properties = schema.get("properties", {})
        patterns = "|".join(schema.get("patternProperties", {}))
        return any(
            name not in properties and not (patterns and python_search(patterns)(name)) for name in instance
        )
    return True


def _issue(code: str, pointer: str, detail: str = "", line: int | None = None) -> Issue:
    entry = ISSUE_CODES.get(code)
    title = entry.title if entry else "The document does not match the schema"
    message = title.lower() if not detail else f"{title.lower()} ({detail})"
    return Issue(code, Severity.ERROR, message, pointer, line)


def _codelist_of(failure: _Failure, root: dict[str, Any]) -> str | None:
    # Walk the failing keyword's schema path from the root, following $refs, and remember the last
    # property that names its code list (the keyword sits on the property, beside the $ref).
    node: Any = root
    found: str | None = None
    for step in failure.absolute_schema_path:
        if isinstance(node, dict) and isinstance(node.get("codelist"), str):
            found = node["codelist"]
        if isinstance(node, dict) and step not in node and "$ref" in node:
            node = root.get("$defs", {}).get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return found
    return found


def _branch_tag(branch: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(branch, dict) and "$ref" in branch:
        branch = definitions.get(str(branch["$ref"]).rsplit("/", 1)[-1], {})
    if isinstance(branch, dict):
        return branch.get("properties", {}).get("type", {}).get("const")
    return None


def _branch_for_tag(failure: _Failure, definitions: dict[str, Any]) -> list[_Failure] | None:
    # A tagged union (identity documents): explain only the branch whose tag the instance carries.
    instance = failure.instance
    if not isinstance(instance, dict) or "type" not in instance:
        return None
    value = failure.validator_value
    branches: list[Any] = list(value) if isinstance(value, list) else []
    for index, branch in enumerate(branches):
        if _branch_tag(branch, definitions) == instance["type"]:
            return [sub for sub in failure.context if sub.branch == index]
    return None


def _explain(failure: _Failure, line: int | None, root: dict[str, Any]) -> Iterator[Issue]:
    pointer = pointer_from_path(list(failure.absolute_path))
    keyword = failure.validator
    if failure.instance is None and keyword in ("type", "enum", "const", "anyOf", "oneOf"):
        # Whatever keyword trips first, the problem with a null is that it is a null.
        yield _issue("schema.type", pointer, "null is not allowed: leave the field out", line)
        return
    if keyword == "required":
        instance = failure.instance if isinstance(failure.instance, dict) else {}
        value = failure.validator_value
        required: list[Any] = list(value) if isinstance(value, list) else []
        for name in required:
            if name not in instance:
                yield _issue("schema.required", f"{pointer}/{escape_pointer_token(name)}", "", line)
        return
    if keyword == "additionalProperties":
        instance = failure.instance if isinstance(failure.instance, dict) else {}
        allowed = set(failure.schema.get("properties", {})) if isinstance(failure.schema, dict) else set()
        for name in instance:
            if name not in allowed:
                safe = SAFE_KEY.fullmatch(name) is not None
                where = f"{pointer}/{escape_pointer_token(name)}" if safe else pointer
                detail = "" if safe else "its name is withheld because it may hold data"
                yield _issue("schema.additional_properties", where, detail, line)
        return
    if keyword in _BRANCHES:
        context = failure.context
        if context and all(sub.validator in ("pattern", "format") for sub in context):
            yield _issue("schema.format", pointer, "", line)
            return
        if keyword == "oneOf":
            branch = _branch_for_tag(failure, root.get("$defs", {}))
            if branch:
                for sub in branch:
                    yield from _explain(sub, line, root)
                return
            if isinstance(failure.instance, dict):
                yield _issue("schema.discriminator", f"{pointer}/type", "", line)
                return
        deepest = _best_match(context) if context else None
        if deepest is not None:
            yield from _explain(deepest, line, root)
            return
        yield _issue(keyword_code(keyword), pointer, "", line)
        return
    if keyword == "enum":
        codelist = _codelist_of(failure, root)
        yield _issue("schema.enum", pointer, f"code list '{codelist}'" if codelist else "", line)
        return
    yield _issue(keyword_code(keyword), pointer, "", line)


def _failures(schema_name: str, document: Any) -> tuple[list[_Failure], dict[str, Any]]:
    compiled = compiled_schema(schema_name)
    if compiled.unsupported is not None:
        raise _CannotExplainError(compiled.unsupported)
    reader = _Reader(compiled.schema, document)
    try:
        errors = list(compiled.iter_errors(document))
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Text jsonschema-rs cannot take (a lone surrogate, a number beyond its range).
        raise _CannotExplainError("jsonschema-rs cannot read the document") from exc
    failures = [failure for error in errors if (failure := reader.failure(error, None)) is not None]
    # python-jsonschema meets errors depth-first in schema order; the first of equal issues is kept.
    return sorted(failures, key=lambda failure: failure.order), compiled.schema


def schema_issues(schema_name: str, document: Any, line: int | None = None) -> list[Issue]:
    """Every structural issue the published schema finds in ``document``, sorted by pointer."""
    try:
        failures, root = _failures(schema_name, document)
        issues = [issue for failure in failures for issue in _explain(failure, line, root)]
    except _CannotExplainError:
        from crsvdata.validation.schema_issues_reference import schema_issues as reference_issues

        return reference_issues(schema_name, document, line)
    return sorted(_unique(issues), key=lambda issue: issue.pointer)


def _unique(issues: Iterable[Issue]) -> list[Issue]:
    seen: set[tuple[str, str]] = set()
    result = []
    for issue in issues:
        key = (issue.code, issue.pointer)
        if key not in seen:
            seen.add(key)
            result.append(issue)
    return result
