"""Coding the parts of an imported row: exact or alternative-label matches only."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from causal_web.coding.decisions import CodingDecision, CodingError, label_key
from causal_web.model.normalise import NormalisedLabel, normalise_label, slugify, split_cell
from causal_web.model.records import POLARITIES, SLOT_NAMES, Concept, Polarity
from causal_web.model.references import is_fragment

__all__ = ["Coder", "apply_decisions", "slot_parts"]

# A <slot>_concept value that says "leave this part uncoded", unless the vocabulary (or the coding
# file) has a concept of that ID: a real concept called "none" stays coded.
_UNCODED = frozenset({"null", "none"})
MAX_CONCEPT_ID = 60
"""The longest concept ID an import makes; a longer label stays uncoded."""


def _label_like(label: str, concept: str) -> bool:
    """A short label, not a sentence: at most six words and an ID of at most 60 characters."""
    return bool(concept) and len(label.split()) <= 6 and len(concept) <= MAX_CONCEPT_ID


def _role(slot: str) -> str:
    if slot.startswith("mechanism"):
        return "mechanism"
    return "outcome" if slot == "outcome" else "context"


@dataclass(slots=True)
class Coder:
    """Codes labels against a vocabulary, collecting the concepts a folder needs.

    A label is coded when it, or the label without its leading qualifier ("Greater", "Reduced",
    ...), is a concept's preferred or alternative label (case and spacing aside). Any other
    label stays uncoded (``concept: null``) unless ``mint`` is set (no vocabulary was given),
    when a new concept is made from it. A concept the sheet names in a ``<slot>_concept``
    column is the team's own coding and is made if the vocabulary does not have it.
    """

    vocabulary: list[Concept]
    mint: bool
    used: dict[str, Concept] = field(default_factory=dict)
    new_concepts: list[str] = field(default_factory=list)
    known: dict[str, Concept] = field(init=False)

    def __post_init__(self) -> None:
        self.known = {c.id: c for c in self.vocabulary}

    def use(self, concept: str, label: str, reading: NormalisedLabel, slot: str, alt: bool = True) -> None:
        """Note that ``label`` is coded to ``concept``, making the concept if it is new; the label
        becomes an alternative label of the concept unless ``alt`` is false (a label naming
        several concepts names neither alone)."""
        if concept not in self.used:
            if concept in self.known:
                found = self.known[concept]
                self.used[concept] = replace(found, alt_labels=list(found.alt_labels))
            else:
                base = reading.label if reading.concept == concept else concept.replace("-", " ")
                words = " ".join(base.split()[1:]) if reading.polarity.value != "unspecified" else base
                pref = (words or concept.replace("-", " ")).strip()
                self.used[concept] = Concept(concept, pref[:1].upper() + pref[1:], role=_role(slot))
                self.new_concepts.append(concept)
        chosen = self.used[concept]
        if alt and label != chosen.pref_label and label not in chosen.alt_labels:
            chosen.alt_labels.append(label)

    def concepts(self) -> list[Concept]:
        """The concepts used, with the vocabulary's broader concepts brought along (so the
        hierarchy stays whole) and links to concepts left out dropped."""
        todo = [c for c in self.used if c in self.known]
        while todo:
            for parent in self.known[todo.pop()].broader:
                if parent not in self.used and parent in self.known:
                    found = self.known[parent]
                    self.used[parent] = replace(found, alt_labels=list(found.alt_labels))
                    todo.append(parent)
        return [
            replace(concept, related=[r for r in concept.related if r in self.used])
            for _id, concept in sorted(self.used.items())
        ]


def slot_parts(
    labels: list[str], row: dict[str, str], slot: str, coder: Coder, problem: Callable[[str, str], None]
) -> tuple[list[dict], list[str], list[dict]]:
    """The parts of one slot of a row, the labels left uncoded (fragments aside), and an ``and``
    relation when one compound label names several concepts."""
    labels = list(labels)
    concepts = split_cell(row.get(f"{slot}_concept", ""))
    polarities = [p.lower() for p in split_cell(row.get(f"{slot}_polarity", ""))]
    compound = len(labels) == 1 and len(concepts) > 1
    if compound:
        # one compound label naming several concepts: one part per concept, same label
        labels = labels * len(concepts)
        polarities = polarities * len(concepts) if len(polarities) == 1 else polarities
    for column, values in ((f"{slot}_concept", concepts), (f"{slot}_polarity", polarities)):
        if values and len(values) != len(labels):
            problem(
                column,
                f"{len(values)} value(s) for {len(labels)} label(s) in '{slot}': "
                "give one per label, separated by ';'.",
            )
    parts, uncoded = [], []
    for position, label in enumerate(labels):
        if is_fragment(label):  # cut off: kept as published, never coded
            parts.append({"label": label, "concept": None, "polarity": "unspecified"})
            continue
        reading = normalise_label(label, coder.vocabulary)
        polarity = polarities[position] if position < len(polarities) else reading.polarity.value
        if polarity not in POLARITIES:
            problem(f"{slot}_polarity", f"{polarity!r} is not a polarity; use {', '.join(POLARITIES)}.")
            polarity = "unspecified"
        if position < len(concepts):
            given = concepts[position].strip()
            left_uncoded = given.lower() in _UNCODED and slugify(given) not in coder.known
            concept = None if left_uncoded else slugify(given)
            if concept == "":
                problem(f"{slot}_concept", f"cannot make a concept ID from {given!r}.")
                continue
        elif reading.matched_vocabulary or (coder.mint and _label_like(label, reading.concept)):
            concept = reading.concept
            if not concept:
                problem(slot, f"cannot make a concept ID from {label!r}; add a {slot}_concept value.")
                continue
        else:
            concept = None
            uncoded.append(label)
        parts.append({"label": label, "concept": concept, "polarity": polarity})
        if concept is not None:
            coder.use(concept, label, reading, slot)
    joined = []
    if compound and len(parts) > 1:
        joined.append({"relation": "and", "parts": [f"{slot}[{i}]" for i in range(len(parts))]})
    return parts, uncoded, joined


_REF = re.compile(r"^([a-z_]+)\[(\d+)\]$")


def _moved_ref(ref: object, slot: str, positions: dict[int, list[int]]) -> list:
    """Where a relation's ``slot[i]`` reference points once the slot's parts have moved."""
    found = _REF.match(ref) if isinstance(ref, str) else None
    if found is None or found[1] != slot or int(found[2]) not in positions:
        return [ref]
    return [f"{slot}[{i}]" for i in positions[int(found[2])]]


def _move(relations: list[dict], slot: str, positions: dict[int, list[int]]) -> None:
    """Make the relations' references into ``slot`` follow its parts to their new places."""
    for relation in relations:
        if "parts" in relation:
            relation["parts"] = [new for ref in relation["parts"] for new in _moved_ref(ref, slot, positions)]
        for end in ("from", "to"):
            if end in relation:
                relation[end] = _moved_ref(relation[end], slot, positions)[0]


