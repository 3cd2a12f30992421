"""CMOCs: filtered lists and single records (JSON, or RDF by content negotiation)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from causal_web.api.deps import KB, AppSettings
from causal_web.api.models import CMOC, Page
from causal_web.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageParams, paginate
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, FastJSONResponse, Representation, rdf_response
from causal_web.api.review_scope import ReviewKB
from causal_web.evidence.assess import cmoc_with_evidence
from causal_web.model.lookup import kept_view
from causal_web.rdf.describe import get_resource
from causal_web.web.queries import CMOCFilter, find_cmocs

router = APIRouter(tags=["CMOCs"])


class CMOCQuery(BaseModel):
    """The filters and paging of ``GET /cmocs``, validated in one step rather than one by one."""

    intervention: str | None = Field(
        None, description="Concept ID in the intervention (or strategy) slot; narrower concepts match too."
    )
    context: str | None = Field(
        None, description="Concept ID in the context slot; narrower concepts match too.", examples=["trust"]
    )
    actor: str | None = Field(None, description="Concept ID in the actor (for whom) slot.")
    mechanism: str | None = Field(
        None, description="Concept ID in the mechanism slot; narrower concepts match too.", examples=["trust"]
    )
    mechanism_resource: str | None = Field(None, description="Concept ID in the mechanism resource slot.")
    mechanism_response: str | None = Field(None, description="Concept ID in the mechanism response slot.")
    outcome: str | None = Field(
        None, description="Concept ID in the outcome slot; narrower concepts match too.", examples=["faith"]
    )
    concept: str | None = Field(None, description="Concept ID in any slot.")
    phase: str | None = Field(None, description="Phase ID.", examples=["review-2021"])
    source: str | None = Field(None, description="Source ID.", examples=["aunger-2021-review"])
    status: Literal["affirmed", "refined", "refuted", "new"] | None = None
    ioc_type: str | None = Field(None, description="IOC type ID.", examples=["mandated"])
    q: str | None = Field(
        None, description="Words that must all appear in the ID, title, statement or part labels."
    )
    kind: Literal["cmoc", "mechanism-list", "background", "all"] = Field(
        "cmoc", description="Full configurations (default), a summary's lists and claims, or all."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Most entries to return.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Entries to skip.")


@router.get(
    "/cmocs",
    response_model=Page[CMOC],
    response_model_exclude_unset=True,
    responses=problem_responses(400, 422),
    summary="List CMOCs",
)
async def list_cmocs(
    request: Request, kb: ReviewKB, settings: AppSettings, query: Annotated[CMOCQuery, Query()]
) -> JSONResponse:
    """CMOCs matching every filter given, in phase then ID order."""
    filters = CMOCFilter(**query.model_dump(exclude={"limit", "offset"}))
    paging = PageParams(query.limit, query.offset, request)
    page = paginate(
        find_cmocs(kb.dataset, filters),
        paging,
        lambda cmoc: kept_view(
            kb.dataset,
            ("cmoc", cmoc.id, settings.evidence_scorer),
            lambda: cmoc_with_evidence(kb.dataset, cmoc, settings.evidence_scorer),
        ),
    )
    # Returned as a response, so FastAPI does not validate the library's own output against the
    # model on every request (the model still documents it; the schemathesis test checks it).
    return FastJSONResponse(page)


@router.get(
    "/cmocs/{cmoc_id}",
    response_model=CMOC,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One CMOC",
)
async def get_cmoc(cmoc_id: str, kb: KB, settings: AppSettings, representation: Representation) -> object:
    """The CMOC as JSON, or its RDF (Turtle, JSON-LD, N-Triples) by Accept or ``format``."""
    if representation != "json":
        return await rdf_response(kb, "cmoc", cmoc_id, representation)
    return cmoc_with_evidence(kb.dataset, get_resource(kb.dataset, "cmoc", cmoc_id), settings.evidence_scorer)
