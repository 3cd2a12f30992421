"""Response shapes of the library's results: neighbourhoods, chains, phase diffs, counts.

They follow the ``to_dict`` methods of :mod:`causal_web.web.chains` and the dicts of
:mod:`causal_web.web.queries`, :mod:`causal_web.web.diff` and :mod:`causal_web.model.stats`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from causal_web.api.models.base import EXACT, LOOSE
from causal_web.api.models.evidence import EvidenceAssessment
from causal_web.api.models.records import Concept

__all__ = [
    "Chain",
    "ChainBudget",
    "ChainHop",
    "ChainResult",
    "ConceptDetail",
    "ConceptEvidence",
    "ConceptRoles",
    "CoverageEntry",
    "CoverageLedger",
    "Health",
    "Neighbour",
    "PhaseDiff",
    "Stats",
    "ValenceCounts",
]

_VALENCE = (
    "'+' or '-' when every stated valence agrees, 'mixed' when stated valences disagree, "
    "'unspecified' when none is stated."
)


class ExactModel(BaseModel):
    model_config = EXACT


class ResultModel(BaseModel):
    model_config = LOOSE


class ValenceCounts(ExactModel):
    """Records by the valence they state; an unsigned record never hides signed ones."""

    positive: int = Field(alias="+")
    negative: int = Field(alias="-")
    unspecified: int


class Neighbour(ResultModel):
    """A concept next to another, with the evidence for the edges between them."""

    concept: str
    label: str
    valence: str = Field(description=_VALENCE)
    valence_counts: ValenceCounts
    cmocs: list[str]
    links: list[str]
    sources: list[str]
    bases: list[str] = Field(description="The independent evidence bases behind the edges.")
    phases: list[str]


class ConceptRoles(ExactModel):
    """IDs of the CMOCs that use the concept, slot by slot."""

    intervention: list[str] = []
    context: list[str] = []
    actor: list[str] = []
    mechanism: list[str] = []
    mechanism_resource: list[str] = []
    mechanism_response: list[str] = []
    outcome: list[str] = []


class ConceptEvidence(ResultModel):
    cmocs: int
    sources: int
    bases: int = Field(0, description="Independent evidence bases.")


class ConceptDetail(ResultModel):
    """A concept, what acts on it (upstream), what it acts on (downstream), and its CMOCs."""

    concept: Concept
    narrower: list[str]
    upstream: list[Neighbour]
    downstream: list[Neighbour]
    cmocs: ConceptRoles
    evidence: ConceptEvidence


class ChainHop(EvidenceAssessment):
    """One step of a chain, with the records, evidence bases and valences behind it."""

    from_: str = Field(alias="from")
    to: str
    records: list[str]
    through: list[str] = Field(description="Mechanisms the hop works through.")
    sources: list[str]
    bases: list[str] = Field(description="The independent evidence bases behind the hop.")
    phases: list[str]
    valence_counts: ValenceCounts
    valence: str = Field(description=_VALENCE)
    record_kinds: list[str] = Field(description="Kinds of the records behind the hop (cmoc, stated, ...).")
    inferred: bool = Field(description="True when every record of the hop rests on the curator's reading.")
    incomplete: bool = Field(description="True when a record behind the hop is cut off in its source.")
    nesting: str | None = Field(
        description="How the hop joins the one before: stated (by the authors), curator, or tool "
        "(a shared concept only); null for the first hop."
    )
    hypothesis: bool = Field(description="True when the join rests on nothing but a shared concept.")
    stitched: bool = Field(description="True when the hop shares no evidence base with the one before.")


class Chain(ExactModel):
    concepts: list[str]
    passes_through: list[str]
    length: int
    valence: str = Field(description="Signed only when every hop has a sign; mixed or unspecified otherwise.")
    weakest_bases: int = Field(description="The fewest independent evidence bases on any hop.")
    weakest_sources: int = Field(description="The fewest distinct sources on any hop.")
    stitched_hops: int
    hypothesis: bool = Field(description="True when any join of the chain is the tool's hypothesis.")
    hops: list[ChainHop]


class ChainBudget(ExactModel):
    """The search budget of a chain question, and how much of it the search used."""

    max_expansions: int = Field(
        description="Most node expansions (paths taken off the search stack) allowed."
    )
    time_budget_ms: float | None = Field(
        description="Most wall-clock time for the search and building the chains, in milliseconds; "
        "null: no time limit."
    )
    expansions: int = Field(description="Node expansions used.")
    reason: Literal["time", "expansions"] | None = Field(
        description="The part of the budget that ran out and stopped the search (time: or the building "
        "of the chains); null when neither did."
    )


class ChainResult(ExactModel):
    """Chains found, best supported first."""

    from_: list[str] = Field(alias="from", description="The start concept and its narrower concepts.")
    to: list[str]
    via: list[str] | None = None
    include_background: bool = Field(description="Whether background and aggregate records were used.")
    total: int = Field(description="Chains returned (at most limit).")
    limit: int
    truncated: bool = Field(
        description="True when a bound cut the search short: the budget ran out (see budget.reason), "
        "or more chains were found than limit."
    )
    budget: ChainBudget
    chains: list[Chain]


class PhasePair(ResultModel):
    """A record of the earlier phase and its counterpart in the later one."""

    before: str
    after: str
    by: str = Field(
        description="How the pair was found: the link that joins them, or a match of their concepts."
    )


class PredecessorLink(ResultModel):
    record: str
    relation: str


class MechanismChange(ResultModel):
    id: str
    label: str
    initial_label: str = ""
    status: str | None = None
    status_inferred: bool = False
    concept: str
    predecessors: list[PredecessorLink] = []


class PhaseDiff(ResultModel):
    """What changed from one theory version to the next, read from the confirms, refines and
    refutes links; pairs no link joins are matched by their concepts, and ``fallback`` says so."""

    before: str
    after: str
    added: list[str]
    removed: list[str]
    confirmed: list[PhasePair]
    refined: list[PhasePair]
    refuted: list[PhasePair]
    kept: list[PhasePair]
    fallback: bool = Field(description="True when some pairs were matched by concepts, for want of a link.")
    notes: list[str]
    new_concepts: list[str]
    dropped_concepts: list[str]
    mechanisms: list[MechanismChange]
    coverage_gaps: list[str]


class CoverageEntry(ResultModel):
    """One source table: rows transcribed against rows known to exist."""

    id: str
    source: str
    item: str
    transcribed: int
    known: int | str = Field(description="Rows known to exist, or 'unknown'.")
    gaps: list[str]
    complete: bool


class CoverageLedger(ResultModel):
    entries: list[CoverageEntry]
    complete: int
    incomplete_or_unknown: int


class Totals(ResultModel):
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


class PhaseCounts(ResultModel):
    id: str
    label: str
    cmocs: int
    links: int
    mechanisms: int
    concepts: int
    sources: int


class ReviewStats(ResultModel):
    """One review's own counts, when several reviews are loaded side by side."""

    id: str
    title: str = ""
    totals: Totals
    phases: list[PhaseCounts]
    coverage: CoverageLedger


class Stats(ResultModel):
    """Counts overall and per phase, and the coverage ledger."""

    totals: Totals
    phases: list[PhaseCounts]
    coverage: CoverageLedger
    reviews: list[ReviewStats] | None = Field(
        None, description="Each review's counts; only when several reviews are loaded."
    )


class Health(ResultModel):
    status: str
    version: str
    base_iri: str
    cmocs: int
    concepts: int
    sources: int
