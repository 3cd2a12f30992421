"""The SPARQL 1.1 Protocol endpoint: read only, bounded in time, memory, size and waiting.

Queries come as a GET ``query`` parameter, a POST form or a POST ``application/sparql-query``
body. SELECT and ASK results are SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE results
are Turtle, JSON-LD, N-Triples or RDF/XML, chosen by Accept (or a ``format`` parameter). A GET
with no query gets the endpoint's Service Description, or the query editor for a browser.
"""

from __future__ import annotations

import math
import time
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request, Response

from causal_web.api.deps import KB, AppSettings, Sparql
from causal_web.api.problems import ProblemError, problem_responses
from causal_web.api.routes.sparql_editor import editor_page
from causal_web.api.routes.sparql_editor import router as editor_router
from causal_web.api.sparql_request import SparqlRequest, read_get, read_post
from causal_web.rdf.negotiation import negotiate
from causal_web.rdf.service_description import (
    SERVICE_DESCRIPTION_MEDIA_TYPES,
    describe_service,
    kept_graph_sizes,
    serialize_description,
)
from causal_web.rdf.sparql import (
    GRAPH_MEDIA_TYPES,
    SOLUTION_MEDIA_TYPES,
    QueryTextError,
    QueryTooDeepError,
    ServiceRefusedError,
    SparqlBusyError,
    SparqlMemoryError,
    SparqlRunner,
    check_query,
)
from causal_web.remote.client import RemoteStoreError

router = APIRouter(tags=["SPARQL"])
router.include_router(editor_router)

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
_EXAMPLE = (
    "SELECT ?cmoc ?label WHERE { ?cmoc a <https://w3id.org/causal-web/ns#CMOC> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5"
)
_DESCRIPTION_OFFERS = [*SERVICE_DESCRIPTION_MEDIA_TYPES, "text/html"]


def _result_content() -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media in SOLUTION_MEDIA_TYPES:
        json_like = media.endswith("json")
        content[media] = {"schema": {"type": "object"} if json_like else {"type": "string"}}
    for media in GRAPH_MEDIA_TYPES:
        content.setdefault(media, {"schema": {} if media.endswith("json") else {"type": "string"}})
    content.setdefault("text/html", {"schema": {"type": "string"}})
    return content


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results. X-Result-Rows counts the rows (or triples) returned; "
        "X-Result-Truncated is true when the result filled the row cap, so rows may be missing. "
        "A GET without a query gets the Service Description (Turtle, JSON-LD, RDF/XML or "
        "N-Triples) or, for a browser, the query editor.",
        "content": _result_content(),
    },
    **problem_responses(400, 403, 406, 413, 415, 422, 502, 503, 507),
}
_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "The SPARQL query."},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                },
                "example": {"query": _EXAMPLE},
            },
            "application/sparql-query": {
                "schema": {"type": "string", "description": "The SPARQL query itself."},
                "example": _EXAMPLE,
            },
        },
    }
}


def _refuse_update() -> ProblemError:
    return ProblemError(
        403,
        "This endpoint is read only: SPARQL updates are refused.",
        kind="update-refused",
        title="Updates are refused",
    )


def _busy(detail: str, retry_after: float) -> ProblemError:
    return ProblemError(
        503,
        detail,
        kind="busy",
        title="SPARQL endpoint busy",
        headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
    )


def _limiters(request: Request) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
    """The app's gate on waiting SPARQL requests, and a thread limiter of the same size for the
    threads that wait on the workers (so they never take threads from the other routes)."""
    state = request.app.state
    gate: anyio.CapacityLimiter = state.sparql_limiter
    threads = getattr(state, "sparql_threads", None)
    if threads is None:
        threads = state.sparql_threads = anyio.CapacityLimiter(gate.total_tokens)
    return gate, threads


