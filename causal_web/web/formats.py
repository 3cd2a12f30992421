"""The causal web in other tools' formats: GraphML and GEXF (Gephi, Cytoscape desktop),
Cytoscape.js JSON, a Causal Map links table (CSV) and Graphviz DOT."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import networkx as nx

from causal_web.cells import escape_row
from causal_web.web.graph import CausalWeb

__all__ = [
    "RENDERERS",
    "flat_graph",
    "to_causal_map_csv",
    "to_cytoscape_json",
    "to_dot",
    "to_gexf",
    "to_graphml",
]

SIGN_COLOURS = {"+": "#1b7837", "-": "#b2182b", "?": "#7f7f7f"}


def _join(values: object) -> str:
    return ";".join(sorted(str(v) for v in values))  # type: ignore[union-attr]


def flat_graph(web: CausalWeb) -> nx.MultiDiGraph:
    """The web with list and set attributes flattened to ';'-joined text, as GraphML and GEXF need."""
    flat = nx.MultiDiGraph()
    for node, data in web.graph.nodes(data=True):
        evidence = web.concept_evidence(node)
        flat.add_node(
            node,
            label=data.get("label", node),
            group=data.get("group", ""),
            role=data.get("role", ""),
            n_cmocs=evidence["cmocs"],
            n_sources=evidence["sources"],
        )
    for u, v, key, data in web.graph.edges(keys=True, data=True):
        flat.add_edge(
            u,
            v,
            key=key,
            sign=data["sign"],
            cmocs=_join(data["cmocs"]),
            links=_join(data["links"]),
            sources=_join(data["sources"]),
            phases=_join(data["phases"]),
            n_cmocs=len(data["cmocs"]),
            n_sources=len(data["sources"]),
        )
    return flat


def to_graphml(web: CausalWeb) -> str:
    return "\n".join(nx.generate_graphml(flat_graph(web))) + "\n"


def to_gexf(web: CausalWeb) -> str:
    return "\n".join(nx.generate_gexf(flat_graph(web))) + "\n"


def to_cytoscape_json(web: CausalWeb) -> str:
    """Cytoscape.js ``{"elements": {"nodes": [...], "edges": [...]}}``, one edge per sign."""
    nodes = [
        {
            "data": {
                "id": n,
                "label": d.get("label", n),
                "group": d.get("group", ""),
                "role": d.get("role", ""),
                **web.concept_evidence(n),
            }
        }
        for n, d in web.graph.nodes(data=True)
    ]
    edges = [
        {
            "data": {
                "id": f"{u}->{v}:{k}",
                "source": u,
                "target": v,
                "sign": d["sign"],
                "cmocs": sorted(d["cmocs"]),
                "links": sorted(d["links"]),
                "sources": sorted(d["sources"]),
                "phases": sorted(d["phases"]),
            }
        }
        for u, v, k, d in web.graph.edges(keys=True, data=True)
    ]
    return json.dumps({"elements": {"nodes": nodes, "edges": edges}}, indent=1, ensure_ascii=False)


_SENTIMENT = {"+": "1", "-": "-1", "?": "0"}


def to_causal_map_csv(web: CausalWeb) -> str:
    """Causal Map's links layout: one row per claim (record and source), factor labels as
    from/to, the published labels as the quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["from_label", "to_label", "source_id", "quote", "sentiment", "statement_id", "link_memo", "hashtags"]
    )
    labels = {n: d.get("label", n) for n, d in web.graph.nodes(data=True)}
    rows = []
    for u, v, data in web.graph.edges(data=True):
        for item in data["evidence"]:
            for source in item.sources:
                rows.append(
                    [
                        labels[u],
                        labels[v],
                        source,
                        f"{item.cause_label} → {item.effect_label}",
                        _SENTIMENT[item.sign.value],
                        item.record,
                        item.citation,
                        f"#{item.phase}",
                    ]
                )
    writer.writerows(escape_row(row) for row in sorted(rows))  # no formulas: see causal_web.cells
    return out.getvalue()


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(web: CausalWeb) -> str:
    """Graphviz DOT of the aggregated web: edges coloured by sign, width by distinct sources."""
    view = web.aggregated()
    lines = [
        "digraph causal_web {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f7f7f7", fontname="DejaVu Sans"];',
    ]
    for node, data in sorted(view.nodes(data=True)):
        lines.append(f"  {_dot_id(node)} [label={_dot_id(data.get('label', node))}];")
    for u, v, data in sorted(view.edges(data=True), key=lambda e: (e[0], e[1])):
        colour = SIGN_COLOURS.get(data["sign"], SIGN_COLOURS["?"])
        width = 1 + data["n_sources"]
        label = f"{data['sign']} ({data['n_cmocs'] + len(data['links'])})"
        lines.append(
            f"  {_dot_id(u)} -> {_dot_id(v)} [color={_dot_id(colour)}, penwidth={width}, "
            f"label={_dot_id(label)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[CausalWeb], str]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "cytoscape": to_cytoscape_json,
    "csv": to_causal_map_csv,
    "dot": to_dot,
}
