"""The embedded SPARQL store (pyoxigraph), loaded from the same quads as the rdflib Dataset."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

__all__ = ["LineStream", "build_store", "query_union", "select_rows"]


class LineStream(io.RawIOBase):
    """A binary file over an iterator of text chunks, so that pyoxigraph's ``bulk_load`` reads
    the quads as they are made instead of from one string holding them all."""

    def __init__(self, chunks: Iterable[str], batch: int = 4096) -> None:
        super().__init__()
        self._chunks: Iterator[str] = iter(chunks)
        self._batch = batch
        self._buffer = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._buffer) - self._offset < len(target):
            lines = list(itertools.islice(self._chunks, self._batch))
            if not lines:
                break
            self._buffer = self._buffer[self._offset :] + "".join(lines).encode("utf-8")
            self._offset = 0
        size = min(len(target), len(self._buffer) - self._offset)
        target[:size] = self._buffer[self._offset : self._offset + size]
        self._offset += size
        return size


def build_store(
    nquads: str | bytes | Iterable[str],
    ontology_turtle: bytes | None = None,
    ontology_graph: str = "",
    store: ox.Store | None = None,
) -> ox.Store:
    """A pyoxigraph store holding ``nquads`` (text, or an iterable of text chunks that is read
    as a stream) and the ontology, if given. The quads go into ``store`` when one is given (an
    on-disk store, say), else into a new in-memory store."""
    store = ox.Store() if store is None else store
    if isinstance(nquads, str | bytes):
        data: bytes | io.RawIOBase = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    else:
        data = io.BufferedReader(LineStream(nquads), buffer_size=1 << 20)
    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=True)
    if ontology_turtle is not None:
        store.bulk_load(
            input=ontology_turtle,
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ontology_graph),
        )
    return store


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if datatype.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if datatype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return getattr(term, "value", str(term))


def select_rows(store: ox.Store, query: str) -> list[dict[str, object]]:
    """Run a SELECT on the union of all graphs; rows as plain Python values."""
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: _python(row[name]) for name in names} for row in solutions]


def query_union(store: ox.Store, query: str) -> list[dict[str, object]] | bool | list[ox.Triple]:
    """Run a read-only query with the union of all graphs as the default graph (the SPARQL
    endpoint's view): SELECT gives rows of plain values, ASK a bool, CONSTRUCT and DESCRIBE
    a list of triples."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{name: _python(row[name]) for name in names} for row in result]
    return list(result)
