"""Read-only SPARQL 1.1 queries on the embedded store, bounded in time, memory and result rows.

pyoxigraph has no query timeout, and a query cannot be interrupted from another thread. So
every query runs in a worker process forked from the process that holds the store: the worker
shares the store's memory copy-on-write, runs one query at a time, and serialises the results.
When a query outlives its time limit the worker is killed (which really stops the query) and a
fresh one is forked in its place. The caller only waits on a pipe, so a server that calls
:meth:`SparqlRunner.run` from a thread keeps answering other requests meanwhile.

Each worker caps its own address space (``RLIMIT_AS``), so a query that would take the
machine's memory makes its worker fail instead; the worker is replaced. Each worker also moves
into a network namespace of its own where the system allows it.

The endpoint is read only three times over: updates are refused by their first keyword before
anything runs, pyoxigraph's ``Store.query`` cannot execute an update (it reports a syntax
error), and a worker only ever holds a forked copy of the store. It sends no requests: SERVICE
is refused before anything runs (see :mod:`causal_web.rdf.query_text`), and an isolated worker
has no network to send them on.
"""

from __future__ import annotations

import csv
import ctypes
import faulthandler
import gc
import io
import multiprocessing
import queue
import resource
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from causal_web.errors import CausalWebError, QueryError
from causal_web.rdf.mapping import PREFIXES
from causal_web.rdf.negotiation import negotiate
from causal_web.rdf.query_text import (
    QUERY_FORMS,
    QueryShape,
    QueryTextError,
    QueryTooDeepError,
    ServiceRefusedError,
    cap_select,
    inspect_query,
)
from causal_web.rdf.sparql_formats import (
    GRAPH_MEDIA_TYPES,
    RDF_FORMATS,
    RESULT_FORMATS,
    SOLUTION_MEDIA_TYPES,
    NotAcceptableError,
    media_type_for,
)

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIMEOUT",
    "GRAPH_MEDIA_TYPES",
    "QUERY_FORMS",
    "SOLUTION_MEDIA_TYPES",
    "NotAcceptableError",
    "QueryTextError",
    "QueryTimeoutError",
    "QueryTooDeepError",
    "ServiceRefusedError",
    "SparqlBusyError",
    "SparqlMemoryError",
    "SparqlResult",
    "SparqlRunner",
    "SparqlSyntaxError",
    "UpdateRefusedError",
    "check_query",
    "execute_query",
    "media_type_for",
    "negotiate",
    "query_form",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_LIMIT = 1024 * 2**20
"""Bytes a worker's address space may grow by while it runs queries (1 GiB)."""


class SparqlSyntaxError(QueryError):
    """The text is not a SPARQL 1.1 query."""


class UpdateRefusedError(QueryError):
    """A SPARQL update was sent to the read-only endpoint."""


class QueryTimeoutError(CausalWebError):
    """A query ran longer than the time limit and was stopped."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(
            f"The query ran longer than the {timeout:g} s limit and was stopped. Narrow its patterns, "
            "avoid cross products of unconnected patterns, or add a LIMIT."
        )


class SparqlBusyError(CausalWebError):
    """Every query worker stayed busy for the whole wait; ``retry_after`` suggests when to try
    again, in seconds."""

    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class SparqlMemoryError(CausalWebError):
    """A query needed more memory than a worker may use, and was stopped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"The query needed more memory than the {limit / 2**20:g} MiB a query may use, and was "
            "stopped. Narrow its patterns, avoid cross products of unconnected patterns, or sort "
            "fewer rows (ORDER BY holds every solution in memory)."
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.limit,))


# -- the query text -------------------------------------------------------------------------


def query_form(text: str) -> str | None:
    """The form of a SPARQL request: SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when its
    first keyword (after BASE and PREFIX declarations and comments) is none of these, or when
    the text cannot be tokenised as SPARQL at all."""
    try:
        return inspect_query(text).form
    except QueryError:
        return None


