"""The project's own RDF vocabulary as a closed namespace.

Generated from ``ontology/causal-web.ttl`` by ``causal-web dev namespace``; a test fails when
the two drift. A misspelt term raises at import time instead of minting a stray IRI.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = ["CW", "CW_IRI"]

CW_IRI = "https://w3id.org/causal-web/ns#"


class CW(DefinedNamespace):
    """causal-web ontology terms."""

    _NS = Namespace(CW_IRI)
    _fail = True

    # classes
    ActorPart: URIRef
    CMOC: URIRef
    CausalLink: URIRef
    Citation: URIRef
    ContextPart: URIRef
    CoverageEntry: URIRef
    DemiRegularity: URIRef
    EntryPoint: URIRef
    EvidenceBase: URIRef
    EvidenceItem: URIRef
    EvidenceType: URIRef
    IOCType: URIRef
    InterventionPart: URIRef
    Judgement: URIRef
    LinkEnd: URIRef
    MechanismEntry: URIRef
    MechanismPart: URIRef
    MechanismResourcePart: URIRef
    MechanismResponsePart: URIRef
    MiddleRangeTheory: URIRef
    Nesting: URIRef
    OutcomePart: URIRef
    Part: URIRef
    Phase: URIRef
    PhaseType: URIRef
    Polarity: URIRef
    Relation: URIRef
    RelationType: URIRef
    Source: URIRef
    Status: URIRef
    TheoryLink: URIRef
    Valence: URIRef
    ValueList: URIRef

    # individuals
    AuthorStatement: URIRef
    PrimaryStudyFinding: URIRef
    InterviewData: URIRef
    CuratorInference: URIRef
    Confirms: URIRef
    Refutes: URIRef
    Refines: URIRef
    InitialTheory: URIRef
    RefinedTheory: URIRef
    TestedTheory: URIRef
    Synthesis: URIRef
    Increase: URIRef
    Decrease: URIRef
    Unspecified: URIRef
    Enables: URIRef
    Constrains: URIRef
    Generates: URIRef
    Tempers: URIRef
    Conjunction: URIRef
    Affirmed: URIRef
    Retained: URIRef
    Refined: URIRef
    Refuted: URIRef
    New: URIRef
    Positive: URIRef
    Negative: URIRef

    # properties
    aboutCMOC: URIRef
    authors: URIRef
    baseKind: URIRef
    cause: URIRef
    citation: URIRef
    citedBy: URIRef
    citedSource: URIRef
    coder: URIRef
    collaborationType: URIRef
    concept: URIRef
    configurationInferred: URIRef
    confirmsRecord: URIRef
    constrains: URIRef
    curatedFile: URIRef
    dataFile: URIRef
    derivedFromLink: URIRef
    doi: URIRef
    earlierRecord: URIRef
    effect: URIRef
    enables: URIRef
    evidenceSource: URIRef
    evidenceType: URIRef
    explanation: URIRef
    fromPart: URIRef
    generates: URIRef
    group: URIRef
    hasActor: URIRef
    hasContext: URIRef
    hasEvidence: URIRef
    hasIntervention: URIRef
    hasMechanism: URIRef
    hasMechanismResource: URIRef
    hasMechanismResponse: URIRef
    hasOutcome: URIRef
    hasRelation: URIRef
    hasTheoryLink: URIRef
    inBase: URIRef
    incomplete: URIRef
    inferred: URIRef
    initialLabel: URIRef
    iocType: URIRef
    iocTypesInferred: URIRef
    joinsPart: URIRef
    judgement: URIRef
    kind: URIRef
    ledgerEntry: URIRef
    listOf: URIRef
    mechanismType: URIRef
    mostFrequentOutcome: URIRef
    nestedAs: URIRef
    nestedFrom: URIRef
    nestedInto: URIRef
    order: URIRef
    page: URIRef
    phase: URIRef
    phaseType: URIRef
    polarity: URIRef
    position: URIRef
    previousInferred: URIRef
    previousPhase: URIRef
    provenance: URIRef
    publishedLabel: URIRef
    quote: URIRef
    quoteTarget: URIRef
    reference: URIRef
    refinesRecord: URIRef
    refutesRecord: URIRef
    relation: URIRef
    relationType: URIRef
    relevance: URIRef
    reportedIn: URIRef
    rigour: URIRef
    role: URIRef
    row: URIRef
    section: URIRef
    sequence: URIRef
    sourceKind: URIRef
    splitInferred: URIRef
    statedBySource: URIRef
    statedPosition: URIRef
    statement: URIRef
    status: URIRef
    statusInferred: URIRef
    supportedBy: URIRef
    table: URIRef
    textFile: URIRef
    titleInferred: URIRef
    toPart: URIRef
    valence: URIRef
    valueList: URIRef
