"""The causal web in other tools' formats: GraphML and GEXF 1.3 (Gephi, Cytoscape desktop,
igraph), Cytoscape.js JSON, a Causal Map workbook (XLSX) or its links table (CSV), and Graphviz
DOT.

GraphML and GEXF carry only scalar attributes, so :func:`flat_graph` writes every list- or
set-valued attribute as one ``;``-joined string (sorted) plus an ``n_<name>`` count, which
Gephi, igraph and networkx all read as a plain string and an integer; a mapping of scalars
becomes one ``<name>_<key>`` attribute per key. An attribute holding records rather than
values (an edge's evidence) is written as its count only.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import is_dataclass
from enum import Enum

import networkx as nx

from causal_web.cells import escape_row
from causal_web.web.graph import CausalWeb

__all__ = [
    "CAUSAL_MAP_SHEETS",
    "GEXF_NAMESPACE",
    "RENDERERS",
    "causal_map_tables",
    "flat_graph",
    "to_causal_map_csv",
    "to_causal_map_xlsx",
    "to_cytoscape_json",
    "to_dot",
    "to_gexf",
    "to_graphml",
]

VALENCE_COLOURS = {"+": "#1b7837", "-": "#b2182b", "mixed": "#e08214", "unspecified": "#7f7f7f"}
GEXF_NAMESPACE = "http://gexf.net/1.3"
_GEXF_VIZ_NAMESPACE = "http://gexf.net/1.3/viz"
_SCALARS = (str, int, float, bool)


def _scalar(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _flat_attributes(data: dict) -> dict[str, object]:
    """Scalars as they are; a collection of scalars as ';'-joined text plus its count; a
    collection of records as its count only."""
    flat: dict[str, object] = {}
    for name, value in data.items():
        value = _scalar(value)
        if value is None:
            continue
        if isinstance(value, _SCALARS):
            flat[name] = value
        elif isinstance(value, list | tuple | set | frozenset):
            items = [_scalar(v) for v in value]
            if all(isinstance(v, _SCALARS) for v in items):
                flat[name] = ";".join(sorted(str(v) for v in items))
            flat[f"n_{name}"] = len(items)
        elif isinstance(value, Mapping):
            # e.g. counts by valence: one attribute per key, {"+": 2} -> valence_+ = 2
            for key, item in value.items():
                item = _scalar(item)
                if isinstance(item, _SCALARS):
                    flat[f"{name}_{key}"] = item
        elif is_dataclass(value):
            continue
        else:
            flat[name] = str(value)
    return flat


def flat_graph(web: CausalWeb) -> nx.MultiDiGraph:
    """The web with scalar attributes only, as GraphML and GEXF need (see the module docstring)."""
    flat = nx.MultiDiGraph()
    for node, data in web.graph.nodes(data=True):
        evidence = web.concept_evidence(node)
        flat.add_node(
            node,
            **{
                **_flat_attributes(data),
                "label": data.get("label", node),
                "group": data.get("group") or "",
                "role": data.get("role") or "",
                "n_cmocs": evidence["cmocs"],
                "n_sources": evidence["sources"],
                "n_bases": evidence["bases"],
            },
        )
    for u, v, key, data in web.graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_flat_attributes(data))
    return flat


def to_graphml(web: CausalWeb) -> str:
    return "\n".join(nx.generate_graphml(flat_graph(web))) + "\n"


def _to_gexf_1_3(text: str) -> str:
    """networkx writes GEXF 1.2draft: move it to the 1.3 namespaces and version, and drop the
    empty graph name that the schema does not allow."""
    root = ET.fromstring(text)  # noqa: S314 - networkx output written just above, not outside input
    old = root.tag[1:].split("}", 1)[0]
    viz = old.replace("1.2draft", "1.2draft/viz")
    ET.register_namespace("", GEXF_NAMESPACE)
    ET.register_namespace("viz", _GEXF_VIZ_NAMESPACE)
    for element in root.iter():
        if element.tag.startswith("{" + viz + "}"):
            element.tag = "{" + _GEXF_VIZ_NAMESPACE + "}" + element.tag.split("}", 1)[1]
        elif element.tag.startswith("{" + old + "}"):
            element.tag = "{" + GEXF_NAMESPACE + "}" + element.tag.split("}", 1)[1]
        for name in [
            n for n in element.attrib if n.startswith("{http://www.w3.org/2001/XMLSchema-instance}")
        ]:
            del element.attrib[name]
    root.set("version", "1.3")
    graph = root.find(f"{{{GEXF_NAMESPACE}}}graph")
    if graph is not None and not graph.get("name"):
        graph.attrib.pop("name", None)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_gexf(web: CausalWeb) -> str:
    """GEXF 1.3 (it validates against the 1.3 schema; see tests/data/gexf-1.3/)."""
    return _to_gexf_1_3("\n".join(nx.generate_gexf(flat_graph(web))))


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


# Causal Map's sheets (its "standard format" upload) and their columns, in order.
CAUSAL_MAP_SHEETS = {
    "links": ["from_label", "to_label", "statement_id", "quote", "sentiment", "link_memo", "hashtags"],
    "statements": ["statement_id", "text", "source_id", "record", "phase"],
    "sources": ["source_id", "title", "authors", "year", "venue", "doi", "kind"],
}
_SENTIMENT = {"+": 1, "-": -1, "unspecified": 0}
_SLOT_TITLES = (
    ("intervention", "Intervention"),
    ("context", "Context"),
    ("actor", "For whom"),
    ("mechanism", "Mechanism"),
    ("mechanism_resource", "Mechanism resource"),
    ("mechanism_response", "Mechanism response"),
    ("outcome", "Outcome"),
)


def _part_labels(value: object) -> list[str]:
    parts = getattr(value, "parts", value)
    if not isinstance(parts, list | tuple):
        parts = [parts] if parts else []
    labels = [getattr(p, "label", None) or getattr(p, "text", None) or "" for p in parts]
    return [label for label in labels if label]


def _statement_text(web: CausalWeb, record_id: str) -> str:
    """The record's statement as published, or else its published labels, slot by slot."""
    dataset = web.dataset
    record = dataset.cmocs.get(record_id) or dataset.links.get(record_id)
    if record is None:
        return ""
    published = getattr(record, "statement", "") or ""
    if published:
        return published
    if record_id in dataset.links:
        ends = [
            (title, _part_labels(getattr(record, attr, None)))
            for attr, title in (("source", "Cause"), ("target", "Effect"))
        ]
    else:
        ends = [(title, _part_labels(getattr(record, attr, None))) for attr, title in _SLOT_TITLES]
    return " ".join(f"{title}: {'; '.join(labels)}." for title, labels in ends if labels)


