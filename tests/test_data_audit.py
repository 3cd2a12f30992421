"""The data and method audit (items D01 to D50) against the bundled data and docs/curation.md.

These checks need only the checkout: the expectations are the audit's suggested fixes, written
out by hand, so they run on a user's clone too. When the audit itself is beside the checkout,
its list of items is compared with the answers in curation.md as well.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from causal_web.model.loading import load_dataset
from causal_web.model.records import Valence

ROOT = Path(__file__).resolve().parents[1]
CURATION = ROOT / "docs" / "curation.md"
AUDIT = ROOT.parent / "shared" / "reviews" / "data-and-method-audit.md"
VERDICTS = (
    "fixed in data",
    "fixed in code",
    "fixed in docs",
    "fixed in data and code",
    "fixed in code and data",
    "stands",
)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data" / "cmocs")


def _answers() -> dict[str, tuple[str, str]]:
    text = CURATION.read_text(encoding="utf-8")
    answers: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        match = re.match(r"^\| (D\d\d) \| ([^|]+) \| (.+) \|$", line)
        if match:
            item, verdict, reason = match.groups()
            assert item not in answers, f"curation.md answers {item} twice"
            answers[item] = (verdict.strip(), reason.strip())
    return answers


def test_curation_answers_every_audit_item_once():
    answers = _answers()
    assert list(answers) == [f"D{n:02d}" for n in range(1, 51)]
    for item, (verdict, reason) in answers.items():
        assert verdict in VERDICTS, f"{item}: {verdict!r} is not one of {VERDICTS}"
        assert len(reason) > 20, f"{item}: give the reason"


def test_items_that_stand_are_the_ones_chosen():
    stands = {item for item, (verdict, _r) in _answers().items() if verdict == "stands"}
    assert stands == {"D35", "D36", "D38", "D44"}


@pytest.mark.skipif(not AUDIT.is_file(), reason="the audit is not beside this checkout")
def test_audit_items_match_the_answers():
    listed = re.findall(r"^\| (D\d\d) \|", AUDIT.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert listed == list(_answers())


def test_fragments_are_never_coded(ds):
    """D04: a cut-off cell stays an uncoded part, and its record is incomplete."""
    for cmoc in ds.cmocs.values():
        for name, index, part in cmoc.parts():
            if "[TRUNCATED]" in part.label:
                assert part.concept is None, f"{cmoc.id} {name}[{index}] is a fragment: leave it uncoded"
                assert cmoc.incomplete, f"{cmoc.id} holds a fragment and must be incomplete"
    fragment = ds.cmocs["R21-022"].outcome[1]
    assert fragment.label == "greater ambi[TRUNCATED]" and fragment.concept is None
    # B21-M09's cut-off outcome cell, as link B21-L08's target (checked against the full text later)
    assert ds.links["B21-L08"].target.concept is None


def test_flags_the_audit_asked_for(ds):
    cmocs, links, sources = ds.cmocs, ds.links, ds.sources
    assert links["B21-L09"].kind == "aggregate"  # D01
    assert ds.mechanisms["B21-M09"].status is None  # D02
    assert ds.mechanisms["B21-M01"].status is None  # D20
    assert cmocs["S22-001"].outcome[0].inferred  # D03
    assert all(cmocs[f"R21-{n:03d}"].split_inferred for n in range(1, 23))  # D17, D18
    assert all(cmocs[f"R21-{n:03d}"].status is None for n in range(1, 23))  # D37
    assert sources["B21-S01"].title_inferred and sources["B21-S03"].title_inferred  # D19
    assert [ds.mechanisms[m].status for m in ("B21-M05", "B21-M06", "B21-M08")] == ["retained"] * 3  # D21
    assert {c.id for c in cmocs.values() if c.configuration_inferred} == {"S22-003", "S22-004", "S22-009"}
    assert not cmocs["S22-004"].mechanism[0].inferred  # D24: the attachment is flagged, not the coding
    assert cmocs["R21-005"].ioc_types_inferred  # D25
    assert links["E22-L07"].inferred and links["E22-L07"].kind == "background"  # D27
    assert links["E22-L07"].sources == ["aunger-2022-evaluation"]
    assert (sources["R21-S040"].part_of, sources["R21-S040"].cited_by) == ("", "aunger-2021-review")  # D30
    assert ds.phases["refined-2021"].previous_inferred  # D31
    assert (ds.phases["summary-2022"].type, ds.phases["summary-2022"].previous) == ("synthesis", None)  # D32
    assert sources["B21-S10"].incomplete  # D47


def test_records_the_audit_asked_to_restructure(ds):
    # D05: the summary's domain findings come from the interviews and focus group
    for rid in ("S22-010", "S22-011", "S22-012"):
        assert "ioc-stakeholder-interviews" in ds.cmocs[rid].sources
        assert ds.bases_of(ds.cmocs[rid].evidence) == {"ioc-interviews"}
    # D08, D09: the group target is uncoded; the per-mechanism links say where they come from
    assert [ds.links[f"E22-L0{n}"].target.concept for n in (1, 2, 3)] == [None, None, None]
    assert [ds.links[f"E22-L0{n}"].derived_from for n in (4, 5, 6)] == ["E22-L01"] * 3
    # D10, D11: one project's publications are one base, its interviews another
    assert ds.sources["aunger-2021-review"].base == ds.sources["millar-2022-summary"].base == "ioc-synthesis"
    assert ds.sources["aunger-2022-evaluation"].base == "ioc-interviews"
    assert ds.bases_of(ds.cmocs["S22-003"].evidence) != ds.bases_of(ds.cmocs["S22-017"].evidence)
    # D22: the stated influence on faith
    first = ds.cmocs["S22-006"].relations[0]
    assert (first.relation, first.valence) == ("constrains", Valence.NEGATIVE)
    # D26: constitutive, not causal
    assert "S22-013" not in ds.cmocs
    assert {lk.kind for lk in ds.links.values() if lk.citation.row == "S22-013"} == {"constitutes"}
    # D28: mechanism status statements are mechanism entries
    assert {"E22-001", "E22-002", "E22-003"} <= set(ds.mechanisms)
    # D34: the compound context acts as one condition
    assert [r.relation for r in ds.cmocs["R21-001"].relations] == ["and"]
    # D42: typical outcomes, not stated causal claims
    assert {ds.links[f"B21-L0{n}"].kind for n in range(1, 9)} == {"typical-outcome"}


def test_concept_scheme_fixes(ds):
    concepts = ds.concepts
    assert concepts["risk-threshold"].broader == [] and "risk-tolerance" in concepts["risk-threshold"].related
    assert concepts["interpersonal-communication"].broader == []  # D14
    assert concepts["collaborative-leadership"].broader == []  # D15
    assert concepts["energising-leadership"].broader == []
    assert concepts["accountability-arrangements"].broader == []  # D16
    assert concepts["task-complexity"].broader == []  # D39
    assert ds.ioc_types["mandated"].exact_match == ["mandated-collaboration"]  # D48
    assert ds.ioc_types["integrative"].exact_match == ["integrative-collaboration"]
    outcomes = ("task-achievement", "collaborative-performance", "collaborative-effectiveness")
    outcomes += ("performance-improvement", "ioc-success", "collaborative-advantage")
    for concept in outcomes:  # D49
        assert concepts[concept].related, f"{concept} should be related to another outcome"
        assert concepts[concept].notes, f"{concept}: document the related links"
    for concept in concepts.values():
        if concept.related:
            assert concept.notes or any(concepts[o].notes for o in concept.related), concept.id
