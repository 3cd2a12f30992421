"""What stands behind a record, a hop or an edge: its evidence items pooled by independent base.

An :class:`EvidenceSummary` is plain counting, with no weights: which bases support the claim,
which refute it, which stated valences each base gives, and how many items there are by
judgement and by evidence type. The scorers (:mod:`causal_web.evidence.scorer`) and the link
statuses (:mod:`causal_web.evidence.status`) read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from causal_web.model.records import EVIDENCE_TYPES, JUDGEMENTS, Dataset, EvidenceItem

__all__ = ["EvidenceSummary", "base_kind", "summarise_edge_evidence", "summarise_items"]

SUPPORTING = frozenset({"confirms", "refines"})


def base_kind(dataset: Dataset, base_id: str) -> str:
    """The kind of an evidence base; a source that is its own base is a primary study when it is
    an included study, and a review otherwise (as the RDF mapping reads it)."""
    base = dataset.bases.get(base_id)
    if base is not None:
        return base.kind
    source = dataset.sources.get(base_id)
    return "primary-study" if source is not None and source.kind == "study" else "review"


@dataclass(slots=True)
class EvidenceSummary:
    """Evidence behind one claim, pooled by independent evidence base."""

    records: list[str] = field(default_factory=list)
    base_kinds: dict[str, str] = field(default_factory=dict)
    supporting: set[str] = field(default_factory=set)  # bases with a confirming or refining item
    refuting: set[str] = field(default_factory=set)  # bases with a refuting item
    stating: set[str] = field(default_factory=set)  # supporting bases with an item that states it
    rigour: dict[str, str] = field(default_factory=dict)  # base: best rigour rating of its items
    valence_bases: dict[str, set[str]] = field(default_factory=lambda: {"+": set(), "-": set()})
    judgements: dict[str, int] = field(default_factory=lambda: dict.fromkeys(JUDGEMENTS, 0))
    evidence_types: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EVIDENCE_TYPES, 0))
    joined_by_tool: bool = False  # a chain hop whose join to the hop before is a shared concept only

    @property
    def bases(self) -> list[str]:
        return sorted(self.base_kinds)

    @property
    def evidence_bases(self) -> int:
        """The number of independent evidence bases behind the claim."""
        return len(self.base_kinds)

    def kinds_of(self, bases: Iterable[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for base in sorted(bases):
            kind = self.base_kinds.get(base, "review")
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def add_item(
        self,
        dataset: Dataset,
        item: EvidenceItem,
        valence: str = "unspecified",
        non_stating_types: frozenset[str] = frozenset(),
        non_stating_kinds: frozenset[str] = frozenset(),
    ) -> None:
        base = dataset.base_of(item)
        kind = self.base_kinds.setdefault(base, base_kind(dataset, base))
        self.judgements[item.judgement] = self.judgements.get(item.judgement, 0) + 1
        self.evidence_types[item.evidence_type] = self.evidence_types.get(item.evidence_type, 0) + 1
        if item.judgement == "refutes":
            self.refuting.add(base)
            return
        self.supporting.add(base)
        if item.evidence_type not in non_stating_types and kind not in non_stating_kinds:
            self.stating.add(base)
        if valence in self.valence_bases:
            self.valence_bases[valence].add(base)
        if item.rigour and _RATING_ORDER.get(item.rigour, 0) > _RATING_ORDER.get(
            self.rigour.get(base, ""), 0
        ):
            self.rigour[base] = item.rigour

    def to_dict(self) -> dict:
        return {
            "evidence_bases": self.evidence_bases,
            "judgements": dict(self.judgements),
            "evidence_types": dict(self.evidence_types),
        }


_RATING_ORDER = {"low": 1, "moderate": 2, "high": 3}


def _evidence_of(dataset: Dataset, record_id: str) -> list[EvidenceItem]:
    record = dataset.record(record_id)
    return list(getattr(record, "evidence", []) or [])


def summarise_items(
    dataset: Dataset,
    records: Mapping[str, Iterable[str]],
    non_stating_types: frozenset[str] = frozenset(),
    non_stating_kinds: frozenset[str] = frozenset(),
) -> EvidenceSummary:
    """Pool the evidence items of ``records`` (record ID to the stated valences it gives the claim:
    '+', '-' or 'unspecified'); each item counts once, under every valence of its record."""
    summary = EvidenceSummary()
    for record_id, valences in records.items():
        summary.records.append(record_id)
        given = sorted(set(valences)) or ["unspecified"]
        for item in _evidence_of(dataset, record_id):
            summary.add_item(dataset, item, given[0], non_stating_types, non_stating_kinds)
            for valence in given[1:]:
                if item.judgement != "refutes" and valence in summary.valence_bases:
                    summary.valence_bases[valence].add(dataset.base_of(item))
    return summary


def summarise_edge_evidence(
    dataset: Dataset,
    evidence: Iterable[object],
    non_stating_types: frozenset[str] = frozenset(),
    non_stating_kinds: frozenset[str] = frozenset(),
) -> EvidenceSummary:
    """Pool the records behind a hop or an edge (:class:`~causal_web.web.graph.EdgeEvidence`
    tuples, which name each record and the valence it gives)."""
    records: dict[str, set[str]] = {}
    for entry in evidence:
        records.setdefault(entry.record, set()).add(entry.valence)  # type: ignore[attr-defined]
    return summarise_items(dataset, records, non_stating_types, non_stating_kinds)
