"""Every error as ``application/problem+json`` (RFC 9457), with a detail that says what to fix.

An unknown ID lists close matches (``suggestions``); a bad parameter is named (``parameter``).
Library errors are mapped here, so routes only raise.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from causal_web.errors import QueryError, UnknownIdError
from causal_web.rdf.sparql import (
    NotAcceptableError,
    QueryTimeoutError,
    SparqlBusyError,
    SparqlSyntaxError,
    UpdateRefusedError,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TYPE_BASE",
    "ParameterError",
    "Problem",
    "ProblemError",
    "install_problem_handlers",
    "problem_response",
    "problem_responses",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://w3id.org/causal-web/problems/"
_log = logging.getLogger("causal_web.api.problems")


class ParameterError(BaseModel):
    """One parameter that failed validation."""

    parameter: str = Field(description="Name of the parameter.")
    location: str = Field(description="Where it was sent: query, path, header or body.")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong and what to do about it."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI naming the kind of problem ('about:blank' for plain HTTP errors).")
    title: str
    status: int
    detail: str
    parameter: str | None = Field(None, description="The request parameter at fault, if one is.")
    suggestions: list[str] | None = Field(None, description="Known IDs close to an unknown one.")
    supported: list[str] | None = Field(None, description="Media types this resource can be served as.")
    errors: list[ParameterError] | None = Field(None, description="Every parameter that failed validation.")


class ProblemError(Exception):
    """Raised by routes to answer with a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self.detail = detail
        self.kind = kind
        self.title = title
        self.headers = headers
        self.extra = extra
        super().__init__(detail)


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response; ``extra`` members with a None value are left out."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind if kind else "about:blank",
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return _ProblemJSON(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


class _ProblemJSON(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: the same strings to a JSON
    reader, but no markup in the bytes, whatever a problem's detail quotes back."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses (served as problem+json)."""
    return {status: {"model": Problem, "description": _phrase(status)} for status in statuses}


def _parameter_for(request: Request, value: str) -> tuple[str | None, str]:
    """Which parameter carried ``value``: its name and whether it was in the path or the query."""
    for name, given in request.path_params.items():
        if given == value:
            return name, "path"
    for name, given in request.query_params.multi_items():
        if given == value or given.strip() == value:
            return name, "query"
    return None, "path"


def _first_word_parameter(request: Request, message: str) -> str | None:
    word = message.split(" ", 1)[0].strip(":,")
    names = set(request.query_params) | set(request.path_params)
    return word if word in names else None


async def _unknown_id(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, UnknownIdError)
    parameter, where = _parameter_for(request, error.value)
    # An unknown ID in the path is a missing resource; one in a filter is a bad parameter.
    status = 404 if where == "path" else 400
    return problem_response(
        status,
        str(error),
        kind="unknown-id",
        title=f"Unknown {error.kind}",
        parameter=parameter,
        suggestions=error.suggestions,
    )


async def _query_error(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, NotAcceptableError):
        return problem_response(
            406, str(error), kind="not-acceptable", title="Not Acceptable", supported=error.supported
        )
    if isinstance(error, UpdateRefusedError):
        return problem_response(403, str(error), kind="update-refused", title="Updates are refused")
    if isinstance(error, SparqlSyntaxError):
        return problem_response(
            400, str(error), kind="sparql-syntax", title="Malformed SPARQL query", parameter="query"
        )
    return problem_response(
        400,
        str(error),
        kind="bad-parameter",
        title="Bad request parameter",
        parameter=getattr(error, "parameter", None) or _first_word_parameter(request, str(error)),
    )


async def _timeout(request: Request, error: Exception) -> JSONResponse:
    return problem_response(503, str(error), kind="query-timeout", title="Query timed out")


async def _busy(request: Request, error: Exception) -> JSONResponse:
    return problem_response(
        503, str(error), kind="busy", title="SPARQL endpoint busy", headers={"Retry-After": "1"}
    )


async def _problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return problem_response(
        error.status, error.detail, kind=error.kind, title=error.title, headers=error.headers, **error.extra
    )


def _location(loc: tuple | list) -> tuple[str, str]:
    where = str(loc[0]) if loc else "request"
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    return (names[0] if names else where), where


async def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = []
    for item in error.errors():
        name, where = _location(item.get("loc", ()))
        errors.append({"parameter": name, "location": where, "message": str(item.get("msg", "invalid"))})
    first = errors[0] if errors else {"parameter": "request", "location": "request", "message": "invalid"}
    detail = "; ".join(f"{e['location']} parameter '{e['parameter']}': {e['message']}" for e in errors)
    return problem_response(
        422,
        detail or "The request is not valid.",
        kind="invalid-parameter",
        title="Invalid request parameter",
        parameter=first["parameter"],
        errors=errors,
    )


def _quoted_path(request: Request) -> str:
    """The request path percent-encoded, so a detail never quotes markup back."""
    return quote(request.url.path, safe="/-._~%!$'()*+,;=:@")


async def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = str(error.detail) if error.detail else _phrase(error.status_code)
    if error.status_code == 404 and detail == "Not Found":
        detail = f"Nothing is served at {_quoted_path(request)}. The endpoints are listed at /docs."
    elif error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        detail = f"{request.method} is not allowed on {_quoted_path(request)}" + (
            f"; use {allowed}." if allowed else "."
        )
    return problem_response(error.status_code, detail, headers=getattr(error, "headers", None))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    _log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(
        500,
        "The service failed to answer this request. It has been logged; please report it.",
        kind="internal-error",
        title="Internal Server Error",
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error the app can raise with problem+json."""
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(UnknownIdError, _unknown_id)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(QueryTimeoutError, _timeout)
    app.add_exception_handler(SparqlBusyError, _busy)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
