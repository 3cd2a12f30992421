"""Scoring the derived readiness diagnostic on worked examples. Every expected figure is worked
out by hand from the CMOCs behind the items (the arithmetic is in the comments), never copied
from the output."""

from __future__ import annotations

import pytest

from causal_web.guidance import AnswerError, diagnose, guidance_of

# Directions, read off the CMOCs by hand: an item scores its answer when agreeing with it
# enables what it bears on, and 6 - answer when it constrains it.
#   C01 R21-013 accountability arrangements -> reduced conflict -> enhanced trust: enables
#   C02 R21-014 slow pace of development -> conflict -> reduced trust: constrains
#   C03 R21-015 higher cultural compatibility -> reduced conflict -> enhanced trust: enables
#   C04 R21-016 shared vision -> reduced conflict -> enhanced trust: enables
#   C05 R21-017 improper cessation -> increased conflict -> reduced trust: constrains
#   C06 R21-018 task failure -> increased conflict -> reduced trust: constrains
# Every one of them cites only records of the ioc-synthesis base: weight 1 each.
# Enabling faith items: R21-003, R21-009, R21-011, R21-012, S22-005 and S22-007 (two parts).
FAITH_ENABLING = ["F01", "F05", "F07", "F08", "F09", "F11", "F12"]
FAITH_CONSTRAINING = ["F03", "F04", "F06", "F10"]  # R21-007, -008, -010, S22-006
# F02 (R21-006, intra-organisational conflict) and F13 (S22-008, increasing task complexity) constrain
# too. F13 cites S22-008 (interview base) and S22-014 (synthesis base): weight 2; all others weight 1.


def _answers(kb, **given: int) -> dict[str, int]:
    answers = {item_id: 3 for item_id in guidance_of(kb).instrument.items}
    answers.update(given)
    return answers


def _mechanism(result: dict, mechanism_id: str) -> dict:
    return next(m for m in result["mechanisms"] if m["id"] == mechanism_id)


def _domain(result: dict, domain_id: str) -> dict:
    return next(d for d in result["maturity"]["domains"] if d["id"] == domain_id)


def test_neutral_answers_put_nothing_at_risk(kb):
    # 3 on every item: enabling items score 3, constraining ones 6 - 3 = 3, so every mean is 3.0,
    # which is not below the at-risk line of 3.0; 3.0 falls in the band from 2.6 (level 3).
    result = diagnose(kb, _answers(kb))
    assert result["at_risk"] == []
    assert {m["score"] for m in result["mechanisms"]} == {3.0}
    assert [(d["score"], d["level"], d["level_label"]) for d in result["maturity"]["domains"]] == [
        (3.0, 3, "Developing")
    ] * 4


def test_constraining_items_are_scored_in_reverse(kb):
    # C01=5 -> 5, C02=5 -> 1, C03=4 -> 4, C04=2 -> 2, C05=1 -> 5, C06=2 -> 4
    # conflict = (5 + 1 + 4 + 2 + 5 + 4) / 6 = 21 / 6 = 3.5; weak items (score < 3): C02, C04
    result = diagnose(kb, _answers(kb, C01=5, C02=5, C03=4, C04=2, C05=1, C06=2))
    conflict = _mechanism(result, "conflict")
    assert conflict["score"] == 3.5
    assert not conflict["at_risk"]
    assert conflict["weak_items"] == ["C02", "C04"]
    items = {i["id"]: i for i in result["items"]}
    assert (items["C02"]["answer"], items["C02"]["score"], items["C02"]["reverse_scored"]) == (5, 1, True)
    assert (items["C01"]["answer"], items["C01"]["score"], items["C01"]["reverse_scored"]) == (5, 5, False)


