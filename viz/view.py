"""A built view: a pyvis network plus what the page needs around it (legend, columns, chains).

:class:`NetworkView` is what the builders in :mod:`viz.network` return. ``to_dict()`` is the
JSON the browser code reads, whether it is inlined in a standalone HTML file or fetched from
the API's ``/viz/...`` routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from causal_web.viz.styles import CATEGORIES, CONTESTED_STYLE, VALENCE_STYLES

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "MAX_ARROWS_LIMIT",
    "MAX_CONCEPTS_LIMIT",
    "VIEW_KINDS",
    "WEB_ARROW_CEILING",
    "WEB_CEILING",
    "NetworkView",
    "ViewFilter",
    "legend_data",
]

VIEW_KINDS = ("web", "neighbourhood", "chains")

WEB_CEILING = 10_000
"""The most concepts the whole-web view draws unless asked for another number: above it, the
ones with the most records behind them (see :mod:`viz.whole_web`). 10,000 is the largest web
the explorer is measured at (``python -m bench.explorer``: 33.5 MB of JSON, usable in about 7 s);
the JSON grows by about 3.4 KB a concept and the sfdp layout faster than that."""

MAX_CONCEPTS_LIMIT = 20_000
"""The most concepts a whole-web view may be asked for (``max_concepts``): about 68 MB of JSON."""

WEB_ARROW_CEILING = 80_000
"""The most arrows the whole-web view draws unless asked for another number: above it, those
with the most records behind them. The top concepts of a big web are its best connected, so
their arrows grow with the web (10,000 of 20,000 synthetic concepts have 120,105 among them,
where a whole web of 10,000 has 70,534)."""

MAX_ARROWS_LIMIT = 200_000
"""The most arrows a whole-web view may be asked for (``max_arrows``)."""


@dataclass(frozen=True, slots=True)
class ViewFilter:
    """What to draw: evidence from ``phases`` only (None: all), concepts of the ``groups``
    (categories of :data:`viz.styles.CATEGORIES`; None: all), and edges with at least
    ``min_sources`` distinct sources. The whole-web view draws at most ``max_concepts``
    concepts and ``max_arrows`` arrows (the other views ignore both)."""

    phases: frozenset[str] | None = None
    groups: frozenset[str] | None = None
    min_sources: int = 1
    max_concepts: int = WEB_CEILING
    max_arrows: int = WEB_ARROW_CEILING

    @property
    def narrows_edges(self) -> bool:
        return self.phases is not None or self.min_sources > 1

    @classmethod
    def of(
        cls,
        phases: object = None,
        groups: object = None,
        min_sources: int = 1,
        max_concepts: int = WEB_CEILING,
        max_arrows: int = WEB_ARROW_CEILING,
    ) -> ViewFilter:
        """Build from any iterables (an empty one counts as no filter)."""
        return cls(
            frozenset(phases) if phases else None,  # type: ignore[arg-type]
            frozenset(groups) if groups else None,  # type: ignore[arg-type]
            max(1, int(min_sources)),
            max(1, int(max_concepts)),
            max(1, int(max_arrows)),
        )


def legend_data(categories: set[str] | None = None) -> dict[str, Any]:
    """Legend entries for the categories shown (all if None) and the arrow valences."""
    return {
        "categories": [
            {
                "key": style.key,
                "label": style.label,
                "colour": style.colour,
                "border": style.border,
                "shape": style.shape,
            }
            for style in CATEGORIES.values()
            if categories is None or style.key in categories
        ],
        "valences": [
            {"valence": s.valence, "label": s.label, "colour": s.colour, "dashes": s.dashes}
            for s in (*VALENCE_STYLES.values(), CONTESTED_STYLE)
        ],
        "size": "Node size: number of CMOCs and stated links naming the concept",
        "width": "Arrow width: number of independent evidence bases",
    }


@dataclass(slots=True)
class NetworkView:
    """A pyvis network of part of the causal web, ready to draw."""

    network: Network
    kind: str
    title: str
    subtitle: str = ""
    columns: list[dict[str, Any]] = field(default_factory=list)
    phases: list[dict[str, str]] = field(default_factory=list)
    highlight: dict[str, list[str]] = field(default_factory=lambda: {"nodes": [], "edges": []})
    focus: str | None = None
    chains: dict[str, Any] | None = None
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    large: bool = False
    layout: str = "layered"
    lod: dict[str, Any] | None = None
    notice: dict[str, Any] | None = None  # a cut whole web: shown, total, arrows, all_arrows, text

    @property
    def node_ids(self) -> list[str]:
        return [n["id"] for n in self.network.nodes]

    @property
    def edge_ids(self) -> list[str]:
        # A large view's edges have no "id": the page rebuilds it as "from->to".
        return [e.get("id") or f"{e['from']}->{e['to']}" for e in self.network.edges]

    def to_dict(self) -> dict[str, Any]:
        """The JSON the browser code draws (see ``viz/static/causal-web.js``)."""
        categories = {n["cw"]["category"] for n in self.network.nodes}
        return {
            "kind": self.kind,
            "large": self.large,
            "layout": self.layout,
            "lod": self.lod,
            "notice": self.notice,
            "title": self.title,
            "subtitle": self.subtitle,
            "query": self.query,
            "nodes": self.network.nodes,
            "edges": self.network.edges,
            "options": self.network.options,
            "columns": self.columns,
            "phases": self.phases,
            "legend": legend_data(categories),
            "highlight": self.highlight,
            "focus": self.focus,
            "chains": self.chains,
            "records": self.records,
            "sources": self.sources,
        }
