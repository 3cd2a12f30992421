"""Reading one CMOC for guidance: which mechanism it acts through, and which way a part bears on
a concept (enables, constrains, or no stated sign), from the relations the causal web derives."""

from __future__ import annotations

from causal_web.model.records import CMOC, ConceptGroup, Dataset, PartRef, Polarity, Valence
from causal_web.model.relations import derived_relations, entry_hops

__all__ = ["MECHANISM_SLOTS", "direction_of", "mechanism_of", "target_of", "valence_to"]

MECHANISM_SLOTS = ("mechanism", "mechanism_resource", "mechanism_response")
_GROUPED = (ConceptGroup.CORE_MECHANISM.value, ConceptGroup.SUPPORTING_MECHANISM.value)


def _group(dataset: Dataset, concept_id: str | None) -> str:
    """The concept's group, or the group of a broader concept (initial trust is trust's)."""
    seen: set[str] = set()
    todo = [concept_id] if concept_id else []
    while todo:
        current = todo.pop()
        concept = dataset.concepts.get(current)
        if concept is None or current in seen:
            continue
        seen.add(current)
        if concept.group:
            return concept.group
        todo.extend(concept.broader)
    return ""


def _grouped_ancestor(dataset: Dataset, concept_id: str) -> str:
    concept = dataset.concepts.get(concept_id)
    if concept is None or concept.group:
        return concept_id
    for parent in concept.broader:
        if _group(dataset, parent):
            return _grouped_ancestor(dataset, parent)
    return concept_id


def mechanism_of(dataset: Dataset, cmoc: CMOC) -> str | None:
    """The mechanism a configuration is grouped under: its first core or supporting mechanism in
    the mechanism slots, else in the outcome, else in the context; else its first performance
    domain; else its first coded mechanism (docs/guidance.md)."""
    slots = (MECHANISM_SLOTS, ("outcome",), ("context",))
    for names in slots:
        for name in names:
            for part in cmoc.slots(name):
                if part.concept and _group(dataset, part.concept) in _GROUPED:
                    return _grouped_ancestor(dataset, part.concept)
    for name in MECHANISM_SLOTS:
        for part in cmoc.slots(name):
            if part.concept and _group(dataset, part.concept) == ConceptGroup.PERFORMANCE_DOMAIN.value:
                return part.concept
    for name in MECHANISM_SLOTS:
        for part in cmoc.slots(name):
            if part.concept:
                return part.concept
    return None


def target_of(cmoc: CMOC) -> PartRef | None:
    """What the configuration leads to: its first coded outcome part, else its first coded mechanism."""
    for name in ("outcome", *MECHANISM_SLOTS):
        for index, part in enumerate(cmoc.slots(name)):
            if part.concept:
                return PartRef(name, index)
    return None


def valence_to(dataset: Dataset, cmoc: CMOC, start: PartRef, toward: str) -> Valence:
    """The concept-level valence from part ``start`` to the concept ``toward`` (or a narrower one)
    within the configuration: a direct relation first, else a step through its mechanisms."""
    accepted = dataset.narrower(toward)
    found = {
        r.valence
        for r in derived_relations(cmoc)
        if r.source == start and (cmoc.part(r.target) or _NONE).concept in accepted
    }
    if start.slot == "outcome":
        found |= {
            r.valence
            for r in derived_relations(cmoc)
            if r.target == start and (cmoc.part(r.source) or _NONE).concept in accepted
        }
    if not found:
        found = {
            valence
            for first, end, valence, _through in entry_hops(cmoc)
            if first == start and (cmoc.part(end) or _NONE).concept in accepted
        }
    signed = {v for v in found if v.signed}
    return signed.pop() if len(signed) == 1 else Valence.UNSPECIFIED


def direction_of(dataset: Dataset, cmoc: CMOC, start: PartRef, toward: str) -> str:
    """How the part *as worded* bears on ``toward``: ``enables``, ``constrains`` or ``unspecified``.

    The web's valence is between concepts; a part worded as a decrease ("Unambitious aims") turns it.
    """
    part = cmoc.part(start)
    valence = valence_to(dataset, cmoc, start, toward)
    if part is None or not valence.signed:
        return "unspecified"
    positive = valence is Valence.POSITIVE
    if part.polarity is Polarity.DECREASE:
        positive = not positive
    return "enables" if positive else "constrains"


class _Uncoded:
    concept: str | None = None


_NONE = _Uncoded()
