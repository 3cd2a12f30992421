"""The terms the RDF mapping writes, shared by the writer and the reader, and the few encodings
that let the RDF be read back into the same records.

:mod:`causal_web.rdf.mapping` writes with these tables and :mod:`causal_web.rdf.read_back`
inverts them. Three encodings exist only so that nothing is lost on the way back (docs/rdf.md,
"Reading the RDF back"):

* a **value list** (:func:`write_value_list`): RDF gives a property's values as a set. Most
  lists of the data format read back by sorting those values; where that would not give the list
  back (another order, a repeat, or values of a property that the mapping also writes for other
  reasons, such as ``skos:related`` both ways), a ``cw:ValueList`` node ``{owner}/lists/{name}``
  holds the list as ``rdf:_1``, ``rdf:_2``, ...;
* the **stated relations** of a CMOC (:func:`carried_relations`): a stated valence rides on the
  derived relation it qualifies, every other stated relation gets a node of its own, and each
  carries ``cw:statedPosition``;
* the **coverage ledger** (:func:`write_coverage`): one ``cw:CoverageEntry`` per entry, holding
  the entry as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from causal_web.model.records import CMOC, Polarity, Valence
from causal_web.rdf.namespaces import CW

__all__ = [
    "EVIDENCE_TYPE",
    "JUDGEMENT",
    "PHASE_TYPE",
    "POLARITY",
    "RDF_MEMBER",
    "RELATION_SHORTCUT",
    "RELATION_TYPE",
    "SLOT_CLASS",
    "SLOT_PATH",
    "SLOT_PROPERTY",
    "STATUS",
    "THEORY_SHORTCUT",
    "T_CW",
    "T_DCTERMS",
    "T_PROV",
    "T_RDF",
    "T_RDFS",
    "T_SKOS",
    "T_XSD",
    "VALENCE",
    "Terms",
    "carried_relations",
    "read_value_list",
    "write_coverage",
    "write_value_list",
]

Add = Callable[[str, str, str], None]  # subject and predicate IRIs, object as an N-Triples term


class Terms:
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


T_CW, T_SKOS, T_DCTERMS, T_PROV = Terms(CW), Terms(SKOS), Terms(DCTERMS), Terms(PROV)
T_XSD, T_RDF, T_RDFS = Terms(XSD), Terms(RDF), Terms(RDFS)


POLARITY = {
    Polarity.INCREASE: T_CW.Increase,
    Polarity.DECREASE: T_CW.Decrease,
    Polarity.UNSPECIFIED: T_CW.Unspecified,
}
VALENCE = {Valence.POSITIVE: T_CW.Positive, Valence.NEGATIVE: T_CW.Negative}
STATUS = {
    "affirmed": T_CW.Affirmed,
    "retained": T_CW.Retained,
    "refined": T_CW.Refined,
    "refuted": T_CW.Refuted,
    "new": T_CW.New,
}
JUDGEMENT = {"confirms": T_CW.Confirms, "refutes": T_CW.Refutes, "refines": T_CW.Refines}
THEORY_SHORTCUT = {
    "confirms": T_CW.confirmsRecord,
    "refines": T_CW.refinesRecord,
    "refutes": T_CW.refutesRecord,
}
EVIDENCE_TYPE = {
    "review-author-statement": T_CW.AuthorStatement,
    "primary-study-finding": T_CW.PrimaryStudyFinding,
    "interview-data": T_CW.InterviewData,
    "curator-inference": T_CW.CuratorInference,
}
PHASE_TYPE = {
    "initial": T_CW.InitialTheory,
    "refined": T_CW.RefinedTheory,
    "tested": T_CW.TestedTheory,
    "synthesis": T_CW.Synthesis,
}
RELATION_TYPE = {
    "enables": T_CW.Enables,
    "constrains": T_CW.Constrains,
    "generates": T_CW.Generates,
    "tempers": T_CW.Tempers,
    "and": T_CW.Conjunction,
}
RELATION_SHORTCUT = {
    "enables": T_CW.enables,
    "constrains": T_CW.constrains,
    "generates": T_CW.generates,
}
SLOT_CLASS = {
    "intervention": T_CW.InterventionPart,
    "context": T_CW.ContextPart,
    "actor": T_CW.ActorPart,
    "mechanism": T_CW.MechanismPart,
    "mechanism_resource": T_CW.MechanismResourcePart,
    "mechanism_response": T_CW.MechanismResponsePart,
    "outcome": T_CW.OutcomePart,
}
SLOT_PROPERTY = {
    "intervention": T_CW.hasIntervention,
    "context": T_CW.hasContext,
    "actor": T_CW.hasActor,
    "mechanism": T_CW.hasMechanism,
    "mechanism_resource": T_CW.hasMechanismResource,
    "mechanism_response": T_CW.hasMechanismResponse,
    "outcome": T_CW.hasOutcome,
}
# Part IRIs use the slot name with hyphens: /cmocs/R21-016/mechanism-resource/1
SLOT_PATH = {name: name.replace("_", "-") for name in SLOT_CLASS}

RDF_MEMBER = str(RDF) + "_"


def write_value_list(
    add: Add,
    owner: str,
    name: str,
    prop: str,
    values: list[str],
    default: list[str],
    term: Callable[[str], str],
) -> None:
    """Add the value list of ``owner``'s ``prop`` when ``values`` differs from ``default``, the list
    a reader rebuilds from the triples alone; ``term`` turns a value into its N-Triples term."""
    if values == default:
        return
    node = f"{owner}/lists/{name}"
    add(owner, T_CW.valueList, f"<{node}>")
    add(node, T_RDF.type, f"<{T_CW.ValueList}>")
    add(node, T_CW.listOf, f"<{prop}>")
    for position, value in enumerate(values, start=1):
        add(node, f"{RDF_MEMBER}{position}", term(value))


def read_value_list(index: dict[str, dict[str, list[str]]], owner: str, prop: str) -> list[str] | None:
    """The values of ``owner``'s value list for ``prop`` in order, or ``None`` when it has none.
    ``index`` maps a subject to its predicates, each to the values of its objects."""
    for node in index.get(owner, {}).get(T_CW.valueList, ()):
        members = index.get(node, {})
        if prop not in members.get(T_CW.listOf, ()):
            continue
        found = [
            (int(key[len(RDF_MEMBER) :]), objects[0])
            for key, objects in members.items()
            if key.startswith(RDF_MEMBER) and key[len(RDF_MEMBER) :].isdigit()
        ]
        return [value for _position, value in sorted(found)]
    return None


def carried_relations(cmoc: CMOC, derived: list) -> dict[int, int]:
    """Position (from 1) of a derived relation: the position in ``cmoc.relations`` (from 1) of the
    stated relation it stands for, one on the same parts with the same type and valence."""
    at = {(d.source, d.target): position for position, d in enumerate(derived, start=1)}
    carried: dict[int, int] = {}
    for stated_at, stated in enumerate(cmoc.relations, start=1):
        position = at.get((stated.source, stated.target))
        if stated.relation in ("tempers", "and") or position is None or position in carried:
            continue
        relation = derived[position - 1]
        if (
            stated.valence.signed
            and relation.stated_valence is stated.valence
            and relation.relation == stated.relation
        ):
            carried[position] = stated_at
    return carried


def write_coverage(add: Add, base: str, coverage: list[dict], literal: Callable[[str], str]) -> None:
    """The coverage ledger under ``{base}coverage/ledger/{n}``, each entry as the JSON object of
    coverage.yaml (two segments deep: an entry is not a record, served at ``/{collection}/{id}``)."""
    for sequence, entry in enumerate(coverage, start=1):
        node = f"{base}coverage/ledger/{sequence}"
        add(node, T_RDF.type, f"<{T_CW.CoverageEntry}>")
        if entry.get("id"):
            add(node, T_DCTERMS.identifier, literal(str(entry["id"])))
        add(node, T_CW.sequence, f'"{sequence}"^^<{T_XSD.integer}>')
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=str)
        add(node, T_CW.ledgerEntry, f"{literal(text)}^^<{T_RDF.JSON}>")
