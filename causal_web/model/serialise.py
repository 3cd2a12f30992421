"""Model objects to plain dicts, in the canonical key order of ``docs/data-format.md``.

The same dicts feed the canonical YAML files (``causal-web lint``), ``--json`` output and the
API's responses, so all three spell a record the same way.
"""

from __future__ import annotations

from causal_web.model.records import (
    CMOC,
    SLOT_NAMES,
    CausalLink,
    Citation,
    Concept,
    MechanismEntry,
    Phase,
    Slot,
    Source,
)

__all__ = [
    "citation_to_dict",
    "cmoc_to_dict",
    "concept_to_dict",
    "ioc_type_to_dict",
    "link_to_dict",
    "mechanism_to_dict",
    "neighbourhood_to_dict",
    "phase_to_dict",
    "slot_to_dict",
    "source_to_dict",
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


def slot_to_dict(slot: Slot) -> dict:
    data = {"label": slot.label, "concept": slot.concept, "polarity": slot.polarity.value}
    if slot.inferred:
        data["inferred"] = True
    return data


def cmoc_to_dict(cmoc: CMOC) -> dict:
    data: dict = {"id": cmoc.id, "phase": cmoc.phase, "kind": cmoc.kind, "status": cmoc.status}
    for name in SLOT_NAMES:
        data[name] = [slot_to_dict(s) for s in cmoc.slots(name)]
    data.update(
        {
            "sources": list(cmoc.sources),
            "ioc_types": list(cmoc.ioc_types),
            "incomplete": cmoc.incomplete,
            "citation": citation_to_dict(cmoc.citation),
            "notes": cmoc.notes,
        }
    )
    return _compact(data)


def link_to_dict(link: CausalLink) -> dict:
    return _compact(
        {
            "id": link.id,
            "phase": link.phase,
            "from": slot_to_dict(link.source),
            "to": slot_to_dict(link.target),
            "relation": link.relation,
            "sign": link.sign.value,
            "kind": link.kind,
            "inferred": link.inferred,
            "sources": list(link.sources),
            "citation": citation_to_dict(link.citation),
            "notes": link.notes,
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
            "sources": list(entry.sources),
            "citation": citation_to_dict(entry.citation),
            "notes": entry.notes,
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
            "group": concept.group,
            "role": concept.role,
        }
    )


def ioc_type_to_dict(ioc: Concept) -> dict:
    return _compact({"id": ioc.id, "label": ioc.pref_label, "notes": ioc.definition})


def source_to_dict(source: Source) -> dict:
    return _compact(
        {
            "id": source.id,
            "kind": source.kind,
            "title": source.title,
            "authors": source.authors,
            "year": source.year,
            "venue": source.venue,
            "doi": source.doi,
            "collaboration_type": source.collaboration_type,
            "part_of": source.part_of,
            "citation": citation_to_dict(source.citation) if source.citation else None,
            "notes": source.notes,
        }
    )


def phase_to_dict(phase: Phase) -> dict:
    return {
        "id": phase.id,
        "label": phase.label,
        "order": phase.order,
        "source": phase.source,
        "previous": phase.previous,
        "description": phase.description,
    }


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
