"""One resource of a knowledge base, by kind and ID: its record, and its own RDF.

A resource's RDF is what a linked-data client gets when it dereferences the resource's IRI:
every triple whose subject is the resource, plus those of its sub-nodes, the IRIs minted under
the resource's own (``cmocs/R21-016/context/1``, ``cmocs/R21-016/citation``, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph

from causal_web.errors import QueryError, UnknownIdError
from causal_web.rdf.convert import triples_graph as add_triples
from causal_web.rdf.mapping import PREFIXES

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase
    from causal_web.model.records import Dataset

__all__ = [
    "RDF_FORMATS",
    "RESOURCE_KINDS",
    "describe_resource",
    "get_resource",
    "graph_text",
    "own_triples",
    "resource_iri",
    "resource_rdf_text",
    "triples_graph",
]

# kind -> (Dataset attribute holding the records, the kind's name in messages, IRIs method)
RESOURCE_KINDS: dict[str, tuple[str, str, str]] = {
    "cmoc": ("cmocs", "CMOC", "cmoc"),
    "concept": ("concepts", "concept", "concept"),
    "source": ("sources", "source", "source"),
    "phase": ("phases", "phase", "phase"),
    "link": ("links", "causal link", "link"),
    "mechanism": ("mechanisms", "mechanism entry", "mechanism"),
    "ioc_type": ("ioc_types", "IOC type", "ioc_type"),
    "nesting": ("nestings", "nesting", "nesting"),
    "entry-point": ("entry_points", "entry point", "entry_point"),
    "demi-regularity": ("demi_regularities", "demi-regularity", "demi_regularity"),
    "theory": ("theories", "middle-range theory", "theory"),
    "base": ("bases", "evidence base", "base_of_evidence"),
}
# Format name -> rdflib serializer name.
RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt11", "xml": "xml"}


def _kind(kind: str) -> tuple[str, str, str]:
    try:
        return RESOURCE_KINDS[kind]
    except KeyError:
        raise QueryError(f"kind must be one of {', '.join(RESOURCE_KINDS)}, not {kind!r}") from None


def get_resource(dataset: Dataset, kind: str, id: str) -> Any:
    """The record of ``kind`` with this ID; raises :class:`UnknownIdError` with close matches."""
    attribute, label, _ = _kind(kind)
    records = dataset.all_bases() if kind == "base" else getattr(dataset, attribute)
    record = records.get(id)
    if record is None:
        raise UnknownIdError(label, id, records)
    return record


def resource_iri(kb: KnowledgeBase, kind: str, id: str) -> str:
    """The IRI the knowledge base gives the resource."""
    return getattr(kb.iris, _kind(kind)[2])(id)


def own_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """Every triple whose subject is ``iri`` or one of its sub-nodes (IRIs under ``iri/``
    that it refers to), from every graph of the store."""
    prefix = iri + "/"
    triples: dict[ox.Triple, None] = {}
    todo, seen = [iri], {iri}
    while todo:
        subject = todo.pop()
        for quad in store.quads_for_pattern(ox.NamedNode(subject), None, None, None):
            triples[quad.triple] = None
            value = quad.object
            if isinstance(value, ox.NamedNode) and value.value.startswith(prefix) and value.value not in seen:
                seen.add(value.value)
                todo.append(value.value)
    return list(triples)


def describe_resource(kb: KnowledgeBase, kind: str, id: str) -> Graph:
    """The resource's own triples and those of its sub-nodes, from every graph of the store.

    Raises :class:`UnknownIdError` (with close matches) when the knowledge base has no such
    resource.
    """
    get_resource(kb.dataset, kind, id)
    return triples_graph(kb, own_triples(kb.store, resource_iri(kb, kind, id)))


def triples_graph(kb: KnowledgeBase, triples: list[ox.Triple]) -> Graph:
    """An rdflib graph of ``triples``, with the knowledge base's prefixes bound."""
    graph = Graph()
    add_triples(triples, graph)  # not graph.parse: rdflib's N-Triples parser is quadratic
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("cmoc", kb.iris.cmoc(""))
    graph.bind("concept", kb.iris.concept(""))
    graph.bind("source", kb.iris.source(""))
    return graph


def resource_rdf_text(kb: KnowledgeBase, kind: str, id: str, fmt: str) -> str:
    """The resource's RDF as ``ttl``, ``jsonld`` (framed on the resource), ``nt`` or ``xml``."""
    if fmt not in RDF_FORMATS:
        raise QueryError(f"format must be one of {', '.join(RDF_FORMATS)}, not {fmt!r}")
    return graph_text(describe_resource(kb, kind, id), fmt, root=resource_iri(kb, kind, id))


def graph_text(graph: Graph, fmt: str, root: str | None = None) -> str:
    """``graph`` as ``ttl``, ``nt``, ``xml`` (RDF/XML) or ``jsonld``: JSON-LD with the
    vocabulary's plain keys, framed on ``root`` when one is given (see :mod:`.jsonld`)."""
    if fmt == "jsonld":
        import json

        from causal_web.rdf.jsonld import compact_jsonld, framed_jsonld

        document = framed_jsonld(graph, root) if root is not None else compact_jsonld(graph)
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return graph.serialize(format=RDF_FORMATS[fmt])
