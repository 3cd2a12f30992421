"""JSON-LD that reads as plain JSON: a published ``@context`` and framed resources.

The context is built from the ontology, so a term the ontology adds gets a plain key without a
code change: ``cw:publishedLabel`` reads ``publishedLabel``, a slot property ``cw:hasContext``
reads ``context``, and values that are the vocabulary's own individuals (``cw:Increase``) read
as their local names. A resource is *framed* with pyld: the resource is the top object, and its
sub-nodes (slots, citations) are nested in it, so a client reads ``doc["context"][0]["concept"]``
whatever order the triples came in.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from causal_web.rdf.namespaces import CW_IRI
from causal_web.rdf.ontology_terms import ontology_terms

__all__ = ["CONTEXT_PATH", "build_context", "compact_jsonld", "framed_jsonld", "vocabulary_context"]

# Where the service publishes the context, relative to its root.
CONTEXT_PATH = "context.jsonld"

_PREFIXES = {
    "cw": CW_IRI,
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}
_REF = "@id"
# Terms from other vocabularies that the data uses: key -> (IRI, value kind, repeated?).
_SHARED_TERMS: dict[str, tuple[str, str | None, bool]] = {
    "label": (str(RDFS.label), None, False),
    "comment": (str(RDFS.comment), None, False),
    "identifier": (str(DCTERMS.identifier), None, False),
    "title": (str(DCTERMS.title), None, False),
    "description": (str(DCTERMS.description), None, False),
    "date": (str(DCTERMS.date), None, False),
    "bibliographicCitation": (str(DCTERMS.bibliographicCitation), None, False),
    "isPartOf": (str(DCTERMS.isPartOf), _REF, False),
    "note": (str(SKOS.note), None, False),
    "prefLabel": (str(SKOS.prefLabel), "en", False),
    "altLabel": (str(SKOS.altLabel), "en", True),
    "definition": (str(SKOS.definition), "en", False),
    "inScheme": (str(SKOS.inScheme), _REF, False),
    "topConceptOf": (str(SKOS.topConceptOf), _REF, False),
    "hasTopConcept": (str(SKOS.hasTopConcept), _REF, True),
    "broader": (str(SKOS.broader), _REF, True),
    "narrower": (str(SKOS.narrower), _REF, True),
    "related": (str(SKOS.related), _REF, True),
    "member": (str(SKOS.member), _REF, True),
    "exactMatch": (str(SKOS.exactMatch), _REF, True),
    "closeMatch": (str(SKOS.closeMatch), _REF, True),
    "wasDerivedFrom": (str(PROV.wasDerivedFrom), _REF, True),
    "wasRevisionOf": (str(PROV.wasRevisionOf), _REF, False),
}
# cw: object properties that hold several values in most records, always given as lists.
_REPEATED = re.compile(r"^(has[A-Z].*|supportedBy|iocType|group|evidence)$")


def _key(local: str) -> str:
    """``hasContext`` -> ``context``: a slot property reads as the slot's name."""
    if re.match(r"^has[A-Z]", local):
        return local[3].lower() + local[4:]
    return local


def build_context(ontology: Graph) -> dict[str, Any]:
    """The ``@context`` object for the vocabulary declared in ``ontology``."""
    terms = ontology_terms(ontology)
    individuals_classes = {
        cls
        for name, kind in terms.items()
        if kind == "individual"
        for cls in ontology.objects(URIRef(CW_IRI + name), RDF.type)
        if cls != OWL.NamedIndividual
    }
    context: dict[str, Any] = {"@version": 1.1, **_PREFIXES, "@vocab": CW_IRI, "id": "@id", "type": "@type"}
    for key, (iri, kind, repeated) in _SHARED_TERMS.items():
        definition: dict[str, Any] = {"@id": iri}
        if kind == _REF:
            definition["@type"] = "@id"
        elif kind is not None:
            definition["@language"] = kind
        if repeated:
            definition["@container"] = "@set"
        context[key] = definition
    properties = sorted(name for name, kind in terms.items() if kind == "property")
    locals_ = set(properties)
    for name in properties:
        iri = URIRef(CW_IRI + name)
        key = _key(name)
        if key != name and (key in locals_ or key in context):
            key = name  # e.g. both cw:hasX and cw:x: keep the longer name for the slot property
        if key in context:
            continue
        definition = {"@id": f"cw:{name}"}
        if (iri, RDF.type, OWL.ObjectProperty) in ontology:
            ranges = set(ontology.objects(iri, RDFS.range))
            definition["@type"] = "@vocab" if ranges & individuals_classes else "@id"
            if _REPEATED.match(name):
                definition["@container"] = "@set"
        context[key] = definition
    return context


@lru_cache(maxsize=1)
def vocabulary_context() -> dict[str, Any]:
    """The context for the bundled ontology, built once per process."""
    from causal_web.resources import ontology_file

    return build_context(Graph().parse(ontology_file(), format="turtle"))


def _expanded(graph: Graph) -> list:
    nquads = graph.serialize(format="nt11")
    return jsonld.from_rdf(nquads, {"format": "application/n-quads", "useNativeTypes": True})


def framed_jsonld(graph: Graph, root: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """``graph`` as JSON-LD framed on ``root``: one object with its sub-nodes nested in it.

    Every node of ``graph`` should be reachable from ``root`` (as in a resource's own RDF);
    use :func:`compact_jsonld` for a graph that is not.
    """
    context = copy.deepcopy(context or vocabulary_context())
    frame = {"@context": context, "@id": root}
    # "@always": a part referenced from a relation or a shortcut (enables, generates) is still
    # nested in full under its slot, so the slot lists read as plain objects.
    framed = jsonld.frame(_expanded(graph), frame, {"embed": "@always", "omitGraph": True})
    if "@graph" in framed and not framed["@graph"]:
        return {"@context": context}
    return framed


def compact_jsonld(graph: Graph, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """``graph`` as JSON-LD compacted with the vocabulary's context (nodes in ``@graph``)."""
    context = copy.deepcopy(context or vocabulary_context())
    return jsonld.compact(_expanded(graph), context)
