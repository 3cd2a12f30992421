"""The label rules of docs/curation.md, and the bundled data's agreement with them."""

from __future__ import annotations

import pytest

from causal_web.model.normalise import normalise_label, slugify, split_cell
from causal_web.model.records import SLOT_NAMES, Polarity
from causal_web.model.references import is_fragment


@pytest.mark.parametrize(
    ("label", "concept", "polarity"),
    [
        ("Reduced trust", "trust", Polarity.DECREASE),
        ("Greater organisational flexibility", "organisational-flexibility", Polarity.INCREASE),
        ("Conflict", "conflict", Polarity.UNSPECIFIED),
        ("Lessened perception of progress", "perception-of-progress", Polarity.DECREASE),
        ("High faith", "faith", Polarity.INCREASE),
        (
            "Greater, appropriate strategies of interpersonal communication",
            "appropriate-strategies-of-interpersonal-communication",
            Polarity.INCREASE,
        ),
        ("Lack of organisational resources", "organisational-resources", Polarity.DECREASE),
    ],
)
def test_rules_without_a_vocabulary(label, concept, polarity):
    result = normalise_label(label)
    assert (result.concept, result.polarity) == (concept, polarity)


def test_vocabulary_labels_take_precedence(kb):
    result = normalise_label("Reduced faith in partnership", kb.dataset.concepts.values())
    assert (result.concept, result.polarity, result.matched_vocabulary) == ("faith", Polarity.DECREASE, True)


def test_split_cell_respects_parentheses():
    assert split_cell("Trust ; risk tolerance;faith") == ["Trust", "risk tolerance", "faith"]
    assert split_cell("Confidence (contractual obligation; partner expected to act)") == [
        "Confidence (contractual obligation; partner expected to act)"
    ]
    assert split_cell("  ") == []
    assert slugify("Workforce  instability!") == "workforce-instability"


def test_bundled_data_follows_the_rules(kb):
    """Every slot not marked inferred, and not one of several slots sharing a compound label,
    maps as the rules say; a new exception must be marked inferred or the rules changed."""
    vocabulary = list(kb.dataset.concepts.values())
    departures = []
    for cmoc in kb.dataset.cmocs.values():
        for name in SLOT_NAMES:
            slots = cmoc.slots(name)
            labels = [s.label for s in slots]
            for slot in slots:
                if slot.inferred or labels.count(slot.label) > 1:
                    continue
                if is_fragment(slot.label):
                    # a cut-off fragment is never coded (curation.md; audit D04)
                    if slot.concept is not None:
                        departures.append(f"{cmoc.id} {name}: fragment {slot.label!r} is coded")
                    continue
                got = normalise_label(slot.label, vocabulary)
                if (got.concept, got.polarity) != (slot.concept, slot.polarity):
                    departures.append(
                        f"{cmoc.file} [{cmoc.id}] {name}: {slot.label!r} -> {got.concept}/"
                        f"{got.polarity.value}, data says {slot.concept}/{slot.polarity.value}"
                    )
    assert not departures, "\n".join(departures)
