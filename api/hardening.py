"""Headers every response carries, and the request-body limit of the routes that take no body.

:class:`SecurityHeaders` is plain ASGI middleware (no per-request task, so the fast routes
stay fast). It adds ``X-Content-Type-Options: nosniff`` to every response, and a
Content-Security-Policy that lets nothing run (:data:`DEFAULT_CSP`) to every response that did
not set its own: the explorer and the API documentation set theirs. Only ``/sparql`` reads a
request body, and it applies its own limit; any other request that announces a body over
:data:`MAX_BODY_BYTES` gets 413 before a byte of it is read. Limits are in ``docs/limits.md``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from causal_web.api.problems import problem_response

__all__ = ["DEFAULT_CSP", "MAX_BODY_BYTES", "SecurityHeaders"]

DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
MAX_BODY_BYTES = 1024 * 1024
# Paths that read a body and enforce their own limit.
_OWN_BODY_LIMIT = ("/sparql",)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class SecurityHeaders:
    """ASGI middleware: nosniff and a default CSP on every response, 413 on oversized bodies."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                message["headers"] = headers
            await send(message)

        length = _declared_length(scope)
        if length is not None and length > MAX_BODY_BYTES and scope.get("path") not in _OWN_BODY_LIMIT:
            response = problem_response(
                413,
                f"The request body is {length:,} bytes; this resource takes at most "
                f"{MAX_BODY_BYTES:,} (and reads none: send the parameters in the query string).",
                kind="body-too-large",
                title="Content Too Large",
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
