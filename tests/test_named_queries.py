"""Each named SPARQL query, checked on the bundled data with the embedded store."""

from __future__ import annotations

import pytest

from causal_web.errors import UnknownIdError
from causal_web.rdf.named_queries import named_queries, run_named_query


def test_every_query_has_a_title_and_description():
    queries = named_queries()
    assert len(queries) >= 8
    for query in queries.values():
        assert query.title and query.description, query.name


def test_cmocs_per_phase(kb):
    rows = run_named_query(kb, "cmocs-per-phase")
    assert rows == [
        {"phase": "review-2021", "cmocs": 22},
        {"phase": "refined-2021", "cmocs": 0},
        # E22-001..003 are mechanism entries now; E22-004 is the one configuration
        {"phase": "evaluation-2022", "cmocs": 1},
        # S22-013 (what the core mechanisms comprise) is three constitutes links now
        {"phase": "summary-2022", "cmocs": 17},
    ]


def test_core_mechanism_contexts(kb):
    rows = run_named_query(kb, "core-mechanism-contexts")
    assert {r["mechanism"] for r in rows} == {"trust", "faith", "confidence"}
    trust = {r["cmoc"] for r in rows if r["mechanism"] == "trust"}
    assert {"R21-019", "R21-020", "S22-003"} <= trust
    assert all(r["polarity"] in {"Increase", "Decrease", "Unspecified"} for r in rows)


def test_what_erodes_faith(kb):
    rows = run_named_query(kb, "what-erodes-faith")
    # R21 rows whose faith outcome is reduced, S22-008's reduced faith, and S22-006, whose
    # context the summary reads as a negative influence on faith (a stated valence, D22)
    assert {r["cmoc"] for r in rows} == {
        "R21-006",
        "R21-007",
        "R21-008",
        "R21-010",
        "R21-019",
        "S22-006",
        "S22-008",
    }


def test_mandated_collaboration(kb):
    rows = run_named_query(kb, "mandated-collaboration")
    assert {(r["cmoc"], r["mechanism"]) for r in rows} == {("R21-005", "synergy"), ("S22-001", "confidence")}


def test_evidence_per_source(kb):
    rows = {r["source"]: r for r in run_named_query(kb, "evidence-per-source")}
    assert rows["aunger-2021-review"]["cmocs"] == 22
    assert rows["aunger-2021-refined"]["links"] == 9


def test_mechanism_evidence(kb):
    rows = {r["mechanism"]: r for r in run_named_query(kb, "mechanism-evidence")}
    assert rows["perception-of-progress"]["cmocs"] == 8  # 7 Table 3 rows and the S22-002 list
    assert rows["trust"]["sources"] >= 3


def test_curator_inferences(kb):
    rows = run_named_query(kb, "curator-inferences")
    assert {"R21-022", "incomplete cell", ""} in [{r["record"], r["issue"], r["label"]} for r in rows]
    assert any(r["record"] == "E22-L04" for r in rows)


def test_stated_links(kb):
    rows = {r["link"]: r for r in run_named_query(kb, "stated-links")}
    assert len(rows) == 20  # B21-L01..09, E22-L01..08, S22-L01..03
    assert rows["B21-L06"]["valence"] == "-"
    assert rows["B21-L05"]["valence"] == "unspecified"
    assert (rows["B21-L05"]["from"], rows["B21-L05"]["to"]) == ("conflict", "trust")
    # E22-L01's target names the group of core mechanisms and stays uncoded (D08)
    assert rows["E22-L01"]["to"] == "Core mechanisms of collaborative functioning"


def test_unknown_query_name(kb):
    with pytest.raises(UnknownIdError, match="what-erodes-faith"):
        run_named_query(kb, "what-erodes-fath")
