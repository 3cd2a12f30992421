"""The SPARQL 1.1 Protocol endpoint: read only, with a time limit and a row cap.

Queries come as a GET ``query`` parameter, a POST form or a POST ``application/sparql-query``
body. SELECT and ASK results are SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE results
are Turtle, JSON-LD, N-Triples or RDF/XML, chosen by Accept (or a ``format`` parameter).
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request, Response
from starlette.datastructures import FormData, QueryParams

from causal_web.api.deps import Sparql
from causal_web.api.problems import ProblemError, problem_responses
from causal_web.rdf.sparql import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, SparqlRunner

router = APIRouter(tags=["SPARQL"])

_FORMAT_KEYS = ("format", "output", "results")
_EXAMPLE = (
    "SELECT ?cmoc ?label WHERE { ?cmoc a <https://w3id.org/causal-web/ns#CMOC> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5"
)


def _result_content() -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media in SOLUTION_MEDIA_TYPES:
        json_like = media.endswith("json")
        content[media] = {"schema": {"type": "object"} if json_like else {"type": "string"}}
    for media in GRAPH_MEDIA_TYPES:
        content.setdefault(media, {"schema": {} if media.endswith("json") else {"type": "string"}})
    return content


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results. X-Result-Rows counts the rows (or triples) returned; "
        "X-Result-Truncated is true when the row cap cut them short.",
        "content": _result_content(),
    },
    **problem_responses(400, 403, 406, 415, 422, 503),
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


def _formats(*sources: QueryParams | FormData) -> list[str]:
    return [str(v) for source in sources for key in _FORMAT_KEYS for v in source.getlist(key)]


def _graphs(key: str, *sources: QueryParams | FormData) -> list[str]:
    return [str(v) for source in sources for v in source.getlist(key)]


async def _answer(
    request: Request,
    runner: SparqlRunner,
    query: str | None,
    formats: list[str],
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    if query is None or not query.strip():
        raise ProblemError(
            400,
            "Send a SPARQL query: the 'query' parameter of a GET or a form POST, or the body of a "
            "POST with Content-Type application/sparql-query.",
            kind="bad-parameter",
            title="Missing query",
            parameter="query",
        )
    result = await anyio.to_thread.run_sync(
        lambda: runner.run(
            query,
            accept=request.headers.get("accept"),
            formats=formats,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        ),
        limiter=request.app.state.sparql_limiter,
    )
    return Response(
        result.body,
        media_type=result.media_type,
        headers={
            "Vary": "Accept",
            "X-Result-Rows": str(result.rows),
            "X-Result-Truncated": "true" if result.truncated else "false",
        },
    )


def _refuse_update() -> ProblemError:
    return ProblemError(
        403,
        "This endpoint is read only: SPARQL updates are refused.",
        kind="update-refused",
        title="Updates are refused",
    )


@router.get("/sparql", responses=_RESPONSES, response_class=Response, summary="SPARQL query (GET)")
async def sparql_get(
    request: Request,
    runner: Sparql,
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
    """Run a read-only SPARQL query on the union of all graphs (or the graphs named)."""
    if "update" in request.query_params:
        raise _refuse_update()
    return await _answer(
        request,
        runner,
        query,
        _formats(request.query_params),
        default_graph_uri or [],
        named_graph_uri or [],
    )


@router.post(
    "/sparql",
    responses=_RESPONSES,
    response_class=Response,
    openapi_extra=_POST_BODY,
    summary="SPARQL query (POST)",
)
async def sparql_post(request: Request, runner: Sparql) -> Response:
    """Run a query sent as a form (``query=...``) or as an ``application/sparql-query`` body.
    Updates (``application/sparql-update`` or an ``update`` field) are refused with 403."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except Exception as error:
            raise ProblemError(400, f"The form could not be read: {error}", kind="bad-parameter") from None
        if "update" in form:
            raise _refuse_update()
        query = form.get("query")
        return await _answer(
            request,
            runner,
            query if isinstance(query, str) else None,
            _formats(params, form),
            _graphs("default-graph-uri", params, form),
            _graphs("named-graph-uri", params, form),
        )
    if media == "application/sparql-update":
        raise _refuse_update()
    if media == "application/sparql-query":
        try:
            query = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise ProblemError(
                400, "The query body is not UTF-8 text.", kind="bad-parameter", parameter="query"
            ) from None
        return await _answer(
            request,
            runner,
            query,
            _formats(params),
            _graphs("default-graph-uri", params),
            _graphs("named-graph-uri", params),
        )
    raise ProblemError(
        415,
        f"POST a query as application/x-www-form-urlencoded or application/sparql-query, not "
        f"{media or 'a body without a Content-Type'}.",
        kind="unsupported-media-type",
        title="Unsupported Media Type",
    )
