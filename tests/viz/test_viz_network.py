"""The pyvis networks: what each view holds, how it is styled, and that it follows the library."""

from __future__ import annotations

import json

import pytest

from causal_web.errors import UnknownIdError
from causal_web.model.synthetic import generate_dataset
from causal_web.viz.network import (
    LARGE_WEB,
    chains_network,
    neighbourhood_network,
    traced_chains_network,
    web_network,
    web_network_json,
)
from causal_web.viz.styles import CATEGORIES, SIGN_STYLES, edge_width
from causal_web.viz.view import ViewFilter
from causal_web.web.chains import trace_chains
from causal_web.web.graph import build_web
from causal_web.web.queries import concept_neighbourhood


@pytest.fixture(scope="module")
def web_view(kb):
    return web_network(kb.web)


def test_whole_web_draws_every_concept_and_every_signed_edge(kb, web_view):
    assert set(web_view.node_ids) == set(kb.web.graph.nodes)
    expected = {f"{u}->{v}:{k}" for u, v, k in kb.web.graph.edges(keys=True)}
    assert set(web_view.edge_ids) == expected
    assert web_view.network.directed


def test_edges_coloured_by_sign_and_sized_by_sources(kb, web_view):
    for edge in web_view.network.edges:
        data = kb.web.graph.edges[edge["from"], edge["to"], edge["cw"]["sign"]]
        assert edge["color"] == SIGN_STYLES[edge["cw"]["sign"]].colour
        assert edge["width"] == edge_width(len(data["sources"]))
        assert sorted(edge["cw"]["sources"]) == sorted(data["sources"])
        assert set(edge["cw"]["cmocs"]) == set(data["cmocs"])
        assert set(edge["cw"]["links"]) == set(data["links"])
        assert edge["dashes"] is (edge["cw"]["sign"] == "?")
    options = web_view.network.options
    assert options["edges"]["arrows"]["to"]["enabled"] is True
    assert options["physics"]["enabled"] is False


def test_nodes_styled_by_role_and_group(kb, web_view):
    by_id = {n["id"]: n for n in web_view.network.nodes}
    assert by_id["trust"]["group"] == "core-mechanism"
    assert by_id["capacity"]["group"] == "supporting-mechanism"
    assert by_id["care-quality"]["group"] == "long-term-outcome"
    assert by_id["cultural-efficacy"]["group"] == "performance-domain"
    assert by_id["shared-vision"]["group"] == "context"
    groups = web_view.network.options["groups"]
    for key, style in CATEGORIES.items():
        assert groups[key]["shape"] == style.shape
        assert groups[key]["color"]["background"] == style.colour
    # Size shows evidence: trust is named by more CMOCs and links than initial trust.
    assert by_id["trust"]["size"] > by_id["initial-trust"]["size"]
    assert by_id["trust"]["cw"]["definition"] == kb.dataset.concepts["trust"].definition


def test_layout_reads_from_contexts_to_long_term_outcomes(web_view):
    x = {n["id"]: n["x"] for n in web_view.network.nodes}
    assert x["shared-vision"] < x["trust"] < x["collaborative-behaviour"] < x["cultural-efficacy"]
    assert x["cultural-efficacy"] < x["performance-improvement"] < x["care-quality"]
    assert web_view.columns[0]["label"] == "Contexts"


def test_filters_phase_group_and_sources(kb):
    two = web_network(kb.web, ViewFilter.of(min_sources=2))
    assert two.edge_ids
    assert all(len(e["cw"]["sources"]) >= 2 for e in two.network.edges)
    assert len(two.edge_ids) < len(web_network(kb.web).edge_ids)

    phase = web_network(kb.web, ViewFilter.of(phases=["refined-2021"]))
    assert phase.edge_ids
    assert all(set(e["cw"]["by_phase"]) == {"refined-2021"} for e in phase.network.edges)
    assert all(r.startswith("B21-") for e in phase.network.edges for r in e["cw"]["cmocs"] + e["cw"]["links"])

    core = web_network(kb.web, ViewFilter.of(groups=["core-mechanism", "context"]))
    assert {n["cw"]["category"] for n in core.network.nodes} <= {"core-mechanism", "context"}
    assert "trust" in core.node_ids