def _quote(text: str, cause: str, effect: str) -> str:
    """The span of ``text`` from the cause's label to the effect's, else the effect's label,
    else nothing: always verbatim text of the statement."""
    start = text.find(cause) if cause else -1
    end = text.find(effect, start + len(cause)) if start >= 0 and effect else -1
    if start >= 0 and end >= 0:
        return text[start : end + len(effect)]
    if effect and effect in text:
        return effect
    return ""


def causal_map_tables(web: CausalWeb) -> dict[str, list[list[object]]]:
    """Causal Map's links, statements and sources tables (header row first).

    A statement is one record as one source gives it (``R21-016``, or ``E22-001@source`` when a
    record cites several sources); its text is the record's statement as published, or else
    its published labels. Each link's quote is verbatim text of its statement.
    """
    labels = {n: d.get("label", n) for n, d in web.graph.nodes(data=True)}
    links, statements = [], {}
    for u, v, data in web.graph.edges(data=True):
        for item in data["evidence"]:
            text = _statement_text(web, item.record)
            for source in item.sources:
                statement_id = item.record if len(item.sources) == 1 else f"{item.record}@{source}"
                statements[statement_id] = [statement_id, text, source, item.record, item.phase]
                links.append(
                    [
                        labels[u],
                        labels[v],
                        statement_id,
                        _quote(text, item.cause_label, item.effect_label),
                        _SENTIMENT[item.valence],
                        item.citation,
                        f"#{item.phase}",
                    ]
                )
    cited = {row[2] for row in statements.values()}
    sources = [
        [s.id, s.title, s.authors, s.year, s.venue, s.doi, s.kind]
        for s in web.dataset.sources.values()
        if s.id in cited
    ]
    return {
        "links": [CAUSAL_MAP_SHEETS["links"], *sorted(links, key=lambda r: [str(c) for c in r])],
        "statements": [CAUSAL_MAP_SHEETS["statements"], *sorted(statements.values())],
        "sources": [CAUSAL_MAP_SHEETS["sources"], *sorted(sources)],
    }


def to_causal_map_xlsx(web: CausalWeb) -> bytes:
    """A workbook for Causal Map's upload: sheets ``links``, ``statements`` and ``sources``."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in causal_map_tables(web).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(escape_row(row))  # no formulas: see causal_web.cells
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_causal_map_csv(web: CausalWeb) -> str:
    """The links sheet of the Causal Map workbook, as CSV."""
    out = io.StringIO()
    rows = causal_map_tables(web)["links"]
    csv.writer(out, lineterminator="\n").writerows(escape_row(row) for row in rows)  # see causal_web.cells
    return out.getvalue()


def to_dot(web: CausalWeb) -> str:
    """Graphviz DOT of the aggregated web: edges coloured by valence, width by evidence bases."""
    import graphviz

    view = web.aggregated()
    dot = graphviz.Digraph(
        "causal_web",
        graph_attr={"rankdir": "LR"},
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": "#f7f7f7",
            "fontname": "DejaVu Sans",
        },
    )
    for node, data in sorted(view.nodes(data=True)):
        dot.node(node, label=str(data.get("label", node)))
    for u, v, data in sorted(view.edges(data=True), key=lambda e: (e[0], e[1])):
        counts = data["valence_counts"]
        dot.edge(
            u,
            v,
            color=VALENCE_COLOURS.get(data["valence"], VALENCE_COLOURS["unspecified"]),
            penwidth=str(1 + data["evidence_bases"]),
            label=f"+{counts['+']} −{counts['-']} ?{counts['unspecified']}",
        )
    return dot.source


RENDERERS: dict[str, Callable[[CausalWeb], str | bytes]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "cytoscape": to_cytoscape_json,
    "csv": to_causal_map_csv,
    "causal-map": to_causal_map_xlsx,
    "dot": to_dot,
}
