"""The vis-network side of a view: a faster pyvis Network and the options every view shares."""

from __future__ import annotations

from typing import Any

from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from causal_web.viz.styles import CATEGORIES, HIGHLIGHT_COLOUR

__all__ = ["FONT_FACE", "LARGE_WEB", "CausalNetwork", "vis_options"]

LARGE_WEB = 600
"""From this many concepts a view is large: the page draws most arrows itself in a few batched
canvas strokes and hands vis-network only the ones in play (see causal-web.js)."""

FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


class CausalNetwork(Network):
    """A directed pyvis Network whose ``add_node``/``add_edge`` check membership in a dict.

    pyvis looks nodes up in a list on every call, which is quadratic: about a second of the
    build time of a 2,000-concept web went there.
    """

    def __init__(self) -> None:
        super().__init__(height="100%", width="100%", directed=True, cdn_resources="local")

    def add_node(  # type: ignore[override]
        self, n_id: str, label: str | None = None, shape: str | None = None, **options: Any
    ) -> None:
        """Add a node; with no ``shape`` it takes its group's (pyvis would force "dot")."""
        if n_id in self.node_map:
            return
        node = Node(n_id, shape, label=label if label is not None else n_id, **options)
        if shape is None:
            del node.options["shape"]
        self.nodes.append(node.options)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node.options

    def add_edge(self, source: str, to: str, **options: Any) -> None:  # type: ignore[override]
        if source not in self.node_map or to not in self.node_map:
            raise KeyError(f"edge {source!r} -> {to!r} names a node that is not in the network")
        # The arrowheads come from the network's options, not a copy of them on every edge.
        self.edges.append(Edge(source, to, directed=False, **options).options)


def _vis_groups() -> dict[str, Any]:
    return {
        style.key: {
            "shape": style.shape,
            "borderWidth": 4 if style.key == "long-term-outcome" else 1.5,
            "color": {
                "background": style.colour,
                "border": style.border,
                "highlight": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
                "hover": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
            },
        }
        for style in CATEGORIES.values()
    }


def vis_options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: positions are precomputed, so physics stays off. Each concept
    category is a vis group holding its shape and colours."""
    large = n_nodes >= LARGE_WEB
    return {
        "groups": _vis_groups(),
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            # A large view draws most concepts itself, at their sent positions.
            "dragNodes": not large,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "face": FONT_FACE,
                "size": 15,
                "color": "#1a1a1a",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "arrowStrikethrough": False,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
            "smooth": False
            if large
            else {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
        },
    }