def test_evidence_weight_tips_faith_into_risk(kb):
    # Enabling faith items answered 4 -> 4 each: 7 x 4 = 28
    # Constraining F03, F04, F06, F10 answered 4 -> 2 each: 4 x 2 = 8
    # F02 answered 3 -> 3; F13 answered 5 -> 1, with weight 2
    # Unweighted: (28 + 8 + 3 + 1) / 13 = 40 / 13 = 3.08 (not at risk)
    # Weighted:   (28 + 8 + 3 + 2 x 1) / (12 + 2) = 41 / 14 = 2.928... -> 2.93 (at risk)
    given = {i: 4 for i in FAITH_ENABLING + FAITH_CONSTRAINING}
    result = diagnose(kb, _answers(kb, F02=3, F13=5, **given))
    faith = _mechanism(result, "faith")
    assert faith["weight"] == 14
    assert faith["score"] == 2.93
    assert faith["at_risk"]
    assert result["at_risk"] == ["faith"]
    assert faith["weak_items"] == ["F03", "F04", "F06", "F10", "F13"]
    # Prompts come from the weak items' CMOCs: R21-007, R21-008, R21-010, S22-006, S22-008 (S22-014,
    # a mechanism list, gives none). R21-007: "Unambitious aims" (a decrease) through "Lessened
    # perception of progress" (a decrease: "reduces") to "Reduced faith": guard against it.
    assert [p["cmoc"] for p in faith["prompts"]] == ["R21-007", "R21-008", "R21-010", "S22-006", "S22-008"]
    assert faith["prompts"][0]["text"] == (
        "Guard against unambitious aims; it reduces perception of progress and so erodes faith "
        "(R21-007; 1 base)."
    )
    # The chains behind faith include R21-N07 (R21-009 -> R21-003 through faith, assembled by the curator).
    assert "R21-N07" in faith["chains"]
    # Collaborative functioning pools trust (10 items, weight 10, all 3 -> 30), confidence (2 -> 6),
    # conflict (6 -> 18) and faith (weight 14, sum 41): 95 / 32 = 2.96875 -> 2.97, level 3 (from 2.6).
    functioning = _domain(result, "collaborative-functioning")
    assert (functioning["score"], functioning["level"]) == (2.97, 3)


def test_answers_at_the_ends_of_the_scale_give_levels_one_and_five(kb):
    # Answer 5 to enabling items and 1 to constraining ones: every item scores 5 -> level 5.
    instrument = guidance_of(kb).instrument
    best = {i: 5 if item.direction == "enables" else 1 for i, item in instrument.items.items()}
    worst = {i: 6 - value for i, value in best.items()}  # every item scores 1 -> level 1, all at risk
    assert {d["level"] for d in diagnose(kb, best)["maturity"]["domains"]} == {5}
    result = diagnose(kb, worst)
    assert {d["level_label"] for d in result["maturity"]["domains"]} == {"Not in place"}
    assert set(result["at_risk"]) == set(instrument.mechanisms)


@pytest.mark.parametrize(
    ("change", "item", "message"),
    [
        ({"T01": 6}, "T01", "item T01: 6 is out of range"),
        ({"T01": 0}, "T01", "item T01: 0 is out of range"),
        ({"T01": 2.5}, "T01", "item T01: 2.5 is out of range"),
        ({"T01": "agree"}, "T01", "item T01: 'agree' is not a number"),
        ({"T01": True}, "T01", "item T01: True is not a number"),
        ({"X99": 3}, "X99", "unknown item ID 'X99'"),
        ({"T02": None}, "T02", "item T02: None is not a number"),
    ],
)
def test_bad_answers_name_the_item(kb, change, item, message):
    with pytest.raises(AnswerError, match=message) as caught:
        diagnose(kb, _answers(kb, **change))
    assert caught.value.item == item


def test_a_missing_answer_names_the_item(kb):
    answers = _answers(kb)
    del answers["F05"]
    with pytest.raises(AnswerError, match="item F05 is not answered") as caught:
        diagnose(kb, answers)
    assert caught.value.item == "F05"
