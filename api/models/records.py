"""Response shapes of the records, key for key the dicts of :mod:`causal_web.model.serialise`.

Optional fields that hold nothing are left out of responses, as they are left out of the data
files; the few that are always there (a part's ``concept``, an evidence item's ``judgement``)
are required here.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from causal_web.api.models.base import EXACT
from causal_web.api.models.evidence import EvidenceSummary, HistoryEvent
from causal_web.model.records import (
    BASE_KINDS,
    EVIDENCE_TYPES,
    JUDGEMENTS,
    NESTING_PROVENANCES,
    PHASE_TYPES,
    POLARITIES,
    RATINGS,
    RECORD_KINDS,
    RELATION_TYPES,
    STATUSES,
    THEORY_LINKS,
)

__all__ = [
    "CMOC",
    "Citation",
    "Concept",
    "DemiRegularity",
    "EntryPoint",
    "EvidenceBase",
    "EvidenceItem",
    "ExactModel",
    "IOCType",
    "Link",
    "MechanismEntry",
    "MiddleRangeTheory",
    "Nesting",
    "Part",
    "Phase",
    "Predecessor",
    "Relation",
    "Source",
]


class ExactModel(BaseModel):
    """A record's shape, key for key (see :data:`~causal_web.api.models.base.EXACT`)."""

    model_config = EXACT


def _one_of(values: tuple[str, ...]) -> str:
    return "One of " + ", ".join(values) + "."


class Citation(ExactModel):
    """Where a record was transcribed from."""

    source: str = ""
    table: str = ""
    row: str = ""
    section: str = ""
    curated_file: str = ""


class Part(ExactModel):
    """One value of a slot: the text as published and the curator's coding of it."""

    label: str = Field(description="The text exactly as published.")
    concept: str | None = Field(
        description="The coded concept ID, or null for an uncoded part (searchable, but it draws no edge)."
    )
    polarity: str = Field(description=_one_of(POLARITIES))
    inferred: bool = Field(False, description="True when the coding is the curator's reading.")


class Relation(ExactModel):
    """What the source states about the parts of the configuration: ``context[0]`` enables
    ``mechanism[0]``, or ``and`` over parts that act together."""

    relation: str = Field(description=_one_of(RELATION_TYPES))
    from_: str = Field("", alias="from", description="The acting part, as slot[index].")
    to: str = Field("", description="The part acted on, as slot[index].")
    parts: list[str] = Field([], description="For 'and': the parts that act together.")
    valence: str | None = Field(None, description="+ or -, when the source states one.")
    inferred: bool = False
    notes: str = ""


class EvidenceItem(ExactModel):
    """One piece of support for a record, judged against it."""

    source: str
    table: str = ""
    row: str = ""
    page: str = ""
    section: str = ""
    quote: str = ""
    judgement: str = Field(description=_one_of(JUDGEMENTS))
    evidence_type: str = Field("", description=_one_of(EVIDENCE_TYPES))
    base: str = Field("", description="The independent evidence base, when not the source's own.")
    relevance: str = Field("", description=_one_of(RATINGS))
    rigour: str = Field("", description=_one_of(RATINGS))
    coder: str = ""
    notes: str = ""


class Predecessor(ExactModel):
    """A theory-version link: the record confirms, refines or refutes an earlier one."""

    record: str
    relation: str = Field(description=_one_of(THEORY_LINKS))
    inferred: bool = False
    notes: str = ""


class CMOC(ExactModel):
    """A configuration: intervention, context, actor, mechanism (or its resource and response)
    and outcome, each a list of parts, with the relations and evidence behind it."""

    id: str
    phase: str
    kind: str = Field(description=_one_of(RECORD_KINDS))
    title: str = ""
    statement: str = Field("", description="The whole CMOC sentence or if-then statement as published.")
    status: str | None = Field(None, description=_one_of(STATUSES))
    intervention: list[Part] = []
    context: list[Part] = []
    actor: list[Part] = Field([], description="For whom.")
    mechanism: list[Part] = Field([], description="When the source does not split resource from response.")
    mechanism_resource: list[Part] = []
    mechanism_response: list[Part] = []
    outcome: list[Part] = []
    relations: list[Relation] = []
    ioc_types: list[str] = []
    ioc_types_inferred: bool = False
    incomplete: bool = Field(False, description="True when a cell of the source is cut off.")
    split_inferred: bool = Field(False, description="True when the split into slots is the curator's.")
    configuration_inferred: bool = False
    predecessors: list[Predecessor] = []
    evidence: list[EvidenceItem] = []
    sources: list[str] = Field([], description="The distinct sources of the evidence, in order (derived).")
    citation: Citation | None = None
    notes: str = ""
    history: list[HistoryEvent] = Field([], description="The record's audit trail, oldest first.")
    evidence_summary: EvidenceSummary | None = Field(
        None, description="Served by the API: the CMOC's evidence bases, status, confidence and explanation."
    )


