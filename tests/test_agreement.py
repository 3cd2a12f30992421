"""Double coding: `causal-web agreement` on worked examples whose percent agreement and Cohen's
kappa are worked out by hand below, and `causal-web reconcile` writing a valid consensus folder
that keeps both coders' parts as evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from causal_web.cli.main import main
from causal_web.coding.agreement import cohen_kappa, compare_folders
from causal_web.model.loading import load_dataset

ICAMO = Path(__file__).parent / "data" / "icamo"
LABELS = {
    "trust": "Trust",
    "information": "Information",
    "joint-working": "Joint working",
    None: "Something unclear",
}

# The worked example: two coders' CMOCs W-1..W-4 of the same excerpts (W-5 only A, W-6 only B).
# Each slot is a list of concept IDs (None: a part left uncoded).
CODER_A = {
    "W-1": {"context": ["trust"], "mechanism": ["trust"], "outcome": ["joint-working"]},
    "W-2": {"context": ["trust"], "mechanism": ["trust"], "outcome": ["information"]},
    "W-3": {"context": ["information"], "outcome": ["trust"]},
    "W-4": {"context": ["joint-working", None], "outcome": ["trust"]},
    "W-5": {"context": ["trust"], "outcome": ["trust"]},
}
CODER_B = {
    "W-1": {"context": ["trust"], "mechanism": ["trust"], "outcome": ["joint-working"]},
    "W-2": {"context": ["information"], "mechanism": ["trust"], "outcome": ["joint-working"]},
    "W-3": {"context": ["information"], "outcome": ["joint-working"]},
    "W-4": {"context": ["joint-working"], "outcome": ["trust"]},
    "W-6": {"context": ["trust"], "outcome": ["trust"]},
}

# Context, 5 units (W-4 has two positions: A's second part is uncoded, B has none there):
#               B: trust  information  joint-working  (absent)  | A total
#   A trust         1        1             0             0      |   2
#   A information   0        1             0             0      |   1
#   A joint-working 0        0             1             0      |   1
#   A (uncoded)     0        0             0             1      |   1
#   B total         1        2             1             1      |   5
#   p_o = 3/5 = 0.6; p_e = (2*1 + 1*2 + 1*1 + 1*0 + 0*1)/25 = 5/25 = 0.2
#   kappa = (0.6 - 0.2) / (1 - 0.2) = 0.5
CONTEXT_KAPPA = 0.5
# Outcome, 4 units:
#               B: joint-working  trust | A total
#   A joint-working      1          0   |   1
#   A information        1          0   |   1
#   A trust              1          1   |   2
#   B total              3          1   |   4
#   p_o = 2/4 = 0.5; p_e = (1*3 + 1*0 + 2*1)/16 = 5/16
#   kappa = (1/2 - 5/16) / (1 - 5/16) = (3/16) / (11/16) = 3/11
OUTCOME_KAPPA = 3 / 11
# Mechanism, 2 units, both trust/trust: p_o = 1 and p_e = (2*2)/4 = 1, so kappa is undefined.
# Overall, the 11 units pooled: 7 agree. Marginals A: trust 6, information 2, joint-working 2,
# (uncoded) 1; B: trust 4, information 2, joint-working 4, (absent) 1.
#   p_o = 7/11; p_e = (6*4 + 2*2 + 2*4)/121 = 36/121
#   kappa = (77/121 - 36/121) / (85/121) = 41/85
OVERALL_KAPPA = 41 / 85


def _write_coder(folder: Path, records: dict[str, dict[str, list[str | None]]]) -> Path:
    shutil.copytree(ICAMO, folder)
    (folder / "records.yaml").unlink()
    cmocs = []
    for row, (record_id, slots) in enumerate(records.items(), start=1):
        cmoc: dict = {"id": record_id, "phase": "initial"}
        for slot, concepts in slots.items():
            cmoc[slot] = [{"label": LABELS[c], "concept": c, "polarity": "unspecified"} for c in concepts]
        where = {"source": "review-paper", "table": "Table 2", "row": str(row)}
        cmoc["evidence"] = [{**where, "judgement": "confirms", "evidence_type": "review-author-statement"}]
        cmoc["citation"] = where
        cmocs.append(cmoc)
    (folder / "excerpts.yaml").write_text(yaml.safe_dump({"cmocs": cmocs}, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture
def coders(tmp_path: Path) -> tuple[Path, Path]:
    return _write_coder(tmp_path / "coder-a", CODER_A), _write_coder(tmp_path / "coder-b", CODER_B)


def test_kappa_of_a_two_by_two_table() -> None:
    #            B yes  B no | A
    #   A yes     20      5  | 25
    #   A no      10     15  | 25
    #   B         30     20  | 50
    # p_o = 35/50 = 0.7; p_e = (25*30 + 25*20)/2500 = 0.5; kappa = (0.7 - 0.5)/0.5 = 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a")] * 3) is None  # chance agreement is 1


def test_agreement_on_the_worked_example(coders: tuple[Path, Path]) -> None:
    result = compare_folders(*coders)
    assert result.matched == 4 and result.only_a == ["W-5"] and result.only_b == ["W-6"]
    by_slot = {s.slot: s for s in result.slots}
    assert list(by_slot) == ["context", "mechanism", "outcome"]  # ICAMO order; empty slots give no unit
    assert (by_slot["context"].units, by_slot["context"].agreed) == (5, 3)
    assert by_slot["context"].percent == pytest.approx(60.0)
    assert by_slot["context"].kappa == pytest.approx(CONTEXT_KAPPA)
    assert (by_slot["outcome"].units, by_slot["outcome"].agreed) == (4, 2)
    assert by_slot["outcome"].kappa == pytest.approx(OUTCOME_KAPPA)
    assert by_slot["mechanism"].percent == pytest.approx(100.0) and by_slot["mechanism"].kappa is None
    assert (result.overall.units, result.overall.agreed) == (11, 7)
    assert result.overall.kappa == pytest.approx(OVERALL_KAPPA)
    found = [(d.record, d.slot, d.index, d.category(d.a), d.category(d.b)) for d in result.disagreements]
    assert found == [
        ("W-2", "context", 0, "trust", "information"),
        ("W-2", "outcome", 0, "information", "joint-working"),
        ("W-3", "outcome", 0, "trust", "joint-working"),
        ("W-4", "context", 1, "(uncoded)", "(absent)"),
    ]


def test_agreement_command_json_and_text(coders: tuple[Path, Path]) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["agreement", str(coders[0]), str(coders[1]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["kappa"] == pytest.approx(OVERALL_KAPPA)
    assert len(data["disagreements"]) == 4
    assert data["disagreements"][3]["a"] == {
        "label": "Something unclear",
        "concept": None,
        "polarity": "unspecified",
    }
    assert data["disagreements"][3]["b"] is None
    text = runner.invoke(main, ["agreement", str(coders[0]), str(coders[1])])
    assert text.exit_code == 0
    assert "W-4 context[1]: A 'Something unclear' -> (uncoded) | B (absent)" in text.output
    assert "0.500" in text.output and "0.273" in text.output  # context and outcome kappa, 3 places


def test_agreement_of_a_folder_with_itself_is_perfect(coders: tuple[Path, Path]) -> None:
    result = compare_folders(coders[0], coders[0])
    assert result.disagreements == [] and result.overall.agreed == result.overall.units == 13
    assert result.overall.kappa == pytest.approx(1.0)


def test_reconcile_writes_a_valid_consensus_with_both_coders_as_evidence(
    coders: tuple[Path, Path], tmp_path: Path
) -> None:
    choices = tmp_path / "choices.csv"
    choices.write_text(
        "record,slot,index,choice,notes\n"
        "W-2,context,0,b,B read the excerpt right\n"
        "W-3,outcome,0,joint-working,neither: the source says joint working\n",
        encoding="utf-8",
    )
    out = tmp_path / "consensus"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            *("reconcile", str(coders[0]), str(coders[1]), "-o", str(out), "--choices", str(choices)),
            *("--coder-a", "ann", "--coder-b", "bob", "--by", "rita"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4 disagreement(s) reconciled (2 from the choices file, 2 by --prefer a)" in result.output
    valid = runner.invoke(main, ["validate", str(out)])  # SHACL included
    assert valid.exit_code == 0, valid.output

    consensus = load_dataset(out)
    assert sorted(consensus.cmocs) == ["W-1", "W-2", "W-3", "W-4", "W-5", "W-6"]
    w2, w3, w4 = consensus.cmocs["W-2"], consensus.cmocs["W-3"], consensus.cmocs["W-4"]
    assert [p.concept for p in w2.context] == ["information"]  # chosen: b
    assert [p.concept for p in w2.outcome] == ["information"]  # not in the file: --prefer a
    assert [(p.label, p.concept) for p in w3.outcome] == [("Trust", "joint-working")]  # A's text, new code
    assert [p.concept for p in w4.context] == ["joint-working", None]  # A's uncoded part kept
    coders_items = [(e.coder, e.notes) for e in w2.evidence if e.coder]
    assert coders_items == [
        (
            "ann",
            "As extracted by coder ann: context[0]: Trust -> trust; mechanism[0]: Trust -> trust; "
            "outcome[0]: Information -> information",
        ),
        (
            "bob",
            "As extracted by coder bob: context[0]: Information -> information; "
            "mechanism[0]: Trust -> trust; outcome[0]: Joint working -> joint-working",
        ),
        ("rita", "Reconciled: context[0]: chose b (B read the excerpt right); outcome[0]: chose a"),
    ]
    assert w2.evidence[0].evidence_type == "review-author-statement"  # the coders' own evidence stays
    assert [e.coder for e in consensus.cmocs["W-1"].evidence if e.coder] == ["ann", "bob"]  # nothing decided
    assert (
        "Only coder ann" in consensus.cmocs["W-5"].notes and "Only coder bob" in consensus.cmocs["W-6"].notes
    )
    assert [(e.by, e.what) for e in w2.history] == [("rita", "reconcile")]
    # the consensus and coder A now differ exactly where B's reading or a new code was chosen
    after = compare_folders(coders[0], out)
    assert [(d.record, d.slot, d.index) for d in after.disagreements] == [
        ("W-2", "context", 0),
        ("W-3", "outcome", 0),
    ]


def test_reconcile_prefer_b_drops_a_position_b_left_empty(coders: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "consensus-b"
    result = CliRunner().invoke(
        main, ["reconcile", str(coders[0]), str(coders[1]), "-o", str(out), "--prefer", "b"]
    )
    assert result.exit_code == 0, result.output
    w4 = load_dataset(out).cmocs["W-4"]
    assert [p.concept for p in w4.context] == ["joint-working"]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("record,slot,index,choice\nW-1,context,0,b\n", "W-1 context[0] is not a disagreement"),
        ("record,slot,index,choice\nW-2,context,0,no-such-concept\n", "unknown concept 'no-such-concept'"),
        ("record,slot,index,choice\nW-2,colour,0,a\n", "choices.csv, line 2, column 'slot'"),
        ("record,slot,choice\n", "choices.csv, line 1: missing column 'index'"),
    ],
)
def test_reconcile_refuses_bad_choices_and_writes_nothing(
    coders: tuple[Path, Path], tmp_path: Path, choices: str, message: str
) -> None:
    path = tmp_path / "choices.csv"
    path.write_text(choices, encoding="utf-8")
    out = tmp_path / "consensus"
    result = CliRunner().invoke(
        main, ["reconcile", str(coders[0]), str(coders[1]), "-o", str(out), "--choices", str(path)]
    )
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".consensus")]


def test_reconcile_refuses_an_existing_output(coders: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["reconcile", str(coders[0]), str(coders[1]), "-o", str(coders[1])])
    assert result.exit_code == 2 and "exists" in result.output


def test_an_invalid_coder_folder_is_refused(coders: tuple[Path, Path]) -> None:
    (coders[1] / "excerpts.yaml").write_text("cmocs:\n  - id: W-1\n", encoding="utf-8")
    for command in (["agreement"], ["reconcile", "-o", str(coders[0].parent / "out")]):
        result = CliRunner().invoke(main, [command[0], str(coders[0]), str(coders[1]), *command[1:]])
        assert result.exit_code == 1, result.output
        assert "The data is not valid" in result.output and "excerpts.yaml" in result.output
        assert "Traceback" not in result.output
    assert not (coders[0].parent / "out").exists()
