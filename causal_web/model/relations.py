"""How the parts of one configuration relate, read as realists read them.

A context (or an intervention) *enables* or *constrains* a mechanism, a mechanism resource
triggers a response, and a mechanism *generates* an outcome. The tool derives one relation for
each pair of coded parts in those positions; a record's own ``relations`` add what the source
states beyond the wording of single parts (a valence, a "tempers", an "and").

The valence of a derived relation is the one the source states: an explicit ``valence`` on a
matching relation, else the direction the wording of the two parts gives. A bare cause ("Shared
vision") reads as the presence of the factor; a bare effect ("Trust" in "leadership behaviours
shape trust") gives no direction, because the wording does not say whether it grows or shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass

from causal_web.model.records import CMOC, Part, PartRef, Polarity, Valence

__all__ = ["DerivedRelation", "derived_relations", "entry_hops", "wording_valence"]

_ENTRY_SLOTS = ("intervention", "context")
_MECHANISM_SLOTS = ("mechanism", "mechanism_resource", "mechanism_response")


@dataclass(frozen=True, slots=True)
class DerivedRelation:
    """One relation between two parts of a configuration."""

    source: PartRef
    target: PartRef
    relation: str  # enables | constrains | conditions | generates
    valence: Valence
    stated: bool  # True when the valence comes from an explicit relation of the record


_CAUSE = {Polarity.INCREASE: Valence.POSITIVE, Polarity.DECREASE: Valence.NEGATIVE}


def wording_valence(cause: Part, effect: Part) -> Valence:
    """The valence that the wording of two parts gives (see the module docstring)."""
    cause_valence = _CAUSE.get(cause.polarity, Valence.POSITIVE)
    effect_valence = _CAUSE.get(effect.polarity, Valence.UNSPECIFIED)
    return cause_valence.compose(effect_valence)


def _kind(source_slot: str, target_slot: str, valence: Valence) -> str:
    if target_slot == "outcome":
        return "generates"
    if valence is Valence.POSITIVE:
        return "enables"
    if valence is Valence.NEGATIVE:
        return "constrains"
    return "conditions"


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


def derived_relations(cmoc: CMOC) -> list[DerivedRelation]:
    """Every relation between coded parts that the configuration implies, with its valence."""
    stated = _stated(cmoc)
    found = []
    for source, target in _pairs(cmoc):
        cause, effect = cmoc.part(source), cmoc.part(target)
        if cause is None or effect is None or not (cause.coded and effect.coded):
            continue
        valence = stated.get((source, target))
        explicit = valence is not None
        if valence is None:
            valence = wording_valence(cause, effect)
        found.append(
            DerivedRelation(source, target, _kind(source.slot, target.slot, valence), valence, explicit)
        )
    return found


def entry_hops(cmoc: CMOC) -> list[tuple[PartRef, PartRef, Valence, list[str]]]:
    """The steps a chain can take through this configuration.

    Each entry part (intervention, context or mechanism) leads to each outcome, through the
    mechanisms between them; with no outcome, contexts lead to mechanisms. The valence is
    the stated one where the record states the steps in between, else the wording of the
    entry and the outcome.
    """
    stated = _stated(cmoc)
    entries = _refs(cmoc, _ENTRY_SLOTS)
    mechanisms = _refs(cmoc, _MECHANISM_SLOTS)
    outcomes = _refs(cmoc, ("outcome",))
    hops: list[tuple[PartRef, PartRef, Valence, list[str]]] = []

    def coded(ref: PartRef) -> Part | None:
        part = cmoc.part(ref)
        return part if part is not None and part.coded else None

    through = [p.concept for ref in mechanisms if (p := coded(ref)) is not None and p.concept]
    targets = outcomes or mechanisms
    for start in entries + (mechanisms if outcomes else []):
        cause = coded(start)
        if cause is None:
            continue
        for end in targets:
            effect = coded(end)
            if effect is None:
                continue
            valence = stated.get((start, end))
            steps_stated = any((start, m) in stated or (m, end) in stated for m in mechanisms)
            if valence is None and start.slot in _ENTRY_SLOTS and end.slot == "outcome" and steps_stated:
                valence = _through_stated(cmoc, start, end, mechanisms, stated)
            if valence is None:
                valence = wording_valence(cause, effect)
            via = through if start.slot in _ENTRY_SLOTS and end.slot == "outcome" else []
            hops.append((start, end, valence, via))
    return hops


def _through_stated(
    cmoc: CMOC,
    start: PartRef,
    end: PartRef,
    mechanisms: list[PartRef],
    stated: dict[tuple[PartRef, PartRef], Valence],
) -> Valence:
    """Valence from ``start`` to ``end`` through the mechanisms, when some step is stated.

    Each path start → m → end composes its two steps (stated, or from the wording); paths that
    agree give their sign, paths that disagree or give none leave it unspecified.
    """
    cause, effect = cmoc.part(start), cmoc.part(end)
    found: set[Valence] = set()
    for m in mechanisms:
        middle = cmoc.part(m)
        if middle is None or not middle.coded or cause is None or effect is None:
            continue
        first = stated.get((start, m)) or wording_valence(cause, middle)
        second = stated.get((m, end)) or wording_valence(middle, effect)
        found.add(first.compose(second))
    signed = {v for v in found if v.signed}
    return next(iter(signed)) if len(signed) == 1 else Valence.UNSPECIFIED
