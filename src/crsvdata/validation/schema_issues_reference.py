"""The reference explanation of structural issues, through python-jsonschema.

This is how ``crsvdata.validation.schema_issues`` explained a document before it used jsonschema-rs, kept
unchanged as the oracle it must agree with exactly (``tests/test_schema_issues_parity.py``) and as the
fallback for a document the compiled path cannot explain. Importing it imports python-jsonschema and its
format checkers (over a second), so the runtime path imports it only for such a document.

A document the model rejects is explained through the committed schema (python-jsonschema, offline
registry, format checks on), so the codes and pointers are the ones any JSON Schema validator in any
language would give: ``schema.<keyword>`` at the failing member's JSON pointer. Messages are built from
the issue catalogue and never quote the document's values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

from jsonschema import ValidationError as SchemaError
from jsonschema.exceptions import best_match

from crsvdata.findings import Severity, escape_pointer_token, pointer_from_path
from crsvdata.schema.registry import validator
from crsvdata.validation.catalogue import ISSUE_CODES
from crsvdata.validation.report import SAFE_KEY, Issue

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")


def keyword_code(keyword: str) -> str:
    """The issue code for a failing JSON Schema keyword: ``minItems`` -> ``schema.min_items``."""
    return "schema." + _CAMEL.sub("_", keyword).lower()


def _issue(code: str, pointer: str, detail: str = "", line: int | None = None) -> Issue:
    entry = ISSUE_CODES.get(code)
    title = entry.title if entry else "The document does not match the schema"
    message = title.lower() if not detail else f"{title.lower()} ({detail})"
    return Issue(code, Severity.ERROR, message, pointer, line)


def _pointer(error: SchemaError) -> str:
    return pointer_from_path(list(error.absolute_path))


def _codelist_of(error: SchemaError, root: dict[str, Any]) -> str | None:
    # Walk the failing keyword's schema path from the root, following $refs, and remember the last
    # property that names its code list (the keyword sits on the property, beside the $ref).
    node: Any = root
    found: str | None = None
    for step in error.absolute_schema_path:
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


def _branch_for_tag(error: SchemaError, definitions: dict[str, Any]) -> list[SchemaError] | None:
    # A tagged union (identity documents): explain only the branch whose tag the instance carries.
    instance = error.instance
    if not isinstance(instance, dict) or "type" not in instance:
        return None
    branches: list[Any] = list(error.validator_value) if isinstance(error.validator_value, list) else []
    for index, branch in enumerate(branches):
        if _branch_tag(branch, definitions) == instance["type"]:
            return [e for e in error.context or () if e.schema_path and e.schema_path[0] == index]
    return None


def _explain(error: SchemaError, line: int | None, root: dict[str, Any]) -> Iterator[Issue]:
    pointer = _pointer(error)
    keyword = str(error.validator)
    if error.instance is None and keyword in ("type", "enum", "const", "anyOf", "oneOf"):
        # Whatever keyword trips first, the problem with a null is that it is a null.
        yield _issue("schema.type", pointer, "null is not allowed: leave the field out", line)
        return
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        required: list[Any] = list(error.validator_value) if isinstance(error.validator_value, list) else []
        for name in required:
            if name not in instance:
                yield _issue("schema.required", f"{pointer}/{escape_pointer_token(name)}", "", line)
        return
    if keyword == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        for name in instance:
            if name not in allowed:
                safe = SAFE_KEY.fullmatch(name) is not None
                where = f"{pointer}/{escape_pointer_token(name)}" if safe else pointer
                detail = "" if safe else "its name is withheld because it may hold data"
                yield _issue("schema.additional_properties", where, detail, line)
        return
    if keyword in ("anyOf", "oneOf"):
        context = list(error.context or ())
        if context and all(sub.validator in ("pattern", "format") for sub in context):
            yield _issue("schema.format", pointer, "", line)
            return
        if keyword == "oneOf":
            branch = _branch_for_tag(error, root.get("$defs", {}))
            if branch:
                for sub in branch:
                    yield from _explain(sub, line, root)
                return
            if isinstance(error.instance, dict):
                yield _issue("schema.discriminator", f"{pointer}/type", "", line)
                return
        deepest = best_match(context) if context else None
        if deepest is not None:
            yield from _explain(deepest, line, root)
            return
        yield _issue(keyword_code(keyword), pointer, "", line)
        return
    if keyword == "enum":
        codelist = _codelist_of(error, root)
        yield _issue("schema.enum", pointer, f"code list '{codelist}'" if codelist else "", line)
        return
    yield _issue(keyword_code(keyword), pointer, "", line)


def schema_issues(schema_name: str, document: Any, line: int | None = None) -> list[Issue]:
    """Every structural issue the published schema finds in ``document``, sorted by pointer."""
    checker = validator(schema_name)
    root = dict(checker.schema) if isinstance(checker.schema, dict) else {}
    issues = [issue for error in checker.iter_errors(document) for issue in _explain(error, line, root)]
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
