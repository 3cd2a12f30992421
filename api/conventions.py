"""HTTP conventions that apply to every route: HEAD, validators and caching, ``Link`` headers,
unknown query parameters and operation IDs.

* :class:`HeadMiddleware` answers ``HEAD`` on every ``GET`` route: the request runs as a
  ``GET`` and the body is dropped, so the headers (length, type, ETag) are the GET's own.
* :class:`ValidatorMiddleware` gives every ``200`` answer to a ``GET`` a strong ``ETag`` (a hash
  of the bytes sent, so a gzipped body has its own) and a ``Cache-Control``, and answers a
  matching ``If-None-Match`` with ``304``. The data cannot change while the service runs. It
  also adds the ``Link`` headers that routes and dependencies queue with :func:`add_link`.
  Because the data cannot change, it keeps the ``200`` answers it marks ``public`` (see
  :class:`ResponseCache`) and answers the same request again without running the route.
* :func:`reject_unknown_parameters` turns a misspelt query parameter into a ``400`` problem,
  instead of a silently ignored filter.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from causal_web.api.problems import ProblemError

__all__ = [
    "DATA_CACHE_CONTROL",
    "OPEN_QUERY_PATHS",
    "UNCACHED_PATHS",
    "HeadMiddleware",
    "ResponseCache",
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
# Never answered from the response cache: the readiness probe runs the app every time, and
# SPARQL answers go through the workers' own limits.
UNCACHED_PATHS = frozenset({"/health", "/sparql"})
# Request headers an answer may depend on (content negotiation, gzip, absolute links).
_VARY_HEADERS = (b"host", b"accept", b"accept-encoding")


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


class ResponseCache:
    """Finished ``200`` answers to ``GET``, by everything the answer can depend on.

    The key is the path, the query string, the scheme and root path, the headers in
    ``_VARY_HEADERS`` and the knowledge base the app serves (a new one empties the cache). Only
    answers whose ``Cache-Control`` says ``public`` are kept, none over ``max_entry`` bytes,
    and at most ``max_bytes`` in all, the least recently used dropped first. The environment
    variable ``CAUSAL_WEB_RESPONSE_CACHE_MB`` sets ``max_bytes`` (``0`` turns the cache off).
    """

    def __init__(self, max_bytes: int | None = None, max_entry: int = 1 << 20) -> None:
        if max_bytes is None:
            max_bytes = int(float(os.environ.get("CAUSAL_WEB_RESPONSE_CACHE_MB", "64")) * 2**20)
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self._entries: OrderedDict[tuple, tuple[dict[str, Any], bytes]] = OrderedDict()
        self._size = 0
        self._kb: object = None

    def key(self, scope: Scope) -> tuple | None:
        if self.max_bytes <= 0 or scope["path"] in UNCACHED_PATHS:
            return None
        app = scope.get("app")
        kb = getattr(getattr(app, "state", None), "kb", None)
        if kb is not self._kb:
            self.clear()
            self._kb = kb
        wanted = {name: value for name, value in scope["headers"] if name in _VARY_HEADERS}
        return (
            scope["path"],
            scope.get("query_string", b""),
            scope.get("scheme"),
            scope.get("root_path", ""),
            *(wanted.get(name) for name in _VARY_HEADERS),
        )

    def get(self, key: tuple) -> tuple[dict[str, Any], bytes] | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple, start: dict[str, Any], body: bytes) -> None:
        cache_control = MutableHeaders(scope=start).get("cache-control", "")
        if "public" not in cache_control or "no-" in cache_control or len(body) > self.max_entry:
            return
        if key in self._entries:
            return
        self._entries[key] = ({**start, "headers": list(start["headers"])}, body)
        self._size += len(body)
        while self._size > self.max_bytes and self._entries:
            _old, (_start, old_body) = self._entries.popitem(last=False)
            self._size -= len(old_body)

    def clear(self) -> None:
        self._entries.clear()
        self._size = 0


class ValidatorMiddleware:
    """ETag, Cache-Control and 304 for GET; queued ``Link`` headers for every response; a
    :class:`ResponseCache` of the finished GET answers."""

    def __init__(self, app: ASGIApp, cache: ResponseCache | None = None) -> None:
        self.app = app
        self.cache = ResponseCache() if cache is None else cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        if scope["method"] != "GET":
            await self.app(scope, receive, self._with_links(scope, send))
            return
        key = self.cache.key(scope)
        if key is not None:
            kept = self.cache.get(key)
            if kept is not None:
                await self._send(scope, {**kept[0], "headers": list(kept[0]["headers"])}, kept[1], send)
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
            await self._finish(scope, start, b"".join(chunks), send, key)

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

    async def _finish(
        self, scope: Scope, start: dict[str, Any], body: bytes, send: Send, key: tuple | None
    ) -> None:
        headers = MutableHeaders(scope=start)
        self._add_links(scope, start["status"], headers)
        if start["status"] == 200:
            headers["ETag"] = headers.get("etag") or _etag(body)
            if "cache-control" not in headers:
                headers["Cache-Control"] = DATA_CACHE_CONTROL
            if key is not None:
                self.cache.put(key, start, body)
        await self._send(scope, start, body, send)

    @staticmethod
    async def _send(scope: Scope, start: dict[str, Any], body: bytes, send: Send) -> None:
        """Send a finished answer, or ``304`` when the request's ``If-None-Match`` matches it."""
        if start["status"] == 200:
            headers = MutableHeaders(scope=start)
            etag = headers.get("etag", "")
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
