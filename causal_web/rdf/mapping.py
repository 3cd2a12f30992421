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

from causal_web.evidence.quotes import quote_selector
from causal_web.model.loading import gc_paused
from causal_web.model.records import (
    CMOC,
    CausalLink,
    Citation,
    Dataset,
    DemiRegularity,
    EntryPoint,
    EvidenceItem,
    MechanismEntry,
    MiddleRangeTheory,
    Nesting,
    Part,
    Predecessor,
)
from causal_web.model.relations import derived_relations
from causal_web.rdf import mapping_terms as terms
from causal_web.rdf.convert import add_nquads
from causal_web.rdf.iris import DEFAULT_BASE_IRI, IRIs
from causal_web.rdf.mapping_concepts import GROUP_LABELS, exact_matches, write_concept
from causal_web.rdf.mapping_terms import carried_relations, write_coverage, write_value_list
from causal_web.rdf.namespaces import CW_IRI
from causal_web.rdf.nquads_writer import ID as _ID
from causal_web.rdf.nquads_writer import LABEL as _LABEL
from causal_web.rdf.nquads_writer import NOTE as _NOTE
from causal_web.rdf.nquads_writer import TRUE as _TRUE
from causal_web.rdf.nquads_writer import TYPE as _TYPE
from causal_web.rdf.nquads_writer import Writer as _Writer
from causal_web.rdf.nquads_writer import boolean as _boolean
from causal_web.rdf.nquads_writer import integer as _integer
from causal_web.rdf.nquads_writer import literal as _literal
from causal_web.rdf.nquads_writer import value_list as _list

# The terms as plain strings (mapping_terms.Terms), and the enumerations' individuals.
_CW, _DCTERMS, _PROV, _RDF = terms.T_CW, terms.T_DCTERMS, terms.T_PROV, terms.T_RDF
_RDFS, _SKOS, _XSD = terms.T_RDFS, terms.T_SKOS, terms.T_XSD
_POLARITY, _VALENCE, _STATUS, _JUDGEMENT = terms.POLARITY, terms.VALENCE, terms.STATUS, terms.JUDGEMENT
_THEORY_SHORTCUT, _EVIDENCE_TYPE, _PHASE_TYPE = terms.THEORY_SHORTCUT, terms.EVIDENCE_TYPE, terms.PHASE_TYPE
_RELATION_TYPE, _RELATION_SHORTCUT = terms.RELATION_TYPE, terms.RELATION_SHORTCUT
_SLOT_CLASS, _SLOT_PROPERTY, _SLOT_PATH = terms.SLOT_CLASS, terms.SLOT_PROPERTY, terms.SLOT_PATH

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
    "oa": "http://www.w3.org/ns/oa#",
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}


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


def _part(w: _Writer, iris: IRIs, node: str, cls: str, part: Part, position: int = 0) -> None:
    w.iri(node, _TYPE, cls)
    w.text(node, _CW.publishedLabel, part.label)
    if part.concept is not None:
        w.iri(node, _CW.concept, iris.concept(part.concept))
    w.iri(node, _CW.polarity, _POLARITY[part.polarity])
    w.add(node, _CW.inferred, _boolean(part.inferred))
    if position:
        w.add(node, _CW.position, f'"{position}"^^<{_XSD.integer}>')


def _evidence(w: _Writer, iris: IRIs, dataset: Dataset, owner: str, evidence: list[EvidenceItem]) -> None:
    for source in dict.fromkeys(item.source for item in evidence):
        w.iri(owner, _CW.supportedBy, iris.source(source))
    for position, item in enumerate(evidence, start=1):
        node = f"{owner}/evidence/{position}"
        w.iri(owner, _CW.hasEvidence, node)
        w.iri(node, _TYPE, _CW.EvidenceItem)
        w.iri(node, _CW.evidenceSource, iris.source(item.source))
        w.iri(node, _CW.judgement, _JUDGEMENT[item.judgement])
        w.iri(node, _CW.evidenceType, _EVIDENCE_TYPE[item.evidence_type])
        w.iri(node, _CW.inBase, iris.base_of_evidence(dataset.base_of(item)))
        w.text(node, _CW.table, item.table)
        w.text(node, _CW.row, item.row)
        w.text(node, _CW.page, item.page)
        w.text(node, _CW.section, item.section)
        w.text(node, _CW.quote, item.quote)
        if item.quote:
            _quote_selector(w, iris, dataset, node, item)
        w.text(node, _CW.relevance, item.relevance)
        w.text(node, _CW.rigour, item.rigour)
        w.text(node, _CW.coder, item.coder)
        w.text(node, _NOTE, item.notes)


