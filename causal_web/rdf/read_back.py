"""The RDF mapping in reverse: quads back into the :class:`~causal_web.model.records.Dataset`.

A service that runs against a SPARQL store someone else operates has no data folder; it
rebuilds the dataset (and from it the causal web, chains and the explorer) from the store's
quads at start-up. :func:`dataset_from_quads` reads the quads that
:func:`causal_web.rdf.mapping.dataset_to_nquads` writes, in any order, and gives back the same
records: equal dataclasses, in the same tables in the same order. What the RDF cannot give back
is listed in docs/rdf.md ("Reading the RDF back").

>>> import causal_web
>>> from causal_web.rdf.mapping import dataset_to_nquads
>>> dataset = causal_web.load().dataset
>>> dataset_from_nquads(dataset_to_nquads(dataset)).cmocs == dataset.cmocs
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from causal_web.errors import CausalWebError
from causal_web.model.loading import gc_paused
from causal_web.model.records import (
    CMOC,
    SLOT_NAMES,
    CausalLink,
    Citation,
    Concept,
    Dataset,
    DemiRegularity,
    EntryPoint,
    EvidenceBase,
    MechanismEntry,
    MiddleRangeTheory,
    Nesting,
    Part,
    PartRef,
    Phase,
    Polarity,
    Relation,
    Source,
)
from causal_web.model.reviews import ConceptMapping, merge_datasets
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.mapping_terms import (
    PHASE_TYPE,
    POLARITY,
    RELATION_TYPE,
    SLOT_PATH,
    SLOT_PROPERTY,
    T_CW,
    T_DCTERMS,
    T_RDFS,
    T_SKOS,
)
from causal_web.rdf.read_back_index import BLANK, EMPTY, TRUE, Reader, index_quads

__all__ = [
    "ReadReviews",
    "dataset_from_nquads",
    "dataset_from_quads",
    "parse_nquads",
    "reviews_from_nquads",
    "reviews_from_quads",
]

_PHASE_TYPE = {iri: t for t, iri in PHASE_TYPE.items()}
_RELATION_TYPE = {iri: r for r, iri in RELATION_TYPE.items()}
_SLOT_OF_PATH = {path: slot for slot, path in SLOT_PATH.items()}
_LABEL, _NOTE = T_RDFS.label, T_SKOS.note
_CONCEPT, _PUBLISHED_LABEL, _INFERRED = T_CW.concept, T_CW.publishedLabel, T_CW.inferred
_POLARITY_TERM, _POSITION = T_CW.polarity, T_CW.position
_POLARITY = {iri: p for p, iri in POLARITY.items()}


def parse_nquads(text: bytes | str) -> Iterable[ox.Quad]:
    """The quads of N-Quads text, as pyoxigraph parses them (leniently: the text comes from the
    mapping or from a store that holds it, and checking every IRI again costs a third of the time)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True)


def dataset_from_nquads(text: bytes | str, base_iri: str = DEFAULT_BASE_IRI) -> Dataset:
    """:func:`dataset_from_quads` of N-Quads text; raises :class:`CausalWebError` naming the line
    where the text is not N-Quads."""
    try:
        return dataset_from_quads(parse_nquads(text), base_iri)
    except SyntaxError as error:  # pyoxigraph's parse errors
        raise CausalWebError(f"the RDF to read back is not valid N-Quads: {error}") from None


def dataset_from_quads(quads: Iterable[ox.Quad], base_iri: str = DEFAULT_BASE_IRI) -> Dataset:
    """The dataset whose RDF (under ``base_iri``) these quads are, in any order and any graphs.

    Quads of other graphs (the ontology, another tool's triples) are ignored where they do not
    type a node as one of the mapping's classes.
    """
    with gc_paused():
        return _dataset(quads, base_iri)


