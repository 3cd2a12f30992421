"""Parse plain records (as read from YAML) into the model, collecting every problem.

Pure functions: nothing here opens a file. Reference checks across records (unknown concept,
source or phase; duplicates) live in :mod:`causal_web.model.references`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from causal_web.model.records import (
    CMOC,
    POLARITIES,
    RECORD_KINDS,
    SLOT_NAMES,
    STATUSES,
    CausalLink,
    Citation,
    Concept,
    ConceptGroup,
    MechanismEntry,
    Phase,
    Polarity,
    Sign,
    Slot,
    Source,
)
from causal_web.model.validation import ValidationReport

__all__ = [
    "ID_PATTERN",
    "SOURCE_KINDS",
    "parse_cmoc",
    "parse_concept",
    "parse_ioc_type",
    "parse_link",
    "parse_mechanism",
    "parse_phase",
    "parse_source",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SOURCE_KINDS = ("paper", "report", "summary", "study", "evidence-set")
SIGNS = tuple(s.value for s in Sign)
LINK_KINDS = ("stated", "derived", "background", "aggregate")
GROUPS = tuple(g.value for g in ConceptGroup)

_CMOC_FIELDS = (
    "id",
    "phase",
    "kind",
    "status",
    *SLOT_NAMES,
    "sources",
    "ioc_types",
    "incomplete",
    "citation",
    "notes",
)
_SLOT_FIELDS = ("label", "concept", "polarity", "inferred")
_CITATION_FIELDS = ("source", "table", "row", "section", "curated_file")
_LINK_FIELDS = (
    "id",
    "phase",
    "from",
    "to",
    "relation",
    "sign",
    "kind",
    "inferred",
    "sources",
    "citation",
    "notes",
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
    "sources",
    "citation",
    "notes",
)
_CONCEPT_FIELDS = ("id", "pref_label", "alt_labels", "definition", "broader", "group", "role")
_SOURCE_FIELDS = (
    "id",
    "kind",
    "title",
    "authors",
    "year",
    "venue",
    "doi",
    "collaboration_type",
    "part_of",
    "citation",
    "notes",
)
_PHASE_FIELDS = ("id", "label", "order", "source", "previous", "description")
_IOC_FIELDS = ("id", "label", "notes")


class _Reader:
    """Field access for one record that reports, rather than raises, on bad values."""

    __slots__ = ("data", "file", "prefix", "record", "report")

    def __init__(
        self, data: Mapping, file: str, record: str, report: ValidationReport, prefix: str = ""
    ) -> None:
        self.data, self.file, self.record = data, file, record
        self.report, self.prefix = report, prefix

    def problem(self, rule: str, name: str, message: str) -> None:
        self.report.add(rule, self.file, self.record, self.prefix + name, message)

    def check_fields(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" Did you mean {near[0]!r}?" if near else ""
                self.problem(
                    "schema.unknown-field",
                    str(key),
                    f"unknown field {key!r}.{hint} Allowed: {', '.join(allowed)}.",
                )

    def text(self, name: str, required: bool = False) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.problem("schema.required", name, f"required field {name!r} is missing or empty.")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(
                "schema.type",
                name,
                f"{name!r} must be text, not {type(value).__name__}. Quote it or fix it.",
            )
            return ""
        return str(value).strip()

    def ident(self, name: str, pattern: re.Pattern = ID_PATTERN, required: bool = True) -> str:
        value = self.text(name, required=required)
        if value and not pattern.match(value):
            self.problem(
                "schema.id-format",
                name,
                f"{value!r} is not a valid ID: use letters, digits, '.', '_' or '-' "
                f"(slugs: lower-case letters, digits and '-').",
            )
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        value = self.data.get(name, default)
        if value is None:
            return None
        if value not in allowed:
            self.problem(
                "schema.enum",
                name,
                f"{value!r} is not allowed; use one of: {', '.join(allowed)}.",
            )
            return default
        return str(value)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem("schema.type", name, f"{name!r} must be true or false, not {value!r}.")
            return False
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem("schema.type", name, f"{name!r} must be a whole number, not {value!r}.")
            return 0
        return value

    def text_list(self, name: str, required: bool = False) -> list[str]:
        value = self.data.get(name)
        if value is None or value == []:
            if required:
                self.problem("schema.required", name, f"{name!r} needs at least one entry.")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem("schema.type", name, f"{name!r} must be a list of non-empty text values.")
            return []
        return [v.strip() for v in value]

    def mapping(self, name: str, required: bool = False) -> Mapping | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.problem("schema.required", name, f"required field {name!r} is missing.")
            return None
        if not isinstance(value, Mapping):
            self.problem("schema.type", name, f"{name!r} must be a mapping of fields.")
            return None
        return value

    def child(self, data: Mapping, prefix: str) -> _Reader:
        return _Reader(data, self.file, self.record, self.report, self.prefix + prefix)


def _record_id(data: Any, index: int) -> str:
    if isinstance(data, Mapping) and isinstance(data.get("id"), str) and data["id"].strip():
        return data["id"].strip()
    return f"#{index + 1}"


def _start(
    data: Any, kind: str, file: str, index: int, report: ValidationReport, fields: tuple
) -> _Reader | None:
    record = _record_id(data, index)
    if not isinstance(data, Mapping):
        report.add(
            "schema.type",
            file,
            record,
            "",
            f"each {kind} must be a mapping of fields, not {type(data).__name__}.",
        )
        return None
    reader = _Reader(data, file, record, report)
    reader.check_fields(fields)
    return reader


def _citation(reader: _Reader, required: bool = True) -> Citation | None:
    data = reader.mapping("citation", required=required)
    if data is None:
        return None
    sub = reader.child(data, "citation.")
    sub.check_fields(_CITATION_FIELDS)
    return Citation(
        source=sub.ident("source"),
        table=sub.text("table", required=True),
        row=sub.text("row", required=True),
        section=sub.text("section"),
        curated_file=sub.text("curated_file"),
    )


def _slot(reader: _Reader, data: Any, name: str) -> Slot | None:
    if not isinstance(data, Mapping):
        reader.problem("schema.type", name, "each slot must be a mapping with label, concept and polarity.")
        return None
    sub = reader.child(data, name + ".")
    sub.check_fields(_SLOT_FIELDS)
    polarity = sub.choice("polarity", POLARITIES, default=None)
    if "polarity" not in data:
        sub.problem("schema.required", "polarity", f"required; use one of: {', '.join(POLARITIES)}.")
    return Slot(
        label=sub.text("label", required=True),
        concept=sub.ident("concept", SLUG_PATTERN),
        polarity=Polarity(polarity) if polarity else Polarity.UNSPECIFIED,
        inferred=sub.flag("inferred"),
    )


def _slots(reader: _Reader, name: str) -> list[Slot]:
    value = reader.data.get(name)
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        reader.problem("schema.type", name, f"{name!r} must be a list of slots.")
        return []
    slots = []
    for position, item in enumerate(value):
        slot = _slot(reader, item, f"{name}[{position}]")
        if slot is not None:
            slots.append(slot)
    return slots


def parse_cmoc(data: Any, file: str, index: int, report: ValidationReport) -> CMOC | None:
    """A CMOC record, or ``None`` when it is too broken to keep."""
    reader = _start(data, "CMOC", file, index, report, _CMOC_FIELDS)
    if reader is None:
        return None
    slots = {name: _slots(reader, name) for name in SLOT_NAMES}
    if not any(slots.values()):
        reader.problem(
            "schema.required",
            "context/mechanism/outcome",
            "a CMOC needs at least one context, mechanism or outcome slot.",
        )
    citation = _citation(reader)
    return CMOC(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=citation or Citation("", "", ""),
        sources=reader.text_list("sources", required=True),
        context=slots["context"],
        mechanism=slots["mechanism"],
        outcome=slots["outcome"],
        kind=reader.choice("kind", RECORD_KINDS, default="cmoc") or "cmoc",
        status=reader.choice("status", STATUSES, default=None),
        ioc_types=reader.text_list("ioc_types"),
        incomplete=reader.flag("incomplete"),
        notes=reader.text("notes"),
        file=file,
    )


def parse_link(data: Any, file: str, index: int, report: ValidationReport) -> CausalLink | None:
    """A stated causal link between two concepts."""
    reader = _start(data, "link", file, index, report, _LINK_FIELDS)
    if reader is None:
        return None
    ends = []
    for name in ("from", "to"):
        if name not in reader.data:
            reader.problem("schema.required", name, f"required field {name!r} is missing.")
            ends.append(None)
        else:
            ends.append(_slot(reader, reader.data[name], name))
    if ends[0] is None or ends[1] is None:
        return None
    sign = reader.choice("sign", SIGNS, default="?") or "?"
    return CausalLink(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=_citation(reader) or Citation("", "", ""),
        sources=reader.text_list("sources", required=True),
        source=ends[0],
        target=ends[1],
        relation=reader.text("relation", required=True),
        sign=Sign(sign),
        kind=reader.choice("kind", LINK_KINDS, default="stated") or "stated",
        inferred=reader.flag("inferred"),
        notes=reader.text("notes"),
        file=file,
    )


def parse_mechanism(data: Any, file: str, index: int, report: ValidationReport) -> MechanismEntry | None:
    """A theory version's mechanism-table entry."""
    reader = _start(data, "mechanism", file, index, report, _MECHANISM_FIELDS)
    if reader is None:
        return None
    return MechanismEntry(
        id=reader.ident("id"),
        phase=reader.ident("phase", SLUG_PATTERN),
        citation=_citation(reader) or Citation("", "", ""),
        sources=reader.text_list("sources", required=True),
        concept=reader.ident("concept", SLUG_PATTERN),
        label=reader.text("label", required=True),
        initial_label=reader.text("initial_label"),
        mechanism_type=reader.text("mechanism_type"),
        most_frequent_outcome=reader.text("most_frequent_outcome"),
        status=reader.choice("status", STATUSES, default=None),
        notes=reader.text("notes"),
        file=file,
    )


