"""Concepts: search, and one concept's neighbourhood in the causal web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from causal_web.api.models import Concept, ConceptDetail, Page
from causal_web.api.pagination import Paging, paginate
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.api.review_scope import ReviewKB
from causal_web.model.serialise import concept_to_dict, neighbourhood_to_dict
from causal_web.web.queries import concept_neighbourhood, find_concepts

router = APIRouter(tags=["Concepts"])


@router.get(
    "/concepts",
    response_model=Page[Concept],
    response_model_exclude_unset=True,
    responses=problem_responses(400, 422),
    summary="List concepts",
)
async def list_concepts(
    kb: ReviewKB,
    page: Paging,
    q: Annotated[str | None, Query(description="Text in the ID or labels.", examples=["trust"])] = None,
    group: Annotated[str | None, Query(description="Concept group.", examples=["core-mechanism"])] = None,
) -> dict:
    """Concepts whose ID or labels contain ``q``, optionally only those of ``group``."""
    return paginate(find_concepts(kb.dataset, q=q, group=group), page, concept_to_dict)


@router.get(
    "/concepts/{concept_id}",
    response_model=ConceptDetail,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(400, 404, 406, 422)},
    summary="One concept and its neighbourhood",
)
async def get_concept(concept_id: str, kb: ReviewKB, representation: Representation) -> object:
    """What activates the concept (upstream), what it leads to (downstream), with the evidence
    for each neighbour (valence counts, summary valence, evidence bases), and the CMOCs that use
    it, slot by slot (intervention, context, actor, mechanism and its resource and response,
    outcome). Or the concept's RDF by Accept or ``format``."""
    if representation != "json":
        return await rdf_response(kb, "concept", concept_id, representation)
    return neighbourhood_to_dict(concept_neighbourhood(kb.web, concept_id))


# /ioc-types and /ioc-types/{id} are served by api/routes/guidance.py, with the typology.
