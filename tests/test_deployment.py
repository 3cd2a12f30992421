"""The compose-free recipe of docs/deployment.md, run for real on loopback: one index, two
`serve --index` processes on two ports, and the round-robin balancer of scripts/ in front."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from index_server import serve_with
from live_server import ROOT, free_port

from causal_web.index import build_index

PROXY = ROOT / "scripts" / "round_robin_proxy.py"


def _wait_listening(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(url + "health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


@pytest.mark.server
def test_two_servers_behind_a_round_robin_balancer(tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index([], index)  # the recipe's step 1: `causal-web index -o INDEX`
    port = free_port()
    log = tmp_path / "proxy.log"
    with (
        serve_with(tmp_path / "a.log", ["--index", str(index)]) as (first, a),
        serve_with(tmp_path / "b.log", ["--index", str(index)]) as (second, b),
    ):
        backends = [first.removeprefix("http://").rstrip("/"), second.removeprefix("http://").rstrip("/")]
        with log.open("wb") as out:
            proxy = subprocess.Popen(
                [sys.executable, str(PROXY), "--listen", f"127.0.0.1:{port}", *backends],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_listening(url, proxy, log)
            # one new connection per request: the balancer hands them out in turn
            answered = [httpx.get(url + "health", timeout=10).headers["X-Worker-PID"] for _ in range(6)]
            assert set(answered) == {str(a.pid), str(b.pid)}
            assert all(x != y for x, y in itertools.pairwise(answered))
            direct = httpx.get(first + "cmocs/R21-001", timeout=10).json()
            for _ in range(2):
                assert httpx.get(url + "cmocs/R21-001", timeout=10).json() == direct
            chains = {
                httpx.get(url + "chains?from=collaborative-functioning&to=care-quality").text
                for _ in range(4)
            }
            assert len(chains) == 1
            sparql = httpx.post(
                url + "sparql",
                data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
            assert int(sparql.json()["results"]["bindings"][0]["n"]["value"]) > 0
            # one server stops: the balancer skips it and the other answers every request
            b.terminate()
            b.wait(timeout=30)
            survivors = {httpx.get(url + "health", timeout=10).headers["X-Worker-PID"] for _ in range(4)}
            assert survivors == {str(a.pid)}
        finally:
            proxy.terminate()
            proxy.wait(timeout=15)
    assert "refused a connection" in log.read_text()
