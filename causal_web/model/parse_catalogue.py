"""Parse the catalogue of a data folder: phases, evidence bases, sources, concepts, IOC types."""

from __future__ import annotations

from typing import Any

from causal_web.model.fields import SLUG_PATTERN, read_citation, start_record
from causal_web.model.records import (
    BASE_KINDS,
    PHASE_TYPES,
    Concept,
    ConceptGroup,
    EvidenceBase,
    Phase,
    Source,
)
from causal_web.model.validation import ValidationReport

__all__ = ["SOURCE_KINDS", "parse_base", "parse_concept", "parse_ioc_type", "parse_phase", "parse_source"]

SOURCE_KINDS = ("paper", "report", "summary", "study", "evidence-set")
GROUPS = tuple(g.value for g in ConceptGroup)

_CONCEPT_FIELDS = (
    "id",
    "pref_label",
    "alt_labels",
    "definition",
    "broader",
    "related",
    "exact_match",
    "group",
    "role",
    "notes",
)
_SOURCE_FIELDS = (
    "id",
    "kind",
    "base",
    "title",
    "title_inferred",
    "authors",
    "year",
    "venue",
    "doi",
    "collaboration_type",
    "part_of",
    "cited_by",
    "incomplete",
    "citation",
    "notes",
    "text",
    "abstract",
)
_BASE_FIELDS = ("id", "label", "kind", "notes")
_PHASE_FIELDS = (
    "id",
    "label",
    "order",
    "type",
    "source",
    "previous",
    "previous_inferred",
    "description",
    "notes",
)
_IOC_FIELDS = ("id", "label", "exact_match", "notes")


def parse_concept(data: Any, file: str, index: int, report: ValidationReport) -> Concept | None:
    """A SKOS concept."""
    reader = start_record(data, "concept", file, index, report, _CONCEPT_FIELDS)
    if reader is None:
        return None
    return Concept(
        id=reader.ident("id", SLUG_PATTERN),
        pref_label=reader.text("pref_label", required=True),
        definition=reader.text("definition"),
        alt_labels=reader.text_list("alt_labels"),
        broader=reader.text_list("broader"),
        related=reader.text_list("related"),
        exact_match=reader.text_list("exact_match"),
        group=reader.choice("group", GROUPS, default=None),
        role=reader.text("role"),
        notes=reader.text("notes"),
    )


def parse_ioc_type(data: Any, file: str, index: int, report: ValidationReport) -> Concept | None:
    """An IOC type a CMOC can be stated for (kept as a concept without a group)."""
    reader = start_record(data, "IOC type", file, index, report, _IOC_FIELDS)
    if reader is None:
        return None
    return Concept(
        id=reader.ident("id", SLUG_PATTERN),
        pref_label=reader.text("label", required=True),
        definition=reader.text("notes"),
        exact_match=reader.text_list("exact_match"),
    )


def parse_base(data: Any, file: str, index: int, report: ValidationReport) -> EvidenceBase | None:
    """An independent evidence base."""
    reader = start_record(data, "evidence base", file, index, report, _BASE_FIELDS)
    if reader is None:
        return None
    return EvidenceBase(
        id=reader.ident("id", SLUG_PATTERN),
        label=reader.text("label", required=True),
        kind=reader.choice("kind", BASE_KINDS, default=None) or "review",
        notes=reader.text("notes"),
    )


def parse_source(data: Any, file: str, index: int, report: ValidationReport) -> Source | None:
    """A paper, report, summary, evidence set or included study."""
    reader = start_record(data, "source", file, index, report, _SOURCE_FIELDS)
    if reader is None:
        return None
    return Source(
        id=reader.ident("id"),
        kind=reader.choice("kind", SOURCE_KINDS, default="study") or "study",
        base=reader.ident("base", SLUG_PATTERN, required=False),
        title=reader.text("title"),
        title_inferred=reader.flag("title_inferred"),
        authors=reader.text("authors"),
        year=reader.text("year"),
        venue=reader.text("venue"),
        doi=reader.text("doi"),
        collaboration_type=reader.text("collaboration_type"),
        part_of=reader.text("part_of"),
        cited_by=reader.text("cited_by"),
        incomplete=reader.flag("incomplete"),
        citation=read_citation(reader, required=False),
        notes=reader.text("notes"),
        text=reader.text("text"),
        abstract=reader.text("abstract"),
    )


def parse_phase(data: Any, file: str, index: int, report: ValidationReport) -> Phase | None:
    """A theory version."""
    reader = start_record(data, "phase", file, index, report, _PHASE_FIELDS)
    if reader is None:
        return None
    if "type" not in reader.data:
        reader.problem("schema.required", "type", f"required; use one of: {', '.join(PHASE_TYPES)}.")
    return Phase(
        id=reader.ident("id", SLUG_PATTERN),
        label=reader.text("label", required=True),
        order=reader.integer("order"),
        source=reader.ident("source"),
        type=reader.choice("type", PHASE_TYPES, default="initial") or "initial",
        previous=reader.text("previous") or None,
        previous_inferred=reader.flag("previous_inferred"),
        description=reader.text("description"),
        notes=reader.text("notes"),
    )
