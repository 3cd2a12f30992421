"""Importing a review team's extraction spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import DATA, FIXTURES, run_cli

from causal_web.model.loading import load_dataset, read_dataset
from causal_web.sheets.importer import import_sheet

SHEET = FIXTURES / "sheets" / "review-extract.csv"


@pytest.fixture(scope="module")
def vocabulary():
    return list(load_dataset(DATA).concepts.values())


def _sheet(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extract.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_gives_a_valid_folder_that_traces(tmp_path: Path):
    out = tmp_path / "mine"
    result = run_cli("import", str(SHEET), "-o", str(out), "--phase", "review")
    assert result.returncode == 0, result.stderr
    assert "18 CMOCs" in result.stdout
    assert run_cli("validate", str(out)).returncode == 0
    cmocs = json.loads(
        run_cli("cmocs", "--data", str(out), "--mechanism", "perception-of-progress", "--json").stdout
    )
    assert [c["id"] for c in cmocs["items"]] == [f"R21-{n:03d}" for n in range(6, 13)]
    dataset = load_dataset(out)
    r1 = dataset.cmocs["R21-001"]
    # one compound label naming two concepts: kept whole in two parts joined by 'and'
    assert [(p.label, p.concept) for p in r1.context] == [
        ("High partnership functioning and trust level", "partnership-functioning"),
        ("High partnership functioning and trust level", "trust"),
    ]
    assert [(r.relation, [str(p) for p in r.parts]) for r in r1.relations] == [
        ("and", ["context[0]", "context[1]"])
    ]
    section = "PARTNERSHIP PERFORMANCE / Synergy and collaborative inertia"
    assert (r1.citation.source, r1.citation.table, r1.citation.row, r1.citation.section) == (
        "aunger-2021-review", "Table 3", "1", section,
    )  # fmt: skip
    [item] = r1.evidence
    assert (item.source, item.table, item.row, item.section) == (
        "aunger-2021-review",
        "Table 3",
        "1",
        section,
    )
    assert (item.judgement, item.evidence_type) == ("confirms", "review-author-statement")
    assert r1.sources == ["aunger-2021-review"]
    assert dataset.phases["review"].type == "initial"
    chains = json.loads(
        run_cli(
            "chains", "--data", str(out), "--from", "shared-vision", "--to", "task-achievement", "--json"
        ).stdout
    )
    assert chains["chains"][0]["concepts"] == ["shared-vision", "trust", "task-achievement"]


def test_labels_outside_the_vocabulary_stay_uncoded(tmp_path: Path, vocabulary):
    sheet = _sheet(
        tmp_path,
        "id,context,mechanism,outcome\n"
        "U-1,Shared vision,Reduced trust,Greater performance\n"  # 'Performance' is no label of the vocabulary
        "U-2,Unambitious aims,Greater initial trust,Greater risk threshold\n",
    )
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    assert result.new_concepts == []
    dataset, report = read_dataset(tmp_path / "out")
    assert report.errors == []
    u1, u2 = dataset.cmocs["U-1"], dataset.cmocs["U-2"]
    # 'Reduced trust' is an alternative label of trust; the qualifier gives the polarity
    assert [(p.concept, p.polarity.value) for p in u1.mechanism] == [("trust", "decrease")]
    assert [(p.label, p.concept, p.polarity.value) for p in u1.outcome] == [
        ("Greater performance", None, "increase")
    ]
    assert [p.concept for p in u2.context] == [None]
    assert [p.concept for p in u2.mechanism + u2.outcome] == ["initial-trust", "risk-threshold"]
    # only the concepts used, with the broader ones they need; no concept minted from a label
    assert sorted(dataset.concepts) == ["initial-trust", "risk-threshold", "shared-vision", "trust"]
    # risk-threshold is related to risk-tolerance in the vocabulary, which this folder leaves out
    assert dataset.concepts["risk-threshold"].related == []
    warned = {(w.record, w.field) for w in result.warnings if w.rule == "import.uncoded"}
    assert warned == {("U-1", "outcome"), ("U-2", "context")}
    performance = next(w for w in result.warnings if w.record == "U-1")
    assert "'Greater performance'" in performance.message and "concept: null" in performance.message
    assert "extract.csv [U-1] outcome" in str(performance)
    # the uncoded parts are valid and draw no edge: the only problems are the uncoded warnings
    assert {p.rule for p in report.problems} == {"coding.uncoded"}
    assert run_cli("validate", str(tmp_path / "out")).returncode == 0


@pytest.mark.parametrize("marker", ["[TRUNCATED]", "[...]", "…"])
def test_a_cut_off_cell_makes_the_record_incomplete_and_is_never_coded(tmp_path: Path, vocabulary, marker):
    sheet = _sheet(
        tmp_path,
        "id,context,mechanism,outcome,outcome_concept\n"
        "T-1,Legal agreements,Greater initial trust,"
        f"Greater risk threshold; greater ambi{marker},risk-threshold; ambition\n"
        "T-2,Shared vision,Reduced conflict,Enhanced trust,\n",
    )
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    dataset, report = read_dataset(tmp_path / "out")
    assert report.errors == []
    t1, t2 = dataset.cmocs["T-1"], dataset.cmocs["T-2"]
    assert t1.incomplete and not t2.incomplete
    # the fragment keeps its text, but no concept and no polarity, even though the sheet names one
    assert [(p.label, p.concept, p.polarity.value) for p in t1.outcome] == [
        ("Greater risk threshold", "risk-threshold", "increase"),
        (f"greater ambi{marker}", None, "unspecified"),
    ]
    assert "ambition" not in dataset.concepts
    assert not any("ambi-" in c or c.endswith("truncated") for c in dataset.concepts)
    [cut] = [w for w in result.warnings if w.rule == "import.cell"]
    assert (cut.severity, cut.record, cut.field) == ("warning", "T-1", "outcome")
    assert "incomplete" in cut.message
    written = yaml.safe_load((tmp_path / "out" / "cmocs.yaml").read_text(encoding="utf-8"))["cmocs"][0]
    assert written["incomplete"] is True and written["outcome"][1]["concept"] is None


def test_a_cut_off_cell_outside_the_slots_still_marks_the_record(tmp_path: Path, vocabulary):
    sheet = _sheet(
        tmp_path, "id,context,outcome,notes\nN-1,Shared vision,Enhanced trust,The authors add that [...]\n"
    )
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    cmoc = load_dataset(tmp_path / "out").cmocs["N-1"]
    assert cmoc.incomplete
    assert [p.concept for p in cmoc.context + cmoc.outcome] == ["shared-vision", "trust"]
    assert [(w.record, w.field) for w in result.warnings] == [("N-1", "notes")]


def test_every_source_of_a_row_is_an_evidence_item(tmp_path: Path, vocabulary):
    sheet = _sheet(
        tmp_path,
        "id,context,outcome,sources,table,row\n"
        "S-1,Shared vision,Enhanced trust,paper-a; paper-b; paper-a,Table 4,7\n",
    )
    import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    dataset = load_dataset(tmp_path / "out")
    cmoc = dataset.cmocs["S-1"]
    assert [(e.source, e.table, e.row) for e in cmoc.evidence] == [
        ("paper-a", "Table 4", "7"),
        ("paper-b", "", ""),
    ]
    assert sorted(dataset.sources) == ["paper-a", "paper-b"]
    assert (cmoc.citation.source, cmoc.citation.table, cmoc.citation.row) == ("paper-a", "Table 4", "7")


def test_the_other_slots_and_a_null_override(tmp_path: Path, vocabulary):
    sheet = _sheet(
        tmp_path,
        "id,intervention,actor,context,mechanism_resource,mechanism_response,outcome,context_concept\n"
        "I-1,Legal agreements,Frontline staff,Shared vision,Greater initial trust,Reduced conflict,"
        "Enhanced trust,null\n",
    )
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    assert not [w for w in result.warnings if w.rule == "import.column"]  # every column is used
    cmoc = load_dataset(tmp_path / "out").cmocs["I-1"]
    coded = {name: [p.concept for p in cmoc.slots(name)] for name in ("intervention", "actor", "context")}
    assert coded == {"intervention": ["legal-agreements"], "actor": [None], "context": [None]}
    assert [p.concept for p in cmoc.mechanism_resource + cmoc.mechanism_response] == [
        "initial-trust",
        "conflict",
    ]
    assert cmoc.mechanism == []


def test_without_a_vocabulary_concepts_come_from_the_labels(tmp_path: Path):
    out = tmp_path / "out"
    sheet = _sheet(tmp_path, "id,context,outcome\nM-1,Zorblax readiness,Greater flurm\n")
    result = run_cli("import", str(sheet), "-o", str(out), "--no-vocabulary")
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout
    dataset = load_dataset(out)
    assert [(p.concept, p.polarity.value) for p in dataset.cmocs["M-1"].outcome] == [("flurm", "increase")]
    assert {c.id: c.pref_label for c in dataset.concepts.values()} == {
        "flurm": "Flurm",
        "zorblax-readiness": "Zorblax readiness",
    }


def test_xlsx_import(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "context", "mechanism", "outcome", "status"])
    sheet.append(["X-1", "Shared vision", "Reduced conflict", "Enhanced trust", "new"])
    sheet.append([None, None, None, None, None])
    sheet.append(["X-2", "Legal agreements", "Greater initial trust", "Greater risk threshold", "refined"])
    path = tmp_path / "extract.xlsx"
    book.save(path)
    out = tmp_path / "from-xlsx"
    result = run_cli("import", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli("cmocs", "--data", str(out), "--mechanism", "trust", "--json").stdout)
    assert [c["id"] for c in data["items"]] == ["X-2"]  # initial trust is narrower than trust
    x2 = load_dataset(out).cmocs["X-2"]
    assert x2.mechanism[0].concept == "initial-trust"  # matched in the bundled vocabulary
    assert x2.status == "refined"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,context,mechanism,outcome\n,Shared vision,Conflict,Trust\n", "[row 2] id"),
        ("id,context,mechanism,outcome\nA,x,y,z\nA,x,y,z\n", "[A] id: duplicate ID, also on row 2"),
        ("id,context,mechanism,outcome,status\nA,x,y,z,maybe\n", "[A] status"),
        ("id,context,mechanism,outcome,outcome_polarity\nA,x,y,z ; w,up\n", "[A] outcome_polarity"),
        ("id,context,mechanism,outcome\nA,,,\n", "[A] context/mechanism/outcome"),
        ("id,context,outcome,context_concept\nA,Trust,Trust,!!\n", "[A] context_concept"),
        ("id,context\n", "no data rows"),
    ],
)
def test_bad_sheets_name_row_and_column_and_write_nothing(tmp_path: Path, content: str, expected: str):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("import", str(sheet), "-o", str(out))
    assert result.returncode == 1, result.stdout
    assert "bad.csv" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_non_utf8_sheet_and_existing_output(tmp_path: Path):
    sheet = tmp_path / "latin.csv"
    sheet.write_bytes("id,context\nA,Confian\xe7a\n".encode("latin-1"))
    result = run_cli("import", str(sheet), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "UTF-8" in result.stderr
    existing = tmp_path / "existing"
    existing.mkdir()
    result = run_cli("import", str(SHEET), "-o", str(existing))
    assert result.returncode == 2 and "--force" in result.stderr
