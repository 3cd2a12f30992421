"""The explorer: the page at ``/``, its static files, and the drawings it asks for.

Every ``/viz/...`` route calls one :mod:`viz` function and returns the drawing's JSON (nodes
and arrows styled for vis-network, each with its evidence: valence counts, evidence bases,
records with their slots, flags and evidence items). Static files come only from the
fixed list in :data:`viz.assets.STATIC_ASSETS`, so no path reaches the file system.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from causal_web.api.problems import ProblemError, problem_responses
from causal_web.api.review_scope import ReviewKB
from causal_web.viz.assets import asset_text, static_asset
from causal_web.viz.network import neighbourhood_network, traced_chains_network
from causal_web.viz.payload import web_drawing as web_drawing_payload
from causal_web.viz.template import EXPLORER_CSP, render_explorer_page
from causal_web.viz.view import (
    MAX_ARROWS_LIMIT,
    MAX_CONCEPTS_LIMIT,
    WEB_ARROW_CEILING,
    WEB_CEILING,
    ViewFilter,
)
from causal_web.web.chains import HARD_MAX_HOPS

router = APIRouter(tags=["Explorer"])

_PAGE_HEADERS = {
    "Content-Security-Policy": EXPLORER_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_DRAWING = "A drawing for the explorer: vis-network nodes and edges, each with a `cw` object of evidence."

Phases = Annotated[list[str] | None, Query(description="Only evidence from these phases.")]
Groups = Annotated[
    list[str] | None,
    Query(description="Only concepts of these groups or roles (e.g. core-mechanism, context)."),
]
MinSources = Annotated[int, Query(ge=1, le=1000, description="Only edges with this many distinct sources.")]
MaxConcepts = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_CONCEPTS_LIMIT,
        description="Most concepts to draw: with more, those with the most records behind them, "
        "and `notice` says how many of how many are shown.",
    ),
]
MaxArrows = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_ARROWS_LIMIT,
        description="Most arrows to draw among those concepts: with more, those with the most records.",
    ),
]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def explorer_page(kb: ReviewKB) -> HTMLResponse:
    """The explorer page (its data comes from the routes below and the API)."""
    dataset = f"{len(kb.dataset.cmocs)} CMOCs · {len(kb.dataset.concepts)} concepts"
    return HTMLResponse(render_explorer_page(dataset=dataset), headers=_PAGE_HEADERS)


@router.get("/static/{name}", include_in_schema=False)
async def static_file(name: str) -> Response:
    """vis-network (from pyvis's package) and the explorer's own scripts and styles."""
    asset = static_asset(name)
    if asset is None:
        raise ProblemError(404, f"There is no static file {name!r}.", kind="not-found", title="Not Found")
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(asset_text(name), media_type=asset.media_type, headers=headers)


@router.get(
    "/viz/web",
    summary="Drawing of the whole causal web",
    description=_DRAWING
    + f" Above `max_concepts` concepts ({WEB_CEILING:,} by default) only the top ones by records are"
    f" drawn, and above `max_arrows` arrows among them ({WEB_ARROW_CEILING:,}) the top ones by records.",
    responses=problem_responses(400, 422),
)
def web_drawing(
    request: Request,
    kb: ReviewKB,
    phase: Phases = None,
    group: Groups = None,
    min_sources: MinSources = 1,
    max_concepts: MaxConcepts = WEB_CEILING,
    max_arrows: MaxArrows = WEB_ARROW_CEILING,
) -> Response:
    # Gzipped and hashed once per web and filter: a 10,000-concept drawing is about 35 MB.
    gzipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    filters = ViewFilter.of(phase, group, min_sources, max_concepts, max_arrows)
    drawing = web_drawing_payload(kb.web, filters, gzipped=gzipped)
    headers = {"ETag": drawing.etag, "Vary": "Accept-Encoding"}
    if drawing.encoding:
        headers["Content-Encoding"] = drawing.encoding
    return Response(drawing.body, media_type="application/json", headers=headers)


@router.get(
    "/viz/neighbourhood/{concept_id}",
    summary="Drawing of a concept's neighbourhood",
    description=_DRAWING,
    responses=problem_responses(400, 404, 422),
)
def neighbourhood_drawing(
    concept_id: str, kb: ReviewKB, phase: Phases = None, group: Groups = None, min_sources: MinSources = 1
) -> JSONResponse:
    view = neighbourhood_network(kb.web, concept_id, ViewFilter.of(phase, group, min_sources))
    return JSONResponse(view.to_dict())


@router.get(
    "/viz/chains",
    summary="Drawing of the chains from one concept to another",
    description=_DRAWING + " The traced chains are highlighted; `chains` holds them hop by hop.",
    responses=problem_responses(400, 422),
)
def chains_drawing(
    kb: ReviewKB,
    start: Annotated[str, Query(alias="from", description="Start concept ID.", examples=["shared-vision"])],
    end: Annotated[str, Query(alias="to", description="End concept ID.", examples=["care-quality"])],
    via: Annotated[str | None, Query(description="Concept ID or group the chains must pass through.")] = None,
    max_hops: Annotated[int, Query(ge=1, le=HARD_MAX_HOPS, description="Longest chain, in hops.")] = 4,
    min_sources: Annotated[int, Query(ge=1, le=1000, description="Only hops with this many sources.")] = 1,
    phase: Phases = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Most chains to draw.")] = 20,
    include_background: Annotated[
        bool, Query(description="Also use records that are not findings (background, aggregate claims).")
    ] = False,
) -> JSONResponse:
    view = traced_chains_network(
        kb.web,
        start,
        end,
        via=via or None,
        max_hops=max_hops,
        min_sources=min_sources,
        phases=phase,
        limit=limit,
        include_background=include_background,
    )
    return JSONResponse(view.to_dict())
