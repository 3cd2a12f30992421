"""Action prompts derived from the CMOCs and the chains that join them.

Each coded context (or intervention) part of a configuration gives one prompt: build on it when
it enables what the configuration leads to, guard against it when it constrains it, attend to it
when the web records no sign. A prompt cites its CMOC and the nestings that carry its outcome on
(the chains), is grouped by the mechanism the CMOC acts through, and is ranked by the evidence
behind it (:func:`causal_web.guidance.evidence.evidence_weight`). These are NOT the study's
action statements, which are not transcribed (coverage ledger: report-guidance).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causal_web.guidance.derive import MECHANISM_SLOTS, direction_of, mechanism_of, target_of
from causal_web.guidance.evidence import EvidenceWeight, evidence_weight
from causal_web.model.records import CMOC, Dataset, Part, PartRef, Polarity

__all__ = ["PROMPT_LABEL", "ActionPrompt", "derive_prompts", "group_prompts"]

PROMPT_LABEL = "derived from the evidence, not the study's action statements"
_ENTRY_SLOTS = ("intervention", "context")
_GROUP_ORDER = {"core-mechanism": 0, "supporting-mechanism": 1, "performance-domain": 2}


@dataclass(slots=True)
class ActionPrompt:
    id: str
    text: str
    mechanism: str
    direction: str
    cmoc: str
    parts: list[str]
    target: str
    chains: list[dict]
    evidence: EvidenceWeight
    ioc_types: list[str] = field(default_factory=list)
    ioc_types_inferred: bool = False
    stages: list[str] = field(default_factory=list)

    @property
    def cites(self) -> list[str]:
        return [self.cmoc, *(c["nesting"] for c in self.chains)]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "label": PROMPT_LABEL,
            "mechanism": self.mechanism,
            "direction": self.direction,
            "cmoc": self.cmoc,
            "parts": self.parts,
            "target": self.target,
            "cites": self.cites,
            "chains": self.chains,
            "evidence": self.evidence.to_dict(),
            "scope": self.ioc_types or "general",
            "scope_inferred": self.ioc_types_inferred,
            "stages": self.stages,
            "stages_inferred": bool(self.stages),
        }


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() or len(label) == 1 else label


def _label(dataset: Dataset, concept_id: str) -> str:
    concept = dataset.concepts.get(concept_id)
    return _lower(concept.pref_label) if concept else concept_id


def _through(dataset: Dataset, cmoc: CMOC, target: str) -> str:
    """How the configuration's mechanism moves, as worded ("it reduces conflict and so ")."""
    for name in MECHANISM_SLOTS:
        for part in cmoc.slots(name):
            if part.concept and part.concept != target:
                verb = {Polarity.DECREASE: "reduces", Polarity.INCREASE: "raises"}.get(
                    part.polarity, "acts through"
                )
                return f"it {verb} {_label(dataset, part.concept)} and so "
    return "it "


def _text(
    dataset: Dataset, cmoc: CMOC, part: Part, direction: str, target: str, weight: EvidenceWeight
) -> str:
    context, goal = _lower(part.label), _label(dataset, target)
    bases = f"{weight.evidence_bases} base{'s' if weight.evidence_bases != 1 else ''}"
    if direction == "enables":
        body = f"Work towards {context}; {_through(dataset, cmoc, target)}supports {goal}"
    elif direction == "constrains":
        body = f"Guard against {context}; {_through(dataset, cmoc, target)}erodes {goal}"
    else:
        body = f"Attend to {context}; the evidence links it to {goal} but states no direction"
    return f"{body} ({cmoc.id}; {bases})."


def _chains_by_cmoc(dataset: Dataset) -> dict[str, list[dict]]:
    """For each CMOC, the nestings that lead from it, in data order (one pass over the nestings:
    looking them up per prompt made deriving the prompts grow with CMOCs times nestings)."""
    found: dict[str, list[dict]] = {}
    for n in dataset.nestings.values():
        found.setdefault(n.source, []).append(
            {
                "nesting": n.id,
                "from": n.source,
                "to": n.target,
                "as": n.as_slot,
                "concept": n.concept,
                "provenance": n.provenance,
            }
        )
    return found


def derive_prompts(dataset: Dataset, stages_of: dict[str, list[str]] | None = None) -> list[ActionPrompt]:
    """Every action prompt the configurations give (findings only: background records and
    mechanism lists give none). ``stages_of`` maps a CMOC to its (curator-mapped) stages."""
    prompts: list[ActionPrompt] = []
    chains_from = _chains_by_cmoc(dataset)
    for cmoc in dataset.cmocs.values():
        if cmoc.kind != "cmoc":
            continue
        mechanism, end = mechanism_of(dataset, cmoc), target_of(cmoc)
        if mechanism is None or end is None:
            continue
        target = next(
            (p.concept for p in cmoc.outcome if p.concept and mechanism in dataset.narrower(p.concept)),
            cmoc.part(end).concept,  # type: ignore[union-attr]
        )
        assert target is not None
        weight = evidence_weight(dataset, [cmoc.id])
        seen: dict[str, ActionPrompt] = {}
        for name in _ENTRY_SLOTS:
            for index, part in enumerate(cmoc.slots(name)):
                if not part.concept or part.concept == target:
                    continue
                ref = PartRef(name, index)
                if part.label in seen:  # one published condition coded to two concepts
                    seen[part.label].parts.append(str(ref))
                    continue
                direction = direction_of(dataset, cmoc, ref, target)
                prompt = ActionPrompt(
                    f"{cmoc.id}/{ref}",
                    _text(dataset, cmoc, part, direction, target, weight),
                    mechanism,
                    direction,
                    cmoc.id,
                    [str(ref)],
                    target,
                    [dict(chain) for chain in chains_from.get(cmoc.id, ())],
                    weight,
                    list(cmoc.ioc_types),
                    cmoc.ioc_types_inferred,
                    list((stages_of or {}).get(cmoc.id, [])),
                )
                seen[part.label] = prompt
                prompts.append(prompt)
    return prompts


def _rank(prompt: ActionPrompt) -> tuple:
    return (
        -prompt.evidence.score,
        -prompt.evidence.evidence_bases,
        prompt.direction == "unspecified",
        prompt.id,
    )


def group_prompts(dataset: Dataset, prompts: list[ActionPrompt]) -> list[dict]:
    """Prompts grouped by mechanism (core, then supporting, then performance domains, then the
    rest), each group ranked by evidence: score, then independent bases, signed before unsigned."""
    groups: dict[str, list[ActionPrompt]] = {}
    for prompt in prompts:
        groups.setdefault(prompt.mechanism, []).append(prompt)

    def order(mechanism: str) -> tuple:
        concept = dataset.concepts.get(mechanism)
        group = concept.group if concept and concept.group else ""
        return (_GROUP_ORDER.get(group, 3), mechanism)

    result = []
    for mechanism in sorted(groups, key=order):
        concept = dataset.concepts.get(mechanism)
        result.append(
            {
                "mechanism": mechanism,
                "label": concept.pref_label if concept else mechanism,
                "group": (concept.group if concept else None) or "",
                "prompts": [p.to_dict() for p in sorted(groups[mechanism], key=_rank)],
            }
        )
    return result
