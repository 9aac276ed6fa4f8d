"""FastAPI: take case records in request bodies, answer 422 with codes and pointers, never with values.

FastAPI validates a body with the model itself (crsvdata models take JSON-form data, so a valid record is
accepted) and, on failure, answers 422 with pydantic's errors, which repeat the submitted values
(``"input": ...``): for CRSV data that is a leak into responses and logs. ``install`` replaces that
answer with a crsvdata validation report::

    from fastapi import FastAPI
    from crsvdata.integrations import fastapi as crsv_fastapi
    from crsvdata.models import CaseRecord

    app = FastAPI()
    crsv_fastapi.install(app)

    @app.post("/cases", status_code=201, responses=crsv_fastapi.PROBLEM_RESPONSES)
    def create(record: CaseRecord) -> dict[str, str]: ...

The 422 body is ``{"title", "status", "issues": [{"code", "severity", "pointer", "message"}]}``: the codes
and JSON pointers ``crsvdata validate`` reports for the same document, and no value from the request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final

try:
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
except ImportError:  # pragma: no cover - exercised by a test in a subprocess
    raise ImportError(
        "crsvdata.integrations.fastapi needs FastAPI, which is an optional extra: "
        "pip install 'crsvdata[fastapi]'"
    ) from None

from pydantic import BaseModel

from crsvdata.findings import Severity, pointer_from_path
from crsvdata.parse import CrsvValidationError
from crsvdata.validation import Issue, validate
from crsvdata.validation.report import SAFE_KEY

__all__ = ["PROBLEM_RESPONSES", "IssueOut", "ValidationProblem", "install", "problem_response"]

logger: Final = logging.getLogger(__name__)

_REQUEST_PARTS: Final = frozenset({"body", "path", "query", "header", "cookie"})


class IssueOut(BaseModel):
    """One problem: a stable code, a severity, an RFC 6901 pointer into the request part, a message."""

    code: str
    severity: str
    pointer: str
    message: str


class ValidationProblem(BaseModel):
    """The 422 body: what is wrong and where, never what was sent."""

    title: str
    status: int
    issues: list[IssueOut]


PROBLEM_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    422: {
        "model": ValidationProblem,
        "description": "The document is not valid crsvdata: codes and pointers.",
    }
}
"""Pass as ``responses=`` to a route so that its OpenAPI description shows the crsvdata 422 body."""


def problem_response(issues: Sequence[Issue], title: str = "invalid crsvdata document") -> JSONResponse:
    """A 422 response listing ``issues`` (code, severity, pointer, message; never a value)."""
    body = ValidationProblem(
        title=title,
        status=422,
        issues=[
            IssueOut(code=i.code, severity=i.severity.value, pointer=i.pointer or "/", message=i.message)
            for i in issues
        ],
    )
    codes = sorted({issue.code for issue in issues})
    # Codes only: a log line is as public as a response, and a value may identify a survivor.
    logger.info("rejected a request with %d issue(s): %s", len(issues), ", ".join(codes))
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


def _body_issues(body: object) -> list[Issue]:
    # Explain the body as `crsvdata validate` explains the same document: schema codes and pointers.
    if isinstance(body, Mapping):
        report = validate(body)
        return [issue for issue in report.issues if issue.severity is Severity.ERROR]
    return []


def _request_issues(errors: Sequence[Any]) -> list[Issue]:
    issues: list[Issue] = []
    for error in errors:
        location = [part for part in error.get("loc", ()) if part not in _REQUEST_PARTS]
        if error.get("type") == "extra_forbidden" and location and not SAFE_KEY.match(str(location[-1])):
            location = location[:-1]  # an unexpected member's name may itself be data
        part = next((p for p in error.get("loc", ()) if p in _REQUEST_PARTS), "request")
        error_type = str(error.get("type", "invalid"))
        code = "input.json_syntax" if error_type == "json_invalid" else f"request.{part}.{error_type}"
        # pydantic's message names the expectation, never the input; the input itself is dropped here.
        message = (
            "the request body is not valid JSON" if error_type == "json_invalid" else str(error.get("msg"))
        )
        issues.append(Issue(code, Severity.ERROR, message, pointer_from_path(location)))
    return issues


async def _on_request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    in_body = any(tuple(error.get("loc", ()))[:1] == ("body",) for error in errors)
    issues = _body_issues(exc.body) if in_body else []
    if not issues:
        issues = _request_issues(errors)
    return problem_response(issues)


async def _on_crsv_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CrsvValidationError)
    return problem_response([issue for issue in exc.issues if issue.severity is Severity.ERROR] or exc.issues)


def install(app: FastAPI) -> FastAPI:
    """Answer request validation errors and ``CrsvValidationError`` with a value-free 422 report."""
    app.add_exception_handler(RequestValidationError, _on_request_validation_error)
    app.add_exception_handler(CrsvValidationError, _on_crsv_validation_error)
    return app
