"""HTML pages: a standalone file for one view, and the explorer page the API serves at ``/``.

Both come from our own Jinja templates in ``viz/templates`` (pyvis's stock template loads
Bootstrap and vis-network from CDNs). Escaping:

* Jinja autoescapes every template variable.
* The view's data goes into ``<script type="application/json">`` through :func:`json_for_html`,
  which escapes ``<``, ``>``, ``&`` and the JavaScript line separators, so no label can close
  the script element. The browser code reads it with ``JSON.parse`` and shows text with
  ``textContent`` only.
* A Content-Security-Policy allows only the page's own scripts: by SHA-256 hash in a
  standalone file (so an injected inline script or ``onerror`` attribute would not run), by
  origin on the explorer. Neither page may connect anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from causal_web.viz.assets import asset_text
from causal_web.viz.view import NetworkView

__all__ = ["EXPLORER_CSP", "json_for_html", "render_explorer_page", "render_standalone"]

EXPLORER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

_ENV = Environment(
    loader=PackageLoader("causal_web.viz", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_html(data: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element and still parses to the same value."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))  # noqa: S704 - escaped just above


def _inline(text: str, closing: str) -> Markup:
    """Trusted code for an inline element, with any closing tag in it broken up."""
    return Markup(text.replace(f"</{closing}", f"<\\/{closing}"))  # noqa: S704 - our own asset files


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("causal-web")
    except PackageNotFoundError:
        return "dev"


def render_standalone(view: NetworkView, title: str | None = None) -> str:
    """One self-contained HTML file: vis-network, our code and the view's data inlined."""
    vis_js = _inline(asset_text("vis-network.min.js"), "script")
    # The panel code and the drawing code run as one inline script (the panel first).
    app_js = _inline(asset_text("causal-web-panel.js") + "\n" + asset_text("causal-web.js"), "script")
    vis_css = _inline(asset_text("vis-network.css"), "style")
    app_css = _inline(asset_text("causal-web.css"), "style")
    csp = (
        f"default-src 'none'; script-src {_hash(vis_js)} {_hash(app_js)}; "
        f"style-src {_hash(vis_css)} {_hash(app_css)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return _ENV.get_template("standalone.html").render(
        title=title or view.title,
        subtitle=view.subtitle,
        version=_version(),
        csp=csp,
        vis_js=vis_js,
        app_js=app_js,
        vis_css=vis_css,
        app_css=app_css,
        data_json=json_for_html(view.to_dict()),
    )


def render_explorer_page(title: str = "causal-web explorer", dataset: str = "") -> str:
    """The explorer page; its scripts and styles are served from ``static/``, its data from
    the API. Serve it with :data:`EXPLORER_CSP` as the Content-Security-Policy header."""
    return _ENV.get_template("explorer.html").render(title=title, dataset=dataset, version=_version())
