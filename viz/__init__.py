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
    "NetworkView": "viz.view",
    "ViewFilter": "viz.view",
    "chains_network": "viz.network",
    "figure_dot": "viz.figure",
    "measure_settle": "viz.timing",
    "neighbourhood_network": "viz.network",
    "render_explorer_page": "viz.template",
    "render_standalone": "viz.template",
    "traced_chains_network": "viz.network",
    "web_network": "viz.network",
    "write_figure": "viz.figure",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'viz' has no attribute {name!r}")
    return getattr(import_module(module), name)
