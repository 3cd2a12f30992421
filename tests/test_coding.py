"""Coding: `causal-web code` lists uncoded parts with suggestions; coding.csv codes them; --apply
writes them back atomically (canonical YAML, a history event, the folder still valid)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from causal_web.cli.main import main
from causal_web.coding.coding import (
    CodedConcept,
    CodingDecision,
    CodingError,
    apply_coding,
    label_key,
    parse_coding,
    suggest,
    uncoded_parts,
    unsplit_parts,
)
from causal_web.model.loading import load_dataset
from causal_web.model.records import CMOC, CausalLink, Citation, Concept, Part, PartRef, Polarity, Relation
from causal_web.resources import bundled_data_dir

ICAMO = Path(__file__).parent / "data" / "icamo"

# The parts of tests/data/icamo/records.yaml written with `concept: null`, in file order.
ICAMO_UNCODED = [
    ("ICAMO-1", "context", 0, "Low staff turnover"),
    ("ICAMO-1", "context", 1, "A history of working together"),
    ("ICAMO-1", "actor", 0, "Middle managers"),
    ("ICAMO-1", "mechanism", 0, "Reliance on one another"),
    ("ICAMO-1", "outcome", 1, "Fewer duplicated referrals"),
    ("ICAMO-5", "outcome", 0, "Fewer duplicated referrals"),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "icamo"
    shutil.copytree(ICAMO, target)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_uncoded_parts_are_the_null_parts_of_the_file() -> None:
    found = [(p.record, p.slot, p.index, p.label) for p in uncoded_parts(load_dataset(ICAMO))]
    assert found == ICAMO_UNCODED


def test_suggest_ignores_polarity_words_and_drops_weak_matches() -> None:
    candidates = [("trust", "Trust", ""), ("faith", "Faith", ""), ("trust", "Enhanced trust", "other")]
    # "Reduced trust" and "Enhanced trust" both come down to "trust": score 100. "trust" against
    # "faith" shares one letter in order (t): 2*1/10 = 20, under the cut-off of 50.
    found = suggest("Reduced trust", candidates)
    assert [(s.concept, s.score, s.review) for s in found] == [("trust", 100.0, "")]


def test_suggest_gives_at_most_five_concepts() -> None:
    candidates = [(f"trust-{n}", f"Trust {n}", "") for n in range(8)]
    assert len(suggest("Trust", candidates)) == 5


def test_code_lists_parts_with_suggestions_from_another_review(folder: Path) -> None:
    result = CliRunner().invoke(main, ["code", str(folder), "--review", str(bundled_data_dir()), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(u["record"], u["slot"], u["index"], u["label"]) for u in data["uncoded"]] == ICAMO_UNCODED
    assert data["coded"] == [] and data["written"] == []
    duplicated = data["uncoded"][4]["suggestions"]
    # The bundled IOC review has a concept 'Duplication of effort'; the ICAMO folder has none.
    assert {"concept": "duplication-of-effort", "review": "ioc"}.items() <= duplicated[0].items()
    assert all(len(u["suggestions"]) <= 5 for u in data["uncoded"])


def test_coding_file_parsing_and_its_errors() -> None:
    decisions = parse_coding(
        "label,concept,pref_label\nGreater  Trust,trust,\nMiddle managers,new:middle-managers,Managers\nX,,\n"
    )
    assert decisions[label_key("greater trust")].concept == "trust"
    new = decisions[label_key("Middle managers")]
    assert new.concepts == (CodedConcept("middle-managers", True, "Managers"),)
    assert (new.row, new.inferred) == (3, False)
    assert decisions["x"].concept is None and decisions["x"].concepts == ()
    with pytest.raises(CodingError, match=r"coding.csv, row 2, column 'concept'.*'Not A Slug'"):
        parse_coding("label,concept\nTrust,Not A Slug\n")
    with pytest.raises(CodingError, match=r"row 3, column 'concept'.*row 2"):
        parse_coding("label,concept\nTrust,trust\ntrust,faith\n")
    with pytest.raises(CodingError, match=r"row 1, column 'colour'"):
        parse_coding("label,concept,colour\n")
    with pytest.raises(CodingError, match=r"row 2, column 'label'.*cut off"):
        parse_coding("label,concept\ngreater ambi[TRUNCATED],trust\n")


def test_a_label_coded_to_several_concepts_with_polarity_and_inferred() -> None:
    decisions = parse_coding(
        "label,concept,polarity,inferred,pref_label,notes\n"
        "High partnership functioning and trust level,partnership-functioning | trust,,,,\n"
        "High pay and low turnover,pay|new:staff-turnover,increase|decrease,yes,|Turnover of staff,\n"
        "Task failure,task-achievement,Decrease,TRUE,,read from the sense\n"
        "Shared goals and trust,new:shared-goals|trust,increase,,,\n"
        # the same decision again (its notes aside) is allowed
        "task failure,task-achievement,decrease,true,,again\n"
    )
    compound = decisions[label_key("High partnership functioning and trust level")]
    assert compound.concepts == (CodedConcept("partnership-functioning"), CodedConcept("trust"))
    assert compound.concept == "partnership-functioning"  # the first
    # one polarity per concept, in the concept column's order; a new concept's own label
    mixed = decisions[label_key("High pay and low turnover")]
    assert mixed.concepts == (
        CodedConcept("pay", polarity="increase"),
        CodedConcept("staff-turnover", True, "Turnover of staff", "decrease"),
    )
    assert mixed.inferred is True
    failure = decisions[label_key("Task failure")]
    assert failure.concepts == (CodedConcept("task-achievement", polarity="decrease"),)
    assert (failure.inferred, failure.notes, failure.row) == (True, "read from the sense", 4)
    # one polarity serves every concept; a new concept of several is named from its ID
    goals = decisions[label_key("Shared goals and trust")]
    assert goals.concepts == (
        CodedConcept("shared-goals", True, "Shared goals", "increase"),
        CodedConcept("trust", polarity="increase"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label,concept\nX,trust|Faith In\n",
         r"coding.csv, row 2, column 'concept': 'Faith In' is not a concept ID"),
        ("label,concept\nX,trust||faith\n", r"row 2, column 'concept': an empty concept between '\|'"),
        ("label,concept\nX,trust|trust\n", r"row 2, column 'concept': 'trust' is given twice"),
        ("label,concept\nX,new:\n", r"row 2, column 'concept': 'new:' needs an ID"),
        ("label,concept,polarity\nX,trust,more\n", r"row 2, column 'polarity': 'more' is not a polarity; "
         r"use increase, decrease, unspecified"),
        ("label,concept,polarity\nX,trust|faith,increase|decrease|increase\n",
         r"row 2, column 'polarity': 3 values for 2 concept\(s\)"),
        ("label,concept,polarity\nX,trust|faith,increase|up\n", r"row 2, column 'polarity': 'up'"),
        ("label,concept,inferred\nX,trust,maybe\n",
         r"row 2, column 'inferred': 'maybe' is not true or false"),
        ("label,concept,polarity\nX,,decrease\n", r"row 2, column 'polarity': the label is kept uncoded"),
        ("label,concept,inferred\nX,-,true\n", r"row 2, column 'inferred': the label is kept uncoded"),
        ("label,concept,pref_label\nX,new:a|new:b,Only one\n",
         r"row 2, column 'pref_label': the label codes to 2 concepts"),
        # contradictory rows: another concept, another split, another polarity, another flag
        ("label,concept\nX,trust\nY,faith\nx,trust|faith\n",
         r"row 4, column 'concept': 'x' is coded differently on row 2"),
        ("label,concept,polarity\nX,trust,\nX,trust,decrease\n", r"row 3, column 'concept'.*on row 2"),
        ("label,concept,inferred\nX,trust,true\nX,trust,false\n", r"row 3, column 'concept'.*on row 2"),
        ("label,concept\nX,trust\nX,\n", r"row 3, column 'concept'.*on row 2"),
        ("label,concept,polarity,polarity\n", r"row 1, column 'polarity': the column is named twice"),
        ("label,polarity\nX,increase\n",
         r"coding.csv, row 1: the header must name the columns label and concept"),
        ("label,concept\nX,trust,faith\n", r"row 2: more cells than the header has columns"),
    ],
)  # fmt: skip
def test_a_bad_coding_row_is_refused_naming_file_row_and_column(text: str, message: str) -> None:
    with pytest.raises(CodingError, match=message):
        parse_coding(text)


def test_a_row_with_a_line_break_in_a_cell_is_one_row() -> None:
    with pytest.raises(CodingError, match=r"row 3, column 'polarity'"):
        parse_coding('label,concept,notes,polarity\nX,trust,"two\nlines",\nY,trust,,sideways\n')


def test_apply_coding_fills_gaps_only_and_never_codes_a_fragment() -> None:
    cmoc = CMOC(
        "X-1",
        "p",
        Citation("s", "Table 1", "1"),
        context=[Part("Trust", "faith"), Part("greater ambi[TRUNCATED]", None)],
        mechanism=[Part("Trust", None, Polarity.INCREASE)],
    )
    mapping = parse_coding("label,concept\nTrust,trust\n")
    # a decision for the fragment itself, made by hand (the file refuses one)
    mapping[label_key("greater ambi[TRUNCATED]")] = CodingDecision(
        "greater ambi[TRUNCATED]", (CodedConcept("trust"),), row=9
    )
    changes = apply_coding([cmoc], mapping, {"trust": object()})  # type: ignore[dict-item]
    assert [(c.slot, c.index, c.concept) for c in changes] == [("mechanism", 0, "trust")]
    assert cmoc.context[0].concept == "faith"  # coded parts are never recoded
    assert cmoc.context[1].concept is None
    assert cmoc.mechanism[0] == Part("Trust", "trust", Polarity.INCREASE)
    with pytest.raises(CodingError, match=r"row 2, column 'concept': unknown concept 'nowhere'"):
        apply_coding(
            [CMOC("X-2", "p", Citation("s", "T", "1"), outcome=[Part("Trust", None)])],
            parse_coding("label,concept\nTrust,nowhere\n"),
        )


def test_apply_coding_splits_a_label_into_one_part_per_concept() -> None:
    label = "Shared vision and trust"
    cmoc = CMOC(
        "X-1",
        "p",
        Citation("s", "Table 1", "1"),
        context=[Part(label, None, Polarity.INCREASE), Part("Trust", "trust")],
        mechanism=[Part("Unambitious aims", None)],
        outcome=[Part("Faith", "faith"), Part("Rising cost", None, Polarity.INCREASE)],
        relations=[
            Relation("tempers", source=PartRef("context", 1), target=PartRef("outcome", 0)),
            Relation("and", parts=(PartRef("context", 0), PartRef("outcome", 0))),
            # a relation's one source cannot become two parts: this label stays uncoded
            Relation("constrains", source=PartRef("outcome", 1), target=PartRef("outcome", 0)),
        ],
    )
    mapping = parse_coding(
        "label,concept,polarity,inferred\n"
        f"{label},shared-vision|trust,,\n"
        "Unambitious aims,ambition,decrease,true\n"
        "Rising cost,cost|price,,\n"
    )
    vocabulary = {c: Concept(c, c) for c in ("shared-vision", "trust", "ambition", "cost", "price")}
    assert [(p.record, p.slot, p.index) for p in unsplit_parts([cmoc], mapping)] == [("X-1", "outcome", 1)]
    changes = apply_coding([cmoc], mapping, vocabulary)
    assert [(c.slot, c.index, c.concept) for c in changes] == [
        ("context", 0, "shared-vision"), ("context", 1, "trust"), ("mechanism", 0, "ambition"),
    ]  # fmt: skip
    # both parts keep the label and the polarity read from it; the coded part moves to index 2
    assert cmoc.context == [
        Part(label, "shared-vision", Polarity.INCREASE),
        Part(label, "trust", Polarity.INCREASE),
        Part("Trust", "trust"),
    ]
    # the file's polarity and inferred flag, with no qualifier word in the label
    assert cmoc.mechanism == [Part("Unambitious aims", "ambition", Polarity.DECREASE, inferred=True)]
    assert cmoc.outcome[1] == Part("Rising cost", None, Polarity.INCREASE)
    assert [(r.relation, r.source, r.target, r.parts) for r in cmoc.relations] == [
        ("tempers", PartRef("context", 2), PartRef("outcome", 0), ()),
        ("and", None, None, (PartRef("context", 0), PartRef("context", 1), PartRef("outcome", 0))),
        ("constrains", PartRef("outcome", 1), PartRef("outcome", 0), ()),
        ("and", None, None, (PartRef("context", 0), PartRef("context", 1))),
    ]


def test_a_link_end_takes_one_concept_only() -> None:
    link = CausalLink(
        "L-1", "p", Citation("s", "T", "1"), [], Part("Pay and trust", None), Part("Trust", None), "enables"
    )
    mapping = parse_coding("label,concept,polarity\nPay and trust,pay|trust,\nTrust,trust,increase\n")
    vocabulary = {"pay": Concept("pay", "Pay"), "trust": Concept("trust", "Trust")}
    assert [(p.record, p.slot) for p in unsplit_parts([link], mapping)] == [("L-1", "from")]
    changes = apply_coding([link], mapping, vocabulary)
    assert [(c.slot, c.concept) for c in changes] == [("to", "trust")]
    assert (link.source.concept, link.target) == (None, Part("Trust", "trust", Polarity.INCREASE))


def test_code_apply_writes_the_coded_parts_back(folder: Path) -> None:
    (folder / "coding.csv").write_text(
        "label,concept,pref_label,notes\n"
        "Fewer duplicated referrals,duplication-of-effort,,\n"
        "Middle managers,new:middle-managers,Middle managers,\n"
        "Low staff turnover,,,kept uncoded on purpose\n",
        encoding="utf-8",
    )
    before = _snapshot(folder)
    runner = CliRunner()
    listed = runner.invoke(main, ["code", str(folder), "--review", str(bundled_data_dir()), "--json"])
    assert listed.exit_code == 0, listed.output
    # Without --apply nothing is written, and the list already leaves out what the file codes.
    assert _snapshot(folder) == before
    assert len(json.loads(listed.output)["uncoded"]) == 3

    result = runner.invoke(
        main,
        ["code", str(folder), "--review", str(bundled_data_dir()), "--apply", "--by", "tester", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["written"] == ["concepts.yaml", "records.yaml"]
    after = _snapshot(folder)
    assert {n for n in after if after[n] != before.get(n)} == {"concepts.yaml", "records.yaml"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left

    dataset = load_dataset(folder)
    one, five = dataset.cmocs["ICAMO-1"], dataset.cmocs["ICAMO-5"]
    assert one.actor[0].concept == "middle-managers"
    assert (
        one.outcome[1].concept == "duplication-of-effort"
        and five.outcome[0].concept == "duplication-of-effort"
    )
    assert one.context[0].concept is None
    assert dataset.concepts["middle-managers"].pref_label == "Middle managers"
    # copied from the bundled review, without its links to concepts this folder lacks
    assert dataset.concepts["duplication-of-effort"].pref_label == "Duplication of effort"
    assert [(e.by, e.what) for e in one.history][-1] == ("tester", "code")
    assert "actor[0] -> middle-managers" in one.history[-1].why
    assert dataset.cmocs["ICAMO-2"].history == []

    valid = runner.invoke(main, ["validate", str(folder)])
    assert valid.exit_code == 0, valid.output
    lint = runner.invoke(main, ["lint", "--data", str(folder), "--check"])
    assert lint.exit_code == 0, lint.output  # written in canonical form
    again = runner.invoke(main, ["code", str(folder), "--apply", "--json"])
    assert json.loads(again.output)["coded"] == []  # nothing left for the file to code


def test_a_bad_coding_file_is_refused_and_the_folder_left_alone(folder: Path) -> None:
    (folder / "coding.csv").write_text("label,concept\nMiddle managers,no-such-concept\n", encoding="utf-8")
    before = _snapshot(folder)
    result = CliRunner().invoke(main, ["code", str(folder), "--apply"])
    assert result.exit_code == 2
    assert "coding.csv, row 2, column 'concept': unknown concept 'no-such-concept'" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(folder) == before


def test_code_apply_splits_a_label_and_notes_one_it_cannot_split(folder: Path) -> None:
    # ICAMO-1's context[0] is the source of a 'tempers' relation, so it must stay one part
    (folder / "coding.csv").write_text(
        "label,concept,polarity,inferred\n"
        "A history of working together,joint-working|new:shared-history,increase|,true\n"
        "Low staff turnover,trust|confidence,,\n",
        encoding="utf-8",
    )
    before = load_dataset(folder).cmocs["ICAMO-1"]
    runner = CliRunner()
    result = runner.invoke(main, ["code", str(folder), "--apply", "--by", "tester"])
    assert result.exit_code == 0, result.output
    assert "note: ICAMO-1 context[0] 'Low staff turnover' left uncoded" in result.output
    cmoc = load_dataset(folder).cmocs["ICAMO-1"]
    history = "A history of working together"
    assert cmoc.context == [
        Part("Low staff turnover", None, Polarity.DECREASE),
        Part(history, "joint-working", Polarity.INCREASE, inferred=True),
        Part(history, "shared-history", Polarity.UNSPECIFIED, inferred=True),  # polarity as read
    ]
    assert cmoc.relations == [
        *before.relations,
        Relation("and", parts=(PartRef("context", 1), PartRef("context", 2))),
    ]
    assert (
        cmoc.history[-1].why
        == "coded from coding.csv: context[1] -> joint-working, context[2] -> shared-history"
    )
    added = load_dataset(folder).concepts["shared-history"]
    assert (added.pref_label, added.alt_labels) == ("Shared history", [])  # named from its ID
    assert runner.invoke(main, ["validate", str(folder)]).exit_code == 0
    assert runner.invoke(main, ["lint", "--data", str(folder), "--check"]).exit_code == 0


def test_a_bad_polarity_in_the_coding_file_is_refused_by_code(folder: Path) -> None:
    (folder / "coding.csv").write_text(
        "label,concept,polarity\nMiddle managers,trust,\nLow staff turnover,trust,lower\n", encoding="utf-8"
    )
    before = _snapshot(folder)
    result = CliRunner().invoke(main, ["code", str(folder), "--apply"])
    assert result.exit_code == 2
    assert "coding.csv, row 3, column 'polarity': 'lower' is not a polarity" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(folder) == before


SHEET = "ID,Context,Mechanism,Outcome\nT1,High pay and trust,Trust,Task failure\n"
CODING = (
    "label,concept,polarity,inferred,pref_label\n"
    "High pay and trust,new:pay|trust,,,Pay|\n"
    "Task failure,task-achievement,decrease,true,\n"
)


def _imported_t1(out: Path) -> CMOC:
    cmoc = load_dataset(out).cmocs["T1"]
    assert cmoc.context == [
        Part("High pay and trust", "pay", Polarity.INCREASE),  # "High": read from the label
        Part("High pay and trust", "trust", Polarity.INCREASE),
    ]
    assert cmoc.relations == [Relation("and", parts=(PartRef("context", 0), PartRef("context", 1)))]
    assert cmoc.outcome == [Part("Task failure", "task-achievement", Polarity.DECREASE, inferred=True)]
    return cmoc


def test_import_applies_the_data_folder_and_the_vocabulary_coding_file(tmp_path: Path) -> None:
    sheet = tmp_path / "team.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    runner = CliRunner()
    # the data folder's file, on a re-import with --force
    out = tmp_path / "out"
    out.mkdir()
    (out / "coding.csv").write_text(CODING, encoding="utf-8")
    result = runner.invoke(main, ["import", str(sheet), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    _imported_t1(out)
    assert (out / "coding.csv").read_text(encoding="utf-8") == CODING  # kept in the folder
    pay = load_dataset(out).concepts["pay"]
    assert (pay.pref_label, pay.alt_labels) == ("Pay", [])  # a label of two concepts names neither
    # nor is a label whose polarity the file gives an alternative label: a later import would
    # code "Task failure" to task-achievement with no polarity
    assert "Task failure" not in load_dataset(out).concepts["task-achievement"].alt_labels
    # the --vocabulary folder's file
    vocabulary = tmp_path / "vocabulary"
    shutil.copytree(bundled_data_dir(), vocabulary)
    (vocabulary / "coding.csv").write_text(CODING, encoding="utf-8")
    other = tmp_path / "other"
    result = runner.invoke(main, ["import", str(sheet), "-o", str(other), "--vocabulary", str(vocabulary)])
    assert result.exit_code == 0, result.output
    _imported_t1(other)


def test_import_refuses_a_bad_coding_file_and_writes_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "team.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    vocabulary = tmp_path / "vocabulary"
    shutil.copytree(bundled_data_dir(), vocabulary)
    runner = CliRunner()
    cases = [
        ("Task failure,task-achievement,down,,\n", "row 3, column 'polarity': 'down' is not a polarity"),
        (
            "Task failure,Task Achievement,,,\n",
            "row 3, column 'concept': 'Task Achievement' is not a concept ID",
        ),
        ("task failure,trust,,,\n", "row 3, column 'concept': 'task failure' is coded differently on row 2"),
        ("Trust and pay,no-such|trust,,,\n", "row 3, column 'concept': unknown concept 'no-such'"),
    ]
    for row, message in cases:
        text = "label,concept,polarity,inferred,pref_label\nTask failure,task-achievement,,,\n" + row
        if "no-such" in row:
            sheet.write_text(
                "ID,Context,Mechanism,Outcome\nT1,Trust and pay,Trust,Task failure\n", encoding="utf-8"
            )
        (vocabulary / "coding.csv").write_text(text, encoding="utf-8")
        out = tmp_path / "out"
        result = runner.invoke(main, ["import", str(sheet), "-o", str(out), "--vocabulary", str(vocabulary)])
        assert result.exit_code == 2, (row, result.output)
        assert f"{vocabulary / 'coding.csv'}, {message}" in result.output
        assert "Traceback" not in result.output
        assert not out.exists()
    # the data folder's file, on a re-import: the folder is left byte-identical
    out = tmp_path / "kept"
    out.mkdir()
    (out / "coding.csv").write_text("label,concept,inferred\nTrust,trust,perhaps\n", encoding="utf-8")
    before = _snapshot(out)
    result = runner.invoke(main, ["import", str(sheet), "-o", str(out), "--force"])
    assert result.exit_code == 2
    assert "coding.csv, row 2, column 'inferred': 'perhaps' is not true or false" in result.output
    assert _snapshot(out) == before
