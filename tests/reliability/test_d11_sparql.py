"""D11 (reliability audit), the SPARQL items: deeply nested queries killed a worker; OPTIONS
said only GET; requests queued for up to 66 s. Now nesting is refused before a worker sees it,
OPTIONS and 405 name every method, and a request waits at most the queue wait for a worker,
then gets 503 with Retry-After."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from reliability_helpers import server_with, worker_pids

pytestmark = pytest.mark.server

TIMEOUT, QUEUE_WAIT = 2.0, 1.0
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = {"sparql_timeout": str(TIMEOUT), "sparql_workers": "1", "sparql_queue_wait": str(QUEUE_WAIT)}
    with server_with(tmp_path_factory.mktemp("d11") / "serve.log", **settings) as running:
        yield running


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
        "ASK { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }",
    ],
)
def test_deep_nesting_is_refused_and_no_worker_dies(server, query):
    url, process = server
    before = worker_pids(process)
    response = httpx.post(
        url + "sparql", content=query, headers={"Content-Type": "application/sparql-query"}, timeout=60
    )
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/query-too-deep")
    assert worker_pids(process) == before


def test_options_tells_the_truth(server):
    url, _ = server
    response = httpx.options(url + "sparql", timeout=30)
    assert response.status_code == 204
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert allowed == {"GET", "HEAD", "POST", "OPTIONS"}
    assert httpx.head(url + "sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
    refused = httpx.put(url + "sparql", timeout=30)
    assert refused.status_code == 405
    assert {m.strip() for m in refused.headers["allow"].split(",")} == allowed


def test_waiting_is_bounded_and_busy_gets_retry_after(server):
    """Six slow queries on one worker: each is answered within the time limit plus the queue
    wait (with generous slack for a shared machine), as a timeout or as busy with Retry-After."""
    url, _ = server
    outcomes: list[tuple[float, httpx.Response]] = []

    def one() -> None:
        started = time.monotonic()
        response = httpx.get(url + "sparql", params={"query": SLOW}, timeout=120)
        outcomes.append((time.monotonic() - started, response))

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 6
    kinds = []
    for elapsed, response in outcomes:
        assert response.status_code == 503, response.text
        kind = response.json()["type"].rsplit("/", 1)[-1]
        kinds.append(kind)
        if kind == "busy":
            assert int(response.headers["retry-after"]) >= 1
        assert elapsed < TIMEOUT + QUEUE_WAIT + 10, (elapsed, kind)
    assert "busy" in kinds and "query-timeout" in kinds
    assert httpx.get(url + "sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
