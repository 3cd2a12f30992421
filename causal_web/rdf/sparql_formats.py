"""Result formats of the SPARQL endpoint: which media types each query form is served as, and
which one a request asks for (its Accept header, or a ``format`` parameter)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from causal_web.errors import QueryError
from causal_web.rdf.negotiation import negotiate

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "SOLUTION_MEDIA_TYPES",
    "NotAcceptableError",
    "media_type_for",
]

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
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class NotAcceptableError(QueryError):
    """No result format the client accepts suits the query; ``supported`` lists those that would."""

    def __init__(self, message: str, supported: Sequence[str]) -> None:
        self.supported = list(supported)
        super().__init__(message)

    def __reduce__(self) -> tuple:
        # pickled across the worker's pipe
        return (type(self), (str(self), self.supported))


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
