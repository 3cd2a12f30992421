"""Checks across records: every reference must resolve, and the hierarchy must be sound."""

from __future__ import annotations

from causal_web.errors import close_matches
from causal_web.model.cycles import check_reference_cycles
from causal_web.model.records import SLOT_NAMES, Citation, Dataset, Slot
from causal_web.model.validation import ValidationReport

__all__ = ["check_references"]


def _unknown(kind: str, value: str, known: dict) -> str:
    near = close_matches(value, known)
    hint = f" Did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    return f"unknown {kind} {value!r}.{hint} Add it to the catalogue or fix the ID."


def check_references(dataset: Dataset, report: ValidationReport) -> None:
    """Add a problem for every reference that does not resolve."""
    sources, phases, concepts = dataset.sources, dataset.phases, dataset.concepts

    def source_refs(file: str, record: str, ids: list[str], citation: Citation | None) -> None:
        for position, source_id in enumerate(ids):
            if source_id not in sources:
                report.add(
                    "reference.source",
                    file,
                    record,
                    f"sources[{position}]",
                    _unknown("source", source_id, sources),
                )
        if citation is not None and citation.source and citation.source not in sources:
            report.add(
                "reference.source",
                file,
                record,
                "citation.source",
                _unknown("source", citation.source, sources),
            )

    def phase_ref(file: str, record: str, phase: str) -> None:
        if phase and phase not in phases:
            report.add("reference.phase", file, record, "phase", _unknown("phase", phase, phases))

    def concept_ref(file: str, record: str, field: str, slot: Slot) -> None:
        if slot.concept and slot.concept not in concepts:
            report.add(
                "reference.concept",
                file,
                record,
                f"{field}.concept",
                _unknown("concept", slot.concept, concepts),
            )

    for phase in phases.values():
        if phase.source and phase.source not in sources:
            report.add(
                "reference.source",
                "phases.yaml",
                phase.id,
                "source",
                _unknown("source", phase.source, sources),
            )
        if phase.previous and phase.previous not in phases:
            report.add(
                "reference.phase",
                "phases.yaml",
                phase.id,
                "previous",
                _unknown("phase", phase.previous, phases),
            )
    for source in sources.values():
        if source.part_of and source.part_of not in sources:
            report.add(
                "reference.source",
                "sources.yaml",
                source.id,
                "part_of",
                _unknown("source", source.part_of, sources),
            )
        if source.citation and source.citation.source and source.citation.source not in sources:
            report.add(
                "reference.source",
                "sources.yaml",
                source.id,
                "citation.source",
                _unknown("source", source.citation.source, sources),
            )
    for concept in concepts.values():
        for position, parent in enumerate(concept.broader):
            if parent not in concepts:
                report.add(
                    "reference.concept",
                    "concepts.yaml",
                    concept.id,
                    f"broader[{position}]",
                    _unknown("concept", parent, concepts),
                )
    check_reference_cycles(
        {p.id: p.previous for p in phases.values() if p.previous}, "phases.yaml", "previous", "phase", report
    )
    check_reference_cycles(
        {s.id: s.part_of for s in sources.values() if s.part_of}, "sources.yaml", "part_of", "source", report
    )
    for concept_id in _broader_cycles(dataset):
        report.add(
            "reference.cycle",
            "concepts.yaml",
            concept_id,
            "broader",
            f"{concept_id!r} is broader than itself through a cycle of broader links. "
            "Remove one of the links in the cycle.",
        )

    for cmoc in dataset.cmocs.values():
        phase_ref(cmoc.file, cmoc.id, cmoc.phase)
        source_refs(cmoc.file, cmoc.id, cmoc.sources, cmoc.citation)
        for name in SLOT_NAMES:
            for position, slot in enumerate(cmoc.slots(name)):
                concept_ref(cmoc.file, cmoc.id, f"{name}[{position}]", slot)
        for position, ioc in enumerate(cmoc.ioc_types):
            if ioc not in dataset.ioc_types:
                report.add(
                    "reference.ioc-type",
                    cmoc.file,
                    cmoc.id,
                    f"ioc_types[{position}]",
                    _unknown("IOC type", ioc, dataset.ioc_types),
                )
    for link in dataset.links.values():
        phase_ref(link.file, link.id, link.phase)
        source_refs(link.file, link.id, link.sources, link.citation)
        concept_ref(link.file, link.id, "from", link.source)
        concept_ref(link.file, link.id, "to", link.target)
    for entry in dataset.mechanisms.values():
        phase_ref(entry.file, entry.id, entry.phase)
        source_refs(entry.file, entry.id, entry.sources, entry.citation)
        if entry.concept and entry.concept not in concepts:
            report.add(
                "reference.concept",
                entry.file,
                entry.id,
                "concept",
                _unknown("concept", entry.concept, concepts),
            )


def _broader_cycles(dataset: Dataset) -> list[str]:
    """Concepts that sit on a cycle of broader links (depth-first, white/grey/black)."""
    state: dict[str, int] = {}
    on_cycle: list[str] = []
    for start in dataset.concepts:
        if start in state:
            continue
        stack = [(start, iter(dataset.concepts[start].broader))]
        state[start] = 1
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in dataset.concepts:
                    continue
                if state.get(parent) == 1:
                    on_cycle.append(parent)
                elif parent not in state:
                    state[parent] = 1
                    stack.append((parent, iter(dataset.concepts[parent].broader)))
                    break
            else:
                state[node] = 2
                stack.pop()
    return sorted(set(on_cycle))
