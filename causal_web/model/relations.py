"""How the parts of one configuration relate, read as realists read them.

A context (or an intervention) *enables* or *constrains* a mechanism, a mechanism resource
triggers a response, and a mechanism *generates* an outcome. The tool derives one relation for
each pair of coded parts in those positions; a record's own ``relations`` add what the source
states beyond its wording (a stated valence, a "tempers", an "and").

Two directions are kept apart:

* the **relation** is read between the parts as worded. A configuration says that in this
  context the mechanism, as worded, fires: "Shared vision" *enables* "Reduced conflict". Only a
  source's own statement ("Capacity issues ... negative influence" on faith) makes it
  *constrains*.
* the **valence** is read between the concepts, for the causal web: does more of the cause's
  concept go with more or with less of the effect's? It comes from the wording of the two parts
  (increase, decrease; a bare cause reads as the presence of the factor, a bare effect gives no
  direction, because "leadership behaviours shape trust" does not say whether trust grows),
  turned by a stated valence where the source gives one. "Shared vision" → "Reduced conflict"
  is −: shared vision goes with less conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from causal_web.model.records import CMOC, Part, PartRef, Polarity, Valence

__all__ = ["DerivedRelation", "concept_valence", "derived_relations", "entry_hops", "wording_valence"]

_ENTRY_SLOTS = ("intervention", "context")
_MECHANISM_SLOTS = ("mechanism", "mechanism_resource", "mechanism_response")
_DIRECTION = {Polarity.INCREASE: Valence.POSITIVE, Polarity.DECREASE: Valence.NEGATIVE}


@dataclass(frozen=True, slots=True)
class DerivedRelation:
    """One relation between two coded parts of a configuration."""

    source: PartRef
    target: PartRef
    relation: str  # enables | constrains | generates, between the parts as worded
    valence: Valence  # between the concepts: +, - or unspecified
    stated: bool  # True when the source states the relation's direction (a stated valence)
    stated_valence: Valence | None = None  # that direction, between the parts as worded


def wording_valence(cause: Part, effect: Part) -> Valence:
    """The concept-level valence that the wording of two parts gives (module docstring)."""
    cause_direction = _DIRECTION.get(cause.polarity, Valence.POSITIVE)
    effect_direction = _DIRECTION.get(effect.polarity, Valence.UNSPECIFIED)
    return cause_direction.compose(effect_direction)


def concept_valence(cause: Part, effect: Part, stated: Valence | None) -> Valence:
    """The concept-level valence of a relation, from a stated part-level valence if any.

    A stated valence is about the parts as worded, so it is turned by their directions; with a
    stated valence a bare effect reads as present, since the source has said which way it moves.
    """
    if stated is None or not stated.signed:
        return wording_valence(cause, effect)
    cause_direction = _DIRECTION.get(cause.polarity, Valence.POSITIVE)
    effect_direction = _DIRECTION.get(effect.polarity, Valence.POSITIVE)
    return stated.compose(cause_direction).compose(effect_direction)


def _refs(cmoc: CMOC, slots: tuple[str, ...]) -> list[PartRef]:
    return [PartRef(name, i) for name in slots for i, _p in enumerate(cmoc.slots(name))]


def _pairs(cmoc: CMOC) -> list[tuple[PartRef, PartRef]]:
    entries = _refs(cmoc, _ENTRY_SLOTS)
    plain = _refs(cmoc, ("mechanism",))
    resources = _refs(cmoc, ("mechanism_resource",))
    responses = _refs(cmoc, ("mechanism_response",))
    outcomes = _refs(cmoc, ("outcome",))
    pairs: list[tuple[PartRef, PartRef]] = []
    first = plain + (resources or responses)
    last = plain + (responses or resources)
    if first:
        pairs += [(e, m) for e in entries for m in first]
        if resources and responses:
            pairs += [(r, s) for r in resources for s in responses]
        pairs += [(m, o) for m in last for o in outcomes]
    else:
        pairs += [(e, o) for e in entries for o in outcomes]
    return pairs


def _stated(cmoc: CMOC) -> dict[tuple[PartRef, PartRef], Valence]:
    return {
        (r.source, r.target): r.valence
        for r in cmoc.relations
        if r.source is not None and r.target is not None and r.valence.signed
    }


def _coded(cmoc: CMOC, ref: PartRef) -> Part | None:
    part = cmoc.part(ref)
    return part if part is not None and part.coded else None


def derived_relations(cmoc: CMOC) -> list[DerivedRelation]:
    """Every relation between coded parts that the configuration implies, with its valence."""
    stated = _stated(cmoc)
    found = []
    for source, target in _pairs(cmoc):
        cause, effect = _coded(cmoc, source), _coded(cmoc, target)
        if cause is None or effect is None:
            continue
        said = stated.get((source, target))
        if target.slot == "outcome":
            relation = "generates"
        else:
            relation = "constrains" if said is Valence.NEGATIVE else "enables"
        valence = concept_valence(cause, effect, said)
        found.append(DerivedRelation(source, target, relation, valence, said is not None, said))
    return found


def entry_hops(cmoc: CMOC) -> list[tuple[PartRef, PartRef, Valence, list[str]]]:
    """The steps a chain can take through this configuration.

    Each coded entry part (intervention, context or mechanism) leads to each coded outcome,
    through the mechanisms between them; with no outcome, contexts lead to mechanisms. The
    valence is the stated one where the record states the steps in between, else the wording
    of the entry and the outcome.
    """
    stated = _stated(cmoc)
    entries = _refs(cmoc, _ENTRY_SLOTS)
    mechanisms = _refs(cmoc, _MECHANISM_SLOTS)
    outcomes = _refs(cmoc, ("outcome",))
    hops: list[tuple[PartRef, PartRef, Valence, list[str]]] = []
    through = [p.concept for ref in mechanisms if (p := _coded(cmoc, ref)) is not None and p.concept]
    targets = outcomes or mechanisms
    for start in entries + (mechanisms if outcomes else []):
        cause = _coded(cmoc, start)
        if cause is None:
            continue
        for end in targets:
            effect = _coded(cmoc, end)
            if effect is None:
                continue
            across = start.slot in _ENTRY_SLOTS and end.slot == "outcome"
            if across and any((start, m) in stated or (m, end) in stated for m in mechanisms):
                valence = _through_stated(cmoc, start, end, mechanisms, stated)
            else:
                valence = concept_valence(cause, effect, stated.get((start, end)))
            hops.append((start, end, valence, through if across else []))
    return hops


def _through_stated(
    cmoc: CMOC,
    start: PartRef,
    end: PartRef,
    mechanisms: list[PartRef],
    stated: dict[tuple[PartRef, PartRef], Valence],
) -> Valence:
    """Valence from ``start`` to ``end`` through the mechanisms, when some step is stated.

    Each path start → m → end composes its two concept-level steps; paths that agree give
    their sign, paths that disagree or give none leave it unspecified.
    """
    cause, effect = _coded(cmoc, start), _coded(cmoc, end)
    found: set[Valence] = set()
    for m in mechanisms:
        middle = _coded(cmoc, m)
        if middle is None or cause is None or effect is None:
            continue
        first = concept_valence(cause, middle, stated.get((start, m)))
        second = concept_valence(middle, effect, stated.get((m, end)))
        found.add(first.compose(second))
    signed = {v for v in found if v.signed}
    return next(iter(signed)) if len(signed) == 1 else Valence.UNSPECIFIED