_OA = "http://www.w3.org/ns/oa#"


def _quote_selector(w: _Writer, iris: IRIs, dataset: Dataset, node: str, item: EvidenceItem) -> None:
    """The quote as a W3C Web Annotation target: the source, and a TextQuoteSelector cut from the
    source's text (exact, prefix, suffix), or holding the quote alone when there is no text."""
    selector = quote_selector(item.quote, dataset.texts.get(item.source)) or quote_selector(item.quote, None)
    assert selector is not None
    target, select = f"{node}/quote", f"{node}/quote/selector"
    w.iri(node, _CW.quoteTarget, target)
    w.iri(target, _TYPE, _OA + "SpecificResource")
    w.iri(target, _OA + "hasSource", iris.source(item.source))
    w.iri(target, _OA + "hasSelector", select)
    w.iri(select, _TYPE, _OA + "TextQuoteSelector")
    w.text(select, _OA + "exact", selector.exact)
    w.text(select, _OA + "prefix", selector.prefix)
    w.text(select, _OA + "suffix", selector.suffix)


def _predecessors(w: _Writer, iris: IRIs, dataset: Dataset, owner: str, links: list[Predecessor]) -> None:
    for position, link in enumerate(links, start=1):
        earlier = iris.cmoc(link.record) if link.record in dataset.cmocs else iris.mechanism(link.record)
        node = f"{owner}/predecessors/{position}"
        w.iri(owner, _CW.hasTheoryLink, node)
        w.iri(owner, _THEORY_SHORTCUT[link.relation], earlier)
        w.iri(node, _TYPE, _CW.TheoryLink)
        w.iri(node, _CW.earlierRecord, earlier)
        w.iri(node, _CW.judgement, _JUDGEMENT[link.relation])
        w.add(node, _CW.inferred, _boolean(link.inferred))
        w.text(node, _NOTE, link.notes)


def _record(
    w: _Writer, iris: IRIs, dataset: Dataset, node: str, record: CMOC | CausalLink | MechanismEntry
) -> None:
    w.text(node, _ID, record.id)
    w.iri(node, _CW.phase, iris.phase(record.phase))
    _evidence(w, iris, dataset, node, record.evidence)
    _citation(w, iris, node, record.citation)
    w.text(node, _NOTE, record.notes)
    _history(w, node, record.history)


def _history(w: _Writer, node: str, events: list) -> None:
    """The audit trail as PROV activities: an import generated the record, later events used it."""
    for position, event in enumerate(events, start=1):
        activity = f"{node}/history/{position}"
        agent = f"{activity}/agent"
        w.iri(activity, _TYPE, _PROV.Activity)
        w.text(activity, _LABEL, event.what)
        kind = _XSD.dateTime if "T" in event.date else _XSD.date
        w.add(activity, _PROV.endedAtTime, f'"{event.date}"^^<{kind}>')
        w.iri(activity, _PROV.wasAssociatedWith, agent)
        w.iri(agent, _TYPE, _PROV.Agent)
        w.text(agent, _LABEL, event.by)
        w.text(activity, _RDFS.comment, event.why)
        if event.what == "import" and position == 1:
            w.iri(activity, _PROV.generated, node)
            w.iri(node, _PROV.wasGeneratedBy, activity)
        else:
            w.iri(activity, _PROV.used, node)


