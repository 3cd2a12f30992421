"""What a Jupyter notebook needs from the library: graphs with JSON values, and HTML views.

* :func:`json_safe` turns any attribute value into plain JSON data, whatever it holds:
  dataclasses become dicts, sets sorted lists, tuples lists, enums their values. The
  conversion knows nothing of the model, so new attributes convert too.
* :func:`json_safe_graph` copies a networkx graph with every graph, node and edge attribute
  converted, so ``pyvis.network.Network().from_nx(g)`` and
  ``json.dumps(networkx.node_link_data(g))`` work. ``KnowledgeBase.graph`` is such a copy.
* :func:`html_view` renders a record, a concept, a chain result or a knowledge base as a small
  escaped HTML table; their ``_repr_html_`` methods delegate to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from html import escape
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["html_view", "json_safe", "json_safe_graph", "knowledge_base_html"]

_PLAIN = (str, int, float, bool, type(None))


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON data (str, int, float, bool, None, list, dict with str keys)."""
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(json_safe(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a NamedTuple such as EdgeEvidence
        return json_safe(value._asdict())
    if isinstance(value, set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=lambda v: (type(v).__name__, str(v)))
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return json_safe(to_dict())
    return str(value)


def json_safe_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` (same class, nodes, edges and keys) whose attributes are JSON data."""
    safe = graph.__class__()
    safe.graph.update(json_safe(dict(graph.graph)))
    safe.add_nodes_from((node, json_safe(dict(data))) for node, data in graph.nodes(data=True))
    if graph.is_multigraph():
        safe.add_edges_from(
            (u, v, key, json_safe(dict(data))) for u, v, key, data in graph.edges(keys=True, data=True)
        )
    else:
        safe.add_edges_from((u, v, json_safe(dict(data))) for u, v, data in graph.edges(data=True))
    return safe


_STYLE = (
    "<style>.cw-view table{border-collapse:collapse} .cw-view th,.cw-view td{text-align:left;"
    "vertical-align:top;padding:2px 8px;border-bottom:1px solid #ddd} .cw-view th{font-weight:600}"
    "</style>"
)


def _cell(value: Any, depth: int = 0) -> str:
    """One value as HTML: scalars as text, lists one per line, dicts and records as tables."""
    value = json_safe(value)
    if isinstance(value, dict):
        if depth > 3:
            return escape(str(value))
        rows = "".join(
            f"<tr><th>{escape(str(k))}</th><td>{_cell(v, depth + 1)}</td></tr>"
            for k, v in value.items()
            if v not in (None, "", [], {})
        )
        return f"<table>{rows}</table>"
    if isinstance(value, list):
        return "<br>".join(_cell(item, depth + 1) for item in value)
    return escape(str(value))


def html_view(value: Any, title: str) -> str:
    """``value`` (a dataclass, a dict or anything with ``to_dict``) as an escaped HTML table."""
    return f'<div class="cw-view">{_STYLE}<strong>{escape(title)}</strong>{_cell(value)}</div>'


def knowledge_base_html(kb: KnowledgeBase) -> str:
    """A knowledge base's summary: where it came from, its counts and its base IRI."""
    dataset = kb.dataset
    summary = {
        "data": str(kb.data_dir) if kb.data_dir else "(in memory)",
        "base IRI": kb.base_iri,
        "CMOCs": len(dataset.cmocs),
        "concepts": len(dataset.concepts),
        "sources": len(dataset.sources),
        "phases": ", ".join(sorted(dataset.phases)),
        "stated links": len(dataset.links),
    }
    return html_view(summary, "causal-web knowledge base")
