"""The project's own terms as the ontology declares them, and the namespace module built from them.

``causal_web/rdf/namespaces.py`` is generated text: :func:`render_namespace_module` turns the parsed
``ontology/causal-web.ttl`` into it, and a test fails when the committed file differs. Nothing
here opens files; the caller parses the ontology and writes the result.
"""

from __future__ import annotations

import keyword
from typing import Literal

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

__all__ = [
    "TermKind",
    "ontology_namespace",
    "ontology_terms",
    "render_namespace_module",
]

TermKind = Literal["class", "property", "individual"]

VANN = Namespace("http://purl.org/vocab/vann/")

_KIND_OF_TYPE: dict[URIRef, TermKind] = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
    RDF.Property: "property",
    OWL.NamedIndividual: "individual",
}


def ontology_namespace(graph: Graph) -> str:
    """The namespace IRI the ontology header declares with ``vann:preferredNamespaceUri``."""
    values = {
        str(value)
        for ontology in graph.subjects(RDF.type, OWL.Ontology)
        for value in graph.objects(ontology, VANN.preferredNamespaceUri)
    }
    if len(values) != 1:
        raise ValueError(
            "the ontology must declare exactly one vann:preferredNamespaceUri on its "
            f"owl:Ontology; found {sorted(values) or 'none'}"
        )
    return values.pop()


def ontology_terms(graph: Graph) -> dict[str, TermKind]:
    """Each term the ontology declares in its own namespace: local name -> kind.

    A term's kind comes from its ``rdf:type`` (``owl:Class``, an OWL property type, or
    ``owl:NamedIndividual``). A term in the namespace with no such type, or with two kinds,
    raises ``ValueError``: the namespace module could not place it.
    """
    namespace = ontology_namespace(graph)
    terms: dict[str, TermKind] = {}
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or not str(subject).startswith(namespace):
            continue
        name = str(subject)[len(namespace) :]
        if not name:
            continue
        kinds = {
            _KIND_OF_TYPE[rdf_type]
            for rdf_type in graph.objects(subject, RDF.type)
            if rdf_type in _KIND_OF_TYPE
        }
        if len(kinds) != 1:
            found = ", ".join(sorted(kinds)) or "no class, property or individual type"
            raise ValueError(f"ontology term {name!r} must have exactly one kind; found {found}")
        terms[name] = kinds.pop()
    return dict(sorted(terms.items()))


def _enumeration_members(graph: Graph, enumeration: URIRef) -> list[URIRef]:
    """The ``owl:oneOf`` list of a class, given directly or through ``owl:equivalentClass``."""
    holders = [enumeration, *graph.objects(enumeration, OWL.equivalentClass)]
    for holder in holders:
        head = graph.value(holder, OWL.oneOf)
        if head is not None:
            return [member for member in Collection(graph, head) if isinstance(member, URIRef)]
    return []


def _ordered_individuals(graph: Graph, namespace: str, terms: dict[str, TermKind]) -> list[str]:
    """Individuals grouped by enumeration (enumerations by name), each in its owl:oneOf order.

    Individuals outside every enumeration follow, sorted by name.
    """
    individuals = {name for name, kind in terms.items() if kind == "individual"}
    ordered: list[str] = []
    for enumeration in sorted(name for name, kind in terms.items() if kind == "class"):
        for member in _enumeration_members(graph, URIRef(namespace + enumeration)):
            name = str(member)[len(namespace) :]
            if str(member).startswith(namespace) and name in individuals and name not in ordered:
                ordered.append(name)
    ordered.extend(sorted(individuals.difference(ordered)))
    return ordered


_HEADER = '''"""The project's own RDF vocabulary as a closed namespace.

Generated from ``ontology/causal-web.ttl`` by ``causal-web dev namespace``; a test fails when
the two drift. A misspelt term raises at import time instead of minting a stray IRI.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = ["CW", "CW_IRI"]

CW_IRI = "{namespace}"


class CW(DefinedNamespace):
    """causal-web ontology terms."""

    _NS = Namespace(CW_IRI)
    _fail = True
'''


def render_namespace_module(graph: Graph) -> str:
    """The text of ``causal_web/rdf/namespaces.py`` for the parsed ontology ``graph``.

    Classes and properties are sorted by name; individuals are grouped by their enumeration
    and keep the enumeration's ``owl:oneOf`` order.
    """
    namespace = ontology_namespace(graph)
    if '"' in namespace or "\\" in namespace:
        raise ValueError(f"namespace IRI {namespace!r} cannot be written as a plain string")
    terms = ontology_terms(graph)
    for name in terms:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise ValueError(f"ontology term {name!r} is not usable as a Python attribute name")
    groups = [
        ("classes", sorted(name for name, kind in terms.items() if kind == "class")),
        ("individuals", _ordered_individuals(graph, namespace, terms)),
        ("properties", sorted(name for name, kind in terms.items() if kind == "property")),
    ]
    lines = [_HEADER.format(namespace=namespace)]
    for title, names in groups:
        lines.append(f"\n    # {title}\n")
        lines.extend(f"    {name}: URIRef\n" for name in names)
    return "".join(lines)
