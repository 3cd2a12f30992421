"""The per-web views serving needs, derived when an index is built so that they are pickled with
it: ``serve --index`` then answers the first request of their routes without deriving them.

:data:`SERVING_VIEWS` names them in one place; :func:`warm_views` derives each of them for the
knowledge base and for each review of a review set. A knowledge base loaded from YAML (``serve
--data``) still derives them on first use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["SERVING_VIEWS", "ServingView", "warm_views"]


def _guidance(kb: KnowledgeBase) -> None:
    """The guidance files read and checked, and the action prompts derived from every CMOC
    (``/guidance`` and ``POST /diagnostic``; about 18 s of CPU at 50,000 CMOCs when lazy)."""
    from causal_web.guidance.query import guidance_of

    _ = guidance_of(kb).prompts


def _graph_sizes(kb: KnowledgeBase) -> None:
    """The triples of each named graph of the store (the ``/sparql`` service description;
    about 4 s of CPU at 50,000 CMOCs when lazy)."""
    from causal_web.rdf.service_description import kept_graph_sizes

    kept_graph_sizes(kb)


class ServingView(NamedTuple):
    derive: Callable[[KnowledgeBase], None]
    """Derives the view and keeps it on the knowledge base it is given."""
    per_review: bool
    """Whether each review of a review set needs its own (routes with ``review=``)."""


SERVING_VIEWS: dict[str, ServingView] = {
    "guidance": ServingView(_guidance, per_review=True),
    "graph sizes": ServingView(_graph_sizes, per_review=False),  # one store for all reviews
}
"""Every per-web view serving needs, by name."""


def warm_views(kb: KnowledgeBase) -> dict[str, float]:
    """Derive every view of :data:`SERVING_VIEWS` on ``kb`` (and, for those that need it, on each
    review's own knowledge base); return the seconds each view took. ``kb.store`` is counted: at
    build time it must be the index's store."""
    reviews = [review.kb for review in getattr(kb, "reviews", {}).values()]
    took: dict[str, float] = {}
    for name, view in SERVING_VIEWS.items():
        started = time.perf_counter()
        for one in [kb, *reviews] if view.per_review else [kb]:
            view.derive(one)
        took[name] = time.perf_counter() - started
    return took