def apply_decisions(cmocs: list[dict], decisions: Mapping[str, CodingDecision], coder: Coder) -> None:
    """Code the uncoded parts of the records an import is about to write whose label the coding
    file decides, as :func:`causal_web.coding.coding.apply_coding` does for a folder.

    A label coded to several concepts becomes one part per concept (same label) joined by an
    ``and`` relation, unless a relation names the part as its one source or target. The file's
    polarity replaces the one read from the label; ``inferred`` flags the part. Fragments stay
    uncoded. A ``new:`` concept is made; any other concept must be in the vocabulary, or
    :class:`CodingError` names the file, row and column.
    """
    for data in cmocs:
        relations: list[dict] = data.get("relations", [])
        pinned = {r.get(end) for r in relations for end in ("from", "to")}
        for slot in SLOT_NAMES:
            parts = data.get(slot, [])
            new_parts: list[dict] = []
            positions: dict[int, list[int]] = {}
            joins = []
            for index, part in enumerate(parts):
                decision = None
                if part["concept"] is None and not is_fragment(part["label"]):
                    decision = decisions.get(label_key(part["label"]))
                several = decision is not None and len(decision.concepts) > 1
                if decision is None or not decision.concepts or (several and f"{slot}[{index}]" in pinned):
                    positions[index] = [len(new_parts)]
                    new_parts.append(part)
                    continue
                positions[index] = list(range(len(new_parts), len(new_parts) + len(decision.concepts)))
                new_parts += _coded_parts(part, decision, slot, coder)
                if several:
                    joins.append({"relation": "and", "parts": [f"{slot}[{i}]" for i in positions[index]]})
            if len(new_parts) != len(parts):
                _move(relations, slot, positions)
            relations += joins
            if parts:
                data[slot] = new_parts
        if relations:
            data["relations"] = relations


def _coded_parts(part: dict, decision: CodingDecision, slot: str, coder: Coder) -> list[dict]:
    """The parts one uncoded part becomes under ``decision``, noting each concept's use."""
    coded = []
    for concept in decision.concepts:
        if concept.id not in coder.known and concept.new:
            coder.known[concept.id] = Concept(concept.id, concept.pref_label, notes="added from coding.csv")
            coder.vocabulary.append(coder.known[concept.id])
        if concept.id not in coder.known:
            raise CodingError(
                f"{decision.where('concept')}: unknown concept {concept.id!r}; use an ID of the "
                f"vocabulary or new:{concept.id}."
            )
        polarity = concept.polarity or part["polarity"]
        new = {"label": part["label"], "concept": concept.id, "polarity": polarity}
        if part.get("inferred") or decision.inferred:
            new["inferred"] = True
        coded.append(new)
        reading = NormalisedLabel(part["label"], concept.id, Polarity(polarity), True)
        # the label becomes an alternative label only when it names this concept alone, in the
        # sense its words give (a later import would read an overridden polarity wrongly)
        alone = len(decision.concepts) == 1 and concept.polarity is None
        coder.use(concept.id, part["label"], reading, slot, alt=alone)
    return coded
