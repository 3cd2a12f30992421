"""Which concepts the whole-web view draws, and where.

Up to :data:`viz.view.WEB_CEILING` concepts (10,000) the whole web is drawn. Above it a
drawing of every concept is of no use to anyone: at about 3.4 KB of JSON per concept a web of
200,000 concepts (what the synthetic generator makes of 1M CMOCs) would be some 670 MB, and
placing it with ``sfdp`` would take many minutes. So the view then draws the
``max_concepts`` concepts with the most records behind them, and the arrows among them, and
says so (:func:`ceiling_notice`). The concepts a big web ranks first are its best
connected, so the arrows among them grow with the web too: above
:data:`viz.view.WEB_ARROW_CEILING` (80,000) arrows only those with the most records are drawn.

"Records behind a concept" is the number the page already sizes and label-ranks concepts by:
the CMOCs and stated links among the concept's arrows, each counted once
(:meth:`causal_web.web.graph.CausalWeb.concept_records`). It is chosen over the degree (the
number of concepts a concept is joined to) because it measures evidence: one record that
relates a concept to many others raises its degree as much as many records would. The top concepts
are then the largest nodes the full drawing would have had, and its first labels.

Layouts are computed once per web and set of concepts (:func:`web_layout`), so filtering
the whole web never moves a node (a cut one is laid out for the concepts it keeps): below
:data:`viz.vis_network.LARGE_WEB` concepts the layered layout in stage columns, from it Graphviz
``sfdp`` (:func:`viz.large_layout.sfdp_layout`). Everything here reads the web's compact form
(:meth:`CausalWeb.concept_ids`, :meth:`CausalWeb.edges_among`), never its networkx view.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from causal_web.viz.large_layout import sfdp_layout
from causal_web.viz.layout import column_headings, layered_layout
from causal_web.viz.styles import STAGE_HEADINGS, category_style
from causal_web.viz.view import MAX_ARROWS_LIMIT, MAX_CONCEPTS_LIMIT, WEB_ARROW_CEILING, WEB_CEILING
from causal_web.viz.vis_network import LARGE_WEB

if TYPE_CHECKING:
    from causal_web.web.graph import CausalWeb

__all__ = [
    "MAX_ARROWS_LIMIT",
    "MAX_CONCEPTS_LIMIT",
    "WEB_ARROW_CEILING",
    "WEB_CEILING",
    "capped",
    "ceiling_notice",
    "stage_column",
    "strongest_arrows",
    "top_concepts",
    "web_layout",
    "web_layout_method",
]

# Per web: the layout of the whole web (key None) and of the last few capped selections.
_LAYOUTS: weakref.WeakKeyDictionary[CausalWeb, dict[frozenset[str] | None, tuple[dict, list, str]]]
_LAYOUTS = weakref.WeakKeyDictionary()
_KEEP_SELECTIONS = 4


def stage_column(web: CausalWeb, concept: str) -> int:
    """The stage column a concept goes in (contexts 0 ... long-term outcomes 5)."""
    data = web.concept_data(concept)
    return category_style(data.get("role"), data.get("group")).column


def top_concepts(web: CausalWeb, candidates: Iterable[str], limit: int) -> list[str]:
    """The ``limit`` candidates with the most records behind them, most first; ties by ID."""
    records = web.concept_records()
    ordered = sorted(set(candidates), key=lambda concept: (-records.get(concept, 0), concept))
    return ordered[: max(0, limit)]


def _place(web: CausalWeb, nodes: list[str]) -> tuple[dict, list, str]:
    # Each pair once per edge (valence), as the networkx view's edges() lists them.
    pairs = [pair for pair, numbers in web.edges_among(nodes).items() for _number in numbers]
    positions = sfdp_layout(nodes, pairs) if len(nodes) >= LARGE_WEB else None
    if positions is not None:
        return positions, [], "sfdp"
    layers = {n: stage_column(web, n) for n in nodes}
    positions = layered_layout(nodes, pairs, layers)
    return positions, column_headings(positions, layers, STAGE_HEADINGS), "layered"


def _layout(web: CausalWeb, nodes: Collection[str] | None) -> tuple[dict, list, str]:
    cache = _LAYOUTS.setdefault(web, {})
    key = None if nodes is None else frozenset(nodes)
    found = cache.get(key)
    if found is None:
        every = list(web.concept_ids())
        found = _place(web, every if key is None else [n for n in every if n in key])
        if key is not None:
            selections = [k for k in cache if k is not None]
            while len(selections) >= _KEEP_SELECTIONS:
                del cache[selections.pop(0)]
        cache[key] = found
    return found


def web_layout(
    web: CausalWeb, nodes: Collection[str] | None = None
) -> tuple[dict[str, tuple[float, float]], list[dict[str, Any]]]:
    """Positions of every concept of the web (or of ``nodes`` only, laid out among themselves),
    and the column headings; computed once per web and set of concepts, so filtering or
    highlighting never moves a node, and a second request does not wait.

    Below :data:`LARGE_WEB` concepts: the layered layout, in stage columns with headings.
    From it: Graphviz ``sfdp`` (:func:`viz.large_layout.sfdp_layout`), without columns.
    """
    positions, columns, _method = _layout(web, nodes)
    return positions, columns


def web_layout_method(web: CausalWeb, nodes: Collection[str] | None = None) -> str:
    """How :func:`web_layout` placed the web (or ``nodes``): ``"layered"`` or ``"sfdp"``."""
    return _layout(web, nodes)[2]


def strongest_arrows(arrows: list[tuple[str, str, list]], limit: int) -> list[tuple[str, str, list]]:
    """``arrows`` (cause, effect, evidence) in their order, cut to the ``limit`` with the most
    records in their evidence if there are more; ties by cause, then effect."""
    if len(arrows) <= limit:
        return arrows

    def strength(arrow: tuple[str, str, list]) -> tuple[int, str, str]:
        return (-len({(item.kind, item.record) for item in arrow[2]}), arrow[0], arrow[1])

    chosen = {(u, v) for u, v, _evidence in sorted(arrows, key=strength)[:limit]}
    return [arrow for arrow in arrows if arrow[:2] in chosen]


def ceiling_notice(shown: int, total: int, arrows: int, all_arrows: int) -> dict[str, Any]:
    """What the page says above a capped whole-web drawing: how many of how many concepts and
    arrows it shows, chosen how, and where the others are (the explorer's tabs and the API's
    routes)."""
    if shown < total:
        text = (
            f"Showing {shown:,} of {total:,} concepts: the {shown:,} with the most records "
            "(CMOCs and stated links) behind their arrows"
        )
    else:
        text = f"Showing all {total:,} concepts"
    if arrows < all_arrows:
        text += f", and the {arrows:,} of the {all_arrows:,} arrows among them with the most records."
    else:
        text += f", and the {arrows:,} arrows among them."
    text += (
        " The filters beside the drawing act on these only. To see the others: open a "
        "concept's neighbourhood (the Neighbourhood tab, or GET viz/neighbourhood/{concept}), "
        "trace chains between two concepts (the Chains tab, or GET viz/chains?from=…&to=…), "
        "narrow the whole web with GET viz/web?group=…, phase=… or min_sources=… (the top "
        "concepts of what the filter leaves), or change how much it draws with "
        f"?view=web&max_concepts=… (GET viz/web?max_concepts=…, up to {MAX_CONCEPTS_LIMIT:,}; "
        f"max_arrows=…, up to {MAX_ARROWS_LIMIT:,})."
    )
    return {"shown": shown, "total": total, "arrows": arrows, "all_arrows": all_arrows, "text": text}


def capped(web: CausalWeb, candidates: list[str], limit: int) -> list[str]:
    """``candidates`` in their order, cut to the :func:`top_concepts` if there are more than
    ``limit`` of them."""
    if len(candidates) <= limit:
        return candidates
    chosen = set(top_concepts(web, candidates, limit))
    return [n for n in candidates if n in chosen]
