"""pyoxigraph terms to rdflib terms, so rdflib graphs can be filled without rdflib's parsers.

rdflib's N-Triples and N-Quads parsers match each line with regular expressions that take
time quadratic in the length of a literal (a 1 MB label: seconds; 10 MB: minutes).
pyoxigraph parses the same text in linear time, and the terms are converted one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import Dataset as RDFDataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

__all__ = ["add_nquads", "nquads_union_graph", "rdflib_term", "triples_graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def rdflib_term(term: object) -> Node:
    """The rdflib term for a pyoxigraph named node, blank node or literal."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def triples_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """``graph`` (a new one by default) with ``triples`` added."""
    graph = Graph() if graph is None else graph
    for triple in triples:
        graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
    return graph


def add_nquads(rdf: RDFDataset, text: str | bytes) -> RDFDataset:
    """Parse N-Quads ``text`` with pyoxigraph and add every quad to ``rdf``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else ""
        graph = graphs.get(key)
        if graph is None:
            graph = rdf.graph(URIRef(key) if key else DATASET_DEFAULT_GRAPH_ID)
            graphs[key] = graph
        graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return rdf


def nquads_union_graph(text: str | bytes) -> Graph:
    """Every quad of N-Quads ``text`` as a triple of one rdflib graph (graph names dropped)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    graph = Graph()
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph
