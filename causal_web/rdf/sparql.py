"""Read-only SPARQL 1.1 queries on the embedded store, bounded in time and in result rows.

pyoxigraph has no query timeout, and a query cannot be interrupted from another thread. So
every query runs in a worker process forked from the process that holds the store: the worker
shares the store's memory copy-on-write, runs one query at a time, and serialises the results.
When a query outlives its time limit the worker is killed (which really stops the query) and a
fresh one is forked in its place. The caller only waits on a pipe, so a server that calls
:meth:`SparqlRunner.run` from a thread keeps answering other requests meanwhile.

The endpoint is read only three times over: updates are refused by their first keyword before
anything runs, pyoxigraph's ``Store.query`` cannot execute an update (it reports a syntax
error), and a worker only ever holds a forked copy of the store.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import re
import signal
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from causal_web.errors import CausalWebError, QueryError
from causal_web.rdf.mapping import PREFIXES

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "GRAPH_MEDIA_TYPES",
    "QUERY_FORMS",
    "SOLUTION_MEDIA_TYPES",
    "NotAcceptableError",
    "QueryTimeoutError",
    "SparqlBusyError",
    "SparqlResult",
    "SparqlRunner",
    "SparqlSyntaxError",
    "UpdateRefusedError",
    "execute_query",
    "media_type_for",
    "negotiate",
    "query_form",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

# Media type -> result format, in the server's order of preference (the first is the default).
SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "ttl",
    "application/turtle": "ttl",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/plain": "nt",
}
# Values of the ``format`` request parameter some clients send instead of (or as well as) Accept.
_FORMAT_ALIASES: dict[str, tuple[str | None, str | None]] = {
    # name: (media type for SELECT/ASK, media type for CONSTRUCT/DESCRIBE)
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "rdf+xml": (None, "application/rdf+xml"),
    "rdfxml": (None, "application/rdf+xml"),
}
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class SparqlSyntaxError(QueryError):
    """The text is not a SPARQL 1.1 query."""


class UpdateRefusedError(QueryError):
    """A SPARQL update was sent to the read-only endpoint."""


class NotAcceptableError(QueryError):
    """No result format the client accepts suits the query; ``supported`` lists those that would."""

    def __init__(self, message: str, supported: Sequence[str]) -> None:
        self.supported = list(supported)
        super().__init__(message)

    def __reduce__(self) -> tuple:
        # pickled across the worker's pipe
        return (type(self), (str(self), self.supported))


class QueryTimeoutError(CausalWebError):
    """A query ran longer than the time limit and was stopped."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(
            f"The query ran longer than the {timeout:g} s limit and was stopped. Narrow its patterns, "
            "avoid cross products of unconnected patterns, or add a LIMIT."
        )


class SparqlBusyError(CausalWebError):
    """Every query worker stayed busy for the whole wait."""


# -- the query text -------------------------------------------------------------------------

_SKIP = re.compile(r"(?:\s+|#[^\n\r]*)*")
_WORD = re.compile(r"[A-Za-z]+")
_PNAME_NS = re.compile(r"[^\s:<>#]*:")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    # SPARQL applies \u and \U escapes to the whole query string before parsing it.
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def query_form(text: str) -> str | None:
    """The form of a SPARQL request: SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when the
    text does not start like either (after its BASE and PREFIX declarations and comments)."""
    text = _unescape(text).lstrip("\ufeff")
    position = 0
    while True:
        position = _SKIP.match(text, position).end()  # type: ignore[union-attr]
        word = _WORD.match(text, position)
        if word is None:
            return None
        keyword = word.group().upper()
        position = word.end()
        if keyword in ("PREFIX", "BASE"):
            if keyword == "PREFIX":
                position = _SKIP.match(text, position).end()  # type: ignore[union-attr]
                name = _PNAME_NS.match(text, position)
                if name is None:
                    return None
                position = name.end()
            position = _SKIP.match(text, position).end()  # type: ignore[union-attr]
            iri = _IRIREF.match(text, position)
            if iri is None:
                return None
            position = iri.end()
            continue
        if keyword in QUERY_FORMS:
            return keyword
        if keyword in UPDATE_KEYWORDS:
            return "UPDATE"
        return None


# -- content negotiation --------------------------------------------------------------------


