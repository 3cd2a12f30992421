"""The dataset as RDF: one named graph per phase plus a catalogue graph.

The model is written once, as N-Quads text (:func:`dataset_to_nquads`). Both the rdflib
:class:`~rdflib.Dataset` and the embedded pyoxigraph store are read from that text, so the two
always hold the same quads, and a 100k-CMOC web costs no per-triple Python objects on the way
into the store. The mapping is documented in ``docs/rdf.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset as RDFDataset
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from causal_web.model.loading import gc_paused
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Citation,
    Concept,
    Dataset,
    MechanismEntry,
    Polarity,
    Sign,
    Slot,
)
from causal_web.rdf.convert import add_nquads
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.namespaces import CW, CW_IRI

__all__ = [
    "DEFAULT_BASE_IRI",
    "PREFIXES",
    "IRIs",
    "dataset_to_nquads",
    "dataset_to_rdf",
    "union_graph",
]

PREFIXES = {
    "cw": CW_IRI,
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}


class _Terms:
    """Plain-string copies of a namespace's terms, cached on first use.

    Attribute access on rdflib's ``DefinedNamespace`` goes through a metaclass lookup and
    builds a new ``URIRef`` each time; writing N-Quads for a 100k-CMOC web does that millions
    of times. The strings are the same IRIs, so the output is unchanged.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value


_CW, _SKOS, _DCTERMS, _PROV = _Terms(CW), _Terms(SKOS), _Terms(DCTERMS), _Terms(PROV)
_XSD, _RDF, _RDFS = _Terms(XSD), _Terms(RDF), _Terms(RDFS)


_POLARITY = {
    Polarity.INCREASE: _CW.Increase,
    Polarity.DECREASE: _CW.Decrease,
    Polarity.UNSPECIFIED: _CW.Unspecified,
}
_SIGN = {Sign.POSITIVE: _CW.Positive, Sign.NEGATIVE: _CW.Negative, Sign.UNSPECIFIED: _CW.UnspecifiedSign}
_STATUS = {"affirmed": _CW.Affirmed, "refined": _CW.Refined, "refuted": _CW.Refuted, "new": _CW.New}
_SLOT_CLASS = {"context": _CW.ContextSlot, "mechanism": _CW.MechanismSlot, "outcome": _CW.OutcomeSlot}
_SLOT_PROPERTY = {"context": _CW.hasContext, "mechanism": _CW.hasMechanism, "outcome": _CW.hasOutcome}


def _literal(value: str, lang: str = "") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


_TRUE = f'"true"^^<{_XSD.boolean}>'
_FALSE = f'"false"^^<{_XSD.boolean}>'


def _boolean(value: bool) -> str:
    return _TRUE if value else _FALSE


class _Writer:
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
            self.add(s, p, _literal(value, lang))


_TYPE, _ID, _LABEL, _NOTE = str(_RDF.type), str(_DCTERMS.identifier), str(_RDFS.label), str(_SKOS.note)


def _citation(w: _Writer, iris: IRIs, owner: str, citation: Citation) -> None:
    node = f"{owner}/citation"
    w.iri(owner, _CW.citation, node)
    w.iri(node, _TYPE, _CW.Citation)
    if citation.source:
        w.iri(node, _CW.citedSource, iris.source(citation.source))
    w.text(node, _CW.table, citation.table)
    w.text(node, _CW.row, citation.row)
    w.text(node, _CW.section, citation.section)
    w.text(node, _CW.curatedFile, citation.curated_file)


def _slot(w: _Writer, iris: IRIs, node: str, cls: str, slot: Slot) -> None:
    w.iri(node, _TYPE, cls)
    w.text(node, _CW.publishedLabel, slot.label)
    w.iri(node, _CW.concept, iris.concept(slot.concept))
    w.iri(node, _CW.polarity, _POLARITY[slot.polarity])
    w.add(node, _CW.inferred, _boolean(slot.inferred))


def _record(w: _Writer, iris: IRIs, node: str, record: CMOC | CausalLink | MechanismEntry) -> None:
    w.text(node, _ID, record.id)
    w.iri(node, _CW.phase, iris.phase(record.phase))
    for source in record.sources:
        w.iri(node, _CW.supportedBy, iris.source(source))
    _citation(w, iris, node, record.citation)
    w.text(node, _NOTE, record.notes)


