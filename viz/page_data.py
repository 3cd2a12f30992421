"""Plain data the page shows beside the drawing: records with their published labels and
citations, short source citations, and the phases in order. All of it is shown as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from causal_web.model.records import Dataset

__all__ = ["phase_list", "record_dict", "short_source"]


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


def record_dict(dataset: Dataset, record_id: str) -> dict[str, Any] | None:
    """A CMOC or stated link as the side panel lists it: published labels and citation."""
    cmoc = dataset.cmocs.get(record_id)
    if cmoc is not None:
        return {
            "id": cmoc.id,
            "kind": "cmoc",
            "phase": cmoc.phase,
            "status": cmoc.status or "",
            "sources": list(cmoc.sources),
            "citation": str(cmoc.citation),
            "context": [s.label for s in cmoc.context],
            "mechanism": [s.label for s in cmoc.mechanism],
            "outcome": [s.label for s in cmoc.outcome],
        }
    link = dataset.links.get(record_id)
    if link is not None:
        return {
            "id": link.id,
            "kind": "link",
            "phase": link.phase,
            "status": "",
            "sources": list(link.sources),
            "citation": str(link.citation),
            "context": [link.source.label],
            "mechanism": [],
            "outcome": [link.target.label],
        }
    return None


def phase_list(dataset: Dataset) -> list[dict[str, str]]:
    """The phases (theory versions) in their order, for the phase filter."""
    ordered = sorted(dataset.phases.values(), key=lambda p: (p.order, p.id))
    return [{"id": p.id, "label": p.label} for p in ordered]
