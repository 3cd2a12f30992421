"""Chains of CMOCs from one concept to another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from causal_web.api.deps import AppSettings
from causal_web.api.models import ChainResult
from causal_web.api.problems import problem_responses
from causal_web.api.review_scope import ReviewKB
from causal_web.web.chains import DEFAULT_MAX_EXPANSIONS, DEFAULT_TIME_BUDGET, HARD_MAX_HOPS, trace_chains

router = APIRouter(tags=["Chains"])


@router.get(
    "/chains",
    response_model=ChainResult,
    response_model_exclude_unset=True,
    responses=problem_responses(400, 422),
    summary="Trace chains between two concepts",
)
def get_chains(
    kb: ReviewKB,
    settings: AppSettings,
    start: Annotated[
        str,
        Query(
            alias="from", description="Start concept ID (narrower ones count).", examples=["shared-vision"]
        ),
    ],
    end: Annotated[str, Query(alias="to", description="End concept ID.", examples=["task-achievement"])],
    via: Annotated[
        str | None,
        Query(description="Concept ID or group ('core mechanisms') the chain must pass through."),
    ] = None,
    max_hops: Annotated[int, Query(ge=1, le=HARD_MAX_HOPS, description="Longest chain, in hops.")] = 4,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most chains to return.")] = 20,
    phase: Annotated[list[str] | None, Query(description="Only evidence from these phases.")] = None,
    min_sources: Annotated[
        int, Query(ge=0, le=1000, description="Only hops backed by this many distinct sources.")
    ] = 1,
    include_background: Annotated[
        bool,
        Query(description="Also use records that are not findings (background framing, aggregate claims)."),
    ] = False,
    max_expansions: Annotated[
        int,
        Query(
            ge=1,
            le=10_000_000,
            description="Search budget: most node expansions (paths taken off the search stack). "
            "When it runs out, the chains found so far are returned with truncated true and "
            "budget.reason 'expansions'.",
        ),
    ] = DEFAULT_MAX_EXPANSIONS,
    time_budget_ms: Annotated[
        float,
        Query(
            ge=0,
            le=60_000,
            description="Search budget: most wall-clock time for the search and building the "
            "chains, in milliseconds. When it runs out, the best chains built so far (at least one "
            "when any was found) are returned with truncated true and budget.reason 'time'.",
        ),
    ] = DEFAULT_TIME_BUDGET * 1000,
) -> dict:
    """Chains in which each hop's outcome feeds the next hop's context or mechanism, strongest
    weakest hop first (in independent evidence bases). Each hop reports its valence counts and
    summary valence, how it joins the hop before (a nesting stated by the authors, assembled by
    the curator, or by the tool: a hypothesis), and ``stitched`` when it shares no evidence base
    with the hop before. The search has a budget of node expansions and time; ``budget`` reports
    it and what was used, and ``truncated`` says whether a bound cut the search short."""
    result = trace_chains(
        kb.web,
        start,
        end,
        via=via,
        max_hops=max_hops,
        phases=phase,
        min_sources=min_sources,
        limit=limit,
        include_background=include_background,
        scorer=settings.evidence_scorer,
        max_expansions=max_expansions,
        time_budget=time_budget_ms / 1000,
    )
    return {**result.to_dict(), "limit": limit}
