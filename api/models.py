"""Response shapes. They describe the dicts of :mod:`causal_web.model.serialise` and the ``to_dict``
methods of the library's results, so the API spells a record as the data files and the CLI do.
Optional fields that hold nothing are left out of responses, as they are left out of the files.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CMOC",
    "Chain",
    "ChainHop",
    "ChainResult",
    "Citation",
    "Concept",
    "ConceptDetail",
    "CoverageEntry",
    "CoverageLedger",
    "Health",
    "Link",
    "MechanismEntry",
    "Neighbour",
    "Page",
    "Phase",
    "PhaseDiff",
    "Slot",
    "Source",
    "Stats",
]

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Page(_Model, Generic[T]):
    """One page of a list: ``items`` holds at most ``limit`` entries, starting at ``offset``."""

    total: int = Field(description="How many entries match, over all pages.")
    limit: int
    offset: int
    items: list[T]


class Citation(_Model):
    """Where a record was read."""

    source: str = ""
    table: str = ""
    row: str = ""
    section: str = ""
    curated_file: str = ""


class Slot(_Model):
    """One context, mechanism or outcome value: the label as published, its concept, its polarity."""

    label: str
    concept: str
    polarity: str = Field(description="increase, decrease or unspecified")
    inferred: bool = False


class CMOC(_Model):
    """A context-mechanism-outcome configuration."""

    id: str
    phase: str
    kind: str = Field(description="cmoc, mechanism-list or background")
    status: str | None = Field(None, description="affirmed, refined, refuted or new")
    context: list[Slot] = []
    mechanism: list[Slot] = []
    outcome: list[Slot] = []
    sources: list[str] = []
    ioc_types: list[str] = []
    incomplete: bool = False
    citation: Citation | None = None
    notes: str = ""


class Link(_Model):
    """A concept-to-concept link a source states outright."""

    id: str
    phase: str
    from_: Slot = Field(alias="from")
    to: Slot
    relation: str = ""
    sign: str = Field(description="+, - or ?")
    kind: str = ""
    inferred: bool = False
    sources: list[str] = []
    citation: Citation | None = None
    notes: str = ""


class MechanismEntry(_Model):
    """A mechanism as a theory version defines it."""

    id: str
    phase: str
    concept: str
    label: str
    initial_label: str = ""
    mechanism_type: str = ""
    most_frequent_outcome: str = ""
    status: str | None = None
    sources: list[str] = []
    citation: Citation | None = None
    notes: str = ""


class Concept(_Model):
    """A SKOS concept of the vocabulary."""

    id: str
    pref_label: str
    alt_labels: list[str] = []
    definition: str = ""
    broader: list[str] = []
    group: str | None = None
    role: str = ""


class Neighbour(_Model):
    """A concept next to another, with the evidence for the edge between them."""

    concept: str
    label: str
    sign: str
    cmocs: list[str]
    links: list[str]
    sources: list[str]
    phases: list[str]


class ConceptRoles(_Model):
    """IDs of the CMOCs where the concept is the context, the mechanism or the outcome."""

    context: list[str] = []
    mechanism: list[str] = []
    outcome: list[str] = []


class Evidence(_Model):
    cmocs: int
    sources: int


class ConceptDetail(_Model):
    """A concept, what activates it (upstream), what it leads to (downstream), and its CMOCs."""

    concept: Concept
    narrower: list[str]
    upstream: list[Neighbour]
    downstream: list[Neighbour]
    cmocs: ConceptRoles
    evidence: Evidence


class Source(_Model):
    """A paper, report, summary, interview set or included study."""

    id: str
    kind: str = ""
    title: str = ""
    authors: str = ""
    year: str = ""
    venue: str = ""
    doi: str = ""
    collaboration_type: str = ""
    part_of: str = ""
    citation: Citation | None = None
    notes: str = ""


class Phase(_Model):
    """A theory version."""

    id: str
    label: str
    order: int
    source: str
    previous: str | None = None
    description: str = ""


class ChainHop(_Model):
    """One step of a chain with the records, sources and sign behind it."""

    from_: str = Field(alias="from")
    to: str
    records: list[str]
    through: list[str] = Field(description="Mechanisms the hop works through.")
    sources: list[str]
    phases: list[str]
    sign: str
    stitched: bool = Field(description="True when the hop shares no source with the previous one.")


class Chain(_Model):
    concepts: list[str]
    passes_through: list[str]
    length: int
    sign: str
    weakest_sources: int = Field(description="The fewest distinct sources on any hop.")
    stitched_hops: int
    hops: list[ChainHop]


class ChainResult(_Model):
    """Chains found, best supported first."""

    from_: list[str] = Field(alias="from", description="The start concept and its narrower concepts.")
    to: list[str]
    via: list[str] | None = None
    total: int = Field(description="Chains returned (at most limit).")
    limit: int
    truncated: bool = Field(description="True when more chains exist than were returned.")
    chains: list[Chain]


class PhasePair(_Model):
    before: str
    after: str


class MechanismChange(_Model):
    id: str
    label: str
    initial_label: str = ""
    status: str | None = None
    concept: str


class PhaseDiff(_Model):
    """What changed from one theory version to the next."""

    before: str
    after: str
    added: list[str]
    removed: list[str]
    refined: list[PhasePair]
    kept: list[PhasePair]
    new_concepts: list[str]
    dropped_concepts: list[str]
    mechanisms: list[MechanismChange]
    coverage_gaps: list[str]


class CoverageEntry(_Model):
    """One source table: rows transcribed against rows known to exist."""

    id: str
    source: str
    item: str
    transcribed: int
    known: int | str = Field(description="Rows known to exist, or 'unknown'.")
    gaps: list[str]
    complete: bool


class CoverageLedger(_Model):
    entries: list[CoverageEntry]
    complete: int
    incomplete_or_unknown: int


class Totals(_Model):
    cmocs: int
    links: int
    mechanisms: int
    concepts: int
    ioc_types: int
    sources: int
    sources_by_kind: dict[str, int]
    phases: int
    concept_edges: int
    incomplete_cmocs: int


class PhaseCounts(_Model):
    id: str
    label: str
    cmocs: int
    links: int
    mechanisms: int
    concepts: int
    sources: int


class Stats(_Model):
    """Counts overall and per phase, and the coverage ledger."""

    totals: Totals
    phases: list[PhaseCounts]
    coverage: CoverageLedger


class Health(_Model):
    status: str
    version: str
    base_iri: str
    cmocs: int
    concepts: int
    sources: int
