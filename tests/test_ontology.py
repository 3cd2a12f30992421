"""The ontology and SHACL shapes: they parse, document every term, agree with the namespace
module, accept data written as docs/rdf.md describes and reject broken variants of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from causal_web.rdf.namespaces import CW, CW_IRI
from causal_web.rdf.ontology_terms import ontology_namespace, ontology_terms, render_namespace_module

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = REPO / "ontology"
BASE = "https://w3id.org/causal-web/"

VALID_DATA = """
@prefix cw:      <https://w3id.org/causal-web/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .

<phases/review-2021> a cw:Phase , prov:Collection ;
    dcterms:identifier "review-2021" ; rdfs:label "Initial realist review (2021)" ;
    cw:order 1 ; cw:phaseType cw:InitialTheory ; cw:reportedIn <sources/aunger-2021-review> .

<bases/ioc-synthesis> a cw:EvidenceBase ; dcterms:identifier "ioc-synthesis" ;
    rdfs:label "The project's literature synthesis" ; cw:baseKind "review" .
<bases/R21-S001> a cw:EvidenceBase ; dcterms:identifier "R21-S001" ;
    rdfs:label "R21-S001 (its own evidence base)" ; cw:baseKind "primary-study" .

<sources/aunger-2021-review> a cw:Source ;
    dcterms:identifier "aunger-2021-review" ; dcterms:title "A realist review" ;
    cw:authors "Aunger JA, Millar R" ; dcterms:date "2021" ; cw:sourceKind "paper" ;
    cw:inBase <bases/ioc-synthesis> ;
    dcterms:bibliographicCitation "Health Research Policy and Systems" ; cw:doi "10.1186/example" .

<sources/R21-S001> a cw:Source ;
    dcterms:identifier "R21-S001" ; cw:sourceKind "study" ; cw:collaborationType "Mergers" ;
    cw:inBase <bases/R21-S001> ;
    dcterms:isPartOf <sources/aunger-2021-review> ; cw:citation <sources/R21-S001/citation> .
<sources/R21-S001/citation> a cw:Citation ;
    cw:citedSource <sources/aunger-2021-review> ; cw:table "Table 1" ; cw:row "1" .

<concepts/> a skos:ConceptScheme ; dcterms:title "IOC concepts" .
<concepts/shared-vision> a skos:Concept ; skos:inScheme <concepts/> ;
    skos:prefLabel "Shared vision"@en ; cw:role "context" .
<concepts/conflict> a skos:Concept ; skos:inScheme <concepts/> ;
    skos:prefLabel "Conflict"@en ; cw:role "mechanism" ;
    cw:group <concepts/groups/supporting-mechanism> .
<concepts/trust> a skos:Concept ; skos:inScheme <concepts/> ;
    skos:prefLabel "Trust"@en ; skos:altLabel "Enhanced trust"@en ;
    skos:related <concepts/conflict> ; cw:role "mechanism" ;
    cw:group <concepts/groups/core-mechanism> .
<concepts/groups/core-mechanism> a skos:Collection ; skos:prefLabel "Core mechanisms"@en ;
    skos:member <concepts/trust> .
<concepts/groups/supporting-mechanism> a skos:Collection ;
    skos:prefLabel "Supporting mechanisms"@en ; skos:member <concepts/conflict> .
<ioc-types/> a skos:ConceptScheme .
<ioc-types/mandated> a cw:IOCType , skos:Concept ;
    skos:inScheme <ioc-types/> ; skos:prefLabel "Mandated collaboration"@en .

<cmocs/R21-016> a cw:CMOC ;
    dcterms:identifier "R21-016" ; rdfs:label "R21-016" ; cw:kind "cmoc" ;
    cw:phase <phases/review-2021> ; cw:status cw:New ;
    cw:hasContext <cmocs/R21-016/context/1> ;
    cw:hasActor <cmocs/R21-016/actor/1> ;
    cw:hasMechanism <cmocs/R21-016/mechanism/1> ;
    cw:hasOutcome <cmocs/R21-016/outcome/1> ;
    cw:hasRelation <cmocs/R21-016/relations/1> ;
    cw:hasEvidence <cmocs/R21-016/evidence/1> ;
    cw:supportedBy <sources/aunger-2021-review> ; cw:iocType <ioc-types/mandated> ;
    cw:incomplete false ; cw:splitInferred true ;
    cw:citation <cmocs/R21-016/citation> ; skos:note "A note." .
