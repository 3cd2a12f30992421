"""The typology of collaborations and the life-cycle stages, read from the guidance files.

Every attribute of a type is a list of :class:`Claim`: a value with what it cites (records or
sources that exist) or flagged as the curator's inference. Some claims are computed from the
records, not written in the file: the included studies of each type, the entry points that cite
those studies (the curator's reading, so flagged), and the CMOCs stated for the type's IOC type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from causal_web.guidance.files import GuidanceDataError, cited_exists, guidance_file, read_guidance, require
from causal_web.model.records import Dataset

__all__ = [
    "ATTRIBUTES",
    "Claim",
    "CollaborationType",
    "Stage",
    "StageMapping",
    "Stages",
    "Typology",
    "no_stages",
    "read_stages",
    "read_typology",
    "vocabulary_typology",
]

ATTRIBUTES = ("named_in", "studies", "mandate", "integration", "entry_points", "cmocs")
_CLAIM_KEYS = {"value", "cites", "inferred", "notes", "locator"}


@dataclass(frozen=True, slots=True)
class Claim:
    """One attribute value, with what it cites or flagged as the curator's inference."""

    value: str
    cites: tuple[str, ...] = ()
    inferred: bool = False
    notes: str = ""
    locator: str = ""
    computed: bool = False  # derived from the records rather than written in the file

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "cites": list(self.cites),
            "inferred": self.inferred,
            "computed": self.computed,
            "locator": self.locator,
            "notes": self.notes,
        }


@dataclass(slots=True)
class CollaborationType:
    id: str
    label: str
    ioc_type: str | None = None
    study_labels: tuple[str, ...] = ()
    attributes: dict[str, list[Claim]] = field(default_factory=dict)

    def values(self, attribute: str) -> list[str]:
        return list(dict.fromkeys(c.value for c in self.attributes.get(attribute, [])))

    @property
    def mandated(self) -> bool:
        """True when a claim says the type is, or can be, mandated."""
        return any("mandated" in c.value for c in self.attributes.get("mandate", []))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "derived": True,
            "ioc_type": self.ioc_type,
            "mandated": self.mandated,
            "mandate": self.values("mandate"),
            "integration": self.values("integration"),
            "entry_points": self.values("entry_points"),
            "cmocs": self.values("cmocs"),
            "studies": self.values("studies"),
            "attributes": {name: [c.to_dict() for c in claims] for name, claims in self.attributes.items()},
            "not_stated": [a for a in ATTRIBUTES if not self.attributes.get(a)],
        }


@dataclass(slots=True)
class Typology:
    id: str
    label: str
    gap: str
    types: dict[str, CollaborationType]

    def header(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "derived": True,
            "notice": f"{self.label}. Derived from the records; the report's own typology is not "
            f"transcribed (coverage ledger: {self.gap}).",
            "gap": self.gap,
        }


def _claims(raw: object, file: str, record: str, attribute: str) -> list[Claim]:
    if not isinstance(raw, list):
        raise GuidanceDataError(file, record, attribute, "must be a list of claims")
    claims = []
    for index, item in enumerate(raw):
        where = f"{attribute}[{index}]"
        value = require(item, "value", str, file, f"{record} {where}")
        unknown = set(item) - _CLAIM_KEYS
        if unknown:
            raise GuidanceDataError(file, record, where, f"unknown field {sorted(unknown)[0]!r}")
        cites = item.get("cites") or []
        if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
            raise GuidanceDataError(file, record, f"{where}.cites", "must be a list of IDs")
        claims.append(
            Claim(
                value,
                tuple(cites),
                bool(item.get("inferred", False)),
                str(item.get("notes") or ""),
                str(item.get("locator") or ""),
            )
        )
    return claims


