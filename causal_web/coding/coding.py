"""Coding: suggest concepts for uncoded parts, and apply a reviewer's decisions.

A reviewer's decisions live in ``coding.csv`` in the data folder (docs/import.md, "The coding
file"; read by :mod:`~causal_web.coding.decisions`): one row per published label, giving the
concept or concepts it codes to (``new:<id>`` for a concept to add, nothing to keep it uncoded),
and optionally the polarity and whether the coding is inferred. :func:`apply_coding` applies the
file to a dataset (or to records on their way out of the importer); ``causal-web code`` lists
what is still uncoded, with suggestions, and ``--apply`` writes the coded parts back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process, utils

from causal_web.coding.decisions import (
    CODING_COLUMNS,
    CODING_FILE,
    CodedConcept,
    CodingDecision,
    CodingError,
    label_key,
    parse_coding,
    read_coding,
    read_coding_file,
)
from causal_web.model.normalise import DECREASE_WORDS, INCREASE_WORDS
from causal_web.model.records import (
    CMOC,
    SLOT_NAMES,
    CausalLink,
    Concept,
    Dataset,
    Part,
    PartRef,
    Polarity,
    Relation,
)
from causal_web.model.references import is_fragment

__all__ = [
    "CODING_COLUMNS",
    "CODING_FILE",
    "CodedConcept",
    "CodingChange",
    "CodingDecision",
    "CodingError",
    "Suggestion",
    "UncodedPart",
    "apply_coding",
    "candidate_labels",
    "label_key",
    "parse_coding",
    "read_coding",
    "read_coding_file",
    "suggest",
    "uncoded_parts",
    "unsplit_parts",
]

MAX_SUGGESTIONS = 5
MIN_SCORE = 50.0
_QUALIFIERS = INCREASE_WORDS | DECREASE_WORDS | {"fewer", "lack", "absence", "no", "a", "an", "the"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A concept that may code a label: its ID, the label it matched, the score (0-100) and the
    review it comes from ("" for the folder's own vocabulary)."""

    concept: str
    matched: str
    score: float
    review: str = ""

    def to_dict(self) -> dict:
        return {
            "concept": self.concept,
            "matched": self.matched,
            "score": round(self.score, 1),
            "review": self.review,
        }


@dataclass(slots=True)
class UncodedPart:
    """One part with ``concept: null``: where it is, its text, and the suggested concepts."""

    record: str
    slot: str
    index: int
    label: str
    incomplete: bool = False
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "record": self.record,
            "slot": self.slot,
            "index": self.index,
            "label": self.label,
            "incomplete": self.incomplete,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


@dataclass(frozen=True, slots=True)
class CodingChange:
    """A part the coding file coded: where, its text and the concept it got."""

    record: str
    slot: str
    index: int
    label: str
    concept: str

    def to_dict(self) -> dict:
        return {
            "record": self.record,
            "slot": self.slot,
            "index": self.index,
            "label": self.label,
            "concept": self.concept,
        }


def _cut_off(label: str) -> bool:
    return is_fragment(label)


def _records(dataset_or_parts: Dataset | Iterable[CMOC | CausalLink]) -> list[CMOC | CausalLink]:
    if isinstance(dataset_or_parts, Dataset):
        return [*dataset_or_parts.cmocs.values(), *dataset_or_parts.links.values()]
    return list(dataset_or_parts)


def _record_parts(record: CMOC | CausalLink) -> Iterable[tuple[str, int, Part]]:
    if isinstance(record, CausalLink):
        yield "from", 0, record.source
        yield "to", 0, record.target
    else:
        yield from record.parts()


def uncoded_parts(dataset_or_parts: Dataset | Iterable[CMOC | CausalLink]) -> list[UncodedPart]:
    """Every part with ``concept: null``, in record order (CMOC slots, then link ends)."""
    found = []
    for record in _records(dataset_or_parts):
        incomplete = getattr(record, "incomplete", False)
        for slot, index, part in _record_parts(record):
            if part.concept is None:
                found.append(
                    UncodedPart(record.id, slot, index, part.label, incomplete or _cut_off(part.label))
                )
    return found


def candidate_labels(
    dataset: Dataset, review: str = "", coded_parts: bool = False
) -> list[tuple[str, str, str]]:
    """(concept ID, label, review) for every preferred and alternative label of ``dataset``'s
    concepts and, with ``coded_parts``, every coded part's label (how another review coded it)."""
    found: dict[tuple[str, str], str] = {}
    for concept in dataset.concepts.values():
        for label in (concept.pref_label, *concept.alt_labels):
            if label:
                found.setdefault((concept.id, label), review)
    if coded_parts:
        for record in _records(dataset):
            for _slot, _index, part in _record_parts(record):
                if part.concept is not None:
                    found.setdefault((part.concept, part.label), review)
    return [(concept, label, where) for (concept, label), where in found.items()]


