"""Importing real tables: realist headers, workbooks, cell parts and tags, the R21 rows, the template."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SHARED_SOURCES, run_cli

from causal_web.model.loading import load_dataset, read_dataset
from causal_web.model.records import SLOT_NAMES
from causal_web.sheets.cells import id_and_title, if_then, split_parts, tagged_parts
from causal_web.sheets.importer import import_sheet

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def vocabulary():
    return list(load_dataset(DATA).concepts.values())


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _parts(cmoc, slot):
    return [(p.label, p.concept, p.polarity.value) for p in cmoc.slots(slot)]


def test_cell_readers():
    assert id_and_title("CMO1: Connection to help.") == ("CMO1", "Connection to help.")
    assert id_and_title("R21-001") == ("R21-001", "")
    assert split_parts("Reduced anxiety. Increased confidence.") == [
        "Reduced anxiety.",
        "Increased confidence.",
    ]
    # a long sentence is split on its sentence ends only when asked
    long = (
        "Staff who are trusted by managers speak up more often. Their teams then learn from errors quickly."
    )
    assert split_parts(long) == [long]
    assert len(split_parts(long, sentences=True)) == 2
    assert split_parts("• one\n• two; three (a; b)") == ["one", "two", "three (a; b)"]
    assert tagged_parts("C (staff feel safe) + M (they speak up) → O (errors fall)") == [
        ("context", "staff feel safe"), ("mechanism", "they speak up"), ("outcome", "errors fall"),
    ]  # fmt: skip
    assert tagged_parts("Where staff feel safe (C), they speak up (M), and errors fall (O)") == [
        ("context", "Where staff feel safe"), ("mechanism", "they speak up"), ("outcome", "errors fall"),
    ]  # fmt: skip
    assert if_then("If teams meet often, then trust grows because members know each other.") == {
        "if": "teams meet often", "then": "trust grows", "because": "members know each other",
    }  # fmt: skip


def test_realist_headers_ids_titles_polarities_and_notes(tmp_path: Path, vocabulary):
    sheet = _write(
        tmp_path,
        "team.csv",
        "CMO,Context (C),Mechanism (resource),Mechanism (response),Outcome(s),Studies,Reviewer comment\n"
        '"CMO1: Connection to help.",Shared vision,Legal agreements,Reduced conflict,'
        '"Reduced trust. Enhanced trust.","Smith et al. 2019; [12, 15]",check wording\n',
    )
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary, source="team-review")
    assert result.unmapped == {"team": ["Reviewer comment"]}
    cmoc = load_dataset(tmp_path / "out").cmocs["CMO1"]
    assert cmoc.title == "Connection to help."
    assert _parts(cmoc, "context") == [("Shared vision", "shared-vision", "unspecified")]
    assert [p.label for p in cmoc.mechanism_resource] == ["Legal agreements"]
    assert _parts(cmoc, "mechanism_response") == [("Reduced conflict", "conflict", "decrease")]
    # each part its own polarity; a trailing full stop keeps the label as published
    assert [(p.label, p.polarity.value) for p in cmoc.outcome] == [
        ("Reduced trust.", "decrease"), ("Enhanced trust.", "increase"),
    ]  # fmt: skip
    # free-text citations stay references as cited, on evidence items of the default source
    assert [(e.source, e.notes) for e in cmoc.evidence] == [
        ("team-review", "Reference as cited, not resolved: Smith et al. 2019"),
        ("team-review", "Reference as cited, not resolved: [12, 15]"),
    ]
    # the citation names the sheet and its row, not the file
    assert (cmoc.citation.table, cmoc.citation.row) == ("team", "2")
    assert cmoc.notes == "Reviewer comment: check wording"
    assert run_cli("validate", str(tmp_path / "out")).returncode == 0


def test_sources_table_resolves_citations(tmp_path: Path, vocabulary):
    sheet = _write(
        tmp_path,
        "t.csv",
        'ID,Context,Outcome,References\nA1,Shared vision,Enhanced trust,"Smith 2019; [2]"\n',
    )
    table = _write(
        tmp_path,
        "sources.csv",
        "id,citation,number,title\nsmith-2019,Smith 2019,1,Trust\njones-2020,,2,Conflict\n",
    )
    import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary, sources=table)
    dataset = load_dataset(tmp_path / "out")
    assert [e.source for e in dataset.cmocs["A1"].evidence] == ["smith-2019", "jones-2020"]
    assert dataset.sources["smith-2019"].title == "Trust"


def test_tagged_statement_and_if_then_rows(tmp_path: Path, vocabulary):
    sheet = _write(
        tmp_path,
        "s.csv",
        "No.,Statement\n"
        "1,Where there is a shared vision (C) reduced conflict (M) leads to enhanced trust (O)\n"
        '2,"If there is a shared vision, then trust is enhanced because conflict is reduced."\n',
    )
    import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    cmocs = load_dataset(tmp_path / "out").cmocs
    one, two = cmocs["s-1"], cmocs["s-2"]
    assert [p.label for p in one.context] == ["Where there is a shared vision"]
    assert _parts(one, "mechanism") == [("reduced conflict", "conflict", "decrease")]
    assert two.statement == "If there is a shared vision, then trust is enhanced because conflict is reduced."
    assert [p.label for p in two.context + two.mechanism + two.outcome] == [
        "there is a shared vision", "conflict is reduced", "trust is enhanced",
    ]  # fmt: skip
    # sentences are never concept IDs
    assert all(p.concept is None for p in two.context + two.mechanism + two.outcome)


def test_empty_slot_marks_incomplete(tmp_path: Path, vocabulary):
    sheet = _write(tmp_path, "e.csv", "id,context,mechanism,outcome\nE1,Shared vision,,Enhanced trust\n")
    result = import_sheet(sheet, tmp_path / "out", vocabulary=vocabulary)
    assert load_dataset(tmp_path / "out").cmocs["E1"].incomplete
    assert [(w.record, w.field) for w in result.warnings if "empty" in w.message] == [("E1", "mechanism")]


def test_flags_and_ioc_type_columns_and_the_flag_option(tmp_path: Path):
    sheet = _write(
        tmp_path,
        "f.csv",
        "id,context,mechanism,outcome,IOC type(s),Record flags\n"
        'F1,Shared vision,Reduced conflict,Enhanced trust,"Mandated; integrative (IOC type)",'
        '"Split inferred, ioc_types_inferred"\n'
        "F2,Shared vision,Reduced conflict,Enhanced trust,Voluntary network,incomplete\n"
        "F3,Shared vision,Reduced conflict,Enhanced trust,,\n"
        "F4,Shared vision,Reduced conflict,,,\n",
    )
    out = tmp_path / "out"
    result = run_cli("import", str(sheet), "-o", str(out), "--flag", "configuration_inferred")
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", str(out)).returncode == 0
    dataset = load_dataset(out)
    flags = ("incomplete", "split_inferred", "configuration_inferred", "ioc_types_inferred")
    got = {cid: (c.ioc_types, [f for f in flags if getattr(c, f)]) for cid, c in dataset.cmocs.items()}
    assert got == {
        # "Mandated" and "integrative (IOC type)" are the bundled vocabulary's IOC types, by label
        "F1": (
            ["mandated", "integrative"],
            ["split_inferred", "configuration_inferred", "ioc_types_inferred"],
        ),
        # one the vocabulary lacks is the team's own, made from its text
        "F2": (["voluntary-network"], ["incomplete", "configuration_inferred"]),
        "F3": ([], ["configuration_inferred"]),
        # with a flags column, an empty outcome cell alone does not make the record incomplete
        "F4": ([], ["configuration_inferred"]),
    }
    assert {i: t.pref_label for i, t in dataset.ioc_types.items()} == {
        "integrative": "Integrative (IOC type)", "mandated": "Mandated (IOC type)",
        "voluntary-network": "Voluntary network",
    }  # fmt: skip


def test_a_concept_cell_none_is_uncoded_unless_a_concept_has_that_id():
    from causal_web.model.records import Concept
    from causal_web.sheets.coder import Coder, slot_parts

    def concepts(vocabulary: list, cell: str) -> list:
        problems: list = []
        coder = Coder(vocabulary, False)
        parts, _uncoded, _joined = slot_parts(["A", "B", "C"], {"context_concept": cell}, "context", coder,
                                              lambda *problem: problems.append(problem))  # fmt: skip
        assert problems == []
        return [p["concept"] for p in parts]

    assert concepts([], "none; null; trust") == [None, None, "trust"]
    # a vocabulary with a concept called "none" (or "null"): the cell names that concept
    assert concepts([Concept("none", "None")], "None; null; trust") == ["none", None, "trust"]
    assert concepts([Concept("null", "Null")], "none; NULL; trust") == [None, "null", "trust"]


def test_workbook_with_cover_title_merged_cells_formula_and_headings(tmp_path: Path, vocabulary):
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Extraction for the review of partnership working"])
    cover.append(["Prepared by the review team"])
    table = book.create_sheet("CMOCs")
    table.append(["Table 2. Configurations found in the included studies"])  # a title row
    table.append(["ID", "Theme", "Context", "Mechanism", "Outcome", "Rows"])
    table.append(["PARTNERSHIP FUNCTIONING"])  # a group heading
    table.append(["W1", "Trust", "Shared vision", "Reduced conflict", "Enhanced trust", "=1+1"])
    table.append(["W2", None, "Legal agreements", "Greater initial trust", "Greater risk threshold", None])
    table.merge_cells("B4:B5")  # the theme spans both rows
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = import_sheet(path, tmp_path / "out", vocabulary=vocabulary)
    assert result.sheets == ["CMOCs"]  # the cover is not a CMOC table
    # the formula was never computed, so it has no cached value: a warning names its cell
    [formula] = [w for w in result.warnings if w.rule == "import.formula"]
    assert "'CMOCs', row 4, column F" in formula.message
    cmocs = load_dataset(tmp_path / "out").cmocs
    assert cmocs["W1"].citation.section == "PARTNERSHIP FUNCTIONING / Trust"
    assert cmocs["W2"].citation.section == "PARTNERSHIP FUNCTIONING / Trust"  # merged cell filled
    assert (cmocs["W2"].citation.table, cmocs["W2"].citation.row) == ("CMOCs", "5")
    assert _parts(cmocs["W2"], "outcome") == [("Greater risk threshold", "risk-threshold", "increase")]
    # --sheet picks by number too
    assert import_sheet(path, tmp_path / "two", vocabulary=vocabulary, sheet="2").cmocs == 2


def test_formula_with_cached_value_is_read(tmp_path: Path, vocabulary):
    path = tmp_path / "cached.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "context", "outcome"])
    book.active.append(["F1", "Shared vision", "Enhanced trust"])
    book.save(path)
    # write the cached value of a formula cell as a spreadsheet program would
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(
        '<c r="B2" t="inlineStr"><is><t>Shared vision</t></is></c>',
        '<c r="B2" t="str"><f>"Shared "&amp;"vision"</f><v>Shared vision</v></c>',
    )
    assert "<f>" in sheet
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = import_sheet(path, tmp_path / "out", vocabulary=vocabulary)
    assert not [w for w in result.warnings if w.rule == "import.formula"]
    assert load_dataset(tmp_path / "out").cmocs["F1"].context[0].concept == "shared-vision"


# The curator's coding decisions for the R21 labels that are not labels of the vocabulary, read by
# hand from data/cmocs/review-2021.yaml:
# - R21-001 and R21-002 keep their context cell whole in two parts, coded partnership-functioning
#   and trust, joined by an 'and' relation; the polarity ("High", "Low") is read from the label.
# - R21-003, R21-004 and R21-005 code the outcome "Greater performance" to collaborative-performance,
#   flagged inferred (the label names no owner; the notes read it as the partnership's).
# - R21-007 codes "Unambitious aims" to ambition with polarity decrease, flagged inferred (no
#   qualifier word gives the polarity: the curator read it from the sense).
# - R21-018 codes "Task failure" to task-achievement with polarity decrease, flagged inferred.
R21_CODING = """label,concept,polarity,inferred,notes
High partnership functioning and trust level,partnership-functioning|trust,,,R21-001 context
Low partnership functioning and trust level,partnership-functioning|trust,,,R21-002 context
Greater performance,collaborative-performance,,true,"R21-003, 004, 005 outcome"
Unambitious aims,ambition,decrease,true,R21-007 context
Task failure,task-achievement,decrease,true,R21-018 context
"""


def _coding(cmoc, slot):
    return [(p.label, p.concept, p.polarity.value, p.inferred) for p in cmoc.slots(slot)]


def _relations(cmoc):
    return [(r.relation, r.source, r.target, r.parts, r.valence, r.inferred) for r in cmoc.relations]


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the curated sources are not beside this checkout")
def test_the_r21_rows_reproduce_the_bundled_cmocs(tmp_path: Path):
    vocabulary = tmp_path / "vocabulary"
    shutil.copytree(DATA, vocabulary)
    (vocabulary / "coding.csv").write_text(R21_CODING, encoding="utf-8")
    out = tmp_path / "r21"
    result = run_cli(
        "import", str(SHARED_SOURCES / "review2021_cmocs.csv"), "-o", str(out),
        "--vocabulary", str(vocabulary),
        "--source", "aunger-2021-review", "--map", "source_table=table",
        # the sheet's notes column says the split into columns is the curator's, for every row
        "--flag", "split_inferred",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", str(out)).returncode == 0
    imported, bundled = load_dataset(out).cmocs, load_dataset(DATA).cmocs
    with open(SHARED_SOURCES / "review2021_cmocs.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(imported) == [row["id"] for row in rows] and len(rows) == 22
    for number, row in enumerate(rows, start=2):
        mine, theirs = imported[row["id"]], bundled[row["id"]]
        for slot in SLOT_NAMES:
            assert _coding(mine, slot) == _coding(theirs, slot), (row["id"], slot)
        # the 'and' relation of R21-001/002 (its notes are the curator's prose, not compared)
        assert _relations(mine) == _relations(theirs), row["id"]
        assert mine.incomplete == theirs.incomplete == (row["id"] == "R21-022")
        # every bundled R21 record is split_inferred (the notes column says so), none
        # configuration_inferred
        assert (mine.split_inferred, mine.configuration_inferred) == (True, False)
        assert (theirs.split_inferred, theirs.configuration_inferred) == (True, False)
        if row["id"] != "R21-005":  # no IOC types, so not flagged inferred either
            assert (mine.ioc_types, mine.ioc_types_inferred) == (theirs.ioc_types, theirs.ioc_types_inferred)
            assert mine.ioc_types == [] and not mine.ioc_types_inferred
        assert (mine.citation.source, mine.citation.table, mine.citation.section) == (
            theirs.citation.source, theirs.citation.table, theirs.citation.section,
        )  # fmt: skip
        # the import cites the sheet's row (the header is row 1); the curator cited the published
        # table's row, which is one less, as the bundled records show
        assert (mine.citation.row, theirs.citation.row) == (str(number), str(number - 1))
        assert (mine.evidence[0].source, mine.evidence[0].table) == ("aunger-2021-review", "Table 3")
    # the hand-derived expectations themselves, so that a change to data/cmocs shows up here
    assert [(p.concept, p.polarity.value) for p in imported["R21-001"].context] == [
        ("partnership-functioning", "increase"), ("trust", "increase"),
    ]  # fmt: skip
    assert [(p.concept, p.polarity.value) for p in imported["R21-002"].context] == [
        ("partnership-functioning", "decrease"), ("trust", "decrease"),
    ]  # fmt: skip
    assert _parts(imported["R21-007"], "context") == [("Unambitious aims", "ambition", "decrease")]
    assert _parts(imported["R21-018"], "context") == [("Task failure", "task-achievement", "decrease")]
    flagged = sorted((cid, s, i) for cid, c in imported.items() for s, i, p in c.parts() if p.inferred)
    assert flagged == [
        ("R21-003", "outcome", 0), ("R21-004", "outcome", 0), ("R21-005", "outcome", 0),
        ("R21-007", "context", 0), ("R21-018", "context", 0),
    ]  # fmt: skip
    # R21-005: the sheet has no IOC type column. The bundled record's IOC types (mandated,
    # integrative), flagged ioc_types_inferred, are the curator's reading of the parenthetical
    # "(in mandated or integrative collaboration)", so the sheet as published gives none ...
    assert (imported["R21-005"].ioc_types, imported["R21-005"].ioc_types_inferred) == ([], False)
    assert (bundled["R21-005"].ioc_types, bundled["R21-005"].ioc_types_inferred) == (
        ["mandated", "integrative"], True,
    )  # fmt: skip
    # ... and a copy of the sheet with the curator's addition, IOC type(s) and Flags columns filled
    # for R21-005 alone (labels of the vocabulary's IOC types), gives the bundled record's
    copy = tmp_path / "review2021_cmocs.csv"
    with open(copy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*rows[0], "IOC type(s)", "Flags"])
        writer.writeheader()
        for row in rows:
            added = ("Mandated; Integrative", "ioc_types_inferred") if row["id"] == "R21-005" else ("", "")
            writer.writerow({**row, "IOC type(s)": added[0], "Flags": added[1]})
    again = tmp_path / "r21-with-ioc-types"
    result = run_cli(
        "import", str(copy), "-o", str(again), "--vocabulary", str(vocabulary),
        "--source", "aunger-2021-review", "--map", "source_table=table", "--flag", "split_inferred",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", str(again)).returncode == 0
    with_iocs = load_dataset(again)
    for cid, theirs in bundled.items():
        if cid.startswith("R21-"):
            mine = with_iocs.cmocs[cid]
            assert (mine.ioc_types, mine.ioc_types_inferred, mine.split_inferred, mine.incomplete) == (
                theirs.ioc_types, theirs.ioc_types_inferred, theirs.split_inferred, theirs.incomplete,
            ), cid  # fmt: skip
    # coded against the vocabulary's IOC types: their labels, not ones made from the cell
    assert {i: t.pref_label for i, t in with_iocs.ioc_types.items()} == {
        "mandated": "Mandated (IOC type)", "integrative": "Integrative (IOC type)",
    }  # fmt: skip


def test_template_and_sheet_export_round_trip(tmp_path: Path, vocabulary):
    for name in ("t.xlsx", "t.csv"):
        assert run_cli("template", "-o", str(tmp_path / name)).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["CMOCs", "Columns"]
    assert book["CMOCs"].max_row == 2  # the header and one example row
    explained = {row[0] for row in book["Columns"].iter_rows(min_row=2, values_only=True)}
    assert {"id", "context", "mechanism resource", "outcome concept", "sources"} <= explained
    assert {"ioc types", "flags"} <= explained
    assert {"ioc types", "flags"} <= {c.value for c in book["CMOCs"][1]}
    out = tmp_path / "from-template"
    assert run_cli("import", str(tmp_path / "t.csv"), "-o", str(out)).returncode == 0
    example = load_dataset(out).cmocs["CMO1"]
    assert _parts(example, "mechanism") == [("Reduced conflict", "conflict", "decrease")]
    # the bundled data out as a sheet and back: the same parts, concepts and polarities
    for fmt, name in (("xlsx", "bundled.xlsx"), ("sheet", "bundled.csv")):
        sheet = tmp_path / name
        assert run_cli("export", "--format", fmt, "-o", str(sheet)).returncode == 0
        back = tmp_path / f"back-{fmt}"
        result = run_cli("import", str(sheet), "-o", str(back), "--source", "imported-source")
        assert result.returncode == 0, result.stderr
        again, original = read_dataset(back)[0].cmocs, load_dataset(DATA).cmocs
        assert sorted(again) == sorted(original)
        for cid, cmoc in original.items():
            for slot in SLOT_NAMES:
                assert _parts(again[cid], slot) == _parts(cmoc, slot), (cid, slot)
            assert (again[cid].title, again[cid].statement, again[cid].phase) == (
                cmoc.title, cmoc.statement, cmoc.phase,
            )  # fmt: skip
            # IOC types and record flags come back too (R21-005's, S22-001's, the split_inferred R21s ...)
            assert (again[cid].ioc_types, again[cid].ioc_types_inferred, again[cid].split_inferred) == (
                cmoc.ioc_types, cmoc.ioc_types_inferred, cmoc.split_inferred,
            ), cid  # fmt: skip
            assert (again[cid].configuration_inferred, again[cid].incomplete) == (
                cmoc.configuration_inferred, cmoc.incomplete,
            ), cid  # fmt: skip


STYLES = Path(__file__).parent / "data" / "sheet-styles"
_MARKUP = re.compile(
    r"\s*(?:\((?:C|M|O|I|A|resource|response|M-resource|M-response)\)|→|\+|;|\n|\b[CMOIA] \(|\)\s*$|"
    r"^\s*If\b|,?\s*\bthen\b|\bbecause\b)\s*"
)


def _record_text(folder: Path) -> dict[str, str]:
    from causal_web.model.serialise import cmoc_to_dict

    def strings(value) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [str(value)] if value is not None else []

    return {cid: "\n".join(strings(cmoc_to_dict(c))) for cid, c in load_dataset(folder).cmocs.items()}


@pytest.mark.parametrize(
    ("name", "flags", "cmocs"),
    [
        ("sentences.csv", [], 3), ("resource-response.csv", [], 3), ("resource-arrow.csv", [], 3),
        ("tagged.csv", [], 3), ("icamo.csv", [], 3), ("short-labels.csv", [], 3), ("studies.csv", [], 3),
        ("if-then.csv", [], 3), ("blank-header.csv", ["--map", "2=context"], 2),
    ],
)  # fmt: skip
def test_each_table_style_imports_with_its_text_verbatim(tmp_path: Path, name: str, flags: list, cmocs: int):
    out = tmp_path / "out"
    result = run_cli("import", str(STYLES / name), "-o", str(out), *flags)
    assert result.returncode == 0, result.stderr
    assert f"{cmocs} CMOCs" in result.stdout
    assert run_cli("validate", str(out)).returncode == 0
    dataset = load_dataset(out)
    assert all(len(c) <= 60 for c in dataset.concepts)
    everything = "\n".join(_record_text(out).values())
    with open(STYLES / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    for row in rows:
        for cell in row:
            for piece in _MARKUP.split(cell):
                piece = piece.strip(" ,.")
                if piece:
                    assert piece in everything, (name, cell, piece)
    # at least one slot part per record, and the slots the style names
    for cmoc in dataset.cmocs.values():
        assert any(cmoc.slots(s) for s in SLOT_NAMES)
    if name == "resource-arrow.csv":
        assert [p.label for p in dataset.cmocs["RA1"].mechanism_resource] == ["Joint training"]
        assert [p.label for p in dataset.cmocs["RA1"].mechanism_response] == ["confidence in partners"]
    if name == "icamo.csv":
        assert dataset.cmocs["D1"].citation.section == "DELIVERY"
        assert [p.label for p in dataset.cmocs["G1"].actor] == ["Senior managers"]
    if name == "studies.csv":
        notes = [e.notes for e in dataset.cmocs["studies-1"].evidence]
        assert notes == [
            "Reference as cited, not resolved: Smith et al. 2019",
            "Reference as cited, not resolved: Jones and Patel 2020",
        ]
        assert sorted(dataset.sources) == ["imported-source"]  # no source minted from a citation


def test_no_shacl_skips_only_the_shapes(tmp_path: Path, monkeypatch):
    import causal_web.rdf.shacl as shacl_module

    calls: list[int] = []
    real = shacl_module.check_shacl
    monkeypatch.setattr(shacl_module, "check_shacl", lambda *a, **k: calls.append(1) or real(*a, **k))
    sheet = STYLES / "sentences.csv"
    import_sheet(sheet, tmp_path / "with", shacl=True)
    import_sheet(sheet, tmp_path / "without", shacl=False)
    assert calls == [1]  # the shapes ran for the first import only
    # the CLI option, and the folder it writes still passes validate with SHACL
    out = tmp_path / "cli"
    result = run_cli("import", str(sheet), "-o", str(out), "--no-shacl")
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", str(out)).returncode == 0
    # every other check still runs: a sheet with a duplicated ID is refused all the same
    dup = _write(tmp_path, "dup.csv", "ID,Context,Mechanism,Outcome\nD1,a,b,c\nD1,d,e,f\n")
    refused = run_cli("import", str(dup), "-o", str(tmp_path / "dup"), "--no-shacl")
    assert refused.returncode != 0 and "D1" in refused.stderr
    assert not (tmp_path / "dup").exists()
