"""The realist records beyond CMOCs, so that every record IRI of the data resolves: nestings
(one CMOC's outcome feeding another), entry points, demi-regularities, middle-range theories,
and the independent evidence bases support is counted in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from causal_web.api.deps import KB
from causal_web.api.models import DemiRegularity, EntryPoint, EvidenceBase, MiddleRangeTheory, Nesting, Page
from causal_web.api.pagination import Paging, paginate
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, has_rdf, only_json, rdf_response
from causal_web.knowledge_base import KnowledgeBase
from causal_web.model.serialise import (
    base_to_dict,
    demi_regularity_to_dict,
    entry_point_to_dict,
    nesting_to_dict,
    theory_to_dict,
)
from causal_web.rdf.describe import get_resource

router = APIRouter(tags=["Realist records"])


async def _one(kb: KnowledgeBase, kind: str, id: str, fmt: str, to_dict: Callable[[Any], dict]) -> object:
    """The record as JSON, or its RDF where :mod:`causal_web.rdf.describe` knows the kind."""
    record = get_resource(kb.dataset, kind, id)
    if fmt == "json":
        return to_dict(record)
    described = has_rdf(kind)
    if described is None:
        raise only_json(kind, fmt)
    return await rdf_response(kb, described, id, fmt)


_ONE = {**RDF_CONTENT, **problem_responses(404, 406, 422)}


@router.get(
    "/nestings",
    response_model=Page[Nesting],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List nestings",
)
async def list_nestings(kb: KB, page: Paging) -> dict:
    """Every nesting: the outcome of one CMOC becoming the context or mechanism of another, stated
    by the source's authors or assembled by the curator."""
    return paginate(list(kb.dataset.nestings.values()), page, nesting_to_dict)


@router.get(
    "/nestings/{nesting_id}",
    response_model=Nesting,
    response_model_exclude_unset=True,
    responses=_ONE,
    summary="One nesting",
)
async def get_nesting(nesting_id: str, kb: KB, representation: Representation) -> object:
    return await _one(kb, "nesting", nesting_id, representation, nesting_to_dict)


@router.get(
    "/entry-points",
    response_model=Page[EntryPoint],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List entry points",
)
async def list_entry_points(kb: KB, page: Paging) -> dict:
    """The reasons organisations enter a collaboration, with the studies that report each."""
    return paginate(list(kb.dataset.entry_points.values()), page, entry_point_to_dict)


@router.get(
    "/entry-points/{entry_point_id}",
    response_model=EntryPoint,
    response_model_exclude_unset=True,
    responses=_ONE,
    summary="One entry point",
)
async def get_entry_point(entry_point_id: str, kb: KB, representation: Representation) -> object:
    return await _one(kb, "entry-point", entry_point_id, representation, entry_point_to_dict)


@router.get(
    "/demi-regularities",
    response_model=Page[DemiRegularity],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List demi-regularities",
)
async def list_demi_regularities(kb: KB, page: Paging) -> dict:
    """Semi-predictable patterns of outcomes, each with the CMOCs it draws together."""
    return paginate(list(kb.dataset.demi_regularities.values()), page, demi_regularity_to_dict)


@router.get(
    "/demi-regularities/{demi_regularity_id}",
    response_model=DemiRegularity,
    response_model_exclude_unset=True,
    responses=_ONE,
    summary="One demi-regularity",
)
async def get_demi_regularity(demi_regularity_id: str, kb: KB, representation: Representation) -> object:
    return await _one(kb, "demi-regularity", demi_regularity_id, representation, demi_regularity_to_dict)


@router.get(
    "/theories",
    response_model=Page[MiddleRangeTheory],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List middle-range theories",
)
async def list_theories(kb: KB, page: Paging) -> dict:
    """Middle-range theories, each with the CMOCs that draw on it."""
    return paginate(list(kb.dataset.theories.values()), page, theory_to_dict)


@router.get(
    "/theories/{theory_id}",
    response_model=MiddleRangeTheory,
    response_model_exclude_unset=True,
    responses=_ONE,
    summary="One middle-range theory",
)
async def get_theory(theory_id: str, kb: KB, representation: Representation) -> object:
    return await _one(kb, "theory", theory_id, representation, theory_to_dict)


@router.get(
    "/bases",
    response_model=Page[EvidenceBase],
    response_model_exclude_unset=True,
    responses=problem_responses(422),
    summary="List evidence bases",
)
async def list_bases(kb: KB, page: Paging) -> dict:
    """The independent evidence bases: the publications of one project over the same study
    count as one, and each included study counts as its own."""
    return paginate(list(kb.dataset.all_bases().values()), page, base_to_dict)


@router.get(
    "/bases/{base_id}",
    response_model=EvidenceBase,
    response_model_exclude_unset=True,
    responses=_ONE,
    summary="One evidence base",
)
async def get_base(base_id: str, kb: KB, representation: Representation) -> object:
    return await _one(kb, "base", base_id, representation, base_to_dict)