def _dataset(quads: Iterable[ox.Quad], base_iri: str) -> Dataset:
    index, types = index_quads(quads)
    reader = Reader(index, types, IRIs(base_iri))
    dataset = Dataset()
    _catalogue(reader, dataset)
    reader.sources = dataset.sources
    iris = reader.iris
    # each record table with its class, its IRIs and its reader, in Dataset.record_tables() order
    kinds = (
        (T_CW.CMOC, iris.cmoc, _cmoc),
        (T_CW.CausalLink, iris.link, _link),
        (T_CW.MechanismEntry, iris.mechanism, _mechanism),
        (T_CW.Nesting, iris.nesting, _nesting),
        (T_CW.EntryPoint, iris.entry_point, _entry_point),
        (T_CW.DemiRegularity, iris.demi_regularity, _demi_regularity),
        (T_CW.MiddleRangeTheory, iris.theory, _theory),
    )
    for table, (cls, iri, read) in zip(dataset.record_tables(), kinds, strict=True):
        for node in reader.by_sequence(cls, iri("")):
            record = read(reader, node)
            table[record.id] = record
    return dataset


_SKOS_MATCHES = {T_SKOS.exactMatch: "exactMatch", T_SKOS.closeMatch: "closeMatch"}


@dataclass(slots=True)
class ReadReviews:
    """Reviews read back from their named graphs, each its own dataset, and the mappings."""

    reviews: dict[str, Dataset] = field(default_factory=dict)  # review ID: its dataset
    titles: dict[str, str] = field(default_factory=dict)  # review ID: its title
    mappings: list[ConceptMapping] = field(default_factory=list)

    def merged(self) -> tuple[Dataset, dict[str, str]]:
        """All reviews in one dataset, and record ID to review ID, as ``load([A, B])`` merges them."""
        return merge_datasets(list(self.reviews), list(self.reviews.values()), self.mappings)


def reviews_from_nquads(text: bytes | str, base_iri: str = DEFAULT_BASE_IRI) -> ReadReviews:
    """:func:`reviews_from_quads` of N-Quads text (errors as :func:`dataset_from_nquads`)."""
    try:
        return reviews_from_quads(parse_nquads(text), base_iri)
    except SyntaxError as error:
        raise CausalWebError(f"the RDF to read back is not valid N-Quads: {error}") from None


def reviews_from_quads(quads: Iterable[ox.Quad], base_iri: str = DEFAULT_BASE_IRI) -> ReadReviews:
    """Several reviews as :class:`~causal_web.review_set.ReviewSet` writes them: each review's
    records from its graphs ``{base}graphs/{review}/...``, the reviews' titles from
    ``{base}graphs/reviews`` and the SKOS mappings from ``{base}graphs/mappings``.

    Quads of one review only (graphs ``{base}graphs/{phase}``) read back as one review, named by
    its scheme's ID. The reviews come in the order their ``cw:sequence`` gives, else by ID.
    """
    iris = IRIs(base_iri)
    graphs = iris.graph("")
    own: dict[str, list[ox.Quad]] = {}
    plain: list[ox.Quad] = []
    meta: list[ox.Quad] = []
    mappings: list[ox.Quad] = []
    for quad in quads:
        graph = quad.graph_name
        name = graph.value[len(graphs) :] if isinstance(graph, ox.NamedNode) else ""
        if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(graphs):
            plain.append(quad)
        elif name == "reviews":
            meta.append(quad)
        elif name == "mappings":
            mappings.append(quad)
        elif "/" in name:
            own.setdefault(name.split("/", 1)[0], []).append(quad)
        else:
            plain.append(quad)
    found = ReadReviews()
    if not own:
        dataset = dataset_from_quads(plain, base_iri)
        rid = str(dataset.scheme.get("id") or "review")
        found.reviews[rid], found.titles[rid] = dataset, str(dataset.scheme.get("title") or "")
    else:
        index, types = index_quads(meta)
        reader = Reader(index, types, iris)
        prefix = f"{iris.base}reviews/"
        order = {node[len(prefix) :]: reader.integer(node, T_CW.sequence, 1 << 62) for node in index}
        for rid in sorted(own, key=lambda r: (order.get(r, 1 << 62), r)):
            found.reviews[rid] = dataset_from_quads(own[rid], base_iri)
            found.titles[rid] = reader.text(f"{prefix}{rid}", T_DCTERMS.title)
    concepts = iris.concept("")
    for subject, predicate, value, _graph in mappings:
        relation = _SKOS_MATCHES.get(predicate.value)
        if relation is None or not subject.value.startswith(concepts):
            continue
        match = value.value[len(concepts) :] if value.value.startswith(concepts) else value.value
        found.mappings.append(ConceptMapping(subject.value[len(concepts) :], relation, match))
    found.mappings.sort(key=lambda m: (m.concept, m.relation, m.match))
    return found


