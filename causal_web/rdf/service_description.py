"""The SPARQL 1.1 Service Description of the endpoint: what it runs, what it returns, and the
dataset it queries, as RDF (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from causal_web.rdf.sparql_formats import RDF_FORMATS

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = [
    "SERVICE_DESCRIPTION_MEDIA_TYPES",
    "describe_service",
    "graph_sizes",
    "kept_graph_sizes",
    "serialize_description",
]

SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_VOID = "http://rdfs.org/ns/void#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_ENTAILMENT_SIMPLE = "http://www.w3.org/ns/entailment/Simple"

# Media type -> pyoxigraph format key, in the order offered (the first is the default).
SERVICE_DESCRIPTION_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/n-triples": "nt",
}
_RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "JSON-LD",
    "N-Triples",
    "RDF_XML",
)
_PREFIXES = {"sd": SD, "formats": _FORMATS, "void": _VOID, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def graph_sizes(store: ox.Store) -> list[tuple[str, int]]:
    """Every named graph of ``store`` with its number of triples, sorted by IRI."""
    solutions = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sizes = [(row["g"].value, int(row["n"].value)) for row in solutions if isinstance(row["g"], ox.NamedNode)]
    return sorted(sizes)


def kept_graph_sizes(kb: KnowledgeBase) -> list[tuple[str, int]]:
    """:func:`graph_sizes` of the knowledge base's store, counted once and kept on it (an index
    counts them when it is built: a large store takes seconds)."""
    return kb.kept("graph sizes", lambda: graph_sizes(kb.store))


def describe_service(
    endpoint: str, graphs: Sequence[tuple[str, int]], *, limits: str | None = None
) -> list[ox.Triple]:
    """The description of a read-only SPARQL 1.1 Query service at ``endpoint`` whose default
    graph is the union of ``graphs`` (IRI, triple count), each also available as a named graph.

    ``limits`` (a sentence on time, memory and row limits) goes in an ``rdfs:comment``.
    """
    service = ox.NamedNode(endpoint)

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode(_ENTAILMENT_SIMPLE)),
    ]
    triples += [
        ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + name)) for name in _RESULT_FORMAT_IRIS
    ]
    if limits:
        triples.append(ox.Triple(service, _COMMENT, ox.Literal(limits, language="en")))
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, _RDF_TYPE, sd("Graph")),
        ox.Triple(default, ox.NamedNode(_VOID + "triples"), ox.Literal(sum(n for _, n in graphs))),
    ]
    for iri, size in graphs:
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, _RDF_TYPE, sd("Graph")),
            ox.Triple(graph, ox.NamedNode(_VOID + "triples"), ox.Literal(size)),
        ]
    return triples


def serialize_description(triples: Sequence[ox.Triple], media_type: str) -> bytes:
    """The description as one of :data:`SERVICE_DESCRIPTION_MEDIA_TYPES`."""
    fmt = SERVICE_DESCRIPTION_MEDIA_TYPES[media_type]
    prefixes = _PREFIXES if fmt in ("ttl", "rdfxml") else None
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