def _parse_accept(accept: str) -> list[tuple[str, str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else f"{media}/*"
        main, _, sub = media.partition("/")
        quality = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((main, sub, quality))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` that ``accept`` (an HTTP Accept header) prefers.

    No header, an empty one or ``*/*`` gives the first offered type. The most specific range
    that matches a type sets its quality; ties go to the order of ``offered``. None when the
    client accepts none of them.
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int] | None = None
    chosen = None
    for index, media in enumerate(offered):
        main, _, sub = media.lower().partition("/")
        specificity, quality = -1, 0.0
        for r_main, r_sub, r_quality in ranges:
            if r_main == main and r_sub == sub:
                level = 2
            elif r_main == main and r_sub == "*":
                level = 1
            elif r_main == "*" and r_sub == "*":
                level = 0
            else:
                continue
            if level > specificity:
                specificity, quality = level, r_quality
        if specificity >= 0 and quality > 0 and (best is None or quality > best[0]):
            best, chosen = (quality, -index), media
    return chosen


def media_type_for(form: str, accept: str | None = None, formats: Iterable[str] = ()) -> str:
    """The response media type for a query of ``form``.

    ``formats`` are values of a ``format`` request parameter (``json``, ``xml``, ``csv``, ``tsv``,
    ``ttl``, ``jsonld``, ``nt`` or a media type); the first that suits the form wins over
    ``accept``. Raises :class:`NotAcceptableError` when nothing the client asks for suits it.
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_MEDIA_TYPES if graph else SOLUTION_MEDIA_TYPES
    for value in formats:
        key = value.strip().lower()
        if key in table:
            return key
        alias = _FORMAT_ALIASES.get(key)
        if alias is not None and alias[graph] is not None:
            return alias[graph]  # type: ignore[return-value]
    chosen = negotiate(accept, list(table))
    if chosen is None:
        kind = "an RDF graph" if graph else "a results table"
        article = "An" if form == "ASK" else "A"
        raise NotAcceptableError(
            f"{article} {form} query gives {kind}, served as {', '.join(_primary(table))}; "
            f"the request accepts none of these (Accept: {accept}).",
            _primary(table),
        )
    return chosen


def _primary(table: Mapping[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for media, fmt in table.items():
        seen.setdefault(fmt, media)
    return list(seen.values())


# -- running one query ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SparqlResult:
    """One query's serialised results."""

    form: str
    media_type: str
    body: bytes
    rows: int
    truncated: bool


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        data: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            data["xml:lang"] = term.language
            if getattr(term, "direction", None):
                data["its:dir"] = str(term.direction.value).lower()
        elif term.datatype.value != _XSD_STRING:
            data["datatype"] = term.datatype.value
        return data
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


def _graph_arguments(default_graphs: Sequence[str], named_graphs: Sequence[str]) -> dict[str, Any]:
    try:
        if default_graphs or named_graphs:
            arguments: dict[str, Any] = {}
            if default_graphs:
                arguments["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                arguments["use_default_graph_as_union"] = True
            if named_graphs:
                arguments["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            return arguments
    except ValueError as error:
        raise QueryError(f"a graph IRI is not valid: {error}") from None
    return {"use_default_graph_as_union": True}


def execute_query(
    store: ox.Store,
    query: str,
    media_type: str | None = None,
    *,
    accept: str | None = None,
    formats: Sequence[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> SparqlResult:
    """Run ``query`` on ``store`` (the union of its graphs by default) in this process, with no
    time limit, and serialise at most ``max_rows`` rows (or triples) as ``media_type``
    (negotiated from ``accept`` and ``formats`` when None).

    Use :class:`SparqlRunner` to run untrusted queries: it adds the time limit.
    """
    if query_form(query) == "UPDATE":
        raise UpdateRefusedError("This endpoint is read only: SPARQL updates are refused.")
    arguments = _graph_arguments(default_graphs, named_graphs)
    try:
        results = store.query(query, **arguments)
    except SyntaxError as error:
        raise SparqlSyntaxError(f"The query is not valid SPARQL: {error}") from None
    if isinstance(results, ox.QueryBoolean):
        form = "ASK"
    elif isinstance(results, ox.QuerySolutions):
        form = "SELECT"
    else:
        form = query_form(query) or "CONSTRUCT"
    media_type = media_type or media_type_for(form, accept, formats)
    if form == "ASK":
        body = results.serialize(format=_RESULT_FORMATS[SOLUTION_MEDIA_TYPES[media_type]])
        return SparqlResult(form, media_type, body, 1, False)
    if form == "SELECT":
        return _solutions(results, media_type, max_rows)
    return _triples(results, form, media_type, max_rows)


def _solutions(results: ox.QuerySolutions, media_type: str, max_rows: int) -> SparqlResult:
    names = [v.value for v in results.variables]
    bindings = []
    truncated = False
    for solution in results:
        if len(bindings) >= max_rows:
            truncated = True
            break
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = _term_json(term)
        bindings.append(row)
    # The rows are written as SPARQL JSON here and converted by pyoxigraph for other formats,
    # because a capped result can no longer be serialised from pyoxigraph's own iterator.
    body = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    fmt = SOLUTION_MEDIA_TYPES[media_type]
    if fmt != "json":
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=_RESULT_FORMATS[fmt])
    return SparqlResult("SELECT", media_type, body, len(bindings), truncated)


def _triples(results: ox.QueryTriples, form: str, media_type: str, max_rows: int) -> SparqlResult:
    triples = []
    truncated = False
    for triple in results:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    fmt = GRAPH_MEDIA_TYPES[media_type]
    prefixes = PREFIXES if fmt in ("ttl", "rdfxml") else None
    body = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
    return SparqlResult(form, media_type, body, len(triples), truncated)


# -- worker processes -----------------------------------------------------------------------


def _serve(connection: Connection, parent_end: Connection, store: ox.Store) -> None:
    """A worker's loop: run each query it is sent and send back the result or the error."""
    parent_end.close()
    # Ctrl-C in a terminal reaches the whole process group; the server decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return  # the server has gone
        try:
            reply: tuple[str, Any] = ("ok", execute_query(store, **request))
        except CausalWebError as error:
            reply = ("error", error)
        except Exception as error:  # a query must never take the worker down
            reply = ("error", QueryError(f"The query could not be evaluated: {error}"))
        try:
            connection.send(reply)
        except Exception:
            try:
                connection.send(("error", QueryError("The query's results could not be sent.")))
            except Exception:
                return


class _Worker:
    def __init__(self, context: Any, store: ox.Store) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child_end, self.connection, store), daemon=True, name="causal-web-sparql"
        )
        self.process.start()
        child_end.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class SparqlRunner:
    """A pool of worker processes that run SPARQL queries on ``store`` with a time limit.

    ``run`` blocks until the result is ready, the time limit passes (the worker is killed and
    replaced, and :class:`QueryTimeoutError` is raised) or no worker comes free within
    ``wait`` seconds (default: the time limit; :class:`SparqlBusyError`). It is safe to call
    from many threads at once.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        workers: int = 2,
        wait: float | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, not {max_rows}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if wait is not None and wait < 0:
            raise ValueError(f"wait cannot be negative, not {wait}")
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.size = workers
        self.wait = timeout if wait is None else wait
        # fork: the workers share the loaded store's memory instead of rebuilding it.
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> SparqlRunner:
        """Fork the workers now (the service does this before it takes requests)."""
        with self._lock:
            if not self._started:
                for _ in range(self.size):
                    self._add_worker()
                self._started = True
        return self

    def close(self) -> None:
        """Stop every worker; queries still running are stopped too. ``start`` (or the next
        query) forks new ones."""
        with self._lock:
            workers, self._all = list(self._all), set()
            self._idle = queue.Queue()
            self._started = False
        for worker in workers:
            worker.stop()

    @property
    def pids(self) -> list[int]:
        """Process IDs of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    def __enter__(self) -> SparqlRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add_worker(self) -> None:
        worker = _Worker(self._context, self.store)
        self._all.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that ran over time or broke, and fork a replacement."""
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.discard(worker)
                self._add_worker()

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._idle.put(worker)
                return
        worker.stop()  # the pool was closed while it ran

    def _send(self, request: dict[str, Any]) -> _Worker:
        """Hand the request to an idle worker, replacing any that died while idle."""
        for _ in range(self.size + 1):
            try:
                worker = self._idle.get(timeout=self.wait)
            except queue.Empty:
                raise SparqlBusyError(
                    f"Every query worker stayed busy for {self.wait:g} s; try again shortly."
                ) from None
            try:
                worker.connection.send(request)
                return worker
            except OSError:
                self._retire(worker)
        raise SparqlBusyError("The query workers could not be reached; try again shortly.")

    def run(
        self,
        query: str,
        *,
        accept: str | None = None,
        formats: Sequence[str] = (),
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> SparqlResult:
        """Run a query within the time limit; raise the error it caused, if any."""
        if not query.strip():
            raise QueryError("The query is empty.")
        form = query_form(query)
        if form == "UPDATE":
            raise UpdateRefusedError("This endpoint is read only: SPARQL updates are refused.")
        if form is None:
            raise SparqlSyntaxError(
                "The query is not valid SPARQL: after any BASE and PREFIX declarations it must start "
                "with SELECT, ASK, CONSTRUCT or DESCRIBE."
            )
        media_type = media_type_for(form, accept, formats)
        _graph_arguments(default_graphs, named_graphs)  # reject bad graph IRIs before queueing
        request = {
            "query": query,
            "media_type": media_type,
            "max_rows": self.max_rows,
            "default_graphs": list(default_graphs),
            "named_graphs": list(named_graphs),
        }
        self.start()
        worker = self._send(request)
        try:
            if not worker.connection.poll(self.timeout):
                self._retire(worker)
                raise QueryTimeoutError(self.timeout)
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            self._retire(worker)
            raise QueryError("The query stopped its worker process; it was not completed.") from None
        self._release(worker)
        if status == "error":
            raise payload
        return payload
