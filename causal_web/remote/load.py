"""A knowledge base built from a remote SPARQL store: ``load_remote(endpoint)``.

At start-up the store's graphs under ``{base}graphs/`` are listed and their quads fetched with
paged SELECTs (any SPARQL 1.1 store answers those; no Graph Store Protocol is needed). The
records are rebuilt from the quads (:func:`causal_web.rdf.read_back.reviews_from_quads`), so the
JSON routes, chains and the explorer work as on local files, and the causal web is built from
them as usual.

The fetched quads are also kept in an in-memory pyoxigraph store (``kb.store``), which answers
the lookups of linked-data dereferencing and ``/cmocs/{id}`` in RDF: those take one
``quads_for_pattern`` per sub-node of a resource, a dozen or more for a CMOC, which over HTTP
would cost a round trip each; from memory they take microseconds, and they answer from the same
snapshot as the records, so a record's JSON and its RDF never disagree. ``/sparql`` queries go
to the store itself (:class:`~causal_web.remote.sparql.RemoteSparqlRunner`), so they see what
the store holds now.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from causal_web.errors import CausalWebError
from causal_web.knowledge_base import KnowledgeBase
from causal_web.model.reviews import ConceptMapping
from causal_web.rdf.iris import DEFAULT_BASE_IRI
from causal_web.remote.client import DEFAULT_TIMEOUT, SparqlClient
from causal_web.review_set import Review, ReviewSet

if TYPE_CHECKING:
    from causal_web.model.records import Dataset
    from causal_web.remote.sparql import RemoteSparqlRunner

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "RemoteKnowledgeBase",
    "RemoteReviewSet",
    "fetch_quads",
    "list_graphs",
    "load_remote",
]

DEFAULT_PAGE_SIZE = 10_000
"""Rows per SELECT while fetching: Virtuoso's default cap on a result (ResultSetMaxRows)."""


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def list_graphs(client: SparqlClient, base_iri: str) -> list[str]:
    """The store's named graphs whose IRIs start with ``{base_iri}graphs/``, sorted."""
    prefix = f"{base_iri}graphs/"
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {_literal(prefix)})) }}"
    )
    graphs = {row["g"].value for row in client.select(query) if isinstance(row["g"], ox.NamedNode)}
    return sorted(graphs)


def _page(client: SparqlClient, graph: str, size: int, offset: int, ordered: bool) -> list[ox.Quad]:
    order = " ORDER BY ?s ?p ?o" if ordered else ""
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}{order} LIMIT {size} OFFSET {offset}"
    node = ox.NamedNode(graph)
    return [ox.Quad(row["s"], row["p"], row["o"], node) for row in client.select(query)]


def fetch_quads(client: SparqlClient, graph: str, page_size: int = DEFAULT_PAGE_SIZE) -> list[ox.Quad]:
    """Every quad of ``graph``: one SELECT when it fits in a page, else ordered pages (the
    order makes LIMIT/OFFSET pages disjoint)."""
    first = _page(client, graph, page_size, 0, ordered=False)
    if len(first) < page_size:
        return first
    quads: list[ox.Quad] = []
    while True:
        page = _page(client, graph, page_size, len(quads), ordered=True)
        quads += page
        if len(page) < page_size:
            return quads


class _FromStore:
    """What a knowledge base read from a remote store adds: the client, the graphs read, the
    snapshot of their quads as ``store``, and a /sparql runner that forwards to the store."""

    client: SparqlClient
    graphs: list[str]

    def _attach(self, client: SparqlClient, graphs: list[str], store: ox.Store) -> None:
        self.client = client
        self.graphs = graphs
        self.__dict__["store"] = store  # fills KnowledgeBase.store's cached_property slot

    @property
    def endpoint(self) -> str:
        return self.client.query_url or ""

    @cached_property
    def nquads(self) -> str:
        return self.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")  # type: ignore[attr-defined]

    def sparql_runner(self, **limits: Any) -> RemoteSparqlRunner:
        """The /sparql runner: queries go to the store, with the endpoint's checks and limits
        (``timeout``, ``max_rows``, ``workers``, ``wait``)."""
        from causal_web.remote.sparql import RemoteSparqlRunner

        base = self.base_iri  # type: ignore[attr-defined]
        return RemoteSparqlRunner(self.client, self.graphs, base_iri=base, **limits)


class RemoteKnowledgeBase(_FromStore, KnowledgeBase):
    """A knowledge base whose records come from a remote store; ``/sparql`` goes to the store."""

    def __init__(
        self,
        dataset: Dataset,
        client: SparqlClient,
        graphs: list[str],
        store: ox.Store,
        base_iri: str = DEFAULT_BASE_IRI,
    ) -> None:
        KnowledgeBase.__init__(self, dataset, base_iri=base_iri, data_dir=None)
        self._attach(client, graphs, store)


class RemoteReviewSet(_FromStore, ReviewSet):
    """Several reviews read from a remote store (each from its own graphs), side by side as
    ``load([A, B])`` puts them: ``review=`` and ``/reviews`` work as on files."""

    def __init__(
        self,
        reviews: Sequence[Review],
        mappings: Sequence[ConceptMapping],
        client: SparqlClient,
        graphs: list[str],
        store: ox.Store,
        base_iri: str = DEFAULT_BASE_IRI,
    ) -> None:
        ReviewSet.__init__(self, reviews, mappings, base_iri=base_iri)
        self._attach(client, graphs, store)


def load_remote(
    endpoint: str,
    update_endpoint: str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> RemoteKnowledgeBase | RemoteReviewSet:
    """Build a knowledge base from the store whose SPARQL query endpoint is ``endpoint``.

    Reads the graphs under ``{base_iri}graphs/`` (as ``causal-web push`` with the same base IRI
    wrote them): a :class:`RemoteReviewSet` when they hold several reviews (graphs
    ``{base}graphs/{review}/...``), else a :class:`RemoteKnowledgeBase`. ``update_endpoint`` is
    kept on the client for callers that write (``serve --data`` with ``--sparql-update-endpoint``
    pushes before it loads). Raises
    :class:`~causal_web.remote.client.RemoteStoreError` when the store cannot be read and
    :class:`~causal_web.errors.CausalWebError` when it holds none of this base's graphs.
    """
    from causal_web.rdf.read_back import reviews_from_quads

    client = SparqlClient(endpoint, update_url=update_endpoint, timeout=timeout)
    graphs = list_graphs(client, base_iri)
    if not graphs:
        raise CausalWebError(
            f"The SPARQL store at {endpoint} holds no graph under {base_iri}graphs/. Load the data "
            f"into it first (causal-web push --endpoint UPDATE-URL, with --base-iri {base_iri} if "
            "that is not the default), or give the base IRI the data was pushed with."
        )
    store = ox.Store()
    for graph in graphs:
        store.extend(fetch_quads(client, graph, page_size))
    found = reviews_from_quads(store, base_iri)
    if len(found.reviews) == 1 and not any(g.startswith(f"{base_iri}graphs/reviews") for g in graphs):
        (dataset,) = found.reviews.values()
        return RemoteKnowledgeBase(dataset, client, graphs, store, base_iri=base_iri)
    reviews = [
        Review(rid, found.titles.get(rid, ""), None, KnowledgeBase(dataset, base_iri=base_iri))  # type: ignore[arg-type]
        for rid, dataset in found.reviews.items()
    ]
    return RemoteReviewSet(reviews, found.mappings, client, graphs, store, base_iri=base_iri)
