"""The causal web: a networkx graph of concepts built from CMOCs and stated links.

Two graphs are built from the same dataset:

* ``graph``: a :class:`networkx.MultiDiGraph` whose edges run context→mechanism and
  mechanism→outcome for each CMOC (context→outcome when a CMOC names no mechanism), plus
  the stated links. Parallel edges are keyed by sign, so positive and negative evidence for
  the same pair of concepts stay apart. Each edge keeps its record IDs, sources and phases.
* ``hops``: the graph chains are traced on. Each CMOC contributes one hop from every entry
  concept (context or mechanism) to every outcome concept, carrying the mechanism it works
  through; a CMOC with no outcome contributes context→mechanism hops; each stated link is a hop.

Signs: a slot's polarity gives its sign (increase +, decrease −, unspecified ?). The sign of
an effect from A to B is sign(A)·sign(B), where an unspecified *cause* is read as the presence
of the factor (+) and an unspecified *effect* leaves the sign unknown (?). So "Shared vision →
Reduced conflict" is −, and "Conflict → Reduced trust" is −.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from causal_web.model.loading import gc_paused
from causal_web.model.records import CMOC, CausalLink, Dataset, Polarity, Sign, Slot

__all__ = ["CausalWeb", "EdgeEvidence", "HopEvidence", "build_web", "effect_sign"]


def effect_sign(cause: Slot, effect: Slot) -> Sign:
    """Sign of the effect of ``cause`` on ``effect`` (see the module docstring)."""
    cause_sign = Sign.POSITIVE if cause.sign is Sign.UNSPECIFIED else cause.sign
    return cause_sign * effect.sign


@dataclass(frozen=True, slots=True)
class EdgeEvidence:
    """One record behind an edge: which record, which slots and where it was published."""

    record: str
    kind: str  # "cmoc" or "link"
    phase: str
    sources: tuple[str, ...]
    cause_label: str
    effect_label: str
    citation: str
    sign: Sign


@dataclass(slots=True)
class HopEvidence:
    """Everything that supports one concept-to-concept step of a chain."""

    source: str
    target: str
    records: list[str] = field(default_factory=list)
    mechanisms: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    phases: set[str] = field(default_factory=set)
    signs: set[Sign] = field(default_factory=set)
    evidence: list[EdgeEvidence] = field(default_factory=list)

    @property
    def sign(self) -> Sign:
        """The agreed sign, or unspecified when records disagree or give none."""
        return next(iter(self.signs)) if len(self.signs) == 1 else Sign.UNSPECIFIED

    def restricted(self, phases: set[str] | None) -> HopEvidence | None:
        """This hop with only the evidence of ``phases`` (None: all), or None if nothing is left."""
        if phases is None or self.phases <= phases:
            return self
        kept = [e for e in self.evidence if e.phase in phases]
        if not kept:
            return None
        hop = HopEvidence(self.source, self.target)
        for item in kept:
            hop._add(item, ())
        hop.mechanisms = set(self.mechanisms)
        return hop

    def _add(self, item: EdgeEvidence, mechanisms: Iterable[str]) -> None:
        if item.record not in self.records:
            self.records.append(item.record)
        self.mechanisms.update(mechanisms)
        self.sources.update(item.sources)
        self.phases.add(item.phase)
        self.signs.add(item.sign)
        self.evidence.append(item)


_EFFECT_SIGN = {
    (cause.polarity, effect.polarity): effect_sign(cause, effect)
    for cause in (Slot("", "", p) for p in Polarity)
    for effect in (Slot("", "", p) for p in Polarity)
}


class CausalWeb:
    """The concept graph and the hop graph of one dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.graph = nx.MultiDiGraph()
        self.hops: dict[str, dict[str, HopEvidence]] = {}
        self.reverse: dict[str, set[str]] = {}
        self._children = dataset.children()
        for concept in dataset.concepts.values():
            self.graph.add_node(
                concept.id,
                label=concept.pref_label,
                group=concept.group or "",
                role=concept.role,
                definition=concept.definition,
            )
        # Build-time indexes: edge data by (u, v, key) and the records already on each edge
        # and hop, so a hub edge with thousands of records is not scanned on every addition.
        self._edge_index: dict[tuple[str, str, str], tuple[dict, set[str]]] = {}
        self._hop_records: dict[tuple[str, str], set[str]] = {}
        for cmoc in dataset.cmocs.values():
            self._add_cmoc(cmoc)
        for link in dataset.links.values():
            self._add_link(link)
        del self._edge_index, self._hop_records

    # -- building -------------------------------------------------------------------------

    def _edge(self, cause: Slot, effect: Slot, item: EdgeEvidence) -> None:
        u, v, key = cause.concept, effect.concept, item.sign.value
        if u == v:
            return
        entry = self._edge_index.get((u, v, key))
        if entry is None:
            self.graph.add_edge(
                u, v, key=key, sign=key, cmocs=[], links=[], sources=set(), phases=set(), evidence=[]
            )
            entry = self._edge_index[u, v, key] = (self.graph.edges[u, v, key], set())
        data, seen = entry
        if (item.kind, item.record) not in seen:
            seen.add((item.kind, item.record))
            (data["cmocs"] if item.kind == "cmoc" else data["links"]).append(item.record)
        data["sources"].update(item.sources)
        data["phases"].add(item.phase)
        data["evidence"].append(item)

    def _hop(self, cause: Slot, effect: Slot, item: EdgeEvidence, through: Iterable[str]) -> None:
        u, v = cause.concept, effect.concept
        if u == v:
            return
        row = self.hops.setdefault(u, {})
        hop = row.get(v)
        if hop is None:
            hop = row[v] = HopEvidence(u, v)
            self.reverse.setdefault(v, set()).add(u)
            seen = self._hop_records[u, v] = set()
        else:
            seen = self._hop_records[u, v]
        # HopEvidence._add, with the record check done on a set
        if item.record not in seen:
            seen.add(item.record)
            hop.records.append(item.record)
        if through:
            hop.mechanisms.update(m for m in through if m not in (u, v))
        hop.sources.update(item.sources)
        hop.phases.add(item.phase)
        hop.signs.add(item.sign)
        hop.evidence.append(item)

    def _add_cmoc(self, cmoc: CMOC) -> None:
        contexts, mechanisms, outcomes = cmoc.context, cmoc.mechanism, cmoc.outcome
        record, phase, sources, citation = cmoc.id, cmoc.phase, tuple(cmoc.sources), str(cmoc.citation)

        def evidence(cause: Slot, effect: Slot) -> EdgeEvidence:
            return EdgeEvidence(
                record,
                "cmoc",
                phase,
                sources,
                cause.label,
                effect.label,
                citation,
                _EFFECT_SIGN[cause.polarity, effect.polarity],
            )

        pairs = (
            [(c, m) for c in contexts for m in mechanisms] + [(m, o) for m in mechanisms for o in outcomes]
            if mechanisms
            else [(c, o) for c in contexts for o in outcomes]
        )
        for cause, effect in pairs:
            self._edge(cause, effect, evidence(cause, effect))
        through = [m.concept for m in mechanisms]
        if outcomes:
            for entry in contexts:
                for outcome in outcomes:
                    self._hop(entry, outcome, evidence(entry, outcome), through)
            for entry in mechanisms:
                for outcome in outcomes:
                    self._hop(entry, outcome, evidence(entry, outcome), ())
        else:
            for entry in contexts:
                for mechanism in mechanisms:
                    self._hop(entry, mechanism, evidence(entry, mechanism), ())

    def _add_link(self, link: CausalLink) -> None:
        item = EdgeEvidence(
            record=link.id,
            kind="link",
            phase=link.phase,
            sources=tuple(link.sources),
            cause_label=link.source.label,
            effect_label=link.target.label,
            citation=str(link.citation),
            sign=link.sign,
        )
        self._edge(link.source, link.target, item)
        self._hop(link.source, link.target, item, ())

    # -- reading ------------------------------------------------------------------------

    def narrower(self, concept_id: str) -> set[str]:
        """``concept_id`` and every concept below it in the vocabulary."""
        return self.dataset.narrower(concept_id, self._children)

    def aggregated(self) -> nx.DiGraph:
        """One edge per concept pair, counting evidence by CMOCs and by distinct sources."""
        view = nx.DiGraph()
        view.add_nodes_from(self.graph.nodes(data=True))
        for u, v, data in self.graph.edges(data=True):
            if view.has_edge(u, v):
                agg = view.edges[u, v]
            else:
                view.add_edge(u, v, cmocs=set(), links=set(), sources=set(), phases=set(), signs=set())
                agg = view.edges[u, v]
            agg["cmocs"].update(data["cmocs"])
            agg["links"].update(data["links"])
            agg["sources"].update(data["sources"])
            agg["phases"].update(data["phases"])
            agg["signs"].add(data["sign"])
        for _u, _v, agg in view.edges(data=True):
            agg["n_cmocs"] = len(agg["cmocs"])
            agg["n_sources"] = len(agg["sources"])
            signs = agg["signs"]
            agg["sign"] = next(iter(signs)) if len(signs) == 1 else Sign.UNSPECIFIED.value
        return view

    def concept_evidence(self, concept_id: str) -> dict[str, int]:
        """How many CMOCs and distinct sources mention a concept (for node sizes)."""
        cmocs: set[str] = set()
        sources: set[str] = set()
        for _u, _v, data in self.graph.in_edges(concept_id, data=True):
            cmocs.update(data["cmocs"])
            sources.update(data["sources"])
        for _u, _v, data in self.graph.out_edges(concept_id, data=True):
            cmocs.update(data["cmocs"])
            sources.update(data["sources"])
        return {"cmocs": len(cmocs), "sources": len(sources)}


def build_web(dataset: Dataset) -> CausalWeb:
    """The causal web of ``dataset``."""
    with gc_paused():
        return CausalWeb(dataset)
