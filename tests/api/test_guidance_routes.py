"""The guidance routes over the bundled data: the typology at /ioc-types, stages, prompts, the
diagnostic and its scoring, and bad answers refused with a problem naming the item, with the
same message as `causal-web diagnose`."""

from __future__ import annotations

import pytest
import yaml
from conftest import run_cli

from causal_web.guidance import action_guidance, diagnose

pytest_plugins = ["api_fixtures"]

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def neutral(client) -> dict[str, int]:
    return {item["id"]: 3 for item in client.get("/diagnostic").json()["items"]}


def test_ioc_types_list_the_mandated_types_with_r21_005_and_s22_001(client):
    body = client.get("/ioc-types", params={"limit": 1000}).json()
    assert body["typology"]["derived"] and "not transcribed" in body["typology"]["notice"]
    mandated = {t["id"]: t for t in body["items"] if t["mandated"]}
    assert {"mandated", "buddying", "merger", "acquisition"} == set(mandated)
    for kind in mandated.values():
        assert {"R21-005", "S22-001"} <= set(kind["cmocs"])
    one = client.get("/ioc-types/mandated").json()
    assert one["ioc_type_record"]["exact_match"] == ["mandated-collaboration"]
    assert one["entry_points"] == ["R21-EP5"]


def test_an_ioc_type_of_the_vocabulary_still_has_rdf(client):
    response = client.get("/ioc-types/mandated", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and "cw:IOCType" in response.text
    derived_only = client.get("/ioc-types/alliance", headers={"Accept": "text/turtle"})
    assert derived_only.status_code == 406 and derived_only.headers["content-type"].startswith(PROBLEM)
    missing = client.get("/ioc-types/not-a-type")
    assert (
        missing.status_code == 404 and missing.json()["detail"] == "Unknown collaboration type 'not-a-type'."
    )


def test_stages_and_guidance(client, app):
    stages = client.get("/stages").json()
    assert stages["citation"]["source"] == "aunger-2023-lifecycle" and len(stages["stages"]) == 5
    body = client.get("/guidance", params={"ioc_type": "mandated", "stage": "planning"}).json()
    assert body == action_guidance(app.state.kb, "mandated", "planning")
    assert body["label"] == "derived from the evidence, not the study's action statements"
    bad = client.get("/guidance", params={"stage": "ending"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "stage"


def test_the_diagnostic_says_which_instrument_it_is(client):
    body = client.get("/diagnostic").json()
    assert body["instrument"]["id"] == "derived-readiness-1"
    assert body["instrument"]["derived"] is True and "not the study's survey" in body["instrument"]["label"]
    first = body["items"][0]
    assert {"id", "text", "mechanism", "cmocs"} <= set(first)
    assert first["cmocs"] == ["R21-001"]


def test_scoring_matches_the_library(client, app, neutral):
    answers = {**neutral, "C02": 5, "C04": 1}
    response = client.post("/diagnostic/score", json={"answers": answers})
    assert response.status_code == 200
    assert response.json() == diagnose(app.state.kb, answers)
    # conflict: (3 + 6-5 + 3 + 1 + 3 + 3) / 6 = 14 / 6 = 2.33, at risk
    conflict = next(m for m in response.json()["mechanisms"] if m["id"] == "conflict")
    assert (conflict["score"], conflict["at_risk"]) == (2.33, True)


BAD = [
    ("missing", lambda a: {k: v for k, v in a.items() if k != "F05"}, "F05", "item F05 is not answered"),
    ("out of range", lambda a: {**a, "T01": 7}, "T01", "item T01: 7 is out of range"),
    ("unknown item", lambda a: {**a, "Q42": 2}, "Q42", "unknown item ID 'Q42'"),
    ("non-numeric", lambda a: {**a, "N02": "often"}, "N02", "item N02: 'often' is not a number"),
]


@pytest.mark.parametrize(("case", "change", "item", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_answers_are_refused_naming_the_item_in_the_api_and_the_cli(
    client, neutral, tmp_path, case, change, item, message
):
    answers = change(dict(neutral))
    response = client.post("/diagnostic/score", json={"answers": answers})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["item"] == item and problem["detail"].startswith(message)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
    result = run_cli("diagnose", str(path))
    assert result.returncode == 2, case
    assert result.stderr.strip() == f"Error: {problem['detail']}"
    assert "Traceback" not in result.stderr


def test_a_body_without_answers_is_refused(client):
    response = client.post("/diagnostic/score", json={"scores": {}})
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM)
