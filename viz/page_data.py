"""Plain data the page shows beside the drawing: records with their slots, parts, flags and
evidence items, short source citations, and the phases in order. All of it is shown as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from causal_web.model.records import SLOT_NAMES

if TYPE_CHECKING:
    from causal_web.model.records import CMOC, Dataset, EvidenceItem, Part, PartRef, Relation

__all__ = ["SLOT_TITLES", "phase_list", "record_dict", "short_source"]


def short_source(dataset: Dataset, source_id: str) -> dict[str, str]:
    """A source as a side panel cites it: "Aunger et al. 2021", with its title and DOI."""
    source = dataset.sources.get(source_id)
    if source is None:
        return {"id": source_id, "short": source_id, "title": "", "year": "", "doi": ""}
    first = source.authors.replace("&", ",").split(",")[0].strip().split(" ")[0] if source.authors else ""
    if first and source.year:
        short = (
            f"{first} et al. {source.year}"
            if "," in source.authors or "et al" in source.authors
            else f"{first} {source.year}"
        )
    else:
        short = source_id
    return {"id": source_id, "short": short, "title": source.title, "year": source.year, "doi": source.doi}


# How the side panel names each slot: a short badge and the full name.
SLOT_TITLES = {
    "intervention": ("I", "Intervention or strategy"),
    "context": ("C", "Context"),
    "actor": ("A", "Actor (for whom)"),
    "mechanism": ("M", "Mechanism"),
    "mechanism_resource": ("MR", "Mechanism resource"),
    "mechanism_response": ("MX", "Mechanism response"),
    "outcome": ("O", "Outcome"),
}


def _part(part: Part) -> dict[str, Any]:
    """A part as the panel shows it: the published text, and its concept or "not coded"."""
    return {
        "label": part.label,
        "concept": part.concept,
        "polarity": part.polarity.value,
        "inferred": part.inferred,
    }


def _slot(name: str, parts: list[Part]) -> dict[str, Any]:
    badge, title = SLOT_TITLES.get(name, (name[:1].upper(), name))
    return {"slot": name, "badge": badge, "title": title, "parts": [_part(p) for p in parts]}


def _evidence(items: list[EvidenceItem]) -> list[dict[str, str]]:
    return [
        {
            "source": item.source,
            "locator": item.locator(),
            "judgement": item.judgement,
            "evidence_type": item.evidence_type,
            "quote": item.quote,
        }
        for item in items
    ]


def _relation(cmoc: CMOC, relation: Relation) -> dict[str, Any]:
    """A stated relation with the published labels of the parts it joins."""

    def label(ref: PartRef | None) -> str:
        part = cmoc.part(ref) if ref is not None else None
        if part is None:
            return str(ref)
        return f"{part.label} ({part.concept})" if part.concept else f"{part.label} (not coded)"

    return {
        "relation": relation.relation,
        "from": label(relation.source) if relation.source is not None else "",
        "to": label(relation.target) if relation.target is not None else "",
        "parts": [label(ref) for ref in relation.parts],
        "valence": relation.valence.value,
        "inferred": relation.inferred,
    }


def record_dict(dataset: Dataset, record_id: str) -> dict[str, Any] | None:
    """A CMOC or stated link as the side panel shows it: title and statement, every slot that
    holds parts (coded or not), the relations the source states, the flags, and each evidence
    item with its source, locator, judgement and type."""
    cmoc = dataset.cmocs.get(record_id)
    if cmoc is not None:
        return {
            "id": cmoc.id,
            "kind": "cmoc",
            "record_kind": cmoc.kind,
            "phase": cmoc.phase,
            "status": cmoc.status or "",
            "title": cmoc.title,
            "statement": cmoc.statement,
            "slots": [_slot(name, cmoc.slots(name)) for name in SLOT_NAMES if cmoc.slots(name)],
            "relations": [_relation(cmoc, r) for r in cmoc.relations],
            "incomplete": cmoc.incomplete,
            "inferred": cmoc.inferred,
            "sources": list(cmoc.sources),
            "evidence": _evidence(cmoc.evidence),
            "citation": str(cmoc.citation),
        }
    link = dataset.links.get(record_id)
    if link is not None:
        return {
            "id": link.id,
            "kind": "link",
            "record_kind": link.kind,
            "phase": link.phase,
            "status": "",
            "title": "",
            "statement": "",
            "slots": [
                {"slot": "from", "badge": "→", "title": "Cause", "parts": [_part(link.source)]},
                {"slot": "to", "badge": "⇥", "title": "Effect", "parts": [_part(link.target)]},
            ],
            "relations": [
                {
                    "relation": link.relation,
                    "from": link.source.label,
                    "to": link.target.label,
                    "parts": [],
                    "valence": link.valence.value,
                    "inferred": link.inferred,
                }
            ],
            "incomplete": False,
            "inferred": link.inferred or link.source.inferred or link.target.inferred,
            "sources": list(link.sources),
            "evidence": _evidence(link.evidence),
            "citation": str(link.citation),
        }
    return None


def phase_list(dataset: Dataset) -> list[dict[str, str]]:
    """The phases (theory versions) in their order, for the phase filter."""
    ordered = sorted(dataset.phases.values(), key=lambda p: (p.order, p.id))
    return [{"id": p.id, "label": p.label} for p in ordered]
