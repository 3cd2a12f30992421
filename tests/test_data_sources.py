"""The bundled data against the curated source material, record by record.

Every expectation below is either read from the source CSVs or written out by hand from them
and from docs/curation.md; none is copied from the data files. Skips when ../shared/sources is
not beside the checkout (as on a user's own clone).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import SHARED_SOURCES, run_cli

from causal_web.model.loading import load_dataset
from causal_web.model.records import Polarity, Valence

pytestmark = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(),
    reason=f"the curated sources are not beside this checkout ({SHARED_SOURCES}); "
    "they exist only in the project's workspace",
)

DATA = Path(__file__).resolve().parent.parent / "data" / "cmocs"
SLOTS = {"context": "context", "mechanism": "mechanism", "outcome": "outcome"}
TRUNCATED = "[TRUNCATED]"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA)


def _rows(name: str) -> list[dict[str, str]]:
    with open(SHARED_SOURCES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(value: str) -> list[str]:
    """A cell's values as the dataset keeps them: split on ' ; ', each trimmed."""
    return [part.strip() for part in value.split(" ; ")] if value.strip() else []


def _distinct_labels(parts) -> list[str]:
    seen: list[str] = []
    for part in parts:
        if part.label not in seen:
            seen.append(part.label)
    return seen


def _check_labels(cmoc, row: dict[str, str]) -> None:
    for name, column in SLOTS.items():
        assert _distinct_labels(cmoc.slots(name)) == _cell(row[column]), (
            f"{cmoc.file} [{cmoc.id}] {name}: published labels differ from the source cell {row[column]!r}"
        )
    for name in ("intervention", "actor", "mechanism_resource", "mechanism_response"):
        assert cmoc.slots(name) == [], f"{cmoc.id}: the source has no {name} column"


def _evidence(record) -> list[tuple]:
    return [
        (e.source, e.table, e.row, e.section, e.judgement, e.evidence_type, e.base) for e in record.evidence
    ]


def _all_parts(ds):
    for cmoc in ds.cmocs.values():
        for _name, _i, part in cmoc.parts():
            yield cmoc.id, part
    for link in ds.links.values():
        yield link.id, link.source
        yield link.id, link.target


# --- the 2021 review -------------------------------------------------------------------------


def test_review_2021_table_3(ds):
    rows = _rows("review2021_cmocs.csv")
    assert len(rows) == 22
    for number, row in enumerate(rows, start=1):
        cmoc = ds.cmocs.get(row["id"])
        assert cmoc is not None, f"{row['id']} is in the sources but not in data/cmocs: add it"
        _check_labels(cmoc, row)
        assert cmoc.phase == "review-2021" and cmoc.kind == "cmoc"
        assert cmoc.status is None, f"{cmoc.id}: the review states no status"
        section = f"{row['section']} / {row['subsection']}"
        assert (cmoc.citation.source, cmoc.citation.table, cmoc.citation.row, cmoc.citation.section) == (
            "aunger-2021-review",
            row["source_table"],
            str(number),
            section,
        )
        assert cmoc.citation.curated_file == "review2021_cmocs.csv"
        assert _evidence(cmoc) == [
            ("aunger-2021-review", "Table 3", str(number), section, "confirms", "review-author-statement", "")
        ]
        # the CSV says every row's column split is the curator's
        assert "column split is the curator's inference" in row["notes"]
        assert cmoc.split_inferred, f"{cmoc.id}: split_inferred must be set"
        assert not cmoc.configuration_inferred
        assert cmoc.incomplete == (row["id"] == "R21-022")


def test_r21_022_fragment_is_uncoded(ds):
    cmoc = ds.cmocs["R21-022"]
    assert cmoc.incomplete
    fragment = cmoc.outcome[1]
    assert fragment.label == "greater ambi[TRUNCATED]"
    assert (fragment.concept, fragment.polarity, fragment.inferred) == (None, Polarity.UNSPECIFIED, False)
    # the complete first outcome stays coded
    assert (cmoc.outcome[0].label, cmoc.outcome[0].concept) == ("Greater risk threshold", "risk-threshold")