def _cmoc(w: _Writer, iris: IRIs, dataset: Dataset, cmoc: CMOC) -> None:
    node = iris.cmoc(cmoc.id)
    w.iri(node, _TYPE, _CW.CMOC)
    w.text(node, _LABEL, cmoc.title or cmoc.id)
    w.text(node, _DCTERMS.title, cmoc.title)
    w.text(node, _CW.statement, cmoc.statement)
    w.text(node, _CW.kind, cmoc.kind)
    _record(w, iris, dataset, node, cmoc)
    if cmoc.status:
        w.iri(node, _CW.status, _STATUS[cmoc.status])
    w.add(node, _CW.incomplete, _boolean(cmoc.incomplete))
    w.add(node, _CW.splitInferred, _boolean(cmoc.split_inferred))
    w.add(node, _CW.configurationInferred, _boolean(cmoc.configuration_inferred))
    if cmoc.ioc_types or cmoc.ioc_types_inferred:
        w.add(node, _CW.iocTypesInferred, _boolean(cmoc.ioc_types_inferred))
    for ioc in cmoc.ioc_types:
        w.iri(node, _CW.iocType, iris.ioc_type(ioc))
    _list(w, node, "ioc-types", _CW.iocType, cmoc.ioc_types, sorted(set(cmoc.ioc_types)), iris.ioc_type)

    def part_iri(slot: str, index: int) -> str:
        return f"{node}/{_SLOT_PATH[slot]}/{index + 1}"

    for name, index, part in cmoc.parts():
        part_node = part_iri(name, index)
        w.iri(node, _SLOT_PROPERTY[name], part_node)
        _part(w, iris, part_node, _SLOT_CLASS[name], part, index + 1)
    position = 0
    derived = derived_relations(cmoc)
    carried = carried_relations(cmoc, derived)
    for relation in derived:
        position += 1
        rel = f"{node}/relations/{position}"
        cause, effect = (
            part_iri(relation.source.slot, relation.source.index),
            part_iri(relation.target.slot, relation.target.index),
        )
        w.iri(node, _CW.hasRelation, rel)
        w.iri(rel, _TYPE, _CW.Relation)
        w.iri(rel, _CW.relationType, _RELATION_TYPE[relation.relation])
        w.iri(rel, _CW.fromPart, cause)
        w.iri(rel, _CW.toPart, effect)
        if relation.stated_valence is not None:
            w.iri(rel, _CW.valence, _VALENCE[relation.stated_valence])
        w.add(rel, _CW.statedBySource, _boolean(relation.stated))
        w.iri(cause, _RELATION_SHORTCUT[relation.relation], effect)
        if position in carried:  # the stated relation this derived one stands for
            stated = cmoc.relations[carried[position] - 1]
            w.add(rel, _CW.statedPosition, _integer(carried[position]))
            w.add(rel, _CW.inferred, _boolean(stated.inferred))
            w.text(rel, _NOTE, stated.notes)
    standing_for = set(carried.values())
    for stated_at, stated in enumerate(cmoc.relations, start=1):
        if stated_at in standing_for:
            continue  # written on the derived relation it qualifies
        position += 1
        rel = f"{node}/relations/{position}"
        w.iri(node, _CW.hasRelation, rel)
        w.iri(rel, _TYPE, _CW.Relation)
        w.iri(rel, _CW.relationType, _RELATION_TYPE[stated.relation])
        w.add(rel, _CW.statedBySource, _TRUE)
        w.add(rel, _CW.inferred, _boolean(stated.inferred))
        w.add(rel, _CW.statedPosition, _integer(stated_at))
        w.text(rel, _NOTE, stated.notes)
        if stated.relation == "and":
            joined = [part_iri(ref.slot, ref.index) for ref in stated.parts]
            for part in joined:
                w.iri(rel, _CW.joinsPart, part)
            _list(w, rel, "parts", _CW.joinsPart, joined, sorted(set(joined)))
        elif stated.source is not None and stated.target is not None:
            w.iri(rel, _CW.fromPart, part_iri(stated.source.slot, stated.source.index))
            w.iri(rel, _CW.toPart, part_iri(stated.target.slot, stated.target.index))
            if stated.valence.signed:
                w.iri(rel, _CW.valence, _VALENCE[stated.valence])
    _predecessors(w, iris, dataset, node, cmoc.predecessors)


