"""Stated causal links and mechanism entries, so that every record IRI in the data resolves."""

from __future__ import annotations

from fastapi import APIRouter

from causal_web.api.deps import KB
from causal_web.api.models import Link, MechanismEntry
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.model.serialise import record_view
from causal_web.rdf.describe import get_resource

router = APIRouter(tags=["Records"])


@router.get(
    "/links/{link_id}",
    response_model=Link,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One stated causal link",
)
async def get_link(link_id: str, kb: KB, representation: Representation) -> object:
    if representation != "json":
        return await rdf_response(kb, "link", link_id, representation)
    return record_view(get_resource(kb.dataset, "link", link_id))


@router.get(
    "/mechanisms/{mechanism_id}",
    response_model=MechanismEntry,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One mechanism entry",
)
async def get_mechanism(mechanism_id: str, kb: KB, representation: Representation) -> object:
    if representation != "json":
        return await rdf_response(kb, "mechanism", mechanism_id, representation)
    return record_view(get_resource(kb.dataset, "mechanism", mechanism_id))
