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
    CMOC: URIRef
    CausalLink: URIRef
    Citation: URIRef
    ContextSlot: URIRef
    IOCType: URIRef
    MechanismEntry: URIRef
    MechanismSlot: URIRef
    OutcomeSlot: URIRef
    Phase: URIRef
    Polarity: URIRef
    RecordKind: URIRef
    Sign: URIRef
    Slot: URIRef
    Source: URIRef
    Status: URIRef

    # individuals
    Increase: URIRef
    Decrease: URIRef
    Unspecified: URIRef
    Positive: URIRef
    Negative: URIRef
    UnspecifiedSign: URIRef
    Affirmed: URIRef
    Refined: URIRef
    Refuted: URIRef
    New: URIRef

    # properties
    authors: URIRef
    cause: URIRef
    citation: URIRef
    citedSource: URIRef
    collaborationType: URIRef
    concept: URIRef
    curatedFile: URIRef
    doi: URIRef
    effect: URIRef
    group: URIRef
    hasContext: URIRef
    hasMechanism: URIRef
    hasOutcome: URIRef
    incomplete: URIRef
    inferred: URIRef
    initialLabel: URIRef
    iocType: URIRef
    kind: URIRef
    mechanismType: URIRef
    mostFrequentOutcome: URIRef
    order: URIRef
    phase: URIRef
    polarity: URIRef
    previousPhase: URIRef
    publishedLabel: URIRef
    relation: URIRef
    reportedIn: URIRef
    role: URIRef
    row: URIRef
    section: URIRef
    sign: URIRef
    sourceKind: URIRef
    status: URIRef
    supportedBy: URIRef
    table: URIRef