def parse_concept(data: Any, file: str, index: int, report: ValidationReport) -> Concept | None:
    """A SKOS concept."""
    reader = _start(data, "concept", file, index, report, _CONCEPT_FIELDS)
    if reader is None:
        return None
    return Concept(
        id=reader.ident("id", SLUG_PATTERN),
        pref_label=reader.text("pref_label", required=True),
        definition=reader.text("definition"),
        alt_labels=reader.text_list("alt_labels"),
        broader=reader.text_list("broader"),
        group=reader.choice("group", GROUPS, default=None),
        role=reader.text("role"),
    )


def parse_ioc_type(data: Any, file: str, index: int, report: ValidationReport) -> Concept | None:
    """An IOC type a CMOC can be stated for (kept as a concept without a group)."""
    reader = _start(data, "IOC type", file, index, report, _IOC_FIELDS)
    if reader is None:
        return None
    return Concept(
        id=reader.ident("id", SLUG_PATTERN),
        pref_label=reader.text("label", required=True),
        definition=reader.text("notes"),
    )


def parse_source(data: Any, file: str, index: int, report: ValidationReport) -> Source | None:
    """A paper, report, summary, evidence set or included study."""
    reader = _start(data, "source", file, index, report, _SOURCE_FIELDS)
    if reader is None:
        return None
    return Source(
        id=reader.ident("id"),
        kind=reader.choice("kind", SOURCE_KINDS, default="study") or "study",
        title=reader.text("title"),
        authors=reader.text("authors"),
        year=reader.text("year"),
        venue=reader.text("venue"),
        doi=reader.text("doi"),
        collaboration_type=reader.text("collaboration_type"),
        part_of=reader.text("part_of"),
        citation=_citation(reader, required=False),
        notes=reader.text("notes"),
    )


def parse_phase(data: Any, file: str, index: int, report: ValidationReport) -> Phase | None:
    """A theory version."""
    reader = _start(data, "phase", file, index, report, _PHASE_FIELDS)
    if reader is None:
        return None
    return Phase(
        id=reader.ident("id", SLUG_PATTERN),
        label=reader.text("label", required=True),
        order=reader.integer("order"),
        source=reader.ident("source"),
        previous=reader.text("previous") or None,
        description=reader.text("description"),
    )
