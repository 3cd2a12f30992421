"""pyvis networks of the causal web: the whole web, a concept's neighbourhood, traced chains.

Each builder takes library results (the :class:`~causal_web.web.graph.CausalWeb`, the dict of
:func:`~causal_web.web.queries.concept_neighbourhood`, a :class:`~causal_web.web.chains.ChainResult`)
and only styles and places them: what is connected to what, and by which evidence, always
comes from the library.

One drawn arrow is one concept pair of the web (its edges of every valence from one concept to
another), with their evidence pooled: its colour is the summary valence
(:func:`causal_web.web.graph.summary_valence`), so an unsigned record never turns six agreeing
negative ones grey, and disagreeing ones show as ``mixed``; its width is the number of
independent evidence bases. Every node and arrow carries a ``cw`` dict of plain data (label,
definition, record IDs, valence counts, bases, sources per phase), and the view a table of the
records (slots with their coded and uncoded parts, flags, evidence items); the browser code
builds tooltips and panels from them with ``textContent`` only.

The builders read the web's compact form (:meth:`CausalWeb.edges_among`,
:meth:`CausalWeb.concept_data` and the like) and never build its networkx view,
``CausalWeb.graph``: a neighbourhood of a few dozen concepts on a web of 200,000 costs what
those concepts' edges cost. Nodes and arrows come in an order fixed by the web (concepts table
and edge order), never by string hashing, so the same question always gives the same JSON.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from causal_web.evidence.assess import assess_edge
from causal_web.viz.large_layout import LABELLED_ZOOMED_OUT, LABELS_ALL_FROM_SCALE, label_ranks
from causal_web.viz.layout import LayoutSpacing, column_headings, layered_layout
from causal_web.viz.page_data import phase_list, record_dict, short_source
from causal_web.viz.styles import (
    CATEGORIES,
    DIM_COLOUR,
    HIGHLIGHT_COLOUR,
    STAGE_HEADINGS,
    arrow_style,
    category_style,
    edge_width,
    node_size,
)
from causal_web.viz.view import NetworkView, ViewFilter
from causal_web.viz.vis_network import LARGE_WEB, CausalNetwork, vis_options
from causal_web.viz.whole_web import (
    WEB_CEILING,
    capped,
    ceiling_notice,
    stage_column,
    strongest_arrows,
    web_layout,
    web_layout_method,
)
from causal_web.web.graph import count_valences, summary_valence

if TYPE_CHECKING:
    from causal_web.web.chains import ChainResult
    from causal_web.web.graph import CausalWeb, EdgeEvidence

__all__ = [
    "LARGE_WEB",
    "WEB_CEILING",
    "chains_network",
    "neighbourhood_network",
    "traced_chains_network",
    "web_layout",
    "web_layout_method",
    "web_network",
    "web_network_json",
]


def _checked(web: CausalWeb, filters: ViewFilter | None) -> ViewFilter:
    """The filter, once its phases and groups are known to exist (UnknownIdError otherwise)."""
    from causal_web.errors import UnknownIdError

    filters = filters or ViewFilter()
    for phase in sorted(filters.phases or ()):
        if phase not in web.dataset.phases:
            raise UnknownIdError("phase", phase, web.dataset.phases)
    for group in sorted(filters.groups or ()):
        if group not in CATEGORIES:
            raise UnknownIdError("group", group, CATEGORIES)
    return filters


def _pair_evidence(web: CausalWeb, numbers: Iterable[int]) -> list[EdgeEvidence]:
    """The evidence of a concept pair's edges (one per valence), given their numbers."""
    return [item for number in numbers for item in web.edge_evidence(number)]


def _edge_ends(pairs: dict[tuple[str, str], list[int]]) -> list[tuple[str, str]]:
    """Each pair once per edge (valence), as the networkx view's ``edges()`` lists them."""
    return [pair for pair, numbers in pairs.items() for _number in numbers]


