"""What the explorer sends: a neighbourhood or a chains view holds only its own concepts, and a
web over the large-web threshold is placed by sfdp and sent without record texts.

The bundled expectations are read off the records by hand:

* ``initial-trust`` is coded in two CMOCs only, R21-021 (context existing-successful-
  collaborations, mechanism initial-trust, outcome ambition) and R21-022 (context
  legal-agreements, mechanism initial-trust, outcomes risk-threshold and an uncoded fragment).
  So it is acted on by the two contexts and acts on the two outcomes; no other record joins
  two of these five concepts.
* From legal-agreements, whose only record is R21-022, the one route of at most two hops to
  risk-threshold is legal-agreements -> initial-trust -> risk-threshold.
"""

from __future__ import annotations

import json
import shutil

import pytest

import causal_web
from causal_web.model.synthetic import generate_dataset
from causal_web.viz.large_layout import label_ranks, sfdp_layout
from causal_web.viz.network import (
    LARGE_WEB,
    neighbourhood_network,
    traced_chains_network,
    web_layout,
    web_layout_method,
    web_network,
    web_network_json,
)
from causal_web.web.graph import build_web

needs_sfdp = pytest.mark.skipif(shutil.which("sfdp") is None, reason="Graphviz sfdp is not installed")


def _pairs(view) -> set[tuple[str, str]]:
    return {(e["from"], e["to"]) for e in view.network.edges}


def _size(view) -> int:
    return len(json.dumps(view.to_dict(), separators=(",", ":")))


@pytest.fixture(scope="module")
def kb():
    return causal_web.load()


def test_neighbourhood_sends_the_concept_and_its_neighbours_only(kb):
    view = neighbourhood_network(kb.web, "initial-trust")
    assert set(view.node_ids) == {
        "initial-trust",
        "existing-successful-collaborations",
        "legal-agreements",
        "ambition",
        "risk-threshold",
    }
    assert _pairs(view) == {
        ("existing-successful-collaborations", "initial-trust"),
        ("legal-agreements", "initial-trust"),
        ("initial-trust", "ambition"),
        ("initial-trust", "risk-threshold"),
    }
    assert set(view.records) == {"R21-021", "R21-022"}
    assert view.to_dict()["large"] is False and view.to_dict()["lod"] is None


def test_chains_view_sends_the_chain_only(kb):
    view = traced_chains_network(kb.web, "legal-agreements", "risk-threshold", max_hops=2)
    assert len(view.chains["chains"]) == 1
    assert set(view.node_ids) == {"legal-agreements", "initial-trust", "risk-threshold"}
    assert _pairs(view) == {("legal-agreements", "initial-trust"), ("initial-trust", "risk-threshold")}
    assert set(view.records) == {"R21-022"}
    whole = traced_chains_network(kb.web, "legal-agreements", "risk-threshold", max_hops=2, whole_web=True)
    assert set(whole.node_ids) == set(kb.web.graph.nodes)


def test_the_bundled_web_keeps_its_layered_layout(kb):
    data = web_network(kb.web).to_dict()
    assert data["layout"] == "layered" and data["large"] is False and data["lod"] is None
    assert data["columns"]  # the stage headings
    assert all("rank" not in n["cw"] for n in data["nodes"])
    assert all("explanation" in e["cw"] and "sources" in e["cw"] for e in data["edges"])


def test_label_ranks_follow_the_record_counts():
    assert label_ranks({"a": 3, "b": 9, "c": 3, "d": 0}) == {"b": 0, "a": 1, "c": 2, "d": 3}


@needs_sfdp
def test_sfdp_layout_is_deterministic_and_ignores_foreign_edges():
    nodes = [f"c{i}" for i in range(40)]
    edges = [(f"c{i}", f"c{(i * 7 + 3) % 40}") for i in range(40)] + [("c1", "elsewhere"), ("c2", "c2")]
    first = sfdp_layout(nodes, edges)
    assert set(first) == set(nodes)
    assert first == sfdp_layout(nodes, edges)
    assert len(set(first.values())) == len(nodes)  # no two concepts on one spot
    # Concepts without arrows sit in a block below the drawing.
    placed = sfdp_layout([*nodes, "alone-1", "alone-2"], edges)
    lowest = max(y for node, (_x, y) in placed.items() if node in nodes)
    assert placed["alone-1"][1] > lowest and placed["alone-2"][1] > lowest


# -- a web over the threshold --------------------------------------------------------------


@pytest.fixture(scope="module")
def large():
    web = build_web(generate_dataset(LARGE_WEB * 5, seed=3))
    assert web.graph.number_of_nodes() >= LARGE_WEB
    return web


@needs_sfdp
def test_a_large_web_is_placed_by_sfdp_once(large):
    assert web_layout_method(large) == "sfdp"
    positions, columns = web_layout(large)
    assert set(positions) == set(large.graph.nodes) and columns == []
    again, _ = web_layout(large)
    assert again is positions  # cached for the web
    data = json.loads(web_network_json(large))
    assert data["layout"] == "sfdp" and data["large"] is True
    assert data["options"]["physics"]["enabled"] is False
    assert all((n["x"], n["y"]) == positions[n["id"]] for n in data["nodes"])


def test_a_large_web_is_sent_slim_with_label_ranks(large):
    data = web_network(large).to_dict()
    assert data["records"] == {}
    assert data["lod"]["zoomed_out"] > 0 and data["lod"]["all_from_scale"] > 0
    for edge in data["edges"][:200]:
        assert "explanation" not in edge["cw"] and "sources" not in edge["cw"]
        assert edge["cw"]["by_phase"] and edge["cw"]["cmocs"] + edge["cw"]["links"]
    by_rank = sorted(data["nodes"], key=lambda n: n["cw"]["rank"])
    assert [n["cw"]["rank"] for n in by_rank] == list(range(len(by_rank)))
    counts = [n["cw"]["records"] for n in by_rank]
    assert counts == sorted(counts, reverse=True)
    # The generator makes trust the most used concept.
    assert by_rank[0]["id"] == "trust"


def test_neighbourhood_and_chains_of_a_large_web_are_small(large):
    whole = len(web_network_json(large))
    # A concept with few neighbours: its view is the concept, what acts on it and what it acts on.
    concept = min(
        (n for n in large.graph.nodes if large.graph.in_degree(n) and large.graph.out_degree(n)),
        key=lambda n: (large.graph.degree(n), n),
    )
    hood = neighbourhood_network(large, concept)
    expected = {concept} | set(large.graph.predecessors(concept)) | set(large.graph.successors(concept))
    assert set(hood.node_ids) == expected
    assert _size(hood) < whole / 50
    start = next(iter(large.graph.predecessors(concept)))
    end = next(iter(large.graph.successors(concept)))
    chains = traced_chains_network(large, start, end, max_hops=2, limit=5)
    on_chain = {c for chain in chains.chains["chains"] for c in chain["passes_through"]}
    assert on_chain and set(chains.node_ids) == on_chain
    assert _size(chains) < whole / 20
