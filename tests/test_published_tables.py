"""Published CMOC tables, transcribed as printed, import with no hand edit.

Each table in ``tests/data/published/`` is a verbatim transcription of a table of an open-access
realist review or evaluation; its citation is in that folder's README and in ``TABLES`` below.
Every test runs the real command line. The expected counts and parts are read off the printed
tables by hand.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import run_cli

from causal_web.model.loading import load_dataset
from causal_web.model.records import SLOT_NAMES
from causal_web.model.serialise import cmoc_to_dict
from causal_web.sheets.cells import id_and_title, if_then, split_parts
from causal_web.sheets.tables import read_tables

PUBLISHED = Path(__file__).parent / "data" / "published"

# (file, flags the style needs, CMOCs counted on the printed table, citation, style)
TABLES = [
    (
        "kirsh-2017-table3.csv", [], 8,
        "Kirsh SR, Aron DC, Johnson KD, et al. (2017) A realist review of shared medical "
        "appointments. BMC Health Serv Res 17:113, Table 3. doi:10.1186/s12913-017-2064-z",
        "resource → response inside one cell; short labels; a header spanning three columns",
    ),
    (
        "bosongo-2024-table3.csv", [], 5,
        "Bosongo S, Belrhiti Z, Chenge F, Criel B, Coppieters Y, Marchal B (2024) The role of "
        "provincial health administration in supporting district health management teams in the "
        "Democratic Republic of Congo. Health Res Policy Syst, Table 3. doi:10.1186/s12961-024-01115-9",
        "ICAMO columns with group-heading rows",
    ),
    (
        "rayment-jones-2020-table4.csv", [], 7,
        "Rayment-Jones H, Silverio SA, Harris J, Harden A, Sandall J (2020) Project 20: Midwives’ "
        "insight into continuity of care models for women with social risk factors. Midwifery "
        "84:102654, Table 4. doi:10.1016/j.midw.2020.102654",
        "if–then statements",
    ),
    (
        "flynn-2021-table3.csv", ["--map", "1=statement"], 2,
        "Flynn R, Mrklas K, Campbell A, Wasylak T, Scott SD (2021) Contextual factors and "
        "mechanisms that influence sustainability: a realist evaluation of two scaled, "
        "multi-component interventions. BMC Health Serv Res, Table 3. doi:10.1186/s12913-021-07214-5",
        "one tagged sentence per row, under a 'CMOc N: title' heading; no header row",
    ),
    (
        "bryne-2022-table3.csv", [], 2,
        "Bryne E, Hean SCPD, Evensen KB, Bull VH (2022) Exploring the contexts, mechanisms and "
        "outcomes of a torture, abuse and dental anxiety service in Norway: a realist evaluation. "
        "BMC Health Serv Res 22:533, Table 3. doi:10.1186/s12913-022-07913-7",
        "sentence-length Context / Mechanism / Outcome columns",
    ),
    (
        "krishnaratne-2021-table2.csv", [], 2,
        "Krishnaratne S, Hamon JK, Hoyt J, et al. (2021) What mechanisms drive uptake of family "
        "planning when integrated with childhood immunisation in Ethiopia? A realist evaluation. "
        "BMC Public Health, Table 2. doi:10.1186/s12889-020-10114-8",
        "tagged (C) (I) (A) (M) (O) cells, with the interviewee's quote on the row below",
    ),
    (
        "pearson-2015-table4.csv", [], 3,
        "Pearson M, Chilton R, Wyatt K, Abraham C, Ford T, Woods HB, Anderson R (2015) Implementing "
        "health promotion programmes in schools: a realist systematic review of research and "
        "experience in the United Kingdom. Implement Sci 10:149, Table 4. doi:10.1186/s13012-015-0338-6",
        "supporting studies listed per CMOC; if–then sentences inside a statement; nested headings",
    ),
]  # fmt: skip

# Markup the importer reads and so does not keep inside a part: slot tags, arrows, "+", the
# clause words of an if-then statement, a leading list number, and the connective that opens a
# tagged piece ("(resource) → leads to ...", "(M) and therefore ...").
_MARKUP = re.compile(
    r"\s*(?:\((?:C|M|O|I|A|resource|response)\)|→|\+|;|\n|\b[CMOIA] \(|\)\s*$|"
    r"^\s*If\b|,?\s*\bthen\b|\bbecause\b|^\s*\d{1,2}\.\s)\s*"
)
_CONNECTIVE = re.compile(r"^(?:and|so|then|which|leading to|leads to|resulting in|because)\s+", re.I)


def _record_text(folder: Path) -> str:
    """Every string of every record, as written to the folder."""

    def strings(value) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [str(value)] if value is not None else []

    return "\n".join(s for c in load_dataset(folder).cmocs.values() for s in strings(cmoc_to_dict(c)))


def _pieces(cell: str) -> list[str]:
    """The pieces of a printed cell that must each be found verbatim in the records."""
    _ident, title = id_and_title(cell)
    if title:  # "CMOc 1: The influence of ..." gives the ID and the title
        cell = title
    pieces = [p.strip(" ,.") for p in _MARKUP.split(cell) if p and p.strip(" ,.")]
    return [_CONNECTIVE.sub("", p) for p in pieces]


def _import(tmp_path: Path, name: str, flags: list[str]) -> Path:
    out = tmp_path / "out"
    result = run_cli("import", str(PUBLISHED / name), "-o", str(out), *flags)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


@pytest.mark.parametrize(("name", "flags", "cmocs", "citation", "style"), TABLES, ids=[t[0] for t in TABLES])
def test_published_table_imports_verbatim(tmp_path: Path, name, flags, cmocs, citation, style):
    """Each published table: valid folder, its CMOCs counted by hand, every cell's text kept."""
    out = _import(tmp_path, name, flags)
    assert run_cli("validate", str(out)).returncode == 0
    dataset = load_dataset(out)
    assert len(dataset.cmocs) == cmocs, citation
    assert all(len(concept) <= 60 for concept in dataset.concepts), citation
    everything = _record_text(out)
    with open(PUBLISHED / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header_row = read_tables(PUBLISHED / name)[0].header_row  # 0 when the table has no header
    for row in rows[header_row:]:
        for cell in row:
            for piece in _pieces(cell):
                assert piece in everything, (citation, cell, piece)
    for cmoc in dataset.cmocs.values():  # parts, or a statement kept whole
        assert any(cmoc.slots(s) for s in SLOT_NAMES) or cmoc.statement, (citation, cmoc.id)


def _labels(cmoc, slot: str) -> list[str]:
    return [p.label for p in cmoc.slots(slot)]


def test_kirsh_resource_and_response_in_one_cell(tmp_path: Path):
    """Kirsh et al. 2017, BMC Health Serv Res, Table 3 (doi:10.1186/s12913-017-2064-z): the header
    "Context + Mechanism = Outcome" spans three columns; "X (resource) → Y (response)" is split."""
    cmocs = load_dataset(_import(tmp_path, "kirsh-2017-table3.csv", [])).cmocs
    one = cmocs["kirsh-2017-table3-1"]
    assert one.title == "Combats Isolation"  # "1. Combats Isolation" in the "CMOc Subsection" column
    assert _labels(one, "context") == ["Isolation"]
    assert _labels(one, "mechanism_resource") == ["Social contact"]
    assert _labels(one, "mechanism_response") == ["Correcting misperceptions"]  # "(response)" unspaced
    assert _labels(one, "outcome") == ["Likely improved in self-efficacy"]
    # row 6 prints a mechanism with no resource or response tag: it stays a plain mechanism
    six = cmocs["kirsh-2017-table3-6"]
    assert _labels(six, "mechanism") == [
        "Group setting encouraged creative thinking about meeting people’s needs"
    ]
    assert not six.mechanism_resource and not six.mechanism_response
    assert all(not c.notes for c in cmocs.values())  # no column left over as notes


def test_bosongo_icamo_group_headings(tmp_path: Path):
    """Bosongo et al. 2024, Health Res Policy Syst, Table 3 (doi:10.1186/s12961-024-01115-9): the
    rows "At the PHA level" and "At the interface ..." are the section of the rows under them."""
    cmocs = load_dataset(_import(tmp_path, "bosongo-2024-table3.csv", [])).cmocs
    sections = {cid: c.citation.section for cid, c in cmocs.items()}
    assert sections == {
        "bosongo-2024-table3-3": "At the PHA level",
        "bosongo-2024-table3-4": "At the PHA level",
        "bosongo-2024-table3-6": "At the interface between PHA staff and DHMT members",
        "bosongo-2024-table3-7": "At the interface between PHA staff and DHMT members",
        "bosongo-2024-table3-8": "At the interface between PHA staff and DHMT members",
    }
    two = cmocs["bosongo-2024-table3-4"]
    assert _labels(two, "intervention") == ["Regular meetings for technical support visits"]
    assert _labels(two, "context") == [
        "Supportive leadership", "Safe conversational space", "Less hierarchical management culture",
    ]  # fmt: skip
    assert _labels(two, "actor") == ["PHA staff"]
    assert _labels(two, "mechanism") == ["Psychological safety", "Reflexivity"]


def test_rayment_jones_if_then_clauses(tmp_path: Path):
    """Rayment-Jones et al. 2020, Midwifery 84:102654, Table 4 (doi:10.1016/j.midw.2020.102654):
    each "If … then … (because …)" is the statement, and its clauses are the parts."""
    cmocs = load_dataset(_import(tmp_path, "rayment-jones-2020-table4.csv", [])).cmocs
    assert all(c.statement.startswith("If ") for c in cmocs.values())
    fifth = cmocs["rayment-jones-2020-table4-6"]
    assert _labels(fifth, "context") == ["midwives are placed in the community setting"]
    assert _labels(fifth, "outcome") == [
        "they will be better able to place the individual needs of women before institutional norms"
    ]
    assert _labels(fifth, "mechanism") == [
        "they feel a sense of obligation and responsibility towards the woman rather than the system"
    ]
    # the statements without "because" give a context and an outcome only
    assert not cmocs["rayment-jones-2020-table4-2"].mechanism
    assert all(p.concept is None for c in cmocs.values() for s in SLOT_NAMES for p in c.slots(s))


def test_flynn_headings_name_the_tagged_sentences(tmp_path: Path):
    """Flynn et al. 2021, BMC Health Serv Res, Table 3 (doi:10.1186/s12913-021-07214-5): no header
    row (hence --map 1=statement); each "CMOc N: title" row gives the ID and title of the tagged
    sentence under it."""
    cmocs = load_dataset(_import(tmp_path, "flynn-2021-table3.csv", ["--map", "1=statement"])).cmocs
    assert sorted(cmocs) == ["CMOc-1", "CMOc-2"]
    one = cmocs["CMOc-1"]
    assert (
        one.title == "The influence of learning collaboratives on the sustainability of a scaled, "
        "multi-component intervention"
    )
    assert not one.citation.section  # a record heading is not a section
    assert _labels(one, "mechanism") == [
        "this break down existing silos",  # as printed
        "facilitates sharing among groups who otherwise may not interact",
        "encourages cyclical reinforcement of the intervention",
        "this drives people to make the intervention a priority",
    ]
    assert len(one.outcome) == 2 and len(one.context) == 1


def test_bryne_sentence_columns_and_numbered_ids(tmp_path: Path):
    """Bryne et al. 2022, BMC Health Serv Res 22:533, Table 3 (doi:10.1186/s12913-022-07913-7):
    "Number 1, relates to programme theory 1" gives the ID 1 and that title; sentence-length
    cells stay whole (a line break splits the mechanism cell of CMOC 1 in two)."""
    cmocs = load_dataset(_import(tmp_path, "bryne-2022-table3.csv", [])).cmocs
    one = cmocs["bryne-2022-table3-1"]
    assert one.title == "relates to programme theory 1"
    assert len(one.context) == 1 and one.context[0].label.endswith("(around 8 million euros).")
    assert [p.label.split(":")[0] for p in one.mechanism] == ["Increased accessibility", "Altered focus"]
    assert len(one.outcome) == 1
    assert all(p.concept is None for c in cmocs.values() for s in SLOT_NAMES for p in c.slots(s))


def test_krishnaratne_tagged_cells_and_quote_rows(tmp_path: Path):
    """Krishnaratne et al. 2021, BMC Public Health, Table 2 (doi:10.1186/s12889-020-10114-8): the
    "Actor, mechanism, and outcome" column is read by its tags, and the interviewee's words
    printed across the row below a configuration are its quote, not a heading."""
    cmocs = load_dataset(_import(tmp_path, "krishnaratne-2021-table2.csv", [])).cmocs
    # "CIAMO 1: ..." opening the first column numbers the configuration
    assert sorted(cmocs) == ["CIAMO-1", "CIAMO-2"]
    one = cmocs["CIAMO-1"]
    assert _labels(one, "context") == ["Healthcare delivery is conducted by HEWs at health posts and home"]
    assert _labels(one, "actor") == ["HEWs"]
    assert _labels(one, "mechanism") == ["perceive a reduced work burden due to EPI/FP service integration"]
    assert _labels(one, "outcome") == ["therefore provide integrated services"]
    assert _labels(one, "intervention") == ["EPI and FP services offered at the 45 day post-natal check"]
    assert one.evidence[0].quote.startswith("R: I strongly feel")
    two = cmocs["CIAMO-2"]
    assert two.evidence[0].quote.endswith("HEW_2") and not two.citation.section
    assert two.notes.startswith(
        "Constructs of acceptability, diffusion of innovations, and/or accessibility: "
    )


def test_pearson_supporting_studies_stay_references(tmp_path: Path):
    """Pearson et al. 2015, Implement Sci 10:149, Table 4 (doi:10.1186/s13012-015-0338-6): each
    piece of "Area and sources" is an unresolved reference, no source is minted from one, the
    two heading rows nest into the section, and the if-then sentences give the parts."""
    dataset = load_dataset(_import(tmp_path, "pearson-2015-table4.csv", []))
    cmocs = dataset.cmocs
    assert sorted(dataset.sources) == ["imported-source"]
    one = cmocs["pearson-2015-table4-4"]
    assert [e.notes for e in one.evidence] == [
        "Reference as cited, not resolved: Drug [50]",
        "Reference as cited, not resolved: SRE [45] [54] [63] [70]",
        "Reference as cited, not resolved: Tob [44] [45]",
    ]
    assert one.citation.section.startswith("Programme theory 1—preparing for implementation / Preparation ")
    assert one.citation.section.endswith("This involves / Pre-delivery consultation")  # the Theme column
    assert _labels(one, "context") == [
        "a programme contains novel topic or delivery components",
        "a programme’s topic or approach is contentious for some stakeholders",
    ]
    assert _labels(one, "outcome") == [
        "staff’s unfamiliarity with these elements risks them being viewed as unacceptable",
        "consultation needs to be inclusive of these stakeholders",
    ]
    assert one.notes == "Full synth.a: p.1–4; 8–11"
    # "Reciprocity" prints no if-then and no tags: its statement is kept whole, with no parts
    three = cmocs["pearson-2015-table4-6"]
    assert three.statement.startswith("For all programmes") and not any(three.slots(s) for s in SLOT_NAMES)
    assert len(three.evidence) == 5


def test_the_published_tables_cover_six_styles():
    """At least six of the issue's styles, from at least six papers."""
    assert len({t[0].split("-20")[0] for t in TABLES}) >= 6
    assert len({t[4] for t in TABLES}) >= 6


def test_clause_and_part_readers_on_printed_text():
    """The cell readers on the printed cells that needed a fix (unit level)."""
    assert id_and_title("Number 1, relates to programme theory 1") == ("1", "relates to programme theory 1")
    assert id_and_title("1. Combats Isolation") == ("1", "Combats Isolation")
    assert id_and_title("CMOc 1: The influence of learning") == ("CMOc 1", "The influence of learning")
    assert if_then("If the midwife-mother relationship is ‘two way’, then trust grows.") == {
        "if": "the midwife-mother relationship is ‘two way’", "then": "trust grows",
    }  # fmt: skip
    # a line break splits; sentences of a long cell do not
    cell = (
        "Increased accessibility: a vulnerable group can access services they would otherwise be "
        "unable to afford. This makes it easier for these patients to improve their oral health.\n"
        "Altered focus: The service shifts from private to public."
    )
    assert len(split_parts(cell)) == 2


def test_table_reader_fixes(tmp_path: Path):
    """The table-level fixes the published tables needed, each on a small table of its own."""
    from causal_web.sheets.rows import map_columns

    def table(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return read_tables(path)[0]

    # plural and qualified headers; a header naming an ID and a title
    t = table("a.csv", "No. Title,Project interventions,Key contexts,Programme Theories\n1. A,b,c,d\n")
    assert map_columns(t, []).columns == {0: "id", 1: "intervention", 2: "context", 3: "statement"}
    # a header spanning the blank headers after it names them in turn; without blanks after
    # it, a header naming several slots is one column read by its cells' tags
    t = table("b.csv", 'ID,Context + Mechanism = Outcome,,,"Actor, mechanism, and outcome"\nB1,x,y,z,w\n')
    assert map_columns(t, []).columns == {0: "id", 1: "context", 2: "mechanism", 3: "outcome", 4: "actor"}
    # no header at all: a first row that is a sentence is data
    t = table(
        "c.csv", 'CMOc 1: The first configuration of the table and its long title\n"Where a (C), b (M)"\n'
    )
    assert (t.headers, t.header_row, [n for n, _c in t.rows]) == ([""], 0, [2])
    assert t.record_headings == {2: "CMOc 1: The first configuration of the table and its long title"}
    # a heading over two rows stays a section; a quotation under a row is that row's quote
    t = table(
        "d.csv",
        "ID,Context,Outcome\nCMO1: Trust,,\nT1,a,b\nT2,c,d\n"
        "\u201cWe trusted them.\u201d P1,,\nGroup two,,\nT3,e,f\n",
    )
    assert t.sections == {3: "CMO1: Trust", 4: "CMO1: Trust", 7: "Group two"}
    assert t.record_headings == {} and t.quotes == {4: "\u201cWe trusted them.\u201d P1"}
    # "Theme 1: Trust" over one row is a section: only a configuration's number names a record
    t = table("e.csv", "Context,Outcome\nTheme 1: Trust,\na,b\nCMO2: Pace,\nc,d\n")
    assert (t.sections, t.record_headings) == ({3: "Theme 1: Trust"}, {5: "CMO2: Pace"})


def test_nested_headings_and_if_then_sentences(tmp_path: Path):
    """Two heading rows one under the other nest; a statement of several if-then sentences gives
    the clauses of each; a statement with neither clauses nor tags is kept whole, with a warning."""
    from causal_web.sheets.importer import import_sheet

    path = tmp_path / "n.csv"
    path.write_text(
        "ID,Statement\nPART ONE,\nIts description,\n"
        'N1,"Some are glad. However if staff meet often, then trust grows. Also if roles are clear, '
        'then work is quicker."\nN2,Staff who meet often trust each other more.\n',
        encoding="utf-8",
    )
    table = read_tables(path)[0]
    assert table.sections == {4: "PART ONE / Its description", 5: "PART ONE / Its description"}
    result = import_sheet(path, tmp_path / "out")
    cmocs = load_dataset(tmp_path / "out").cmocs
    assert _labels(cmocs["N1"], "context") == ["staff meet often", "roles are clear"]
    assert _labels(cmocs["N1"], "outcome") == ["trust grows", "work is quicker"]
    assert not any(cmocs["N2"].slots(s) for s in SLOT_NAMES)
    assert [(w.record, w.field) for w in result.warnings if "kept whole" in w.message] == [
        ("N2", "statement")
    ]
