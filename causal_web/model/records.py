"""The in-memory model of a realist synthesis: configurations, their parts and their evidence.

The model is plain data. Parsing lives in :mod:`causal_web.model.parse`, the relations between
parts in :mod:`causal_web.model.relations`, RDF in :mod:`causal_web.rdf.mapping` and the
causal web in :mod:`causal_web.web.graph`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from causal_web.model.history import HistoryEvent

__all__ = [
    "BASE_KINDS",
    "CMOC",
    "EVIDENCE_TYPES",
    "JUDGEMENTS",
    "LINK_KINDS",
    "NESTING_PROVENANCES",
    "PHASE_TYPES",
    "POLARITIES",
    "RATINGS",
    "RECORD_KINDS",
    "RELATION_TYPES",
    "SLOT_NAMES",
    "STATUSES",
    "THEORY_LINKS",
    "CausalLink",
    "Citation",
    "Concept",
    "ConceptGroup",
    "Dataset",
    "DemiRegularity",
    "EntryPoint",
    "EvidenceBase",
    "EvidenceItem",
    "MechanismEntry",
    "MiddleRangeTheory",
    "Nesting",
    "Part",
    "PartRef",
    "Phase",
    "Polarity",
    "Predecessor",
    "Relation",
    "Source",
    "Valence",
]


class Polarity(StrEnum):
    """Direction a published label gives its concept ("Reduced trust": decrease)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    UNSPECIFIED = "unspecified"


class Valence(StrEnum):
    """The stated direction of influence of one part on another.

    ``+``: more of the cause goes with more of the effect (a context that *enables*);
    ``-``: more of the cause goes with less of the effect (a context that *constrains*).
    ``mixed`` is only ever a summary: stated valences that disagree.
    """

    POSITIVE = "+"
    NEGATIVE = "-"
    UNSPECIFIED = "unspecified"
    MIXED = "mixed"

    @property
    def signed(self) -> bool:
        return self in (Valence.POSITIVE, Valence.NEGATIVE)

    def compose(self, other: Valence) -> Valence:
        """Valence of two influences in a row, within one configuration."""
        if not (self.signed and other.signed):
            return Valence.UNSPECIFIED
        return Valence.POSITIVE if self is other else Valence.NEGATIVE


POLARITIES = tuple(p.value for p in Polarity)
STATUSES = ("affirmed", "retained", "refined", "refuted", "new")
RECORD_KINDS = ("cmoc", "mechanism-list", "background")
LINK_KINDS = ("stated", "typical-outcome", "derived", "background", "aggregate", "constitutes")
# Slots in the order a realist reads an ICAMO configuration.
SLOT_NAMES = (
    "intervention",
    "context",
    "actor",
    "mechanism",
    "mechanism_resource",
    "mechanism_response",
    "outcome",
)
PHASE_TYPES = ("initial", "refined", "tested", "synthesis")
JUDGEMENTS = ("confirms", "refutes", "refines")
THEORY_LINKS = JUDGEMENTS
EVIDENCE_TYPES = ("review-author-statement", "primary-study-finding", "interview-data", "curator-inference")
RATINGS = ("high", "moderate", "low")
BASE_KINDS = ("review", "interview-set", "primary-study", "curator")
RELATION_TYPES = ("enables", "constrains", "generates", "tempers", "and")
NESTING_PROVENANCES = ("stated", "curator", "tool")


class ConceptGroup(StrEnum):
    """The groups of the IOC programme theory; other datasets may leave concepts ungrouped."""

    CORE_MECHANISM = "core-mechanism"
    SUPPORTING_MECHANISM = "supporting-mechanism"
    PERFORMANCE_DOMAIN = "performance-domain"
    LONG_TERM_OUTCOME = "long-term-outcome"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a record was transcribed from: the source, its table (or section) and the row."""

    source: str
    table: str
    row: str
    section: str = ""
    curated_file: str = ""

    def __str__(self) -> str:
        where = f"{self.table}, row {self.row}" if self.row else self.table
        return f"{self.source}: {where}"


@dataclass(frozen=True, slots=True)
class Part:
    """One value of a slot: the text as published, and the curator's coding of it.

    ``concept`` is ``None`` for an uncoded part: it is kept and searched, but draws no edge
    in the causal web until it is coded. A cut-off fragment is never coded.
    """

    label: str
    concept: str | None
    polarity: Polarity = Polarity.UNSPECIFIED
    inferred: bool = False

    @property
    def coded(self) -> bool:
        return self.concept is not None


@dataclass(frozen=True, slots=True)
class PartRef:
    """A pointer to one part of a record: ``context[1]``."""

    slot: str
    index: int

    def __str__(self) -> str:
        return f"{self.slot}[{self.index}]"


@dataclass(frozen=True, slots=True)
class Relation:
    """Something a source states about the parts of one configuration.

    ``enables``/``constrains``/``generates`` with a ``valence`` say which way one part
    influences another; ``tempers`` says the ``source`` part moderates the ``target``;
    ``and`` joins ``parts`` that act together.
    """

    relation: str
    source: PartRef | None = None
    target: PartRef | None = None
    parts: tuple[PartRef, ...] = ()
    valence: Valence = Valence.UNSPECIFIED
    inferred: bool = False
    notes: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of support for a record, judged against it."""

    source: str
    table: str = ""
    row: str = ""
    page: str = ""
    section: str = ""
    quote: str = ""
    judgement: str = "confirms"
    evidence_type: str = "review-author-statement"
    base: str = ""
    relevance: str = ""
    rigour: str = ""
    coder: str = ""
    notes: str = ""

    def locator(self) -> str:
        """Where in the source: "Table 3, row 16", "p. 4", or the section."""
        bits = []
        if self.table:
            bits.append(self.table)
        if self.row:
            bits.append(f"row {self.row}")
        if self.page:
            bits.append(f"p. {self.page}")
        if self.section and not bits:
            bits.append(self.section)
        return ", ".join(bits)


