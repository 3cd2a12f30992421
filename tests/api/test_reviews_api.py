"""`causal-web serve --data A --data B` on real uvicorn: GET /reviews lists both reviews and
`review=` filters the lists, /chains, /concepts and the explorer's drawings; a single-review
service lists its one review and keeps its IRIs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import serve

from causal_web.model.loading import load_dataset
from causal_web.resources import bundled_data_dir

pytest_plugins = ["api_fixtures"]
pytestmark = pytest.mark.server

ICAMO = Path(__file__).resolve().parents[1] / "data" / "icamo"
ICAMO_CMOCS = ["ICAMO-1", "ICAMO-2", "ICAMO-3", "ICAMO-4", "ICAMO-5"]
# the concept IDs of tests/data/icamo/concepts.yaml
ICAMO_CONCEPTS = {"shared-budget", "joint-training", "trust", "information", "confidence", "joint-working"}


@pytest.fixture(scope="module")
def two_reviews(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("reviews")
    icamo = root / "icamo"
    shutil.copytree(ICAMO, icamo)
    (icamo / "mappings.csv").write_text(
        "concept,relation,match\njoint-working,exactMatch,collaborative-behaviour\n"
    )
    env = {**os.environ, "CAUSAL_WEB_SPARQL_WORKERS": "1"}
    env["CAUSAL_WEB_BASE_IRI"] = "self"  # mint IRIs under the service's own address
    env.pop("CAUSAL_WEB_DATA", None)
    with serve(root / "serve.log", data=[bundled_data_dir(), icamo], env=env) as (url, _process):
        yield url


def _get(url: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(url + path, params=params, timeout=60)


def test_reviews_lists_both(two_reviews: str) -> None:
    body = _get(two_reviews, "reviews").json()
    ioc = load_dataset(bundled_data_dir())
    assert [(r["id"], r["cmocs"]) for r in body["items"]] == [("ioc", len(ioc.cmocs)), ("tests", 5)]
    tests = body["items"][1]
    # 'self' names the service as the host it listens on: localhost for 127.0.0.1
    assert tests["iri"] == f"{two_reviews.replace('127.0.0.1', 'localhost')}reviews/tests"
    assert body["mappings"] == [
        {"concept": "joint-working", "relation": "exactMatch", "match": "collaborative-behaviour"}
    ]
    assert _get(two_reviews, "reviews/tests").json()["id"] == "tests"
    stats = _get(two_reviews, "stats").json()
    assert stats["totals"]["cmocs"] == len(ioc.cmocs) + 5
    assert [(r["id"], r["totals"]["cmocs"]) for r in stats["reviews"]] == [
        ("ioc", len(ioc.cmocs)),
        ("tests", 5),
    ]
    assert _get(two_reviews, "reviews/nope").status_code == 404


def test_review_filters_the_lists(two_reviews: str) -> None:
    ioc = load_dataset(bundled_data_dir())
    only = _get(two_reviews, "cmocs", review="tests", kind="all", limit=1000).json()
    assert sorted(c["id"] for c in only["items"]) == ICAMO_CMOCS
    other = _get(two_reviews, "cmocs", review="ioc", kind="all", limit=1000).json()
    assert sorted(c["id"] for c in other["items"]) == sorted(ioc.cmocs)
    every = _get(two_reviews, "cmocs", kind="all", limit=1000).json()
    assert every["total"] == len(ioc.cmocs) + 5
    concepts = _get(two_reviews, "concepts", review="tests", limit=1000).json()
    assert {c["id"] for c in concepts["items"]} == ICAMO_CONCEPTS
    bad = _get(two_reviews, "cmocs", review="nope")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["parameter"] == "review"


def test_review_filters_chains_concepts_and_drawings(two_reviews: str) -> None:
    # ICAMO-1: the pooled budget enables more information, which enables trust, which
    # generates more joint working; only the test review knows shared-budget.
    chains = _get(
        two_reviews, "chains", **{"from": "shared-budget", "to": "joint-working", "review": "tests"}
    )
    assert chains.status_code == 200 and chains.json()["chains"]
    records = {r for c in chains.json()["chains"] for h in c["hops"] for r in h["records"]}
    assert records <= set(ICAMO_CMOCS)
    assert (
        _get(
            two_reviews, "chains", **{"from": "shared-budget", "to": "joint-working", "review": "ioc"}
        ).status_code
        == 400
    )
    trust = _get(two_reviews, "concepts/trust", review="tests").json()
    used = {i for ids in trust["cmocs"].values() for i in ids}
    assert used and used <= set(ICAMO_CMOCS)
    drawing = _get(two_reviews, "viz/web", review="tests").json()
    assert {n["id"] for n in drawing["nodes"]} <= ICAMO_CONCEPTS
    page = _get(two_reviews, "", review="tests")
    assert page.status_code == 200 and "5 CMOCs" in page.text


def test_each_review_in_its_own_graphs_over_sparql(two_reviews: str) -> None:
    base = two_reviews.replace("127.0.0.1", "localhost")
    query = f"ASK {{ GRAPH <{base}graphs/tests/initial> {{ <{base}cmocs/ICAMO-1> ?p ?o }} }}"
    answer = httpx.get(
        two_reviews + "sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.json()["boolean"] is True
    # a record's IRI still resolves to its description
    turtle = httpx.get(two_reviews + "cmocs/ICAMO-1", headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.status_code == 200 and "ICAMO-1" in turtle.text


def test_a_single_review_service_lists_its_review(client) -> None:
    body = client.get("/reviews").json()
    assert [r["id"] for r in body["items"]] == ["ioc"]
    assert body["items"][0]["graphs"][-1].endswith("/graphs/catalogue")  # not under a review ID
    assert (
        client.get("/cmocs", params={"review": "ioc"}).json()["total"] == client.get("/cmocs").json()["total"]
    )
    assert client.get("/cmocs", params={"review": "tests"}).status_code == 400