# --- the catalogue ---------------------------------------------------------------------------


def _catalogue(r: Reader, dataset: Dataset) -> None:
    iris = r.iris
    for node in r.by_sequence(T_CW.Phase, iris.phase("")):
        phase = Phase(
            id=r.ident(node, "phase"),
            label=r.text(node, _LABEL),
            order=r.integer(node, T_CW.order),
            source=r.ref(node, T_CW.reportedIn, "source"),
            type=_PHASE_TYPE.get(r.text(node, T_CW.phaseType), "initial"),
            previous=r.ref(node, T_CW.previousPhase, "phase") or None,
            previous_inferred=r.flag(node, T_CW.previousInferred),
            description=r.text(node, T_DCTERMS.description),
            notes=r.notes(node),
        )
        dataset.phases[phase.id] = phase
    for node in r.by_sequence(T_CW.EvidenceBase, iris.base_of_evidence("")):
        if T_CW.sequence not in r.props(node):
            continue  # a source's own base: Dataset.all_bases makes it up again
        base = EvidenceBase(
            id=r.ident(node, "base_of_evidence"),
            label=r.text(node, _LABEL),
            kind=r.text(node, T_CW.baseKind),
            notes=r.notes(node),
        )
        dataset.bases[base.id] = base
    for node in r.by_sequence(T_CW.Source, iris.source("")):
        source = _source(r, node)
        dataset.sources[source.id] = source
        if source.abstract and not source.text:
            dataset.texts[source.id] = source.abstract
    scheme = iris.scheme
    for key, prop in (("id", T_DCTERMS.identifier), ("title", T_DCTERMS.title)):
        if value := r.text(scheme, prop):
            dataset.scheme[key] = value
    ioc_scheme = iris.ioc_type("")
    for node in r.by_sequence(T_SKOS.Concept, iris.concept("")):
        if node != scheme and not node.startswith(iris.group("")):
            concept = _concept(r, node)
            dataset.concepts[concept.id] = concept
    for node in r.by_sequence(T_CW.IOCType, ioc_scheme):
        ioc = Concept(
            id=r.ident(node, "ioc_type"),
            pref_label=r.text(node, T_SKOS.prefLabel),
            definition=r.text(node, T_SKOS.definition),
            exact_match=_matches(r, node),
        )
        dataset.ioc_types[ioc.id] = ioc
    for node in r.by_sequence(T_CW.CoverageEntry, f"{iris.base}coverage/ledger/"):
        try:
            entry = json.loads(r.text(node, T_CW.ledgerEntry) or "{}")
        except json.JSONDecodeError as error:
            raise CausalWebError(f"{node}: cw:ledgerEntry is not a JSON object ({error})") from None
        if not isinstance(entry, dict):
            raise CausalWebError(f"{node}: cw:ledgerEntry is not a JSON object")
        dataset.coverage.append(entry)


def _source(r: Reader, node: str) -> Source:
    source_id = r.ident(node, "source")
    base = r.ref(node, T_CW.inBase, "base_of_evidence")
    return Source(
        id=source_id,
        title=r.text(node, T_DCTERMS.title),
        kind=r.text(node, T_CW.sourceKind) or "study",
        base="" if base == source_id else base,
        title_inferred=r.flag(node, T_CW.titleInferred),
        authors=r.text(node, T_CW.authors),
        year=r.text(node, T_DCTERMS.date),
        venue=r.text(node, T_DCTERMS.bibliographicCitation),
        doi=r.text(node, T_CW.doi),
        collaboration_type=r.text(node, T_CW.collaborationType),
        part_of=r.ref(node, T_DCTERMS.isPartOf, "source"),
        cited_by=r.ref(node, T_CW.citedBy, "source"),
        incomplete=r.flag(node, T_CW.incomplete),
        citation=r.citation(node),
        notes=r.notes(node),
        text=r.text(node, T_CW.textFile),
        abstract=r.text(node, T_DCTERMS.abstract),
    )


