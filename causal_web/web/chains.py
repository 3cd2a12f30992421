"""Chain tracing: paths of CMOCs from one concept to another, each hop with its evidence.

A chain is a sequence of hops in which each hop's outcome concept is the next hop's entry
(context or mechanism) concept. A reverse breadth-first pass first marks how far each concept
is from the target, up to half the hop cap, and the depth-first forward search never steps where
the target is out of reach (:mod:`causal_web.web.search`). The search is bounded by a hop cap, a
result cap and a budget: at most ``max_expansions`` node expansions (a path taken off the search
stack) and ``time_budget`` seconds of wall-clock time for the whole call: the two passes, working
out how each path found joins its hops (as it is found), ranking the paths and building the chains
returned. The search stops gathering once ``SEARCH_SHARE`` of the time is spent, and the chains
are built best first until all of it is, but always at least one when a path was found. A
result says whether a bound cut it short (``truncated``) and what the budget was and how much of
it was used (``budget``).

Chains are hypotheses assembled from configurations. Each hop after the first says how it joins
the hop before: through a nesting the authors state (``stated``), one the curator assembled
(``curator``), or only because the two share a concept (``tool``: a hypothesis). A hop is
*stitched* when it shares no independent evidence base with the hop before it. Records that are
not findings (background framing, aggregate summaries) are left out unless asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from causal_web.errors import QueryError, UnknownIdError
from causal_web.evidence.assess import assess_hop
from causal_web.model.records import ConceptGroup, Valence
from causal_web.web.graph import CausalWeb, HopEvidence, summary_valence
from causal_web.web.search import (
    Distances,
    SearchClock,
    cached_distances,
    distances_to,
    keep_distances,
    on_path,
    passes_via,
    path_of,
    reverse_of_findings,
)

__all__ = [
    "DEFAULT_MAX_EXPANSIONS",
    "DEFAULT_TIME_BUDGET",
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
# The default budget. On a 100k-CMOC synthetic web a typical question needs a few hundred to a
# few thousand expansions; 20,000 expansions take about 30-40 ms on this machine, and the time
# budget caps the rest, so the slowest questions stop at about the same point at any size.
DEFAULT_MAX_EXPANSIONS = 20_000
DEFAULT_TIME_BUDGET = 0.05  # seconds
# The share of the time budget the search (with the joins of the paths it finds) may spend. The
# rest is kept for building the chains: on a web where every search runs out of time (a 1M-CMOC
# synthetic web), a search that took the whole budget would leave time to build only one.
SEARCH_SHARE = 0.6
_NO_HOPS: dict = {}
# Memoised per-hop work (chain-hop views and assessments) kept per web, at most this many.
_CACHE_SIZE = 20_000
# What building a chain counts for the clock (SearchClock), whose unit is a hop looked at in the
# search (about 1.5 microseconds at 100k CMOCs): a record on a hop whose view or assessment has to
# be worked out takes about ten times that, one read from the memo a tenth.
_MADE_WORK = 16  # units a record, worked out
_KEPT_RECORDS = 8  # records a unit, memoised

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
    explored: int = 0  # node expansions used
    include_background: bool = False
    max_expansions: int = DEFAULT_MAX_EXPANSIONS
    time_budget: float | None = DEFAULT_TIME_BUDGET
    elapsed: float = 0.0  # seconds the call took: the search and building the chains
    reason: str | None = None  # the budget that ran out: "time" (search or chains) or "expansions"

    @property
    def budget(self) -> dict[str, Any]:
        """The search budget and what was used of it; ``reason`` names the part that ran out.

        The time the call took (``elapsed``) is left out: an answer that changed with the clock
        would defeat ETags and caches, and would differ between two stores holding the same data. It stays on
        the result (:attr:`elapsed`, seconds) for callers of the library and the benchmark."""
        return {
            "max_expansions": self.max_expansions,
            "time_budget_ms": None if self.time_budget is None else round(self.time_budget * 1000, 3),
            "expansions": self.explored,
            "reason": self.reason,
        }

    def to_dict(self) -> dict:
        return {
            "from": self.start,
            "to": self.end,
            "via": self.via,
            "include_background": self.include_background,
            "total": len(self.chains),
            "truncated": self.truncated,
            "budget": self.budget,
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
        key = ("group", group)
        cached = web.derived.get(key)
        if cached is None:
            found: set[str] = set()
            for member in [c.id for c in concepts.values() if c.group == group]:
                found |= web.narrower(member)
            cached = web.derived[key] = sorted(found)
        return list(cached)
    if key not in concepts:
        candidates = list(concepts) + (list(_GROUP_ALIASES) if allow_groups else [])
        raise UnknownIdError("concept", key, candidates)
    return sorted(web.narrower(key))


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
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> ChainResult:
    """Chains of CMOCs (and stated links) from ``start`` to ``end``.

    ``start``, ``end`` and ``via`` are concept IDs (a concept also stands for its narrower
    concepts); ``via`` may also be a group such as "core mechanisms". Only hops with at least
    ``min_sources`` distinct sources, from ``phases`` if given, are used; records that are not
    findings (background, aggregate) only with ``include_background``. Results are ordered by
    weakest-link evidence bases (strongest first), then fewer inferred or incomplete hops, then
    fewer tool-assembled joins, then length, then concept IDs. Every hop carries its evidence
    status, confidence (by the evidence ``scorer`` named, default "bases") and explanation.

    The search stops after ``max_expansions`` node expansions or when ``SEARCH_SHARE`` of
    ``time_budget`` seconds (None: no time limit) is spent, whichever comes first; the result is
    then ``truncated`` and its ``budget`` says which ran out. The chains found until then are
    ranked and built best first, in the time left of the whole budget: once it is spent no more
    chains are built, but the best one always is, and ``reason`` is then ``"time"`` even if the
    expansions ran out first.
    """
    if not 1 <= max_hops <= HARD_MAX_HOPS:
        raise QueryError(f"max_hops must be between 1 and {HARD_MAX_HOPS}, not {max_hops}", "max_hops")
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", "limit")
    if min_sources < 0:
        raise QueryError(f"min_sources cannot be negative, not {min_sources}", "min_sources")
    if max_expansions < 1:
        raise QueryError(f"max_expansions must be at least 1, not {max_expansions}", "max_expansions")
    if time_budget is not None and not time_budget >= 0:
        raise QueryError(f"time_budget cannot be negative, not {time_budget}", "time_budget")
    starts = set(resolve_concepts(web, start, allow_groups=False))
    ends = set(resolve_concepts(web, end, allow_groups=False))
    via_set = set(resolve_concepts(web, via)) if via else None
    phase_set = set(phases) if phases else None
    if phase_set:
        unknown = phase_set - set(web.dataset.phases)
        if unknown:
            raise UnknownIdError("phase", sorted(unknown)[0], web.dataset.phases)
    result = ChainResult(
        sorted(starts),
        sorted(ends),
        sorted(via_set) if via_set else None,
        include_background=include_background,
        max_expansions=max_expansions,
        time_budget=time_budget,
    )
    hops = web.hops
    keep = None
    if phase_set is None and min_sources <= 1:
        # The common questions: each hop is the web's own, or its findings-only copy (kept).
        if include_background:
            reverse: dict[str, Iterable[str]] = web.reverse

            def usable(hop: HopEvidence) -> HopEvidence | None:
                return hop if hop.n_sources >= min_sources else None
        else:
            reverse = reverse_of_findings(web, min_sources)  # once per web, outside the budget

            def usable(hop: HopEvidence) -> HopEvidence | None:
                kept = hop.restricted(None, False)
                return kept if kept is not None and kept.n_sources >= min_sources else None
    else:
        # A hop as the question may use it (its evidence filtered), worked out once per question.
        memo: dict[int, HopEvidence | None] = {}

        def usable(hop: HopEvidence) -> HopEvidence | None:
            key = id(hop)
            if key not in memo:
                kept = hop.restricted(phase_set, include_background)
                memo[key] = kept if kept is not None and kept.n_sources >= min_sources else None
            return memo[key]

        reverse = web.reverse

        def keep(u: str, v: str) -> bool:
            return usable(hops[u][v]) is not None

    started = time.perf_counter()
    # The search and the joins may spend SEARCH_SHARE of the budget; building the chains may
    # spend what is left of the whole of it.
    budget = float("inf") if time_budget is None else time_budget
    clock = SearchClock(started + budget * SEARCH_SHARE)
    # Distances are marked up to half the hop cap: the search meets them half way. A concept not
    # marked is further than that, so the search steps onto it only with more hops left.
    reach = max_hops // 2
    distances = cached_distances(web, ends, reach, None if keep else (include_background, min_sources))
    if distances is None:
        marked = distances_to(reverse, ends, reach, clock, keep)
        if marked is not None:
            distances = Distances(marked)
            if keep is None:
                keep_distances(web, ends, reach, (include_background, min_sources), distances)
    if distances is None:
        result.truncated, result.reason = True, "time"
        result.elapsed = time.perf_counter() - started
        return result
    # Each path found with its joins, worked out as it is found (see _joins), so their cost is
    # charged to the budget too.
    found: list[tuple[list[HopEvidence], list[str | None]]] = []
    # Gather a few more than asked for, so the best are chosen from a fair sample, not just the first found.
    gather_cap = max(limit * 4, limit + 20)
    expansions = 0
    for origin in sorted(starts):
        # A stack entry: (concept, hop taken to it, the entry before, hops so far).
        stack: list[tuple[str, HopEvidence | None, Any, int]] = [(origin, None, None, 0)]
        while stack:
            if len(found) >= gather_cap:
                result.truncated = True
                break
            if expansions >= max_expansions:
                result.truncated, result.reason = True, "expansions"
                break
            entry = stack[-1]
            node, _hop, _parent, depth = entry
            if depth and node in ends:
                if clock.spent(0):
                    result.truncated, result.reason = True, "time"
                    break
                stack.pop()
                expansions += 1
                path = path_of(entry)
                if via_set is None or passes_via(path, via_set):
                    path_joins, work = _joins(web, path)
                    found.append((path, path_joins))
                    if clock.spent(work):  # the joins are charged to the same budget
                        result.truncated, result.reason = True, "time"
                        break
                continue
            row = hops.get(node, _NO_HOPS)
            remaining = max_hops - depth - 1
            # Only marked concepts can end a chain within the hops left: where there are fewer
            # of them than hops out of this concept, look them up instead (same order).
            if remaining > reach:
                # every concept is near enough: unmarked ones are reach + 1 hops away or more
                steps: Iterable[str] = row
                work = len(row)
            else:
                # only concepts marked within the hops left: picked out of the row at C speed,
                # then taken in the row's order
                steps = sorted(distances.near(remaining).intersection(row), reverse=True)
                work = len(row) // 16 + len(steps)
            if clock.spent(work):
                result.truncated, result.reason = True, "time"
                break
            stack.pop()
            expansions += 1
            for target in steps:
                if on_path(entry, target):
                    continue
                hop = usable(row[target])
                if hop is not None:
                    stack.append((target, hop, entry, depth + 1))
        if result.truncated:
            break
    result.explored = expansions
    found.sort(key=lambda item: _rank_key(*item))
    result.chains = _assemble(web, found[:limit], scorer, SearchClock(started + budget))
    if len(result.chains) < min(len(found), limit):
        result.reason = "time"
    result.truncated = result.truncated or len(found) > len(result.chains)
    result.elapsed = time.perf_counter() - started
    return result


def _assemble(
    web: CausalWeb,
    ranked: list[tuple[list[HopEvidence], list[str | None]]],
    scorer: str | None,
    clock: SearchClock,
) -> list[Chain]:
    """The chains of ``ranked`` paths, best first, until the time budget is spent; the first is
    always built, so that a path found is never left unanswered. Each chain is charged to the
    clock by the work :func:`_chain` says it took."""
    chains: list[Chain] = []
    for path, path_joins in ranked:
        chain, work = _chain(web, path, path_joins, scorer)
        chains.append(chain)
        if clock.spent(work):
            break
    return chains


def _rank_key(path: list[HopEvidence], joins: list[str | None]) -> tuple:
    """:meth:`Chain.rank_key`, from the hops before they are turned into :class:`ChainHop`."""
    return (
        -min(hop.n_bases for hop in path),
        sum(hop.flagged for hop in path),
        joins.count("tool"),
        len(path),
        [path[0].source, *(hop.target for hop in path)],
    )


def _joins(web: CausalWeb, path: list[HopEvidence]) -> tuple[list[str | None], int]:
    """How each hop joins the one before (None for the first): the strongest recorded nesting
    from a record of the hop before to a record of this one, else ``tool``; and the work that
    took for the clock (a unit a hop, and one a record whose nestings were read)."""
    found: list[str | None] = [None]
    work = len(path)
    for previous, hop in pairwise(path):
        if not (previous.nest_out and hop.nest_in):
            found.append("tool")
            continue
        cached = previous.kept and hop.kept
        key = ("join", id(previous), id(hop))
        best = web.cache.get(key) if cached else None
        if best is None:
            best = _join(web, previous, hop)
            work += len(previous.nest_out)
            if cached:
                web.cache[key] = best
        found.append(best)
    return found, work


def _join(web: CausalWeb, previous: HopEvidence, hop: HopEvidence) -> str:
    best = "tool"
    for record in previous.nest_out:
        for target, provenance in web.nestings_from[record].items():
            if target in hop.nest_in:
                if provenance == "stated":
                    return "stated"
                best = provenance
    return best


def _memo(web: CausalWeb, hop: HopEvidence, key: tuple, make: Callable[[], Any]) -> tuple[Any, bool]:
    """``make()``, kept on the web for the hops that live as long as it; and whether it was made
    now (rather than found kept)."""
    if not hop.kept:
        return make(), True
    cache = web.cache
    full_key = (id(hop), *key)
    value = cache.get(full_key)
    if value is not None:
        return value, False
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    value = cache[full_key] = make()
    return value, True


def _hop_view(hop: HopEvidence) -> tuple:
    counts = hop.valence_counts
    return (
        tuple(hop.records),
        tuple(sorted(hop.sources)),
        frozenset(bases := hop.bases),
        tuple(sorted(bases)),
        tuple(hop._phases),
        counts,
        summary_valence(counts),
        tuple(hop.record_kinds),
    )


def _chain(
    web: CausalWeb, path: list[HopEvidence], joins: list[str | None], scorer: str | None
) -> tuple[Chain, int]:
    """The chain of ``path``, and the work that took for the clock, by the records on its hops
    (see :data:`_MADE_WORK`)."""
    hops = []
    work = 0
    previous_bases: frozenset[str] | None = None
    for hop, nesting in zip(path, joins, strict=True):
        view, view_made = _memo(web, hop, ("view",), lambda h=hop: _hop_view(h))
        records, sources, bases, sorted_bases, phases, counts, valence, kinds = view
        tool = nesting == "tool"
        assessment, assessed = _memo(
            web, hop, ("assess", tool, scorer), lambda h=hop, n=nesting: assess_hop(web.dataset, h, n, scorer)
        )
        work += len(hop) * _MADE_WORK if view_made or assessed else 1 + len(hop) // _KEPT_RECORDS
        hops.append(
            ChainHop(
                source=hop.source,
                target=hop.target,
                records=list(records),
                through=list(hop.through),
                sources=list(sources),
                bases=list(sorted_bases),
                phases=list(phases),
                valence_counts=dict(counts),
                valence=valence,
                record_kinds=list(kinds),
                inferred=hop.inferred,
                incomplete=hop.incomplete,
                nesting=nesting,
                stitched=previous_bases is not None and previous_bases.isdisjoint(bases),
                assessment=dict(assessment),
            )
        )
        previous_bases = bases
    return Chain(hops), work