def _check_claims(dataset: Dataset, claims: list[Claim], file: str, record: str, attribute: str) -> None:
    for index, claim in enumerate(claims):
        for cited in claim.cites:
            if not cited_exists(dataset, cited):
                raise GuidanceDataError(
                    file,
                    record,
                    f"{attribute}[{index}].cites",
                    f"cites {cited!r}, which is not a record or source",
                )
        if not claim.cites and not claim.inferred:
            raise GuidanceDataError(
                file, record, f"{attribute}[{index}]", "cites nothing and is not flagged inferred: true"
            )


def _computed(dataset: Dataset, kind: CollaborationType) -> None:
    studies = [
        s.id
        for s in dataset.sources.values()
        if s.collaboration_type and s.collaboration_type in kind.study_labels
    ]
    if studies:
        kind.attributes.setdefault("studies", []).extend(
            Claim(s, (s,), computed=True, locator="Table 1, collaboration type") for s in studies
        )
    for entry in dataset.entry_points.values():
        through = [s for s in entry.sources if s in studies]
        if through and entry.id not in kind.values("entry_points"):
            kind.attributes.setdefault("entry_points", []).append(
                Claim(
                    entry.id,
                    (entry.id, *through),
                    inferred=True,
                    computed=True,
                    notes=f"The entry point cites {', '.join(through)}, a study of this type; that it "
                    "applies to the type is the curator's reading.",
                )
            )
    if kind.ioc_type:
        stated = set(kind.values("cmocs"))  # kept up to date: values() per record is quadratic
        for cmoc in dataset.cmocs.values():
            if kind.ioc_type in cmoc.ioc_types and cmoc.id not in stated:
                stated.add(cmoc.id)
                kind.attributes.setdefault("cmocs", []).append(
                    Claim(
                        cmoc.id,
                        (cmoc.id,),
                        inferred=cmoc.ioc_types_inferred,
                        computed=True,
                        notes="The record is stated for this IOC type"
                        + (" (its scope is the curator's reading)." if cmoc.ioc_types_inferred else "."),
                    )
                )


def read_typology(dataset: Dataset, data_dir: Path) -> Typology:
    """The typology of ``data_dir``'s ``guidance/typology.yaml``, checked against ``dataset``."""
    file = "guidance/typology.yaml"
    data = read_guidance(guidance_file(data_dir, "typology.yaml"), ("typology", "types"))
    head = data["typology"]
    types: dict[str, CollaborationType] = {}
    for index, raw in enumerate(require(data, "types", list, file, "")):
        type_id = require(raw, "id", str, file, f"types[{index}]")
        if type_id in types:
            raise GuidanceDataError(file, type_id, "id", "duplicate type ID")
        kind = CollaborationType(type_id, require(raw, "label", str, file, type_id))
        kind.ioc_type = raw.get("ioc_type")
        if kind.ioc_type is not None and kind.ioc_type not in dataset.ioc_types:
            raise GuidanceDataError(
                file, type_id, "ioc_type", f"unknown IOC type {kind.ioc_type!r} (concepts.yaml)"
            )
        kind.study_labels = tuple(raw.get("study_labels") or ())
        known_labels = {s.collaboration_type for s in dataset.sources.values()}
        for label in kind.study_labels:
            if label not in known_labels:
                raise GuidanceDataError(
                    file, type_id, "study_labels", f"no study has collaboration type {label!r}"
                )
        for key in raw:
            if key not in {"id", "label", "ioc_type", "study_labels", *ATTRIBUTES}:
                raise GuidanceDataError(file, type_id, str(key), "unknown field")
        for attribute in ATTRIBUTES:
            if attribute in raw:
                claims = _claims(raw[attribute], file, type_id, attribute)
                _check_claims(dataset, claims, file, type_id, attribute)
                kind.attributes[attribute] = claims
        _computed(dataset, kind)
        types[type_id] = kind
    return Typology(
        require(head, "id", str, file, "typology"),
        require(head, "label", str, file, "typology"),
        str(head.get("gap") or ""),
        types,
    )


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    label: str
    order: int
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StageMapping:
    stage: str
    records: tuple[str, ...]
    inferred: bool
    notes: str


