"""The app factory: a FastAPI app over one loaded knowledge base.

Routes are thin: each parses its parameters, calls one library function and returns the
result; errors are mapped to problem+json in :mod:`api.problems`. Add a router by adding
one line to ``ROUTERS``.

Lookups that take well under a millisecond (records, lists, concepts, the ledger) and the
dependencies are ``async def``: a plain ``def`` sends each of them through the thread pool,
which on two cores costs more than the work itself (see docs/benchmarks.md). Work that can
take longer on a large web (chains, explorer drawings) stays ``def`` and off the event loop;
SPARQL runs in worker processes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.middleware.gzip import GZipMiddleware

import causal_web
from causal_web.api import docs
from causal_web.api.conventions import (
    HeadMiddleware,
    ValidatorMiddleware,
    document_unknown_parameter_problem,
    operation_id,
    reject_unknown_parameters,
)
from causal_web.api.hardening import SecurityHeaders
from causal_web.api.openapi_enums import add_parameter_enums
from causal_web.api.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers
from causal_web.api.routes import (
    chains,
    cmocs,
    concepts,
    evidence,
    explorer,
    guidance,
    linked_data,
    phases,
    realist,
    records,
    reviews,
    sources,
    sparql,
    status,
)
from causal_web.api.settings import Settings
from causal_web.errors import CausalWebError, QueryError
from causal_web.evidence import get_scorer
from causal_web.guidance.query import guidance_of
from causal_web.knowledge_base import KnowledgeBase
from causal_web.rdf.sparql import SparqlRunner

__all__ = ["ROUTERS", "check_startup", "create_app"]

ROUTERS: list[APIRouter] = [
    status.router,
    cmocs.router,
    concepts.router,
    chains.router,
    sources.router,
    phases.router,
    records.router,
    realist.router,
    sparql.router,
    explorer.router,
    evidence.router,
    guidance.router,
    reviews.router,
    linked_data.router,  # last: its catch-all resolves any other IRI under the base
]
# Responses smaller than this are not worth compressing.
GZIP_MINIMUM_SIZE = 1024

_DESCRIPTION = """
A knowledge graph of context-mechanism-outcome configurations (CMOCs) from realist syntheses,
bundled with the NIHR realist synthesis of inter-organisational collaboration between health
care providers.

A CMOC has the slots intervention, context, actor, mechanism (or mechanism resource and
response) and outcome, each a list of parts: the text as published and its coded concept, or
`null` for a part not coded. Evidence is a list of items, each judged to confirm, refute or
refine the record, and counted by independent evidence bases. Edges and chain hops report
`valence_counts` and a summary `valence`; chains leave out background records unless
`include_background=true`.

Lists are paginated (`limit`, `offset`; responses report `total`). `/cmocs/{id}`,
`/concepts/{id}`, `/sources/{id}`, `/phases/{id}`, `/links/{id}`, `/mechanisms/{id}`,
`/nestings/{id}`, `/entry-points/{id}`, `/demi-regularities/{id}`, `/theories/{id}` and
`/bases/{id}` give JSON, or the resource's RDF with `Accept: text/turtle`,
`application/ld+json`, `application/n-triples` or `application/rdf+xml` (or
`?format=ttl|jsonld|nt|xml`), and an HTML page for a browser. Every other IRI of the data
(parts, relations, evidence items, citations, groups, IOC types, graphs) resolves too, and the
vocabulary is served at `/ns`. `/sparql` is a read-only SPARQL 1.1 Protocol endpoint. Errors
are `application/problem+json`.

Every GET route answers HEAD. Data responses carry an `ETag` and a `Cache-Control`, and
`If-None-Match` gets a 304; large responses are gzipped when the client accepts it; lists link
their `next` and `prev` pages in a `Link` header; an unknown query parameter is a 400.
"""


def _problem_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with every error response served as problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                if code[0] in "45" and "content" in response:
                    body = response["content"].get("application/json") or response["content"].get(
                        PROBLEM_MEDIA_TYPE
                    )
                    response["content"] = {PROBLEM_MEDIA_TYPE: body}
    add_parameter_enums(schema, app.state.kb.dataset)
    document_unknown_parameter_problem(schema)
    app.openapi_schema = schema
    return schema


def check_startup(kb: KnowledgeBase, settings: Settings) -> None:
    """Refuse to start on what would otherwise fail request by request: an unknown evidence
    scorer, or a guidance file that is malformed or cites records the data does not hold."""
    try:
        get_scorer(settings.evidence_scorer)
    except QueryError as error:
        raise CausalWebError(f"setting evidence_scorer: {error}") from None
    reviews = getattr(kb, "reviews", {})  # a ReviewSet: each review's own guidance too
    for one in [kb, *(review.kb for review in reviews.values())]:
        guidance_of(one)


def create_app(
    kb: KnowledgeBase, settings: Settings | None = None, routers: Sequence[APIRouter] | None = None
) -> FastAPI:
    """A FastAPI app serving ``kb``. The SPARQL workers are forked at start-up (or at the first
    query when the app runs without its lifespan) and stopped at shutdown."""
    settings = settings or Settings()
    kb.index()
    check_startup(kb, settings)
    remote_runner = getattr(kb, "sparql_runner", None)  # a remote store's (causal_web.remote)
    if remote_runner is not None:
        runner = remote_runner(
            timeout=settings.sparql_timeout,
            max_rows=settings.sparql_max_rows,
            workers=settings.sparql_workers,
            wait=settings.sparql_queue_wait,
        )
    else:
        runner = SparqlRunner(
            kb.store,
            timeout=settings.sparql_timeout,
            max_rows=settings.sparql_max_rows,
            workers=settings.sparql_workers,
            memory_limit=settings.sparql_memory_mb * 2**20,
            wait=settings.sparql_queue_wait,
            base_iri=kb.base_iri,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.start()
        try:
            yield
        finally:
            runner.close()

    app = FastAPI(
        title="causal-web API",
        version=causal_web.__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
        generate_unique_id_function=operation_id,
        docs_url=None,  # served by causal_web.api.docs, with our own copies of the assets
        redoc_url=None,
    )
    app.state.kb = kb
    app.state.settings = settings
    app.state.sparql = runner
    # Threads that wait on SPARQL workers, kept apart from the pool the other routes use.
    app.state.sparql_limiter = anyio.CapacityLimiter(max(4, settings.sparql_workers * 4))
    install_problem_handlers(app)
    app.include_router(docs.router)  # before the catch-all of the linked-data router
    for router in ROUTERS if routers is None else routers:
        app.include_router(router)
    # Added innermost first: a request passes CORS, then HEAD, then the validators, then gzip.
    # Level 5: most of level 9's saving on JSON at a fraction of its cost per response.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=5)
    app.add_middleware(ValidatorMiddleware)
    app.add_middleware(HeadMiddleware)
    if settings.cors_origins:
        # Public read-only data: simple requests from any origin (the default, '*'), or from the
        # origins configured. Preflights cover POST /sparql with application/sparql-query.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "If-None-Match"],
            expose_headers=["X-Result-Rows", "X-Result-Truncated", "ETag", "Link"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)  # outermost: its headers reach every response
    app.openapi = lambda: _problem_openapi(app)  # type: ignore[method-assign]
    return app