def _link(w: _Writer, iris: IRIs, dataset: Dataset, link: CausalLink) -> None:
    node = iris.link(link.id)
    w.iri(node, _TYPE, _CW.CausalLink)
    w.text(node, _LABEL, link.id)
    w.text(node, _CW.kind, link.kind)
    _record(w, iris, dataset, node, link)
    w.add(node, _CW.inferred, _boolean(link.inferred))
    w.text(node, _CW.relation, link.relation)
    if link.valence.signed:
        w.iri(node, _CW.valence, _VALENCE[link.valence])
    if link.derived_from:
        w.iri(node, _CW.derivedFromLink, iris.link(link.derived_from))
    for prop, end, part in ((_CW.cause, "from", link.source), (_CW.effect, "to", link.target)):
        w.iri(node, prop, f"{node}/{end}")
        _part(w, iris, f"{node}/{end}", _CW.LinkEnd, part)


def _mechanism(w: _Writer, iris: IRIs, dataset: Dataset, entry: MechanismEntry) -> None:
    node = iris.mechanism(entry.id)
    w.iri(node, _TYPE, _CW.MechanismEntry)
    w.text(node, _LABEL, entry.label)
    _record(w, iris, dataset, node, entry)
    w.iri(node, _CW.concept, iris.concept(entry.concept))
    w.text(node, _CW.publishedLabel, entry.label)
    w.text(node, _CW.initialLabel, entry.initial_label)
    w.text(node, _CW.mechanismType, entry.mechanism_type)
    w.text(node, _CW.mostFrequentOutcome, entry.most_frequent_outcome)
    if entry.status:
        w.iri(node, _CW.status, _STATUS[entry.status])
    if entry.status or entry.status_inferred:
        w.add(node, _CW.statusInferred, _boolean(entry.status_inferred))
    _predecessors(w, iris, dataset, node, entry.predecessors)


def _nesting(w: _Writer, iris: IRIs, dataset: Dataset, nesting: Nesting) -> None:
    node = iris.nesting(nesting.id)
    w.iri(node, _TYPE, _CW.Nesting)
    w.text(node, _ID, nesting.id)
    w.text(node, _LABEL, f"{nesting.source} → {nesting.target}")
    w.iri(node, _CW.nestedFrom, iris.cmoc(nesting.source))
    w.iri(node, _CW.nestedInto, iris.cmoc(nesting.target))
    w.text(node, _CW.nestedAs, nesting.as_slot)
    w.text(node, _CW.provenance, nesting.provenance)
    if nesting.concept:
        w.iri(node, _CW.concept, iris.concept(nesting.concept))
    _evidence(w, iris, dataset, node, nesting.evidence)
    w.text(node, _NOTE, nesting.notes)


def _entry_point(w: _Writer, iris: IRIs, dataset: Dataset, point: EntryPoint) -> None:
    node = iris.entry_point(point.id)
    w.iri(node, _TYPE, _CW.EntryPoint)
    w.text(node, _ID, point.id)
    w.text(node, _LABEL, point.label)
    w.text(node, _CW.explanation, point.explanation)
    for reference in point.references:
        w.text(node, _CW.reference, reference)
    references = [r for r in point.references if r]
    write_value_list(w.add, node, "references", _CW.reference, references, sorted(set(references)), _literal)
    w.add(node, _CW.splitInferred, _boolean(point.split_inferred))
    _evidence(w, iris, dataset, node, point.evidence)
    for source in point.sources:
        w.iri(node, _CW.supportedBy, iris.source(source))
    cited = sorted(set(point.sources) - {item.source for item in point.evidence})
    _list(w, node, "sources", _CW.supportedBy, point.sources, cited, iris.source)
    _citation(w, iris, node, point.citation)
    w.text(node, _NOTE, point.notes)