@dataclass(frozen=True, slots=True)
class Predecessor:
    """A theory-version link: this record confirms, refines or refutes an earlier one."""

    record: str
    relation: str
    inferred: bool = False
    notes: str = ""


def _distinct_sources(evidence: list[EvidenceItem]) -> list[str]:
    return list(dict.fromkeys(item.source for item in evidence))


@dataclass(slots=True)
class CMOC:
    """A context-mechanism-outcome configuration (ICAMO slots), possibly partial."""

    id: str
    phase: str
    citation: Citation
    evidence: list[EvidenceItem] = field(default_factory=list)
    intervention: list[Part] = field(default_factory=list)
    context: list[Part] = field(default_factory=list)
    actor: list[Part] = field(default_factory=list)
    mechanism: list[Part] = field(default_factory=list)
    mechanism_resource: list[Part] = field(default_factory=list)
    mechanism_response: list[Part] = field(default_factory=list)
    outcome: list[Part] = field(default_factory=list)
    title: str = ""
    statement: str = ""
    kind: str = "cmoc"
    status: str | None = None
    relations: list[Relation] = field(default_factory=list)
    ioc_types: list[str] = field(default_factory=list)
    ioc_types_inferred: bool = False
    incomplete: bool = False
    split_inferred: bool = False
    configuration_inferred: bool = False
    predecessors: list[Predecessor] = field(default_factory=list)
    notes: str = ""
    file: str = ""
    history: list[HistoryEvent] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The distinct sources of the evidence, in order (derived, for convenience)."""
        return _distinct_sources(self.evidence)

    def slots(self, name: str) -> list[Part]:
        return getattr(self, name)

    def parts(self) -> Iterator[tuple[str, int, Part]]:
        """Every part with its slot name and position."""
        for name in SLOT_NAMES:
            for index, part in enumerate(getattr(self, name)):
                yield name, index, part

    def part(self, ref: PartRef) -> Part | None:
        parts = getattr(self, ref.slot, None)
        if parts is None or not 0 <= ref.index < len(parts):
            return None
        return parts[ref.index]

    def concepts(self) -> set[str]:
        """The coded concepts of every slot."""
        return {p.concept for _name, _i, p in self.parts() if p.concept is not None}

    def labels(self) -> list[str]:
        return [p.label for _name, _i, p in self.parts()]

    @property
    def inferred(self) -> bool:
        """True when any part of the configuration rests on the curator's reading."""
        return (
            self.split_inferred
            or self.configuration_inferred
            or any(p.inferred for _n, _i, p in self.parts())
            or any(r.inferred for r in self.relations)
        )

    def _repr_html_(self) -> str:
        from causal_web.notebook import html_view

        return html_view(self, f"CMOC {self.id}")


@dataclass(slots=True)
class CausalLink:
    """A concept-to-concept link a source states outright (not part of a CMOC)."""

    id: str
    phase: str
    citation: Citation
    evidence: list[EvidenceItem]
    source: Part
    target: Part
    relation: str
    valence: Valence = Valence.UNSPECIFIED
    kind: str = "stated"
    inferred: bool = False
    derived_from: str | None = None
    notes: str = ""
    file: str = ""
    history: list[HistoryEvent] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return _distinct_sources(self.evidence)


@dataclass(slots=True)
class MechanismEntry:
    """A mechanism as a theory version defines it, with its earlier counterpart."""

    id: str
    phase: str
    citation: Citation
    evidence: list[EvidenceItem]
    concept: str
    label: str
    initial_label: str = ""
    mechanism_type: str = ""
    most_frequent_outcome: str = ""
    status: str | None = None
    status_inferred: bool = False
    predecessors: list[Predecessor] = field(default_factory=list)
    notes: str = ""
    file: str = ""
    history: list[HistoryEvent] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return _distinct_sources(self.evidence)


