"""Theory versions: what changed between two phases.

Records of the later phase name the earlier records they confirm, refine or refute
(``predecessors``), and the diff reads those links first. Only where no link joins a record
does it fall back to matching CMOCs by configuration, the (concept, polarity) pairs of their
context and mechanism parts: a match with a different outcome counts as *refined*, an exact
match as *kept*. Every pair says how it was found (``by``: ``link`` or ``concepts``), and the
diff says when it had to fall back. The rest are *added* or *removed*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causal_web.errors import QueryError, UnknownIdError
from causal_web.model.coverage import coverage_ledger
from causal_web.model.records import CMOC, Dataset, MechanismEntry, Part

__all__ = ["PhaseDiff", "diff_phases"]

Signature = frozenset[tuple[str, str]]


def _sig(parts: list[Part]) -> Signature:
    return frozenset((p.concept, p.polarity.value) for p in parts if p.concept is not None)


@dataclass(slots=True)
class PhaseDiff:
    """The difference between two theory versions."""

    before: str
    after: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    confirmed: list[tuple[str, str, str]] = field(default_factory=list)
    refined: list[tuple[str, str, str]] = field(default_factory=list)
    refuted: list[tuple[str, str, str]] = field(default_factory=list)
    kept: list[tuple[str, str, str]] = field(default_factory=list)
    new_concepts: list[str] = field(default_factory=list)
    dropped_concepts: list[str] = field(default_factory=list)
    mechanisms: list[dict] = field(default_factory=list)
    coverage_gaps: list[str] = field(default_factory=list)
    matched_by_concepts: int = 0

    @property
    def fallback(self) -> bool:
        """True when some pairs were matched by concepts because no link joins them."""
        return self.matched_by_concepts > 0

    @property
    def notes(self) -> list[str]:
        if not self.fallback:
            return []
        return [
            f"{self.matched_by_concepts} pair(s) matched by their concepts, because no confirms, "
            "refines or refutes link joins them; treat them as the tool's guess."
        ]

    def to_dict(self) -> dict:
        def pairs(found: list[tuple[str, str, str]]) -> list[dict]:
            return [{"before": a, "after": b, "by": by} for a, b, by in found]

        return {
            "before": self.before,
            "after": self.after,
            "added": self.added,
            "removed": self.removed,
            "confirmed": pairs(self.confirmed),
            "refined": pairs(self.refined),
            "refuted": pairs(self.refuted),
            "kept": pairs(self.kept),
            "fallback": self.fallback,
            "notes": self.notes,
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
            concepts |= {c for c in (link.source.concept, link.target.concept) if c is not None}
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

    def records(phase: str) -> list[CMOC | MechanismEntry]:
        found: list[CMOC | MechanismEntry] = [c for c in dataset.cmocs.values() if c.phase == phase]
        found += [m for m in dataset.mechanisms.values() if m.phase == phase]
        return sorted(found, key=lambda r: r.id)

    old, new = records(before), records(after)
    old_ids = {r.id for r in old}
    result = PhaseDiff(before, after)
    matched: set[str] = set()
    linked: set[str] = set()
    lists = {"confirms": result.confirmed, "refines": result.refined, "refutes": result.refuted}
    for record in new:
        for link in record.predecessors:
            if link.record in old_ids:
                lists[link.relation].append((link.record, record.id, "link"))
                matched.add(link.record)
                linked.add(record.id)
    # Fall back to configurations only for CMOCs that no link joins.
    old_by_cm: dict[tuple[Signature, Signature], list[CMOC]] = {}
    for cmoc in old:
        if isinstance(cmoc, CMOC) and cmoc.id not in matched:
            old_by_cm.setdefault((_sig(cmoc.context), _sig(cmoc.mechanism)), []).append(cmoc)
    for record in new:
        if record.id in linked:
            continue
        if not isinstance(record, CMOC):
            result.added.append(record.id)
            continue
        candidates = old_by_cm.get((_sig(record.context), _sig(record.mechanism)), [])
        same = [c for c in candidates if _sig(c.outcome) == _sig(record.outcome)]
        if same:
            result.kept.append((same[0].id, record.id, "concepts"))
            matched.add(same[0].id)
            result.matched_by_concepts += 1
        elif candidates:
            result.refined.append((candidates[0].id, record.id, "concepts"))
            matched.add(candidates[0].id)
            result.matched_by_concepts += 1
        else:
            result.added.append(record.id)
    result.removed = sorted(r.id for r in old if r.id not in matched)
    old_concepts, new_concepts = _phase_concepts(dataset, before), _phase_concepts(dataset, after)
    result.new_concepts = sorted(new_concepts - old_concepts)
    result.dropped_concepts = sorted(old_concepts - new_concepts)
    result.mechanisms = [
        {
            "id": m.id,
            "label": m.label,
            "initial_label": m.initial_label,
            "status": m.status,
            "status_inferred": m.status_inferred,
            "concept": m.concept,
            "predecessors": [{"record": p.record, "relation": p.relation} for p in m.predecessors],
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
