"""Questions asked of a knowledge base: CMOCs by concept, phase, source, IOC type or status,
free-text search, and a concept's neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass

from causal_web.errors import QueryError, UnknownIdError
from causal_web.model.lookup import cmocs_using, in_listing_order, narrower
from causal_web.model.records import CMOC, RECORD_KINDS, SLOT_NAMES, STATUSES, Concept, Dataset
from causal_web.web.compact import BASES, KIND, PHASE, RECORD, SOURCES, row_numbers
from causal_web.web.graph import CausalWeb, summary_valence

__all__ = [
    "CMOCFilter",
    "Neighbour",
    "cmocs_by_concept",
    "concept_neighbourhood",
    "find_cmocs",
    "find_concepts",
    "get_concept",
    "search_labels",
]


@dataclass(slots=True)
class CMOCFilter:
    """Filters for :func:`find_cmocs`; every one given must match.

    ``kind`` defaults to full configurations ("cmoc"); mechanism lists and background claims
    of a summary are asked for with kind "mechanism-list", "background" or "all".
    """

    # One filter per slot (see SLOT_NAMES): find_cmocs reads them all.
    intervention: str | None = None
    context: str | None = None
    actor: str | None = None
    mechanism: str | None = None
    mechanism_resource: str | None = None
    mechanism_response: str | None = None
    outcome: str | None = None
    concept: str | None = None
    phase: str | None = None
    source: str | None = None
    ioc_type: str | None = None
    status: str | None = None
    q: str | None = None
    kind: str | None = "cmoc"


def get_concept(dataset: Dataset, concept_id: str, strict: bool = True) -> Concept | None:
    """The concept with this ID; raises :class:`UnknownIdError` (with close matches) if strict."""
    concept = dataset.concepts.get(concept_id)
    if concept is None and strict:
        raise UnknownIdError("concept", concept_id, dataset.concepts)
    return concept


def cmocs_by_concept(dataset: Dataset, concept_id: str, slot: str | None = None) -> list[CMOC]:
    """CMOCs that use the concept (or a narrower one) in ``slot`` (any slot if None)."""
    get_concept(dataset, concept_id)
    if slot is not None and slot not in SLOT_NAMES:
        raise QueryError(f"slot must be one of {', '.join(SLOT_NAMES)}, not {slot!r}", "slot")
    return cmocs_using(dataset, narrower(dataset, concept_id), (slot,) if slot else SLOT_NAMES)


def search_labels(dataset: Dataset, text: str) -> list[CMOC]:
    """CMOCs whose ID, title, statement or part labels (coded or not) contain every word of
    ``text`` (any case)."""
    words = text.lower().split()
    if not words:
        return list(dataset.cmocs.values())
    hits = []
    for cmoc in dataset.cmocs.values():
        haystack = " ".join([cmoc.id, cmoc.title, cmoc.statement, *cmoc.labels()]).lower()
        if all(w in haystack for w in words):
            hits.append(cmoc)
    return hits


def _check_known(kind: str, value: str | None, known: object) -> None:
    if value is not None and value not in known:  # type: ignore[operator]
        raise UnknownIdError(kind, value, known)  # type: ignore[arg-type]


def find_cmocs(dataset: Dataset, filters: CMOCFilter | None = None) -> list[CMOC]:
    """CMOCs matching every filter given, in data order (phase, then ID)."""
    f = filters or CMOCFilter()
    _check_known("phase", f.phase, dataset.phases)
    _check_known("source", f.source, dataset.sources)
    _check_known("IOC type", f.ioc_type, dataset.ioc_types)
    if f.kind is not None and f.kind != "all" and f.kind not in RECORD_KINDS:
        raise QueryError(f"kind must be one of {', '.join(RECORD_KINDS)} or all, not {f.kind!r}", "kind")
    if f.status is not None and f.status not in STATUSES:
        raise QueryError(f"status must be one of {', '.join(STATUSES)}, not {f.status!r}", "status")
    selected: list[CMOC] | None = None

    def narrow(found: list[CMOC]) -> None:
        nonlocal selected
        if selected is None:
            selected = found
        else:
            keep = {c.id for c in found}
            selected = [c for c in selected if c.id in keep]

    for slot in SLOT_NAMES:
        value = getattr(f, slot)
        if value:
            narrow(cmocs_by_concept(dataset, value, slot))
    if f.concept:
        narrow(cmocs_by_concept(dataset, f.concept))
    if f.q:
        narrow(search_labels(dataset, f.q))
    result = list(dataset.cmocs.values()) if selected is None else selected
    if f.phase:
        result = [c for c in result if c.phase == f.phase]
    if f.source:
        result = [c for c in result if f.source in c.sources or c.citation.source == f.source]
    if f.ioc_type:
        result = [c for c in result if f.ioc_type in c.ioc_types]
    if f.status:
        result = [c for c in result if c.status == f.status]
    if f.kind and f.kind != "all":
        result = [c for c in result if c.kind == f.kind]
    return in_listing_order(dataset, result)


def find_concepts(dataset: Dataset, q: str | None = None, group: str | None = None) -> list[Concept]:
    """Concepts whose ID or labels contain ``q``, optionally only those of ``group``."""
    concepts = list(dataset.concepts.values())
    if group is not None:
        groups = sorted({c.group for c in concepts if c.group})
        if group not in groups:
            raise UnknownIdError("group", group, groups)
        concepts = [c for c in concepts if c.group == group]
    if q:
        needle = q.lower()
        concepts = [
            c
            for c in concepts
            if needle in c.id
            or needle in c.pref_label.lower()
            or any(needle in alt.lower() for alt in c.alt_labels)
        ]
    return sorted(concepts, key=lambda c: c.id)


@dataclass(slots=True)
class Neighbour:
    """A concept next to the one asked about, with the evidence for the edge between them."""

    concept: str
    label: str
    valence: str
    valence_counts: dict[str, int]
    cmocs: list[str]
    links: list[str]
    sources: list[str]
    bases: list[str]
    phases: list[str]

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "label": self.label,
            "valence": self.valence,
            "valence_counts": dict(self.valence_counts),
            "cmocs": self.cmocs,
            "links": self.links,
            "sources": self.sources,
            "bases": self.bases,
            "phases": self.phases,
        }


def _neighbours(web: CausalWeb, concept_id: str, upstream: bool) -> list[Neighbour]:
    """The concepts on the other end of the edges into (``upstream``) or out of a concept, read
    from the compact web: the networkx view is not built for this."""
    pooled: dict[str, list] = {}
    for edge in web.edges_at(concept_id, upstream):
        pooled.setdefault(edge[0] if upstream else edge[1], []).append(edge)
    rows = web.table.rows
    found = []
    for other, edges in pooled.items():
        kinds: dict[str, set[str]] = {"cmoc": set(), "link": set()}
        sources: set[str] = set()
        bases: set[str] = set()
        phases: set[str] = set()
        for *_ends, packed in edges:
            for number in row_numbers(packed):
                row = rows[number]
                kinds[row[KIND]].add(row[RECORD])
                sources.update(row[SOURCES])
                bases.update(row[BASES])
                phases.add(row[PHASE])
        counts = web.pair_counts(edges)
        found.append(
            Neighbour(
                concept=other,
                label=web.label(other),
                valence=summary_valence(counts),
                valence_counts=counts,
                cmocs=sorted(kinds["cmoc"]),
                links=sorted(kinds["link"]),
                sources=sorted(sources),
                bases=sorted(bases),
                phases=sorted(phases),
            )
        )
    return sorted(found, key=lambda n: (-len(n.bases), -len(n.cmocs), n.concept))


def concept_neighbourhood(web: CausalWeb, concept_id: str) -> dict:
    """What activates a concept (upstream) and what it leads to (downstream), with evidence,
    and the CMOCs where it is the context, mechanism or outcome."""
    concept = get_concept(web.dataset, concept_id)
    assert concept is not None
    upstream = _neighbours(web, concept_id, upstream=True)
    downstream = _neighbours(web, concept_id, upstream=False)
    roles = {
        slot: [
            c.id for c in web.dataset.cmocs.values() if any(s.concept == concept_id for s in c.slots(slot))
        ]
        for slot in SLOT_NAMES
    }
    children = web.dataset.children()
    return {
        "concept": concept,
        "narrower": sorted(children.get(concept_id, [])),
        "upstream": upstream,
        "downstream": downstream,
        "cmocs": roles,
        "evidence": web.concept_evidence(concept_id),
    }
