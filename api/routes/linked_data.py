"""Linked data: the vocabulary at its namespace path, the published JSON-LD context, and every
other IRI under the base, resolved from the store.

The catch-all route comes last (see ``ROUTERS``): any path no other route serves is read as an
IRI under the base, and answers with that IRI's triples (see
:func:`causal_web.rdf.dereference.describe_iri`) as JSON-LD, Turtle, N-Triples, RDF/XML or an
HTML page, or a 404 problem when the store says nothing about it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from causal_web.api.conventions import add_link
from causal_web.api.deps import KB
from causal_web.api.problems import ProblemError, problem_responses
from causal_web.api.representations import (
    HTML_HEADERS,
    RDF_MEDIA_TYPES,
    alternate_links,
    context_link,
    html_alternates,
    negotiate_representation,
)
from causal_web.rdf.dereference import describe_iri, vocabulary_graph
from causal_web.rdf.describe import graph_text
from causal_web.rdf.html_page import resource_page
from causal_web.rdf.jsonld import CONTEXT_PATH, vocabulary_context
from causal_web.rdf.namespaces import CW_IRI

__all__ = ["VOCABULARY_PATH", "router"]

# Percent-encoded in problem details, so that a detail never quotes markup back (D11).
_PATH_SAFE = "/-._~%!$'()*+,;=:@"
_IRI_SAFE = _PATH_SAFE + "#?"

router = APIRouter(tags=["Linked data"])

VOCABULARY_PATH = "/ns"
_VOCABULARY_IRI = CW_IRI.rstrip("#/")
_VOCABULARY_TYPES = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "text/html": "html",
}
_RESOURCE_TYPES = {
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "text/html": "html",
}
_RDF_FORMATS = ["jsonld", "ttl", "nt", "xml", "html"]
_CONTENT = {
    200: {
        "content": {
            "application/ld+json": {"schema": {}},
            **{
                media: {"schema": {"type": "string"}}
                for media in RDF_MEDIA_TYPES.values()
                if "json" not in media
            },
            "text/html": {"schema": {"type": "string"}},
        }
    }
}
FormatParameter = Annotated[
    str | None,
    Query(
        pattern="^(jsonld|ttl|nt|xml|html)$",
        description="Overrides the Accept header: jsonld, ttl (Turtle), nt (N-Triples), xml (RDF/XML) "
        "or html.",
    ),
]


def _answer(
    request: Request,
    fmt: str,
    graph_text_of: Callable[[str], str],
    page: Callable[[], str],
    path: str,
    formats: list[str],
) -> Response:
    for link in alternate_links(path, formats):
        add_link(request, link)
    if fmt == "html":
        return Response(page(), media_type="text/html", headers={"Vary": "Accept", **HTML_HEADERS})
    if fmt == "jsonld":
        add_link(request, context_link(request))
    return Response(
        graph_text_of(fmt),
        media_type=RDF_MEDIA_TYPES[fmt],
        headers={"Vary": "Accept"},
    )


@router.get(
    VOCABULARY_PATH,
    response_class=Response,
    responses={**_CONTENT, **problem_responses(406, 422)},
    summary="The vocabulary (ontology)",
)
async def get_vocabulary(request: Request, format: FormatParameter = None) -> Response:
    """The causal-web vocabulary, ``https://w3id.org/causal-web/ns#``, as Turtle (the default),
    JSON-LD, RDF/XML, N-Triples or an HTML page. Its terms' IRIs dereference here."""
    fmt = format or negotiate_representation(request.headers.get("accept"), _VOCABULARY_TYPES)
    graph = vocabulary_graph()
    formats = ["ttl", "jsonld", "xml", "nt", "html"]
    return _answer(
        request,
        fmt,
        lambda f: graph_text(graph, f),
        lambda: resource_page(graph, _VOCABULARY_IRI, CW_IRI, html_alternates(VOCABULARY_PATH, formats)),
        VOCABULARY_PATH,
        formats,
    )


@router.get(
    "/" + CONTEXT_PATH,
    response_class=JSONResponse,
    responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}},
    summary="The JSON-LD context",
)
async def get_jsonld_context() -> JSONResponse:
    """The ``@context`` of the JSON-LD this service sends: plain keys (``label``, ``concept``,
    ``polarity``, ``context``, ``mechanism``, ``outcome``, ...) for the vocabulary's terms."""
    return JSONResponse({"@context": vocabulary_context()}, media_type="application/ld+json")


def _list_paths(request: Request) -> set[str]:
    """The fixed GET paths of the API (``/cmocs``, ``/concepts``, ...), from its OpenAPI document."""
    paths = request.app.openapi().get("paths", {})
    return {path for path, operations in paths.items() if "{" not in path and "get" in operations}


@router.get(
    "/{path:path}",
    response_class=Response,
    responses={**_CONTENT, **problem_responses(404, 406, 422)},
    summary="Any other IRI under the base",
)
async def get_resource_by_iri(
    request: Request, path: str, kb: KB, format: FormatParameter = None
) -> Response:
    """The RDF of the IRI ``{base}{path}``: its triples and those of its sub-nodes (a slot,
    a citation, a group, an IOC type, a concept scheme, ...), or for a named graph a
    description of it and its contents. JSON-LD by default."""
    iri = kb.base_iri + path
    described = describe_iri(kb, iri)
    if described is None:
        bare = "/" + path.rstrip("/")
        if path.endswith("/") and bare in _list_paths(request):
            return RedirectResponse(bare, status_code=307)
        raise ProblemError(
            404,
            f"Nothing is served at /{quote(path, safe=_PATH_SAFE)}: the data has no resource "
            f"<{quote(iri, safe=_IRI_SAFE)}>. "
            "The endpoints are listed at /docs.",
            kind="not-found",
            title="Not Found",
        )
    fmt = format or negotiate_representation(request.headers.get("accept"), _RESOURCE_TYPES)
    own_path = "/" + path
    note = (
        f"A named graph of {described.size} triples: its RDF representations hold them."
        if described.named_graph
        else ""
    )
    return _answer(
        request,
        fmt,
        lambda f: graph_text(described.graph, f, root=described.frame_root),
        lambda: resource_page(
            described.graph,
            iri,
            kb.base_iri,
            html_alternates(own_path, _RDF_FORMATS),
            only_subject=described.named_graph,
            note=note,
        ),
        own_path,
        _RDF_FORMATS,
    )
