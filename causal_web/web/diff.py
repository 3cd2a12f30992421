"""Theory versions: what changed between two phases.

CMOCs are matched across phases by their configuration, not their IDs (each phase numbers
its own records): the (concept, polarity) pairs of their context and mechanism slots. A CMOC
of the later phase whose context and mechanism match an earlier one with a different outcome
is *refined*; an exact match is *kept*; the rest are *added* or *removed*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causal_web.errors import QueryError, UnknownIdError
from causal_web.model.coverage import coverage_ledger
from causal_web.model.records import CMOC, Dataset, Slot

__all__ = ["PhaseDiff", "diff_phases"]

Signature = frozenset[tuple[str, str]]


def _sig(slots: list[Slot]) -> Signature:
    return frozenset((s.concept, s.polarity.value) for s in slots)


@dataclass(slots=True)
class PhaseDiff:
    """The difference between two theory versions."""

    before: str
    after: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refined: list[tuple[str, str]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    new_concepts: list[str] = field(default_factory=list)
    dropped_concepts: list[str] = field(default_factory=list)
    mechanisms: list[dict] = field(default_factory=list)
    coverage_gaps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "added": self.added,
            "removed": self.removed,
            "refined": [{"before": a, "after": b} for a, b in self.refined],
            "kept": [{"before": a, "after": b} for a, b in self.kept],
            "new_concepts": self.new_concepts,
            "dropped_concepts": self.dropped_concepts,
            "mechanisms": self.mechanisms,
            "coverage_gaps": self.coverage_gaps,
        }


def _phase_concepts(dataset: Dataset, phase: str) -> set[str]:
    concepts: set[str] = set()
    for cmoc in dataset.cmocs.values():
        if cmoc.phase == phase:
            concepts |= cmoc.concepts()
    for link in dataset.links.values():
        if link.phase == phase:
            concepts |= {link.source.concept, link.target.concept}
    for entry in dataset.mechanisms.values():
        if entry.phase == phase:
            concepts.add(entry.concept)
    return concepts


def diff_phases(dataset: Dataset, before: str, after: str) -> PhaseDiff:
    """CMOCs added, removed, refined and kept from ``before`` to ``after``, concepts new in
    ``after``, the mechanism table of ``after`` with its statuses, and the coverage gaps that
    limit what the comparison can show."""
    for phase in (before, after):
        if phase not in dataset.phases:
            raise UnknownIdError("phase", phase, dataset.phases)
    if before == after:
        raise QueryError("compare two different phases, not a phase with itself", "b")
    old = [c for c in dataset.cmocs.values() if c.phase == before]
    new = [c for c in dataset.cmocs.values() if c.phase == after]
    old_by_cm: dict[tuple[Signature, Signature], list[CMOC]] = {}
    for cmoc in old:
        old_by_cm.setdefault((_sig(cmoc.context), _sig(cmoc.mechanism)), []).append(cmoc)
    result = PhaseDiff(before, after)
    matched: set[str] = set()
    for cmoc in sorted(new, key=lambda c: c.id):
        candidates = old_by_cm.get((_sig(cmoc.context), _sig(cmoc.mechanism)), [])
        same = [c for c in candidates if _sig(c.outcome) == _sig(cmoc.outcome)]
        if same:
            result.kept.append((same[0].id, cmoc.id))
            matched.add(same[0].id)
        elif candidates:
            result.refined.append((candidates[0].id, cmoc.id))
            matched.add(candidates[0].id)
        else:
            result.added.append(cmoc.id)
    result.removed = sorted(c.id for c in old if c.id not in matched)
    old_concepts, new_concepts = _phase_concepts(dataset, before), _phase_concepts(dataset, after)
    result.new_concepts = sorted(new_concepts - old_concepts)
    result.dropped_concepts = sorted(old_concepts - new_concepts)
    result.mechanisms = [
        {
            "id": m.id,
            "label": m.label,
            "initial_label": m.initial_label,
            "status": m.status,
            "concept": m.concept,
        }
        for m in sorted(dataset.mechanisms.values(), key=lambda m: m.id)
        if m.phase == after
    ]
    sources = {dataset.phases[before].source, dataset.phases[after].source}
    result.coverage_gaps = [
        f"{entry.source}: {entry.item}: {gap}"
        for entry in coverage_ledger(dataset).entries
        if entry.source in sources
        for gap in entry.gaps
    ]
    return result
