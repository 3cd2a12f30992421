"""Queries of the bundled knowledge base."""

from __future__ import annotations

import pytest

from causal_web.errors import QueryError, UnknownIdError
from causal_web.web.diff import diff_phases
from causal_web.web.queries import (
    CMOCFilter,
    cmocs_by_concept,
    concept_neighbourhood,
    find_cmocs,
    find_concepts,
)


def ids(cmocs):
    return [c.id for c in cmocs]


def test_perception_of_progress_rows(kb):
    found = find_cmocs(kb.dataset, CMOCFilter(mechanism="perception-of-progress"))
    assert ids(found) == [f"R21-{n:03d}" for n in range(6, 13)]


def test_concept_matches_its_narrower_concepts(kb):
    # 'Better initial trust' and 'Greater initial trust' are initial-trust, narrower than trust
    found = ids(find_cmocs(kb.dataset, CMOCFilter(mechanism="trust")))
    assert {"R21-021", "R21-022"} <= set(found)
    assert {"R21-021", "R21-022"}.isdisjoint(ids(find_cmocs(kb.dataset, CMOCFilter(mechanism="faith"))))


def test_filters_combine(kb):
    found = find_cmocs(kb.dataset, CMOCFilter(outcome="faith", phase="review-2021", q="reduced"))
    assert ids(found) == ["R21-006", "R21-007", "R21-008", "R21-010", "R21-019"]
    # the evaluation's refined trust, faith and confidence are mechanism entries, not CMOCs
    assert ids(find_cmocs(kb.dataset, CMOCFilter(status="refined"))) == []
    assert ids(
        find_cmocs(kb.dataset, CMOCFilter(source="ioc-stakeholder-interviews", mechanism="faith"))
    ) == ["E22-004", "S22-005", "S22-006", "S22-007", "S22-008"]


def test_kind_filter(kb):
    lists = ids(find_cmocs(kb.dataset, CMOCFilter(kind="mechanism-list")))
    assert lists == ["S22-002", "S22-014"]  # S22-013 says what the core mechanisms comprise: links
    assert len(find_cmocs(kb.dataset, CMOCFilter(kind="all"))) == 40


def test_free_text_search(kb):
    assert ids(find_cmocs(kb.dataset, CMOCFilter(q="legal agreements"))) == ["R21-022"]
    assert find_cmocs(kb.dataset, CMOCFilter(q="no such words anywhere")) == []


def test_unknown_values_are_refused(kb):
    with pytest.raises(UnknownIdError, match="review-2021"):
        find_cmocs(kb.dataset, CMOCFilter(phase="review-2012"))
    with pytest.raises(QueryError, match="status"):
        find_cmocs(kb.dataset, CMOCFilter(status="maybe"))
    with pytest.raises(QueryError, match="slot"):
        cmocs_by_concept(kb.dataset, "trust", slot="middle")


def test_find_concepts(kb):
    core = find_concepts(kb.dataset, group="core-mechanism")
    assert [c.id for c in core] == ["confidence", "faith", "trust"]
    assert "perception-of-progress" in [c.id for c in find_concepts(kb.dataset, q="progress")]
    with pytest.raises(UnknownIdError):
        find_concepts(kb.dataset, group="core")


def test_neighbourhood_of_trust(kb):
    hood = concept_neighbourhood(kb.web, "trust")
    (from_conflict,) = [n for n in hood["upstream"] if n.concept == "conflict"]
    # reduced conflict gives enhanced trust (-) in six R21 rows; B21-L05 states no direction,
    # and an unsigned record does not hide the signed ones
    assert {"R21-013", "R21-014", "R21-016", "R21-018"} <= set(from_conflict.cmocs)
    assert from_conflict.links == ["B21-L05"]
    assert from_conflict.valence == "-"
    assert from_conflict.valence_counts == {"+": 0, "-": 6, "unspecified": 1}
    downstream = {n.concept for n in hood["downstream"]}
    assert {"synergy", "risk-threshold"} <= downstream
    assert "R21-001" in hood["cmocs"]["context"]
    assert "initial-trust" in hood["narrower"]


def test_diff_between_phases(kb):
    diff = diff_phases(kb.dataset, "review-2021", "evaluation-2022")
    assert diff.added == ["E22-001", "E22-002", "E22-003", "E22-004"]
    assert len(diff.removed) == 22
    assert "leadership-behaviours" in diff.new_concepts
    assert any("R21-022" in gap for gap in diff.coverage_gaps)
    refined = diff_phases(kb.dataset, "review-2021", "refined-2021")
    assert {m["id"]: m["status"] for m in refined.mechanisms}["B21-M03"] == "new"
    assert "risk-threshold" not in refined.new_concepts  # already an outcome in R21-022


def test_diff_detects_refined_and_kept(good_copy):
    import causal_web

    kb = causal_web.load(good_copy)
    diff = diff_phases(kb.dataset, "first", "second")
    # T-003 keeps T-002's context and (empty) mechanism but changes the outcome label only:
    # same concept and polarity, but T-003 says it refines T-002, and the link wins
    assert diff.refined == [("T-002", "T-003", "link")]
    assert diff.kept == [] and not diff.fallback
    assert diff.removed == ["T-001"]
    with pytest.raises(QueryError):
        diff_phases(kb.dataset, "first", "first")
