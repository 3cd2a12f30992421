"""The quads of a dataset, indexed by subject, and the small readers the record readers share.

:func:`index_quads` makes one pass over the quads: subject IRI to predicate IRI to the values of
its objects (an IRI's text, a literal's lexical form). Everything after that is dictionary look-
ups, so reading back a large web costs one pass plus the records it rebuilds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from sys import intern

import pyoxigraph as ox

from causal_web.model.history import HistoryEvent
from causal_web.model.records import Citation, EvidenceItem, Polarity, Predecessor, Valence
from causal_web.rdf.iris import IRIs
from causal_web.rdf.mapping_terms import (
    EVIDENCE_TYPE,
    JUDGEMENT,
    POLARITY,
    STATUS,
    T_CW,
    T_DCTERMS,
    T_PROV,
    T_RDF,
    T_RDFS,
    T_SKOS,
    VALENCE,
    read_value_list,
)

__all__ = ["BLANK", "EMPTY", "TRUE", "Index", "Reader", "index_quads"]

Index = dict[str, dict[str, list[str]]]
BLANK = ("",)  # props.get(prop, BLANK)[0]: the first value, or ""
TRUE = frozenset(("true", "1"))  # xsd:boolean's lexical forms for true
# A store may write a time with zero fractional seconds (Virtuoso: 10:00:00.000Z); the data
# format has none, so they are dropped again.
_ZERO_FRACTION = re.compile(r"(T\d{2}:\d{2}:\d{2})\.0+(?=Z|[+-]\d{2}:\d{2}|$)")
EMPTY: dict[str, list[str]] = {}

_TYPE = T_RDF.type
_NOTE, _LABEL, _ID = T_SKOS.note, T_RDFS.label, T_DCTERMS.identifier
_POLARITY = {iri: p for p, iri in POLARITY.items()}
_VALENCE = {iri: v for v, iri in VALENCE.items()}
_STATUS = {iri: s for s, iri in STATUS.items()}
_JUDGEMENT = {iri: j for j, iri in JUDGEMENT.items()}
_EVIDENCE_TYPE = {iri: t for t, iri in EVIDENCE_TYPE.items()}
_AUTHOR_STATEMENT = "review-author-statement"


def index_quads(quads: Iterable[ox.Quad]) -> tuple[Index, dict[str, list[str]]]:
    """Subject to predicate to object values, and class IRI to the subjects typed with it.

    Repeats (the same triple in two graphs) stay in the lists; the readers drop them where
    they matter. The strings are interned: a web repeats its predicates, concept IRIs and flags
    on every record, and one copy of each costs a third less memory at the same speed.
    """
    index: Index = {}
    find = index.get
    for subject, predicate, value, _graph in quads:
        key = intern(subject.value)
        props = find(key)
        if props is None:
            props = index[key] = {}
        name = intern(predicate.value)
        values = props.get(name)
        if values is None:
            props[name] = [intern(value.value)]
        else:
            values.append(intern(value.value))
    types: dict[str, list[str]] = {}
    for key, props in index.items():
        for cls in props.get(_TYPE, ()):
            members = types.get(cls)
            if members is None:
                types[cls] = [key]
            else:
                members.append(key)
    return index, types


def _tail_number(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class Reader:
    """Reads values of the indexed quads back into model values."""

    def __init__(self, index: Index, types: dict[str, list[str]], iris: IRIs) -> None:
        self.index = index
        self.types = types
        self.iris = iris
        self.sources: dict = {}  # filled before the records: an evidence item's base needs them
        self._prefixes = {
            kind: getattr(iris, kind)("")
            for kind in (
                "cmoc",
                "concept",
                "source",
                "phase",
                "link",
                "mechanism",
                "base_of_evidence",
                "nesting",
                "entry_point",
                "demi_regularity",
                "theory",
            )
        }
        self._prefixes["group"] = iris.group("")
        self._prefixes["ioc_type"] = iris.ioc_type("")

    # --- plain values ------------------------------------------------------------------------

    def props(self, node: str) -> dict[str, list[str]]:
        return self.index.get(node, EMPTY)

    def text(self, node: str, prop: str) -> str:
        return self.index.get(node, EMPTY).get(prop, BLANK)[0]

    def flag(self, node: str, prop: str) -> bool:
        return self.text(node, prop) in TRUE

    def integer(self, node: str, prop: str, default: int = 0) -> int:
        value = self.text(node, prop)
        try:
            return int(value)
        except ValueError:
            return default

    def strip(self, iri: str, kind: str) -> str:
        """The ID in an IRI minted for ``kind`` (an IRI minted otherwise comes back whole)."""
        prefix = self._prefixes[kind]
        return intern(iri[len(prefix) :]) if iri.startswith(prefix) else iri

    def ref(self, node: str, prop: str, kind: str) -> str:
        value = self.text(node, prop)
        return self.strip(value, kind) if value else ""

    def ident(self, node: str, kind: str) -> str:
        return self.text(node, _ID) or self.strip(node, kind)

    def listed(self, node: str, prop: str, default: list[str]) -> list[str]:
        """The value list of ``prop`` where the mapping wrote one, else ``default``."""
        found = read_value_list(self.index, node, prop)
        return default if found is None else found

    def ids(self, node: str, prop: str, kind: str, exclude: set[str] | frozenset = frozenset()) -> list[str]:
        """The IDs ``prop`` points to, as the data lists them."""
        values = self.index.get(node, {}).get(prop, [])
        default = sorted({self.strip(v, kind) for v in values} - exclude)
        return [self.strip(v, kind) for v in self.listed(node, prop, default)]

    def texts(self, node: str, prop: str) -> list[str]:
        return self.listed(node, prop, sorted(set(self.index.get(node, {}).get(prop, []))))

    def by_sequence(self, cls: str, prefix: str = "") -> list[str]:
        """The subjects typed ``cls`` (with IRIs under ``prefix``) in the order of their tables."""
        nodes = {n for n in self.types.get(cls, []) if n.startswith(prefix)}
        big = 1 << 62
        return sorted(nodes, key=lambda n: (self.integer(n, T_CW.sequence, big), n))

    def numbered(self, node: str, prop: str) -> list[str]:
        """Sub-nodes numbered by their IRI's last segment (evidence/3, predecessors/2), in order."""
        return sorted(set(self.index.get(node, {}).get(prop, [])), key=_tail_number)

    # --- shared sub-nodes --------------------------------------------------------------------

    def polarity(self, node: str) -> Polarity:
        return _POLARITY.get(self.text(node, T_CW.polarity), Polarity.UNSPECIFIED)

    def valence(self, node: str) -> Valence:
        return _VALENCE.get(self.text(node, T_CW.valence), Valence.UNSPECIFIED)

    def status(self, node: str) -> str | None:
        return _STATUS.get(self.text(node, T_CW.status))

    def notes(self, node: str) -> str:
        return self.text(node, _NOTE)

    def citation(self, owner: str) -> Citation | None:
        node = self.text(owner, T_CW.citation)
        if not node:
            return None
        return Citation(
            source=self.ref(node, T_CW.citedSource, "source"),
            table=self.text(node, T_CW.table),
            row=self.text(node, T_CW.row),
            section=self.text(node, T_CW.section),
            curated_file=self.text(node, T_CW.curatedFile),
        )

    def evidence(self, owner: str) -> list[EvidenceItem]:
        items = []
        for node in self.numbered(owner, T_CW.hasEvidence):
            get = self.index.get(node, EMPTY).get
            source = self.strip(get(T_CW.evidenceSource, BLANK)[0], "source")
            known = self.sources.get(source)
            own_base = (known.base or known.id) if known is not None else source
            base = self.strip(get(T_CW.inBase, BLANK)[0], "base_of_evidence")
            items.append(
                EvidenceItem(
                    source=source,
                    table=get(T_CW.table, BLANK)[0],
                    row=get(T_CW.row, BLANK)[0],
                    page=get(T_CW.page, BLANK)[0],
                    section=get(T_CW.section, BLANK)[0],
                    quote=get(T_CW.quote, BLANK)[0],
                    judgement=_JUDGEMENT.get(get(T_CW.judgement, BLANK)[0], "confirms"),
                    evidence_type=_EVIDENCE_TYPE.get(get(T_CW.evidenceType, BLANK)[0], _AUTHOR_STATEMENT),
                    base="" if base == own_base else base,
                    relevance=get(T_CW.relevance, BLANK)[0],
                    rigour=get(T_CW.rigour, BLANK)[0],
                    coder=get(T_CW.coder, BLANK)[0],
                    notes=get(_NOTE, BLANK)[0],
                )
            )
        return items

    def predecessors(self, owner: str) -> list[Predecessor]:
        links = []
        for node in self.numbered(owner, T_CW.hasTheoryLink):
            earlier = self.text(node, T_CW.earlierRecord)
            kind = "cmoc" if earlier.startswith(self._prefixes["cmoc"]) else "mechanism"
            links.append(
                Predecessor(
                    record=self.strip(earlier, kind),
                    relation=_JUDGEMENT.get(self.text(node, T_CW.judgement), "confirms"),
                    inferred=self.flag(node, T_CW.inferred),
                    notes=self.notes(node),
                )
            )
        return links

    def history(self, owner: str) -> list[HistoryEvent]:
        events = []
        position = 1
        while (activity := f"{owner}/history/{position}") in self.index:
            events.append(
                HistoryEvent(
                    date=_ZERO_FRACTION.sub(r"\1", self.text(activity, T_PROV.endedAtTime)),
                    by=self.text(f"{activity}/agent", _LABEL),
                    what=self.text(activity, _LABEL),
                    why=self.text(activity, T_RDFS.comment),
                )
            )
            position += 1
        return events
