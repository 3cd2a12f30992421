"""The SPARQL query editor: YASGUI at ``GET /sparql`` for browsers, with the named queries as
tabs, and its files under ``/static/yasgui/``.

YASGUI's built files are kept in ``api/static/yasgui`` (see the NOTICE there for the version
and where they came from), so the page works offline, from a clean clone and from the wheel,
and loads nothing from any other origin. The page's Content-Security-Policy allows only this
origin, plus the one style element YASGUI writes itself.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from causal_web.api.problems import ProblemError
from causal_web.rdf.named_queries import named_queries
from causal_web.viz.template import json_for_html

__all__ = ["EDITOR_CSP", "YASGUI_FILES", "YASGUI_VERSION", "editor_page", "router"]

router = APIRouter(tags=["SPARQL"])

YASGUI_VERSION = "4.6.2"
# YASGUI adds one <style> element of its own (allowed by its hash, so a new version that adds
# another shows up as a CSP violation in the browser test); data: is the page's empty favicon.
_YASGUI_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
EDITOR_CSP = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {_YASGUI_STYLE}; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
YASGUI_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "yasgui.min.js": (_JS, ("static", "yasgui", "yasgui.min.js")),
    "yasgui.min.css": (_CSS, ("static", "yasgui", "yasgui.min.css")),
    "sparql-editor.js": (_JS, ("static", "sparql-editor.js")),
    "sparql-editor.css": (_CSS, ("static", "sparql-editor.css")),
}
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>SPARQL editor · causal-web</title>
<link rel="stylesheet" href="{static}yasgui.min.css">
<link rel="stylesheet" href="{static}sparql-editor.css">
<script src="{static}yasgui.min.js" defer></script>
<script src="{static}sparql-editor.js" defer></script>
</head>
<body>
<header class="cw-sparql-header">
  <h1>SPARQL editor</h1>
  <span>read-only SPARQL 1.1 endpoint at <code>{endpoint}</code>; the named queries are in the tabs</span>
  <nav><a href="{root}">Explorer</a> <a href="{root}docs">API docs</a></nav>
</header>
<noscript>The editor needs JavaScript. Without it, send queries to {endpoint} with any SPARQL
client.</noscript>
<div id="yasgui"></div>
<script type="application/json" id="sparql-editor-config">{config}</script>
</body>
</html>
"""


@cache
def _file(name: str) -> bytes:
    _, path = YASGUI_FILES[name]
    return files("causal_web.api").joinpath(*path).read_bytes()


def _tabs() -> list[dict[str, Any]]:
    return [
        {"name": query.title or name, "description": query.description, "query": query.text}
        for name, query in named_queries().items()
    ]


def editor_page(request: Request) -> HTMLResponse:
    """The editor page for a browser's GET /sparql with no query."""
    endpoint = str(request.url_for("sparql_get"))
    config = {"endpoint": endpoint, "tabs": _tabs()}
    # Links are relative to the page (at /sparql), so they hold behind a proxy or a path prefix.
    page = _PAGE.format(
        static="static/yasgui/", endpoint=escape(endpoint), root="./", config=json_for_html(config)
    )
    headers = {
        "Content-Security-Policy": EDITOR_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        "Vary": "Accept",
    }
    return HTMLResponse(page, headers=headers)


@router.get("/static/yasgui/{name}", include_in_schema=False)
async def yasgui_file(name: str) -> Response:
    """YASGUI's built files and the editor's own script and style."""
    if name not in YASGUI_FILES:
        raise ProblemError(404, f"There is no editor file {name!r}.", kind="not-found", title="Not Found")
    media_type, _ = YASGUI_FILES[name]
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(_file(name), media_type=media_type, headers=headers)