<cmocs/R21-016/context/1> a cw:ContextPart ; cw:publishedLabel "Shared vision" ;
    cw:concept <concepts/shared-vision> ; cw:polarity cw:Unspecified ; cw:inferred false ;
    cw:position 1 ; cw:enables <cmocs/R21-016/mechanism/1> .
<cmocs/R21-016/actor/1> a cw:ActorPart ; cw:publishedLabel "Partner boards" ;
    cw:polarity cw:Unspecified .
<cmocs/R21-016/mechanism/1> a cw:MechanismPart ; cw:publishedLabel "Reduced conflict" ;
    cw:concept <concepts/conflict> ; cw:polarity cw:Decrease ; cw:inferred false .
<cmocs/R21-016/outcome/1> a cw:OutcomePart ; cw:publishedLabel "Enhanced trust" ;
    cw:concept <concepts/trust> ; cw:polarity cw:Increase ; cw:inferred true .
<cmocs/R21-016/relations/1> a cw:Relation ; cw:relationType cw:Enables ;
    cw:fromPart <cmocs/R21-016/context/1> ; cw:toPart <cmocs/R21-016/mechanism/1> ;
    cw:statedBySource false .
<cmocs/R21-016/evidence/1> a cw:EvidenceItem ;
    cw:evidenceSource <sources/aunger-2021-review> ; cw:judgement cw:Confirms ;
    cw:evidenceType cw:AuthorStatement ; cw:inBase <bases/ioc-synthesis> ;
    cw:table "Table 3" ; cw:row "16" .
<cmocs/R21-016/citation> a cw:Citation ;
    cw:citedSource <sources/aunger-2021-review> ; cw:table "Table 3" ; cw:row "16" ;
    cw:section "PARTNERSHIP FUNCTIONING / Conflict" ; cw:curatedFile "review2021_cmocs.csv" .

<cmocs/R21-017> a cw:CMOC ;
    dcterms:identifier "R21-017" ; rdfs:label "R21-017" ; cw:kind "mechanism-list" ;
    cw:phase <phases/review-2021> ;
    cw:hasMechanism <cmocs/R21-017/mechanism/1> ;
    cw:hasEvidence <cmocs/R21-017/evidence/1> ;
    cw:supportedBy <sources/aunger-2021-review> ;
    cw:incomplete false ; cw:citation <cmocs/R21-017/citation> .
<cmocs/R21-017/mechanism/1> a cw:MechanismPart ; cw:publishedLabel "Trust" ;
    cw:concept <concepts/trust> ; cw:polarity cw:Unspecified .
<cmocs/R21-017/evidence/1> a cw:EvidenceItem ;
    cw:evidenceSource <sources/R21-S001> ; cw:judgement cw:Refines ;
    cw:evidenceType cw:PrimaryStudyFinding ; cw:inBase <bases/R21-S001> .
<cmocs/R21-017/citation> a cw:Citation ;
    cw:citedSource <sources/aunger-2021-review> ; cw:table "Table 3" ; cw:row "17" .

<links/R21-L01> a cw:CausalLink ;
    dcterms:identifier "R21-L01" ; rdfs:label "R21-L01" ;
    cw:phase <phases/review-2021> ; cw:kind "stated" ; cw:inferred false ;
    cw:cause <links/R21-L01/from> ; cw:effect <links/R21-L01/to> ;
    cw:relation "decreases" ; cw:valence cw:Negative ;
    cw:hasEvidence <links/R21-L01/evidence/1> ;
    cw:supportedBy <sources/aunger-2021-review> ; cw:citation <links/R21-L01/citation> .
<links/R21-L01/from> a cw:LinkEnd ; cw:publishedLabel "Conflict" ;
    cw:concept <concepts/conflict> ; cw:polarity cw:Unspecified .
<links/R21-L01/to> a cw:LinkEnd ; cw:publishedLabel "Trust" ;
    cw:concept <concepts/trust> ; cw:polarity cw:Unspecified .
<links/R21-L01/evidence/1> a cw:EvidenceItem ;
    cw:evidenceSource <sources/aunger-2021-review> ; cw:judgement cw:Confirms ;
    cw:evidenceType cw:AuthorStatement ; cw:inBase <bases/ioc-synthesis> .
