"""Evidence you can weigh: where the evidence disagrees, and the evidence matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from causal_web.api.deps import KB, AppSettings
from causal_web.api.models.evidence import ContradictionList, EvidenceMatrix
from causal_web.api.problems import problem_responses
from causal_web.evidence.contradictions import contradictions_report
from causal_web.evidence.matrix import evidence_matrix

router = APIRouter(tags=["Evidence"])

_DIMENSION = (
    "A slot (context, mechanism, outcome, intervention, actor, mechanism_resource, "
    "mechanism_response), ioc_type, or a concept group (core-mechanism, supporting-mechanism, "
    "performance-domain, long-term-outcome)."
)


@router.get(
    "/contradictions",
    response_model=ContradictionList,
    responses=problem_responses(422),
    summary="Where the evidence disagrees",
)
def get_contradictions(kb: KB) -> dict:
    """Configurations whose evidence disagrees: the same contexts and mechanisms with outcomes
    in opposite directions, a refuting item against a confirming one, or an edge whose records
    state opposite valences. Each entry shows both sides with their evidence."""
    return contradictions_report(kb.dataset, kb.web)


@router.get(
    "/matrix",
    response_model=EvidenceMatrix,
    responses=problem_responses(400, 422),
    summary="The evidence matrix",
)
def get_matrix(
    kb: KB,
    settings: AppSettings,
    rows: Annotated[str, Query(description=_DIMENSION, examples=["context"])],
    cols: Annotated[str, Query(description=_DIMENSION, examples=["mechanism"])],
) -> dict:
    """CMOCs by two dimensions, as in an evidence and gap map: each cell gives its CMOC IDs, the
    number of independent evidence bases behind them and their evidence status."""
    return evidence_matrix(kb.dataset, rows, cols, scorer=settings.evidence_scorer)
