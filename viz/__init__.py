"""Interactive and static views of the causal web.

* :mod:`viz.network` builds pyvis networks from library results: the whole web, a concept's
  neighbourhood, traced chains (styled by :mod:`viz.styles`, placed by :mod:`viz.layout`).
* :mod:`viz.template` renders them as self-contained HTML, and the explorer page the API
  serves at ``/``; :mod:`viz.assets` finds vis-network and our own scripts.
* :mod:`viz.figure` draws figures for papers with Graphviz; :mod:`viz.cli` adds
  ``causal-web render`` and ``causal-web figure``; :mod:`viz.timing` times a view settling in
  headless Chromium.

The names below are imported on first use, so ``import viz`` (and the CLI) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "NetworkView": "causal_web.viz.view",
    "ViewFilter": "causal_web.viz.view",
    "chains_network": "causal_web.viz.network",
    "figure_dot": "causal_web.viz.figure",
    "measure_settle": "causal_web.viz.timing",
    "neighbourhood_network": "causal_web.viz.network",
    "render_explorer_page": "causal_web.viz.template",
    "render_standalone": "causal_web.viz.template",
    "traced_chains_network": "causal_web.viz.network",
    "web_network": "causal_web.viz.network",
    "write_figure": "causal_web.viz.figure",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'causal_web.viz' has no attribute {name!r}")
    return getattr(import_module(module), name)
