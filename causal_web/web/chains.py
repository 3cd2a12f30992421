"""Chain tracing: paths of CMOCs from one concept to another, each hop with its evidence.

A chain is a sequence of hops in which each hop's outcome concept is the next hop's entry
(context or mechanism) concept. The search is bounded three ways: a hop cap, a result cap
and a cap on the paths explored, so a question asked of a large web cannot run away. A
reverse breadth-first pass first marks how far each concept is from the target, and the
forward search never steps where the target is out of reach.

Chains are hypotheses assembled from configurations. Each hop after the first says how it joins
the hop before: through a nesting the authors state (``stated``), one the curator assembled
(``curator``), or only because the two share a concept (``tool``: a hypothesis). A hop is
*stitched* when it shares no independent evidence base with the hop before it. Records that are
not findings (background framing, aggregate summaries) are left out unless asked for.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from causal_web.errors import QueryError, UnknownIdError
from causal_web.evidence.assess import assess_hop
from causal_web.model.records import ConceptGroup, Valence
from causal_web.web.graph import CausalWeb, HopEvidence, summary_valence

__all__ = [
    "HARD_MAX_HOPS",
    "Chain",
    "ChainHop",
    "ChainResult",
    "resolve_concepts",
    "trace_chains",
]

HARD_MAX_HOPS = 8
DEFAULT_MAX_HOPS = 4
DEFAULT_LIMIT = 50
DEFAULT_MAX_EXPANSIONS = 200_000

_GROUP_ALIASES = {
    "core mechanisms": ConceptGroup.CORE_MECHANISM.value,
    "core-mechanisms": ConceptGroup.CORE_MECHANISM.value,
    "supporting mechanisms": ConceptGroup.SUPPORTING_MECHANISM.value,
    "supporting-mechanisms": ConceptGroup.SUPPORTING_MECHANISM.value,
    "performance domains": ConceptGroup.PERFORMANCE_DOMAIN.value,
    "performance-domains": ConceptGroup.PERFORMANCE_DOMAIN.value,
    "long-term outcomes": ConceptGroup.LONG_TERM_OUTCOME.value,
    "long-term-outcomes": ConceptGroup.LONG_TERM_OUTCOME.value,
}


@dataclass(slots=True)
class ChainHop:
    """One step of a chain with the records, evidence bases and valence behind it."""

    source: str
    target: str
    records: list[str]
    through: list[str]
    sources: list[str]
    bases: list[str]
    phases: list[str]
    valence_counts: dict[str, int]
    valence: str
    record_kinds: list[str]
    inferred: bool
    incomplete: bool
    nesting: str | None  # how this hop joins the one before: stated | curator | tool (None: first hop)
    stitched: bool
    # evidence_bases, judgements, evidence types, evidence_status, confidence, explanation
    assessment: dict = field(default_factory=dict)

    @property
    def hypothesis(self) -> bool:
        """True when the join with the previous hop rests on nothing but a shared concept."""
        return self.nesting == "tool"

    def to_dict(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "records": self.records,
            "through": self.through,
            "sources": self.sources,
            "bases": self.bases,
            "phases": self.phases,
            "valence_counts": dict(self.valence_counts),
            "valence": self.valence,
            "record_kinds": self.record_kinds,
            "inferred": self.inferred,
            "incomplete": self.incomplete,
            "nesting": self.nesting,
            "hypothesis": self.hypothesis,
            "stitched": self.stitched,
            **self.assessment,
        }


@dataclass(slots=True)
class Chain:
    """A path of hops from a start concept to an end concept."""

    hops: list[ChainHop]

    @property
    def concepts(self) -> list[str]:
        return [self.hops[0].source, *(h.target for h in self.hops)] if self.hops else []

    @property
    def passes_through(self) -> list[str]:
        """Every concept on the path, including each hop's mechanisms, in order."""
        seen: list[str] = []
        for hop in self.hops:
            for concept in (hop.source, *hop.through, hop.target):
                if concept not in seen:
                    seen.append(concept)
        return seen

    @property
    def valence(self) -> str:
        """The direction along the chain: signed only when every hop's stated valence agrees.

        A hop whose records disagree makes the chain ``mixed``; a hop with no stated valence
        makes it ``unspecified``. Signs are composed only when every hop has one.
        """
        hop_valences = [h.valence for h in self.hops]
        if Valence.MIXED.value in hop_valences:
            return Valence.MIXED.value
        composed = Valence.POSITIVE
        for value in hop_valences:
            composed = composed.compose(Valence(value))
        return composed.value

    @property
    def weakest_bases(self) -> int:
        """Weakest-link evidence: the fewest independent evidence bases on any hop."""
        return min((len(h.bases) for h in self.hops), default=0)

    @property
    def weakest_sources(self) -> int:
        """The fewest distinct sources on any hop."""
        return min((len(h.sources) for h in self.hops), default=0)

    @property
    def hypothesis(self) -> bool:
        return any(h.hypothesis for h in self.hops)

    @property
    def records(self) -> list[str]:
        return [r for hop in self.hops for r in hop.records]

    def rank_key(self) -> tuple:
        """Strongest first: more bases on the weakest hop, fewer flagged hops, shorter, by IDs."""
        flagged = sum(h.inferred or h.incomplete for h in self.hops)
        joins = sum(h.nesting == "tool" for h in self.hops)
        return (-self.weakest_bases, flagged, joins, len(self.hops), self.concepts)

    def to_dict(self) -> dict:
        return {
            "concepts": self.concepts,
            "passes_through": self.passes_through,
            "length": len(self.hops),
            "valence": self.valence,
            "weakest_bases": self.weakest_bases,
            "weakest_sources": self.weakest_sources,
            "stitched_hops": sum(h.stitched for h in self.hops),
            "hypothesis": self.hypothesis,
            "hops": [h.to_dict() for h in self.hops],
        }


