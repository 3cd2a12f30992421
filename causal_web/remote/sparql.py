"""The /sparql endpoint's runner for a remote store: the same checks and limits as
:class:`~causal_web.rdf.sparql.SparqlRunner`, with the query sent to the store over HTTP.

Before anything is sent, a query passes the endpoint's own checks (updates, SERVICE and deep
nesting refused; :func:`~causal_web.rdf.sparql.check_query`) and pyoxigraph's parser, so a bad
query gets the same 400 as on the embedded store. SELECT gets the row cap as a LIMIT, as on the
embedded store. The query goes to the store with the dataset of the embedded endpoint spelled
out: unless the request or the query names graphs, ``default-graph-uri`` and ``named-graph-uri``
list every graph of the knowledge base, so the default graph is their union whatever the store's
own default graph is (Virtuoso's is every graph it holds, Oxigraph's and Fuseki's an empty one).

The store answers SELECT and ASK as SPARQL JSON and CONSTRUCT and DESCRIBE as N-Triples;
the answer is parsed and written again in the format the client negotiated, by the same
writers the embedded store uses, so both answer the same bytes for the same solutions, row
counts and truncation headers included.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence

import pyoxigraph as ox

from causal_web.errors import QueryError
from causal_web.rdf.query_text import cap_select
from causal_web.rdf.sparql import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    RESULT_FORMATS,
    SOLUTION_MEDIA_TYPES,
    QueryTimeoutError,
    SparqlBusyError,
    SparqlResult,
    SparqlSyntaxError,
    _count_rows,
    _graph_arguments,
    _triples,
    check_query,
    media_type_for,
)
from causal_web.remote.client import (
    RemoteStoreError,
    RemoteTimeoutError,
    SparqlClient,
    parse_results,
    result_rows,
)

__all__ = ["RemoteSparqlRunner"]

_SYNTAX_STORE = ox.Store()  # empty: only its parser is used


def _boolean_from_rows(results: ox.QuerySolutions, url: str) -> ox.QueryBoolean:
    """An ASK answered as one row holding 1 or 0 (Virtuoso's ``__ASK_RETVAL``), as a boolean."""
    rows = result_rows(results, url)
    values = [term.value for row in rows[:1] for term in row if term is not None]
    answer = bool(values) and values[0] not in ("0", "false")
    boolean = ox.parse_query_results(json.dumps({"head": {}, "boolean": answer}), ox.QueryResultsFormat.JSON)
    assert isinstance(boolean, ox.QueryBoolean)
    return boolean


class RemoteSparqlRunner:
    """Runs /sparql queries on a remote store with the embedded runner's interface (``run``,
    ``start``, ``close``, ``timeout``, ``max_rows``, ``wait``, ``memory_limit``, ``pids``).

    At most ``workers`` queries are sent at once; a query that finds no free place within
    ``wait`` seconds gets :class:`SparqlBusyError`. One that the store does not answer within
    ``timeout`` gets :class:`QueryTimeoutError` (the store may go on running it: set its own
    query timeout as well, see docs/deployment.md).
    """

    memory_limit: int | None = None  # the store's own business
    network_isolated = False  # queries leave this process by design
    pids: list[int] = []  # noqa: RUF012 - no worker processes

    def __init__(
        self,
        client: SparqlClient,
        graphs: Sequence[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        workers: int = 2,
        wait: float | None = None,
        base_iri: str | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, not {max_rows}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.client = client
        self.graphs = list(graphs)
        self.timeout = timeout
        self.max_rows = max_rows
        self.size = workers
        self.wait = timeout if wait is None else wait
        self.base_iri = base_iri
        self._places = threading.BoundedSemaphore(workers)

    @property
    def endpoint(self) -> str:
        return self.client.query_url or ""

    def start(self) -> RemoteSparqlRunner:
        return self

    def close(self) -> None:
        """Nothing to stop: each query is one HTTP request."""

    def __enter__(self) -> RemoteSparqlRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _text(self, text: str) -> str:
        """The query as sent: relative IRIs resolve against the base IRI, as on the embedded
        store (a BASE of the query's own comes later and wins)."""
        return f"BASE <{self.base_iri}>\n{text}" if self.base_iri else text

    def run(
        self,
        query: str,
        *,
        accept: str | None = None,
        formats: Sequence[str] = (),
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        deadline: float | None = None,
    ) -> SparqlResult:
        """Check, send and re-serialise one query; raise the error it caused, if any."""
        shape = check_query(query)
        form = shape.form or "SELECT"
        media_type = media_type_for(form, accept, formats)
        _graph_arguments(default_graphs, named_graphs)  # reject bad graph IRIs before sending
        try:
            _SYNTAX_STORE.query(shape.text, base_iri=self.base_iri)
        except SyntaxError as error:
            raise SparqlSyntaxError(f"The query is not valid SPARQL: {error}") from None
        if default_graphs or named_graphs:
            dataset = {"default_graphs": list(default_graphs), "named_graphs": list(named_graphs)}
        elif shape.has_dataset:
            dataset = {}
        else:
            dataset = {"default_graphs": self.graphs, "named_graphs": self.graphs}
        text = cap_select(shape, self.max_rows) if form == "SELECT" else shape.text
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        wait = (time.monotonic() + self.wait if deadline is None else deadline) - time.monotonic()
        if not self._places.acquire(timeout=max(wait, 0)):
            raise SparqlBusyError(
                f"Every place for a query stayed busy for {self.wait:g} s; try again shortly.",
                retry_after=self.timeout,
            )
        try:
            answer = self.client.query(
                self._text(text),
                accept="application/n-triples" if graph_form else "application/sparql-results+json",
                timeout=self.timeout,
                **dataset,
            )
        except RemoteTimeoutError:
            raise QueryTimeoutError(self.timeout) from None
        except RemoteStoreError as error:
            if error.status is not None and 400 <= error.status < 500:
                raise QueryError(f"The SPARQL store refused the query: {error}", "query") from None
            raise
        finally:
            self._places.release()
        if graph_form:
            return self._graph_result(answer.body, form, media_type)
        results = parse_results(answer, self.endpoint)
        if form == "ASK" and isinstance(results, ox.QuerySolutions):
            results = _boolean_from_rows(results, self.endpoint)
        if isinstance(results, ox.QueryBoolean):
            body = results.serialize(format=RESULT_FORMATS[SOLUTION_MEDIA_TYPES[media_type]])
            return SparqlResult("ASK", media_type, body, 1, False)
        fmt = SOLUTION_MEDIA_TYPES[media_type]
        try:
            body = results.serialize(format=RESULT_FORMATS[fmt])
        except (SyntaxError, ValueError) as error:
            raise RemoteStoreError(
                f"The SPARQL store at {self.endpoint} sent a result that cannot be read: {error}",
                self.endpoint,
            ) from None
        rows = _count_rows(body, fmt)
        capped = shape.limit is None or shape.limit > self.max_rows
        return SparqlResult("SELECT", media_type, body, rows, capped and rows >= self.max_rows)

    def _graph_result(self, body: bytes, form: str, media_type: str) -> SparqlResult:
        try:
            triples = (quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            return _triples(triples, form, media_type, self.max_rows)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise RemoteStoreError(
                f"The SPARQL store at {self.endpoint} sent a {form} result that is not valid N-Triples: "
                f"{error}",
                self.endpoint,
            ) from None