def test_no_part_is_coded_from_a_fragment(ds):
    """A cut-off cell is never coded: R21-022's fragment and B21-M09's completed 'Risk thresho' cell."""
    for record_id, part in _all_parts(ds):
        if TRUNCATED in part.label:
            assert part.concept is None, f"{record_id}: {part.label!r} is a fragment and must stay uncoded"
    # B21-L08's target is the B21-M09 outcome cell, which the CSV marks as cut off
    link_row = _rows("refined2021_causal_links.csv")[7]
    assert "incomplete" in link_row["notes"] and link_row["to"] == "Risk threshold"
    assert ds.links["B21-L08"].target.concept is None
    incomplete = [c.id for c in ds.cmocs.values() if c.incomplete]
    assert incomplete == ["R21-022"]


def test_review_relations_and_scope(ds):
    # R21-001/002: one compound context naming two concepts, joined by 'and'
    for rid in ("R21-001", "R21-002"):
        cmoc = ds.cmocs[rid]
        assert [p.concept for p in cmoc.context] == ["partnership-functioning", "trust"]
        ands = [r for r in cmoc.relations if r.relation == "and"]
        assert len(ands) == 1 and [str(p) for p in ands[0].parts] == ["context[0]", "context[1]"]
    others = [c.id for c in ds.cmocs.values() if c.phase == "review-2021" and c.relations]
    assert others == ["R21-001", "R21-002"]
    # R21-005's parenthetical read as a scope: flagged
    scoped = {c.id: (c.ioc_types, c.ioc_types_inferred) for c in ds.cmocs.values() if c.ioc_types}
    assert scoped == {
        "R21-005": (["mandated", "integrative"], True),
        "S22-001": (["mandated", "integrative"], False),
    }


# hand-derived from review2021_notes.md section 6 (links 1, 2, 3 and 6), direction matched
EXPECTED_NESTINGS = {
    ("R21-013", "R21-001", "context", "trust"),
    ("R21-015", "R21-001", "context", "trust"),
    ("R21-016", "R21-001", "context", "trust"),
    ("R21-014", "R21-002", "context", "trust"),
    ("R21-017", "R21-002", "context", "trust"),
    ("R21-018", "R21-002", "context", "trust"),
    ("R21-009", "R21-003", "context", "faith"),
    ("R21-011", "R21-003", "context", "faith"),
    ("R21-012", "R21-003", "context", "faith"),
    ("R21-019", "R21-006", "mechanism", "perception-of-progress"),
    ("R21-019", "R21-007", "mechanism", "perception-of-progress"),
    ("R21-019", "R21-008", "mechanism", "perception-of-progress"),
    ("R21-019", "R21-010", "mechanism", "perception-of-progress"),
    ("R21-020", "R21-009", "mechanism", "perception-of-progress"),
    ("R21-020", "R21-011", "mechanism", "perception-of-progress"),
    ("R21-020", "R21-012", "mechanism", "perception-of-progress"),
    ("R21-020", "R21-003", "context", "faith"),
    ("R21-002", "R21-018", "context", "task-achievement"),
}


def test_nestings(ds):
    """The curator's label-level links of the review, and the one chain the summary states."""
    found = {(n.source, n.target, n.as_slot, n.concept): n.provenance for n in ds.nestings.values()}
    expected = dict.fromkeys(EXPECTED_NESTINGS, "curator")
    # the summary's conclusions: performance improvements (S22-015) drive long-term outcomes (S22-016)
    expected["S22-015", "S22-016", "mechanism", "performance-improvement"] = "stated"
    assert found == expected
    for nesting in ds.nestings.values():
        source, target = ds.cmocs[nesting.source], ds.cmocs[nesting.target]
        assert nesting.concept in {p.concept for p in source.outcome}
        assert nesting.concept in {p.concept for p in target.slots(nesting.as_slot)}
        if nesting.provenance == "curator":
            assert [(e.source, e.evidence_type) for e in nesting.evidence] == [
                ("aunger-2021-review", "curator-inference")
            ]
        else:
            assert [(e.source, e.section, e.evidence_type) for e in nesting.evidence] == [
                ("millar-2022-summary", "Conclusions", "review-author-statement")
            ]