def _pattern(w: _Writer, iris: IRIs, dataset: Dataset, record: DemiRegularity | MiddleRangeTheory) -> None:
    if isinstance(record, DemiRegularity):
        node = iris.demi_regularity(record.id)
        w.iri(node, _TYPE, _CW.DemiRegularity)
        w.text(node, _LABEL, record.id)
        w.text(node, _CW.statement, record.statement)
    else:
        node = iris.theory(record.id)
        w.iri(node, _TYPE, _CW.MiddleRangeTheory)
        w.text(node, _LABEL, record.label)
        w.text(node, _DCTERMS.description, record.description)
    w.text(node, _ID, record.id)
    for cmoc in record.cmocs:
        w.iri(node, _CW.aboutCMOC, iris.cmoc(cmoc))
    _list(w, node, "cmocs", _CW.aboutCMOC, record.cmocs, sorted(set(record.cmocs)), iris.cmoc)
    _evidence(w, iris, dataset, node, record.evidence)
    if record.citation is not None:
        _citation(w, iris, node, record.citation)
    w.text(node, _NOTE, record.notes)


def _catalogue(w: _Writer, iris: IRIs, dataset: Dataset) -> None:
    for sequence, phase in enumerate(dataset.phases.values(), start=1):
        node = iris.phase(phase.id)
        w.iri(node, _TYPE, _CW.Phase)
        w.add(node, _CW.sequence, _integer(sequence))
        w.iri(node, _TYPE, _PROV.Collection)
        w.text(node, _ID, phase.id)
        w.text(node, _LABEL, phase.label)
        w.add(node, _CW.order, f'"{phase.order}"^^<{_XSD.integer}>')
        if phase.source:
            w.iri(node, _CW.reportedIn, iris.source(phase.source))
        w.iri(node, _CW.phaseType, _PHASE_TYPE[phase.type])
        if phase.previous:
            w.iri(node, _CW.previousPhase, iris.phase(phase.previous))
            w.add(node, _CW.previousInferred, _boolean(phase.previous_inferred))
        w.text(node, _DCTERMS.description, phase.description)
        w.text(node, _NOTE, phase.notes)
    declared = {base: sequence for sequence, base in enumerate(dataset.bases, start=1)}
    for base in dataset.all_bases().values():
        node = iris.base_of_evidence(base.id)
        w.iri(node, _TYPE, _CW.EvidenceBase)
        w.text(node, _ID, base.id)
        w.text(node, _LABEL, base.label)
        w.text(node, _CW.baseKind, base.kind)
        w.text(node, _NOTE, base.notes)
        if base.id in declared:  # a source's own base, made up by all_bases, has no place
            w.add(node, _CW.sequence, _integer(declared[base.id]))
    for sequence, source in enumerate(dataset.sources.values(), start=1):
        node = iris.source(source.id)
        w.iri(node, _TYPE, _CW.Source)
        w.add(node, _CW.sequence, _integer(sequence))
        w.text(node, _ID, source.id)
        w.text(node, _CW.sourceKind, source.kind)
        w.text(node, _DCTERMS.title, source.title)
        if source.title and source.title_inferred:
            w.add(node, _CW.titleInferred, _TRUE)
        w.iri(node, _CW.inBase, iris.base_of_evidence(source.base or source.id))
        if source.incomplete:
            w.add(node, _CW.incomplete, _TRUE)
        w.text(node, _CW.authors, source.authors)
        w.text(node, _DCTERMS.date, source.year)
        w.text(node, _DCTERMS.bibliographicCitation, source.venue)
        w.text(node, _CW.doi, source.doi)
        w.text(node, _CW.collaborationType, source.collaboration_type)
        w.text(node, _NOTE, source.notes)
        if source.part_of:
            w.iri(node, _DCTERMS.isPartOf, iris.source(source.part_of))
        if source.cited_by:
            w.iri(node, _CW.citedBy, iris.source(source.cited_by))
        if source.citation:
            _citation(w, iris, node, source.citation)
        w.text(node, _CW.textFile, source.text)
        w.text(node, _DCTERMS.abstract, source.abstract)
    scheme = iris.scheme
    w.iri(scheme, _TYPE, _SKOS.ConceptScheme)
    w.text(scheme, _DCTERMS.title, str(dataset.scheme.get("title", "")), "en")
    w.text(scheme, _SKOS.prefLabel, str(dataset.scheme.get("title", "")), "en")
    w.text(scheme, _ID, str(dataset.scheme.get("id", "")))
    children = dataset.children()
    groups = {c.group for c in dataset.concepts.values() if c.group}
    for group in sorted(groups):
        node = iris.group(group)
        w.iri(node, _TYPE, _SKOS.Collection)
        w.text(node, _SKOS.prefLabel, GROUP_LABELS.get(group, group), "en")
    related_by: dict[str, set[str]] = {}
    for concept in dataset.concepts.values():
        for other in concept.related:
            related_by.setdefault(other, set()).add(concept.id)
    for sequence, concept in enumerate(dataset.concepts.values(), start=1):
        write_concept(w, iris, concept, children.get(concept.id, []), related_by.get(concept.id, set()))
        w.add(iris.concept(concept.id), _CW.sequence, _integer(sequence))
    ioc_scheme = iris.ioc_type("")
    w.iri(ioc_scheme, _TYPE, _SKOS.ConceptScheme)
    w.text(ioc_scheme, _DCTERMS.title, "Types of inter-organisational collaboration", "en")
    w.text(ioc_scheme, _SKOS.prefLabel, "Types of inter-organisational collaboration", "en")
    for sequence, ioc in enumerate(dataset.ioc_types.values(), start=1):
        node = iris.ioc_type(ioc.id)
        w.iri(node, _SKOS.inScheme, ioc_scheme)
        w.add(node, _CW.sequence, _integer(sequence))
        w.iri(node, _TYPE, _CW.IOCType)
        w.iri(node, _TYPE, _SKOS.Concept)
        w.text(node, _SKOS.prefLabel, ioc.pref_label, "en")
        w.text(node, _SKOS.definition, ioc.definition, "en")
        w.text(node, _ID, ioc.id)
        w.iri(node, _SKOS.topConceptOf, ioc_scheme)
        w.iri(ioc_scheme, _SKOS.hasTopConcept, node)
        exact_matches(w, iris, node, ioc)
    for table, writer, mint in (
        (dataset.nestings, _nesting, iris.nesting),
        (dataset.entry_points, _entry_point, iris.entry_point),
        (dataset.demi_regularities, _pattern, iris.demi_regularity),
        (dataset.theories, _pattern, iris.theory),
    ):
        for sequence, record in enumerate(table.values(), start=1):
            writer(w, iris, dataset, record)
            _placement(w, mint(record.id), sequence, record.file)
    write_coverage(w.add, iris.base, dataset.coverage, _literal)


