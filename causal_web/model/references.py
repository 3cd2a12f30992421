"""Checks across records: every reference must resolve, and the hierarchy must be sound."""

from __future__ import annotations

from causal_web.errors import close_matches
from causal_web.model.cycles import check_reference_cycles
from causal_web.model.records import Citation, Dataset, EvidenceItem, Part
from causal_web.model.validation import ValidationReport

__all__ = ["TRUNCATION_MARKERS", "check_references", "is_fragment"]


def _unknown(kind: str, value: str, known: dict) -> str:
    near = close_matches(value, known)
    hint = f" Did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    return f"unknown {kind} {value!r}.{hint} Add it to the catalogue or fix the ID."


TRUNCATION_MARKERS = ("[TRUNCATED]", "[...]", "…")


def is_fragment(label: str) -> bool:
    """True when a label is cut off in the available copy (and so must stay uncoded)."""
    text = label.rstrip()
    return any(marker in text for marker in TRUNCATION_MARKERS[:1]) or text.endswith(TRUNCATION_MARKERS[1:])


def check_references(dataset: Dataset, report: ValidationReport) -> None:
    """Add a problem for every reference that does not resolve, and the coding rules' warnings."""
    sources, phases, concepts = dataset.sources, dataset.phases, dataset.concepts
    configurations = {**dataset.cmocs, **dataset.mechanisms}

    def evidence_refs(
        file: str, record: str, evidence: list[EvidenceItem], citation: Citation | None
    ) -> None:
        for position, item in enumerate(evidence):
            if item.source and item.source not in sources:
                report.add(
                    "reference.source",
                    file,
                    record,
                    f"evidence[{position}].source",
                    _unknown("source", item.source, sources),
                )
            if item.base and item.base not in dataset.bases:
                report.add(
                    "reference.base",
                    file,
                    record,
                    f"evidence[{position}].base",
                    _unknown("evidence base", item.base, dataset.bases),
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

    def concept_ref(file: str, record: str, field: str, part: Part, incomplete: bool) -> None:
        if part.concept and part.concept not in concepts:
            report.add(
                "reference.concept",
                file,
                record,
                f"{field}.concept",
                _unknown("concept", part.concept, concepts),
            )
        if is_fragment(part.label):
            if part.concept is not None:
                report.add(
                    "coding.fragment",
                    file,
                    record,
                    f"{field}.concept",
                    f"{part.label!r} is cut off: a fragment is never coded. Set concept to null.",
                )
            if not incomplete:
                report.add(
                    "coding.fragment",
                    file,
                    record,
                    "incomplete",
                    f"{field} is cut off ({part.label!r}): mark the record incomplete: true.",
                )
        elif part.concept is None:
            report.add(
                "coding.uncoded",
                file,
                record,
                f"{field}.concept",
                f"{part.label!r} is not coded yet: it is searchable but draws no edge in the web. "
                "Code it with `causal-web code` or set a concept ID.",
                severity="warning",
            )

    def predecessor_refs(file: str, record: str, phase: str, predecessors: list) -> None:
        order = phases[phase].order if phase in phases else None
        for position, link in enumerate(predecessors):
            earlier = configurations.get(link.record)
            if earlier is None:
                report.add(
                    "reference.record",
                    file,
                    record,
                    f"predecessors[{position}].record",
                    _unknown("CMOC or mechanism entry", link.record, configurations),
                )
                continue
            other = phases.get(earlier.phase)
            if order is not None and other is not None and other.order >= order:
                report.add(
                    "reference.predecessor",
                    file,
                    record,
                    f"predecessors[{position}].record",
                    f"{link.record!r} is in phase {earlier.phase!r}, which does not come before {phase!r}: "
                    "a predecessor must belong to an earlier phase.",
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
        for name in ("part_of", "cited_by"):
            value = getattr(source, name)
            if value and value not in sources:
                report.add(
                    "reference.source", "sources.yaml", source.id, name, _unknown("source", value, sources)
                )
        if source.base and source.base not in dataset.bases:
            report.add(
                "reference.base",
                "sources.yaml",
                source.id,
                "base",
                _unknown("evidence base", source.base, dataset.bases),
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
        for name in ("broader", "related"):
            for position, other in enumerate(getattr(concept, name)):
                if other not in concepts:
                    report.add(
                        "reference.concept",
                        "concepts.yaml",
                        concept.id,
                        f"{name}[{position}]",
                        _unknown("concept", other, concepts),
                    )
    for ioc in dataset.ioc_types.values():
        for position, other in enumerate(ioc.exact_match):
            if ":" not in other and other not in concepts:
                report.add(
                    "reference.concept",
                    "concepts.yaml",
                    ioc.id,
                    f"exact_match[{position}]",
                    _unknown("concept", other, concepts),
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
        evidence_refs(cmoc.file, cmoc.id, cmoc.evidence, cmoc.citation)
        for name, position, part in cmoc.parts():
            concept_ref(cmoc.file, cmoc.id, f"{name}[{position}]", part, cmoc.incomplete)
        for position, ioc in enumerate(cmoc.ioc_types):
            if ioc not in dataset.ioc_types:
                report.add(
                    "reference.ioc-type",
                    cmoc.file,
                    cmoc.id,
                    f"ioc_types[{position}]",
                    _unknown("IOC type", ioc, dataset.ioc_types),
                )
        predecessor_refs(cmoc.file, cmoc.id, cmoc.phase, cmoc.predecessors)
    for link in dataset.links.values():
        phase_ref(link.file, link.id, link.phase)
        evidence_refs(link.file, link.id, link.evidence, link.citation)
        concept_ref(link.file, link.id, "from", link.source, False)
        concept_ref(link.file, link.id, "to", link.target, False)
        if link.derived_from and link.derived_from not in dataset.links:
            report.add(
                "reference.record",
                link.file,
                link.id,
                "derived_from",
                _unknown("link", link.derived_from, dataset.links),
            )
    for entry in dataset.mechanisms.values():
        phase_ref(entry.file, entry.id, entry.phase)
        evidence_refs(entry.file, entry.id, entry.evidence, entry.citation)
        if entry.concept and entry.concept not in concepts:
            report.add(
                "reference.concept",
                entry.file,
                entry.id,
                "concept",
                _unknown("concept", entry.concept, concepts),
            )
        predecessor_refs(entry.file, entry.id, entry.phase, entry.predecessors)
    for nesting in dataset.nestings.values():
        evidence_refs(nesting.file, nesting.id, nesting.evidence, None)
        for name, value in (("from", nesting.source), ("to", nesting.target)):
            if value not in dataset.cmocs:
                report.add(
                    "reference.record", nesting.file, nesting.id, name, _unknown("CMOC", value, dataset.cmocs)
                )
        if nesting.concept and nesting.concept not in concepts:
            report.add(
                "reference.concept",
                nesting.file,
                nesting.id,
                "concept",
                _unknown("concept", nesting.concept, concepts),
            )
    for point in dataset.entry_points.values():
        evidence_refs(point.file, point.id, point.evidence, point.citation)
        for position, source_id in enumerate(point.sources):
            if source_id not in sources:
                report.add(
                    "reference.source",
                    point.file,
                    point.id,
                    f"sources[{position}]",
                    _unknown("source", source_id, sources),
                )
    for record in (*dataset.demi_regularities.values(), *dataset.theories.values()):
        evidence_refs(record.file, record.id, record.evidence, record.citation)
        for position, cmoc_id in enumerate(record.cmocs):
            if cmoc_id not in dataset.cmocs:
                report.add(
                    "reference.record",
                    record.file,
                    record.id,
                    f"cmocs[{position}]",
                    _unknown("CMOC", cmoc_id, dataset.cmocs),
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