# hand-resolved from review2021_studies.csv (reference numbers and 'entry point(s)' notes)
EXPECTED_ENTRY_SOURCES = {
    "R21-EP1": ["R21-S007", "R21-S009", "R21-S040", "R21-S017"],
    "R21-EP2": ["R21-S011", "R21-S037"],
    "R21-EP3": ["R21-S030"],
    "R21-EP4": ["R21-S030"],
    "R21-EP5": ["R21-S015", "R21-S037", "R21-S017", "R21-S028", "R21-S021"],
    "R21-EP6": ["R21-S020", "R21-S021"],
}


def test_entry_points(ds):
    rows = _rows("review2021_entry_points.csv")
    assert len(rows) == 6 and set(ds.entry_points) == {r["id"] for r in rows}
    studies = {r["id"]: r for r in _rows("review2021_studies.csv")}
    for number, row in enumerate(rows, start=1):
        entry = ds.entry_points[row["id"]]
        assert entry.label == row["entry_point"]
        assert entry.explanation == row["explanation"]
        assert entry.references == [ref.strip() for ref in row["sources"].split(";")]
        assert entry.sources == EXPECTED_ENTRY_SOURCES[row["id"]]
        assert entry.split_inferred, "the CSV says the split of each Table 2 row is the curator's"
        assert (entry.citation.source, entry.citation.table, entry.citation.row) == (
            "aunger-2021-review",
            "Table 2",
            str(number),
        )
        assert entry.citation.curated_file == "review2021_entry_points.csv"
        assert _evidence(entry) == [
            ("aunger-2021-review", "Table 2", str(number), "", "confirms", "review-author-statement", "")
        ]
        for reference, study_id in zip(entry.references, entry.sources, strict=True):
            study = studies[study_id]
            number_in_ref = reference.rsplit("[", 1)[1].rstrip("]")
            if study_id == "R21-S040":
                assert f"[{number_in_ref}]" in study["notes"] and "entry point 1" in study["notes"]
            else:
                assert reference.startswith(study["authors"])
                assert f"reference no. [{number_in_ref}]" in study["notes"]
                cited = re.search(r"entry point\(s\) ([\d, ]+) in Table 2", study["notes"]).group(1)
                assert str(number) in [n.strip() for n in cited.split(",")]


# --- the 2021 refinement paper ---------------------------------------------------------------

# hand-derived from the notes column of refined2021_mechanisms.csv (docs/curation.md 5.1)
EXPECTED_B21_STATUS = {
    "B21-M01": (None, False),
    "B21-M02": ("refined", False),
    "B21-M03": ("new", False),
    "B21-M04": ("refined", True),
    "B21-M05": ("retained", False),
    "B21-M06": ("retained", False),
    "B21-M07": ("new", False),
    "B21-M08": ("retained", False),
    "B21-M09": (None, False),
}


