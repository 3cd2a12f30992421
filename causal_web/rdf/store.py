"""The embedded SPARQL store (pyoxigraph), loaded from the same quads as the rdflib Dataset."""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["build_store", "query_union", "select_rows"]


def build_store(
    nquads: str | bytes, ontology_turtle: bytes | None = None, ontology_graph: str = ""
) -> ox.Store:
    """An in-memory pyoxigraph store holding ``nquads`` (and the ontology, if given)."""
    store = ox.Store()
    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
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
