"""Chain tracing latency: a fixed mix of realistic questions, each asked several times."""

from __future__ import annotations

import time
from typing import Any

from bench.common import percentile

__all__ = ["chain_quality", "chain_queries", "time_chains"]


def chain_queries(web: Any, count: int = 24) -> list[dict[str, Any]]:
    """Questions a researcher asks: from a well-evidenced context to a performance domain or a
    long-term outcome, to a core mechanism, or through the core mechanisms. Chosen from the web
    itself (most-used contexts first), so the same code serves the bundled and synthetic webs."""
    concepts = web.dataset.concepts
    out_degree = {u: len(row) for u, row in web.hops.items()}
    in_degree = {v: len(rows) for v, rows in web.reverse.items()}
    contexts = sorted(
        (c for c in concepts.values() if c.role == "context" and c.id in out_degree),
        key=lambda c: (-out_degree[c.id], c.id),
    )
    if not contexts:
        contexts = sorted(
            (concepts[u] for u in out_degree if u in concepts), key=lambda c: (-out_degree[c.id], c.id)
        )
    grouped = [
        c.id
        for c in concepts.values()
        if c.group in ("performance-domain", "long-term-outcome") and c.id in in_degree
    ]
    outcomes = sorted(
        (c.id for c in concepts.values() if c.role == "outcome" and c.id in in_degree),
        key=lambda cid: (-in_degree[cid], cid),
    )
    ends = list(dict.fromkeys(grouped + outcomes))[:8] or sorted(in_degree)[:8]
    core = [c.id for c in concepts.values() if c.group == "core-mechanism" and c.id in in_degree]
    queries: list[dict[str, Any]] = []
    kinds = ("plain", "via-core", "to-core")
    for index in range(count):
        start = contexts[index % len(contexts)].id
        kind = kinds[index % len(kinds)]
        if kind == "to-core" and core:
            queries.append({"start": start, "end": core[index % len(core)], "via": None})
        elif kind == "via-core" and core:
            queries.append({"start": start, "end": ends[index % len(ends)], "via": "core mechanisms"})
        else:
            queries.append({"start": start, "end": ends[index % len(ends)], "via": None})
    return queries


def chain_quality(results: list[Any]) -> dict[str, Any]:
    """What the chains found say, in the terms of the realist model: the share whose valence is
    signed (every hop's stated valence agrees), the weakest-link count of independent evidence
    bases, and the share of joins between hops that a recorded nesting (stated or curator)
    supports rather than a shared concept alone (a tool-made hypothesis)."""
    chains = [chain for result in results for chain in result.chains]
    joins = [hop.nesting for chain in chains for hop in chain.hops[1:]]
    return {
        "chains_found": len(chains),
        "signed_share": sum(c.valence in ("+", "-") for c in chains) / len(chains) if chains else 0.0,
        "mean_weakest_bases": sum(c.weakest_bases for c in chains) / len(chains) if chains else 0.0,
        "nested_join_share": sum(j in ("stated", "curator") for j in joins) / len(joins) if joins else 0.0,
    }


def time_chains(web: Any, repeats: int = 5, count: int = 24) -> dict[str, Any]:
    """p50 and p95 of ``trace_chains`` (API defaults: 4 hops, 20 chains) over the query mix, and
    the quality of what the warm-up pass found (:func:`chain_quality`), outside the timings."""
    from causal_web.web.chains import trace_chains

    queries = chain_queries(web, count)
    durations: list[float] = []
    found = truncated = budget_stopped = 0
    warm = [  # warm-up: first calls pay for lazily built caches
        trace_chains(web, query["start"], query["end"], via=query["via"], max_hops=4, limit=20)
        for query in queries
    ]
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            result = trace_chains(web, query["start"], query["end"], via=query["via"], max_hops=4, limit=20)
            durations.append(time.perf_counter() - started)
            found += len(result.chains)
            truncated += result.truncated
            budget_stopped += result.reason is not None  # the time or expansion budget ran out
    calls = len(durations)
    return {
        "p50": percentile(durations, 50),
        "p95": percentile(durations, 95),
        "max": max(durations) if durations else None,
        "calls": calls,
        "queries": len(queries),
        "mean_chains": found / calls if calls else 0,
        "truncated_share": truncated / calls if calls else 0,
        "budget_share": budget_stopped / calls if calls else 0,
        "example": queries[0] if queries else None,
        **chain_quality(warm),
    }
