"""Exports of a knowledge base: RDF serialisations and graph files for other tools."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from causal_web.errors import QueryError

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["RDF_MEDIA_TYPES", "export_text", "rdf_text"]

RDF_MEDIA_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
_RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt11", "trig": "trig", "nquads": "nquads"}


def rdf_text(kb: KnowledgeBase, fmt: str) -> str:
    """The whole knowledge base as RDF. ttl, nt and jsonld carry the union of all graphs;
    trig and nquads keep one named graph per phase.

    N-Quads are written from the records; the other formats go through an rdflib Dataset
    made for this export alone (or the one a notebook already built as ``kb.rdf``), which is
    dropped afterwards: the service keeps no rdflib copy of its data.
    """
    from causal_web.rdf.mapping import union_graph

    if fmt == "nquads":
        return kb.nquads
    rdf = kb.__dict__.get("rdf") or kb.build_rdf()
    if fmt == "trig":
        return rdf.serialize(format="trig")
    graph = union_graph(rdf)
    del rdf
    if fmt == "jsonld":
        # The published context's plain keys (see causal_web.rdf.jsonld); rdflib compacts the
        # whole graph with it far faster than a JSON-LD processor would.
        from causal_web.rdf.jsonld import vocabulary_context

        return graph.serialize(format="json-ld", context=copy.deepcopy(vocabulary_context()))
    return graph.serialize(format=_RDFLIB_FORMATS[fmt])


def export_text(kb: KnowledgeBase, fmt: str) -> str | bytes:
    """The knowledge base in ``fmt``: an RDF format or a graph format (graphml, gexf,
    cytoscape, csv, dot: text; causal-map: an XLSX workbook, as bytes)."""
    if fmt in RDF_MEDIA_TYPES:
        return rdf_text(kb, fmt)
    from causal_web.web import formats as graph_exports

    try:
        render = graph_exports.RENDERERS[fmt]
    except KeyError:
        raise QueryError(f"unknown export format {fmt!r}") from None
    return render(kb.web)