def test_refined_2021_mechanisms(ds):
    rows = _rows("refined2021_mechanisms.csv")
    assert len(rows) == 9
    for number, row in enumerate(rows, start=1):
        entry = ds.mechanisms.get(row["id"])
        assert entry is not None, f"{row['id']} missing"
        assert entry.phase == "refined-2021"
        assert entry.label == row["refined_mechanism"]
        assert entry.initial_label == ("" if row["initial_mechanism"] == "n/a" else row["initial_mechanism"])
        assert entry.mechanism_type == row["mechanism_type"]
        assert entry.most_frequent_outcome == row["most_frequent_outcome"]
        assert (entry.citation.table, entry.citation.row) == ("Table 2", str(number))
        assert (entry.status, entry.status_inferred) == EXPECTED_B21_STATUS[row["id"]]
        if entry.status == "retained":
            assert row["notes"].startswith("Retained")
        if entry.status == "new":
            assert row["notes"].startswith("New") and row["initial_mechanism"] == "n/a"
        assert _evidence(entry) == [
            ("aunger-2021-refined", "Table 2", str(number), "", "confirms", "review-author-statement", "")
        ]
        assert entry.predecessors == []


# --- links -----------------------------------------------------------------------------------

# hand-derived from the two link CSVs and docs/curation.md section 6
EXPECTED_LINKS = {
    # id: (kind, valence, inferred, derived_from, target coded)
    "B21-L01": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L02": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L03": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L04": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L05": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L06": ("typical-outcome", Valence.NEGATIVE, False, None, True),
    "B21-L07": ("typical-outcome", Valence.UNSPECIFIED, False, None, True),
    "B21-L08": ("typical-outcome", Valence.UNSPECIFIED, False, None, False),
    "B21-L09": ("aggregate", Valence.UNSPECIFIED, False, None, True),
    "E22-L01": ("stated", Valence.UNSPECIFIED, False, None, False),
    "E22-L02": ("stated", Valence.UNSPECIFIED, False, "E22-L01", False),
    "E22-L03": ("stated", Valence.UNSPECIFIED, False, "E22-L01", False),
    "E22-L04": ("derived", Valence.UNSPECIFIED, True, "E22-L01", True),
    "E22-L05": ("derived", Valence.UNSPECIFIED, True, "E22-L01", True),
    "E22-L06": ("derived", Valence.UNSPECIFIED, True, "E22-L01", True),
    "E22-L07": ("background", Valence.POSITIVE, True, None, True),
    "E22-L08": ("background", Valence.POSITIVE, False, None, True),
}


@pytest.mark.parametrize(
    ("file", "prefix", "phase", "source"),
    [
        ("refined2021_causal_links.csv", "B21-L", "refined-2021", "aunger-2021-refined"),
        ("evaluation2022_causal_links.csv", "E22-L", "evaluation-2022", "aunger-2022-evaluation"),
    ],
)
def test_causal_links(ds, file: str, prefix: str, phase: str, source: str):
    rows = _rows(file)
    for number, row in enumerate(rows, start=1):
        lid = f"{prefix}{number:02d}"
        link = ds.links.get(lid)
        assert link is not None, f"{lid} missing"
        assert (link.source.label, link.target.label, link.relation) == (
            row["from"],
            row["to"],
            row["relation"],
        )
        assert link.phase == phase
        assert link.citation.curated_file == file
        kind, valence, inferred, derived_from, coded = EXPECTED_LINKS[lid]
        assert (link.kind, link.valence, link.inferred, link.derived_from) == (
            kind,
            valence,
            inferred,
            derived_from,
        )
        assert link.target.coded == coded, f"{lid}: target coded should be {coded}"
        assert link.evidence[0].source == source
        # a stated direction in the relation word is the only source of a valence
        first = row["relation"].split()[0]
        word = {"increases": Valence.POSITIVE, "decreases": Valence.NEGATIVE}.get(first, Valence.UNSPECIFIED)
        assert link.valence == word
        if row["notes"].startswith("DERIVED"):
            assert link.kind == "derived"
        if row["notes"].startswith(("DERIVED", "Named example within")):
            assert link.derived_from == "E22-L01", f"{lid} comes from the same statement as E22-L01"
    extra = [lid for lid in ds.links if lid.startswith(prefix) and int(lid[len(prefix) :]) > len(rows)]
    assert not extra, f"links not in the sources: {extra}"


