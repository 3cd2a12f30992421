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

The web is stored compactly (:mod:`causal_web.web.compact`): each record is one shared row and
each piece of evidence two integers naming it. ``graph`` is built from that on first use and
kept; chains, a concept's neighbourhood and the explorer's drawings read the compact form (see
the methods under "the networkx view's nodes and edges") and never build it.

Uncoded parts draw no edge. Valence is never multiplied away: every hop and every aggregated
edge counts its records by stated valence (``+``, ``-``, ``unspecified``) and summarises them
as ``+`` or ``-`` when every stated valence agrees, ``mixed`` only when stated valences
disagree, and ``unspecified`` when none is stated. An unsigned record never hides signed ones.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from typing import Any

import networkx as nx

from causal_web.evidence.assess import assess_edge
from causal_web.model.loading import gc_paused
from causal_web.model.records import CMOC, CausalLink, Dataset, Part, Valence
from causal_web.model.relations import derived_relations, entry_hops
from causal_web.web.compact import (
    BASES,
    EXCLUDED_BY_DEFAULT,
    KIND,
    RECORD,
    SOURCES,
    VALENCE_KEYS,
    EdgeEvidence,
    HopEvidence,
    RecordTable,
    count_packed,
    row_numbers,
)

__all__ = [
    "EXCLUDED_BY_DEFAULT",
    "CausalWeb",
    "EdgeEvidence",
    "HopEvidence",
    "build_web",
    "count_valences",
    "summary_valence",
]

# Link kinds that never become hops: they say what a construct is made of, not what causes what.
_NOT_CAUSAL = frozenset({"constitutes"})
_EDGE_LIST_FIELDS = ("cmocs", "links", "sources", "bases", "phases")


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


