"""Guidance derived from the evidence: the typology (``/ioc-types``), life-cycle stages, action
prompts and the readiness diagnostic. Every response says which instrument is in use and that it
is derived, not the study's own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

from causal_web.api.pagination import Paging
from causal_web.api.problems import ProblemError, problem_responses
from causal_web.api.representations import RDF_CONTENT, Representation, rdf_response
from causal_web.api.review_scope import ReviewKB
from causal_web.guidance.diagnostic import AnswerError
from causal_web.guidance.query import (
    action_guidance,
    diagnose,
    diagnostic_instrument,
    get_collaboration_type,
    list_collaboration_types,
    list_stages,
)

router = APIRouter(tags=["Guidance"])

_OPEN = ConfigDict(extra="allow")


class Notice(BaseModel):
    model_config = _OPEN
    id: str
    label: str
    derived: bool
    notice: str


class CollaborationType(BaseModel):
    """A collaboration type with its cited attributes (each claim cites records or is inferred)."""

    model_config = _OPEN
    id: str
    label: str
    derived: bool
    ioc_type: str | None = None
    mandated: bool
    mandate: list[str]
    integration: list[str]
    entry_points: list[str]
    cmocs: list[str]
    studies: list[str]
    attributes: dict[str, list[dict[str, Any]]]
    not_stated: list[str]


class TypologyPage(BaseModel):
    model_config = _OPEN
    typology: Notice
    total: int
    limit: int
    offset: int
    items: list[CollaborationType]


class CollaborationTypeDetail(CollaborationType):
    typology: Notice


class StageList(BaseModel):
    model_config = _OPEN
    citation: dict[str, str]
    notice: str
    stages: list[dict[str, Any]]


class GuidanceResult(BaseModel):
    model_config = _OPEN
    label: str
    notice: str
    filters: dict[str, str | None]
    ranking: str
    total: int
    groups: list[dict[str, Any]]


class DiagnosticItem(BaseModel):
    model_config = _OPEN
    id: str
    text: str
    mechanism: str
    cmocs: list[str]


class DiagnosticInstrument(BaseModel):
    model_config = _OPEN
    instrument: Notice
    items: list[DiagnosticItem]


class DiagnosticAnswers(BaseModel):
    """Answers to every item of the instrument: item ID to a whole number on its scale (1 to 5)."""

    answers: dict[str, Any] = Field(
        description="Item ID to a whole number from 1 to 5, for every item of GET /diagnostic.",
        examples=[{"T01": 4, "C01": 2}],
    )


class DiagnosticResult(BaseModel):
    model_config = _OPEN
    instrument: Notice
    items: list[dict[str, Any]]
    mechanisms: list[dict[str, Any]]
    at_risk: list[str]
    maturity: dict[str, Any]


@router.get(
    "/ioc-types",
    response_model=TypologyPage,
    responses=problem_responses(422),
    summary="The typology of collaborations (derived)",
)
async def list_ioc_types(kb: ReviewKB, page: Paging) -> dict:
    """Collaboration types as the sources name them, each with the claims the sources make about
    it (mandated or voluntary, degree of integration, entry points, the CMOCs that apply), every
    claim citing records or flagged as the curator's inference. Derived: not the report's
    typology. Types that are IOC types of the vocabulary (CMOC ``ioc_types``) say so."""
    body = list_collaboration_types(kb)
    return {
        **body,
        "limit": page.limit,
        "offset": page.offset,
        "items": body["items"][page.offset : page.offset + page.limit],
    }


@router.get(
    "/ioc-types/{ioc_type_id}",
    response_model=CollaborationTypeDetail,
    responses={**RDF_CONTENT, **problem_responses(404, 406, 422)},
    summary="One collaboration type (derived)",
)
async def get_ioc_type(ioc_type_id: str, kb: ReviewKB, representation: Representation) -> object:
    """One type of the typology as JSON; for a type that is an IOC type of the vocabulary, its RDF
    by Accept or ``format``."""
    body = get_collaboration_type(kb, ioc_type_id)
    if representation != "json":
        if not body["ioc_type"]:
            raise ProblemError(
                406,
                f"{ioc_type_id!r} is a type of the derived typology, not of the vocabulary: JSON only.",
                kind="not-acceptable",
                supported=["application/json"],
            )
        return await rdf_response(kb, "ioc_type", body["ioc_type"], representation)
    return body


@router.get(
    "/stages", response_model=StageList, responses=problem_responses(422), summary="Life-cycle stages"
)
async def get_stages(kb: ReviewKB) -> dict:
    """The five phases of the 2023 life-cycle paper (source 6), with the records the curator maps
    to each (flagged as the curator's inference)."""
    return list_stages(kb)


@router.get(
    "/guidance",
    response_model=GuidanceResult,
    responses=problem_responses(400, 422),
    summary="Action prompts derived from the evidence",
)
async def get_guidance(
    kb: ReviewKB,
    ioc_type: Annotated[
        str | None, Query(description="A collaboration type of /ioc-types.", examples=["mandated"])
    ] = None,
    stage: Annotated[
        str | None, Query(description="A life-cycle stage of /stages.", examples=["planning"])
    ] = None,
) -> dict:
    """Prompts derived from the CMOCs and the chains that join them, grouped by mechanism and
    ranked by evidence; not the study's action statements."""
    return action_guidance(kb, ioc_type or None, stage or None)


@router.get(
    "/diagnostic",
    response_model=DiagnosticInstrument,
    responses=problem_responses(422),
    summary="The readiness diagnostic (derived)",
)
async def get_diagnostic(kb: ReviewKB) -> dict:
    """The instrument in use and its items, each citing its CMOCs, answered on a 5-point scale."""
    return diagnostic_instrument(kb)


@router.post(
    "/diagnostic/score",
    response_model=DiagnosticResult,
    responses=problem_responses(400, 422),
    summary="Score answers to the diagnostic",
)
async def score_diagnostic(kb: ReviewKB, body: Annotated[DiagnosticAnswers, Body()]) -> dict:
    """Mechanisms at risk with the CMOCs, chains and action prompts behind each, and the derived
    maturity profile. Bad answers (a missing item, an unknown item ID, a value that is not a
    number or is off the scale) are refused with a 422 problem naming the item."""
    try:
        return diagnose(kb, body.answers)
    except AnswerError as error:
        raise ProblemError(
            422,
            str(error),
            kind="bad-answer",
            title="Answers cannot be scored",
            item=error.item,
            problems=[{"item": item, "message": message} for item, message in error.problems],
        ) from None
