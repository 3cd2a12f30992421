"""CMOCs: filtered lists and single records (JSON, or RDF by content negotiation)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import KB
from api.models import CMOC, Page
from api.pagination import Paging, paginate
from api.problems import problem_responses
from api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.describe import get_resource
from causal_web.queries import CMOCFilter, find_cmocs
from causal_web.serialise import cmoc_to_dict

router = APIRouter(tags=["CMOCs"])

ConceptParam = Annotated[
    str | None, Query(description="Concept ID; narrower concepts match too.", examples=["trust"])
]


@router.get(
    "/cmocs",
    response_model=Page[CMOC],
    response_model_exclude_unset=True,
    responses=problem_responses(400, 422),
    summary="List CMOCs",
)
def list_cmocs(
    kb: KB,
    page: Paging,
    context: ConceptParam = None,
    mechanism: ConceptParam = None,
    outcome: ConceptParam = None,
    concept: Annotated[str | None, Query(description="Concept ID in any slot.")] = None,
    phase: Annotated[str | None, Query(description="Phase ID.", examples=["review-2021"])] = None,
    source: Annotated[str | None, Query(description="Source ID.", examples=["aunger-2021-review"])] = None,
    status: Literal["affirmed", "refined", "refuted", "new"] | None = None,
    ioc_type: Annotated[str | None, Query(description="IOC type ID.", examples=["mandated"])] = None,
    q: Annotated[str | None, Query(description="Words that must all appear in the published labels.")] = None,
    kind: Annotated[
        Literal["cmoc", "mechanism-list", "background", "all"],
        Query(description="Full configurations (default), a summary's lists and claims, or all."),
    ] = "cmoc",
) -> dict:
    """CMOCs matching every filter given, in phase then ID order."""
    found = find_cmocs(
        kb.dataset,
        CMOCFilter(
            context=context,
            mechanism=mechanism,
            outcome=outcome,
            concept=concept,
            phase=phase,
            source=source,
            ioc_type=ioc_type,
            status=status,
            q=q,
            kind=kind,
        ),
    )
    return paginate(found, page, cmoc_to_dict)


@router.get(
    "/cmocs/{cmoc_id}",
    response_model=CMOC,
    response_model_exclude_unset=True,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One CMOC",
)
def get_cmoc(cmoc_id: str, kb: KB, representation: Representation) -> object:
    """The CMOC as JSON, or its RDF (Turtle, JSON-LD, N-Triples) by Accept or ``format``."""
    if representation != "json":
        return rdf_response(kb, "cmoc", cmoc_id, representation)
    return cmoc_to_dict(get_resource(kb.dataset, "cmoc", cmoc_id))
