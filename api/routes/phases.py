"""Phases (theory versions) and what changed between two of them."""

from __future__ import annotations

from fastapi import APIRouter

from causal_web.api.deps import KB
from causal_web.api.models import Phase, PhaseDiff
from causal_web.api.problems import problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.model.serialise import phase_to_dict
from causal_web.rdf.describe import get_resource
from causal_web.web.diff import diff_phases

router = APIRouter(tags=["Phases"])


@router.get("/phases", response_model=list[Phase], summary="List phases")
async def list_phases(kb: KB) -> list[dict]:
    """The theory versions, oldest first."""
    return [phase_to_dict(p) for p in sorted(kb.dataset.phases.values(), key=lambda p: p.order)]


@router.get(
    "/phases/{phase_id}",
    response_model=Phase,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One phase",
)
async def get_phase(phase_id: str, kb: KB, representation: Representation) -> object:
    """The phase as JSON, or its RDF by Accept or ``format``."""
    if representation != "json":
        return await rdf_response(kb, "phase", phase_id, representation)
    return phase_to_dict(get_resource(kb.dataset, "phase", phase_id))


@router.get(
    "/phases/{before}/diff/{after}",
    response_model=PhaseDiff,
    responses=problem_responses(400, 404, 422),
    summary="Compare two phases",
)
async def get_phase_diff(before: str, after: str, kb: KB) -> dict:
    """CMOCs added, removed, refined and kept from ``before`` to ``after``, concepts new in
    ``after``, its mechanism table, and the coverage gaps that limit the comparison."""
    return diff_phases(kb.dataset, before, after).to_dict()
