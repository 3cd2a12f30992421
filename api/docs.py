"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served with our own copies of their scripts.

FastAPI's stock pages load Swagger UI and ReDoc from a CDN and start them with an inline
script. These pages load both from ``/docs-assets/`` (the files come from the installed
``fastapi-offline`` package, found through :mod:`importlib.resources`) and start them from
small scripts of ours, so a strict Content-Security-Policy holds: nothing outside this
service is fetched, and no inline script runs. See ``api/static/README.md``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from causal_web.api.problems import ProblemError

__all__ = ["DOCS_ASSETS", "DOCS_CSP", "router"]

# Swagger UI and ReDoc set styles inline and ReDoc runs its search in a worker made from a blob.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
_HEADERS = {
    "Content-Security-Policy": DOCS_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_JS = "text/javascript; charset=utf-8"


@dataclass(frozen=True, slots=True)
class _Asset:
    package: str
    path: tuple[str, ...]
    media_type: str


DOCS_ASSETS: dict[str, _Asset] = {
    "swagger-ui-bundle.js": _Asset("fastapi_offline", ("static", "swagger-ui-bundle.js"), _JS),
    "swagger-ui.css": _Asset("fastapi_offline", ("static", "swagger-ui.css"), "text/css; charset=utf-8"),
    "redoc.standalone.js": _Asset("fastapi_offline", ("static", "redoc.standalone.js"), _JS),
    "favicon.png": _Asset("fastapi_offline", ("static", "favicon.png"), "image/png"),
    "swagger-init.js": _Asset("causal_web.api", ("static", "swagger-init.js"), _JS),
    "redoc-init.js": _Asset("causal_web.api", ("static", "redoc-init.js"), _JS),
}

router = APIRouter(include_in_schema=False)


# ReDoc's side menu shows a logo fetched from its vendor's CDN, with no option to turn it off;
# our copy points it at the local icon instead (tests/reliability/test_d11_docs_browser.py
# fails if a new ReDoc fetches anything from outside).
_REWRITES = {
    "redoc.standalone.js": ((b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"/docs-assets/favicon.png"),)
}


@cache
def _asset_bytes(name: str) -> bytes:
    asset = DOCS_ASSETS[name]
    data = files(asset.package).joinpath(*asset.path).read_bytes()
    for old, new in _REWRITES.get(name, ()):
        data = data.replace(old, new)
    return data


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" type="image/png" href="/docs-assets/favicon.png">'
        f"{head}</head><body>{body}</body></html>\n"
    )


@router.get("/docs")
async def swagger_page(request: Request) -> HTMLResponse:
    url = html.escape(request.app.openapi_url or "/openapi.json")
    text = _page(
        f"{request.app.title}: Swagger UI",
        '<link rel="stylesheet" href="/docs-assets/swagger-ui.css">',
        f'<div id="swagger-ui" data-openapi-url="{url}"></div>'
        '<script src="/docs-assets/swagger-ui-bundle.js"></script>'
        '<script src="/docs-assets/swagger-init.js"></script>',
    )
    return HTMLResponse(text, headers=_HEADERS)


@router.get("/redoc")
async def redoc_page(request: Request) -> HTMLResponse:
    url = html.escape(request.app.openapi_url or "/openapi.json")
    text = _page(
        f"{request.app.title}: ReDoc",
        "",
        f'<div id="redoc" data-openapi-url="{url}"></div>'
        '<script src="/docs-assets/redoc.standalone.js"></script>'
        '<script src="/docs-assets/redoc-init.js"></script>',
    )
    return HTMLResponse(text, headers=_HEADERS)


@router.get("/docs-assets/{name}")
async def docs_asset(name: str) -> Response:
    if name not in DOCS_ASSETS:
        raise ProblemError(404, "There is no such documentation asset.", kind="not-found", title="Not Found")
    headers = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}
    return Response(_asset_bytes(name), media_type=DOCS_ASSETS[name].media_type, headers=headers)
