"""The explorer's drawings read the compact web: drawing never builds the networkx view.

Expected values come from the bundled records: R21-021 (existing successful collaborations
enable better initial trust, which generates greater ambition) and R21-022 (legal agreements
enable greater initial trust, which generates a greater risk threshold), and the four stated
links that name trust (E22-L04, B21-L05, B21-L07, S22-L01).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import causal_web
from causal_web.viz.network import neighbourhood_network, traced_chains_network, web_network
from causal_web.web.graph import build_web


@pytest.fixture(scope="module")
def kb():
    return causal_web.load()


@pytest.fixture
def fresh(kb):
    """A web built now, so no earlier test has built its networkx view."""
    web = build_web(kb.dataset)
    assert web._graph is None
    return web


def test_drawing_a_neighbourhood_and_chains_leaves_the_networkx_view_unbuilt(fresh):
    hood = neighbourhood_network(fresh, "initial-trust")
    assert set(hood.node_ids) == {
        "initial-trust",
        "existing-successful-collaborations",
        "legal-agreements",
        "ambition",
        "risk-threshold",
    }
    chains = traced_chains_network(fresh, "legal-agreements", "risk-threshold", max_hops=2)
    assert [c["passes_through"] for c in chains.chains["chains"]] == [
        ["legal-agreements", "initial-trust", "risk-threshold"]
    ]
    whole = traced_chains_network(fresh, "legal-agreements", "risk-threshold", max_hops=2, whole_web=True)
    assert len(whole.node_ids) == len(fresh.dataset.concepts)
    assert fresh._graph is None


def test_drawing_the_whole_web_leaves_the_networkx_view_unbuilt(fresh):
    view = web_network(fresh)
    assert set(view.node_ids) == set(fresh.dataset.concepts)
    assert fresh._graph is None


def test_edges_between_and_among_concepts(fresh):
    among = fresh.edges_among(["ambition", "initial-trust", "existing-successful-collaborations", "nowhere"])
    assert set(among) == {
        ("existing-successful-collaborations", "initial-trust"),
        ("initial-trust", "ambition"),
    }
    for numbers in among.values():
        assert [fresh.edge_records(n) for n in numbers] == [{"R21-021"}]
    (number,) = fresh.edges_between("legal-agreements", "initial-trust")
    assert fresh.edge_records(number) == {"R21-022"}
    assert [(e.record, e.cause_label, e.effect_label) for e in fresh.edge_evidence(number)] == [
        ("R21-022", "Legal agreements", "Greater initial trust")
    ]
    assert fresh.edges_between("initial-trust", "legal-agreements") == []
    assert fresh._graph is None


def test_concept_data_and_links(fresh):
    data = fresh.concept_data("initial-trust")
    assert data["label"] == "Initial trust"
    assert data["definition"].startswith("The trust partners already hold when a collaboration begins")
    assert fresh.concept_data("nowhere") == {}
    assert fresh.concept_links("initial-trust") == set()
    assert fresh.concept_links("trust") == {"E22-L04", "B21-L05", "B21-L07", "S22-L01"}
    assert fresh.concept_ids()[: len(fresh.dataset.concepts)] == tuple(fresh.dataset.concepts)
    assert fresh._graph is None


def test_the_compact_reads_agree_with_the_networkx_view(kb):
    web = build_web(kb.dataset)
    nodes = ["trust", "initial-trust", "conflict", "risk-threshold", "leadership-behaviours"]
    among = web.edges_among(nodes)
    # networkx walks a small subgraph in set order, so only the pairs are compared here ...
    assert set(among) == set(web.graph.subgraph(nodes).edges())
    # ... and the order on the whole web, which networkx walks in its own node order.
    assert list(web.edges_among(web.concept_ids())) == list(dict.fromkeys(web.graph.edges()))
    for (u, v), numbers in among.items():
        expected = [item for data in web.graph[u][v].values() for item in data["evidence"]]
        assert [item for n in numbers for item in web.edge_evidence(n)] == expected
    assert web.concept_ids() == tuple(web.graph.nodes)
    for concept in nodes:
        assert web.concept_data(concept) == web.graph.nodes[concept]


_DRAW = """
import json, causal_web
from causal_web.viz.network import neighbourhood_network, traced_chains_network
web = causal_web.load().web
print(json.dumps([
    neighbourhood_network(web, "trust").to_dict(),
    traced_chains_network(web, "shared-vision", "collaborative-behaviour", via="trust").to_dict(),
]))
"""


def test_the_same_question_draws_the_same_json_whatever_the_hash_seed():
    drawn = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", _DRAW]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        drawn.append(json.loads(out.stdout))
    assert drawn[0] == drawn[1]
    hood = drawn[0][0]
    assert hood["nodes"][0]["id"] == "trust"  # the concept first, then its causes and effects