@dataclass(slots=True)
class Stages:
    source: str
    locator: str
    notes: str
    stages: dict[str, Stage]
    mappings: list[StageMapping]

    def records_of(self, stage_id: str) -> set[str]:
        return {r for m in self.mappings if m.stage == stage_id for r in m.records}

    def stages_of(self, record_id: str) -> list[str]:
        return [m.stage for m in self.mappings if record_id in m.records]

    def to_dict(self, dataset: Dataset) -> dict:
        source = dataset.sources.get(self.source)
        citation = {"source": self.source, "locator": self.locator, "title": source.title if source else ""}
        return {
            "citation": citation,
            "notes": self.notes,
            "notice": "Stages are the five phases of the 2023 life-cycle paper (source 6); which records "
            "bear on which stage is the curator's inference, flagged on every mapping.",
            "stages": [
                {
                    "id": s.id,
                    "label": s.label,
                    "order": s.order,
                    "cites": list(s.cites),
                    "mappings": [
                        {"records": list(m.records), "inferred": m.inferred, "notes": m.notes}
                        for m in self.mappings
                        if m.stage == s.id
                    ],
                }
                for s in sorted(self.stages.values(), key=lambda s: s.order)
            ],
        }


def read_stages(dataset: Dataset, data_dir: Path) -> Stages:
    """The life-cycle stages of ``guidance/stages.yaml``, checked against ``dataset``."""
    file = "guidance/stages.yaml"
    data = read_guidance(guidance_file(data_dir, "stages.yaml"), ("source", "stages"))
    head = data["source"]
    source_id = require(head, "id", str, file, "source")
    if source_id not in dataset.sources:
        raise GuidanceDataError(file, "source", "id", f"unknown source {source_id!r} (sources.yaml)")
    stages: dict[str, Stage] = {}
    for index, raw in enumerate(require(data, "stages", list, file, "")):
        stage_id = require(raw, "id", str, file, f"stages[{index}]")
        cites = tuple(raw.get("cites") or ())
        for cited in cites:
            if not cited_exists(dataset, cited):
                raise GuidanceDataError(
                    file, stage_id, "cites", f"cites {cited!r}, which is not a record or source"
                )
        stages[stage_id] = Stage(
            stage_id,
            require(raw, "label", str, file, stage_id),
            require(raw, "order", int, file, stage_id),
            cites,
        )
    mappings = []
    for index, raw in enumerate(data.get("mappings") or []):
        where = f"mappings[{index}]"
        stage_id = require(raw, "stage", str, file, where)
        if stage_id not in stages:
            raise GuidanceDataError(file, where, "stage", f"unknown stage {stage_id!r}")
        records = tuple(require(raw, "records", list, file, where))
        for record in records:
            if dataset.record(record) is None:
                raise GuidanceDataError(file, where, "records", f"unknown record {record!r}")
        if not raw.get("inferred"):
            raise GuidanceDataError(
                file, where, "inferred", "no source maps records to stages: a mapping must be inferred: true"
            )
        mappings.append(StageMapping(stage_id, records, True, str(raw.get("notes") or "")))
    return Stages(source_id, str(head.get("locator") or ""), str(head.get("notes") or ""), stages, mappings)


def vocabulary_typology(dataset: Dataset) -> Typology:
    """For a data folder without ``guidance/typology.yaml``: one type per IOC type of its
    vocabulary, with the CMOCs stated for it."""
    types = {}
    for ioc in dataset.ioc_types.values():
        kind = CollaborationType(ioc.id, ioc.pref_label, ioc_type=ioc.id)
        _computed(dataset, kind)
        types[ioc.id] = kind
    return Typology("vocabulary-ioc-types", "IOC types of the vocabulary (no typology file)", "", types)


def no_stages() -> Stages:
    """For a data folder without ``guidance/stages.yaml``."""
    return Stages("", "", "This data folder has no guidance/stages.yaml.", {}, [])
