"""Parse plain records (as read from YAML) into the model, collecting every problem.

Pure functions: nothing here opens a file. This module reads configurations and the records
around them (links, mechanism entries, nestings, entry points, demi-regularities, theories);
:mod:`causal_web.model.parse_catalogue` reads phases, sources and concepts. Reference checks
across records live in :mod:`causal_web.model.references`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from causal_web.model.fields import ID_PATTERN, SLUG_PATTERN, Reader, read_citation, read_items, start_record
from causal_web.model.history import read_history
from causal_web.model.parse_catalogue import (
    SOURCE_KINDS,
    parse_base,
    parse_concept,
    parse_ioc_type,
    parse_phase,
    parse_source,
)
from causal_web.model.records import (
    CMOC,
    EVIDENCE_TYPES,
    JUDGEMENTS,
    LINK_KINDS,
    NESTING_PROVENANCES,
    POLARITIES,
    RATINGS,
    RECORD_KINDS,
    RELATION_TYPES,
    SLOT_NAMES,
    STATUSES,
    THEORY_LINKS,
    CausalLink,
    Citation,
    DemiRegularity,
    EntryPoint,
    EvidenceItem,
    MechanismEntry,
    MiddleRangeTheory,
    Nesting,
    Part,
    PartRef,
    Polarity,
    Predecessor,
    Relation,
    Valence,
)
from causal_web.model.validation import ValidationReport

__all__ = [
    "ID_PATTERN",
    "SLUG_PATTERN",
    "SOURCE_KINDS",
    "parse_base",
    "parse_cmoc",
    "parse_concept",
    "parse_demi_regularity",
    "parse_entry_point",
    "parse_ioc_type",
    "parse_link",
    "parse_mechanism",
    "parse_nesting",
    "parse_phase",
    "parse_source",
    "parse_theory",
]

PART_REF = re.compile(r"^(?P<slot>[a-z_]+)\[(?P<index>\d+)\]$")
VALENCES = ("+", "-")

_CMOC_FIELDS = (
    "id",
    "phase",
    "kind",
    "title",
    "statement",
    "status",
    *SLOT_NAMES,
    "relations",
    "ioc_types",
    "ioc_types_inferred",
    "incomplete",
    "split_inferred",
    "configuration_inferred",
    "predecessors",
    "evidence",
    "citation",
    "notes",
    "history",
)
_PART_FIELDS = ("label", "concept", "polarity", "inferred")
_CITATION_FIELDS = ("source", "table", "row", "section", "curated_file")
_EVIDENCE_FIELDS = (
    "source",
    "table",
    "row",
    "page",
    "section",
    "quote",
    "judgement",
    "evidence_type",
    "base",
    "relevance",
    "rigour",
    "coder",
    "notes",
)
_RELATION_FIELDS = ("relation", "from", "to", "parts", "valence", "inferred", "notes")
_PREDECESSOR_FIELDS = ("record", "relation", "inferred", "notes")
_LINK_FIELDS = (
    "id",
    "phase",
    "from",
    "to",
    "relation",
    "valence",
    "kind",
    "inferred",
    "derived_from",
    "evidence",
    "citation",
    "notes",
    "history",
)
_MECHANISM_FIELDS = (
    "id",
    "phase",
    "concept",
    "label",
    "initial_label",
    "mechanism_type",
    "most_frequent_outcome",
    "status",
    "status_inferred",
    "predecessors",
    "evidence",
    "citation",
    "notes",
    "history",
)
_NESTING_FIELDS = ("id", "from", "to", "as", "concept", "provenance", "evidence", "notes")
_ENTRY_POINT_FIELDS = (
    "id",
    "label",
    "explanation",
    "references",
    "sources",
    "split_inferred",
    "evidence",
    "citation",
    "notes",
)
_DEMI_FIELDS = ("id", "statement", "cmocs", "evidence", "citation", "notes")
_THEORY_FIELDS = ("id", "label", "description", "cmocs", "evidence", "citation", "notes")


def _part(reader: Reader, data: Any, name: str) -> Part | None:
    if not isinstance(data, Mapping):
        reader.problem("schema.type", name, "each part must be a mapping with label, concept and polarity.")
        return None
    sub = reader.child(data, name + ".")
    sub.check_fields(_PART_FIELDS)
    polarity = sub.choice("polarity", POLARITIES, default=None)
    if "polarity" not in data:
        sub.problem("schema.required", "polarity", f"required; use one of: {', '.join(POLARITIES)}.")
    if "concept" not in data:
        sub.problem("schema.required", "concept", "required: a concept ID, or null for a part not coded yet.")
    concept = sub.ident("concept", SLUG_PATTERN, required=False) or None
    return Part(
        label=sub.text("label", required=True),
        concept=concept,
        polarity=Polarity(polarity) if polarity else Polarity.UNSPECIFIED,
        inferred=sub.flag("inferred"),
    )


def _parts(reader: Reader, name: str) -> list[Part]:
    value = reader.data.get(name)
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        reader.problem("schema.type", name, f"{name!r} must be a list of parts.")
        return []
    parts = []
    for position, item in enumerate(value):
        part = _part(reader, item, f"{name}[{position}]")
        if part is not None:
            parts.append(part)
    return parts


def _evidence(reader: Reader, required: bool = True) -> list[EvidenceItem]:
    entries = read_items(reader, "evidence")
    if not entries and required:
        reader.problem("schema.required", "evidence", "needs at least one evidence item naming its source.")
    items = []
    for sub, _data in entries:
        sub.check_fields(_EVIDENCE_FIELDS)
        items.append(
            EvidenceItem(
                source=sub.ident("source"),
                table=sub.text("table"),
                row=sub.text("row"),
                page=sub.text("page"),
                section=sub.text("section"),
                quote=sub.text("quote"),
                judgement=sub.choice("judgement", JUDGEMENTS, default="confirms") or "confirms",
                evidence_type=sub.choice("evidence_type", EVIDENCE_TYPES, default="review-author-statement")
                or "review-author-statement",
                base=sub.ident("base", SLUG_PATTERN, required=False),
                relevance=sub.choice("relevance", RATINGS, default=None) or "",
                rigour=sub.choice("rigour", RATINGS, default=None) or "",
                coder=sub.text("coder"),
                notes=sub.text("notes"),
            )
        )
    return items


def _predecessors(reader: Reader) -> list[Predecessor]:
    found = []
    for sub, _data in read_items(reader, "predecessors"):
        sub.check_fields(_PREDECESSOR_FIELDS)
        found.append(
            Predecessor(
                record=sub.ident("record"),
                relation=sub.choice("relation", THEORY_LINKS, default=None) or "",
                inferred=sub.flag("inferred"),
                notes=sub.text("notes"),
            )
        )
        if "relation" not in sub.data:
            sub.problem("schema.required", "relation", f"required; use one of: {', '.join(THEORY_LINKS)}.")
    return found


def _part_ref(sub: Reader, name: str, value: Any, slots: dict[str, list[Part]]) -> PartRef | None:
    match = PART_REF.match(value) if isinstance(value, str) else None
    if match is None:
        sub.problem("schema.type", name, f"{value!r} is not a part reference such as 'context[0]'.")
        return None
    ref = PartRef(match["slot"], int(match["index"]))
    if ref.slot not in slots:
        sub.problem("schema.enum", name, f"{ref.slot!r} is not a slot; use one of: {', '.join(SLOT_NAMES)}.")
        return None
    if ref.index >= len(slots[ref.slot]):
        sub.problem(
            "reference.part", name, f"{ref} does not exist: {ref.slot} has {len(slots[ref.slot])} parts."
        )
        return None
    return ref


def _relations(reader: Reader, slots: dict[str, list[Part]]) -> list[Relation]:
    found = []
    for sub, data in read_items(reader, "relations"):
        sub.check_fields(_RELATION_FIELDS)
        relation = sub.choice("relation", RELATION_TYPES, default=None)
        if relation is None:
            if "relation" not in data:
                sub.problem(
                    "schema.required", "relation", f"required; use one of: {', '.join(RELATION_TYPES)}."
                )
            continue
        valence = sub.choice("valence", VALENCES, default=None)
        if relation == "and":
            raw = data.get("parts")
            if not isinstance(raw, list) or len(raw) < 2:
                sub.problem(
                    "schema.required", "parts", "an 'and' relation needs a list of at least two parts."
                )
                continue
            refs = tuple(r for i, v in enumerate(raw) if (r := _part_ref(sub, f"parts[{i}]", v, slots)))
            found.append(Relation("and", parts=refs, inferred=sub.flag("inferred"), notes=sub.text("notes")))
            continue
        ends = []
        for name in ("from", "to"):
            if name not in data:
                sub.problem("schema.required", name, f"a {relation!r} relation needs {name!r}.")
                ends.append(None)
            else:
                ends.append(_part_ref(sub, name, data[name], slots))
        if ends[0] is None or ends[1] is None:
            continue
        found.append(
            Relation(
                relation,
                source=ends[0],
                target=ends[1],
                valence=Valence(valence) if valence else Valence.UNSPECIFIED,
                inferred=sub.flag("inferred"),
                notes=sub.text("notes"),
            )
        )
    return found


def parse_cmoc(data: Any, file: str, index: int, report: ValidationReport) -> CMOC | None:
    """A CMOC record, or ``None`` when it is too broken to keep."""
    reader = start_record(data, "CMOC", file, index, report, _CMOC_FIELDS)
    if reader is None:
        return None
    slots = {name: _parts(reader, name) for name in SLOT_NAMES}
    if not any(slots.values()) and not reader.text("statement"):
        reader.problem(
            "schema.required",
            "context/mechanism/outcome",
            "a CMOC needs a statement or at least one part in a slot (context, mechanism, outcome, ...).",
        )
    return CMOC(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=read_citation(reader) or Citation("", "", ""),
        evidence=_evidence(reader),
        **slots,
        title=reader.text("title"),
        statement=reader.text("statement"),
        kind=reader.choice("kind", RECORD_KINDS, default="cmoc") or "cmoc",
        status=reader.choice("status", STATUSES, default=None),
        relations=_relations(reader, slots),
        ioc_types=reader.text_list("ioc_types"),
        ioc_types_inferred=reader.flag("ioc_types_inferred"),
        incomplete=reader.flag("incomplete"),
        split_inferred=reader.flag("split_inferred"),
        configuration_inferred=reader.flag("configuration_inferred"),
        predecessors=_predecessors(reader),
        notes=reader.text("notes"),
        history=read_history(reader),
        file=file,
    )


def parse_link(data: Any, file: str, index: int, report: ValidationReport) -> CausalLink | None:
    """A stated causal link between two concepts."""
    reader = start_record(data, "link", file, index, report, _LINK_FIELDS)
    if reader is None:
        return None
    ends = []
    for name in ("from", "to"):
        if name not in reader.data:
            reader.problem("schema.required", name, f"required field {name!r} is missing.")
            ends.append(None)
        else:
            ends.append(_part(reader, reader.data[name], name))
    if ends[0] is None or ends[1] is None:
        return None
    valence = reader.choice("valence", VALENCES, default=None)
    return CausalLink(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=read_citation(reader) or Citation("", "", ""),
        evidence=_evidence(reader),
        source=ends[0],
        target=ends[1],
        relation=reader.text("relation", required=True),
        valence=Valence(valence) if valence else Valence.UNSPECIFIED,
        kind=reader.choice("kind", LINK_KINDS, default="stated") or "stated",
        inferred=reader.flag("inferred"),
        derived_from=reader.ident("derived_from", required=False) or None,
        notes=reader.text("notes"),
        history=read_history(reader),
        file=file,
    )


def parse_mechanism(data: Any, file: str, index: int, report: ValidationReport) -> MechanismEntry | None:
    """A theory version's mechanism-table entry."""
    reader = start_record(data, "mechanism", file, index, report, _MECHANISM_FIELDS)
    if reader is None:
        return None
    return MechanismEntry(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=read_citation(reader) or Citation("", "", ""),
        evidence=_evidence(reader),
        concept=reader.ident("concept", SLUG_PATTERN),
        label=reader.text("label", required=True),
        initial_label=reader.text("initial_label"),
        mechanism_type=reader.text("mechanism_type"),
        most_frequent_outcome=reader.text("most_frequent_outcome"),
        status=reader.choice("status", STATUSES, default=None),
        status_inferred=reader.flag("status_inferred"),
        predecessors=_predecessors(reader),
        notes=reader.text("notes"),
        history=read_history(reader),
        file=file,
    )