def test_neighbourhood_follows_the_library(kb):
    view = neighbourhood_network(kb.web, "trust")
    hood = concept_neighbourhood(kb.web, "trust")
    neighbours = {n.concept for n in hood["upstream"]} | {n.concept for n in hood["downstream"]}
    assert set(view.node_ids) == neighbours | {"trust"}
    x = {n["id"]: n["x"] for n in view.network.nodes}
    only_up = {n.concept for n in hood["upstream"]} - {n.concept for n in hood["downstream"]}
    only_down = {n.concept for n in hood["downstream"]} - {n.concept for n in hood["upstream"]}
    assert all(x[n] < x["trust"] for n in only_up)
    assert all(x[n] > x["trust"] for n in only_down)
    focus = [n for n in view.network.nodes if n["cw"].get("focus")]
    assert [n["id"] for n in focus] == ["trust"]
    assert view.focus == "trust" and view.kind == "neighbourhood"


def test_chains_highlighted_rest_dimmed(kb):
    result = trace_chains(kb.web, "shared-vision", "care-quality", via="trust")
    assert result.chains
    view = chains_network(kb.web, result)
    on_chain = {c for chain in result.chains for c in chain.passes_through}
    assert set(view.highlight["nodes"]) == on_chain
    for node in view.network.nodes:
        assert bool(node["cw"].get("highlighted")) is (node["id"] in on_chain)
        assert bool(node["cw"].get("dimmed")) is (node["id"] not in on_chain)
    hop_records = {r for chain in result.chains for r in chain.records}
    highlighted = [e for e in view.network.edges if e["cw"].get("highlighted")]
    assert {e["id"] for e in highlighted} == set(view.highlight["edges"])
    for edge in highlighted:
        assert edge["from"] in on_chain and edge["to"] in on_chain
        assert hop_records & set(edge["cw"]["cmocs"] + edge["cw"]["links"])
    # Every hop is drawn: its ends are joined directly or through its mechanisms.
    drawn = {(e["from"], e["to"]) for e in highlighted}
    for chain in result.chains:
        for hop in chain.hops:
            assert (hop.source, hop.target) in drawn or any(
                (hop.source, m) in drawn and (m, hop.target) in drawn for m in hop.through
            )
    assert hop_records <= set(view.records)
    assert view.chains["total"] == len(result.chains)


def test_traced_chains_network_reports_its_question(kb):
    view = traced_chains_network(kb.web, "shared-vision", "care-quality", via="core mechanisms", max_hops=5)
    assert view.query["via"] == "core mechanisms" and view.query["max_hops"] == 5
    assert view.kind == "chains" and view.chains["chains"]


def test_unknown_filters_raise(kb):
    with pytest.raises(UnknownIdError, match="review-2012"):
        web_network(kb.web, ViewFilter.of(phases=["review-2012"]))
    with pytest.raises(UnknownIdError, match="core-mechanisms"):
        neighbourhood_network(kb.web, "trust", ViewFilter.of(groups=["core-mechanisms"]))


def test_unknown_concepts_raise(kb):
    with pytest.raises(UnknownIdError, match="trsut"):
        neighbourhood_network(kb.web, "trsut")
    with pytest.raises(UnknownIdError, match="nowhere"):
        traced_chains_network(kb.web, "nowhere", "trust")


def test_view_data_is_plain_json_and_references_its_records(kb, web_view):
    data = json.loads(json.dumps(web_view.to_dict()))
    assert data["kind"] == "web" and data["large"] is False
    referenced = {r for e in data["edges"] for r in e["cw"]["cmocs"] + e["cw"]["links"]}
    assert referenced == set(data["records"])
    record = data["records"]["R21-016"]
    assert record["context"] == ["Shared vision"] and record["citation"].startswith("aunger-2021-review")
    assert {s for e in data["edges"] for s in e["cw"]["sources"]} <= set(data["sources"])
    assert [c["key"] for c in data["legend"]["categories"]]
    assert {s["sign"] for s in data["legend"]["signs"]} == {"+", "-", "?"}


def test_web_json_is_cached_per_filter(kb):
    first = web_network_json(kb.web)
    assert web_network_json(kb.web) is first
    assert json.loads(first) == json.loads(json.dumps(web_network(kb.web).to_dict()))
    two = web_network_json(kb.web, ViewFilter.of(min_sources=2))
    assert two is not first and len(two) < len(first)
    with pytest.raises(UnknownIdError):
        web_network_json(kb.web, ViewFilter.of(phases=["nope"]))


def test_a_large_web_is_flagged_for_batched_drawing():
    web = build_web(generate_dataset(LARGE_WEB * 5, seed=3))
    view = web_network(web)
    assert len(view.node_ids) >= LARGE_WEB
    assert view.to_dict()["large"] is True
    assert view.network.options["edges"]["smooth"] is False
    assert not any("smooth" in e for e in view.network.edges)