def _filtered_evidence(evidence: list[EdgeEvidence], filters: ViewFilter) -> list[EdgeEvidence] | None:
    """The pair's evidence within the filter's phases, or None if the arrow is filtered out."""
    if filters.phases is not None:
        evidence = [e for e in evidence if e.phase in filters.phases]
    sources = {s for e in evidence for s in e.sources}
    if not evidence or len(sources) < filters.min_sources:
        return None
    return evidence


def _flags(**flags: Any) -> dict[str, Any]:
    """Only the flags that are set: a large web's page data has thousands of items."""
    return {key: value for key, value in flags.items() if value}


def _edge_id(u: str, v: str) -> str:
    return f"{u}->{v}"


class _Builder:
    """Adds the concepts and edges of one web to a network, styled, in a given state."""

    def __init__(self, web: CausalWeb, expected_nodes: int) -> None:
        self.web = web
        self.network = CausalNetwork()
        self.sources_used: set[str] = set()
        self.records: dict[str, dict[str, Any]] = {}
        self.large = expected_nodes >= LARGE_WEB

    def label(self, concept: str) -> str:
        return self.web.concept_data(concept).get("label", concept)

    def add_concept(
        self,
        concept: str,
        position: tuple[float, float] | None,
        *,
        dimmed: bool = False,
        highlighted: bool = False,
        focus: bool = False,
        chains: Iterable[int] = (),
    ) -> None:
        data = self.web.concept_data(concept)
        style = category_style(data.get("role"), data.get("group"))
        evidence = self.web.concept_evidence(concept)
        links = self.web.concept_links(concept)
        records = evidence["cmocs"] + len(links)
        label = data.get("label", concept)
        definition = data.get("definition", "")
        # Colour and shape come from the category's group in the options (see vis_options);
        # only nodes drawn differently in this view carry their own.
        options: dict[str, Any] = {"group": style.key, "size": node_size(records) * (1.25 if focus else 1.0)}
        if dimmed:
            options["color"] = {
                "background": DIM_COLOUR,
                "border": "#bdbdbd",
                "highlight": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
                "hover": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
            }
            options["font"] = {"color": "#9e9e9e"}
        if highlighted or focus:
            options["color"] = {
                "background": style.colour,
                "border": HIGHLIGHT_COLOUR,
                "highlight": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
                "hover": {"background": style.colour, "border": HIGHLIGHT_COLOUR},
            }
            options["borderWidth"] = 3
            # Larger labels: a chain's concepts must read when the whole web is in view.
            options["font"] = {"size": 19}
        options.update(
            {
                "cw": {
                    "label": label,
                    "definition": definition,
                    "role": data.get("role", ""),
                    "group": data.get("group", ""),
                    "category": style.key,
                    "category_label": style.label,
                    "records": records,
                    "cmocs": evidence["cmocs"],
                    "links": len(links),
                    "sources": evidence["sources"],
                    "bases": evidence["bases"],
                    **_flags(highlighted=highlighted, dimmed=dimmed, focus=focus, chains=sorted(chains)),
                },
            }
        )
        if position is not None:
            options["x"], options["y"] = position
        self.network.add_node(concept, label=label, **options)

    def add_edge(
        self,
        u: str,
        v: str,
        evidence: list[EdgeEvidence],
        *,
        dimmed: bool = False,
        highlighted: bool = False,
        chains: Iterable[int] = (),
        curve: float = 0.0,
    ) -> str:
        counts = count_valences(evidence)
        valence = summary_valence(counts)
        assessment = assess_edge(self.web.dataset, evidence)  # status, confidence, explanation
        style = arrow_style(valence, assessment["evidence_status"])
        sources = sorted({s for e in evidence for s in e.sources})
        bases = sorted({b for e in evidence for b in e.bases})
        self.sources_used.update(sources)
        by_phase: dict[str, list[str]] = {}
        for item in evidence:
            bucket = by_phase.setdefault(item.phase, [])
            bucket.extend(s for s in item.sources if s not in bucket)
        records = list(dict.fromkeys(e.record for e in evidence))
        edge_id = _edge_id(u, v)
        flags = _flags(
            inferred=all(e.inferred for e in evidence),
            incomplete=any(e.incomplete for e in evidence),
            highlighted=highlighted,
            dimmed=dimmed,
            chains=sorted(chains),
        )
        cw: dict[str, Any] = {
            "valence": valence,
            "valence_counts": counts,
            "evidence_status": assessment["evidence_status"],
            "confidence": assessment["confidence"],
            "cmocs": list(dict.fromkeys(e.record for e in evidence if e.kind == "cmoc")),
            "links": list(dict.fromkeys(e.record for e in evidence if e.kind == "link")),
            "bases": bases,
            "by_phase": by_phase,
            **flags,
        }
        if not self.large:
            # A large view leaves out what the page can derive (sources: the union of
            # by_phase) or show on demand (the explanation, the records' texts).
            cw.update(
                sources=sources,
                explanation=assessment["explanation"],
                record_kinds=sorted({e.record_kind for e in evidence}),
                relations=list(dict.fromkeys(e.relation for e in evidence)),
            )
            for record_id in records:
                self.add_record(record_id)
        options: dict[str, Any] = {
            "id": edge_id,
            "width": edge_width(len(bases)) + (1.5 if highlighted else 0.0),
            # A plain colour serves for hover and selection too; a dimmed edge lights up in its
            # valence's colour when hovered or selected.
            "color": (
                {"color": DIM_COLOUR, "highlight": style.colour, "hover": style.colour, "opacity": 0.55}
                if dimmed
                else style.colour
            ),
            "dashes": style.dashes,
            "cw": cw,
        }
        if curve and not self.large:
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": curve}
        if self.large:
            del options["id"]  # the page rebuilds it from the ends: 5 MB of 39 at 10,000 concepts
        self.network.add_edge(u, v, **options)
        return edge_id

    def add_record(self, record_id: str) -> None:
        if record_id not in self.records:
            record = record_dict(self.web.dataset, record_id)
            if record is not None:
                self.records[record_id] = record
                self.sources_used.update(record["sources"])

    def view(self, kind: str, title: str, **extra: Any) -> NetworkView:
        dataset = self.web.dataset
        self.network.options = vis_options(len(self.network.nodes))
        if len(self.network.nodes) >= LARGE_WEB:
            # Which labels the page draws first when zoomed out (see large_layout).
            ranks = label_ranks({n["id"]: n["cw"]["records"] for n in self.network.nodes})
            for node in self.network.nodes:
                node["cw"]["rank"] = ranks[node["id"]]
                del node["label"]  # the page draws cw.label itself
            extra.setdefault(
                "lod", {"zoomed_out": LABELLED_ZOOMED_OUT, "all_from_scale": LABELS_ALL_FROM_SCALE}
            )
        sources = {s: short_source(dataset, s) for s in sorted(self.sources_used)}
        return NetworkView(
            network=self.network,
            kind=kind,
            title=title,
            phases=phase_list(dataset),
            sources=sources,
            records=self.records,
            large=len(self.network.nodes) >= LARGE_WEB,
            **extra,
        )


