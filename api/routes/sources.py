"""Sources: papers, reports, interview sets and included studies."""

from __future__ import annotations

from fastapi import APIRouter

from causal_web.api.deps import KB
from causal_web.api.models import Page, Source
from causal_web.api.pagination import Paging, paginate
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.model.serialise import source_to_dict
from causal_web.rdf.describe import get_resource

router = APIRouter(tags=["Sources"])


@router.get(
    "/sources",
    response_model=Page[Source],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List sources",
)
async def list_sources(kb: KB, page: Paging) -> dict:
    """Every source, in the order of the data file."""
    return paginate(list(kb.dataset.sources.values()), page, source_to_dict)


@router.get(
    "/sources/{source_id}",
    response_model=Source,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One source",
)
async def get_source(source_id: str, kb: KB, representation: Representation) -> object:
    """The source as JSON, or its RDF by Accept or ``format``."""
    if representation != "json":
        return await rdf_response(kb, "source", source_id, representation)
    return source_to_dict(get_resource(kb.dataset, "source", source_id))
