"""Pagination of list endpoints: ``limit`` and ``offset`` in, ``total``, ``limit`` and ``offset`` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_OFFSET", "PageParams", "Paging", "paginate"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most entries to return.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip.")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Paging = Annotated[PageParams, Depends(_page_params)]


def paginate(items: Sequence[Any], page: PageParams, to_dict: Callable[[Any], dict]) -> dict:
    """One page of ``items``, each turned into a dict, with the total count."""
    chosen = items[page.offset : page.offset + page.limit]
    return {
        "total": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "items": [to_dict(item) for item in chosen],
    }
