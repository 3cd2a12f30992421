"""Coding: suggest concepts for uncoded parts, and apply a reviewer's decisions.

A reviewer's decisions live in ``coding.csv`` in the data folder (docs/data-format.md, "Coding
file"): one row per published label, giving the concept it codes to, ``new:<id>`` for a
concept to add, or nothing to keep the label uncoded. :func:`apply_coding` applies the file to a
dataset (or to records on their way out of the importer); ``causal-web code`` lists what is
still uncoded, with suggestions, and ``--apply`` writes the coded parts back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from causal_web.errors import CausalWebError
from causal_web.model.normalise import DECREASE_WORDS, INCREASE_WORDS
from causal_web.model.records import CMOC, CausalLink, Concept, Dataset, Part
from causal_web.model.references import is_fragment

__all__ = [
    "CODING_COLUMNS",
    "CODING_FILE",
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
    "suggest",
    "uncoded_parts",
]

CODING_FILE = "coding.csv"
CODING_COLUMNS = ("label", "concept", "pref_label", "notes")
NEW_PREFIX = "new:"
MAX_SUGGESTIONS = 5
MIN_SCORE = 50.0
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_QUALIFIERS = INCREASE_WORDS | DECREASE_WORDS | {"fewer", "lack", "absence", "no", "a", "an", "the"}


class CodingError(CausalWebError, ValueError):
    """A coding file that cannot be used: names the file, line and column."""


@dataclass(frozen=True, slots=True)
class CodingDecision:
    """One row of the coding file: what a published label codes to.

    ``concept`` is ``None`` when the reviewer decided to keep the label uncoded; ``new`` is true
    when the concept is to be added to the vocabulary (``pref_label`` names it).
    """

    label: str
    concept: str | None
    new: bool = False
    pref_label: str = ""
    notes: str = ""
    line: int = 0


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


def label_key(label: str) -> str:
    """The form labels are matched in: case-folded, with runs of white space made one space."""
    return " ".join(label.split()).casefold()


def _cut_off(label: str) -> bool:
    return is_fragment(label)


def parse_coding(text: str, file: str = CODING_FILE) -> dict[str, CodingDecision]:
    """The decisions of a coding file's text, keyed by :func:`label_key`.

    Raises :class:`CodingError` naming the file, the line and the column of the first problem.
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    headers = [h.strip() for h in reader.fieldnames or []]
    if "label" not in headers or "concept" not in headers:
        raise CodingError(
            f"{file}, line 1: the header must name the columns label and concept "
            f"(found: {', '.join(headers) or 'none'})."
        )
    unknown = [h for h in headers if h not in CODING_COLUMNS]
    if unknown:
        raise CodingError(
            f"{file}, line 1, column {unknown[0]!r}: unknown column; "
            f"the columns are {', '.join(CODING_COLUMNS)}."
        )
    reader.fieldnames = headers
    decisions: dict[str, CodingDecision] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise CodingError(f"{file}, line {line}: more cells than columns.")
        cells = {k: (v or "").strip() for k, v in row.items()}
        label = cells.get("label", "")
        if not label:
            if any(cells.values()):
                raise CodingError(f"{file}, line {line}, column 'label': empty label.")
            continue
        concept = cells.get("concept", "")
        new = concept.startswith(NEW_PREFIX)
        concept_id = concept[len(NEW_PREFIX) :].strip() if new else concept
        if concept_id in ("", "-"):
            if new:
                raise CodingError(
                    f"{file}, line {line}, column 'concept': 'new:' needs an ID, such as new:shared-goals."
                )
            decision = CodingDecision(label, None, notes=cells.get("notes", ""), line=line)
        else:
            if not _SLUG.match(concept_id):
                raise CodingError(
                    f"{file}, line {line}, column 'concept': {concept_id!r} is not a concept ID "
                    "(lower-case letters, digits and hyphens)."
                )
            if _cut_off(label):
                raise CodingError(
                    f"{file}, line {line}, column 'label': {label!r} is cut off; a fragment is never coded."
                )
            decision = CodingDecision(
                label, concept_id, new, cells.get("pref_label", "") or label, cells.get("notes", ""), line
            )
        key = label_key(label)
        earlier = decisions.get(key)
        if earlier is not None and (earlier.concept, earlier.new) != (decision.concept, decision.new):
            raise CodingError(
                f"{file}, line {line}, column 'concept': {label!r} is coded differently "
                f"on line {earlier.line}."
            )
        decisions[key] = decision
    return decisions


def read_coding(folder: str | Path) -> dict[str, CodingDecision]:
    """The decisions of ``folder``'s coding file, or none when the folder has no such file."""
    path = Path(folder) / CODING_FILE
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CodingError(
            f"{CODING_FILE}: not valid UTF-8 (byte {error.start}). Save the file as UTF-8."
        ) from None
    return parse_coding(text)


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


def _new_concept(decision: CodingDecision) -> Concept:
    alt = [decision.label] if label_key(decision.label) != label_key(decision.pref_label) else []
    return Concept(
        decision.concept or "",
        decision.pref_label,
        alt_labels=alt,
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


def apply_coding(
    dataset_or_parts: Dataset | Iterable[CMOC | CausalLink],
    mapping: Mapping[str, CodingDecision],
    vocabulary: Mapping[str, Concept] | None = None,
) -> list[CodingChange]:
    """Code every uncoded part whose label the coding ``mapping`` decides, in place.

    ``dataset_or_parts`` is a dataset, or the CMOCs and links an importer is about to write.
    A decision's concept must be in the dataset's concepts (or ``vocabulary``, whose concepts
    are then added to the dataset), or be a ``new:`` concept, which is added. Cut-off fragments
    stay uncoded. Coded parts are never recoded: the file only fills gaps. Raises
    :class:`CodingError` for a decision whose concept is unknown.
    """
    dataset = dataset_or_parts if isinstance(dataset_or_parts, Dataset) else None
    known = dict(vocabulary or {})
    if dataset is not None:
        known.update(dataset.concepts)
    changes: list[CodingChange] = []
    for record in _records(dataset_or_parts):
        for slot, index, part in list(_record_parts(record)):
            if part.concept is not None or _cut_off(part.label):
                continue
            decision = mapping.get(label_key(part.label))
            if decision is None or decision.concept is None:
                continue
            if decision.concept not in known:
                if not decision.new:
                    raise CodingError(
                        f"{CODING_FILE}, line {decision.line}, column 'concept': unknown concept "
                        f"{decision.concept!r}; use an ID of the vocabulary or new:{decision.concept}."
                    )
                known[decision.concept] = _new_concept(decision)
            if dataset is not None and decision.concept not in dataset.concepts:
                dataset.concepts[decision.concept] = _copied(known[decision.concept], dataset)
            coded = replace(part, concept=decision.concept)
            if isinstance(record, CausalLink):
                if slot == "from":
                    record.source = coded
                else:
                    record.target = coded
            else:
                record.slots(slot)[index] = coded
            changes.append(CodingChange(record.id, slot, index, part.label, decision.concept))
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
