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
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

import causal_web
from causal_web.api import docs
from causal_web.api.hardening import SecurityHeaders
from causal_web.api.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers
from causal_web.api.routes import chains, cmocs, concepts, explorer, phases, records, sources, sparql, status
from causal_web.api.settings import Settings
from causal_web.knowledge_base import KnowledgeBase
from causal_web.rdf.sparql import SparqlRunner

__all__ = ["ROUTERS", "create_app"]

ROUTERS: list[APIRouter] = [
    status.router,
    cmocs.router,
    concepts.router,
    chains.router,
    sources.router,
    phases.router,
    records.router,
    sparql.router,
    explorer.router,
]

_DESCRIPTION = """
A knowledge graph of context-mechanism-outcome configurations (CMOCs) from realist syntheses,
bundled with the NIHR realist synthesis of inter-organisational collaboration between health
care providers.

Lists are paginated (`limit`, `offset`; responses report `total`). `/cmocs/{id}`,
`/concepts/{id}`, `/sources/{id}`, `/phases/{id}`, `/links/{id}` and `/mechanisms/{id}` give
JSON, or the resource's RDF with `Accept: text/turtle`, `application/ld+json` or
`application/n-triples` (or `?format=ttl|jsonld|nt`): the data's IRIs resolve here.
`/sparql` is a read-only SPARQL 1.1 Protocol endpoint. Errors are `application/problem+json`.
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
    app.openapi_schema = schema
    return schema


def create_app(
    kb: KnowledgeBase, settings: Settings | None = None, routers: Sequence[APIRouter] | None = None
) -> FastAPI:
    """A FastAPI app serving ``kb``. The SPARQL workers are forked at start-up (or at the first
    query when the app runs without its lifespan) and stopped at shutdown."""
    settings = settings or Settings()
    kb.index()
    runner = SparqlRunner(
        kb.store,
        timeout=settings.sparql_timeout,
        max_rows=settings.sparql_max_rows,
        workers=settings.sparql_workers,
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
        docs_url=None,  # served by causal_web.api.docs, with our own copies of the assets
        redoc_url=None,
    )
    app.state.kb = kb
    app.state.settings = settings
    app.state.sparql = runner
    # Threads that wait on SPARQL workers, kept apart from the pool the other routes use.
    app.state.sparql_limiter = anyio.CapacityLimiter(max(4, settings.sparql_workers * 4))
    install_problem_handlers(app)
    for router in ROUTERS if routers is None else routers:
        app.include_router(router)
    app.include_router(docs.router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["X-Result-Rows", "X-Result-Truncated"],
        )
    app.add_middleware(SecurityHeaders)  # outermost: its headers reach every response
    app.openapi = lambda: _problem_openapi(app)  # type: ignore[method-assign]
    return app