def test_link_evidence_bases(ds):
    # B21 links: the paper's Table 2 row (B21-L09: the abstract)
    for number in range(1, 10):
        link = ds.links[f"B21-L{number:02d}"]
        expected_row = "" if number == 9 else f"B21-M0{number + 1}"
        assert [(e.source, e.row, e.evidence_type) for e in link.evidence] == [
            ("aunger-2021-refined", expected_row, "review-author-statement")
        ]
    interview_backed = {"E22-L01", "E22-L02", "E22-L03", "E22-L04", "E22-L05", "E22-L06"}
    for lid in interview_backed:
        assert ds.links[lid].sources == ["aunger-2022-evaluation", "ioc-stakeholder-interviews"]
        assert ds.bases_of(ds.links[lid].evidence) == {"ioc-interviews"}
    # E22-L07 and E22-L08 cite the paper only
    assert ds.links["E22-L07"].sources == ["aunger-2022-evaluation"]
    assert ds.links["E22-L08"].sources == ["aunger-2022-evaluation"]
    assert ds.bases_of(ds.links["E22-L08"].evidence) == {"ioc-background-framing"}


# --- the 2022 evaluation ---------------------------------------------------------------------

# hand-derived: the prior (B21) mechanism each E22 status row names
EXPECTED_E22_PREDECESSOR = {"E22-001": "B21-M08", "E22-002": "B21-M04", "E22-003": "B21-M09"}


def test_evaluation_2022_records(ds):
    rows = _rows("evaluation2022_cmocs.csv")
    assert len(rows) == 4
    for row in rows:
        if row["id"] in EXPECTED_E22_PREDECESSOR:
            # a status statement about one mechanism, no context or outcome: a mechanism entry
            assert row["context"] == "" and row["outcome"] == ""
            assert row["id"] not in ds.cmocs
            entry = ds.mechanisms[row["id"]]
            assert entry.phase == "evaluation-2022"
            assert entry.label == row["mechanism"]
            assert (entry.status, entry.status_inferred) == (row["status"], True)
            prior = ds.mechanisms[EXPECTED_E22_PREDECESSOR[row["id"]]]
            assert prior.label == row["mechanism"] and prior.phase == "refined-2021"
            assert [(p.record, p.relation, p.inferred) for p in entry.predecessors] == [
                (prior.id, "refines", True)
            ]
            record = entry
        else:
            cmoc = ds.cmocs[row["id"]]
            _check_labels(cmoc, row)
            assert cmoc.phase == "evaluation-2022"
            assert cmoc.status == (None if row["status"] == "not_stated" else row["status"])
            record = cmoc
        assert row["source_table"].startswith(record.citation.table)
        assert record.citation.row == row["id"]
        assert [(e.source, e.evidence_type) for e in record.evidence] == [
            ("aunger-2022-evaluation", "interview-data"),
            ("ioc-stakeholder-interviews", "interview-data"),
        ]
        assert record.evidence[0].table == "Abstract" and record.evidence[0].section == "Results"


# --- the NIHR summary ------------------------------------------------------------------------

INTERVIEW_SECTIONS = {"Results (stakeholder interviews)", "Results (collaborative performance)"}
# hand-derived from the 'Positive/Negative influence' notes of summary2022_claims.csv
EXPECTED_VALENCE = {
    "S22-005": [("enables", "context[0]", Valence.POSITIVE)],
    "S22-006": [
        ("constrains", "context[0]", Valence.NEGATIVE),
        ("tempers", "context[0]", Valence.UNSPECIFIED),
    ],
    "S22-007": [("enables", "context[0]", Valence.POSITIVE), ("enables", "context[1]", Valence.POSITIVE)],
    "S22-008": [("constrains", "context[0]", Valence.NEGATIVE)],
}


