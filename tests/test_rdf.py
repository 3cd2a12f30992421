"""RDF exports: they parse, pass the SHACL shapes, and agree with each other and the store."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from pyshacl import validate
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from causal_web.exports import rdf_text
from causal_web.rdf.namespaces import CW
from causal_web.resources import ontology_file, shapes_file


@pytest.fixture(scope="module")
def turtle(kb) -> Graph:
    return Graph().parse(data=rdf_text(kb, "ttl"), format="turtle")


def test_turtle_export_passes_the_shapes(turtle):
    shapes = Graph().parse(shapes_file())
    ontology = Graph().parse(ontology_file())
    conforms, _graph, text = validate(
        turtle, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    assert conforms, text


def test_turtle_export_holds_every_record(kb, turtle):
    cmocs = set(turtle.subjects(RDF.type, CW.CMOC))
    assert len(cmocs) == len(kb.dataset.cmocs) == 40
    assert len(set(turtle.subjects(RDF.type, CW.CausalLink))) == 20
    assert len(set(turtle.subjects(RDF.type, CW.MechanismEntry))) == 12
    assert len(set(turtle.subjects(RDF.type, CW.EntryPoint))) == 6
    # every CMOC's evidence is there, and R21-022's cut-off fragment has no concept
    assert len(set(turtle.subjects(RDF.type, CW.EvidenceItem))) >= 40 + 20 + 12
    fragment = URIRef(kb.iris.cmoc("R21-022") + "/outcome/2")
    assert str(turtle.value(fragment, CW.publishedLabel)) == "greater ambi[TRUNCATED]"
    assert turtle.value(fragment, CW.concept) is None
    r21 = URIRef(kb.iris.cmoc("R21-016"))
    context = turtle.value(r21, CW.hasContext)
    assert str(turtle.value(context, CW.publishedLabel)) == "Shared vision"
    assert turtle.value(context, CW.concept) == URIRef(kb.iris.concept("shared-vision"))


def test_jsonld_reads_back_isomorphic_to_turtle(kb, turtle):
    text = rdf_text(kb, "jsonld")
    json.loads(text)  # well-formed JSON
    assert isomorphic(Graph().parse(data=text, format="json-ld"), turtle)


def test_ntriples_isomorphic_to_turtle(kb, turtle):
    assert isomorphic(Graph().parse(data=rdf_text(kb, "nt"), format="nt"), turtle)


def test_trig_has_one_named_graph_per_phase(kb):
    dataset = Dataset()
    dataset.parse(data=rdf_text(kb, "trig"), format="trig")
    names = {str(g.identifier) for g in dataset.graphs()}
    for phase in ("review-2021", "evaluation-2022", "summary-2022", "refined-2021"):
        assert kb.iris.graph(phase) in names
    review = dataset.graph(URIRef(kb.iris.graph("review-2021")))
    assert len(set(review.subjects(RDF.type, CW.CMOC))) == 22
    summary = dataset.graph(URIRef(kb.iris.graph("summary-2022")))
    assert URIRef(kb.iris.cmoc("R21-001")) not in set(summary.subjects())


def test_store_holds_the_same_quads_as_rdflib(kb):
    from causal_web.rdf.store import select_rows

    count = select_rows(
        kb.store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(?g != <{kb.iris.graph('ontology')}>) }}",
    )[0]["n"]
    assert count == len(kb.rdf)


def test_export_mints_the_canonical_base_by_default(tmp_path):
    out = tmp_path / "kb.nt"
    result = run_cli("export", "--format", "nt", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "localhost" not in text
    graph = Graph().parse(out, format="nt")
    assert (URIRef("https://w3id.org/causal-web/cmocs/R21-001"), RDF.type, CW.CMOC) in graph


def test_json_ld_export_uses_the_plain_keys_of_the_context(kb):
    import json

    from rdflib.compare import isomorphic

    from causal_web.exports import rdf_text

    text = rdf_text(kb, "jsonld")
    nodes = json.loads(text)["@graph"]
    slot = next(n for n in nodes if n["id"] == kb.iris.cmoc("R21-016") + "/mechanism/1")
    assert slot["publishedLabel"] == "Reduced conflict"
    assert slot["polarity"] == "Decrease"
    assert not any("cw:publishedLabel" in node for node in nodes)  # only the context names it
    assert isomorphic(Graph().parse(data=text, format="json-ld"), Graph().parse(data=rdf_text(kb, "ttl")))


def test_base_iri_is_configurable(tmp_path):
    out = tmp_path / "kb.ttl"
    result = run_cli("export", "--format", "ttl", "--base-iri", "https://example.org/ioc/", "-o", str(out))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out)
    assert (URIRef("https://example.org/ioc/cmocs/R21-001"), RDF.type, CW.CMOC) in graph


def test_export_to_file_is_written_whole(tmp_path):
    out = tmp_path / "kb.nt"
    assert run_cli("export", "--format", "nt", "-o", str(out)).returncode == 0
    assert len(Graph().parse(out, format="nt")) > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["kb.nt"]  # no temporary file left behind