class CausalWeb:
    """The concept graph and the hop graph of one dataset, stored compactly.

    ``hops[u][v]`` is the :class:`HopEvidence` of one step (rows in descending target order,
    the order chains search them in) and ``reverse[v]`` the sorted concepts with a hop to
    ``v``. ``graph`` is the networkx view, built on first use.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.table = RecordTable()
        self.hops: dict[str, dict[str, HopEvidence]] = {}
        self.reverse: dict[str, tuple[str, ...]] = {}
        # Edges in the order they were first drawn: (cause, effect, valence key, packed items).
        self.edge_list: list[tuple[str, str, str, array]] = []
        self.out_edges: dict[str, list[int]] = {}
        self.in_edges: dict[str, list[int]] = {}
        # Recorded nestings between records: from record ID to {to record ID: provenance}.
        self.nestings_from: dict[str, dict[str, str]] = {}
        self._children = dataset.children()
        self._caches_reset()
        self._build()

    def _caches_reset(self) -> None:
        self._graph: nx.MultiDiGraph | None = None
        self._graph_lock = threading.Lock()
        self._finding_pairs: set[tuple[str, str]] | None = None
        self.cache: dict[Any, Any] = {}  # bounded memo of chain work (see causal_web.web.chains)
        self.derived: dict[Any, Any] = {}  # views worked out once per web (chains' reverse hops)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in ("_graph", "_graph_lock", "_finding_pairs", "cache", "derived"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._caches_reset()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        dataset = self.dataset
        rank = {"stated": 0, "curator": 1}
        for nesting in dataset.nestings.values():
            row = self.nestings_from.setdefault(nesting.source, {})
            known = row.get(nesting.target)
            if known is None or rank[nesting.provenance] < rank[known]:
                row[nesting.target] = nesting.provenance
        into = {target for row in self.nestings_from.values() for target in row}
        self._nesting_ids = (frozenset(self.nestings_from), frozenset(into))
        # Build-time indexes, dropped at the end.
        self._edge_at: dict[tuple[str, str, str], int] = {}
        self._edge_items: list[list[int]] = []
        self._hop_items: dict[str, dict[str, tuple[list[int], set[str]]]] = {}
        self._base_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
        for cmoc in dataset.cmocs.values():
            self._add_cmoc(cmoc)
        for link in dataset.links.values():
            self._add_link(link)
        self.edge_list = [
            (u, v, key, array("Q", items))
            for (u, v, key), items in zip(self._edge_at, self._edge_items, strict=True)
        ]
        for number, (u, v, _key, _items) in enumerate(self.edge_list):
            self.out_edges.setdefault(u, []).append(number)
            self.in_edges.setdefault(v, []).append(number)
        reverse: dict[str, set[str]] = {}
        for u in sorted(self._hop_items):
            row = self._hop_items[u]
            self.hops[u] = {
                v: HopEvidence(
                    u, v, self.table, array("Q", items), tuple(sorted(through)), self._nesting_ids, kept=True
                )
                for v, (items, through) in sorted(row.items(), reverse=True)
            }
            for v in row:
                reverse.setdefault(v, set()).add(u)
        self.reverse = {v: tuple(sorted(us)) for v, us in reverse.items()}
        self.table.done()
        del self._edge_at, self._edge_items, self._hop_items, self._base_cache, self._nesting_ids

    def _bases(self, evidence: list) -> tuple[str, ...]:
        key = tuple(f"{e.source}\0{e.base}" for e in evidence)
        found = self._base_cache.get(key)
        if found is None:
            found = self._base_cache[key] = tuple(sorted(self.dataset.bases_of(evidence)))
        return found

    def _edge(self, u: str, v: str, key: str, item: tuple[int, int]) -> None:
        if u == v:
            return
        number = self._edge_at.get((u, v, key))
        if number is None:
            number = self._edge_at[u, v, key] = len(self._edge_items)
            self._edge_items.append([])
        self._edge_items[number].extend(item)

    def _hop(self, u: str, v: str, item: tuple[int, int], through: Iterable[str]) -> None:
        if u == v:
            return
        row = self._hop_items.setdefault(u, {})
        entry = row.get(v)
        if entry is None:
            entry = row[v] = ([], set())
        entry[0].extend(item)
        entry[1].update(m for m in through if m not in (u, v))

    def _add_cmoc(self, cmoc: CMOC) -> None:
        row = self.table.add_row(
            (
                cmoc.id,
                "cmoc",
                cmoc.kind,
                cmoc.phase,
                tuple(cmoc.sources),
                self._bases(cmoc.evidence),
                str(cmoc.citation),
                cmoc.incomplete,
                cmoc.kind in EXCLUDED_BY_DEFAULT,
            )
        )
        flagged = cmoc.split_inferred or cmoc.configuration_inferred
        pack = self.table.pack

        def item(cause: Part, effect: Part, valence: Valence, relation: str) -> tuple[int, int]:
            value = valence.value if valence.signed else "unspecified"
            inferred = bool(flagged or cause.inferred or effect.inferred)
            return pack(row, cause.label, effect.label, value, relation, inferred)

        for relation in derived_relations(cmoc):
            cause, effect = cmoc.part(relation.source), cmoc.part(relation.target)
            assert cause is not None and effect is not None and cause.concept and effect.concept
            valence = relation.valence.value if relation.valence.signed else "unspecified"
            packed = item(cause, effect, relation.valence, relation.relation)
            self._edge(cause.concept, effect.concept, valence, packed)
        for start, end, valence, through in entry_hops(cmoc):
            cause, effect = cmoc.part(start), cmoc.part(end)
            assert cause is not None and effect is not None and cause.concept and effect.concept
            relation = "generates" if end.slot == "outcome" else "enables"
            self._hop(cause.concept, effect.concept, item(cause, effect, valence, relation), through)

    def _add_link(self, link: CausalLink) -> None:
        if not (link.source.coded and link.target.coded):
            return
        assert link.source.concept and link.target.concept
        row = self.table.add_row(
            (
                link.id,
                "link",
                link.kind,
                link.phase,
                tuple(link.sources),
                self._bases(link.evidence),
                str(link.citation),
                False,
                link.kind in EXCLUDED_BY_DEFAULT,
            )
        )
        valence = link.valence.value if link.valence.signed else "unspecified"
        inferred = bool(link.inferred or link.source.inferred or link.target.inferred)
        item = self.table.pack(row, link.source.label, link.target.label, valence, link.relation, inferred)
        self._edge(link.source.concept, link.target.concept, valence, item)
        if link.kind not in _NOT_CAUSAL:
            self._hop(link.source.concept, link.target.concept, item, ())

    # -- sizes ------------------------------------------------------------------------------

    def node_count(self) -> int:
        """The networkx view's number of nodes, without building it: every concept, and any
        concept an edge names that the concepts table lacks."""
        return len(self.concept_ids())

    def edge_count(self) -> int:
        """The networkx view's number of edges (one per cause, effect and valence), without
        building it."""
        return len(self.edge_list)

    # -- the networkx view ------------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph:
        """A :class:`networkx.MultiDiGraph` with one edge per relation between concepts, keyed by
        valence; each edge holds its records, sources, bases, phases, relations and
        :class:`EdgeEvidence` items. Built on first use and kept (not pickled)."""
        if self._graph is None:
            with self._graph_lock:
                if self._graph is None:
                    self._graph = self._networkx()
        return self._graph

    def _networkx(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        for concept in self.dataset.concepts.values():
            graph.add_node(
                concept.id,
                label=concept.pref_label,
                group=concept.group or "",
                role=concept.role,
                definition=concept.definition,
            )
        for number, (u, v, key, _items) in enumerate(self.edge_list):
            graph.add_edge(u, v, key=key, **self.edge_data(number))
        return graph

    def edge_data(self, number: int) -> dict:
        """The attributes of edge ``number`` of ``edge_list``, as the networkx view holds them."""
        _u, _v, key, packed = self.edge_list[number]
        table = self.table
        rows = table.rows
        cmocs: list[str] = []
        links: list[str] = []
        relations: list[str] = []
        seen: set[tuple[str, str]] = set()
        sources: set[str] = set()
        bases: set[str] = set()
        phases: set[str] = set()
        evidence = list(table.items(packed))
        for index, item in enumerate(evidence):
            row = rows[packed[2 * index] >> 16]
            if (row[KIND], row[RECORD]) not in seen:
                seen.add((row[KIND], row[RECORD]))
                (cmocs if item.kind == "cmoc" else links).append(item.record)
            if item.relation not in relations:
                relations.append(item.relation)
            sources.update(item.sources)
            bases.update(item.bases)
            phases.add(item.phase)
        return {
            "valence": key,
            "cmocs": cmocs,
            "links": links,
            "sources": sorted(sources),
            "bases": sorted(bases),
            "phases": sorted(phases),
            "relations": relations,
            "evidence": evidence,
        }

    # -- the networkx view's nodes and edges, read from the compact form ----------------------

    def concept_ids(self) -> tuple[str, ...]:
        """The networkx view's nodes in its order, without building it: the concepts table's
        concepts, then any concept an edge names that the table lacks, in edge order. Worked
        out once per web."""
        found = self.derived.get("concept_ids")
        if found is None:
            concepts = self.dataset.concepts
            extra = dict.fromkeys(
                end for cause, effect, _key, _items in self.edge_list for end in (cause, effect)
            )
            found = (*concepts, *(end for end in extra if end not in concepts))
            self.derived["concept_ids"] = found
        return found

    def concept_data(self, concept_id: str) -> dict[str, str]:
        """The attributes of a concept's node as the networkx view holds them (``label``,
        ``group``, ``role``, ``definition``); empty for a concept the concepts table lacks."""
        concept = self.dataset.concepts.get(concept_id)
        if concept is None:
            return {}
        return {
            "label": concept.pref_label,
            "group": concept.group or "",
            "role": concept.role,
            "definition": concept.definition,
        }

    def edges_between(self, cause: str, effect: str) -> list[int]:
        """The numbers of the edges ``cause`` -> ``effect`` (one per valence) in ``edge_list``
        order, the order of the networkx view's keys for the pair."""
        edge_list = self.edge_list
        return [n for n in self.out_edges.get(cause, ()) if edge_list[n][1] == effect]

    def edges_among(self, concepts: Iterable[str]) -> dict[tuple[str, str], list[int]]:
        """The edges between ``concepts``, by concept pair, each pair with its edge numbers in
        ``edge_list`` order. Pairs come by cause in :meth:`concept_ids` order, then by effect in
        the order the cause's first edge to it was drawn: the order of the networkx view's
        ``subgraph(concepts).edges()`` whenever networkx walks its own node order. Reads only
        the causes' edges out."""
        members = set(concepts)
        index = self.derived.get("concept_index")
        if index is None:
            index = self.derived["concept_index"] = {c: i for i, c in enumerate(self.dataset.concepts)}
        if not members.issubset(index):  # a concept only an edge names: rank by the full order
            index = {c: i for i, c in enumerate(self.concept_ids())}
        edge_list = self.edge_list
        found: dict[tuple[str, str], list[int]] = {}
        for cause in sorted(members.intersection(index), key=index.__getitem__):
            for number in self.out_edges.get(cause, ()):
                effect = edge_list[number][1]
                if effect in members:
                    found.setdefault((cause, effect), []).append(number)
        return found

    def edge_evidence(self, number: int) -> list[EdgeEvidence]:
        """The :class:`EdgeEvidence` items of edge ``number`` (``edge_data(number)["evidence"]``
        without the rest)."""
        return list(self.table.items(self.edge_list[number][3]))

    def edge_records(self, number: int) -> set[str]:
        """The IDs of the records (CMOCs and stated links) behind edge ``number``."""
        rows = self.table.rows
        packed = self.edge_list[number][3]
        return {rows[n][RECORD] for n in row_numbers(packed)}

    def concept_links(self, concept_id: str) -> set[str]:
        """The IDs of the stated links behind the edges into and out of a concept."""
        rows = self.table.rows
        links: set[str] = set()
        for upstream in (True, False):
            for *_ends, packed in self.edges_at(concept_id, upstream):
                for number in row_numbers(packed):
                    row = rows[number]
                    if row[KIND] == "link":
                        links.add(row[RECORD])
        return links

    # -- reading ------------------------------------------------------------------------

    def label(self, concept_id: str) -> str:
        concept = self.dataset.concepts.get(concept_id)
        return concept.pref_label if concept is not None else concept_id

    def edges_at(self, concept_id: str, upstream: bool) -> list[tuple[str, str, str, array]]:
        """The edges into (``upstream``) or out of a concept, compact."""
        numbers = (self.in_edges if upstream else self.out_edges).get(concept_id, [])
        return [self.edge_list[n] for n in numbers]

    def pair_counts(self, edges: Iterable[tuple[str, str, str, array]]) -> dict[str, int]:
        """Records by stated valence over ``edges`` (as :func:`count_valences`)."""
        counts = dict.fromkeys(VALENCE_KEYS, 0)
        seen: set[tuple[str, int]] = set()
        for *_ends, packed in edges:
            count_packed(self.table, packed, counts, seen)
        return counts

    def finding_pairs(self) -> set[tuple[str, str]]:
        """The hops that stand on at least one finding (not background or aggregate only)."""
        if self._finding_pairs is None:
            self._finding_pairs = {
                (u, v) for u, row in self.hops.items() for v, hop in row.items() if hop.has_finding()
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
            for name in _EDGE_LIST_FIELDS:
                agg[name].update(data[name])
            pooled.setdefault((u, v), []).extend(data["evidence"])
        for u, v, agg in view.edges(data=True):
            for name in _EDGE_LIST_FIELDS:
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
        rows = self.table.rows
        cmocs: set[str] = set()
        sources: set[str] = set()
        bases: set[str] = set()
        for upstream in (True, False):
            for *_ends, packed in self.edges_at(concept_id, upstream):
                for number in row_numbers(packed):
                    row = rows[number]
                    if row[KIND] == "cmoc":
                        cmocs.add(row[RECORD])
                    sources.update(row[SOURCES])
                    bases.update(row[BASES])
        return {"cmocs": len(cmocs), "sources": len(sources), "bases": len(bases)}

    def concept_records(self) -> dict[str, int]:
        """For each concept with an arrow, how many records (CMOCs and stated links) its arrows
        stand on, each counted once; a concept without arrows is left out. Worked out once per
        web from the compact edges, without building the networkx view."""
        found = self.derived.get("concept_records")
        if found is None:
            at: dict[str, set[int]] = {}
            for u, v, _key, packed in self.edge_list:
                numbers = row_numbers(packed)
                at.setdefault(u, set()).update(numbers)
                at.setdefault(v, set()).update(numbers)
            rows = self.table.rows
            found = {
                concept: len({(rows[n][KIND], rows[n][RECORD]) for n in numbers})
                for concept, numbers in at.items()
            }
            self.derived["concept_records"] = found
        return found


def build_web(dataset: Dataset) -> CausalWeb:
    """The causal web of ``dataset``."""
    with gc_paused():
        return CausalWeb(dataset)