class Link(ExactModel):
    """A concept-to-concept link a source states outright."""

    id: str
    phase: str
    from_: Part = Field(alias="from")
    to: Part
    relation: str = ""
    valence: str | None = Field(None, description="+ or -, when the source states one; absent otherwise.")
    kind: str = ""
    inferred: bool = False
    derived_from: str | None = Field(None, description="The record this link was read from, if any.")
    evidence: list[EvidenceItem] = []
    sources: list[str] = Field([], description="The distinct sources of the evidence, in order (derived).")
    citation: Citation | None = None
    notes: str = ""
    history: list[HistoryEvent] = []


class MechanismEntry(ExactModel):
    """A mechanism as a theory version defines it."""

    id: str
    phase: str
    concept: str
    label: str
    initial_label: str = ""
    mechanism_type: str = ""
    most_frequent_outcome: str = ""
    status: str | None = None
    status_inferred: bool = False
    predecessors: list[Predecessor] = []
    evidence: list[EvidenceItem] = []
    sources: list[str] = Field([], description="The distinct sources of the evidence, in order (derived).")
    citation: Citation | None = None
    notes: str = ""
    history: list[HistoryEvent] = []


class Nesting(ExactModel):
    """One CMOC's outcome becoming the context or mechanism of another."""

    id: str
    from_: str = Field(alias="from", description="The CMOC whose outcome feeds the other.")
    to: str = Field(description="The CMOC it feeds.")
    as_: str = Field(alias="as", description="The slot of 'to' the outcome becomes.")
    concept: str | None = None
    provenance: str = Field(description=_one_of(NESTING_PROVENANCES))
    evidence: list[EvidenceItem] = []
    notes: str = ""


class EntryPoint(ExactModel):
    """A reason organisations enter a collaboration."""

    id: str
    label: str
    explanation: str = ""
    references: list[str] = []
    sources: list[str] = []
    split_inferred: bool = False
    evidence: list[EvidenceItem] = []
    citation: Citation | None = None
    notes: str = ""


class DemiRegularity(ExactModel):
    """A semi-predictable pattern of outcomes that draws several CMOCs together."""

    id: str
    statement: str = ""
    cmocs: list[str] = []
    evidence: list[EvidenceItem] = []
    citation: Citation | None = None
    notes: str = ""


class MiddleRangeTheory(ExactModel):
    """A middle-range theory that configurations draw on."""

    id: str
    label: str
    description: str = ""
    cmocs: list[str] = []
    evidence: list[EvidenceItem] = []
    citation: Citation | None = None
    notes: str = ""


class Concept(ExactModel):
    """A SKOS concept of the vocabulary."""

    id: str
    pref_label: str
    alt_labels: list[str] = []
    definition: str = ""
    broader: list[str] = []
    related: list[str] = []
    exact_match: list[str] = []
    group: str | None = None
    role: str = ""
    notes: str = ""


class IOCType(ExactModel):
    """A type of inter-organisational collaboration (a SKOS concept of its own scheme)."""

    id: str
    label: str
    exact_match: list[str] = []
    notes: str = ""


class EvidenceBase(ExactModel):
    """A body of evidence that stands on its own: support is counted in these."""

    id: str
    label: str
    kind: str = Field(description=_one_of(BASE_KINDS))
    notes: str = ""


class Source(ExactModel):
    """A paper, report, summary, interview set or included study."""

    id: str
    kind: str = ""
    base: str = Field("", description="The independent evidence base it belongs to.")
    title: str = ""
    title_inferred: bool = False
    authors: str = ""
    year: str = ""
    venue: str = ""
    doi: str = ""
    collaboration_type: str = ""
    part_of: str = ""
    cited_by: str = ""
    incomplete: bool = False
    citation: Citation | None = None
    notes: str = ""
    text: str = Field("", description="A text file inside the data folder, for quote checks.")
    abstract: str = Field("", description="The abstract, as published; quotes are checked against it.")


class Phase(ExactModel):
    """A theory version."""

    id: str
    label: str
    order: int
    type: str = Field(description=_one_of(PHASE_TYPES))
    source: str
    previous: str | None = None
    previous_inferred: bool = False
    description: str = ""
    notes: str = ""
