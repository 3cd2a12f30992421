"""The evidence routes over HTTP: /chains hops, /cmocs summaries, /contradictions, /matrix, and
the scorer chosen by the service's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.knowledge_base import load

CONTESTED = Path(__file__).parents[1] / "data" / "contested"
ASSESSMENT = ("evidence_bases", "evidence_status", "confidence", "explanation")


@pytest.fixture(scope="module")
def bundled_client():
    with TestClient(create_app(load())) as client:
        yield client


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("shared-vision", "task-achievement"),
        ("conflict", "trust"),
        ("shared-vision", "faith"),
        ("trust", "care-quality"),
    ],
)
def test_every_hop_from_chains_carries_its_evidence(bundled_client, start, end):
    response = bundled_client.get("/chains", params={"from": start, "to": end, "max_hops": 5, "limit": 50})
    assert response.status_code == 200
    hops = [hop for chain in response.json()["chains"] for hop in chain["hops"]]
    for hop in hops:
        for key in ASSESSMENT:
            assert key in hop, (start, end, key)
        assert hop["evidence_bases"] == len(hop["bases"])


def test_a_served_cmoc_carries_its_evidence_summary(bundled_client):
    cmoc = bundled_client.get("/cmocs/S22-010").json()
    # both items of S22-010 name the interview base
    assert cmoc["evidence_summary"]["bases"] == ["ioc-interviews"]
    assert cmoc["evidence_summary"]["evidence_status"] == "provisional"
    assert cmoc["evidence_summary"]["judgements"] == {"confirms": 2, "refutes": 0, "refines": 0}
    listed = bundled_client.get("/cmocs", params={"limit": 5}).json()["items"]
    assert all("evidence_summary" in item for item in listed)


def test_contradictions_and_matrix_of_the_contested_folder():
    with TestClient(create_app(load(CONTESTED))) as client:
        found = client.get("/contradictions").json()
        assert found["total"] == 3
        outcome = next(c for c in found["contradictions"] if c["kind"] == "outcome-polarity")
        assert [s["records"] for s in outcome["sides"]] == [["C-1"], ["C-2"]]
        matrix = client.get("/matrix", params={"rows": "context", "cols": "mechanism"}).json()
        assert {(c["row"], c["col"]) for c in matrix["cells"]} == {
            ("pooled-budget", "trust"),
            ("shared-vision", "conflict"),
        }
        bad = client.get("/matrix", params={"rows": "colour", "cols": "mechanism"})
        assert bad.status_code == 400
        assert "colour" in bad.json()["detail"]


def test_the_scorer_is_chosen_by_the_settings(monkeypatch):
    monkeypatch.setenv("CAUSAL_WEB_EVIDENCE_SCORER", "belief")
    settings = Settings()
    assert settings.evidence_scorer == "belief"
    with TestClient(create_app(load(CONTESTED), settings)) as client:
        chains = client.get("/chains", params={"from": "pooled-budget", "to": "joint-working"}).json()
    hop = chains["chains"][0]["hops"][0]
    # two bases, a review and an interview set: belief 1 - 0.35 * 0.35 = 0.8775 ("high"), but
    # C-1 and C-2 give the hop opposite valences, so it is contested and its label is capped
    assert hop["confidence_score"] == pytest.approx(0.878, abs=0.001)
    assert (hop["evidence_status"], hop["confidence"]) == ("contested", "low")
