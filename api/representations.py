"""Content negotiation for resources: JSON by default, or the resource's RDF, or an HTML page.

``Accept: text/turtle``, ``application/ld+json``, ``application/n-triples`` or
``application/rdf+xml`` (or ``?format=ttl|jsonld|nt|xml``, handy for links from a browser)
gives the RDF a linked-data client expects when it dereferences the resource's IRI; a browser
(``Accept: text/html``) gets a readable page. ``Link: rel="alternate"`` headers name every
representation, and JSON-LD answers link the published ``@context``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from causal_web.api.conventions import add_link
from causal_web.api.problems import ProblemError
from causal_web.knowledge_base import KnowledgeBase
from causal_web.rdf.describe import RESOURCE_KINDS, describe_resource, resource_iri, resource_rdf_text
from causal_web.rdf.html_page import RESOURCE_PAGE_CSP, resource_page
from causal_web.rdf.jsonld import CONTEXT_PATH
from causal_web.rdf.sparql import negotiate

__all__ = [
    "FORMAT_NAMES",
    "HTML_HEADERS",
    "RDF_CONTENT",
    "RDF_MEDIA_TYPES",
    "RESOURCE_MEDIA_TYPES",
    "FastJSONResponse",
    "Representation",
    "alternate_links",
    "context_link",
    "has_rdf",
    "html_alternates",
    "negotiate_representation",
    "only_json",
    "rdf_response",
]

try:  # orjson writes the same JSON several times faster than the standard library
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; plain json still works
    orjson = None


class FastJSONResponse(JSONResponse):
    """A JSON response written by orjson: the bytes of ``json.dumps`` with the same compact
    separators and UTF-8 text, at a fraction of the cost for a page of records."""

    def render(self, content: Any) -> bytes:
        if orjson is None:
            return super().render(content)
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


# Offered in this order: a client that accepts anything (*/*) gets the first.
RESOURCE_MEDIA_TYPES = {
    "application/json": "json",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "text/html": "html",
}
RDF_MEDIA_TYPES = {fmt: media for media, fmt in RESOURCE_MEDIA_TYPES.items() if fmt not in ("json", "html")}
FORMAT_NAMES = {
    "json": "JSON",
    "ttl": "Turtle",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
    "xml": "RDF/XML",
    "html": "HTML",
}
_MEDIA_TYPE_OF = {fmt: media for media, fmt in RESOURCE_MEDIA_TYPES.items()}
HTML_HEADERS = {
    "Content-Security-Policy": RESOURCE_PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"

# OpenAPI: the other representations of a resource's 200 response.
RDF_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/turtle": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {}},
            "application/n-triples": {"schema": {"type": "string"}},
            "application/rdf+xml": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        }
    }
}

Format = Literal["json", "ttl", "jsonld", "nt", "xml", "html"]


def negotiate_representation(accept: str | None, offered: dict[str, str]) -> str:
    """The format (of ``offered``: media type -> format) that ``accept`` prefers; a 406
    problem when it accepts none of them."""
    chosen = negotiate(accept, list(offered))
    if chosen is None:
        raise ProblemError(
            406,
            f"This resource is served as {', '.join(offered)}; the request accepts none "
            f"of these (Accept: {accept}).",
            kind="not-acceptable",
            title="Not Acceptable",
            supported=list(offered),
        )
    return offered[chosen]


def alternate_links(path: str, formats: list[str]) -> list[str]:
    """``Link`` values joining the representations of the resource at ``path``."""
    target = quote(path, safe="/:@!$&'()*+,;=-._~")
    return [f'<{target}?format={fmt}>; rel="alternate"; type="{_MEDIA_TYPE_OF[fmt]}"' for fmt in formats]


def context_link(request: Request) -> str:
    """The ``Link`` value that points a JSON-LD client at the published context."""
    return f'<{request.base_url}{CONTEXT_PATH}>; rel="{_JSONLD_CONTEXT_REL}"; type="application/ld+json"'


async def _representation(
    request: Request,
    response: Response,
    format: Annotated[
        Format | None,
        Query(
            description="Overrides the Accept header: json, ttl (Turtle), jsonld, nt (N-Triples), "
            "xml (RDF/XML) or html."
        ),
    ] = None,
) -> str:
    response.headers["Vary"] = "Accept"
    chosen = format or negotiate_representation(request.headers.get("accept"), RESOURCE_MEDIA_TYPES)
    for link in alternate_links(request.url.path, list(FORMAT_NAMES)):
        add_link(request, link)
    if chosen == "jsonld":
        add_link(request, context_link(request))
    return chosen


Representation = Annotated[str, Depends(_representation)]


def html_alternates(path: str, formats: list[str]) -> dict[str, str]:
    """The links an HTML page gives to the resource's other representations."""
    return {FORMAT_NAMES[fmt]: f"{path}?format={fmt}" for fmt in formats if fmt != "html"}


async def rdf_response(kb: KnowledgeBase, kind: str, id: str, fmt: str) -> Response:
    """The resource's own RDF in ``fmt`` (ttl, jsonld, nt or xml), or its HTML page.

    Serialising runs in the thread pool, off the event loop: a resource with long labels must
    not hold up every other request (``/health`` included) while rdflib writes it.
    """
    if fmt == "html":
        iri = resource_iri(kb, kind, id)
        path = "/" + iri[len(kb.base_iri) :]
        graph = await run_in_threadpool(describe_resource, kb, kind, id)
        page = resource_page(graph, iri, kb.base_iri, html_alternates(path, list(FORMAT_NAMES)))
        return Response(page, media_type="text/html", headers={"Vary": "Accept", **HTML_HEADERS})
    text = await run_in_threadpool(resource_rdf_text, kb, kind, id, fmt)
    return Response(text, media_type=_MEDIA_TYPE_OF[fmt], headers={"Vary": "Accept"})


def has_rdf(kind: str) -> str | None:
    """The name :mod:`causal_web.rdf.describe` knows ``kind`` by ("entry-point" may be
    "entry_point" there), or None when it cannot describe that kind yet."""
    for name in (kind, kind.replace("-", "_")):
        if name in RESOURCE_KINDS:
            return name
    return None


def only_json(kind: str, fmt: str) -> ProblemError:
    """The 406 for a kind whose RDF is not served (yet): its JSON is."""
    return ProblemError(
        406,
        f"A {kind} is served as application/json only for now, not as {fmt}.",
        kind="not-acceptable",
        title="Not Acceptable",
        supported=["application/json"],
    )
