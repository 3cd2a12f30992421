"""SKOS hygiene of the exported vocabulary: skosify run as a checker, and qSKOS-style checks
(labels, schemes, top concepts, orphans, cycles, clashes)."""

from __future__ import annotations

import logging

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from causal_web.rdf.mapping import union_graph


@pytest.fixture(scope="module")
def graph(kb) -> Graph:
    return union_graph(kb.rdf)


def _schemes(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, SKOS.ConceptScheme))


def _scheme_graph(graph: Graph, scheme: URIRef) -> Graph:
    """The scheme and its concepts' SKOS triples, as a vocabulary of its own."""
    out = Graph()
    out.add((scheme, RDF.type, SKOS.ConceptScheme))
    for p, o in graph.predicate_objects(scheme):
        if str(p).startswith(str(SKOS)) or p == DCTERMS.title:
            out.add((scheme, p, o))
    for concept in graph.subjects(SKOS.inScheme, scheme):
        for p, o in graph.predicate_objects(concept):
            if str(p).startswith(str(SKOS)) or (p == RDF.type and o == SKOS.Concept):
                out.add((concept, p, o))
    return out


def test_skosify_finds_nothing_to_fix_in_either_scheme(graph, caplog):
    skosify = pytest.importorskip("skosify")
    assert len(_schemes(graph)) == 2  # the concepts, and the IOC types
    for scheme in _schemes(graph):
        vocabulary = _scheme_graph(graph, scheme)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            skosify.skosify(
                vocabulary,
                label=None,
                mark_top_concepts=True,
                eliminate_redundancy=True,
                break_cycles=True,
                keep_related=True,
                cleanup_classes=False,
                cleanup_properties=False,
                cleanup_unreachable=False,
                narrower=True,
                transitive=False,
                enrich_mappings=False,
                aggregates=False,
                update_query=None,
            )
        problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
        assert problems == [], f"{scheme}: {problems}"


def test_every_scheme_is_labelled_and_declares_its_top_concepts(graph):
    for scheme in _schemes(graph):
        assert graph.value(scheme, SKOS.prefLabel) is not None, scheme
        members = set(graph.subjects(SKOS.inScheme, scheme))
        tops = set(graph.objects(scheme, SKOS.hasTopConcept))
        assert tops and tops <= members
        for concept in members:
            broader = set(graph.objects(concept, SKOS.broader))
            # no orphans: each concept is a top concept or hangs below one in the same scheme
            assert (concept in tops) != bool(broader & members), concept
            assert (concept, SKOS.topConceptOf, scheme) in graph or concept not in tops


def test_labels_are_unique_and_disambiguated_across_schemes(graph):
    seen: dict[str, URIRef] = {}
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        labels = list(graph.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", concept
        key = str(labels[0]).casefold()
        assert key not in seen, f"{concept} and {seen.get(key)} share the label {labels[0]!r}"
        seen[key] = concept
        alt = {str(a).casefold() for a in graph.objects(concept, SKOS.altLabel)}
        assert key not in alt, f"{concept}: its preferred label is also an alternative one"


def test_no_cycles_and_no_related_clash_with_the_hierarchy(graph):
    def ancestors(concept: URIRef) -> set[URIRef]:
        found: set[URIRef] = set()
        todo = list(graph.objects(concept, SKOS.broader))
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(graph.objects(node, SKOS.broader))
        return found

    for concept in graph.subjects(RDF.type, SKOS.Concept):
        up = ancestors(concept)
        assert concept not in up, f"{concept} is broader than itself"
        related = set(graph.objects(concept, SKOS.related))
        assert not related & up, f"{concept} is related to its own broader concept {related & up}"
        assert all((other, SKOS.related, concept) in graph for other in related), "related is symmetric"


def test_ioc_types_match_their_concepts(graph, kb):
    mandated = URIRef(kb.iris.ioc_type("mandated"))
    assert (mandated, SKOS.exactMatch, URIRef(kb.iris.concept("mandated-collaboration"))) in graph