def test_summary_2022_claims(ds):
    rows = _rows("summary2022_claims.csv")
    assert len(rows) == 18
    for row in rows:
        section = row["section"]
        if row["id"] == "S22-013":
            continue  # constitutive: see test_s22_013_is_constitutive
        cmoc = ds.cmocs.get(row["id"])
        assert cmoc is not None, f"{row['id']} missing"
        _check_labels(cmoc, row)
        assert cmoc.phase == "summary-2022" and cmoc.status is None
        assert cmoc.kind == row["kind"]
        assert cmoc.citation.row == row["id"]
        assert cmoc.citation.table == f"Scientific summary, {section}"
        first = cmoc.evidence[0]
        assert (first.source, first.section) == ("millar-2022-summary", section)
        if section in INTERVIEW_SECTIONS:
            assert (first.evidence_type, first.base) == ("interview-data", "ioc-interviews")
            assert cmoc.sources == ["millar-2022-summary", "ioc-stakeholder-interviews"]
            assert ds.bases_of(cmoc.evidence) == {"ioc-interviews"}
        else:
            assert first.evidence_type == "review-author-statement"
            assert cmoc.sources == ["millar-2022-summary"]
            expected_base = "ioc-background-framing" if row["kind"] == "background" else "ioc-synthesis"
            assert ds.bases_of(cmoc.evidence) == {expected_base}
        # stated direction of influence
        stated = [(r.relation, str(r.source), r.valence) for r in cmoc.relations]
        assert stated == EXPECTED_VALENCE.get(row["id"], [])
        if row["id"] in EXPECTED_VALENCE:
            word = (
                "Positive influence" if EXPECTED_VALENCE[row["id"]][0][2] is Valence.POSITIVE else "Negative"
            )
            assert row["notes"].startswith(word)
    # the CSV's 'read ... from the surrounding sentence' and 'mark as inferred'
    assert ds.cmocs["S22-001"].outcome[0].inferred
    inferred_attachment = {c.id for c in ds.cmocs.values() if c.configuration_inferred}
    assert inferred_attachment == {"S22-003", "S22-004", "S22-009"}
    assert "mark as inferred" in rows[3]["notes"]
    assert not ds.cmocs["S22-004"].mechanism[0].inferred


def test_s22_013_is_constitutive(ds):
    row = next(r for r in _rows("summary2022_claims.csv") if r["id"] == "S22-013")
    assert "S22-013" not in ds.cmocs
    links = sorted((lk for lk in ds.links.values() if lk.citation.row == "S22-013"), key=lambda lk: lk.id)
    assert [lk.id for lk in links] == ["S22-L01", "S22-L02", "S22-L03"]
    assert [lk.source.label for lk in links] == _cell(row["mechanism"])
    for link in links:
        assert link.target.label == row["outcome"]
        assert link.kind == "constitutes" and link.phase == "summary-2022"
        assert link.valence is Valence.UNSPECIFIED
        assert link.citation.curated_file == "summary2022_claims.csv"
        assert [(e.source, e.section) for e in link.evidence] == [("millar-2022-summary", "Conclusions")]


# --- sources, bases, phases, concepts --------------------------------------------------------

# hand-assigned evidence bases (docs/curation.md 5.3)
EXPECTED_BASES = {
    "aunger-2021-review": "ioc-synthesis",
    "aunger-2021-refined": "ioc-synthesis",
    "aunger-2022-evaluation": "ioc-interviews",
    "millar-2023-report": "ioc-synthesis",
    "millar-2022-summary": "ioc-synthesis",
    "ioc-stakeholder-interviews": "ioc-interviews",
    "aunger-2023-lifecycle": "",  # source 6, a review of life-cycle models: a base of its own
}


