"""Counts of a dataset, overall and per phase."""

from __future__ import annotations

from collections import Counter

from causal_web.model.coverage import coverage_ledger
from causal_web.model.records import Dataset

__all__ = ["dataset_stats"]


def _edge_count(dataset: Dataset) -> int:
    """Distinct concept-to-concept links, from CMOC slots and stated links."""
    edges: set[tuple[str, str]] = set()
    for cmoc in dataset.cmocs.values():
        heads = [s.concept for s in cmoc.context]
        middle = [s.concept for s in cmoc.mechanism]
        tails = [s.concept for s in cmoc.outcome]
        if middle:
            edges.update((a, b) for a in heads for b in middle)
            edges.update((a, b) for a in middle for b in tails)
        else:
            edges.update((a, b) for a in heads for b in tails)
    edges.update((link.source.concept, link.target.concept) for link in dataset.links.values())
    return len(edges)


def dataset_stats(dataset: Dataset) -> dict:
    """Counts of CMOCs, concepts, sources and links, overall and per phase, plus coverage."""
    per_phase: dict[str, Counter] = {p: Counter() for p in dataset.phases}
    for kind, records in (
        ("cmocs", dataset.cmocs),
        ("links", dataset.links),
        ("mechanisms", dataset.mechanisms),
    ):
        for record in records.values():
            per_phase.setdefault(record.phase, Counter())[kind] += 1
    phase_concepts: dict[str, set[str]] = {p: set() for p in per_phase}
    phase_sources: dict[str, set[str]] = {p: set() for p in per_phase}
    for cmoc in dataset.cmocs.values():
        phase_concepts[cmoc.phase] |= cmoc.concepts()
        phase_sources[cmoc.phase].update(cmoc.sources)
    for link in dataset.links.values():
        phase_concepts[link.phase] |= {link.source.concept, link.target.concept}
        phase_sources[link.phase].update(link.sources)
    for entry in dataset.mechanisms.values():
        phase_concepts[entry.phase].add(entry.concept)
        phase_sources[entry.phase].update(entry.sources)
    source_kinds = Counter(s.kind for s in dataset.sources.values())
    order = sorted(per_phase, key=lambda p: (dataset.phases[p].order if p in dataset.phases else 0, p))
    return {
        "totals": {
            "cmocs": len(dataset.cmocs),
            "links": len(dataset.links),
            "mechanisms": len(dataset.mechanisms),
            "concepts": len(dataset.concepts),
            "ioc_types": len(dataset.ioc_types),
            "sources": len(dataset.sources),
            "sources_by_kind": dict(sorted(source_kinds.items())),
            "phases": len(dataset.phases),
            "concept_edges": _edge_count(dataset),
            "incomplete_cmocs": sum(c.incomplete for c in dataset.cmocs.values()),
        },
        "phases": [
            {
                "id": p,
                "label": dataset.phases[p].label if p in dataset.phases else p,
                "cmocs": per_phase[p]["cmocs"],
                "links": per_phase[p]["links"],
                "mechanisms": per_phase[p]["mechanisms"],
                "concepts": len(phase_concepts[p]),
                "sources": len(phase_sources[p]),
            }
            for p in order
        ],
        "coverage": coverage_ledger(dataset).to_dict(),
    }
