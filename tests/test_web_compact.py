"""The compact causal web: one shared row per record, packed evidence items, and the networkx
view built only when asked for. Values are read off the bundled records."""

from __future__ import annotations

import json
import pickle
from array import array

import networkx as nx
import pytest

from causal_web.notebook import json_safe_graph
from causal_web.web.chains import trace_chains
from causal_web.web.compact import RECORD, SOURCES, EdgeEvidence
from causal_web.web.graph import build_web
from causal_web.web.queries import concept_neighbourhood

# R21-016 (review 2021, Table 3 row 16): shared vision (context), reduced conflict (mechanism),
# enhanced trust (outcome); the column split is the curator's inference; its one evidence item
# cites the 2021 review, whose base is the IOC synthesis.
R21_016_TO_TRUST = EdgeEvidence(
    record="R21-016",
    kind="cmoc",
    record_kind="cmoc",
    phase="review-2021",
    sources=("aunger-2021-review",),
    bases=("ioc-synthesis",),
    cause_label="Shared vision",
    effect_label="Enhanced trust",
    citation="aunger-2021-review: Table 3, row 16",
    valence="+",  # presence of shared vision goes with more trust
    relation="generates",
    inferred=True,  # split_inferred
    incomplete=False,
)


@pytest.fixture
def web(kb):
    """A web of its own, so that what one test builds lazily does not leak into another."""
    return build_web(kb.dataset)


def test_every_record_is_one_shared_row(web, kb):
    coded_links = [link for link in kb.dataset.links.values() if link.source.coded and link.target.coded]
    ids = [row[RECORD] for row in web.table.rows]
    assert sorted(ids) == sorted([*kb.dataset.cmocs, *(link.id for link in coded_links)])
    # every item of R21-016, on its edges and its hops, shares the row's tuples
    (row,) = [r for r in web.table.rows if r[RECORD] == "R21-016"]
    items = [*web.hops["shared-vision"]["trust"].evidence, *web.hops["conflict"]["trust"].evidence]
    mine = [item for item in items if item.record == "R21-016"]
    assert len(mine) == 2 and all(item.sources is row[SOURCES] for item in mine)


def test_a_hop_is_packed_and_unpacks_to_its_records(web):
    hop = web.hops["shared-vision"]["trust"]
    assert isinstance(hop._items, array) and len(hop._items) == 2  # one item, two integers
    assert hop.evidence == [R21_016_TO_TRUST]
    assert hop.records == ["R21-016"] and hop.through == ("conflict",)
    assert (hop.n_sources, hop.n_bases) == (1, 1)
    assert hop.sources == {"aunger-2021-review"} and hop.bases == {"ioc-synthesis"}
    assert hop.phases == {"review-2021"} and hop.record_kinds == ["cmoc"]
    assert hop.valence_counts == {"+": 1, "-": 0, "unspecified": 0} and hop.inferred


def test_background_claims_are_set_aside_in_a_kept_copy(web):
    # S22-017 is background framing: shared vision among the contexts of IOC success
    hop = web.hops["shared-vision"]["ioc-success"]
    assert hop.records == ["S22-017"] and hop.record_kinds == ["background"]
    assert hop.restricted(None, include_background=False) is None
    assert hop.restricted({"review-2021"}) is None  # S22-017 is of the 2022 summary
    assert hop.restricted({"summary-2022"}) is hop


def test_the_networkx_view_is_built_on_first_use_from_the_packed_edges(web):
    assert web._graph is None
    result = trace_chains(web, "shared-vision", "task-achievement")
    hood = concept_neighbourhood(web, "shared-vision")
    assert web._graph is None, "chains and neighbourhoods read the compact web"
    assert result.chains[0].concepts == ["shared-vision", "trust", "task-achievement"]
    # out of shared vision: R21-016 (shared vision enables reduced conflict: -) and S22-017
    # (shared vision, among other contexts, generates IOC success: no direction given)
    assert [(n.concept, n.valence, n.cmocs) for n in hood["downstream"]] == [
        ("conflict", "-", ["R21-016"]),
        ("ioc-success", "unspecified", ["S22-017"]),
    ]
    edges = {
        (v, key): (data["cmocs"], data["relations"])
        for _u, v, key, data in web.graph.out_edges("shared-vision", keys=True, data=True)
    }
    assert edges == {
        ("conflict", "-"): (["R21-016"], ["enables"]),
        ("ioc-success", "unspecified"): (["S22-017"], ["generates"]),
    }
    assert web.graph is web.graph  # kept once built
    assert web.concept_evidence("shared-vision") == {"cmocs": 2, "sources": 2, "bases": 2}


def test_a_pickled_web_holds_only_the_compact_form(web):
    graph_json = json.dumps(nx.node_link_data(json_safe_graph(web.graph), edges="links"))
    before = trace_chains(web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5)
    data = pickle.dumps(web)
    assert b"networkx" not in data
    back = pickle.loads(data)
    assert back._graph is None and back.cache == {}
    after = trace_chains(back, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5)
    for result in (before, after):
        result.elapsed = 0.0
    assert after.to_dict() == before.to_dict()
    assert json.dumps(nx.node_link_data(json_safe_graph(back.graph), edges="links")) == graph_json


def test_kept_counts_agree_with_the_records_of_every_hop(web):
    for row in web.hops.values():
        for hop in row.values():
            assert hop.n_sources == len(hop.sources) and hop.n_bases == len(hop.bases)
            assert len(hop) == len(hop.evidence)
            assert hop.inferred == all(item.inferred for item in hop.evidence)


def test_sizes_are_counted_without_building_the_networkx_view(web, kb):
    # The index manifest counts nodes and edges this way, so that a build at 1M CMOCs does not
    # build the networkx view; the counts must be the view's own.
    nodes, edges = web.node_count(), web.edge_count()
    assert web._graph is None  # counting built nothing
    assert nodes == len(kb.dataset.concepts)  # the bundled edges all name known concepts
    assert (nodes, edges) == (web.graph.number_of_nodes(), web.graph.number_of_edges())
