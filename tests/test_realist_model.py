"""The realist model end to end, on a test review with every ICAMO slot filled
(tests/data/icamo) and on the bundled data: parts that stay uncoded, relations read as realists
read them, valence counts, nestings and their provenance, evidence bases and theory links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from rdflib import Graph
from rdflib.compare import isomorphic

import causal_web
from causal_web.model.relations import derived_relations
from causal_web.model.validate import validate_folder
from causal_web.rdf.mapping import dataset_to_rdf, union_graph
from causal_web.web.chains import trace_chains
from causal_web.web.diff import diff_phases
from causal_web.web.queries import search_labels

ICAMO = FIXTURES / "icamo"


@pytest.fixture(scope="module")
def icamo() -> causal_web.KnowledgeBase:
    return causal_web.load(ICAMO)


def test_the_icamo_folder_validates_with_shacl_and_counts_its_uncoded_parts():
    report, counts = validate_folder(ICAMO, shacl=True)
    assert report.ok, report.summary()
    assert counts["cmocs"] == 5
    uncoded = sorted(p.field for p in report.problems if p.rule == "coding.uncoded")
    # ICAMO-1 leaves both contexts, its actor, its plain mechanism and its second outcome uncoded
    assert uncoded == [
        "actor[0].concept",
        "context[0].concept",
        "context[1].concept",
        "mechanism[0].concept",
        "outcome[0].concept",  # ICAMO-5's refuted outcome
        "outcome[1].concept",
    ]
    assert all(p.severity == "warning" for p in report.problems)


def test_strict_validation_lists_the_uncoded_parts_and_the_default_only_counts_them():
    plain = run_cli("validate", "--data", str(ICAMO))
    assert plain.returncode == 0, plain.stderr
    assert "6 part(s) are not coded" in plain.stderr
    assert "Middle managers" not in plain.stderr
    strict = run_cli("validate", "--data", str(ICAMO), "--strict")
    assert strict.returncode == 1
    assert "'Middle managers' is not coded yet" in strict.stderr
    assert "records.yaml [ICAMO-1] actor[0].concept" in strict.stderr


def test_every_slot_is_read_with_its_parts(icamo):
    cmoc = icamo.dataset.cmocs["ICAMO-1"]
    from causal_web.model.records import SLOT_NAMES

    assert all(cmoc.slots(name) for name in SLOT_NAMES), "ICAMO-1 fills every slot"
    assert cmoc.title == "Shared money, shared trust"
    assert cmoc.statement.startswith("If partners pool a budget")
    assert [p.label for p in cmoc.intervention] == ["Pooled budget", "Joint training days"]
    assert [p.concept for p in cmoc.context] == [None, None]
    assert [p.label for p in cmoc.actor] == ["Middle managers"]
    assert [p.concept for p in cmoc.mechanism_resource] == ["information"]
    assert [p.concept for p in cmoc.mechanism_response] == ["trust"]
    assert [p.concept for p in cmoc.outcome] == ["joint-working", None]
    assert cmoc.sources == ["review-paper", "study-1"]
    assert [e.evidence_type for e in cmoc.evidence] == ["review-author-statement", "primary-study-finding"]
    assert cmoc.split_inferred and cmoc.inferred


def test_relations_follow_intervention_resource_response_outcome_and_skip_uncoded_parts(icamo):
    cmoc = icamo.dataset.cmocs["ICAMO-1"]
    found = {
        (str(r.source), str(r.target), r.relation, r.valence.value, r.stated) for r in derived_relations(cmoc)
    }
    # Worked by hand: both interventions lead to the resource; the resource triggers the
    # response; the response generates the one coded outcome. Uncoded contexts, the actor and
    # the uncoded outcome take part in no relation. Valences: a bare cause reads as presence,
    # so "Pooled budget" -> "More information" (increase) is +; joint training's + is stated.
    assert found == {
        ("intervention[0]", "mechanism_resource[0]", "enables", "+", False),
        ("intervention[1]", "mechanism_resource[0]", "enables", "+", True),
        ("mechanism_resource[0]", "mechanism_response[0]", "enables", "+", False),
        ("mechanism_response[0]", "outcome[0]", "generates", "+", False),
    }
    web = icamo.web
    assert web.graph.has_edge("information", "trust")
    assert not any("history" in str(d) for _u, _v, d in web.graph.edges(data=True))


def test_uncoded_parts_are_searchable(icamo):
    assert [c.id for c in search_labels(icamo.dataset, "middle managers")] == ["ICAMO-1"]
    assert [c.id for c in search_labels(icamo.dataset, "duplicated referrals")] == ["ICAMO-1", "ICAMO-5"]


def test_hops_say_how_they_join_and_stitching_follows_evidence_bases(icamo):
    result = trace_chains(icamo.web, "shared-budget", "confidence")
    assert [c.concepts for c in result.chains] == [["shared-budget", "joint-working", "confidence"]]
    first, second = result.chains[0].hops
    assert first.nesting is None
    assert second.nesting == "stated"  # nesting N-1: ICAMO-1's outcome becomes ICAMO-2's context
    assert first.bases == ["project-interviews", "project-review", "study-1"]
    # ICAMO-2 cites the review's summary, another publication of the same base (ICAMO-4 adds
    # the interviews): not stitched
    assert second.bases == ["project-interviews", "project-review"] and not second.stitched
    assert second.records == ["ICAMO-2", "ICAMO-4"]


def test_a_join_no_nesting_states_is_a_tool_hypothesis(icamo):
    result = trace_chains(icamo.web, "trust", "confidence", max_hops=2)
    two_hops = [c for c in result.chains if len(c.hops) == 2]
    assert two_hops, [c.concepts for c in result.chains]
    # trust -> joint-working stands on ICAMO-1, ICAMO-3 and L-1; only ICAMO-1 is nested into
    # ICAMO-2, which is enough to make the join stated
    assert two_hops[0].hops[1].nesting == "stated"
    only_link = trace_chains(icamo.web, "trust", "confidence", max_hops=2, phases=["tested", "initial"])
    assert only_link.chains
    data = icamo.dataset
    del data.nestings["N-1"]
    try:
        rebuilt = causal_web.KnowledgeBase(data)
        chain = next(c for c in trace_chains(rebuilt.web, "trust", "confidence").chains if len(c.hops) == 2)
        assert chain.hops[1].nesting == "tool" and chain.hypothesis
        assert chain.to_dict()["hops"][1]["hypothesis"] is True
    finally:
        data.nestings = causal_web.load(ICAMO).dataset.nestings


def test_diff_reads_the_theory_links(icamo):
    result = diff_phases(icamo.dataset, "initial", "tested")
    assert result.refined == [("ICAMO-1", "ICAMO-3", "link")]
    assert result.confirmed == [("ICAMO-2", "ICAMO-4", "link")]
    assert result.refuted == [("ICAMO-1", "ICAMO-5", "link")]
    assert not result.fallback and result.notes == []
    assert result.removed == [] and result.added == []


def test_diff_falls_back_to_concepts_only_where_no_link_exists_and_says_so(good_copy: Path):
    text = (good_copy / "cmocs.yaml").read_text()
    (good_copy / "cmocs.yaml").write_text(
        text.replace("    predecessors:\n      - record: T-002\n        relation: refines\n", "")
    )
    result = diff_phases(causal_web.load(good_copy).dataset, "first", "second")
    # T-002 and T-003 both read "trust (increase) -> performance (increase)": by concepts, kept
    assert result.kept == [("T-002", "T-003", "concepts")]
    assert result.refined == []
    assert result.fallback and "matched by their concepts" in result.notes[0]


def test_icamo_turtle_passes_shacl_and_json_ld_reads_back_isomorphic(icamo, tmp_path):
    from pyshacl import validate
    from rdflib import URIRef

    from causal_web.rdf.namespaces import CW
    from causal_web.rdf.shacl import load_shapes

    turtle = run_cli("export", "--data", str(ICAMO), "--format", "ttl")
    jsonld = run_cli("export", "--data", str(ICAMO), "--format", "jsonld")
    assert turtle.returncode == 0 and jsonld.returncode == 0, turtle.stderr + jsonld.stderr
    from_turtle = Graph().parse(data=turtle.stdout, format="turtle")
    from_jsonld = Graph().parse(data=jsonld.stdout, format="json-ld")
    assert isomorphic(from_turtle, from_jsonld)
    shapes, ontology = load_shapes()
    conforms, _graph, text = validate(from_turtle, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, text
    # every slot of ICAMO-1 is in the RDF, and an uncoded part has no concept
    expected_slots = {
        "intervention",
        "context",
        "actor",
        "mechanism",
        "mechanism-resource",
        "mechanism-response",
        "outcome",
    }
    cmoc = icamo.iris.cmoc("ICAMO-1")
    parts = {
        str(o)[len(cmoc) + 1 :].split("/")[0]
        for _s, _p, o in from_turtle.triples((None, None, None))
        if str(o).startswith(cmoc + "/")
    }
    assert expected_slots <= parts
    uncoded = f"{cmoc}/actor/1"
    assert [
        str(p)
        for _s, p, _o in from_turtle.triples((URIRef(uncoded), None, None))
        if str(p).endswith("#concept")
    ] == []
    assert (
        URIRef(f"{cmoc}/mechanism-resource/1"),
        CW.concept,
        URIRef(icamo.iris.concept("information")),
    ) in from_turtle


def test_shacl_catches_a_broken_evidence_item(icamo):
    from pyshacl import validate
    from rdflib import URIRef

    from causal_web.rdf.namespaces import CW
    from causal_web.rdf.shacl import load_shapes

    graph = union_graph(dataset_to_rdf(icamo.dataset, icamo.base_iri))
    item = URIRef(icamo.iris.cmoc("ICAMO-1") + "/evidence/1")
    graph.remove((item, CW.judgement, None))
    shapes, ontology = load_shapes()
    conforms, results, _text = validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not conforms
    assert str(item) in results.serialize(format="nt")


# -- the bundled data ----------------------------------------------------------------------


def test_conflict_to_trust_keeps_its_six_agreeing_negative_rows(kb):
    hop = kb.web.hops["conflict"]["trust"]
    assert hop.valence == "-"
    assert hop.valence_counts["-"] >= 6
    assert {"R21-013", "R21-014", "R21-015", "R21-016", "R21-017", "R21-018"} <= set(hop.records)
    assert hop.valence_counts["+"] == 0


def test_chains_leave_background_out_unless_asked(kb):
    default = run_cli(
        "chains", "--from", "inter-organisational-collaboration", "--to", "performance-improvement", "--json"
    )
    assert default.returncode == 0, default.stderr
    used = {
        r
        for chain in json.loads(default.stdout)["chains"]
        for r in (h for hop in chain["hops"] for h in hop["records"])
    }
    assert "E22-L08" not in used
    wide = run_cli(
        "chains",
        "--from",
        "inter-organisational-collaboration",
        "--to",
        "performance-improvement",
        "--json",
        "--include-background",
    )
    assert wide.returncode == 0, wide.stderr
    used = {
        r
        for chain in json.loads(wide.stdout)["chains"]
        for r in (h for hop in chain["hops"] for h in hop["records"])
    }
    assert "E22-L08" in used


def test_r21_022_is_incomplete_and_its_fragment_is_uncoded(kb):
    cmoc = kb.dataset.cmocs["R21-022"]
    assert cmoc.incomplete
    fragment = [p for p in cmoc.outcome if "[TRUNCATED]" in p.label]
    assert [p.label for p in fragment] == ["greater ambi[TRUNCATED]"]
    assert fragment[0].concept is None
    # no other part anywhere is coded from a cut-off cell
    from causal_web.model.references import is_fragment

    coded_fragments = [
        (c.id, p.label)
        for c in kb.dataset.cmocs.values()
        for _n, _i, p in c.parts()
        if is_fragment(p.label) and p.concept
    ]
    assert coded_fragments == []
    assert "ambition" not in kb.web.hops.get("legal-agreements", {})