@dataclass(slots=True)
class Nesting:
    """One CMOC's outcome becoming the context or mechanism of another."""

    id: str
    source: str
    target: str
    as_slot: str
    provenance: str
    concept: str | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    notes: str = ""
    file: str = ""


@dataclass(slots=True)
class EntryPoint:
    """A reason organisations enter a collaboration (R21 Table 2)."""

    id: str
    label: str
    citation: Citation
    evidence: list[EvidenceItem]
    explanation: str = ""
    references: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    split_inferred: bool = False
    notes: str = ""
    file: str = ""


@dataclass(slots=True)
class DemiRegularity:
    """A semi-predictable pattern of outcomes that draws several CMOCs together."""

    id: str
    statement: str
    cmocs: list[str]
    evidence: list[EvidenceItem]
    citation: Citation | None = None
    notes: str = ""
    file: str = ""


@dataclass(slots=True)
class MiddleRangeTheory:
    """A middle-range theory that configurations draw on."""

    id: str
    label: str
    cmocs: list[str]
    evidence: list[EvidenceItem]
    description: str = ""
    citation: Citation | None = None
    notes: str = ""
    file: str = ""


@dataclass(slots=True)
class Concept:
    """A SKOS concept of the vocabulary."""

    id: str
    pref_label: str
    definition: str = ""
    alt_labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)
    group: str | None = None
    role: str = ""
    notes: str = ""

    def _repr_html_(self) -> str:
        from causal_web.notebook import html_view

        return html_view(self, f"Concept {self.id}")


@dataclass(slots=True)
class EvidenceBase:
    """A body of evidence that stands on its own, for counting independent support."""

    id: str
    label: str
    kind: str
    notes: str = ""


@dataclass(slots=True)
class Source:
    """A paper, report, summary, evidence set or included study."""

    id: str
    title: str = ""
    kind: str = "study"
    base: str = ""
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
    text: str = ""  # a text file inside the data folder (texts/<file>.txt), for quote checks
    abstract: str = ""


@dataclass(slots=True)
class Phase:
    """A theory version: one named graph."""

    id: str
    label: str
    order: int
    source: str
    type: str = "initial"
    previous: str | None = None
    previous_inferred: bool = False
    description: str = ""
    notes: str = ""


@dataclass(slots=True)
class Dataset:
    """Everything read from one data folder (one review)."""

    phases: dict[str, Phase] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    bases: dict[str, EvidenceBase] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    ioc_types: dict[str, Concept] = field(default_factory=dict)
    scheme: dict = field(default_factory=dict)
    cmocs: dict[str, CMOC] = field(default_factory=dict)
    links: dict[str, CausalLink] = field(default_factory=dict)
    mechanisms: dict[str, MechanismEntry] = field(default_factory=dict)
    nestings: dict[str, Nesting] = field(default_factory=dict)
    entry_points: dict[str, EntryPoint] = field(default_factory=dict)
    demi_regularities: dict[str, DemiRegularity] = field(default_factory=dict)
    theories: dict[str, MiddleRangeTheory] = field(default_factory=dict)
    coverage: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # source ID: its text (file, else abstract)
    # Lookups built once from the tables above (causal_web.model.lookup); not part of the data.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def base_of(self, item: EvidenceItem) -> str:
        """The independent evidence base an item belongs to (its own, its source's, or the source)."""
        if item.base:
            return item.base
        source = self.sources.get(item.source)
        return source.base if source is not None and source.base else item.source

    def bases_of(self, evidence: list[EvidenceItem]) -> set[str]:
        return {self.base_of(item) for item in evidence}

    def all_bases(self) -> dict[str, EvidenceBase]:
        """The declared evidence bases, then each source that names none: a base of its own."""
        found = dict(self.bases)
        for source in self.sources.values():
            if not source.base and source.id not in found:
                kind = "primary-study" if source.kind == "study" else "review"
                found[source.id] = EvidenceBase(source.id, f"{source.id} (its own evidence base)", kind)
        return found

    def record_tables(self) -> tuple[dict, ...]:
        """Every table of records (not the catalogue), in the order of the data format."""
        return (
            self.cmocs,
            self.links,
            self.mechanisms,
            self.nestings,
            self.entry_points,
            self.demi_regularities,
            self.theories,
        )

    def record(self, record_id: str) -> object | None:
        """Any record with this ID: CMOC, link, mechanism entry, nesting, entry point, ..."""
        for table in self.record_tables():
            if record_id in table:
                return table[record_id]
        return None

    def children(self) -> dict[str, list[str]]:
        """Concept ID to the IDs of the concepts directly narrower than it (built once; shared)."""
        from causal_web.model.lookup import children

        return children(self)

    def narrower(self, concept_id: str, children: dict[str, list[str]] | None = None) -> set[str]:
        """The concept and every concept below it."""
        if children is None:
            from causal_web.model.lookup import narrower

            return set(narrower(self, concept_id))
        found, todo = {concept_id}, [concept_id]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found
