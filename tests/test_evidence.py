"""Evidence you can weigh: statuses derived by hand from the bundled records, the contested test
folder, verified quotes, quote selectors in the RDF and the evidence matrix against SPARQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from causal_web.cli.main import main
from causal_web.evidence import SCORERS, assess_record, load_rules
from causal_web.evidence.contradictions import find_contradictions
from causal_web.evidence.matrix import evidence_matrix
from causal_web.evidence.quotes import normalise_quote, quote_selector
from causal_web.knowledge_base import load
from causal_web.model.validate import validate_folder
from causal_web.rdf.mapping import dataset_to_rdf, union_graph
from causal_web.resources import shapes_file
from causal_web.web.chains import trace_chains

CONTESTED = Path(__file__).parent / "data" / "contested"
OA = Namespace("http://www.w3.org/ns/oa#")


@pytest.fixture(scope="module")
def bundled():
    return load()


@pytest.fixture(scope="module")
def contested():
    return load(CONTESTED)


# --- five bundled edges, their status worked out by hand from the records -------------------


def test_five_bundled_edges_have_the_status_their_records_give(bundled):
    agg = bundled.web.aggregated()
    expected = {
        # S22-010 cites the summary and the interview set, both in the interview base (its items
        # name base ioc-interviews); S22-015 cites the summary's synthesis claim (ioc-synthesis).
        # Two independent bases state it, both confirm, both give no valence: established.
        ("collaborative-functioning", "cultural-efficacy"): ("established", 2),
        # Only E22-L07, a background link whose one item is a curator inference from the 2022
        # evaluation (base ioc-interviews): no source states it, so it is a hypothesis.
        ("collaborative-functioning", "collaborative-performance"): ("hypothesis", 1),
        # R21-013 to R21-018 cite the 2021 review and B21-L05 the refined theory paper: both
        # papers belong to ioc-synthesis, so seven records are still one base: provisional.
        ("conflict", "trust"): ("provisional", 1),
        # E22-004 (interview data) and E22-L04 (the curator's split of E22-L01) both stand on
        # ioc-interviews; E22-004's items state it, so one stating base: provisional.
        ("leadership-behaviours", "trust"): ("provisional", 1),
        # R21-016 alone, one item from the 2021 review: provisional.
        ("shared-vision", "conflict"): ("provisional", 1),
    }
    for (u, v), (status, bases) in expected.items():
        edge = agg.edges[u, v]
        assert (edge["evidence_status"], edge["evidence_bases"]) == (status, bases), (u, v)
        assert edge["explanation"]
        assert edge["confidence"] in ("high", "moderate", "low")
    # the two-base edge reads as the example sentence
    assert agg.edges["collaborative-functioning", "cultural-efficacy"]["explanation"] == (
        "2 independent bases (1 interview set, 1 review); no refuting evidence"
    )
    assert agg.edges["collaborative-functioning", "cultural-efficacy"]["confidence"] == "high"
    assert agg.edges["conflict", "trust"]["confidence"] == "moderate"
    assert agg.edges["collaborative-functioning", "collaborative-performance"]["confidence"] == "low"


def test_every_hop_of_chains_carries_its_evidence_assessment(bundled):
    pairs = [("shared-vision", "task-achievement"), ("conflict", "trust"), ("shared-vision", "faith")]
    hops = [
        hop
        for start, end in pairs
        for chain in trace_chains(bundled.web, start, end, max_hops=4).to_dict()["chains"]
        for hop in chain["hops"]
    ]
    assert hops
    for hop in hops:
        assert hop["evidence_bases"] == len(hop["bases"])
        assert hop["evidence_status"] in ("established", "provisional", "contested", "hypothesis")
        assert hop["confidence"] in ("high", "moderate", "low")
        assert hop["explanation"]
        if hop["nesting"] == "tool":  # joined by a shared concept only
            assert hop["evidence_status"] == "hypothesis"


def test_the_scorer_is_chosen_by_name_and_its_rules_are_data(bundled):
    assert set(SCORERS) >= {"bases", "belief"}
    rules = load_rules()
    assert rules.established_min_bases == 2
    by_bases = assess_record(bundled.dataset, "S22-015", "bases")
    by_belief = assess_record(bundled.dataset, "S22-015", "belief")
    # one review base: weight 1.0 (bases scorer); belief 1 - 0.35 = 0.65
    assert (by_bases["confidence_score"], by_bases["confidence"]) == (1.0, "moderate")
    assert (by_belief["confidence_score"], by_belief["confidence"]) == (0.65, "moderate")


# --- the contested test folder ----------------------------------------------------------------


def test_two_bases_giving_opposite_outcomes_are_listed_and_contested(contested):
    found = find_contradictions(contested.dataset, contested.web)
    outcome = [c for c in found if c.kind == "outcome-polarity"]
    assert len(outcome) == 1
    entry = outcome[0].to_dict()
    assert entry["about"] == "joint-working"
    assert entry["bases_differ"] is True
    assert [s["records"] for s in entry["sides"]] == [["C-1"], ["C-2"]]
    assert [s["bases"] for s in entry["sides"]] == [["review-a"], ["interviews-b"]]
    assert entry["sides"][0]["evidence"][0]["source"] == "review-paper"
    # C-3 has a refuting item (review-a) beside a confirming one (interviews-b)
    assert [c.about for c in found if c.kind == "judgement"] == ["C-3"]
    agg = contested.web.aggregated()
    # C-1 says more trust, more joint working (+); C-2 less joint working (-): different bases
    assert agg.edges["trust", "joint-working"]["evidence_status"] == "contested"
    assert agg.edges["trust", "joint-working"]["confidence"] == "low"
    # both records agree that a pooled budget goes with more trust, from two bases
    assert agg.edges["pooled-budget", "trust"]["evidence_status"] == "established"
    assert agg.edges["shared-vision", "conflict"]["evidence_status"] == "contested"
    hops = trace_chains(contested.web, "pooled-budget", "joint-working").to_dict()["chains"][0]["hops"]
    assert hops[0]["evidence_status"] == "contested"


def test_opposite_valences_are_found_without_the_networkx_view(contested):
    # C-1 (more trust, more joint working) and C-2 (less joint working) put a + and a - edge on
    # trust -> joint-working; the check reads the compact edges, so a fresh web stays compact.
    from causal_web.web.graph import build_web

    web = build_web(contested.dataset)
    valence = [c.to_dict() for c in find_contradictions(contested.dataset, web) if c.kind == "valence"]
    assert web._graph is None
    pairs = [(c["configuration"]["cause"], c["configuration"]["effect"]) for c in valence]
    assert ("trust", "joint-working") in pairs
    entry = valence[pairs.index(("trust", "joint-working"))]
    assert [s["label"] for s in entry["sides"]] == ["valence +", "valence -"]
    assert [s["records"] for s in entry["sides"]] == [["C-1"], ["C-2"]]


def test_contradictions_command_lists_them(contested):
    result = CliRunner().invoke(main, ["contradictions", "--data", str(CONTESTED), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 3
    assert {c["kind"] for c in data["contradictions"]} == {"outcome-polarity", "judgement", "valence"}
    text = CliRunner().invoke(main, ["contradictions", "--data", str(CONTESTED)])
    assert "outcome-polarity: joint-working (different bases)" in text.stdout
    bundled = CliRunner().invoke(main, ["contradictions", "--json"])
    assert json.loads(bundled.stdout)["total"] == 0  # every bundled item confirms; no opposite outcomes


# --- verified quotes --------------------------------------------------------------------------


def test_normalising_makes_whitespace_quotes_and_dashes_alike():
    assert normalise_quote("  a \u201cb\u201d\n\t c \u2014 d\u2019s ") == 'a "b" c - d\'s'
    selector = quote_selector("said \u201ctrust  grew\u201d", 'Managers said "trust grew" and more')
    assert selector is not None
    assert (selector.exact, selector.prefix, selector.suffix) == (
        'said "trust grew"',
        "Managers ",
        " and more",
    )


def test_validate_passes_quotes_with_other_whitespace_and_curly_quotes():
    # C-1's quote has curly quotes, extra spaces, a line break and '-' where the text has '\u2013';
    # C-2's quote is checked against the interview report's abstract (with a no-break space)
    report, _counts = validate_folder(CONTESTED)
    assert report.ok, report.summary()
    result = CliRunner().invoke(main, ["validate", str(CONTESTED)])
    assert result.exit_code == 0, result.output


def test_validate_fails_on_a_quote_not_in_its_source(tmp_path):
    folder = tmp_path / "contested"
    shutil.copytree(CONTESTED, folder)
    records = folder / "records.yaml"
    records.write_text(records.read_text().replace("in most of the sites", "in all of the sites"))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    message = result.output
    assert "[C-1] evidence[0].quote" in message
    assert "C-1 evidence[0]: the quote" in message
    assert "source 'review-paper'" in message
    assert "quote.not-in-source" in message


def test_a_quote_whose_source_has_no_text_warns_only_in_strict_mode(tmp_path):
    folder = tmp_path / "contested"
    shutil.copytree(CONTESTED, folder)
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text().replace("    text: texts/review-paper.txt\n", ""))
    assert CliRunner().invoke(main, ["validate", str(folder)]).exit_code == 0
    strict = CliRunner().invoke(main, ["validate", "--strict", str(folder)])
    assert strict.exit_code == 1
    assert "quote.unchecked" in strict.output and "[C-1]" in strict.output


def test_a_text_path_outside_the_data_folder_is_refused(tmp_path):
    folder = tmp_path / "contested"
    shutil.copytree(CONTESTED, folder)
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text().replace("texts/review-paper.txt", "../secret.txt"))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "[review-paper] text" in result.output and "inside the data folder" in result.output


def test_the_turtle_holds_a_text_quote_selector_per_quote_and_passes_shacl(contested):
    graph = Graph().parse(
        data=union_graph(dataset_to_rdf(contested.dataset)).serialize(format="turtle"), format="turtle"
    )
    quotes = [i.quote for c in contested.dataset.cmocs.values() for i in c.evidence if i.quote]
    selectors = set(graph.subjects(RDF.type, OA.TextQuoteSelector))
    assert len(quotes) == len(selectors) == 3
    exact = {str(graph.value(s, OA.exact)) for s in selectors}
    # cut from the source's own text, so the en dash and the line break of the file are kept
    assert 'managers said that "trust grew" and joint\nworking followed – in most of the sites' in exact
    c1 = URIRef("https://w3id.org/causal-web/cmocs/C-1/evidence/1/quote/selector")
    assert graph.value(c1, OA.prefix) == Literal("Where partners pooled a budget, ")
    target = URIRef("https://w3id.org/causal-web/cmocs/C-1/evidence/1/quote")
    assert graph.value(target, OA.hasSource) == URIRef("https://w3id.org/causal-web/sources/review-paper")
    conforms, _graph, text = shacl_validate(
        graph, shacl_graph=Graph().parse(shapes_file()), inference="none", advanced=True
    )
    assert conforms, text


def test_shacl_refuses_a_selector_without_its_exact_words(contested):
    graph = union_graph(dataset_to_rdf(contested.dataset))
    selector = URIRef("https://w3id.org/causal-web/cmocs/C-1/evidence/1/quote/selector")
    graph.remove((selector, OA.exact, None))
    conforms, _graph, text = shacl_validate(
        graph, shacl_graph=Graph().parse(shapes_file()), inference="none", advanced=True
    )
    assert not conforms
    assert "holds the quote once" in text


# --- the evidence matrix ------------------------------------------------------------------------

_MATRIX_QUERY = """
PREFIX cw: <https://w3id.org/causal-web/ns#>
SELECT ?cmoc ?context ?mechanism (COUNT(DISTINCT ?base) AS ?bases) WHERE {
  ?record a cw:CMOC ; cw:kind "cmoc" ;
          cw:hasContext/cw:concept ?c ;
          cw:hasMechanism/cw:concept ?m ;
          cw:hasEvidence/cw:inBase ?base .
  BIND(STRAFTER(STR(?record), "/cmocs/") AS ?cmoc)
  BIND(STRAFTER(STR(?c), "/concepts/") AS ?context)
  BIND(STRAFTER(STR(?m), "/concepts/") AS ?mechanism)
}
GROUP BY ?cmoc ?context ?mechanism
"""


def _cells_by_sparql(kb) -> dict[tuple[str, str], tuple[list[str], set[str]]]:
    cells: dict[tuple[str, str], list[str]] = {}
    for solution in kb.store.query(_MATRIX_QUERY, use_default_graph_as_union=True):
        key = (solution["context"].value, solution["mechanism"].value)
        cells.setdefault(key, []).append(solution["cmoc"].value)
    bases_query = """
    PREFIX cw: <https://w3id.org/causal-web/ns#>
    SELECT DISTINCT ?base WHERE { <%s> cw:hasEvidence/cw:inBase ?base }
    """
    out = {}
    for key, ids in cells.items():
        bases = set()
        for cmoc in ids:
            iri = kb.iris.cmoc(cmoc)
            for row in kb.store.query(bases_query % iri, use_default_graph_as_union=True):
                bases.add(row["base"].value)
        out[key] = (sorted(ids), bases)
    return out


def test_matrix_context_by_mechanism_matches_a_sparql_query(bundled):
    from fastapi.testclient import TestClient

    from causal_web.api.app import create_app

    with TestClient(create_app(bundled)) as client:
        response = client.get("/matrix", params={"rows": "context", "cols": "mechanism"})
    assert response.status_code == 200
    cells = {(c["row"], c["col"]): c for c in response.json()["cells"]}
    expected = _cells_by_sparql(bundled)
    assert expected  # the query finds cells
    assert set(cells) == set(expected)
    for key, (ids, bases) in expected.items():
        assert cells[key]["cmocs"] == ids, key
        assert cells[key]["evidence_bases"] == len(bases), key


def test_matrix_of_the_contested_folder_marks_the_disagreeing_cell(contested):
    matrix = evidence_matrix(contested.dataset, "context", "mechanism")
    cell = next(c for c in matrix["cells"] if (c["row"], c["col"]) == ("pooled-budget", "trust"))
    assert cell["cmocs"] == ["C-1", "C-2"] and cell["evidence_bases"] == 2
    assert cell["evidence_status"] == "contested"
    by_type = evidence_matrix(contested.dataset, "ioc_type", "core-mechanism")
    assert [(c["row"], c["col"], c["cmocs"]) for c in by_type["cells"]] == [
        ("alliance", "trust", ["C-1", "C-2"])
    ]
    csv_out = CliRunner().invoke(
        main, ["matrix", "--data", str(CONTESTED), "--rows", "context", "--cols", "mechanism", "--csv"]
    )
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0] == "context \\ mechanism,conflict,trust"


def test_matrix_refuses_an_unknown_dimension():
    result = CliRunner().invoke(main, ["matrix", "--rows", "colour", "--cols", "mechanism"])
    assert result.exit_code == 2
    assert "unknown matrix dimension 'colour'" in result.output
