"""A readable HTML page of one resource's RDF, for a browser that dereferences its IRI.

The page is self-contained: one inline style sheet, no scripts, nothing fetched from anywhere
(the service sends it with a Content-Security-Policy that forbids it). Every value from the data
is escaped. IRIs under the base link to this service's own paths, so the data can be browsed.
"""

from __future__ import annotations

from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from causal_web.rdf.namespaces import CW

__all__ = ["RESOURCE_PAGE_CSP", "resource_page"]

RESOURCE_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_TITLE_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, RDFS.label, CW.publishedLabel)
_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem;margin-bottom:.2rem} h2{font-size:1.05rem;margin:1.6rem 0 .4rem}
.iri{font-family:monospace;color:#555;word-break:break-all}
table{border-collapse:collapse;width:100%} th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;
border-bottom:1px solid #ddd} th{width:16rem;font-weight:600;font-family:monospace;font-size:.9rem}
.meta{color:#777;font-size:.85rem} nav a{margin-right:1rem}
"""


def _href(iri: str, base: str) -> str:
    """A link for ``iri``: this service's own path when it is under the base."""
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    return iri


def _term(graph: Graph, term: URIRef) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:  # an IRI no prefix fits
        return f"<{term}>"


def _value(graph: Graph, value: object, base: str) -> str:
    if isinstance(value, URIRef):
        text = str(value)
        shown = _term(graph, value) if not text.startswith(base) else text[len(base) :] or text
        return f'<a href="{escape(_href(text, base))}">{escape(shown)}</a>'
    if isinstance(value, Literal):
        note = f"@{value.language}" if value.language else ""
        if value.datatype is not None and not str(value.datatype).endswith("#string"):
            note = _term(graph, value.datatype)
        meta = f' <span class="meta">{escape(note)}</span>' if note else ""
        return escape(str(value)) + meta
    return escape(str(value))


def _table(graph: Graph, subject: URIRef, base: str) -> str:
    rows = []
    for predicate in sorted(set(graph.predicates(subject)), key=str):
        values = sorted(graph.objects(subject, predicate), key=str)
        cells = "<br>".join(_value(graph, value, base) for value in values)
        rows.append(f"<tr><th>{escape(_term(graph, predicate))}</th><td>{cells}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _title(graph: Graph, subject: URIRef) -> str:
    for prop in _TITLE_PROPERTIES:
        value = graph.value(subject, prop)
        if value is not None:
            return str(value)
    return str(subject).rstrip("/").rsplit("/", 1)[-1] or str(subject)


def resource_page(
    graph: Graph,
    iri: str,
    base: str,
    alternates: dict[str, str],
    *,
    only_subject: bool = False,
    note: str = "",
) -> str:
    """The HTML page of ``iri``: a table of its properties and values, one more for each of
    its sub-nodes (unless ``only_subject``), and links to its other representations
    (``alternates``: name -> href)."""
    subject = URIRef(iri)
    title = _title(graph, subject)
    sections = [_table(graph, subject, base)]
    if not only_subject:
        others = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and s != subject}, key=str)
        for other in others:
            name = escape(str(other)[len(iri) :] if str(other).startswith(iri) else str(other))
            anchor = escape(name.lstrip("#/"))
            sections.append(f'<h2 id="{anchor}">{name}</h2>{_table(graph, other, base)}')
    links = " ".join(f'<a href="{escape(href)}">{escape(name)}</a>' for name, href in alternates.items())
    extra = f"<p>{escape(note)}</p>" if note else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · causal-web</title><style>{_STYLE}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="iri">{escape(iri)}</p>'
        f"<nav>Also as: {links}</nav>{extra}" + "".join(sections) + "</body></html>\n"
    )
