"""A small SPARQL 1.1 client over the standard library: queries, updates and Graph Store
Protocol requests to a store that someone else runs (Oxigraph server, Fuseki, Virtuoso, GraphDB).

Every request has a timeout, and every failure becomes a :class:`RemoteStoreError` whose
message names the method, the address and the HTTP status (with the start of the store's own
explanation), so that the person reading it knows which store said what.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from causal_web.errors import CausalWebError

__all__ = [
    "DEFAULT_TIMEOUT",
    "RemoteStoreError",
    "RemoteTimeoutError",
    "SparqlClient",
    "graph_store_url",
]

DEFAULT_TIMEOUT = 60.0
_EXCERPT = 300  # characters of a store's error body quoted in a message
_JSON_RESULTS = "application/sparql-results+json"


class RemoteStoreError(CausalWebError):
    """A remote SPARQL store could not be reached or refused a request. ``status`` is the HTTP
    status (None when no answer came) and ``url`` the address asked."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)

    def __reduce__(self) -> tuple:
        return (type(self), (str(self), self.url, self.status))


class RemoteTimeoutError(RemoteStoreError):
    """The store did not answer within the timeout."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A store's answer: its status, media type and body."""

    status: int
    media_type: str
    body: bytes


def graph_store_url(graph_store: str, graph: str | None) -> str:
    """The Graph Store Protocol address of ``graph`` (None: the default graph), indirect
    identification (``?graph=`` or ``?default``)."""
    joiner = "&" if "?" in graph_store else "?"
    if graph is None:
        return f"{graph_store}{joiner}default"
    return f"{graph_store}{joiner}graph={urllib.parse.quote(graph, safe='')}"


class SparqlClient:
    """Talks to one store: ``query_url`` answers queries, ``update_url`` (optional) takes
    updates, ``graph_store`` (optional) is its Graph Store Protocol address."""

    def __init__(
        self,
        query_url: str | None = None,
        *,
        update_url: str | None = None,
        graph_store: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        for name, url in (("query", query_url), ("update", update_url), ("graph store", graph_store)):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise RemoteStoreError(
                    f"The {name} endpoint must be an http:// or https:// address, not {url!r}.", url
                )
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store = graph_store
        self.timeout = timeout

    # -- raw requests ------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        *,
        content_type: str | None = None,
        accept: str | None = None,
        timeout: float | None = None,
    ) -> Answer:
        """Send one request; raise :class:`RemoteStoreError` unless the status is 2xx."""
        headers = {"User-Agent": "causal-web"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        wait = self.timeout if timeout is None else timeout
        try:
            with urllib.request.urlopen(request, timeout=wait) as response:  # noqa: S310 - http(s) only
                data = response.read()
                media = response.headers.get_content_type()
                return Answer(response.status, media, data)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace").strip()
            excerpt = " ".join(text.split())[:_EXCERPT]
            said = f": {excerpt}" if excerpt else ""
            raise RemoteStoreError(
                f"{method} {url} failed: the SPARQL store answered HTTP {error.code} {error.reason}{said}",
                url,
                error.code,
            ) from None
        except TimeoutError:
            raise RemoteTimeoutError(
                f"{method} {url} failed: the SPARQL store did not answer within {wait:g} s.", url
            ) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise RemoteTimeoutError(
                    f"{method} {url} failed: the SPARQL store did not answer within {wait:g} s.", url
                ) from None
            raise RemoteStoreError(
                f"{method} {url} failed: could not reach the SPARQL store ({reason}). Check that it "
                "is running and that the address is right.",
                url,
            ) from None
        except (OSError, ValueError) as error:
            raise RemoteStoreError(f"{method} {url} failed: {error}", url) from None

    # -- SPARQL 1.1 Protocol -----------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        accept: str = _JSON_RESULTS,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Answer:
        """POST a query as a form (the protocol's "query via URL-encoded POST"), with the
        dataset given by ``default-graph-uri`` and ``named-graph-uri``."""
        if self.query_url is None:
            raise RemoteStoreError("No query endpoint was given for the SPARQL store.", "")
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in default_graphs]
        fields += [("named-graph-uri", g) for g in named_graphs]
        body = urllib.parse.urlencode(fields).encode("ascii")
        return self.request(
            "POST",
            self.query_url,
            body,
            content_type="application/x-www-form-urlencoded",
            accept=accept,
            timeout=timeout,
        )

    def select(self, text: str, **kwargs: object) -> list[ox.QuerySolution]:
        """Run a SELECT; its rows, parsed from SPARQL JSON."""
        answer = self.query(text, accept=_JSON_RESULTS, **kwargs)  # type: ignore[arg-type]
        results = parse_results(answer, self.query_url or "")
        if not isinstance(results, ox.QuerySolutions):
            raise RemoteStoreError(
                f"The SPARQL store at {self.query_url} answered a SELECT with a boolean.", ""
            )
        return result_rows(results, self.query_url or "")

    def update(self, text: str) -> None:
        """POST a SPARQL update (``application/sparql-update``)."""
        if self.update_url is None:
            raise RemoteStoreError("No update endpoint was given for the SPARQL store.", "")
        self.request("POST", self.update_url, text.encode("utf-8"), content_type="application/sparql-update")

    # -- Graph Store Protocol ----------------------------------------------------------------

    def put_graph(self, graph: str | None, ntriples: bytes, *, replace: bool = True) -> None:
        """PUT (replace) or POST (add to) one graph's triples as N-Triples."""
        if self.graph_store is None:
            raise RemoteStoreError("No Graph Store Protocol address was given.", "")
        self.request(
            "PUT" if replace else "POST",
            graph_store_url(self.graph_store, graph),
            ntriples,
            content_type="application/n-triples",
        )


def _blank_label(value: str) -> str:
    """A label pyoxigraph takes for a store's blank node (Virtuoso's are ``nodeID://b1234``)."""
    try:
        ox.BlankNode(value)
        return value
    except ValueError:
        return "b" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:24]  # noqa: S324 - a label


def _standard_json(body: bytes) -> bytes:
    """SPARQL JSON results as the Recommendation spells them: blank node labels pyoxigraph
    accepts, and ``typed-literal`` (an older draft, which Virtuoso still writes) as ``literal``."""
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            elif term.get("type") == "bnode":
                term["value"] = _blank_label(str(term.get("value", "")))
    return json.dumps(document).encode("utf-8")


def parse_results(answer: Answer, url: str) -> ox.QuerySolutions | ox.QueryBoolean:
    """Parse a SPARQL JSON or XML results document from the store."""
    xml = answer.media_type.endswith("xml")
    fmt = ox.QueryResultsFormat.XML if xml else ox.QueryResultsFormat.JSON
    try:
        return ox.parse_query_results(answer.body if xml else _standard_json(answer.body), format=fmt)
    except (SyntaxError, ValueError) as error:
        raise RemoteStoreError(
            f"The SPARQL store at {url} sent results that are not valid {fmt.name}: {error}", url
        ) from None


def result_rows(results: ox.QuerySolutions, url: str) -> list[ox.QuerySolution]:
    """Every row of ``results``, read now, so that a bad value is reported as the store's."""
    try:
        return list(results)
    except (SyntaxError, ValueError) as error:
        raise RemoteStoreError(
            f"The SPARQL store at {url} sent a result that cannot be read: {error}", url
        ) from None
