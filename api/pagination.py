"""Pagination of list endpoints: ``limit`` and ``offset`` in, ``total``, ``limit`` and ``offset`` out,
and ``Link`` headers (RFC 8288) to the ``first``, ``prev``, ``next`` and ``last`` pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import Depends, Query, Request

from causal_web.api.conventions import add_link

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_OFFSET", "PageParams", "Paging", "page_links", "paginate"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_PAGE_KEYS = frozenset({"limit", "offset"})


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int
    request: Request | None = None  # when given, paginate() queues the page links for it


async def _page_params(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most entries to return.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip.")] = 0,
) -> PageParams:
    return PageParams(limit, offset, request)


Paging = Annotated[PageParams, Depends(_page_params)]


def page_links(request: Request, total: int, limit: int, offset: int) -> list[str]:
    """``Link`` values for the pages around this one; the request's other parameters are kept.

    The query is the request's own with ``limit`` and ``offset`` moved to the end, as
    ``URL.include_query_params`` writes it; the rest of it is encoded once for all the links.
    """
    path = quote(request.url.path, safe=_PATH_SAFE)
    kept = urlencode(
        [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k not in _PAGE_KEYS]
    )
    start = f"<{path}?{kept}&" if kept else f"<{path}?"

    def link(rel: str, to: int) -> str:
        return f'{start}limit={limit}&offset={to}>; rel="{rel}"'

    last = max(total - 1, 0) // limit * limit
    links = [link("first", 0)]
    if offset > 0:
        links.append(link("prev", max(offset - limit, 0)))
    if offset + limit < total:
        links.append(link("next", offset + limit))
    links.append(link("last", last))
    return links


def paginate(items: Sequence[Any], page: PageParams, to_dict: Callable[[Any], dict]) -> dict:
    """One page of ``items``, each turned into a dict, with the total count."""
    chosen = items[page.offset : page.offset + page.limit]
    if page.request is not None:
        for value in page_links(page.request, len(items), page.limit, page.offset):
            add_link(page.request, value)
    return {
        "total": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "items": [to_dict(item) for item in chosen],
    }
