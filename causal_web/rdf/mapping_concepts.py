"""The concept scheme as RDF: each concept as a ``skos:Concept`` with its labels, hierarchy,
matches and group, written by :func:`causal_web.rdf.mapping.iter_nquads` into the catalogue."""

from __future__ import annotations

from causal_web.model.records import Concept
from causal_web.rdf.iris import IRIs
from causal_web.rdf.mapping_terms import T_CW, T_SKOS, write_value_list
from causal_web.rdf.nquads_writer import ID, NOTE, TYPE, Writer, literal, value_list

__all__ = ["GROUP_LABELS", "english", "exact_matches", "write_concept"]


def write_concept(w: Writer, iris: IRIs, concept: Concept, narrower: list[str], related_by: set[str]) -> None:
    node = iris.concept(concept.id)
    w.iri(node, TYPE, T_SKOS.Concept)
    w.iri(node, T_SKOS.inScheme, iris.scheme)
    w.text(node, T_SKOS.prefLabel, concept.pref_label, "en")
    for alt in concept.alt_labels:
        w.text(node, T_SKOS.altLabel, alt, "en")
    alts = [a for a in concept.alt_labels if a]
    write_value_list(w.add, node, "alt-labels", T_SKOS.altLabel, alts, sorted(set(alts)), english)
    w.text(node, T_SKOS.definition, concept.definition, "en")
    w.text(node, ID, concept.id)
    for parent in concept.broader:
        w.iri(node, T_SKOS.broader, iris.concept(parent))
    if not concept.broader:
        w.iri(node, T_SKOS.topConceptOf, iris.scheme)
        w.iri(iris.scheme, T_SKOS.hasTopConcept, node)
    for child in narrower:
        w.iri(node, T_SKOS.narrower, iris.concept(child))
    for other in concept.related:
        w.iri(node, T_SKOS.related, iris.concept(other))
        w.iri(iris.concept(other), T_SKOS.related, node)
    value_list(
        w, node, "broader", T_SKOS.broader, concept.broader, sorted(set(concept.broader)), iris.concept
    )
    both_ways = sorted(set(concept.related) | related_by)
    value_list(w, node, "related", T_SKOS.related, concept.related, both_ways, iris.concept)
    exact_matches(w, iris, node, concept)
    w.text(node, NOTE, concept.notes, "en")
    if concept.group:
        group = iris.group(concept.group)
        w.iri(node, T_CW.group, group)
        w.iri(group, T_SKOS.member, node)
    w.text(node, T_CW.role, concept.role)


def english(value: str) -> str:
    return literal(value, "en")


def exact_matches(w: Writer, iris: IRIs, node: str, concept: Concept) -> None:
    """``skos:exactMatch``: an outside IRI as it is, a concept ID as the concept's IRI."""
    matches = {other: other if ":" in other else iris.concept(other) for other in concept.exact_match}
    for other in concept.exact_match:
        w.iri(node, T_SKOS.exactMatch, matches[other])
    default = sorted(matches)
    value_list(w, node, "exact-match", T_SKOS.exactMatch, concept.exact_match, default, matches.__getitem__)


GROUP_LABELS = {
    "core-mechanism": "Core mechanisms",
    "supporting-mechanism": "Supporting mechanisms",
    "performance-domain": "Performance domains",
    "long-term-outcome": "Long-term outcomes",
}