@pytest.mark.parametrize(
    ("file", "paper"),
    [("review2021_studies.csv", "aunger-2021-review"), ("refined2021_studies.csv", "aunger-2021-refined")],
)
def test_included_studies(ds, file: str, paper: str):
    for number, row in enumerate(_rows(file), start=1):
        source = ds.sources.get(row["id"])
        assert source is not None, f"{row['id']} missing from sources.yaml"
        assert source.kind == "study"
        assert (source.authors, source.year, source.title) == (row["authors"], row["year"], row["title"])
        assert source.collaboration_type == row["collaboration_type"]
        assert source.base == "", f"{row['id']}: an included study is a base of its own"
        assert source.title_inferred == ("identified by the curator" in row["notes"])
        assert source.incomplete == ("incomplete in the available copy" in row["notes"])
        if row["id"] == "R21-S040":
            assert "NOT confirmed" in row["notes"]
            assert (source.part_of, source.cited_by) == ("", paper)
            assert (source.citation.table, source.citation.row) == ("Table 2", "1")
        else:
            assert (source.part_of, source.cited_by) == (paper, "")
            assert (source.citation.table, source.citation.row) == ("Table 1", str(number))
    flagged = {s.id for s in ds.sources.values() if s.title_inferred}
    assert flagged == {"B21-S01", "B21-S03"}


def test_bases_and_evidence_resolve(ds):
    assert set(ds.bases) == {"ioc-synthesis", "ioc-interviews", "ioc-background-framing"}
    assert {s.id: s.base for s in ds.sources.values() if s.kind != "study"} == EXPECTED_BASES
    assert ds.bases["ioc-interviews"].kind == "interview-set"
    records = [*ds.cmocs.values(), *ds.links.values(), *ds.mechanisms.values(), *ds.nestings.values()]
    records += list(ds.entry_points.values())
    for record in records:
        assert record.evidence, f"{record.id} has no evidence"
        for item in record.evidence:
            assert item.source in ds.sources, f"{record.id}: unknown source {item.source}"
            assert ds.base_of(item) in ds.bases or item.source.startswith(("R21-S", "B21-S"))
            assert item.judgement == "confirms"


def test_phases(ds):
    expected = {
        "review-2021": ("initial", None, False, "aunger-2021-review"),
        "refined-2021": ("refined", "review-2021", True, "aunger-2021-refined"),
        "evaluation-2022": ("tested", "refined-2021", False, "aunger-2022-evaluation"),
        "summary-2022": ("synthesis", None, False, "millar-2022-summary"),
    }
    assert {p.id: (p.type, p.previous, p.previous_inferred, p.source) for p in ds.phases.values()} == expected


# the broader links a source supports (docs/curation.md 4.1); any other must be 'related' or go
SUPPORTED_BROADER = {
    ("initial-trust", "trust"),
    ("showing-vulnerability", "leadership-behaviours"),
    ("persuasiveness", "leadership-behaviours"),
    ("authenticity", "leadership-behaviours"),
    ("empathy", "leadership-behaviours"),
    ("visibility", "leadership-behaviours"),
    ("generosity", "leadership-behaviours"),
    ("constructive-conflict-resolution", "conflict-resolution-and-accountability"),
    ("destructive-conflict-resolution", "conflict-resolution-and-accountability"),
    ("mandated-collaboration", "inter-organisational-collaboration"),
    ("integrative-collaboration", "inter-organisational-collaboration"),
}


def test_concept_hierarchy_only_where_supported(ds):
    broader = {(c.id, b) for c in ds.concepts.values() for b in c.broader}
    assert broader == SUPPORTED_BROADER
    for concept in ds.concepts.values():
        for other in concept.related:
            assert concept.id in ds.concepts[other].related, f"{concept.id} -> {other} is not mutual"
    assert "risk-tolerance" in ds.concepts["risk-threshold"].related
    for ioc_type, concept in (
        ("mandated", "mandated-collaboration"),
        ("integrative", "integrative-collaboration"),
    ):
        assert ds.ioc_types[ioc_type].exact_match == [concept]
    # groups are exactly the summary's lists
    groups: dict[str, set[str]] = {}
    for concept in ds.concepts.values():
        if concept.group:
            groups.setdefault(concept.group, set()).add(concept.id)
    assert groups == {
        "core-mechanism": {"trust", "faith", "confidence"},
        "supporting-mechanism": {"capacity", "legitimacy", "complexity", "conflict", "risk-tolerance"},
        "performance-domain": {
            "cultural-efficacy",
            "organisational-efficiency",
            "technological-effectiveness",
        },
        "long-term-outcome": {"care-quality", "safety", "efficiency", "experience"},
    }


