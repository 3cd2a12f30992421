"""The causal web in other tools' formats: GraphML and GEXF (Gephi, Cytoscape desktop),
Cytoscape.js JSON, a Causal Map links table (CSV) and Graphviz DOT."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import networkx as nx

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

VALENCE_COLOURS = {"+": "#1b7837", "-": "#b2182b", "mixed": "#e08214", "unspecified": "#7f7f7f"}


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
            n_bases=evidence["bases"],
        )
    for u, v, key, data in web.graph.edges(keys=True, data=True):
        flat.add_edge(
            u,
            v,
            key=key,
            valence=data["valence"],
            cmocs=_join(data["cmocs"]),
            links=_join(data["links"]),
            sources=_join(data["sources"]),
            phases=_join(data["phases"]),
            n_cmocs=len(data["cmocs"]),
            n_sources=len(data["sources"]),
            bases=_join(data["bases"]),
            n_bases=len(data["bases"]),
        )
    return flat


def to_graphml(web: CausalWeb) -> str:
    return "\n".join(nx.generate_graphml(flat_graph(web))) + "\n"


def to_gexf(web: CausalWeb) -> str:
    return "\n".join(nx.generate_gexf(flat_graph(web))) + "\n"


def to_cytoscape_json(web: CausalWeb) -> str:
    """Cytoscape.js ``{"elements": {"nodes": [...], "edges": [...]}}``, one edge per valence."""
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
                "valence": d["valence"],
                "cmocs": sorted(d["cmocs"]),
                "links": sorted(d["links"]),
                "sources": sorted(d["sources"]),
                "bases": sorted(d["bases"]),
                "phases": sorted(d["phases"]),
            }
        }
        for u, v, k, d in web.graph.edges(keys=True, data=True)
    ]
    return json.dumps({"elements": {"nodes": nodes, "edges": edges}}, indent=1, ensure_ascii=False)


_SENTIMENT = {"+": "1", "-": "-1", "unspecified": "0"}


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
                        _SENTIMENT[item.valence],
                        item.record,
                        item.citation,
                        f"#{item.phase}",
                    ]
                )
    writer.writerows(sorted(rows))
    return out.getvalue()


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(web: CausalWeb) -> str:
    """Graphviz DOT of the aggregated web: edges coloured by valence, width by evidence bases."""
    view = web.aggregated()
    lines = [
        "digraph causal_web {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f7f7f7", fontname="DejaVu Sans"];',
    ]
    for node, data in sorted(view.nodes(data=True)):
        lines.append(f"  {_dot_id(node)} [label={_dot_id(data.get('label', node))}];")
    for u, v, data in sorted(view.edges(data=True), key=lambda e: (e[0], e[1])):
        colour = VALENCE_COLOURS.get(data["valence"], VALENCE_COLOURS["unspecified"])
        width = 1 + data["evidence_bases"]
        counts = data["valence_counts"]
        label = f"+{counts['+']} −{counts['-']} ?{counts['unspecified']}"
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
