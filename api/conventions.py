"""HTTP conventions that apply to every route: HEAD, validators and caching, ``Link`` headers,
unknown query parameters and operation IDs.

* :class:`HeadMiddleware` answers ``HEAD`` on every ``GET`` route: the request runs as a
  ``GET`` and the body is dropped, so the headers (length, type, ETag) are the GET's own.
* :class:`ValidatorMiddleware` gives every ``200`` answer to a ``GET`` a strong ``ETag`` (a hash
  of the bytes sent, so a gzipped body has its own) and a ``Cache-Control``, and answers a
  matching ``If-None-Match`` with ``304``. The data cannot change while the service runs. It
  also adds the ``Link`` headers that routes and dependencies queue with :func:`add_link`.
* :func:`reject_unknown_parameters` turns a misspelt query parameter into a ``400`` problem,
  instead of a silently ignored filter.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from causal_web.api.problems import ProblemError

__all__ = [
    "DATA_CACHE_CONTROL",
    "OPEN_QUERY_PATHS",
    "HeadMiddleware",
    "ValidatorMiddleware",
    "add_link",
    "document_unknown_parameter_problem",
    "operation_id",
    "reject_unknown_parameters",
]

DATA_CACHE_CONTROL = "public, max-age=60"
# Routes whose query parameters are defined by a protocol of their own (the SPARQL 1.1
# Protocol reads format/output/results and refuses update itself).
OPEN_QUERY_PATHS = frozenset({"/sparql"})
_LINKS = "causal_web.links"


def add_link(request: Request, link: str) -> None:
    """Queue one ``Link`` header value for this request's response."""
    links = request.scope.setdefault("state", {}).setdefault(_LINKS, [])
    if link not in links:
        links.append(link)


class HeadMiddleware:
    """Runs a HEAD request as a GET and sends the headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        scope = dict(scope, method="GET")

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_headers_only)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


class ValidatorMiddleware:
    """ETag, Cache-Control and 304 for GET; queued ``Link`` headers for every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        if scope["method"] != "GET":
            await self.app(scope, receive, self._with_links(scope, send))
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffer)

    @staticmethod
    def _add_links(scope: Scope, status: int, headers: MutableHeaders) -> None:
        if status >= 400:  # an error has no alternates and no pages
            return
        for link in scope.get("state", {}).get(_LINKS, []):
            headers.append("Link", link)

    def _with_links(self, scope: Scope, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add_links(scope, message["status"], MutableHeaders(scope=message))
            await send(message)

        return wrapped

    async def _finish(self, scope: Scope, start: dict[str, Any], body: bytes, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        self._add_links(scope, start["status"], headers)
        if start["status"] == 200:
            etag = headers.get("etag") or _etag(body)
            headers["ETag"] = etag
            if "cache-control" not in headers:
                headers["Cache-Control"] = DATA_CACHE_CONTROL
            if_none_match = Headers(scope=scope).get("if-none-match")
            if if_none_match and _matches(if_none_match, etag):
                kept = [
                    (name, value)
                    for name, value in headers.raw
                    if name.lower() in (b"etag", b"cache-control", b"vary", b"link", b"content-location")
                ]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _documented_query_parameters(request: Request, route: APIRoute) -> frozenset[str]:
    """The query parameters the OpenAPI document gives the route: the same list a client reads."""
    operations = request.app.openapi().get("paths", {}).get(route.path_format, {})
    operation = operations.get(request.method.lower()) or operations.get("get") or {}
    return frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")


_ALLOWED: dict[tuple[int, str], frozenset[str]] = {}


async def reject_unknown_parameters(request: Request) -> None:
    """A 400 problem for a query parameter the route does not define."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema or route.path in OPEN_QUERY_PATHS:
        return
    key = (id(route), request.method)
    allowed = _ALLOWED.get(key)
    if allowed is None:
        allowed = _ALLOWED[key] = _documented_query_parameters(request, route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise ProblemError(
            400,
            f"Unknown query parameter {', '.join(repr(u) for u in unknown)} for {route.path_format}; "
            f"the parameters it takes are: {known}.",
            kind="unknown-parameter",
            title="Unknown query parameter",
            parameter=unknown[0],
        )


def document_unknown_parameter_problem(openapi: dict[str, Any]) -> None:
    """Add the 400 that :func:`reject_unknown_parameters` can give to every operation it guards."""
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in openapi.get("paths", {}).items():
        if path in OPEN_QUERY_PATHS:
            continue
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault(
                "400",
                {
                    "description": "Bad Request (for example an unknown query parameter)",
                    "content": {"application/problem+json": {"schema": problem}},
                },
            )


def operation_id(route: APIRoute) -> str:
    """A stable operationId: the route function's name in camelCase (``list_cmocs`` ->
    ``listCmocs``)."""
    first, *rest = route.name.split("_")
    return first + "".join(part.capitalize() for part in rest)