def check_query(text: str) -> QueryShape:
    """Tokenise a request and refuse what the endpoint never runs: updates, SERVICE (any
    spelling), nesting past :data:`~causal_web.rdf.query_text.MAX_NESTING`, and text that does
    not start as a query. Returns what was found; pyoxigraph's parser judges the rest."""
    if not text.strip():
        raise QueryError("The query is empty.", "query")
    shape = inspect_query(text)
    if shape.form == "UPDATE":
        raise UpdateRefusedError("This endpoint is read only: SPARQL updates are refused.")
    if shape.form is None:
        raise SparqlSyntaxError(
            "The query is not valid SPARQL: after any BASE and PREFIX declarations it must start "
            "with SELECT, ASK, CONSTRUCT or DESCRIBE."
        )
    if shape.has_service:
        raise ServiceRefusedError(
            "SERVICE is refused: this endpoint answers from its own data and sends no requests to "
            "other endpoints. Run federated queries from a client or an endpoint of your own."
        )
    return shape


# -- running one query ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SparqlResult:
    """One query's serialised results."""

    form: str
    media_type: str
    body: bytes
    rows: int
    truncated: bool


def _graph_arguments(
    default_graphs: Sequence[str], named_graphs: Sequence[str], query_has_dataset: bool = False
) -> dict[str, Any]:
    """pyoxigraph's dataset arguments. Graphs named by the protocol replace any FROM and FROM
    NAMED of the query (SPARQL 1.1 Protocol, 2.1.4); the query's own FROM and FROM NAMED are
    honoured otherwise; with neither, the default graph is the union of every graph."""
    try:
        if default_graphs or named_graphs:
            return {
                "default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs],
            }
    except ValueError as error:
        raise QueryError(f"a graph IRI is not valid: {error}") from None
    if query_has_dataset:
        return {}
    return {"use_default_graph_as_union": True}