def _cmoc(w: _Writer, iris: IRIs, cmoc: CMOC) -> None:
    node = iris.cmoc(cmoc.id)
    w.iri(node, _TYPE, _CW.CMOC)
    w.text(node, _LABEL, cmoc.id)
    w.text(node, _CW.kind, cmoc.kind)
    _record(w, iris, node, cmoc)
    if cmoc.status:
        w.iri(node, _CW.status, _STATUS[cmoc.status])
    w.add(node, _CW.incomplete, _boolean(cmoc.incomplete))
    for ioc in cmoc.ioc_types:
        w.iri(node, _CW.iocType, iris.ioc_type(ioc))
    for name in ("context", "mechanism", "outcome"):
        for position, slot in enumerate(cmoc.slots(name), start=1):
            slot_node = f"{node}/{name}/{position}"
            w.iri(node, _SLOT_PROPERTY[name], slot_node)
            _slot(w, iris, slot_node, _SLOT_CLASS[name], slot)


def _link(w: _Writer, iris: IRIs, link: CausalLink) -> None:
    node = iris.link(link.id)
    w.iri(node, _TYPE, _CW.CausalLink)
    w.text(node, _LABEL, link.id)
    w.text(node, _CW.kind, link.kind)
    _record(w, iris, node, link)
    w.add(node, _CW.inferred, _boolean(link.inferred))
    w.text(node, _CW.relation, link.relation)
    w.iri(node, _CW.sign, _SIGN[link.sign])
    for prop, end, slot in ((_CW.cause, "from", link.source), (_CW.effect, "to", link.target)):
        w.iri(node, prop, f"{node}/{end}")
        _slot(w, iris, f"{node}/{end}", _CW.Slot, slot)


def _mechanism(w: _Writer, iris: IRIs, entry: MechanismEntry) -> None:
    node = iris.mechanism(entry.id)
    w.iri(node, _TYPE, _CW.MechanismEntry)
    w.text(node, _LABEL, entry.label)
    _record(w, iris, node, entry)
    w.iri(node, _CW.concept, iris.concept(entry.concept))
    w.text(node, _CW.publishedLabel, entry.label)
    w.text(node, _CW.initialLabel, entry.initial_label)
    w.text(node, _CW.mechanismType, entry.mechanism_type)
    w.text(node, _CW.mostFrequentOutcome, entry.most_frequent_outcome)
    if entry.status:
        w.iri(node, _CW.status, _STATUS[entry.status])


def _concept(w: _Writer, iris: IRIs, concept: Concept, narrower: list[str]) -> None:
    node = iris.concept(concept.id)
    w.iri(node, _TYPE, _SKOS.Concept)
    w.iri(node, _SKOS.inScheme, iris.scheme)
    w.text(node, _SKOS.prefLabel, concept.pref_label, "en")
    for alt in concept.alt_labels:
        w.text(node, _SKOS.altLabel, alt, "en")
    w.text(node, _SKOS.definition, concept.definition, "en")
    w.text(node, _ID, concept.id)
    for parent in concept.broader:
        w.iri(node, _SKOS.broader, iris.concept(parent))
    for child in narrower:
        w.iri(node, _SKOS.narrower, iris.concept(child))
    if concept.group:
        group = iris.group(concept.group)
        w.iri(node, _CW.group, group)
        w.iri(group, _SKOS.member, node)
    w.text(node, _CW.role, concept.role)


_GROUP_LABELS = {
    "core-mechanism": "Core mechanisms",
    "supporting-mechanism": "Supporting mechanisms",
    "performance-domain": "Performance domains",
    "long-term-outcome": "Long-term outcomes",
}


