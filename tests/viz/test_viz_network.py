"""The pyvis networks: what each view holds, how it is styled, and that it follows the library."""

from __future__ import annotations

import json

import pytest

from causal_web.errors import UnknownIdError
from causal_web.model.records import (
    CMOC,
    Citation,
    Concept,
    Dataset,
    EvidenceItem,
    Part,
    Phase,
    Polarity,
    Source,
)
from causal_web.model.synthetic import generate_dataset
from causal_web.viz.network import (
    LARGE_WEB,
    chains_network,
    neighbourhood_network,
    traced_chains_network,
    web_network,
    web_network_json,
)
from causal_web.viz.styles import CATEGORIES, CONTESTED_STYLE, VALENCE_STYLES, edge_width
from causal_web.viz.view import ViewFilter
from causal_web.web.chains import trace_chains
from causal_web.web.graph import build_web
from causal_web.web.queries import concept_neighbourhood


@pytest.fixture(scope="module")
def web_view(kb):
    return web_network(kb.web)


def test_whole_web_draws_every_concept_and_one_arrow_per_concept_pair(kb, web_view):
    assert set(web_view.node_ids) == set(kb.web.graph.nodes)
    expected = {f"{u}->{v}" for u, v in kb.web.graph.edges()}
    assert set(web_view.edge_ids) == expected
    assert len(web_view.edge_ids) == len(expected)  # positive and negative evidence share one arrow
    assert web_view.network.directed


def test_arrows_coloured_by_summary_valence_and_sized_by_evidence_bases(kb, web_view):
    pairs = kb.web.aggregated()
    for edge in web_view.network.edges:
        pooled = pairs.edges[edge["from"], edge["to"]]
        cw = edge["cw"]
        assert cw["valence"] == pooled["valence"] and cw["valence_counts"] == pooled["valence_counts"]
        assert edge["color"] == VALENCE_STYLES[cw["valence"]].colour
        assert edge["width"] == edge_width(len(pooled["bases"]))
        assert cw["bases"] == pooled["bases"]
        assert sorted(cw["sources"]) == pooled["sources"]
        assert set(cw["cmocs"]) == set(pooled["cmocs"])
        assert set(cw["links"]) == set(pooled["links"])
        assert edge["dashes"] is (cw["valence"] == "unspecified")
    options = web_view.network.options
    assert options["edges"]["arrows"]["to"]["enabled"] is True
    assert options["physics"]["enabled"] is False


def test_conflict_to_trust_stays_negative_beside_an_unsigned_link(web_view):
    # R21-013 to R21-018 each state that less conflict goes with more trust ("Reduced
    # conflict" -> "Enhanced trust", and so on); B21-L05, the refined theory's typical-outcome
    # link from conflict to trust, states no direction. One red arrow, not a grey one.
    (edge,) = [e for e in web_view.network.edges if e["id"] == "conflict->trust"]
    cw = edge["cw"]
    assert cw["valence"] == "-" and edge["color"] == VALENCE_STYLES["-"].colour
    assert cw["valence_counts"] == {"+": 0, "-": 6, "unspecified": 1}
    assert cw["cmocs"] == [f"R21-{n:03d}" for n in range(13, 19)]
    assert cw["links"] == ["B21-L05"]
    # The review and its refinement are one project's synthesis: one independent base.
    assert cw["bases"] == ["ioc-synthesis"] and edge["width"] == edge_width(1)
    assert cw["record_kinds"] == ["cmoc", "typical-outcome"]


def _two_way_dataset() -> Dataset:
    """Two CMOCs from independent sources that disagree on which way A acts on B; the second
    is cut off and keeps its fragment uncoded."""
    dataset = Dataset()
    dataset.phases["p"] = Phase("p", "Phase", 1, "s1")
    dataset.sources["s1"] = Source("s1", base="base-1")
    dataset.sources["s2"] = Source("s2")
    dataset.concepts["a"] = Concept("a", "A", role="mechanism")
    dataset.concepts["b"] = Concept("b", "B", role="outcome")
    for record, polarity, source in (("X-1", Polarity.INCREASE, "s1"), ("X-2", Polarity.DECREASE, "s2")):
        dataset.cmocs[record] = CMOC(
            record,
            "p",
            Citation(source, "Table 1", record),
            evidence=[EvidenceItem(source, table="Table 1", row=record, judgement="confirms")],
            mechanism=[Part("A", "a")],
            outcome=[Part("More B" if polarity is Polarity.INCREASE else "Less B", "b", polarity)]
            + ([Part("and oth[TRUNCATED]", None)] if record == "X-2" else []),
            incomplete=record == "X-2",
        )
    return dataset


