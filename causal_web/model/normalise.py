"""Published labels to a concept and a polarity, by the rules of ``docs/curation.md``.

A leading qualifier ("Greater", "Reduced", "Lessened", "High", ...) gives the polarity and is
dropped; the rest of the label, lower-cased and hyphenated, is the concept slug. A label with
no qualifier keeps polarity unspecified. A vocabulary's labels take precedence: a label that is
a concept's preferred or alternative label maps to that concept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from causal_web.model.records import Concept, Polarity

__all__ = ["DECREASE_WORDS", "INCREASE_WORDS", "NormalisedLabel", "normalise_label", "slugify", "split_cell"]

INCREASE_WORDS = frozenset(
    [
        "greater",
        "enhanced",
        "increased",
        "increasing",
        "improved",
        "better",
        "high",
        "higher",
        "more",
        "stronger",
        "strong",
    ]
)
DECREASE_WORDS = frozenset(
    [
        "reduced",
        "lessened",
        "lesser",
        "less",
        "low",
        "lower",
        "decreased",
        "decreasing",
        "weaker",
        "weak",
        "lack",
    ]
)
_FILLER = frozenset({"of", "in", "the"})


@dataclass(frozen=True, slots=True)
class NormalisedLabel:
    """The curator's reading of one published label."""

    label: str
    concept: str
    polarity: Polarity
    matched_vocabulary: bool = False


def slugify(text: str) -> str:
    """A concept slug: lower-case words joined by hyphens, other characters dropped."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(words)[:80].strip("-")


def split_cell(cell: str) -> list[str]:
    """A spreadsheet cell's values: split on ';' outside parentheses, each trimmed."""
    parts, depth, current = [], 0, []
    for char in cell:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _vocabulary_index(concepts: Iterable[Concept]) -> dict[str, str]:
    index: dict[str, str] = {}
    for concept in concepts:
        for label in (concept.pref_label, *concept.alt_labels):
            index.setdefault(label.strip().lower(), concept.id)
    return index


def normalise_label(label: str, vocabulary: Iterable[Concept] = ()) -> NormalisedLabel:
    """The concept and polarity a published label names."""
    text = " ".join(label.split())
    words = text.split(" ")
    first = words[0].lower().rstrip(",:") if words else ""
    polarity = Polarity.UNSPECIFIED
    rest = words
    if first in INCREASE_WORDS and len(words) > 1:
        polarity, rest = Polarity.INCREASE, words[1:]
    elif first in DECREASE_WORDS and len(words) > 1:
        polarity, rest = Polarity.DECREASE, words[1:]
        if rest and rest[0].lower() == "of":
            rest = rest[1:]
    index = _vocabulary_index(vocabulary)
    core = " ".join(rest)
    for candidate in (text, core):
        concept_id = index.get(candidate.lower())
        if concept_id:
            return NormalisedLabel(label, concept_id, polarity, matched_vocabulary=True)
    while rest and rest[-1].lower() in _FILLER:
        rest = rest[:-1]
    return NormalisedLabel(label, slugify(" ".join(rest)) or slugify(text), polarity)
