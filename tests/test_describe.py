"""causal_web.rdf.describe: a resource's record and its own RDF."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from causal_web.errors import QueryError, UnknownIdError
from causal_web.rdf.describe import RESOURCE_KINDS, describe_resource, get_resource, resource_rdf_text
from causal_web.rdf.namespaces import CW


def test_a_cmoc_with_its_slots_and_citation(kb):
    graph = describe_resource(kb, "cmoc", "R21-016")
    cmoc = URIRef(kb.iris.cmoc("R21-016"))
    assert (cmoc, RDF.type, CW.CMOC) in graph
    subjects = {str(s) for s in graph.subjects()}
    assert subjects == {
        kb.iris.cmoc("R21-016"),
        kb.iris.cmoc("R21-016") + "/context/1",
        kb.iris.cmoc("R21-016") + "/mechanism/1",
        kb.iris.cmoc("R21-016") + "/outcome/1",
        kb.iris.cmoc("R21-016") + "/citation",
        # one evidence item (Table 3, row 16) and the two relations the tool derives:
        # shared vision enables reduced conflict, which generates enhanced trust
        kb.iris.cmoc("R21-016") + "/evidence/1",
        kb.iris.cmoc("R21-016") + "/relations/1",
        kb.iris.cmoc("R21-016") + "/relations/2",
    }
    relation = URIRef(kb.iris.cmoc("R21-016") + "/relations/1")
    assert (relation, CW.relationType, CW.Enables) in graph


def test_only_the_resources_own_triples(kb):
    graph = describe_resource(kb, "concept", "trust")
    # the concept and its one sub-node: the list of its alternative labels, in their order
    own = {kb.iris.concept("trust"), kb.iris.concept("trust") + "/lists/alt-labels"}
    assert {str(s) for s in graph.subjects()} == own
    assert (URIRef(kb.iris.concept("trust")), RDF.type, SKOS.Concept) in graph


@pytest.fixture(scope="module")
def icamo():
    from conftest import FIXTURES

    import causal_web

    return causal_web.load(FIXTURES / "icamo")


@pytest.mark.parametrize("kind", sorted(RESOURCE_KINDS))
def test_every_kind_has_triples(kb, icamo, kind):
    records = getattr(kb.dataset, RESOURCE_KINDS[kind][0])
    if not records:  # the bundled review has no demi-regularities or theories transcribed
        kb = icamo
        records = getattr(kb.dataset, RESOURCE_KINDS[kind][0])
    some_id = next(iter(records))
    assert get_resource(kb.dataset, kind, some_id) is records[some_id]
    assert len(describe_resource(kb, kind, some_id)) > 0


def test_unknown_ids_suggest_close_matches(kb):
    with pytest.raises(UnknownIdError, match="Did you mean: trust") as caught:
        describe_resource(kb, "concept", "trsut")
    assert caught.value.suggestions == ["trust"]
    with pytest.raises(QueryError, match="kind must be one of"):
        get_resource(kb.dataset, "widget", "x")


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_text_formats_hold_the_same_graph(kb, fmt, parser):
    text = resource_rdf_text(kb, "source", "R21-S001", fmt)
    assert isomorphic(Graph().parse(data=text, format=parser), describe_resource(kb, "source", "R21-S001"))