def _catalogue(w: _Writer, iris: IRIs, dataset: Dataset) -> None:
    for phase in dataset.phases.values():
        node = iris.phase(phase.id)
        w.iri(node, _TYPE, _CW.Phase)
        w.iri(node, _TYPE, _PROV.Collection)
        w.text(node, _ID, phase.id)
        w.text(node, _LABEL, phase.label)
        w.add(node, _CW.order, f'"{phase.order}"^^<{_XSD.integer}>')
        if phase.source:
            w.iri(node, _CW.reportedIn, iris.source(phase.source))
        if phase.previous:
            w.iri(node, _CW.previousPhase, iris.phase(phase.previous))
        w.text(node, _DCTERMS.description, phase.description)
    for source in dataset.sources.values():
        node = iris.source(source.id)
        w.iri(node, _TYPE, _CW.Source)
        w.text(node, _ID, source.id)
        w.text(node, _CW.sourceKind, source.kind)
        w.text(node, _DCTERMS.title, source.title)
        w.text(node, _CW.authors, source.authors)
        w.text(node, _DCTERMS.date, source.year)
        w.text(node, _DCTERMS.bibliographicCitation, source.venue)
        w.text(node, _CW.doi, source.doi)
        w.text(node, _CW.collaborationType, source.collaboration_type)
        w.text(node, _NOTE, source.notes)
        if source.part_of:
            w.iri(node, _DCTERMS.isPartOf, iris.source(source.part_of))
        if source.citation:
            _citation(w, iris, node, source.citation)
    scheme = iris.scheme
    w.iri(scheme, _TYPE, _SKOS.ConceptScheme)
    w.text(scheme, _DCTERMS.title, str(dataset.scheme.get("title", "")), "en")
    children = dataset.children()
    groups = {c.group for c in dataset.concepts.values() if c.group}
    for group in sorted(groups):
        node = iris.group(group)
        w.iri(node, _TYPE, _SKOS.Collection)
        w.text(node, _SKOS.prefLabel, _GROUP_LABELS.get(group, group), "en")
    for concept in dataset.concepts.values():
        _concept(w, iris, concept, children.get(concept.id, []))
    ioc_scheme = iris.ioc_type("")
    w.iri(ioc_scheme, _TYPE, _SKOS.ConceptScheme)
    w.text(ioc_scheme, _DCTERMS.title, "Types of inter-organisational collaboration", "en")
    for ioc in dataset.ioc_types.values():
        node = iris.ioc_type(ioc.id)
        w.iri(node, _SKOS.inScheme, ioc_scheme)
        w.iri(node, _TYPE, _CW.IOCType)
        w.iri(node, _TYPE, _SKOS.Concept)
        w.text(node, _SKOS.prefLabel, ioc.pref_label, "en")
        w.text(node, _SKOS.definition, ioc.definition, "en")
        w.text(node, _ID, ioc.id)


def _by_phase(dataset: Dataset) -> dict[str, list]:
    groups: dict[str, list] = {}
    for collection in (dataset.cmocs, dataset.links, dataset.mechanisms):
        for record in collection.values():
            groups.setdefault(record.phase, []).append(record)
    return groups


def iter_nquads(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> Iterator[str]:
    """N-Quads lines for the whole dataset, graph by graph."""
    iris = IRIs(base)
    w = _Writer()
    w.graph = f"<{iris.graph('catalogue')}>"
    _catalogue(w, iris, dataset)
    yield from w.lines
    writers = {CMOC: _cmoc, CausalLink: _link, MechanismEntry: _mechanism}
    for phase, records in sorted(_by_phase(dataset).items()):
        w.lines = []
        w.graph = f"<{iris.graph(phase)}>"
        for record in records:
            writers[type(record)](w, iris, record)
        yield from w.lines


def dataset_to_nquads(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> str:
    """The whole dataset as N-Quads text."""
    with gc_paused():
        return "".join(iter_nquads(dataset, base))


def dataset_to_rdf(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> RDFDataset:
    """An rdflib Dataset with one named graph per phase and a catalogue graph."""
    rdf = RDFDataset()
    add_nquads(rdf, dataset_to_nquads(dataset, base))  # linear in label length, unlike rdf.parse
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    iris = IRIs(base)
    rdf.bind("cmoc", iris.cmoc(""))
    rdf.bind("concept", iris.concept(""))
    rdf.bind("source", iris.source(""))
    return rdf


def union_graph(rdf: RDFDataset) -> Graph:
    """All quads of ``rdf`` as one graph (Turtle, N-Triples and JSON-LD exports use this)."""
    graph = Graph()
    for prefix, namespace in rdf.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o, _g in rdf.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def resource_iri(iris: IRIs, kind: str, id: str) -> URIRef:
    """The IRI of a record of ``kind`` (cmoc, concept, source, phase, link, mechanism)."""
    return URIRef(getattr(iris, kind)(id))