def _curves(edges: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Bend for arrows that join the same two concepts both ways, so neither hides the other."""
    pairs: dict[frozenset[str], list[tuple[str, str]]] = {}
    for edge in edges:
        pairs.setdefault(frozenset(edge), []).append(edge)
    bends: dict[tuple[str, str], float] = {}
    for group in pairs.values():
        if len(group) > 1:
            for i, edge in enumerate(sorted(group)):
                bends[edge] = 0.15 + 0.15 * i
    return bends


# -- the three views -----------------------------------------------------------------------


def _kept_pairs(
    web: CausalWeb, pairs: dict[tuple[str, str], list[int]], nodes: set[str], filters: ViewFilter
) -> list[tuple[str, str, list[EdgeEvidence]]]:
    """The concept pairs among ``nodes`` that the filter keeps, with their evidence."""
    kept = []
    for (u, v), numbers in pairs.items():
        if u in nodes and v in nodes:
            evidence = _filtered_evidence(_pair_evidence(web, numbers), filters)
            if evidence is not None:
                kept.append((u, v, evidence))
    return kept


def web_network(web: CausalWeb, filters: ViewFilter | None = None) -> NetworkView:
    """The whole causal web, laid out from contexts (left) to long-term outcomes (right).

    With more than ``filters.max_concepts`` concepts to draw (:data:`WEB_CEILING` by default),
    only that many are: those with the most records behind them, with the arrows among them,
    laid out among themselves; with more than ``filters.max_arrows`` arrows among them, the
    arrows with the most records. The view's ``notice`` then says so (see :mod:`viz.whole_web`).
    """
    filters = _checked(web, filters)
    wanted = list(web.concept_ids())
    pairs = web.edges_among(wanted)
    if filters.groups is not None:
        wanted = [n for n in wanted if _category(web, n) in filters.groups]
    kept_edges = None
    if filters.narrows_edges or filters.groups is not None:
        # Only the concepts with an arrow the filter keeps.
        kept_edges = _kept_pairs(web, pairs, set(wanted), filters)
        ends = {n for e in kept_edges for n in e[:2]}
        wanted = [n for n in wanted if n in ends]
    total = len(wanted)
    shown = capped(web, wanted, filters.max_concepts)
    if kept_edges is None:
        kept_edges = _kept_pairs(web, pairs, set(shown), filters)
    elif len(shown) < total:
        chosen = set(shown)
        kept_edges = [e for e in kept_edges if e[0] in chosen and e[1] in chosen]
    all_arrows = len(kept_edges)
    kept_edges = strongest_arrows(kept_edges, filters.max_arrows)
    # The whole web keeps one layout whatever the filter; a capped one is laid out on its own.
    placed = shown if len(shown) < total else None
    positions, columns = web_layout(web, placed)
    builder = _Builder(web, len(shown))
    for node in shown:
        builder.add_concept(node, positions[node])
    bends = _curves([e[:2] for e in kept_edges])
    for u, v, evidence in kept_edges:
        builder.add_edge(u, v, evidence, curve=bends.get((u, v), 0.0))
    nodes, arrows = len(builder.network.nodes), len(builder.network.edges)
    counted = f"{nodes} of {total} concepts" if nodes < total else f"{nodes} concepts"
    linked = f"{arrows} of {all_arrows} causal links" if arrows < all_arrows else f"{arrows} causal links"
    notice = None
    if nodes < total or arrows < all_arrows:
        notice = ceiling_notice(nodes, total, arrows, all_arrows)
    return builder.view(
        "web",
        "The causal web",
        subtitle=f"{counted}, {linked}",
        columns=columns,
        query={
            **_filter_query(filters),
            "max_concepts": filters.max_concepts,
            "max_arrows": filters.max_arrows,
        },
        layout=web_layout_method(web, placed),
        notice=notice,
    )


_WEB_JSON: weakref.WeakKeyDictionary[CausalWeb, dict[ViewFilter, bytes]] = weakref.WeakKeyDictionary()
_WEB_JSON_KEEP = 8


def web_network_json(web: CausalWeb, filters: ViewFilter | None = None) -> bytes:
    """:func:`web_network` as JSON bytes, kept for the last few filters of each web: the whole
    web is what the explorer opens with, and a large one takes seconds to build."""
    filters = _checked(web, filters)
    cache = _WEB_JSON.setdefault(web, {})
    found = cache.pop(filters, None)
    if found is None:
        found = json.dumps(
            web_network(web, filters).to_dict(), ensure_ascii=False, separators=(",", ":")
        ).encode()
    cache[filters] = found  # most recently used last
    while len(cache) > _WEB_JSON_KEEP:
        del cache[next(iter(cache))]
    return found


def _category(web: CausalWeb, concept: str) -> str:
    data = web.concept_data(concept)
    return category_style(data.get("role"), data.get("group")).key


def _filter_query(filters: ViewFilter) -> dict[str, Any]:
    return {
        "phase": sorted(filters.phases) if filters.phases else [],
        "group": sorted(filters.groups) if filters.groups else [],
        "min_sources": filters.min_sources,
    }


def neighbourhood_network(web: CausalWeb, concept_id: str, filters: ViewFilter | None = None) -> NetworkView:
    """A concept with what acts on it (left) and what it acts on (right), from
    :func:`causal_web.web.queries.concept_neighbourhood`, and the edges among them."""
    from causal_web.web.queries import concept_neighbourhood

    filters = _checked(web, filters)
    hood = concept_neighbourhood(web, concept_id)
    causes = [n.concept for n in hood["upstream"]]
    effects = [n.concept for n in hood["downstream"]]
    upstream, downstream = set(causes), set(effects)
    # In the neighbourhood's order: the concept, its causes, its effects, then the concepts
    # that act on it and are acted on by it (beside it).
    layers = {concept_id: 1}
    layers.update((node, 0) for node in causes if node not in downstream)
    layers.update((node, 2) for node in effects if node not in upstream)
    layers.update((node, 1) for node in causes if node in downstream)
    nodes = list(layers)
    kept = []
    for (u, v), numbers in web.edges_among(nodes).items():
        evidence = _filtered_evidence(_pair_evidence(web, numbers), filters)
        if evidence is not None:
            kept.append((u, v, evidence))
    positions = layered_layout(
        nodes, [(u, v) for u, v, _e in kept], layers, spacing=LayoutSpacing(column_gap=420, aspect=1.3)
    )
    builder = _Builder(web, len(nodes))
    for node in nodes:
        if filters.groups is None or node == concept_id or _category(web, node) in filters.groups:
            builder.add_concept(node, positions[node], focus=node == concept_id)
    bends = _curves([e[:2] for e in kept])
    for u, v, evidence in kept:
        if u in builder.network.node_map and v in builder.network.node_map:
            dimmed = concept_id not in (u, v)
            builder.add_edge(u, v, evidence, dimmed=dimmed, curve=bends.get((u, v), 0.0))
    label = builder.label(concept_id)
    names = {0: f"What acts on {label}", 1: label, 2: f"What {label} acts on"}
    columns = column_headings(positions, layers, names)
    return builder.view(
        "neighbourhood",
        f"Neighbourhood of {label}",
        subtitle=f"{len(upstream)} causes, {len(downstream)} effects",
        columns=columns,
        focus=concept_id,
        highlight={"nodes": [concept_id], "edges": []},
        query={"concept": concept_id, **_filter_query(filters)},
    )


def _chain_edges(web: CausalWeb, result: ChainResult) -> dict[tuple[str, str], set[int]]:
    """The web's concept pairs that carry each chain's hops: u→v, or u→m→v through the hop's
    mechanisms, where the pair's edges hold one of the hop's records."""
    found: dict[tuple[str, str], set[int]] = {}
    for index, chain in enumerate(result.chains):
        for hop in chain.hops:
            records = set(hop.records)
            pairs = {(hop.source, hop.target)}
            for mechanism in hop.through:
                pairs |= {(hop.source, mechanism), (mechanism, hop.target)}
            for u, v in pairs:
                if any(records & web.edge_records(number) for number in web.edges_between(u, v)):
                    found.setdefault((u, v), set()).add(index)
    return found


def chains_network(web: CausalWeb, result: ChainResult, *, whole_web: bool = False) -> NetworkView:
    """The traced chains alone: the concepts they pass through and the arrows among them, the
    arrows that carry a hop highlighted and the others dimmed, laid out in stage columns; with
    no chain found, the start and end concepts only. The rest of the web is not sent.

    ``whole_web``: every concept and arrow of the web, the chains highlighted and the rest
    dimmed, in the web's own layout (``causal-web render`` and ``figure --whole-web``).
    """
    on_chain: dict[str, set[int]] = {}
    for index, chain in enumerate(result.chains):
        for concept in chain.passes_through:
            on_chain.setdefault(concept, set()).add(index)
    if whole_web:
        positions, columns = web_layout(web)
        # Dimmed concepts first, so the chains' concepts are drawn on top of them.
        nodes = sorted(web.concept_ids(), key=lambda n: n in on_chain)
        pairs = web.edges_among(web.concept_ids())
    else:
        nodes = [n for n in web.concept_ids() if n in on_chain]
        if not nodes:
            ends = set(result.start) | set(result.end)
            nodes = [n for n in web.concept_ids() if n in ends]
        pairs = web.edges_among(nodes)
        layers = {n: stage_column(web, n) for n in nodes}
        positions = layered_layout(nodes, _edge_ends(pairs), layers)
        columns = column_headings(positions, layers, STAGE_HEADINGS)
    chain_edges = _chain_edges(web, result)
    all_edges = list(pairs)
    builder = _Builder(web, len(nodes))
    for node in nodes:
        chains = on_chain.get(node, set())
        builder.add_concept(
            node, positions[node], highlighted=bool(chains), dimmed=whole_web and not chains, chains=chains
        )
    bends = _curves(all_edges)
    highlighted_edges = []
    # Dimmed edges first, so the highlighted ones are drawn on top of them.
    for u, v in sorted(all_edges, key=lambda e: e in chain_edges):
        chains = chain_edges.get((u, v), set())
        edge_id = builder.add_edge(
            u,
            v,
            _pair_evidence(web, pairs[u, v]),
            highlighted=bool(chains),
            dimmed=not chains,
            chains=chains,
            curve=bends.get((u, v), 0.0),
        )
        if chains:
            highlighted_edges.append(edge_id)
    for chain in result.chains:
        for record_id in chain.records:
            builder.add_record(record_id)
    start = ", ".join(builder.label(c) for c in result.start[:3]) + ("…" if len(result.start) > 3 else "")
    end = ", ".join(builder.label(c) for c in result.end[:3]) + ("…" if len(result.end) > 3 else "")
    count = len(result.chains)
    subtitle = f"{count} chain{'s' if count != 1 else ''}" + (
        " (more exist: capped)" if result.truncated else ""
    )
    return builder.view(
        "chains",
        f"Chains from {start} to {end}",
        subtitle=subtitle,
        columns=columns,
        highlight={"nodes": sorted(on_chain), "edges": highlighted_edges},
        chains=result.to_dict(),
        query={"from": result.start, "to": result.end, "via": result.via},
    )


def traced_chains_network(
    web: CausalWeb,
    start: str,
    end: str,
    via: str | None = None,
    *,
    max_hops: int = 4,
    min_sources: int = 1,
    phases: Iterable[str] | None = None,
    limit: int = 20,
    include_background: bool = False,
    whole_web: bool = False,
) -> NetworkView:
    """:func:`causal_web.web.chains.trace_chains` drawn by :func:`chains_network`."""
    from causal_web.web.chains import trace_chains

    result = trace_chains(
        web,
        start,
        end,
        via=via,
        max_hops=max_hops,
        min_sources=min_sources,
        phases=phases,
        limit=limit,
        include_background=include_background,
    )
    view = chains_network(web, result, whole_web=whole_web)
    view.query = {
        "from": start,
        "to": end,
        "via": via,
        "max_hops": max_hops,
        "min_sources": min_sources,
        "phase": sorted(phases) if phases else [],
        "include_background": include_background,
    }
    return view