<links/R21-L01/citation> a cw:Citation ;
    cw:citedSource <sources/aunger-2021-review> ; cw:table "Table 2" ; cw:row "B21-M06" .

<mechanisms/R21-M01> a cw:MechanismEntry ;
    dcterms:identifier "R21-M01" ; rdfs:label "Conflict" ;
    cw:phase <phases/review-2021> ; cw:concept <concepts/conflict> ;
    cw:publishedLabel "Conflict" ; cw:initialLabel "Conflict" ;
    cw:mechanismType "mindset" ; cw:mostFrequentOutcome "Trust" ; cw:status cw:Retained ;
    cw:hasEvidence <mechanisms/R21-M01/evidence/1> ;
    cw:supportedBy <sources/aunger-2021-review> ; cw:citation <mechanisms/R21-M01/citation> .
<mechanisms/R21-M01/evidence/1> a cw:EvidenceItem ;
    cw:evidenceSource <sources/aunger-2021-review> ; cw:judgement cw:Confirms ;
    cw:evidenceType cw:AuthorStatement ; cw:inBase <bases/ioc-synthesis> .
<mechanisms/R21-M01/citation> a cw:Citation ;
    cw:citedSource <sources/aunger-2021-review> ; cw:table "Table 2" ; cw:row "6" .
"""


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "causal-web.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture
def data() -> Graph:
    return Graph().parse(data=VALID_DATA, format="turtle", publicID=BASE)


def run_shacl(data: Graph, shapes: Graph, ontology: Graph | None) -> tuple[bool, Graph, str]:
    conforms, results, text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    return bool(conforms), results, str(text)


def top_level_focus_nodes(results: Graph) -> set:
    """Focus nodes of the report's own results, not of the nested sh:detail ones."""
    return {
        results.value(result, SH.focusNode)
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for result in results.objects(report, SH.result)
    }