def suggest(
    label: str, candidates: list[tuple[str, str, str]], limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Up to ``limit`` concepts whose labels match ``label`` best, best first, one per concept.

    The score is rapidfuzz's token-sort ratio (0-100) of the two labels' :func:`_core`, so word
    order and polarity words do not count; matches under 50 are left out.
    """
    if not candidates or not label.strip():
        return []
    choices = [_core(text) for _c, text, _r in candidates]
    matches = process.extract(
        _core(label),
        choices,
        scorer=fuzz.token_sort_ratio,
        processor=None,
        limit=None,
        score_cutoff=MIN_SCORE,
    )
    best: dict[str, Suggestion] = {}
    # best score first; on a tie the folder's own vocabulary ("" review) before other reviews
    for _text, score, position in sorted(matches, key=lambda m: (-m[1], candidates[m[2]][2], m[2])):
        concept, matched, review = candidates[position]
        if concept not in best:
            best[concept] = Suggestion(concept, matched, float(score), review)
    return sorted(best.values(), key=lambda s: (-s.score, s.concept))[:limit]


def _core(label: str) -> str:
    """The label lower-cased, without punctuation and without a leading qualifier that only
    gives the polarity ("Reduced", "Greater", ...): what names the concept."""
    words = utils.default_process(label).split()
    while len(words) > 1 and words[0] in _QUALIFIERS:
        words.pop(0)
    return " ".join(words)


def _new_concept(decision: CodingDecision, coded: CodedConcept) -> Concept:
    """A ``new:`` concept of the coding file. The label becomes an alternative label when it
    names this concept alone, in the sense its words give (no polarity from the file), and
    differs from the preferred label."""
    alone = len(decision.concepts) == 1 and coded.polarity is None
    alone = alone and label_key(decision.label) != label_key(coded.pref_label)
    return Concept(
        coded.id,
        coded.pref_label,
        alt_labels=[decision.label] if alone else [],
        notes=decision.notes or f"added by causal-web code from the label {decision.label!r}",
    )


def _copied(concept: Concept, dataset: Dataset) -> Concept:
    """A concept taken from another vocabulary, without links to concepts ``dataset`` lacks."""
    return replace(
        concept,
        broader=[c for c in concept.broader if c in dataset.concepts],
        related=[c for c in concept.related if c in dataset.concepts],
        alt_labels=list(concept.alt_labels),
    )


def _coded(decision: CodingDecision, part: Part) -> list[Part]:
    """The parts ``part`` becomes: one per concept, each with the file's polarity (or the one
    read from the label) and flagged inferred when the file says so (or the part was)."""
    return [
        Part(
            part.label,
            coded.id,
            Polarity(coded.polarity) if coded.polarity else part.polarity,
            part.inferred or decision.inferred,
        )
        for coded in decision.concepts
    ]


def _decision(mapping: Mapping[str, CodingDecision], part: Part) -> CodingDecision | None:
    """The decision that codes ``part``: only an uncoded, whole part whose label has one."""
    if part.concept is not None or _cut_off(part.label):
        return None
    decision = mapping.get(label_key(part.label))
    return decision if decision is not None and decision.concepts else None


def _pinned(record: CMOC) -> set[PartRef]:
    """The parts a relation names as its one source or target: they cannot become several."""
    return {ref for r in record.relations for ref in (r.source, r.target) if ref is not None}


def unsplit_parts(
    dataset_or_parts: Dataset | Iterable[CMOC | CausalLink], mapping: Mapping[str, CodingDecision]
) -> list[UncodedPart]:
    """The uncoded parts whose label the file codes to several concepts but that must stay one
    part (a link's end, or a relation's source or target): :func:`apply_coding` leaves them."""
    found = []
    for record in _records(dataset_or_parts):
        pinned = set() if isinstance(record, CausalLink) else _pinned(record)
        for slot, index, part in _record_parts(record):
            decision = _decision(mapping, part)
            if decision is None or len(decision.concepts) == 1:
                continue
            if isinstance(record, CausalLink) or PartRef(slot, index) in pinned:
                found.append(UncodedPart(record.id, slot, index, part.label))
    return found


def _check_concepts(
    records: list[CMOC | CausalLink], mapping: Mapping[str, CodingDecision], known: dict[str, Concept]
) -> None:
    """Add the ``new:`` concepts the records need to ``known``; refuse an unknown one."""
    for record in records:
        for _slot, _index, part in _record_parts(record):
            decision = _decision(mapping, part)
            for coded in decision.concepts if decision else ():
                if coded.id in known:
                    continue
                if not coded.new:
                    raise CodingError(
                        f"{decision.where('concept')}: unknown concept {coded.id!r}; use an ID of "
                        f"the vocabulary or new:{coded.id}."
                    )
                known[coded.id] = _new_concept(decision, coded)


def _code_link(record: CausalLink, mapping: Mapping[str, CodingDecision]) -> list[CodingChange]:
    changes = []
    for end in ("from", "to"):
        part = record.source if end == "from" else record.target
        decision = _decision(mapping, part)
        if decision is None or len(decision.concepts) > 1:
            continue  # a link end is one part (unsplit_parts lists it)
        coded = _coded(decision, part)[0]
        if end == "from":
            record.source = coded
        else:
            record.target = coded
        changes.append(CodingChange(record.id, end, 0, part.label, coded.concept or ""))
    return changes


def _moved(relation: Relation, slot: str, positions: dict[int, list[int]]) -> Relation:
    """``relation`` with its references into ``slot`` following the parts to their new places."""

    def one(ref: PartRef | None) -> PartRef | None:
        if ref is None or ref.slot != slot or ref.index not in positions:
            return ref
        return PartRef(slot, positions[ref.index][0])  # a pinned part stays one part

    parts: list[PartRef] = []
    for ref in relation.parts:
        if ref.slot == slot and ref.index in positions:
            parts += [PartRef(slot, i) for i in positions[ref.index]]
        else:
            parts.append(ref)
    return replace(relation, source=one(relation.source), target=one(relation.target), parts=tuple(parts))


def _code_cmoc(record: CMOC, mapping: Mapping[str, CodingDecision]) -> list[CodingChange]:
    changes = []
    pinned = _pinned(record)
    for slot in SLOT_NAMES:
        parts = record.slots(slot)
        new_parts: list[Part] = []
        positions: dict[int, list[int]] = {}
        joins: list[Relation] = []
        for index, part in enumerate(parts):
            decision = _decision(mapping, part)
            several = decision is not None and len(decision.concepts) > 1
            if decision is None or (several and PartRef(slot, index) in pinned):
                positions[index] = [len(new_parts)]
                new_parts.append(part)
                continue
            coded = _coded(decision, part)
            positions[index] = list(range(len(new_parts), len(new_parts) + len(coded)))
            new_parts += coded
            changes += [
                CodingChange(record.id, slot, i, part.label, c.concept or "")
                for i, c in zip(positions[index], coded, strict=True)
            ]
            if several:
                joins.append(Relation("and", parts=tuple(PartRef(slot, i) for i in positions[index])))
        if len(new_parts) != len(parts):
            record.relations = [_moved(r, slot, positions) for r in record.relations]
        record.relations += joins
        parts[:] = new_parts
    return changes


def apply_coding(
    dataset_or_parts: Dataset | Iterable[CMOC | CausalLink],
    mapping: Mapping[str, CodingDecision],
    vocabulary: Mapping[str, Concept] | None = None,
) -> list[CodingChange]:
    """Code every uncoded part whose label the coding ``mapping`` decides, in place.

    ``dataset_or_parts`` is a dataset, or the CMOCs and links an importer is about to write.
    A decision's concepts must be in the dataset's concepts (or ``vocabulary``, whose concepts
    are then added to the dataset), or be ``new:`` concepts, which are added. A label coded to
    several concepts becomes one part per concept (same label), joined by an ``and`` relation;
    later parts of the slot move up, and the record's relations follow them. The file's
    polarity replaces the part's; ``inferred`` flags the part. Cut-off fragments stay uncoded;
    coded parts are never recoded: the file only fills gaps. Raises :class:`CodingError`, before
    changing anything, for a decision whose concept is unknown.
    """
    dataset = dataset_or_parts if isinstance(dataset_or_parts, Dataset) else None
    records = _records(dataset_or_parts)
    known = dict(vocabulary or {})
    if dataset is not None:
        known.update(dataset.concepts)
    _check_concepts(records, mapping, known)
    changes: list[CodingChange] = []
    for record in records:
        if isinstance(record, CausalLink):
            changes += _code_link(record, mapping)
        else:
            changes += _code_cmoc(record, mapping)
    if dataset is not None:
        for change in changes:
            if change.concept not in dataset.concepts:
                dataset.concepts[change.concept] = _copied(known[change.concept], dataset)
    return changes


def record_coding_events(
    dataset: Dataset, changes: list[CodingChange], by: str, when: dt.datetime | None = None
) -> bool:
    """Append one ``code`` history event to each changed record, when the model keeps a history.

    Returns False (and changes nothing) when records have no ``history``.
    """
    if not changes:
        return True
    try:
        from causal_web.model.history import HistoryEvent
    except ImportError:  # pragma: no cover - the model without a history
        return False
    moment = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    by_record: dict[str, list[CodingChange]] = {}
    for change in changes:
        by_record.setdefault(change.record, []).append(change)
    for record_id, mine in by_record.items():
        record = dataset.cmocs.get(record_id) or dataset.links.get(record_id)
        if record is None or not hasattr(record, "history"):
            return False
        parts = ", ".join(f"{c.slot}[{c.index}] -> {c.concept}" for c in mine)
        record.history.append(HistoryEvent(moment, by, "code", f"coded from {CODING_FILE}: {parts}"))
    return True