@dataclass(slots=True)
class ChainResult:
    """Chains found, best first, and whether a cap cut the search short."""

    start: list[str]
    end: list[str]
    via: list[str] | None
    chains: list[Chain] = field(default_factory=list)
    truncated: bool = False
    explored: int = 0
    include_background: bool = False

    def to_dict(self) -> dict:
        return {
            "from": self.start,
            "to": self.end,
            "via": self.via,
            "include_background": self.include_background,
            "total": len(self.chains),
            "truncated": self.truncated,
            "chains": [c.to_dict() for c in self.chains],
        }

    def _repr_html_(self) -> str:
        from causal_web.notebook import html_view

        return html_view(self.to_dict(), f"Chains from {', '.join(self.start)} to {', '.join(self.end)}")


def resolve_concepts(web: CausalWeb, name: str, allow_groups: bool = True) -> list[str]:
    """A concept ID, or a group name, as the list of concept IDs it stands for (with narrower ones)."""
    concepts = web.dataset.concepts
    key = name.strip()
    group = _GROUP_ALIASES.get(key.lower(), key if key in {g.value for g in ConceptGroup} else None)
    if allow_groups and group is not None:
        members = [c.id for c in concepts.values() if c.group == group]
        found: set[str] = set()
        for member in members:
            found |= web.narrower(member)
        return sorted(found)
    if key not in concepts:
        candidates = list(concepts) + (list(_GROUP_ALIASES) if allow_groups else [])
        raise UnknownIdError("concept", key, candidates)
    return sorted(web.narrower(key))


def _distances_to(
    web: CausalWeb, targets: set[str], max_hops: int, allowed: set[tuple[str, str]] | None
) -> dict[str, int]:
    distance = {t: 0 for t in targets}
    queue = deque(targets)
    while queue:
        node = queue.popleft()
        if distance[node] >= max_hops:
            continue
        for prev in web.reverse.get(node, ()):
            if prev in distance or (allowed is not None and (prev, node) not in allowed):
                continue
            distance[prev] = distance[node] + 1
            queue.append(prev)
    return distance


