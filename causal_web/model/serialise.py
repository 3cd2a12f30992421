"""Model objects to plain dicts, in the canonical key order of ``docs/data-format.md``.

The same dicts feed the canonical YAML files (``causal-web lint``), ``--json`` output and the
API's responses, so all three spell a record the same way.
"""

from __future__ import annotations

from causal_web.model.history import history_to_dicts
from causal_web.model.records import (
    CMOC,
    SLOT_NAMES,
    CausalLink,
    Citation,
    Concept,
    DemiRegularity,
    EntryPoint,
    EvidenceBase,
    EvidenceItem,
    MechanismEntry,
    MiddleRangeTheory,
    Nesting,
    Part,
    Phase,
    Predecessor,
    Relation,
    Source,
    Valence,
)

__all__ = [
    "base_to_dict",
    "citation_to_dict",
    "cmoc_to_dict",
    "concept_to_dict",
    "demi_regularity_to_dict",
    "entry_point_to_dict",
    "evidence_to_dict",
    "ioc_type_to_dict",
    "link_to_dict",
    "mechanism_to_dict",
    "neighbourhood_to_dict",
    "nesting_to_dict",
    "part_to_dict",
    "phase_to_dict",
    "record_view",
    "source_to_dict",
    "theory_to_dict",
]


def _compact(data: dict) -> dict:
    """Drop optional fields that hold nothing, so files stay short and diffs stay small."""
    return {k: v for k, v in data.items() if v not in ("", None, [], False)}


def citation_to_dict(citation: Citation) -> dict:
    return _compact(
        {
            "source": citation.source,
            "table": citation.table,
            "row": citation.row,
            "section": citation.section,
            "curated_file": citation.curated_file,
        }
    )


def part_to_dict(part: Part) -> dict:
    """A part: ``concept`` is always present (``None`` for an uncoded part)."""
    data = {"label": part.label, "concept": part.concept, "polarity": part.polarity.value}
    if part.inferred:
        data["inferred"] = True
    return data


def evidence_to_dict(item: EvidenceItem) -> dict:
    data = _compact(
        {
            "source": item.source,
            "table": item.table,
            "row": item.row,
            "page": item.page,
            "section": item.section,
            "quote": item.quote,
            "judgement": item.judgement,
            "evidence_type": item.evidence_type,
            "base": item.base,
            "relevance": item.relevance,
            "rigour": item.rigour,
            "coder": item.coder,
            "notes": item.notes,
        }
    )
    data.setdefault("judgement", item.judgement)
    return data


def _valence(valence: Valence) -> str | None:
    return valence.value if valence.signed else None


def relation_to_dict(relation: Relation) -> dict:
    if relation.relation == "and":
        return _compact(
            {
                "relation": "and",
                "parts": [str(p) for p in relation.parts],
                "inferred": relation.inferred,
                "notes": relation.notes,
            }
        )
    return _compact(
        {
            "relation": relation.relation,
            "from": str(relation.source),
            "to": str(relation.target),
            "valence": _valence(relation.valence),
            "inferred": relation.inferred,
            "notes": relation.notes,
        }
    )


def predecessor_to_dict(link: Predecessor) -> dict:
    return _compact(
        {"record": link.record, "relation": link.relation, "inferred": link.inferred, "notes": link.notes}
    )


def cmoc_to_dict(cmoc: CMOC) -> dict:
    data: dict = {
        "id": cmoc.id,
        "phase": cmoc.phase,
        "kind": cmoc.kind,
        "title": cmoc.title,
        "statement": cmoc.statement,
        "status": cmoc.status,
    }
    for name in SLOT_NAMES:
        data[name] = [part_to_dict(p) for p in cmoc.slots(name)]
    data.update(
        {
            "relations": [relation_to_dict(r) for r in cmoc.relations],
            "ioc_types": list(cmoc.ioc_types),
            "ioc_types_inferred": cmoc.ioc_types_inferred,
            "incomplete": cmoc.incomplete,
            "split_inferred": cmoc.split_inferred,
            "configuration_inferred": cmoc.configuration_inferred,
            "predecessors": [predecessor_to_dict(p) for p in cmoc.predecessors],
            "evidence": [evidence_to_dict(e) for e in cmoc.evidence],
            "citation": citation_to_dict(cmoc.citation),
            "notes": cmoc.notes,
            "history": history_to_dicts(cmoc.history),
        }
    )
    return _compact(data)


def link_to_dict(link: CausalLink) -> dict:
    return _compact(
        {
            "id": link.id,
            "phase": link.phase,
            "from": part_to_dict(link.source),
            "to": part_to_dict(link.target),
            "relation": link.relation,
            "valence": _valence(link.valence),
            "kind": link.kind,
            "inferred": link.inferred,
            "derived_from": link.derived_from,
            "evidence": [evidence_to_dict(e) for e in link.evidence],
            "citation": citation_to_dict(link.citation),
            "notes": link.notes,
            "history": history_to_dicts(link.history),
        }
    )