async def _run(request: Request, runner: SparqlRunner, sparql: SparqlRequest) -> Response:
    """Run the query, waiting at most the queue wait for a worker, counted from arrival."""
    if sparql.update:
        raise _refuse_update()
    if sparql.query is None or not sparql.query.strip():
        raise ProblemError(
            400,
            "Send a SPARQL query: the 'query' parameter of a GET or a form POST, or the body of a "
            "POST with Content-Type application/sparql-query.",
            kind="bad-parameter",
            title="Missing query",
            parameter="query",
        )
    deadline = time.monotonic() + runner.wait
    query = sparql.query
    try:
        check_query(query)  # refuse what never runs before it takes a place in the queue
        limiter, threads = _limiters(request)
        with anyio.move_on_after(runner.wait) as waited:
            await limiter.acquire()
        if waited.cancelled_caught:
            raise SparqlBusyError(
                f"Every query worker stayed busy for {runner.wait:g} s; try again shortly.",
                retry_after=runner.timeout,
            )
        try:
            result = await anyio.to_thread.run_sync(
                lambda: runner.run(
                    query,
                    accept=request.headers.get("accept"),
                    formats=sparql.formats,
                    default_graphs=sparql.default_graphs,
                    named_graphs=sparql.named_graphs,
                    deadline=deadline,
                ),
                limiter=threads,
            )
        finally:
            limiter.release()
    except ServiceRefusedError as error:
        raise ProblemError(
            403, str(error), kind="service-refused", title="SERVICE is refused", parameter="query"
        ) from None
    except QueryTooDeepError as error:
        raise ProblemError(
            400, str(error), kind="query-too-deep", title="Query nested too deeply", parameter="query"
        ) from None
    except QueryTextError as error:
        raise ProblemError(
            400, str(error), kind="sparql-syntax", title="Malformed SPARQL query", parameter="query"
        ) from None
    except SparqlMemoryError as error:
        raise ProblemError(
            507, str(error), kind="query-memory", title="Query needed too much memory"
        ) from None
    except SparqlBusyError as error:
        raise _busy(str(error), error.retry_after) from None
    except RemoteStoreError as error:  # serve --sparql-endpoint: the store failed or is down
        raise ProblemError(502, str(error), kind="store-failed", title="The SPARQL store failed") from None
    return Response(
        result.body,
        media_type=result.media_type,
        headers={
            "Vary": "Accept",
            "X-Result-Rows": str(result.rows),
            "X-Result-Truncated": "true" if result.truncated else "false",
        },
    )


async def _service_description(request: Request, kb: KB, runner: SparqlRunner) -> Response:
    accept = request.headers.get("accept")
    chosen = negotiate(accept, _DESCRIPTION_OFFERS)
    if chosen == "text/html":
        return editor_page(request)
    if chosen is None:
        raise ProblemError(
            406,
            "Without a query, /sparql is described as Turtle, JSON-LD, RDF/XML or N-Triples, or shown "
            f"as the query editor (text/html); the request accepts none of these (Accept: {accept}).",
            kind="not-acceptable",
            title="Not Acceptable",
            supported=_DESCRIPTION_OFFERS,
        )
    # Counted once and kept (an index holds them already), off the event loop: a large store takes a while.
    sizes = await anyio.to_thread.run_sync(kept_graph_sizes, kb)
    # A remote store has no memory cap of ours (memory_limit None): it enforces its own.
    memory = f"use {runner.memory_limit / 2**20:g} MiB and " if runner.memory_limit else ""
    limits = (
        f"Read only; SERVICE is refused. Each query may run {runner.timeout:g} s, {memory}"
        f"return {runner.max_rows:,} rows; the default "
        "graph is the union of the named graphs unless the query has FROM or FROM NAMED."
    )
    description = describe_service(str(request.url_for("sparql_get")), sizes, limits=limits)
    return Response(serialize_description(description, chosen), media_type=chosen, headers={"Vary": "Accept"})


@router.get("/sparql", responses=_RESPONSES, response_class=Response, summary="SPARQL query (GET)")
async def sparql_get(
    request: Request,
    runner: Sparql,
    kb: KB,
    query: Annotated[str | None, Query(description="The SPARQL query.", examples=[_EXAMPLE])] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description="Graphs to query as the default graph."),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None, Query(alias="named-graph-uri", description="Graphs GRAPH clauses may use.")
    ] = None,
    format: Annotated[
        str | None,
        Query(description="Result format instead of Accept: json, xml, csv, tsv, ttl, jsonld, nt."),
    ] = None,
) -> Response:
    """Run a read-only SPARQL query on the union of all graphs (or the graphs named by the query's
    FROM / FROM NAMED, or by the parameters). Without a query: the Service Description."""
    sparql = read_get(request)
    if sparql.query is None and not sparql.update:
        return await _service_description(request, kb, runner)
    return await _run(request, runner, sparql)


@router.head("/sparql", include_in_schema=False)
async def sparql_head(request: Request, runner: Sparql, kb: KB) -> Response:
    """As GET, without the body (the server drops it)."""
    sparql = read_get(request)
    if sparql.query is None and not sparql.update:
        return await _service_description(request, kb, runner)
    return await _run(request, runner, sparql)


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    """The methods /sparql answers."""
    return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other_method(request: Request) -> Response:
    """405 naming every method /sparql answers (a route of its own, so Allow lists them all)."""
    raise ProblemError(
        405,
        f"{request.method} is not allowed on /sparql; use {ALLOWED_METHODS}. The endpoint is read only.",
        title="Method Not Allowed",
        headers={"Allow": ALLOWED_METHODS},
    )


@router.post(
    "/sparql",
    responses=_RESPONSES,
    response_class=Response,
    openapi_extra=_POST_BODY,
    summary="SPARQL query (POST)",
)
async def sparql_post(request: Request, runner: Sparql, settings: AppSettings) -> Response:
    """Run a query sent as a form (``query=...``) or as an ``application/sparql-query`` body.
    Updates (``application/sparql-update`` or an ``update`` field) are refused with 403; a body
    over the size limit gets 413."""
    return await _run(request, runner, await read_post(request, settings.sparql_max_query_bytes))
