"""D9 (reliability audit): unbounded memory. (a) One cross-product ORDER BY query took a
worker to 3.7 GB; now a worker may grow by the memory cap only, the query gets a problem
response that says so, the worker is replaced and the server's memory returns to its baseline.
(b) A 100 MB query body was read whole; now a body over the limit gets 413 as soon as it is
seen to be too large."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from reliability_helpers import server_with, tree_rss, worker_pids

pytestmark = [pytest.mark.server, pytest.mark.slow]

CROSS_PRODUCT = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f"
CAP_MB = 256
BODY_LIMIT = 1_048_576


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = {
        "sparql_memory_mb": str(CAP_MB),
        "sparql_timeout": "30",
        "sparql_workers": "2",
        "sparql_max_query_bytes": str(BODY_LIMIT),
    }
    with server_with(tmp_path_factory.mktemp("d9") / "serve.log", **settings) as running:
        yield running


def ask(url: str) -> httpx.Response:
    return httpx.get(url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)


def settle(process, baseline: int, seconds: float = 20) -> int:
    """RSS once it is back within 20% of ``baseline``, or the last reading after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        rss = tree_rss(process)
        if rss <= baseline * 1.2 or time.monotonic() > deadline:
            return rss
        time.sleep(0.25)


def test_the_cross_product_query_hits_the_cap_and_memory_returns(server):
    url, process = server
    for _ in range(3):  # warm both workers and the server's own caches
        assert ask(url).status_code == 200
    baseline = tree_rss(process)
    workers = worker_pids(process)
    assert len(workers) == 2

    response = httpx.get(url + "sparql", params={"query": CROSS_PRODUCT}, timeout=120)
    assert response.status_code == 507, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/query-memory")
    assert f"{CAP_MB} MiB" in problem["detail"] and "memory" in problem["detail"]

    after = worker_pids(process)
    assert len(after) == 2 and after != workers  # the worker that hit the cap was replaced
    assert ask(url).status_code == 200
    rss = settle(process, baseline)
    print(f"RSS of server and workers: baseline {baseline / 2**20:.0f} MiB, after {rss / 2**20:.0f} MiB")
    assert rss <= baseline * 1.2


def test_a_body_over_the_limit_is_refused_before_it_is_read(server):
    url, process = server
    baseline = tree_rss(process)
    declared = httpx.post(
        url + "sparql",
        content=b"#" * (BODY_LIMIT + 1),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert declared.status_code == 413

    # 64 MiB sent in chunks with no Content-Length: the answer comes, and it is 413, while the
    # server holds no more than a little of it.
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"10000\r\n" + b"#" * 0x10000 + b"\r\n"
        sent = 0
        try:
            while sent < 64 * 2**20:
                sock.sendall(chunk)
                sent += 0x10000
        except OSError:
            pass  # the server answered and closed the connection
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 413"), reply
    assert tree_rss(process) - baseline < 32 * 2**20
    assert ask(url).status_code == 200


def test_the_runner_reports_the_cap_and_replaces_the_worker(kb):
    from causal_web.rdf.sparql import SparqlMemoryError, SparqlRunner

    with SparqlRunner(kb.store, workers=1, timeout=60, memory_limit=64 * 2**20) as runner:
        (before,) = runner.pids
        with pytest.raises(SparqlMemoryError, match="64 MiB"):
            runner.run(CROSS_PRODUCT)
        (after,) = runner.pids
        assert after != before
        assert runner.run("ASK { ?s ?p ?o }").body.endswith(b"true}")
