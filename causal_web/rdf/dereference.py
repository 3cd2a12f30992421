"""Dereferencing: the RDF that answers for any IRI the knowledge base mints.

:func:`describe_iri` is the generic answer a linked-data client gets for an IRI under the
base: the triples with the IRI as subject, plus those of its sub-nodes (IRIs under
``iri/`` that it refers to, such as ``cmocs/R21-016/context/1``), from every graph. A named
graph's IRI answers with a short description of the graph and its contents. Records, slots,
citations, groups, IOC types, schemes and whatever the data model adds later all resolve the
same way, because nothing here lists the kinds of resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from causal_web.rdf.describe import own_triples, triples_graph

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["Described", "describe_iri", "vocabulary_graph"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


@dataclass(frozen=True)
class Described:
    """What answers for one IRI: its graph, and whether the IRI names a graph of the store."""

    iri: str
    graph: Graph
    named_graph: bool = False
    size: int = 0  # for a named graph: the triples it holds

    @property
    def frame_root(self) -> str | None:
        """The node JSON-LD is framed on (None: the graph's contents are not all reachable)."""
        return None if self.named_graph else self.iri


def _named_graph(kb: KnowledgeBase, iri: str) -> Described | None:
    node = ox.NamedNode(iri)
    if not any(graph == node for graph in kb.store.named_graphs()):
        return None
    triples = [quad.triple for quad in kb.store.quads_for_pattern(None, None, None, node)]
    graph = triples_graph(kb, triples)
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    subject = URIRef(iri)
    graph.add((subject, RDF.type, SD.Graph))
    graph.add((subject, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    name = iri.rstrip("/").rsplit("/", 1)[-1]
    graph.add((subject, RDFS.label, Literal(f"Named graph {name}")))
    return Described(iri, graph, named_graph=True, size=len(triples))


def describe_iri(kb: KnowledgeBase, iri: str) -> Described | None:
    """The RDF that answers for ``iri``, or None when the store says nothing about it."""
    try:
        named = _named_graph(kb, iri)
    except ValueError:  # not a valid IRI
        return None
    if named is not None:
        return named
    triples = own_triples(kb.store, iri)
    if not triples:
        return None
    return Described(iri, triples_graph(kb, triples))


@lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    """The vocabulary (the bundled ontology), as served at its namespace IRI."""
    from causal_web.resources import ontology_file

    return Graph().parse(ontology_file(), format="turtle")