def _matches(r: Reader, node: str) -> list[str]:
    """``skos:exactMatch``: a concept's IRI as its ID, an outside IRI as it is."""
    return r.ids(node, T_SKOS.exactMatch, "concept")


def _concept(r: Reader, node: str) -> Concept:
    group = r.ref(node, T_CW.group, "group")
    return Concept(
        id=r.ident(node, "concept"),
        pref_label=r.text(node, T_SKOS.prefLabel),
        definition=r.text(node, T_SKOS.definition),
        alt_labels=r.texts(node, T_SKOS.altLabel),
        broader=r.ids(node, T_SKOS.broader, "concept"),
        related=r.ids(node, T_SKOS.related, "concept"),
        exact_match=_matches(r, node),
        group=group or None,
        role=r.text(node, T_CW.role),
        notes=r.notes(node),
    )


# --- records ---------------------------------------------------------------------------------


def _part(r: Reader, node: str) -> Part:
    get = r.index.get(node, EMPTY).get
    concept = get(_CONCEPT, BLANK)[0]
    return Part(
        label=get(_PUBLISHED_LABEL, BLANK)[0],
        concept=r.strip(concept, "concept") if concept else None,
        polarity=_POLARITY.get(get(_POLARITY_TERM, BLANK)[0], Polarity.UNSPECIFIED),
        inferred=get(_INFERRED, BLANK)[0] in TRUE,
    )


def _part_ref(cmoc_node: str, part_iri: str) -> PartRef | None:
    """``{cmoc}/mechanism-resource/2`` as ``mechanism_resource[1]``."""
    path, _, number = part_iri[len(cmoc_node) + 1 :].rpartition("/")
    slot = _SLOT_OF_PATH.get(path)
    if slot is None or not number.isdigit() or not part_iri.startswith(cmoc_node + "/"):
        return None
    return PartRef(slot, int(number) - 1)


def _relations(r: Reader, node: str) -> list[Relation]:
    """The relations the record states: those with a ``cw:statedPosition``, in its order."""
    stated = []
    for rel in set(r.props(node).get(T_CW.hasRelation, [])):
        at = r.integer(rel, T_CW.statedPosition, -1)
        if at < 0:
            continue  # derived by the tool alone
        relation = _RELATION_TYPE.get(r.text(rel, T_CW.relationType), "enables")
        common = {"inferred": r.flag(rel, T_CW.inferred), "notes": r.notes(rel)}
        if relation == "and":
            joined = r.props(rel).get(T_CW.joinsPart, [])
            refs = [_part_ref(node, p) for p in r.listed(rel, T_CW.joinsPart, sorted(set(joined)))]
            stated.append((at, Relation("and", parts=tuple(x for x in refs if x), **common)))
            continue
        source = _part_ref(node, r.text(rel, T_CW.fromPart))
        target = _part_ref(node, r.text(rel, T_CW.toPart))
        stated.append(
            (at, Relation(relation, source=source, target=target, valence=r.valence(rel), **common))
        )
    return [relation for _at, relation in sorted(stated, key=lambda pair: pair[0])]


def _slot(r: Reader, node: str, name: str) -> list[Part]:
    nodes = r.props(node).get(SLOT_PROPERTY[name])
    if not nodes:
        return []
    ordered = sorted(set(nodes), key=lambda p: (r.integer(p, _POSITION), p))
    return [_part(r, p) for p in ordered]