def mechanism_to_dict(entry: MechanismEntry) -> dict:
    return _compact(
        {
            "id": entry.id,
            "phase": entry.phase,
            "concept": entry.concept,
            "label": entry.label,
            "initial_label": entry.initial_label,
            "mechanism_type": entry.mechanism_type,
            "most_frequent_outcome": entry.most_frequent_outcome,
            "status": entry.status,
            "status_inferred": entry.status_inferred,
            "predecessors": [predecessor_to_dict(p) for p in entry.predecessors],
            "evidence": [evidence_to_dict(e) for e in entry.evidence],
            "citation": citation_to_dict(entry.citation),
            "notes": entry.notes,
            "history": history_to_dicts(entry.history),
        }
    )


def nesting_to_dict(nesting: Nesting) -> dict:
    return _compact(
        {
            "id": nesting.id,
            "from": nesting.source,
            "to": nesting.target,
            "as": nesting.as_slot,
            "concept": nesting.concept,
            "provenance": nesting.provenance,
            "evidence": [evidence_to_dict(e) for e in nesting.evidence],
            "notes": nesting.notes,
        }
    )


def entry_point_to_dict(point: EntryPoint) -> dict:
    return _compact(
        {
            "id": point.id,
            "label": point.label,
            "explanation": point.explanation,
            "references": list(point.references),
            "sources": list(point.sources),
            "split_inferred": point.split_inferred,
            "evidence": [evidence_to_dict(e) for e in point.evidence],
            "citation": citation_to_dict(point.citation),
            "notes": point.notes,
        }
    )


def demi_regularity_to_dict(record: DemiRegularity) -> dict:
    return _compact(
        {
            "id": record.id,
            "statement": record.statement,
            "cmocs": list(record.cmocs),
            "evidence": [evidence_to_dict(e) for e in record.evidence],
            "citation": citation_to_dict(record.citation) if record.citation else None,
            "notes": record.notes,
        }
    )


def theory_to_dict(record: MiddleRangeTheory) -> dict:
    return _compact(
        {
            "id": record.id,
            "label": record.label,
            "description": record.description,
            "cmocs": list(record.cmocs),
            "evidence": [evidence_to_dict(e) for e in record.evidence],
            "citation": citation_to_dict(record.citation) if record.citation else None,
            "notes": record.notes,
        }
    )


def concept_to_dict(concept: Concept) -> dict:
    return _compact(
        {
            "id": concept.id,
            "pref_label": concept.pref_label,
            "alt_labels": list(concept.alt_labels),
            "definition": concept.definition,
            "broader": list(concept.broader),
            "related": list(concept.related),
            "exact_match": list(concept.exact_match),
            "group": concept.group,
            "role": concept.role,
            "notes": concept.notes,
        }
    )


def ioc_type_to_dict(ioc: Concept) -> dict:
    return _compact(
        {"id": ioc.id, "label": ioc.pref_label, "exact_match": list(ioc.exact_match), "notes": ioc.definition}
    )


def base_to_dict(base: EvidenceBase) -> dict:
    return _compact({"id": base.id, "label": base.label, "kind": base.kind, "notes": base.notes})


def source_to_dict(source: Source) -> dict:
    return _compact(
        {
            "id": source.id,
            "kind": source.kind,
            "base": source.base,
            "title": source.title,
            "title_inferred": source.title_inferred,
            "authors": source.authors,
            "year": source.year,
            "venue": source.venue,
            "doi": source.doi,
            "collaboration_type": source.collaboration_type,
            "part_of": source.part_of,
            "cited_by": source.cited_by,
            "incomplete": source.incomplete,
            "citation": citation_to_dict(source.citation) if source.citation else None,
            "notes": source.notes,
            "text": source.text,
            "abstract": source.abstract,
        }
    )


def phase_to_dict(phase: Phase) -> dict:
    data = {
        "id": phase.id,
        "label": phase.label,
        "order": phase.order,
        "type": phase.type,
        "source": phase.source,
        "previous": phase.previous,
    }
    if phase.previous_inferred:
        data["previous_inferred"] = True
    data["description"] = phase.description
    if phase.notes:
        data["notes"] = phase.notes
    return data


def record_view(record: CMOC | CausalLink | MechanismEntry) -> dict:
    """A record as the CLI's ``--json`` and the API show it: its file form plus the derived
    ``sources`` (the distinct sources of its evidence, in order), placed after ``evidence``."""
    if isinstance(record, CMOC):
        data = cmoc_to_dict(record)
    elif isinstance(record, CausalLink):
        data = link_to_dict(record)
    else:
        data = mechanism_to_dict(record)
    view: dict = {}
    for key, value in data.items():
        view[key] = value
        if key == "evidence":
            view["sources"] = list(record.sources)
    return view


def neighbourhood_to_dict(hood: dict) -> dict:
    """A :func:`causal_web.web.queries.concept_neighbourhood` result as plain data."""
    return {
        "concept": concept_to_dict(hood["concept"]),
        "narrower": hood["narrower"],
        "upstream": [n.to_dict() for n in hood["upstream"]],
        "downstream": [n.to_dict() for n in hood["downstream"]],
        "cmocs": hood["cmocs"],
        "evidence": hood["evidence"],
    }
