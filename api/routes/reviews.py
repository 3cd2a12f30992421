"""Reviews: the data folders the service loaded side by side."""

from __future__ import annotations

from fastapi import APIRouter

from causal_web.api.deps import KB
from causal_web.api.problems import problem_responses
from causal_web.errors import UnknownIdError
from causal_web.review_set import list_reviews

router = APIRouter(tags=["Reviews"])


@router.get("/reviews", responses=problem_responses(422), summary="List the loaded reviews")
async def get_reviews(kb: KB) -> dict:
    """Each review (data folder) the service serves: its ID (for ``review=`` on the lists,
    ``/chains``, ``/concepts`` and the explorer's drawings), title, IRI, named graphs and
    counts; and the SKOS mappings (exactMatch, closeMatch) that join their concepts."""
    return list_reviews(kb)


@router.get("/reviews/{review_id}", responses=problem_responses(404, 422), summary="One loaded review")
async def get_review(review_id: str, kb: KB) -> dict:
    """One review, as ``GET /reviews`` lists it."""
    reviews = list_reviews(kb)["items"]
    for review in reviews:
        if review["id"] == review_id:
            return review
    raise UnknownIdError("review", review_id, [r["id"] for r in reviews])
