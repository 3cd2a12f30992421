"""Reading a SPARQL Protocol request: where the query is, which graphs it names, which format it
asks for, with the protocol's rules on what makes a request malformed.

A POST body is read in chunks and refused with 413 as soon as it passes the size limit, so an
oversized body is never held whole. A request holding more than one query (two ``query``
parameters, or a query both in the URL and in the body) is refused with 400.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request

from causal_web.api.problems import ProblemError

__all__ = ["FORMAT_KEYS", "SparqlRequest", "read_get", "read_post"]

FORMAT_KEYS = ("format", "output", "results")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass
class SparqlRequest:
    """One protocol request: a query (or an update, which is refused) and its dataset."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    update: bool = False


def _one_query(values: list[str]) -> str | None:
    if len(values) > 1:
        raise ProblemError(
            400,
            f"The request holds {len(values)} queries; send exactly one 'query' per request.",
            kind="bad-parameter",
            title="More than one query",
            parameter="query",
        )
    return values[0] if values else None


def _values(key: str, *sources: QueryParams | FormData) -> list[str]:
    return [str(value) for source in sources for value in source.getlist(key)]


def _from(sources: tuple[QueryParams | FormData, ...], query: str | None) -> SparqlRequest:
    return SparqlRequest(
        query=query,
        default_graphs=_values("default-graph-uri", *sources),
        named_graphs=_values("named-graph-uri", *sources),
        formats=[v for key in FORMAT_KEYS for v in _values(key, *sources)],
        update=any(source.getlist("update") for source in sources),
    )


def read_get(request: Request) -> SparqlRequest:
    """The protocol request of a GET (its query string)."""
    params = request.query_params
    return _from((params,), _one_query(params.getlist("query")))


async def _read_body(request: Request, limit: int) -> bytes:
    def too_large() -> ProblemError:
        return ProblemError(
            413,
            f"The request body is larger than the {limit:,} bytes this endpoint accepts.",
            kind="payload-too-large",
            title="Request body too large",
        )

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)


async def _parse_form(request: Request, body: bytes) -> FormData:
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form()
    except Exception as error:
        raise ProblemError(400, f"The form could not be read: {error}", kind="bad-parameter") from None


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    media, *params = (part.strip() for part in header.split(";"))
    options = {}
    for param in params:
        key, _, value = param.partition("=")
        options[key.strip().lower()] = value.strip().strip('"').lower()
    return media.lower(), options


async def read_post(request: Request, limit: int) -> SparqlRequest:
    """The protocol request of a POST: a form, or a query (or update) as the whole body.

    Raises :class:`ProblemError` for a body over ``limit`` bytes (413), a body that is not
    UTF-8 (400 or 415), an unsupported Content-Type (415) and more than one query (400).
    """
    media, options = _media_type(request)
    params = request.query_params
    if media in _FORM_TYPES:
        form = await _parse_form(request, await _read_body(request, limit))
        queries = params.getlist("query") + [str(q) for q in form.getlist("query")]
        return _from((params, form), _one_query(queries))
    if media == "application/sparql-update":
        return SparqlRequest(query=None, update=True)
    if media == "application/sparql-query":
        charset = options.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise ProblemError(
                415,
                f"The query body must be UTF-8, not {charset}.",
                kind="unsupported-media-type",
                title="Unsupported Media Type",
            )
        body = await _read_body(request, limit)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProblemError(
                400, "The query body is not UTF-8 text.", kind="bad-parameter", parameter="query"
            ) from None
        if params.getlist("query"):
            _one_query([*params.getlist("query"), text])
        return _from((params,), text)
    raise ProblemError(
        415,
        f"POST a query as application/x-www-form-urlencoded or application/sparql-query, not "
        f"{media or 'a body without a Content-Type'}.",
        kind="unsupported-media-type",
        title="Unsupported Media Type",
    )
