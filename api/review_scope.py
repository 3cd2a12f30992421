"""The ``review=`` parameter shared by the routes that can show one review of several."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from causal_web.knowledge_base import KnowledgeBase
from causal_web.review_set import select_review

__all__ = ["ReviewKB", "get_review_kb"]


async def get_review_kb(
    request: Request,
    review: Annotated[
        str | None,
        Query(
            description="Only this review's records (an ID from GET /reviews); default: every review loaded."
        ),
    ] = None,
) -> KnowledgeBase:
    """The knowledge base of the review asked for, or of every review loaded."""
    return select_review(request.app.state.kb, review)


ReviewKB = Annotated[KnowledgeBase, Depends(get_review_kb)]
