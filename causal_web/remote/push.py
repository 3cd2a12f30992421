"""``causal-web push``: load a knowledge base's quads into a remote SPARQL store.

What is pushed is exactly what the embedded store holds (``kb.store``): each phase's named
graph and the catalogue (each review's own graphs, the reviews graph and the mappings when
several reviews are loaded), and the ontology graph. Each named graph is replaced, not added
to: the first batch of a graph clears it (``PUT`` through the Graph Store Protocol, or
``CLEAR SILENT GRAPH`` in the same request as the first ``INSERT DATA``), the batches after it
add to it. A graph holding blank nodes goes in one request, so that its blank nodes stay the
same nodes (a store mints fresh ones for each request). Graphs the data no longer has are left
in the store; see docs/deployment.md, "Remote SPARQL store".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from causal_web.errors import CausalWebError
from causal_web.remote.client import DEFAULT_TIMEOUT, SparqlClient

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["DEFAULT_BATCH_SIZE", "PushSummary", "graphs_of", "push", "push_quads"]

DEFAULT_BATCH_SIZE = 5_000
"""Triples per request: big enough to keep the requests few, small enough for any store's
request size limit (an N-Triples line of our data is about 150 bytes)."""


@dataclass
class PushSummary:
    """What a push sent: triples per named graph, requests, the protocol and the time taken."""

    target: str
    protocol: str  # "graph-store" or "update"
    graphs: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def text(self) -> str:
        how = "the Graph Store Protocol" if self.protocol == "graph-store" else "SPARQL Update"
        return (
            f"Pushed {self.triples:,} triples in {len(self.graphs)} named graphs to {self.target} "
            f"through {how}, in {self.requests} requests ({self.seconds:.1f} s)."
        )


def graphs_of(quads: Iterable[ox.Quad]) -> dict[str | None, list[ox.Triple]]:
    """The triples of each graph (None: the default graph), graphs in order of first sight."""
    graphs: dict[str | None, list[ox.Triple]] = {}
    for quad in quads:
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else None
        graphs.setdefault(key, []).append(quad.triple)
    return graphs


def _has_blank_nodes(triples: list[ox.Triple]) -> bool:
    return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def _batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    if _has_blank_nodes(triples):
        yield triples
        return
    for start in range(0, len(triples), size):
        yield triples[start : start + size]


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _insert_data(graph: str | None, triples: list[ox.Triple], first: bool) -> str:
    """One update request: INSERT DATA, or, for triples with blank nodes, INSERT ... WHERE {}
    (a template's blank nodes are fresh but shared within the request; Virtuoso refuses blank
    nodes in INSERT DATA)."""
    body = _ntriples(triples).decode("utf-8")  # N-Triples terms are SPARQL terms, escapes included
    clear = (
        ("CLEAR SILENT DEFAULT ;\n" if graph is None else f"CLEAR SILENT GRAPH <{graph}> ;\n")
        if first
        else ""
    )
    content = f"{{\n{body}}}" if graph is None else f"{{ GRAPH <{graph}> {{\n{body}}} }}"
    if _has_blank_nodes(triples):
        return f"{clear}INSERT {content} WHERE {{}}"
    return f"{clear}INSERT DATA {content}"


def push_quads(
    quads: Iterable[ox.Quad],
    endpoint: str | None = None,
    *,
    graph_store: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int], None] | None = None,
) -> PushSummary:
    """Send ``quads`` to a store, graph by graph, ``batch_size`` triples a request: through the
    Graph Store Protocol at ``graph_store`` when it is given, else as SPARQL Update to
    ``endpoint``. ``progress`` is called with the triples each request sent.

    Raises :class:`~causal_web.remote.client.RemoteStoreError` naming the address and the
    status of the first request that fails (graphs sent before it stay in the store).
    """
    if batch_size < 1:
        raise CausalWebError(f"--batch-size must be at least 1, not {batch_size}.")
    if graph_store is None and endpoint is None:
        raise CausalWebError(
            "Give the store's update endpoint (--endpoint) or its graph store (--graph-store)."
        )
    client = SparqlClient(update_url=endpoint, graph_store=graph_store, timeout=timeout)
    protocol = "graph-store" if graph_store is not None else "update"
    target = graph_store if graph_store is not None else endpoint
    summary = PushSummary(str(target), protocol)
    started = time.monotonic()
    for graph, triples in graphs_of(quads).items():
        for number, batch in enumerate(_batches(triples, batch_size)):
            if protocol == "graph-store":
                client.put_graph(graph, _ntriples(batch), replace=number == 0)
            else:
                client.update(_insert_data(graph, batch, number == 0))
            summary.requests += 1
            key = graph or "(default graph)"
            summary.graphs[key] = summary.graphs.get(key, 0) + len(batch)
            if progress is not None:
                progress(len(batch))
    summary.seconds = time.monotonic() - started
    return summary


def push(
    kb: KnowledgeBase,
    endpoint: str | None = None,
    *,
    graph_store: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int], None] | None = None,
) -> PushSummary:
    """Push everything ``kb``'s embedded store holds (the data and the ontology graph)."""
    return push_quads(
        kb.store,
        endpoint,
        graph_store=graph_store,
        batch_size=batch_size,
        timeout=timeout,
        progress=progress,
    )