# --- the ontology ----------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    header = ontology.value(predicate=RDF.type, object=OWL.Ontology)
    assert header is not None
    assert str(ontology.value(header, OWL.versionInfo)) == "0.2.0"
    assert ontology.value(header, OWL.versionIRI) is not None
    for term in (DCTERMS.creator, DCTERMS.publisher, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(header, term) is not None, term
    assert ontology_namespace(ontology) == CW_IRI


def test_every_term_has_english_label_and_comment(ontology: Graph) -> None:
    missing = []
    for name in ontology_terms(ontology):
        term = URIRef(CW_IRI + name)
        for annotation in (RDFS.label, RDFS.comment):
            languages = {getattr(v, "language", None) for v in ontology.objects(term, annotation)}
            if "en" not in languages:
                missing.append(f"cw:{name} has no {annotation.n3(ontology.namespace_manager)}@en")
    assert not missing, "\n".join(missing)


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    missing = [
        f"cw:{name} lacks rdfs:{part}"
        for name, kind in ontology_terms(ontology).items()
        if kind == "property"
        for part, predicate in (("domain", RDFS.domain), ("range", RDFS.range))
        if ontology.value(URIRef(CW_IRI + name), predicate) is None
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "enumeration",
    [CW.Polarity, CW.Status, CW.Valence, CW.Judgement, CW.EvidenceType, CW.PhaseType, CW.RelationType],
)
def test_enumeration_lists_exactly_its_individuals(ontology: Graph, enumeration: URIRef) -> None:
    listed = [
        member
        for equivalent in ontology.objects(enumeration, OWL.equivalentClass)
        if (head := ontology.value(equivalent, OWL.oneOf)) is not None
        for member in Collection(ontology, head)
    ]
    typed = set(ontology.subjects(RDF.type, enumeration))
    assert listed and set(listed) == typed and len(listed) == len(typed)
    assert all((member, RDF.type, OWL.NamedIndividual) in ontology for member in listed)


def test_namespace_module_matches_ontology(ontology: Graph) -> None:
    committed = (REPO / "causal_web" / "rdf" / "namespaces.py").read_text(encoding="utf-8")
    assert committed == render_namespace_module(ontology), (
        "causal_web/rdf/namespaces.py has drifted from ontology/causal-web.ttl; "
        "run `causal-web dev namespace` to regenerate it"
    )


def test_ontology_terms_rejects_untyped_term(ontology: Graph) -> None:
    broken = Graph()
    for triple in ontology:
        broken.add(triple)
    broken.add((URIRef(CW_IRI + "stray"), RDFS.label, Literal("stray", lang="en")))
    with pytest.raises(ValueError, match="'stray' must have exactly one kind"):
        ontology_terms(broken)


# --- the shapes ------------------------------------------------------------------------------


def test_shapes_use_only_declared_terms(ontology: Graph, shapes: Graph) -> None:
    declared = set(ontology_terms(ontology))
    used = {
        str(node)[len(CW_IRI) :]
        for triple in shapes
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(CW_IRI)
    }
    assert used, "shapes.ttl uses no cw: terms"
    assert used <= declared, f"undeclared cw: terms in shapes.ttl: {sorted(used - declared)}"


def test_every_shape_tells_the_user_what_to_fix(shapes: Graph) -> None:
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert property_shapes
    unnamed = [
        shape.n3()
        for shape in property_shapes
        if shapes.value(shape, SH.name) is None or shapes.value(shape, SH.message) is None
    ]
    assert not unnamed, f"property shapes without sh:name and sh:message: {unnamed}"
    unlabelled = [
        shape.n3()
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        if shapes.value(shape, RDFS.label) is None
    ]
    assert not unlabelled, f"node shapes without rdfs:label: {unlabelled}"


@pytest.mark.parametrize("with_ontology", [True, False], ids=["ont_graph", "no_ont_graph"])
def test_valid_data_conforms(data: Graph, shapes: Graph, ontology: Graph, with_ontology: bool) -> None:
    conforms, _, text = run_shacl(data, shapes, ontology if with_ontology else None)
    assert conforms, text


# rdflib 7.6 warns from inside pyshacl's Dataset handling; nothing here to fix.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_valid_data_conforms_split_into_named_graphs(data: Graph, shapes: Graph, ontology: Graph) -> None:
    """As docs/rdf.md publishes it: records in the phase's graph, the rest in the catalogue."""
    dataset = Dataset()
    phase_graph = dataset.graph(iri("graphs/review-2021"))
    catalogue = dataset.graph(iri("graphs/catalogue"))
    records = {
        str(node)
        for record_class in (CW.CMOC, CW.CausalLink, CW.MechanismEntry)
        for node in data.subjects(RDF.type, record_class)
    }
    for triple in data:
        subject = str(triple[0])
        in_phase = subject in records or any(subject.startswith(r + "/") for r in records)
        (phase_graph if in_phase else catalogue).add(triple)
    assert len(phase_graph) and len(catalogue)
    conforms, _, text = run_shacl(dataset, shapes, ontology)  # type: ignore[arg-type]
    assert conforms, text
    # The phase graph alone leaves its phase, sources and concepts dangling.
    phase_only = Graph()
    for triple in phase_graph:
        phase_only.add(triple)
    alone, _, _ = run_shacl(phase_only, shapes, ontology)
    assert not alone


def _drop(subject: str, predicate: URIRef) -> Callable[[Graph], None]:
    def breaker(graph: Graph) -> None:
        assert (iri(subject), predicate, None) in graph
        graph.remove((iri(subject), predicate, None))

    return breaker


def _replace(subject: str, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    def breaker(graph: Graph) -> None:
        assert (iri(subject), predicate, None) in graph
        graph.set((iri(subject), predicate, value))

    return breaker


BROKEN = {
    "missing published label": (
        _drop("cmocs/R21-016/context/1", CW.publishedLabel),
        "cmocs/R21-016",
        "cmocs/R21-016/context/1",
    ),
    "empty published label": (
        _replace("cmocs/R21-016/context/1", CW.publishedLabel, Literal("")),
        "cmocs/R21-016",
        "cmocs/R21-016/context/1",
    ),
    "polarity as a string": (
        _replace("cmocs/R21-017/mechanism/1", CW.polarity, Literal("increase")),
        "cmocs/R21-017",
        "cmocs/R21-017/mechanism/1",
    ),
    "no supporting source": (_drop("cmocs/R21-016", CW.supportedBy), "cmocs/R21-016", None),
    "concept not a skos:Concept": (
        _replace("cmocs/R21-016/outcome/1", CW.concept, iri("concepts/undeclared")),
        "cmocs/R21-016",
        "cmocs/R21-016/outcome/1",
    ),
    "citation without row": (
        _drop("cmocs/R21-017/citation", CW.row),
        "cmocs/R21-017",
        "cmocs/R21-017/citation",
    ),
    "part under the wrong slot class": (
        _replace("cmocs/R21-016/context/1", RDF.type, CW.OutcomePart),
        "cmocs/R21-016",
        None,
    ),
    "no mechanism or outcome": (
        _drop("cmocs/R21-017", CW.hasMechanism),
        "cmocs/R21-017",
        None,
    ),
    "unknown record kind": (
        _replace("cmocs/R21-017", CW.kind, Literal("configuration")),
        "cmocs/R21-017",
        None,
    ),
    "link valence as a literal": (
        _replace("links/R21-L01", CW.valence, Literal("-")),
        "links/R21-L01",
        None,
    ),
    "phase order as a string": (
        _replace("phases/review-2021", CW.order, Literal("1")),
        "phases/review-2021",
        None,
    ),
    "unknown source kind": (
        _replace("sources/R21-S001", CW.sourceKind, Literal("book")),
        "sources/R21-S001",
        None,
    ),
    "concept outside the scheme": (
        _drop("concepts/trust", SKOS.inScheme),
        "concepts/trust",
        None,
    ),
    "evidence item without a judgement": (
        _drop("cmocs/R21-016/evidence/1", CW.judgement),
        "cmocs/R21-016",
        "cmocs/R21-016/evidence/1",
    ),
    "no evidence item": (_drop("cmocs/R21-017", CW.hasEvidence), "cmocs/R21-017", None),
    "relation of an unknown type": (
        _replace("cmocs/R21-016/relations/1", CW.relationType, CW.Increase),
        "cmocs/R21-016",
        "cmocs/R21-016/relations/1",
    ),
    "phase without a type": (_drop("phases/review-2021", CW.phaseType), "phases/review-2021", None),
    "source outside any evidence base": (
        _drop("sources/R21-S001", CW.inBase),
        "sources/R21-S001",
        None,
    ),
    "concept label without language": (
        _replace("concepts/trust", SKOS.prefLabel, Literal("Trust")),
        "concepts/trust",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_data_is_reported_on_its_record(
    data: Graph, shapes: Graph, ontology: Graph, case: str
) -> None:
    breaker, record, detail = BROKEN[case]
    breaker(data)
    conforms, results, text = run_shacl(data, shapes, ontology)
    assert not conforms, f"{case}: expected a violation"
    assert top_level_focus_nodes(results) == {iri(record)}, text
    assert iri(record) in text
    if detail is not None:
        # The nested sh:detail result names the slot or citation itself.
        assert (None, SH.focusNode, iri(detail)) in results, text
    messages = [str(m) for m in results.objects(None, SH.resultMessage)]
    assert messages and all(not m.startswith("Value does not") for m in messages), messages


def test_blank_part_is_still_checked(data: Graph, shapes: Graph, ontology: Graph) -> None:
    slot = BNode()
    data.add((iri("cmocs/R21-017"), CW.hasOutcome, slot))
    data.add((slot, RDF.type, CW.OutcomePart))
    conforms, results, text = run_shacl(data, shapes, ontology)
    assert not conforms
    assert top_level_focus_nodes(results) == {iri("cmocs/R21-017")}, text


def test_no_declared_term_goes_unused(ontology: Graph, shapes: Graph) -> None:
    """Every cw: term is used by data (the bundled review or the ICAMO test review), by the
    shapes, or as a class the ontology itself gives members, superclasses or ranges."""
    import causal_web
    from causal_web.rdf.mapping import union_graph

    used: set[str] = set()
    graphs = [shapes]
    for folder in (None, REPO / "tests" / "data" / "icamo"):
        graphs.append(union_graph(causal_web.load(folder).rdf))
    for graph in graphs:
        for triple in graph:
            used.update(
                str(n)[len(CW_IRI) :] for n in triple if isinstance(n, URIRef) and str(n).startswith(CW_IRI)
            )
    for predicate in (RDF.type, RDFS.subClassOf, RDFS.range, RDFS.domain):
        for _s, o in ontology.subject_objects(predicate):
            if isinstance(o, URIRef) and str(o).startswith(CW_IRI):
                used.add(str(o)[len(CW_IRI) :])
    unused = sorted(set(ontology_terms(ontology)) - used)
    assert unused == [], f"declared but never used: {unused}"