def trace_chains(
    web: CausalWeb,
    start: str,
    end: str,
    via: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    phases: Iterable[str] | None = None,
    min_sources: int = 1,
    limit: int = DEFAULT_LIMIT,
    max_expansions: int = DEFAULT_MAX_EXPANSIONS,
    include_background: bool = False,
    scorer: str | None = None,
) -> ChainResult:
    """Chains of CMOCs (and stated links) from ``start`` to ``end``.

    ``start``, ``end`` and ``via`` are concept IDs (a concept also stands for its narrower
    concepts); ``via`` may also be a group such as "core mechanisms". Only hops with at least
    ``min_sources`` distinct sources, from ``phases`` if given, are used; records that are not
    findings (background, aggregate) only with ``include_background``. Results are ordered by
    weakest-link evidence bases (strongest first), then fewer inferred or incomplete hops, then
    fewer tool-assembled joins, then length, then concept IDs. Every hop carries its evidence
    status, confidence (by the evidence ``scorer`` named, default "bases") and explanation.
    """
    if not 1 <= max_hops <= HARD_MAX_HOPS:
        raise QueryError(f"max_hops must be between 1 and {HARD_MAX_HOPS}, not {max_hops}", "max_hops")
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", "limit")
    if min_sources < 0:
        raise QueryError(f"min_sources cannot be negative, not {min_sources}", "min_sources")
    starts = set(resolve_concepts(web, start, allow_groups=False))
    ends = set(resolve_concepts(web, end, allow_groups=False))
    via_set = set(resolve_concepts(web, via)) if via else None
    phase_set = set(phases) if phases else None
    if phase_set:
        unknown = phase_set - set(web.dataset.phases)
        if unknown:
            raise UnknownIdError("phase", sorted(unknown)[0], web.dataset.phases)

    def usable(hop: HopEvidence) -> HopEvidence | None:
        hop = hop.restricted(phase_set, include_background)
        if hop is None or len(hop.sources) < min_sources:
            return None
        return hop

    allowed = None
    if phase_set or min_sources > 1:
        allowed = {(u, v) for u, row in web.hops.items() for v, hop in row.items() if usable(hop) is not None}
    elif not include_background:
        allowed = web.finding_pairs()
    distance = _distances_to(web, ends, max_hops, allowed)
    result = ChainResult(
        sorted(starts),
        sorted(ends),
        sorted(via_set) if via_set else None,
        include_background=include_background,
    )
    found: list[list[HopEvidence]] = []
    # Gather a few more than asked for, so the best are chosen from a fair sample, not just the first found.
    gather_cap = max(limit * 4, limit + 20)

    def passes_via(path: list[HopEvidence]) -> bool:
        if via_set is None:
            return True
        return any(hop.source in via_set or hop.target in via_set or hop.mechanisms & via_set for hop in path)

    for origin in sorted(starts):
        if origin not in distance:
            continue
        stack: list[tuple[str, list[HopEvidence], set[str]]] = [(origin, [], {origin})]
        while stack:
            node, path, visited = stack.pop()
            result.explored += 1
            if result.explored > max_expansions or len(found) >= gather_cap:
                result.truncated = True
                stack.clear()
                break
            if path and node in ends:
                if passes_via(path):
                    found.append(path)
                continue
            remaining = max_hops - len(path)
            for target, hop in sorted(web.hops.get(node, {}).items(), reverse=True):
                if target in visited or distance.get(target, max_hops + 1) > remaining - 1:
                    continue
                hop = usable(hop)
                if hop is None:
                    continue
                stack.append((target, [*path, hop], visited | {target}))
        if result.truncated:
            break

    nestings = _nesting_index(web)
    ranked = sorted(((_chain(path, nestings), path) for path in found), key=lambda pair: pair[0].rank_key())
    chains = [chain for chain, _path in ranked]
    result.chains = chains[:limit]
    for chain, path in ranked[:limit]:
        for hop, evidence in zip(chain.hops, path, strict=True):
            hop.assessment = assess_hop(web.dataset, evidence, hop.nesting, scorer)
    result.truncated = result.truncated or len(chains) > limit
    return result


def _nesting_index(web: CausalWeb) -> dict[tuple[str, str], str]:
    """(from CMOC, to CMOC) to the strongest provenance of a recorded nesting between them."""
    rank = {"stated": 0, "curator": 1}
    index: dict[tuple[str, str], str] = {}
    for nesting in web.dataset.nestings.values():
        key = (nesting.source, nesting.target)
        if key not in index or rank[nesting.provenance] < rank[index[key]]:
            index[key] = nesting.provenance
    return index


def _join(previous: HopEvidence, hop: HopEvidence, nestings: dict[tuple[str, str], str]) -> str:
    found = {nestings.get((a, b)) for a in previous.records for b in hop.records} - {None}
    if "stated" in found:
        return "stated"
    if "curator" in found:
        return "curator"
    return "tool"


def _chain(path: list[HopEvidence], nestings: dict[tuple[str, str], str]) -> Chain:
    hops = []
    previous: HopEvidence | None = None
    for hop in path:
        hops.append(
            ChainHop(
                source=hop.source,
                target=hop.target,
                records=list(hop.records),
                through=sorted(hop.mechanisms),
                sources=sorted(hop.sources),
                bases=sorted(hop.bases),
                phases=sorted(hop.phases),
                valence_counts=(counts := hop.valence_counts),
                valence=summary_valence(counts),  # counted once, not again through hop.valence
                record_kinds=hop.record_kinds,
                inferred=hop.inferred,
                incomplete=hop.incomplete,
                nesting=None if previous is None else _join(previous, hop, nestings),
                stitched=previous is not None and not (hop.bases & previous.bases),
            )
        )
        previous = hop
    return Chain(hops)
