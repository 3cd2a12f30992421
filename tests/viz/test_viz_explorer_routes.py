"""The explorer's routes in-process: the page, its static files and the drawings."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.viz.view import WEB_ARROW_CEILING, WEB_CEILING


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb, Settings()))


def test_page_is_served_with_a_strict_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "default-src 'none'" in csp
    assert 'src="static/explorer.js"' in response.text
    # 22 configurations of review-2021.yaml, 17 of summary-2022.yaml and 1 of evaluation-2022.yaml
    assert "40 CMOCs" in response.text


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("vis-network.min.js", "text/javascript"),
        ("vis-network.css", "text/css"),
        ("causal-web-panel.js", "text/javascript"),
        ("causal-web.js", "text/javascript"),
        ("explorer.js", "text/javascript"),
        ("causal-web.css", "text/css"),
        ("explorer.css", "text/css"),
    ],
)
def test_static_files(client, name, media):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", ["nothing.js", "..%2F..%2Fpyproject.toml", "template.html"])
def test_other_static_names_are_not_found(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_web_drawing(client):
    body = client.get("/viz/web").json()
    assert body["kind"] == "web" and len(body["nodes"]) == 81
    filtered = client.get("/viz/web", params={"min_sources": 2, "phase": "summary-2022"}).json()
    assert len(filtered["edges"]) < len(body["edges"])
    assert filtered["query"] == {
        "phase": ["summary-2022"],
        "group": [],
        "min_sources": 2,
        "max_concepts": WEB_CEILING,
        "max_arrows": WEB_ARROW_CEILING,
    }
    bad = client.get("/viz/web", params={"phase": "summary-2222"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "phase"


def test_neighbourhood_drawing(client):
    body = client.get("/viz/neighbourhood/faith").json()
    assert body["kind"] == "neighbourhood" and body["focus"] == "faith"
    missing = client.get("/viz/neighbourhood/fiath")
    assert missing.status_code == 404 and "faith" in missing.json()["suggestions"]


def test_chains_drawing(client):
    params = {"from": "shared-vision", "to": "collaborative-behaviour", "via": "trust"}
    body = client.get("/viz/chains", params=params).json()
    assert body["kind"] == "chains" and body["chains"]["chains"]
    api = client.get("/chains", params=params).json()
    assert [c["concepts"] for c in body["chains"]["chains"]] == [c["concepts"] for c in api["chains"]]
    assert body["chains"]["chains"] == api["chains"]
    bad = client.get("/viz/chains", params={"from": "nowhere", "to": "trust"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "from"
    assert client.get("/viz/chains", params={**params, "max_hops": 99}).status_code == 422


def test_chains_drawing_takes_include_background(client):
    params = {"from": "inter-organisational-collaboration", "to": "performance-improvement"}
    assert client.get("/viz/chains", params=params).json()["chains"]["chains"] == []
    body = client.get("/viz/chains", params={**params, "include_background": "true"}).json()
    assert body["query"]["include_background"] is True
    assert [h["records"] for c in body["chains"]["chains"] for h in c["hops"]] == [["E22-L08"]]


def test_drawings_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/viz/web", "/viz/neighbourhood/{concept_id}", "/viz/chains"} <= set(paths)
    assert "/" not in paths and "/static/{name}" not in paths


def test_web_drawing_is_gzipped_once_and_revalidates(client):
    import gzip
    import json

    plain = client.get("/viz/web", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    packed = client.get("/viz/web", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"]
    # httpx undoes the gzip; the raw bytes are the same gzip each time (compressed once).
    assert json.loads(packed.content) == json.loads(plain.content)
    again = client.get("/viz/web", headers={"Accept-Encoding": "gzip"})
    assert again.headers["etag"] == packed.headers["etag"] != plain.headers["etag"]
    raw = gzip.compress(plain.content, compresslevel=5, mtime=0)
    assert int(packed.headers["content-length"]) == len(raw)
    unchanged = client.get(
        "/viz/web", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["etag"]}
    )
    assert unchanged.status_code == 304