def parse_nesting(data: Any, file: str, index: int, report: ValidationReport) -> Nesting | None:
    """A nesting link: one CMOC's outcome becomes another's context or mechanism."""
    reader = start_record(data, "nesting", file, index, report, _NESTING_FIELDS)
    if reader is None:
        return None
    provenance = reader.choice("provenance", NESTING_PROVENANCES[:2], default=None)
    if "provenance" not in reader.data:
        reader.problem("schema.required", "provenance", "required: stated (by the authors) or curator.")
    return Nesting(
        id=reader.ident("id"),
        source=reader.ident("from"),
        target=reader.ident("to"),
        as_slot=reader.choice("as", ("context", "mechanism"), default="context") or "context",
        provenance=provenance or "curator",
        concept=reader.ident("concept", SLUG_PATTERN, required=False) or None,
        evidence=_evidence(reader, required=False),
        notes=reader.text("notes"),
        file=file,
    )


def parse_entry_point(data: Any, file: str, index: int, report: ValidationReport) -> EntryPoint | None:
    """An entry point into collaboration."""
    reader = start_record(data, "entry point", file, index, report, _ENTRY_POINT_FIELDS)
    if reader is None:
        return None
    return EntryPoint(
        id=reader.ident("id"),
        label=reader.text("label", required=True),
        citation=read_citation(reader) or Citation("", "", ""),
        evidence=_evidence(reader),
        explanation=reader.text("explanation"),
        references=reader.text_list("references"),
        sources=reader.text_list("sources"),
        split_inferred=reader.flag("split_inferred"),
        notes=reader.text("notes"),
        file=file,
    )


def parse_demi_regularity(
    data: Any, file: str, index: int, report: ValidationReport
) -> DemiRegularity | None:
    """A demi-regularity with the CMOCs it draws together."""
    reader = start_record(data, "demi-regularity", file, index, report, _DEMI_FIELDS)
    if reader is None:
        return None
    return DemiRegularity(
        id=reader.ident("id"),
        statement=reader.text("statement", required=True),
        cmocs=reader.text_list("cmocs"),
        evidence=_evidence(reader),
        citation=read_citation(reader, required=False),
        notes=reader.text("notes"),
        file=file,
    )


def parse_theory(data: Any, file: str, index: int, report: ValidationReport) -> MiddleRangeTheory | None:
    """A middle-range theory with the CMOCs that draw on it."""
    reader = start_record(data, "theory", file, index, report, _THEORY_FIELDS)
    if reader is None:
        return None
    return MiddleRangeTheory(
        id=reader.ident("id"),
        label=reader.text("label", required=True),
        cmocs=reader.text_list("cmocs"),
        evidence=_evidence(reader),
        description=reader.text("description"),
        citation=read_citation(reader, required=False),
        notes=reader.text("notes"),
        file=file,
    )