def _cmoc(r: Reader, node: str) -> CMOC:
    return CMOC(
        id=r.ident(node, "cmoc"),
        phase=r.ref(node, T_CW.phase, "phase"),
        citation=r.citation(node) or Citation("", "", ""),
        evidence=r.evidence(node),
        **{name: _slot(r, node, name) for name in SLOT_NAMES},
        title=r.text(node, T_DCTERMS.title),
        statement=r.text(node, T_CW.statement),
        kind=r.text(node, T_CW.kind) or "cmoc",
        status=r.status(node),
        relations=_relations(r, node),
        ioc_types=r.ids(node, T_CW.iocType, "ioc_type"),
        ioc_types_inferred=r.flag(node, T_CW.iocTypesInferred),
        incomplete=r.flag(node, T_CW.incomplete),
        split_inferred=r.flag(node, T_CW.splitInferred),
        configuration_inferred=r.flag(node, T_CW.configurationInferred),
        predecessors=r.predecessors(node),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
        history=r.history(node),
    )


def _link(r: Reader, node: str) -> CausalLink:
    return CausalLink(
        id=r.ident(node, "link"),
        phase=r.ref(node, T_CW.phase, "phase"),
        citation=r.citation(node) or Citation("", "", ""),
        evidence=r.evidence(node),
        source=_part(r, r.text(node, T_CW.cause)),
        target=_part(r, r.text(node, T_CW.effect)),
        relation=r.text(node, T_CW.relation),
        valence=r.valence(node),
        kind=r.text(node, T_CW.kind) or "stated",
        inferred=r.flag(node, T_CW.inferred),
        derived_from=r.ref(node, T_CW.derivedFromLink, "link") or None,
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
        history=r.history(node),
    )


def _mechanism(r: Reader, node: str) -> MechanismEntry:
    return MechanismEntry(
        id=r.ident(node, "mechanism"),
        phase=r.ref(node, T_CW.phase, "phase"),
        citation=r.citation(node) or Citation("", "", ""),
        evidence=r.evidence(node),
        concept=r.ref(node, T_CW.concept, "concept"),
        label=r.text(node, T_CW.publishedLabel) or r.text(node, _LABEL),
        initial_label=r.text(node, T_CW.initialLabel),
        mechanism_type=r.text(node, T_CW.mechanismType),
        most_frequent_outcome=r.text(node, T_CW.mostFrequentOutcome),
        status=r.status(node),
        status_inferred=r.flag(node, T_CW.statusInferred),
        predecessors=r.predecessors(node),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
        history=r.history(node),
    )


def _nesting(r: Reader, node: str) -> Nesting:
    return Nesting(
        id=r.ident(node, "nesting"),
        source=r.ref(node, T_CW.nestedFrom, "cmoc"),
        target=r.ref(node, T_CW.nestedInto, "cmoc"),
        as_slot=r.text(node, T_CW.nestedAs) or "context",
        provenance=r.text(node, T_CW.provenance) or "curator",
        concept=r.ref(node, T_CW.concept, "concept") or None,
        evidence=r.evidence(node),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
    )


def _entry_point(r: Reader, node: str) -> EntryPoint:
    evidence = r.evidence(node)
    return EntryPoint(
        id=r.ident(node, "entry_point"),
        label=r.text(node, _LABEL),
        citation=r.citation(node) or Citation("", "", ""),
        evidence=evidence,
        explanation=r.text(node, T_CW.explanation),
        references=r.texts(node, T_CW.reference),
        sources=r.ids(node, T_CW.supportedBy, "source", {item.source for item in evidence}),
        split_inferred=r.flag(node, T_CW.splitInferred),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
    )


def _demi_regularity(r: Reader, node: str) -> DemiRegularity:
    return DemiRegularity(
        id=r.ident(node, "demi_regularity"),
        statement=r.text(node, T_CW.statement),
        cmocs=r.ids(node, T_CW.aboutCMOC, "cmoc"),
        evidence=r.evidence(node),
        citation=r.citation(node),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
    )


def _theory(r: Reader, node: str) -> MiddleRangeTheory:
    return MiddleRangeTheory(
        id=r.ident(node, "theory"),
        label=r.text(node, _LABEL),
        cmocs=r.ids(node, T_CW.aboutCMOC, "cmoc"),
        evidence=r.evidence(node),
        description=r.text(node, T_DCTERMS.description),
        citation=r.citation(node),
        notes=r.notes(node),
        file=r.text(node, T_CW.dataFile),
    )
