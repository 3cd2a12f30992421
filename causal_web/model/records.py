"""The in-memory model of a realist synthesis: phases, sources, concepts, CMOCs and links.

The model is plain data. Parsing lives in :mod:`causal_web.model.parse`, RDF in
:mod:`causal_web.rdf.mapping` and the causal web in :mod:`causal_web.web.graph`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CMOC",
    "POLARITIES",
    "RECORD_KINDS",
    "SLOT_NAMES",
    "STATUSES",
    "CausalLink",
    "Citation",
    "Concept",
    "ConceptGroup",
    "Dataset",
    "MechanismEntry",
    "Phase",
    "Polarity",
    "Sign",
    "Slot",
    "Source",
]


class Polarity(StrEnum):
    """Direction a published label gives its concept."""

    INCREASE = "increase"
    DECREASE = "decrease"
    UNSPECIFIED = "unspecified"


class Sign(StrEnum):
    """Sign of a causal edge or chain: does more of the cause give more of the effect?"""

    POSITIVE = "+"
    NEGATIVE = "-"
    UNSPECIFIED = "?"

    def __mul__(self, other: Sign) -> Sign:  # type: ignore[override]
        if Sign.UNSPECIFIED in (self, other):
            return Sign.UNSPECIFIED
        return Sign.POSITIVE if self is other else Sign.NEGATIVE


POLARITIES = tuple(p.value for p in Polarity)
STATUSES = ("affirmed", "refined", "refuted", "new")
RECORD_KINDS = ("cmoc", "mechanism-list", "background")
SLOT_NAMES = ("context", "mechanism", "outcome")


class ConceptGroup(StrEnum):
    """The groups of the IOC programme theory; other datasets may leave concepts ungrouped."""

    CORE_MECHANISM = "core-mechanism"
    SUPPORTING_MECHANISM = "supporting-mechanism"
    PERFORMANCE_DOMAIN = "performance-domain"
    LONG_TERM_OUTCOME = "long-term-outcome"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a record was read: the source, its table (or section) and the row."""

    source: str
    table: str
    row: str
    section: str = ""
    curated_file: str = ""

    def __str__(self) -> str:
        where = f"{self.table}, row {self.row}" if self.row else self.table
        return f"{self.source}: {where}"


@dataclass(frozen=True, slots=True)
class Slot:
    """One value of a context, mechanism or outcome cell.

    ``label`` is the text as published; ``concept`` and ``polarity`` are the curator's
    normalisation of it. A compound label naming two concepts gives two slots with the
    same label.
    """

    label: str
    concept: str
    polarity: Polarity = Polarity.UNSPECIFIED
    inferred: bool = False

    @property
    def sign(self) -> Sign:
        return _POLARITY_SIGN[self.polarity]


_POLARITY_SIGN = {
    Polarity.INCREASE: Sign.POSITIVE,
    Polarity.DECREASE: Sign.NEGATIVE,
    Polarity.UNSPECIFIED: Sign.UNSPECIFIED,
}


@dataclass(slots=True)
class CMOC:
    """A context-mechanism-outcome configuration, possibly partial."""

    id: str
    phase: str
    citation: Citation
    sources: list[str]
    context: list[Slot] = field(default_factory=list)
    mechanism: list[Slot] = field(default_factory=list)
    outcome: list[Slot] = field(default_factory=list)
    kind: str = "cmoc"
    status: str | None = None
    ioc_types: list[str] = field(default_factory=list)
    incomplete: bool = False
    notes: str = ""
    file: str = ""

    def slots(self, name: str) -> list[Slot]:
        return getattr(self, name)

    def concepts(self) -> set[str]:
        return {s.concept for name in SLOT_NAMES for s in self.slots(name)}

    def labels(self) -> list[str]:
        return [s.label for name in SLOT_NAMES for s in self.slots(name)]

    def _repr_html_(self) -> str:
        from causal_web.notebook import html_view

        return html_view(self, f"CMOC {self.id}")


@dataclass(slots=True)
class CausalLink:
    """A concept-to-concept link a source states outright (not derived from a CMOC)."""

    id: str
    phase: str
    citation: Citation
    sources: list[str]
    source: Slot
    target: Slot
    relation: str
    sign: Sign
    kind: str = "stated"
    inferred: bool = False
    notes: str = ""
    file: str = ""


@dataclass(slots=True)
class MechanismEntry:
    """A mechanism as a theory version defines it, with its earlier counterpart."""

    id: str
    phase: str
    citation: Citation
    sources: list[str]
    concept: str
    label: str
    initial_label: str = ""
    mechanism_type: str = ""
    most_frequent_outcome: str = ""
    status: str | None = None
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
    group: str | None = None
    role: str = ""

    def _repr_html_(self) -> str:
        from causal_web.notebook import html_view

        return html_view(self, f"Concept {self.id}")


@dataclass(slots=True)
class Source:
    """A paper, report, summary or included study."""

    id: str
    title: str = ""
    kind: str = "study"
    authors: str = ""
    year: str = ""
    venue: str = ""
    doi: str = ""
    collaboration_type: str = ""
    part_of: str = ""
    citation: Citation | None = None
    notes: str = ""


@dataclass(slots=True)
class Phase:
    """A theory version: one named graph."""

    id: str
    label: str
    order: int
    source: str
    previous: str | None = None
    description: str = ""


@dataclass(slots=True)
class Dataset:
    """Everything read from one data folder."""

    phases: dict[str, Phase] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    ioc_types: dict[str, Concept] = field(default_factory=dict)
    scheme: dict = field(default_factory=dict)
    cmocs: dict[str, CMOC] = field(default_factory=dict)
    links: dict[str, CausalLink] = field(default_factory=dict)
    mechanisms: dict[str, MechanismEntry] = field(default_factory=dict)
    coverage: list[dict] = field(default_factory=list)

    def children(self) -> dict[str, list[str]]:
        """Concept ID to the IDs of the concepts directly narrower than it."""
        children: dict[str, list[str]] = {}
        for concept in self.concepts.values():
            for parent in concept.broader:
                children.setdefault(parent, []).append(concept.id)
        return children

    def narrower(self, concept_id: str, children: dict[str, list[str]] | None = None) -> set[str]:
        """The concept and every concept below it."""
        children = self.children() if children is None else children
        found, todo = {concept_id}, [concept_id]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found
