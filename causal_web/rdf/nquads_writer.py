"""The N-Quads writer of the RDF mapping: terms as N-Triples text, and a writer that collects the
lines of one graph at a time (:mod:`causal_web.rdf.mapping` and :mod:`causal_web.rdf.mapping_concepts`
write through it)."""

from __future__ import annotations

from collections.abc import Callable

from causal_web.rdf.mapping_terms import T_DCTERMS, T_RDF, T_RDFS, T_SKOS, T_XSD, write_value_list

__all__ = [
    "FALSE",
    "ID",
    "LABEL",
    "NOTE",
    "TRUE",
    "TYPE",
    "Writer",
    "boolean",
    "integer",
    "literal",
    "value_list",
]


def literal(value: str, lang: str = "") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


TRUE = f'"true"^^<{T_XSD.boolean}>'
FALSE = f'"false"^^<{T_XSD.boolean}>'


def boolean(value: bool) -> str:
    return TRUE if value else FALSE


def integer(value: int) -> str:
    return f'"{value}"^^<{T_XSD.integer}>'


class Writer:
    """Accumulates N-Quads lines for one graph at a time."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.graph = ""

    def add(self, s: str, p: str, o: str) -> None:
        # s and p are bare IRIs; o is already an N-Triples term
        self.lines.append(f"<{s}> <{p}> {o} {self.graph} .\n")

    def iri(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"<{s}> <{p}> <{o}> {self.graph} .\n")

    def text(self, s: str, p: str, value: str, lang: str = "") -> None:
        if value:
            self.add(s, p, literal(value, lang))


TYPE, ID, LABEL, NOTE = str(T_RDF.type), str(T_DCTERMS.identifier), str(T_RDFS.label), str(T_SKOS.note)


def value_list(
    w: Writer, owner: str, name: str, prop: str, values: list, default: list, iri: Callable | None = None
) -> None:
    """The value list of ``prop`` when sorting its triples would not give ``values`` back."""

    def term(value: str) -> str:
        return f"<{iri(value) if iri else value}>"

    write_value_list(w.add, owner, name, prop, values, default, term)
