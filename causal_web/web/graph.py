"""The causal web: a networkx graph of concepts built from coded CMOC parts and stated links.

Two graphs are built from the same dataset:

* ``graph``: a :class:`networkx.MultiDiGraph` with one edge per relation between coded parts
  (context enables or constrains a mechanism, a mechanism generates an outcome; see
  :mod:`causal_web.model.relations`), plus the stated links. Parallel edges are keyed by
  valence, so positive and negative evidence for the same pair of concepts stay apart. Every
  attribute is plain data (strings, numbers, lists and tuples), so the graph serialises as
  JSON and loads in pyvis, cytoscape or a notebook as it is.
* ``hops``: the graph chains are traced on. Each CMOC contributes one hop from every coded
  entry part (intervention, context or mechanism) to every coded outcome, carrying the
  mechanisms it works through; with no outcome, contexts lead to mechanisms. Each stated link
  is a hop, except ``constitutes`` links, which say what a construct is made of.

Uncoded parts draw no edge. Valence is never multiplied away: every hop and every aggregated
edge counts its records by stated valence (``+``, ``-``, ``unspecified``) and summarises them
as ``+`` or ``-`` when every stated valence agrees, ``mixed`` only when stated valences
disagree, and ``unspecified`` when none is stated. An unsigned record never hides signed ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from causal_web.evidence.assess import assess_edge
from causal_web.model.loading import gc_paused
from causal_web.model.records import CMOC, CausalLink, Dataset, Part, Valence
from causal_web.model.relations import derived_relations, entry_hops

__all__ = [
    "EXCLUDED_BY_DEFAULT",
    "CausalWeb",
    "EdgeEvidence",
    "HopEvidence",
    "build_web",
    "count_valences",
    "summary_valence",
]

# Record kinds that are not findings: left out of chains unless asked for.
EXCLUDED_BY_DEFAULT = frozenset({"background", "aggregate"})
# Link kinds that never become hops: they say what a construct is made of, not what causes what.
_NOT_CAUSAL = frozenset({"constitutes"})
VALENCE_KEYS = ("+", "-", "unspecified")


class EdgeEvidence(NamedTuple):
    """One record behind an edge or hop. A tuple, so that it serialises as JSON."""

    record: str
    kind: str  # "cmoc" or "link"
    record_kind: str  # the record's own kind: cmoc, background, stated, aggregate, ...
    phase: str
    sources: tuple[str, ...]
    bases: tuple[str, ...]
    cause_label: str
    effect_label: str
    citation: str
    valence: str  # "+", "-" or "unspecified"
    relation: str  # enables | constrains | generates, or the link's relation
    inferred: bool
    incomplete: bool


def count_valences(items: Iterable[EdgeEvidence]) -> dict[str, int]:
    """Records by stated valence; a record counts once per valence it gives."""
    counts = dict.fromkeys(VALENCE_KEYS, 0)
    seen: set[tuple[str, str]] = set()
    for item in items:
        key = (item.record, item.valence)
        if key not in seen:
            seen.add(key)
            counts[item.valence] += 1
    return counts


def summary_valence(counts: dict[str, int]) -> str:
    """``+``/``-`` when every stated valence agrees, ``mixed`` when they disagree, else unspecified."""
    positive, negative = counts.get("+", 0), counts.get("-", 0)
    if positive and negative:
        return Valence.MIXED.value
    if positive:
        return "+"
    if negative:
        return "-"
    return Valence.UNSPECIFIED.value


@dataclass(slots=True)
class HopEvidence:
    """Everything that supports one concept-to-concept step of a chain."""

    source: str
    target: str
    records: list[str] = field(default_factory=list)
    mechanisms: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    bases: set[str] = field(default_factory=set)
    phases: set[str] = field(default_factory=set)
    evidence: list[EdgeEvidence] = field(default_factory=list)
    # The hop without non-findings, worked out once: chains ask for it on every step.
    _findings: object = field(default=False, repr=False, compare=False)

    @property
    def valence_counts(self) -> dict[str, int]:
        return count_valences(self.evidence)

    @property
    def valence(self) -> str:
        return summary_valence(self.valence_counts)

    @property
    def record_kinds(self) -> list[str]:
        return sorted({e.record_kind for e in self.evidence})

    @property
    def inferred(self) -> bool:
        """True when every record behind the hop rests on a curator's inference."""
        return bool(self.evidence) and all(e.inferred for e in self.evidence)

    @property
    def incomplete(self) -> bool:
        return any(e.incomplete for e in self.evidence)

    def restricted(self, phases: set[str] | None, include_background: bool = True) -> HopEvidence | None:
        """This hop with only the evidence of ``phases`` (None: all), without non-findings
        unless ``include_background``; None if nothing is left."""
        keep_all_phases = phases is None or self.phases <= phases
        if keep_all_phases and include_background:
            return self
        if keep_all_phases:
            if self._findings is False:
                self._findings = self._without_background()
            return self._findings  # type: ignore[return-value]
        return self._keeping(
            [
                e
                for e in self.evidence
                if (phases is None or e.phase in phases) and (include_background or not _excluded(e))
            ]
        )

    def _without_background(self) -> HopEvidence | None:
        if not any(_excluded(e) for e in self.evidence):
            return self
        return self._keeping([e for e in self.evidence if not _excluded(e)])

    def _keeping(self, kept: list[EdgeEvidence]) -> HopEvidence | None:
        """A copy of this hop with only the evidence ``kept`` (None when that is nothing)."""
        if not kept:
            return None
        hop = HopEvidence(self.source, self.target)
        for item in kept:
            hop.add(item, ())
        hop.mechanisms = set(self.mechanisms)
        return hop

    def add(self, item: EdgeEvidence, mechanisms: Iterable[str]) -> None:
        if item.record not in self.records:
            self.records.append(item.record)
        self.mechanisms.update(m for m in mechanisms if m not in (self.source, self.target))
        self.sources.update(item.sources)
        self.bases.update(item.bases)
        self.phases.add(item.phase)
        self.evidence.append(item)


