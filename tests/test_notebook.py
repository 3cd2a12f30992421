"""Notebooks: graphs with JSON attributes, HTML views, kb.sparql, and docs/notebook.ipynb run
with nbclient on a real kernel."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import networkx as nx
import pytest
from pyvis.network import Network

from causal_web.notebook import html_view, json_safe, json_safe_graph
from causal_web.web.chains import trace_chains

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebook.ipynb"


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Item:
    name: str
    tags: frozenset
    colour: Colour


def test_json_safe_converts_whatever_it_is_given():
    value = {"items": [Item("a", frozenset({"y", "x"}), Colour.RED)], "pair": (1, 2), 3: {"b", "a"}}
    assert json_safe(value) == {
        "items": [{"name": "a", "tags": ["x", "y"], "colour": "red"}],
        "pair": [1, 2],
        "3": ["a", "b"],
    }


def test_pyvis_takes_kb_graph(kb):
    net = Network(directed=True)
    net.from_nx(kb.graph)
    assert len(net.nodes) == kb.graph.number_of_nodes()
    json.dumps(net.nodes), json.dumps(net.edges)  # what pyvis writes into its page


@pytest.mark.parametrize("which", ["graph", "aggregated"])
def test_every_graph_of_the_web_converts_to_json(kb, which):
    graph = kb.web.aggregated() if which == "aggregated" else getattr(kb.web, which)
    safe = json_safe_graph(graph)
    assert type(safe) is type(graph)
    assert safe.number_of_nodes() == graph.number_of_nodes()
    assert safe.number_of_edges() == graph.number_of_edges()
    text = json.dumps(nx.node_link_data(safe, edges="links"))
    back = nx.node_link_graph(json.loads(text), edges="links")
    assert back.number_of_edges() == graph.number_of_edges()


def test_kb_graph_keeps_the_evidence_as_data(kb):
    edge = kb.graph.edges["conflict", "trust", "-"]
    assert "R21-016" in edge["cmocs"]
    assert isinstance(edge["sources"], list) and edge["sources"] == sorted(edge["sources"])
    records = [item["record"] for item in edge["evidence"]]
    assert "R21-016" in records
    json.dumps(nx.node_link_data(kb.graph, edges="links"))


def test_html_views_are_escaped(kb):
    html = html_view({"note": "<script>x</script>"}, "A <title>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "A &lt;title&gt;" in html
    cmoc = kb.cmocs["R21-016"]._repr_html_()
    assert "CMOC R21-016" in cmoc and "Enhanced trust" in cmoc
    concept = kb.dataset.concepts["trust"]._repr_html_()
    assert "Concept trust" in concept and "Trust" in concept
    chains = trace_chains(kb.web, "shared-vision", "trust", limit=2)._repr_html_()
    assert "Chains from shared-vision" in chains and "shared-vision" in chains
    summary = kb._repr_html_()
    assert f"<td>{len(kb.cmocs)}</td>" in summary and kb.base_iri in summary


def test_kb_sparql_sees_the_union_of_the_graphs(kb):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/causal-web/ns#CMOC> }"
    assert kb.sparql(query) == [{"n": len(kb.cmocs)}]
    # the store's own default graph is empty: every triple is in a named graph
    assert next(iter(kb.store.query(query)))["n"].value == "0"
    assert kb.sparql("ASK { ?s ?p ?o }") is True
    triples = kb.sparql(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{kb.iris.cmoc('R21-016')}>) }}"
    )
    assert triples and all(t.subject.value == kb.iris.cmoc("R21-016") for t in triples)


@pytest.mark.slow
def test_the_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "data" in o and "text/html" in o["data"]]
    assert any("causal-web knowledge base" in h for h in html)
    assert any("CMOC R21-016" in h for h in html)
    assert any("Chains from shared-vision" in h for h in html)
