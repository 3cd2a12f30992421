"""The files a page needs: vis-network as pyvis ships it, and causal-web's own JS and CSS.

Nothing is fetched from the network: vis-network comes from the installed pyvis package
(found through :mod:`importlib.resources`, never a fixed path), and our files from
``viz/static``. The explorer's ``/static/{name}`` route serves exactly the names of
:data:`STATIC_ASSETS`; standalone HTML inlines them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["STATIC_ASSETS", "VIS_VERSION", "StaticAsset", "asset_text", "static_asset", "vis_dir"]

VIS_VERSION = "9.1.2"
"""The vis-network that pyvis bundles and that ``causal-web.js`` is written against: from
9.0 it shows a string ``title`` with ``innerText``, and we pass DOM elements anyway."""


@dataclass(frozen=True, slots=True)
class StaticAsset:
    name: str
    media_type: str
    package: str  # "pyvis" or "causal_web.viz"
    path: tuple[str, ...]

    def resource(self) -> Traversable:
        return files(self.package).joinpath(*self.path)


def vis_dir() -> Traversable:
    """pyvis's copy of vis-network."""
    return files("pyvis").joinpath("lib", f"vis-{VIS_VERSION}")


_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"

STATIC_ASSETS: dict[str, StaticAsset] = {
    asset.name: asset
    for asset in (
        StaticAsset("vis-network.min.js", _JS, "pyvis", ("lib", f"vis-{VIS_VERSION}", "vis-network.min.js")),
        StaticAsset("vis-network.css", _CSS, "pyvis", ("lib", f"vis-{VIS_VERSION}", "vis-network.css")),
        StaticAsset("causal-web-panel.js", _JS, "causal_web.viz", ("static", "causal-web-panel.js")),
        StaticAsset("causal-web.js", _JS, "causal_web.viz", ("static", "causal-web.js")),
        StaticAsset("causal-web.css", _CSS, "causal_web.viz", ("static", "causal-web.css")),
        StaticAsset("explorer.js", _JS, "causal_web.viz", ("static", "explorer.js")),
        StaticAsset("matrix.js", _JS, "causal_web.viz", ("static", "matrix.js")),
        StaticAsset("explorer.css", _CSS, "causal_web.viz", ("static", "explorer.css")),
        StaticAsset("diagnostic.js", _JS, "causal_web.viz", ("static", "diagnostic.js")),
        StaticAsset("diagnostic.css", _CSS, "causal_web.viz", ("static", "diagnostic.css")),
    )
}


def static_asset(name: str) -> StaticAsset | None:
    """The asset served as ``/static/{name}``, or None for any other name."""
    return STATIC_ASSETS.get(name)


@cache
def asset_text(name: str) -> str:
    """An asset's text (read once per process)."""
    asset = STATIC_ASSETS[name]
    return asset.resource().read_text(encoding="utf-8")
