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
    CodingDecision,
    CodingError,
    apply_coding,
    label_key,
    parse_coding,
    suggest,
    uncoded_parts,
)
from causal_web.model.loading import load_dataset
from causal_web.model.records import CMOC, Citation, Part, Polarity
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
    assert (new.concept, new.new, new.pref_label) == ("middle-managers", True, "Managers")
    assert decisions["x"].concept is None
    with pytest.raises(CodingError, match=r"coding.csv, line 2, column 'concept'.*'Not A Slug'"):
        parse_coding("label,concept\nTrust,Not A Slug\n")
    with pytest.raises(CodingError, match=r"line 3, column 'concept'.*line 2"):
        parse_coding("label,concept\nTrust,trust\ntrust,faith\n")
    with pytest.raises(CodingError, match=r"line 1, column 'colour'"):
        parse_coding("label,concept,colour\n")
    with pytest.raises(CodingError, match=r"line 2, column 'label'.*cut off"):
        parse_coding("label,concept\ngreater ambi[TRUNCATED],trust\n")


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
    mapping[label_key("greater ambi[TRUNCATED]")] = CodingDecision("greater ambi[TRUNCATED]", "trust", line=9)
    changes = apply_coding([cmoc], mapping, {"trust": object()})  # type: ignore[dict-item]
    assert [(c.slot, c.index, c.concept) for c in changes] == [("mechanism", 0, "trust")]
    assert cmoc.context[0].concept == "faith"  # coded parts are never recoded
    assert cmoc.context[1].concept is None
    assert cmoc.mechanism[0] == Part("Trust", "trust", Polarity.INCREASE)
    with pytest.raises(CodingError, match=r"line 2, column 'concept': unknown concept 'nowhere'"):
        apply_coding(
            [CMOC("X-2", "p", Citation("s", "T", "1"), outcome=[Part("Trust", None)])],
            parse_coding("label,concept\nTrust,nowhere\n"),
        )


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
    assert "coding.csv, line 2, column 'concept': unknown concept 'no-such-concept'" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(folder) == before