# --- completeness ----------------------------------------------------------------------------


def test_header_only_files_stay_empty():
    for name in ("refined2021_cmocs.csv", "evaluation2022_action_statements.csv"):
        assert _rows(name) == [], f"{name} now has rows: transcribe them into data/cmocs"


def test_every_source_id_is_accounted_for(ds):
    """Every row ID the sources hold is a record (or, for S22-013, the row its links cite)."""
    pattern = re.compile(r"\b(?:R21|E22|S22|B21)-(?:[SM]|EP)?\d{1,3}\b")
    known = set()
    for path in Path(SHARED_SOURCES).glob("*.csv"):
        for row in _rows(path.name):
            if "id" in row:
                known.add(row["id"])
    cited_rows = {lk.citation.row for lk in ds.links.values() if lk.citation.row.startswith("S22-")}
    data_ids = (
        set(ds.cmocs)
        | set(ds.mechanisms)
        | set(ds.entry_points)
        | {s for s in ds.sources if pattern.fullmatch(s)}
        | cited_rows
    )
    assert known == data_ids


def test_coverage_ledger_says_what_is_missing(ds):
    ledger = {entry["id"]: entry for entry in ds.coverage}
    assert ledger["r21-table-2"]["record_type"] == "entry-point" and ledger["r21-table-2"]["known"] == 6
    assert ledger["b21-demi-regularities"]["record_type"] == "demi-regularity"
    assert ledger["middle-range-theories"]["record_type"] == "theory"
    assert ds.demi_regularities == {} and ds.theories == {}, "nothing transcribed: no such records"


def test_stats_json_accounts_for_every_record():
    result = run_cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    totals = stats["totals"]
    r21, e22, s22 = (
        _rows("review2021_cmocs.csv"),
        _rows("evaluation2022_cmocs.csv"),
        _rows("summary2022_claims.csv"),
    )
    # E22-001..003 are mechanism entries and S22-013 is three links (docs/curation.md 1)
    assert totals["cmocs"] == len(r21) + (len(e22) - 3) + (len(s22) - 1)
    assert totals["mechanisms"] == len(_rows("refined2021_mechanisms.csv")) + 3
    assert (
        totals["links"]
        == len(_rows("refined2021_causal_links.csv")) + len(_rows("evaluation2022_causal_links.csv")) + 3
    )
    studies = len(_rows("review2021_studies.csv")) + len(_rows("refined2021_studies.csv"))
    assert totals["sources_by_kind"]["study"] == studies
    assert totals["incomplete_cmocs"] == 1
    per_phase = {p["id"]: p["cmocs"] for p in stats["phases"]}
    assert per_phase == {"review-2021": 22, "refined-2021": 0, "evaluation-2022": 1, "summary-2022": 17}
    ledger = {(e["source"], e["item"].split(",")[0]): e for e in stats["coverage"]["entries"]}
    table3 = ledger["aunger-2021-review", "Table 3"]
    assert table3["transcribed"] == 22 and table3["known"] == "unknown"
    table2 = ledger["aunger-2021-review", "Table 2"]
    assert table2["transcribed"] == 6 and table2["known"] == 6
    gaps = " ".join(g for e in stats["coverage"]["entries"] for g in e["gaps"])
    assert "R21-022" in gaps
    assert "action statement" in gaps.lower()
    assert "338" in gaps  # the refined-theory CMOCs, none transcribed