def test_disagreeing_valences_draw_one_mixed_arrow():
    view = web_network(build_web(_two_way_dataset()))
    (edge,) = view.network.edges
    assert edge["id"] == "a->b"
    assert edge["cw"]["valence"] == "mixed"
    # the two valences come from different independent bases: the arrow is contested, drawn
    # orange and dashed rather than in the mixed colour (docs/evidence.md)
    assert edge["cw"]["evidence_status"] == "contested"
    assert edge["color"] == CONTESTED_STYLE.colour and edge["dashes"] is True
    assert edge["cw"]["valence_counts"] == {"+": 1, "-": 1, "unspecified": 0}
    assert edge["cw"]["bases"] == ["base-1", "s2"] and edge["width"] == edge_width(2)
    assert edge["cw"]["incomplete"] is True and "inferred" not in edge["cw"]
    record = view.records["X-2"]
    assert record["incomplete"] is True
    (outcome,) = [s for s in record["slots"] if s["slot"] == "outcome"]
    assert [(p["label"], p["concept"]) for p in outcome["parts"]] == [
        ("Less B", "b"),
        ("and oth[TRUNCATED]", None),
    ]
    assert record["evidence"] == [
        {
            "source": "s2",
            "locator": "Table 1, row X-2",
            "judgement": "confirms",
            "evidence_type": "review-author-statement",
            "quote": "",
        }
    ]


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
    assert by_id["trust"]["cw"]["bases"] == kb.web.concept_evidence("trust")["bases"] >= 1


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


def test_chains_view_holds_only_the_chains_concepts(kb):
    result = trace_chains(kb.web, "shared-vision", "collaborative-behaviour", via="trust")
    assert len(result.chains) > 1
    view = chains_network(kb.web, result)
    on_chain = {c for chain in result.chains for c in chain.passes_through}
    assert set(view.node_ids) == on_chain
    assert all(node["cw"].get("highlighted") for node in view.network.nodes)
    # Every arrow among the chains' concepts, and no other.
    among = {(u, v) for u, v in kb.web.graph.edges() if u in on_chain and v in on_chain}
    assert {(e["from"], e["to"]) for e in view.network.edges} == among


def test_chains_highlighted_rest_dimmed_in_the_whole_web(kb):
    result = trace_chains(kb.web, "shared-vision", "collaborative-behaviour", via="trust")
    assert len(result.chains) > 1
    view = chains_network(kb.web, result, whole_web=True)
    assert set(view.node_ids) == set(kb.web.graph.nodes)
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
    view = traced_chains_network(
        kb.web, "shared-vision", "task-achievement", via="core mechanisms", max_hops=5
    )
    assert view.query["via"] == "core mechanisms" and view.query["max_hops"] == 5
    assert view.query["include_background"] is False
    assert view.kind == "chains" and view.chains["chains"]


def test_chains_leave_background_out_unless_asked(kb):
    # E22-L08 is the evaluation's background framing (collaboration aims at better performance):
    # not a finding, so the default view has no chain; asked for, it is the one-hop chain.
    question = ("inter-organisational-collaboration", "performance-improvement")
    assert traced_chains_network(kb.web, *question).chains["chains"] == []
    view = traced_chains_network(kb.web, *question, include_background=True)
    assert view.query["include_background"] is True and view.chains["include_background"] is True
    (chain,) = view.chains["chains"]
    assert [hop["records"] for hop in chain["hops"]] == [["E22-L08"]]
    assert chain["hops"][0]["record_kinds"] == ["background"]
    assert "inter-organisational-collaboration->performance-improvement" in view.highlight["edges"]


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
    assert [(s["slot"], [p["label"] for p in s["parts"]]) for s in record["slots"]] == [
        ("context", ["Shared vision"]),
        ("mechanism", ["Reduced conflict"]),
        ("outcome", ["Enhanced trust"]),
    ]
    assert record["citation"].startswith("aunger-2021-review")
    assert record["evidence"][0]["locator"] == "Table 3, row 16"
    assert {s for e in data["edges"] for s in e["cw"]["sources"]} <= set(data["sources"])
    assert [c["key"] for c in data["legend"]["categories"]]
    # the four valences, then the contested style (independent bases disagree)
    valences = [s["valence"] for s in data["legend"]["valences"]]
    assert valences == ["+", "-", "mixed", "unspecified", "contested"]


def test_a_cut_off_record_keeps_its_fragment_uncoded_in_the_page_data(kb, web_view):
    # R21-022's outcome cell stops at "greater ambi": the fragment stays a part with no concept.
    record = web_view.to_dict()["records"]["R21-022"]
    assert record["incomplete"] is True and record["inferred"] is True  # split_inferred
    (outcome,) = [s for s in record["slots"] if s["slot"] == "outcome"]
    assert {
        "label": "greater ambi[TRUNCATED]",
        "concept": None,
        "polarity": "unspecified",
        "inferred": False,
    } in (outcome["parts"])
    (edge,) = [
        e for e in web_view.network.edges if "R21-022" in e["cw"]["cmocs"] and e["to"] == "risk-threshold"
    ]
    assert edge["cw"]["incomplete"] is True


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