def _count_json_rows(body: bytes) -> int:
    """Rows in a SPARQL JSON results document pyoxigraph wrote, without parsing it into
    objects (that took a tenth of a large query's time). With the strings cut out, the only
    arrays left hold strings (``vars``, ``link``) or the rows (``bindings``), and a value inside
    a row is always a key's value, so ``},{`` only ever separates two rows."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[0::2])
    return outside.count(b"},{") + int(b"[{" in outside)


def _count_rows(body: bytes, fmt: str) -> int:
    """Rows in a results document pyoxigraph wrote (its writers put no raw newline or ``<``
    inside a TSV or XML value)."""
    if fmt == "json":
        return _count_json_rows(body)
    if fmt == "xml":
        return body.count(b"<result>")
    if fmt == "tsv":
        return max(body.count(b"\n") - 1, 0) if body.endswith(b"\n") else body.count(b"\n")
    return max(sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1, 0)


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
    base_iri: str | None = None,
) -> SparqlResult:
    """Run ``query`` on ``store`` in this process, with no time limit, and serialise at most
    ``max_rows`` rows (or triples) as ``media_type`` (negotiated from ``accept`` and ``formats``
    when None). Relative IRIs in the query resolve against ``base_iri``.

    The default graph is the union of the store's graphs unless the query has FROM / FROM
    NAMED or graphs are named here (as the protocol's ``default-graph-uri`` and
    ``named-graph-uri`` do). Use :class:`SparqlRunner` to run untrusted queries: it adds the
    time limit and the memory cap.
    """
    shape = check_query(query)
    media_type = media_type or media_type_for(shape.form or "SELECT", accept, formats)
    arguments = _graph_arguments(default_graphs, named_graphs, shape.has_dataset)
    text = cap_select(shape, max_rows) if shape.form == "SELECT" else shape.text
    try:
        results = store.query(text, base_iri=base_iri, **arguments)
    except SyntaxError as error:
        raise SparqlSyntaxError(f"The query is not valid SPARQL: {error}") from None
    if isinstance(results, ox.QueryBoolean):
        body = results.serialize(format=RESULT_FORMATS[SOLUTION_MEDIA_TYPES[media_type]])
        return SparqlResult("ASK", media_type, body, 1, False)
    if isinstance(results, ox.QuerySolutions):
        fmt = SOLUTION_MEDIA_TYPES[media_type]
        body = results.serialize(format=RESULT_FORMATS[fmt])
        rows = _count_rows(body, fmt)
        # The cap is a LIMIT in the query, so a result that fills it may have been cut short.
        capped = shape.limit is None or shape.limit > max_rows
        return SparqlResult("SELECT", media_type, body, rows, capped and rows >= max_rows)
    return _triples(results, shape.form or "CONSTRUCT", media_type, max_rows)


def _triples(results: ox.QueryTriples, form: str, media_type: str, max_rows: int) -> SparqlResult:
    # A LIMIT counts solutions, not the triples each one makes, so triples are capped here.
    triples = []
    truncated = False
    for triple in results:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    fmt = GRAPH_MEDIA_TYPES[media_type]
    prefixes = PREFIXES if fmt in ("ttl", "rdfxml") else None
    body = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
    return SparqlResult(form, media_type, body, len(triples), truncated)


# -- worker processes -----------------------------------------------------------------------

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _isolate_network() -> bool:
    """Move this (single-threaded, just forked) process into a network namespace of its own,
    which has no interface but a loopback that is down: no connection can leave it, whatever
    library tries. Needs CAP_SYS_ADMIN, or unprivileged user namespaces; False where neither
    is available (then the SERVICE refusal is the only guard)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    return any(unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


def _cap_memory(limit: int | None) -> None:
    """Let this process's address space grow by at most ``limit`` bytes past its size now (the
    forked copy of the server). An allocation past it fails, and the worker dies of it."""
    if limit is None:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: no /proc to measure from, so no cap
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + limit
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _serve(
    connection: Connection,
    parent_end: Connection,
    store: ox.Store,
    memory_limit: int | None,
    isolate: bool,
) -> None:
    """A worker's loop: run each query it is sent and send back the result or the error."""
    parent_end.close()
    # Ctrl-C in a terminal reaches the whole process group; the server decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A query that reaches the memory cap aborts this process on purpose; a Python traceback
    # dump of it (pytest and -X faulthandler turn those on) would only alarm.
    faulthandler.disable()
    # The objects inherited from the server are never garbage here: keep the collector off
    # them, so that its full passes neither take a query's time nor copy the shared pages.
    gc.freeze()
    isolated = _isolate_network() if isolate else False
    _cap_memory(memory_limit)
    try:
        connection.send(("ready", isolated))
    except OSError:
        return
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return  # the server has gone
        retire = False
        try:
            reply: tuple[str, Any] = ("ok", execute_query(store, **request))
        except CausalWebError as error:
            reply = ("error", error)
        except MemoryError:
            reply, retire = ("error", SparqlMemoryError(memory_limit or 0)), True
        except Exception as error:  # a query must never take the worker down
            reply = ("error", QueryError(f"The query could not be evaluated: {error}"))
        try:
            connection.send(reply)
        except Exception:
            try:
                connection.send(("error", QueryError("The query's results could not be sent.")))
            except Exception:
                return
        if retire:
            return  # a fresh worker starts with a clean heap


class _Worker:
    def __init__(self, context: Any, store: ox.Store, memory_limit: int | None, isolate: bool) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child_end, self.connection, store, memory_limit, isolate),
            daemon=True,
            name="causal-web-sparql",
        )
        self.process.start()
        child_end.close()
        self.network_isolated: bool | None = None  # known once the worker says it is ready

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Read the worker's first message, which says whether it has a network. Raises
        OSError when it does not come, so that the worker is replaced rather than used."""
        if self.network_isolated is None:
            if not self.connection.poll(timeout):
                raise OSError("the query worker did not start")
            _, self.network_isolated = self.connection.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class SparqlRunner:
    """A pool of worker processes that run SPARQL queries on ``store`` with a time limit and a
    memory cap.

    ``run`` blocks until the result is ready, the time limit passes (the worker is killed and
    replaced, and :class:`QueryTimeoutError` is raised), the query needs more than
    ``memory_limit`` bytes (:class:`SparqlMemoryError`, the worker is replaced) or no worker
    comes free within ``wait`` seconds (default: the time limit; :class:`SparqlBusyError`).
    Each worker runs in a network namespace of its own where the system allows it (see
    :attr:`network_isolated`). It is safe to call from many threads at once.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        workers: int = 2,
        wait: float | None = None,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        base_iri: str | None = None,
        isolate_network: bool = True,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, not {max_rows}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if wait is not None and wait < 0:
            raise ValueError(f"wait cannot be negative, not {wait}")
        if memory_limit is not None and memory_limit < 16 * 2**20:
            raise ValueError(f"memory_limit must be at least 16 MiB, not {memory_limit} bytes")
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.size = workers
        self.wait = timeout if wait is None else wait
        self.memory_limit = memory_limit
        self.base_iri = base_iri
        self.isolate_network = isolate_network
        # fork: the workers share the loaded store's memory instead of rebuilding it.
        self._context = multiprocessing.get_context("fork")
        # Last in, first out: one query after another goes to the same warm worker (its store
        # caches and heap already paged in), not to each worker in turn.
        self._idle: queue.Queue[_Worker] = queue.LifoQueue()
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
            self._idle = queue.LifoQueue()
            self._started = False
        for worker in workers:
            worker.stop()

    @property
    def pids(self) -> list[int]:
        """Process IDs of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    @property
    def network_isolated(self) -> bool:
        """True when every live worker runs without network access (its own empty network
        namespace); False when any could not be isolated (or the pool is not started)."""
        with self._lock:
            workers = list(self._all)
        try:
            for worker in workers:
                worker.wait_ready()
        except (OSError, EOFError):
            return False
        return bool(workers) and all(w.network_isolated for w in workers)

    def __enter__(self) -> SparqlRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add_worker(self) -> None:
        worker = _Worker(self._context, self.store, self.memory_limit, self.isolate_network)
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

    def _send(self, request: dict[str, Any], deadline: float) -> _Worker:
        """Hand the request to an idle worker, replacing any that died while idle."""
        for _ in range(self.size + 1):
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise SparqlBusyError(
                    f"Every query worker stayed busy for {self.wait:g} s; try again shortly.",
                    retry_after=self.timeout,
                ) from None
            try:
                worker.wait_ready()
                worker.connection.send(request)
                return worker
            except (OSError, EOFError):
                self._retire(worker)
        raise SparqlBusyError("The query workers could not be reached; try again shortly.", retry_after=1)

    def _died(self, worker: _Worker) -> CausalWebError:
        """The error for a worker that died during a query (it is replaced)."""
        self._retire(worker)
        if self.memory_limit is not None and worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL):
            # Rust aborts the process when an allocation fails, which the cap makes happen.
            return SparqlMemoryError(self.memory_limit)
        return QueryError("The query stopped its worker process; it was not completed.", "query")

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
        """Run a query within the time limit; raise the error it caused, if any.

        ``deadline`` (a :func:`time.monotonic` time) bounds the wait for a free worker; by
        default it is ``wait`` seconds from now.
        """
        shape = check_query(query)
        media_type = media_type_for(shape.form or "SELECT", accept, formats)
        _graph_arguments(default_graphs, named_graphs)  # reject bad graph IRIs before queueing
        request = {
            "query": query,
            "media_type": media_type,
            "max_rows": self.max_rows,
            "default_graphs": list(default_graphs),
            "named_graphs": list(named_graphs),
            "base_iri": self.base_iri,
        }
        self.start()
        worker = self._send(request, time.monotonic() + self.wait if deadline is None else deadline)
        try:
            if not worker.connection.poll(self.timeout):
                self._retire(worker)
                raise QueryTimeoutError(self.timeout)
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            raise self._died(worker) from None
        if isinstance(payload, SparqlMemoryError):
            self._retire(worker)
        else:
            self._release(worker)
        if status == "error":
            raise payload
        return payload
