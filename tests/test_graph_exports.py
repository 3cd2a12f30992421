"""Every graph export is checked in its target tool or reader."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import run_cli

from causal_web.web.formats import to_causal_map_csv, to_cytoscape_json, to_dot, to_gexf, to_graphml


def _edges(graph) -> set:
    return {(u, v, k) for u, v, k in graph.edges(keys=True)}


def test_graphml_reads_back_with_the_same_nodes_and_edges(kb, tmp_path):
    path = tmp_path / "web.graphml"
    path.write_text(to_graphml(kb.web))
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(kb.web.graph.nodes)
    assert _edges(back) == _edges(kb.web.graph)
    data = back.edges["conflict", "trust", "-"]
    assert "R21-016" in data["cmocs"].split(";")


def test_gexf_reads_back_with_the_same_nodes_and_edges(kb, tmp_path):
    path = tmp_path / "web.gexf"
    path.write_text(to_gexf(kb.web))
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(kb.web.graph.nodes)
    pairs = {(u, v) for u, v, _k in kb.web.graph.edges(keys=True)}
    assert {(u, v) for u, v in back.edges()} == pairs
    assert back.number_of_edges() == kb.web.graph.number_of_edges()


def test_cytoscape_json_has_valid_elements(kb):
    data = json.loads(to_cytoscape_json(kb.web))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = {n["data"]["id"] for n in nodes}
    assert len(ids) == len(nodes) == kb.web.graph.number_of_nodes()
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(set(edge_ids)) == len(edges) == kb.web.graph.number_of_edges()
    for edge in edges:
        assert edge["data"]["source"] in ids and edge["data"]["target"] in ids
        assert edge["data"]["valence"] in {"+", "-", "unspecified"}


def test_causal_map_csv_links_layout(kb):
    rows = list(csv.DictReader(io.StringIO(to_causal_map_csv(kb.web))))
    assert rows and set(rows[0]) >= {"from_label", "to_label", "source_id", "quote"}
    labels = {n: d["label"] for n, d in kb.web.graph.nodes(data=True)}
    hit = [r for r in rows if r["statement_id"] == "R21-016" and r["to_label"] == labels["trust"]]
    assert hit and hit[0]["from_label"] == labels["conflict"]
    assert hit[0]["quote"] == "Reduced conflict → Enhanced trust"
    assert hit[0]["source_id"] == "aunger-2021-review"


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (scripts/test.sh installs it)"
)
def test_dot_renders_to_svg_with_graphviz(kb, tmp_path):
    dot_file = tmp_path / "web.dot"
    dot_file.write_text(to_dot(kb.web))
    svg = subprocess.run(["dot", "-Tsvg", str(dot_file)], capture_output=True, check=True, timeout=60).stdout
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = svg.decode()
    assert "Perception of progress" in text and "Trust" in text


def test_cli_export_graph_formats(tmp_path):
    for fmt in ("graphml", "gexf", "cytoscape", "csv", "dot"):
        out = tmp_path / f"web.{fmt}"
        result = run_cli("export", "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 1000
