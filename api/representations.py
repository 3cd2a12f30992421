"""Content negotiation for resources: JSON by default, or the resource's RDF.

``Accept: text/turtle``, ``application/ld+json`` or ``application/n-triples`` (or
``?format=ttl|jsonld|nt``, handy for links from a browser) gives the RDF a linked-data client
expects when it dereferences the resource's IRI.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from causal_web.api.problems import ProblemError
from causal_web.knowledge_base import KnowledgeBase
from causal_web.rdf.describe import resource_rdf_text
from causal_web.rdf.sparql import negotiate

__all__ = ["RDF_CONTENT", "RESOURCE_MEDIA_TYPES", "Representation", "rdf_response"]

RESOURCE_MEDIA_TYPES = {
    "application/json": "json",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
}
_MEDIA_TYPE_OF = {fmt: media for media, fmt in RESOURCE_MEDIA_TYPES.items()}

# OpenAPI: the RDF alternatives of a resource's 200 response.
RDF_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/turtle": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {}},
            "application/n-triples": {"schema": {"type": "string"}},
        }
    }
}


async def _representation(
    request: Request,
    response: Response,
    format: Annotated[
        Literal["json", "ttl", "jsonld", "nt"] | None,
        Query(description="Overrides the Accept header: json, ttl (Turtle), jsonld or nt (N-Triples)."),
    ] = None,
) -> str:
    response.headers["Vary"] = "Accept"
    if format is not None:
        return format
    accept = request.headers.get("accept")
    chosen = negotiate(accept, list(RESOURCE_MEDIA_TYPES))
    if chosen is None:
        raise ProblemError(
            406,
            f"This resource is served as {', '.join(RESOURCE_MEDIA_TYPES)}; the request accepts none "
            f"of these (Accept: {accept}).",
            kind="not-acceptable",
            title="Not Acceptable",
            supported=list(RESOURCE_MEDIA_TYPES),
        )
    return RESOURCE_MEDIA_TYPES[chosen]


Representation = Annotated[str, Depends(_representation)]


async def rdf_response(kb: KnowledgeBase, kind: str, id: str, fmt: str) -> Response:
    """The resource's own RDF in ``fmt`` (ttl, jsonld or nt).

    Serialising runs in the thread pool, off the event loop: a resource with long labels must
    not hold up every other request (``/health`` included) while rdflib writes it.
    """
    text = await run_in_threadpool(resource_rdf_text, kb, kind, id, fmt)
    return Response(text, media_type=_MEDIA_TYPE_OF[fmt], headers={"Vary": "Accept"})
