"""Every graph export is checked in its target tool or reader."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from conftest import run_cli

from causal_web.web.formats import (
    CAUSAL_MAP_SHEETS,
    VALENCE_COLOURS,
    to_causal_map_csv,
    to_causal_map_xlsx,
    to_cytoscape_json,
    to_dot,
    to_gexf,
    to_graphml,
)

GEXF_XSD = Path(__file__).resolve().parent / "data" / "gexf-1.3" / "gexf.xsd"


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


def test_causal_map_csv_is_the_links_sheet(kb):
    rows = list(csv.DictReader(io.StringIO(to_causal_map_csv(kb.web))))
    assert rows and list(rows[0]) == CAUSAL_MAP_SHEETS["links"]
    labels = {n: d["label"] for n, d in kb.web.graph.nodes(data=True)}
    hit = [r for r in rows if r["statement_id"] == "R21-016" and r["to_label"] == labels["trust"]]
    assert hit and hit[0]["from_label"] == labels["conflict"]
    # R21-016: mechanism "Reduced conflict", outcome "Enhanced trust", both as published
    if not getattr(kb.cmocs["R21-016"], "statement", ""):
        assert hit[0]["quote"] == "Reduced conflict. Outcome: Enhanced trust"
    assert hit[0]["sentiment"] == "-1"


def _sheet(workbook, name: str) -> list[dict]:
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_causal_map_workbook_has_links_statements_and_sources(kb, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "causal-map.xlsx"
    path.write_bytes(to_causal_map_xlsx(kb.web))
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["links", "statements", "sources"]
    links, statements, sources = (_sheet(workbook, n) for n in workbook.sheetnames)
    assert list(links[0]) == CAUSAL_MAP_SHEETS["links"]
    assert list(statements[0]) == CAUSAL_MAP_SHEETS["statements"]
    by_id = {s["statement_id"]: s for s in statements}
    assert len(by_id) == len(statements)
    source_ids = {s["source_id"] for s in sources}
    # every link names a statement, every statement a source, and each quote is a verbatim
    # part of its statement's text
    for link in links:
        statement = by_id[link["statement_id"]]
        assert statement["source_id"] in source_ids
        assert link["quote"] and link["quote"] in statement["text"], link
    r21 = by_id["R21-016"]
    published = getattr(kb.cmocs["R21-016"], "statement", "")
    built = "Context: Shared vision. Mechanism: Reduced conflict. Outcome: Enhanced trust."
    assert r21["text"] == (published or built)
    assert r21["source_id"] == "aunger-2021-review"
    review = next(s for s in sources if s["source_id"] == "aunger-2021-review")
    assert review["year"] == "2021" and review["doi"].startswith("10.1186/")


def test_gexf_validates_against_the_gexf_1_3_schema(kb):
    import xmlschema

    schema = xmlschema.XMLSchema(str(GEXF_XSD))
    text = to_gexf(kb.web)
    errors = list(schema.iter_errors(text))
    assert not errors, errors[:3]
    # the schema is strict enough to catch what the export used to write
    assert not schema.is_valid(text.replace('version="1.3"', 'version="1.2"'))
    assert not schema.is_valid(text.replace("<graph ", '<graph name="" ', 1))
    assert not schema.is_valid("\n".join(nx.generate_gexf(nx.path_graph(3))))


def test_list_attributes_are_joined_text_plus_a_count(kb, tmp_path):
    path = tmp_path / "web.gexf"
    path.write_text(to_gexf(kb.web))
    back = nx.read_gexf(path)
    data = next(d for u, v, d in back.edges(data=True) if (u, v) == ("conflict", "trust"))
    assert "R21-016" in data["cmocs"].split(";")
    assert data["n_cmocs"] == len(data["cmocs"].split(";"))
    assert data["n_evidence"] >= data["n_cmocs"]  # records are counted, not written


def test_flat_attributes_of_any_shape():
    from dataclasses import dataclass

    from causal_web.model.records import Valence
    from causal_web.web.formats import _flat_attributes

    @dataclass
    class Record:
        id: str

    flat = _flat_attributes(
        {
            "sign": Valence.NEGATIVE,
            "cmocs": ["b", "a"],
            "phases": {"x"},
            "valence": {"+": 2, "-": 0},
            "evidence": [Record("a")],
            "weight": 1.5,
            "note": None,
        }
    )
    assert flat == {
        "sign": "-",
        "cmocs": "a;b",
        "n_cmocs": 2,
        "phases": "x",
        "n_phases": 1,
        "valence_+": 2,
        "valence_-": 0,
        "n_evidence": 1,
        "weight": 1.5,
    }


def test_igraph_reads_the_graphml(kb, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = tmp_path / "web.graphml"
    path.write_text(to_graphml(kb.web))
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.vcount() == kb.web.graph.number_of_nodes()
    assert graph.ecount() == kb.web.graph.number_of_edges()
    assert graph.is_directed()
    ids = graph.vs["id"]
    edge = next(
        e for e in graph.es if (ids[e.source], ids[e.target]) == ("conflict", "trust") and e["valence"] == "-"
    )
    assert "R21-016" in edge["cmocs"].split(";")
    assert edge["n_cmocs"] == len(edge["cmocs"].split(";"))
    assert graph.vs[ids.index("trust")]["label"] == "Trust"


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


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_dot_holds_the_aggregated_web(kb, tmp_path):
    dot_file = tmp_path / "web.dot"
    dot_file.write_text(to_dot(kb.web))
    run = subprocess.run(["dot", "-Tjson", str(dot_file)], capture_output=True, check=True, timeout=60)
    drawn = json.loads(run.stdout)
    view = kb.web.aggregated()
    nodes = {o["name"]: o for o in drawn["objects"]}
    assert set(nodes) == set(view.nodes)
    assert nodes["trust"]["label"] == "Trust"
    names = [o["name"] for o in drawn["objects"]]
    edges = {(names[e["tail"]], names[e["head"]]): e for e in drawn["edges"]}
    assert set(edges) == set(view.edges)
    data = view.edges["conflict", "trust"]
    edge = edges["conflict", "trust"]
    # six R21 rows give -, B21-L05 gives no direction: "+0 −6 ?1", drawn in the negative colour
    assert edge["label"] == "+0 −6 ?1"
    assert edge["color"] == VALENCE_COLOURS["-"] == VALENCE_COLOURS[data["valence"]]


def test_cli_export_graph_formats(tmp_path):
    for fmt in ("graphml", "gexf", "cytoscape", "csv", "causal-map", "dot"):
        out = tmp_path / f"web.{fmt}"
        result = run_cli("export", "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 1000
