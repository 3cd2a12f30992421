"""Configurations whose evidence disagrees, each with both sides and their evidence.

Three kinds of disagreement are listed:

* ``outcome-polarity``: CMOCs with the same context and mechanism concepts (and the same
  polarities on them) whose outcomes move one concept in opposite directions;
* ``judgement``: a record with an item that refutes it beside one that confirms or refines it;
* ``valence``: an edge of the causal web whose records state opposite valences.

``bases_differ`` says whether the two sides stand on different independent bases; only then is
the edge ``contested`` (a single base at odds with itself is listed, but is not contested).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from causal_web.model.records import CMOC, Dataset, EvidenceItem, Polarity
from causal_web.model.serialise import evidence_to_dict

__all__ = ["Contradiction", "contradictions_report", "find_contradictions"]

_MECHANISM_SLOTS = ("mechanism", "mechanism_resource", "mechanism_response")


@dataclass(slots=True)
class Contradiction:
    """Two sides of one disagreement."""

    kind: str
    configuration: dict
    about: str  # the concept (or edge, as "cause -> effect") the sides disagree on
    sides: list[dict] = field(default_factory=list)

    @property
    def bases_differ(self) -> bool:
        first, second = (set(side["bases"]) for side in self.sides)
        return bool(first and second) and not (first == second and len(first) == 1)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "about": self.about,
            "configuration": self.configuration,
            "bases_differ": self.bases_differ,
            "sides": self.sides,
        }


def _configuration(cmoc: CMOC) -> tuple[tuple[str, str], ...] | None:
    """The coded contexts and mechanisms with their polarities; None when either is missing."""
    contexts = sorted({(p.concept, p.polarity.value) for p in cmoc.context if p.concept})
    mechanisms = sorted(
        {(p.concept, p.polarity.value) for s in _MECHANISM_SLOTS for p in cmoc.slots(s) if p.concept}
    )
    if not contexts or not mechanisms:
        return None
    return (
        *(("context", f"{c}:{p}") for c, p in contexts),
        *(("mechanism", f"{c}:{p}") for c, p in mechanisms),
    )


def _side(
    dataset: Dataset, label: str, records: Iterable[str], items: list[EvidenceItem] | None = None
) -> dict:
    records = sorted(set(records))
    if items is None:
        items = [i for r in records for i in getattr(dataset.record(r), "evidence", [])]
    return {
        "label": label,
        "records": records,
        "bases": sorted(dataset.bases_of(items)),
        "evidence": [evidence_to_dict(i) for i in items],
    }


def _config_dict(key: tuple[tuple[str, str], ...]) -> dict:
    out: dict[str, list[dict]] = {"context": [], "mechanism": []}
    for slot, value in key:
        concept, polarity = value.rsplit(":", 1)
        out[slot].append({"concept": concept, "polarity": polarity})
    return out


def _outcome_conflicts(dataset: Dataset) -> list[Contradiction]:
    groups: dict[tuple, list[CMOC]] = {}
    for cmoc in dataset.cmocs.values():
        if cmoc.kind != "cmoc":
            continue
        key = _configuration(cmoc)
        if key is not None:
            groups.setdefault(key, []).append(cmoc)
    found = []
    for key, cmocs in sorted(groups.items()):
        directions: dict[str, dict[str, set[str]]] = {}
        for cmoc in cmocs:
            for part in cmoc.outcome:
                if part.concept and part.polarity is not Polarity.UNSPECIFIED:
                    directions.setdefault(part.concept, {}).setdefault(part.polarity.value, set()).add(
                        cmoc.id
                    )
        for concept, by_polarity in sorted(directions.items()):
            if len(by_polarity) < 2:
                continue
            contradiction = Contradiction("outcome-polarity", _config_dict(key), concept)
            contradiction.sides = [
                _side(dataset, f"{concept} {polarity}", by_polarity[polarity])
                for polarity in ("increase", "decrease")
            ]
            found.append(contradiction)
    return found


def _judgement_conflicts(dataset: Dataset) -> list[Contradiction]:
    found = []
    tables = (dataset.cmocs, dataset.links, dataset.mechanisms, dataset.nestings)
    for table in tables:
        for record in table.values():
            refuting = [i for i in record.evidence if i.judgement == "refutes"]
            supporting = [i for i in record.evidence if i.judgement != "refutes"]
            if not (refuting and supporting):
                continue
            configuration = {"record": record.id}
            contradiction = Contradiction("judgement", configuration, record.id)
            contradiction.sides = [
                _side(dataset, "confirms or refines", [record.id], supporting),
                _side(dataset, "refutes", [record.id], refuting),
            ]
            found.append(contradiction)
    return found


def _valence_conflicts(dataset: Dataset, web: object) -> list[Contradiction]:
    # Read from the compact edges (one per cause, effect and valence), so that the check never
    # builds the networkx view: at 1M CMOCs that costs gigabytes.
    found = []
    numbers: dict[tuple[str, str, str], int] = {
        (u, v, key): n
        for n, (u, v, key, _items) in enumerate(web.edge_list)  # type: ignore[attr-defined]
        if key in ("+", "-")
    }
    pairs = sorted({(u, v) for u, v, key in numbers if key == "+" and (u, v, "-") in numbers})
    for u, v in pairs:
        contradiction = Contradiction("valence", {"cause": u, "effect": v}, f"{u} -> {v}")
        for key in ("+", "-"):
            data = web.edge_data(numbers[u, v, key])  # type: ignore[attr-defined]
            contradiction.sides.append(_side(dataset, f"valence {key}", [*data["cmocs"], *data["links"]]))
        found.append(contradiction)
    return found


def find_contradictions(dataset: Dataset, web: object | None = None) -> list[Contradiction]:
    """Every disagreement in ``dataset`` (module docstring); edges of opposite valence need the
    causal ``web``."""
    found = _outcome_conflicts(dataset) + _judgement_conflicts(dataset)
    if web is not None:
        found += _valence_conflicts(dataset, web)
    return found


def contradictions_report(dataset: Dataset, web: object | None = None) -> dict:
    """Every disagreement as plain data: ``total`` and ``contradictions``."""
    found = find_contradictions(dataset, web)
    return {"total": len(found), "contradictions": [c.to_dict() for c in found]}