def _placement(w: _Writer, node: str, sequence: int, file: str) -> None:
    """Where the record sits in the data folder: its place in its table, and its file."""
    w.add(node, _CW.sequence, _integer(sequence))
    w.text(node, _CW.dataFile, file)


def _by_phase(dataset: Dataset) -> dict[str, list]:
    groups: dict[str, list] = {}
    for collection in (dataset.cmocs, dataset.links, dataset.mechanisms):
        for sequence, record in enumerate(collection.values(), start=1):
            groups.setdefault(record.phase, []).append((sequence, record))
    return groups


def iter_nquads(dataset: Dataset, base: str = DEFAULT_BASE_IRI) -> Iterator[str]:
    """N-Quads lines for the whole dataset, graph by graph."""
    iris = IRIs(base)
    w = _Writer()
    w.graph = f"<{iris.graph('catalogue')}>"
    _catalogue(w, iris, dataset)
    yield from w.lines
    writers = {
        CMOC: (_cmoc, iris.cmoc),
        CausalLink: (_link, iris.link),
        MechanismEntry: (_mechanism, iris.mechanism),
    }
    for phase, records in sorted(_by_phase(dataset).items()):
        w.lines = []
        w.graph = f"<{iris.graph(phase)}>"
        for sequence, record in records:
            writer, mint = writers[type(record)]
            writer(w, iris, dataset, record)
            _placement(w, mint(record.id), sequence, record.file)
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