def _excluded(item: EdgeEvidence) -> bool:
    return item.record_kind in EXCLUDED_BY_DEFAULT


class CausalWeb:
    """The concept graph and the hop graph of one dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.graph = nx.MultiDiGraph()
        self.hops: dict[str, dict[str, HopEvidence]] = {}
        self.reverse: dict[str, set[str]] = {}
        self._children = dataset.children()
        self._finding_pairs: set[tuple[str, str]] | None = None
        for concept in dataset.concepts.values():
            self.graph.add_node(
                concept.id,
                label=concept.pref_label,
                group=concept.group or "",
                role=concept.role,
                definition=concept.definition,
            )
        # Build-time indexes: edge data by (u, v, key) and the records already on each edge.
        self._edge_index: dict[tuple[str, str, str], tuple[dict, set]] = {}
        self._hop_records: dict[tuple[str, str], set[str]] = {}
        self._base_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
        for cmoc in dataset.cmocs.values():
            self._add_cmoc(cmoc)
        for link in dataset.links.values():
            self._add_link(link)
        for _u, _v, data in self.graph.edges(data=True):
            data["sources"] = sorted(data["sources"])
            data["bases"] = sorted(data["bases"])
            data["phases"] = sorted(data["phases"])
        del self._edge_index, self._hop_records, self._base_cache

    # -- building -------------------------------------------------------------------------

    def _bases(self, evidence: list) -> tuple[str, ...]:
        key = tuple(f"{e.source}\0{e.base}" for e in evidence)
        found = self._base_cache.get(key)
        if found is None:
            found = self._base_cache[key] = tuple(sorted(self.dataset.bases_of(evidence)))
        return found

    def _edge(self, u: str, v: str, item: EdgeEvidence) -> None:
        key = item.valence
        if u == v:
            return
        entry = self._edge_index.get((u, v, key))
        if entry is None:
            self.graph.add_edge(
                u,
                v,
                key=key,
                valence=key,
                cmocs=[],
                links=[],
                sources=set(),
                bases=set(),
                phases=set(),
                relations=[],
                evidence=[],
            )
            entry = self._edge_index[u, v, key] = (self.graph.edges[u, v, key], set())
        data, seen = entry
        if (item.kind, item.record) not in seen:
            seen.add((item.kind, item.record))
            (data["cmocs"] if item.kind == "cmoc" else data["links"]).append(item.record)
        if item.relation not in data["relations"]:
            data["relations"].append(item.relation)
        data["sources"].update(item.sources)
        data["bases"].update(item.bases)
        data["phases"].add(item.phase)
        data["evidence"].append(item)

    def _hop(self, u: str, v: str, item: EdgeEvidence, through: Iterable[str]) -> None:
        if u == v:
            return
        row = self.hops.setdefault(u, {})
        hop = row.get(v)
        if hop is None:
            hop = row[v] = HopEvidence(u, v)
            self.reverse.setdefault(v, set()).add(u)
        hop.add(item, through)

    def _add_cmoc(self, cmoc: CMOC) -> None:
        sources = tuple(cmoc.sources)
        bases = self._bases(cmoc.evidence)
        citation = str(cmoc.citation)
        flagged = cmoc.split_inferred or cmoc.configuration_inferred

        def evidence(cause: Part, effect: Part, valence: Valence, relation: str) -> EdgeEvidence:
            return EdgeEvidence(
                cmoc.id,
                "cmoc",
                cmoc.kind,
                cmoc.phase,
                sources,
                bases,
                cause.label,
                effect.label,
                citation,
                valence.value if valence.signed else "unspecified",
                relation,
                flagged or cause.inferred or effect.inferred,
                cmoc.incomplete,
            )

        for relation in derived_relations(cmoc):
            cause, effect = cmoc.part(relation.source), cmoc.part(relation.target)
            assert cause is not None and effect is not None and cause.concept and effect.concept
            item = evidence(cause, effect, relation.valence, relation.relation)
            self._edge(cause.concept, effect.concept, item)
        for start, end, valence, through in entry_hops(cmoc):
            cause, effect = cmoc.part(start), cmoc.part(end)
            assert cause is not None and effect is not None and cause.concept and effect.concept
            relation = "generates" if end.slot == "outcome" else "enables"
            self._hop(cause.concept, effect.concept, evidence(cause, effect, valence, relation), through)

    def _add_link(self, link: CausalLink) -> None:
        if not (link.source.coded and link.target.coded):
            return
        assert link.source.concept and link.target.concept
        item = EdgeEvidence(
            link.id,
            "link",
            link.kind,
            link.phase,
            tuple(link.sources),
            self._bases(link.evidence),
            link.source.label,
            link.target.label,
            str(link.citation),
            link.valence.value if link.valence.signed else "unspecified",
            link.relation,
            link.inferred or link.source.inferred or link.target.inferred,
            False,
        )
        self._edge(link.source.concept, link.target.concept, item)
        if link.kind not in _NOT_CAUSAL:
            self._hop(link.source.concept, link.target.concept, item, ())

    # -- reading ------------------------------------------------------------------------

    def finding_pairs(self) -> set[tuple[str, str]]:
        """The hops that stand on at least one finding (not background or aggregate only)."""
        if self._finding_pairs is None:
            self._finding_pairs = {
                (u, v)
                for u, row in self.hops.items()
                for v, hop in row.items()
                if hop.restricted(None, False)
            }
        return self._finding_pairs

    def narrower(self, concept_id: str) -> set[str]:
        """``concept_id`` and every concept below it in the vocabulary."""
        return self.dataset.narrower(concept_id, self._children)

    def aggregated(self) -> nx.DiGraph:
        """One edge per concept pair, with its records, evidence bases and valence counts."""
        view = nx.DiGraph()
        view.add_nodes_from(self.graph.nodes(data=True))
        pooled: dict[tuple[str, str], list[EdgeEvidence]] = {}
        for u, v, data in self.graph.edges(data=True):
            if view.has_edge(u, v):
                agg = view.edges[u, v]
            else:
                view.add_edge(u, v, cmocs=set(), links=set(), sources=set(), bases=set(), phases=set())
                agg = view.edges[u, v]
            agg["cmocs"].update(data["cmocs"])
            agg["links"].update(data["links"])
            agg["sources"].update(data["sources"])
            agg["bases"].update(data["bases"])
            agg["phases"].update(data["phases"])
            pooled.setdefault((u, v), []).extend(data["evidence"])
        for u, v, agg in view.edges(data=True):
            for name in ("cmocs", "links", "sources", "bases", "phases"):
                agg[name] = sorted(agg[name])
            counts = count_valences(pooled[u, v])
            agg["valence_counts"] = counts
            agg["valence"] = summary_valence(counts)
            agg["n_cmocs"] = len(agg["cmocs"])
            agg["n_sources"] = len(agg["sources"])
            agg["evidence_bases"] = len(agg["bases"])
            agg.update(assess_edge(self.dataset, pooled[u, v]))  # status, confidence, explanation
        return view

    def concept_evidence(self, concept_id: str) -> dict[str, int]:
        """How many CMOCs, distinct sources and evidence bases mention a concept (for node sizes)."""
        cmocs: set[str] = set()
        sources: set[str] = set()
        bases: set[str] = set()
        for edges in (
            self.graph.in_edges(concept_id, data=True),
            self.graph.out_edges(concept_id, data=True),
        ):
            for _u, _v, data in edges:
                cmocs.update(data["cmocs"])
                sources.update(data["sources"])
                bases.update(data["bases"])
        return {"cmocs": len(cmocs), "sources": len(sources), "bases": len(bases)}


def build_web(dataset: Dataset) -> CausalWeb:
    """The causal web of ``dataset``."""
    with gc_paused():
        return CausalWeb(dataset)
