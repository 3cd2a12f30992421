"""HTTP throughput and latency of the real API against a bare FastAPI endpoint, same stack.

Each server runs in its own process (``bench.serve``: uvicorn, one worker, 127.0.0.1, access
log off) and the load comes from another process (``bench.client``), so the client never
shares an interpreter with the server. Latency is measured with one connection, one request at
a time; throughput with several keep-alive connections.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import REPO, log, run_child, stop_process

__all__ = ["measure_http", "run_client", "served"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    app: str,
    data: Path | None = None,
    ready_path: str = "/",
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start ``bench.serve <app>`` and yield its base URL once it answers; stop it after."""
    port = _free_port()
    command = [sys.executable, "-m", "bench.serve", app, "--port", str(port)]
    if data is not None:
        command += ["--data", str(data)]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{app} server exited: {process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{app} server did not answer within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        stop_process(process, 15)


def run_client(url: str, connections: int, duration: float, requests: int) -> dict[str, Any]:
    """The load client (bench.client) in a child process, against ``url``."""
    return run_child(
        [
            "-m",
            "bench.client",
            url,
            "--connections",
            str(connections),
            "--duration",
            str(duration),
            "--requests",
            str(requests),
        ],
        timeout=duration + 60,
    )


def measure_http(chains_query: str, quick: bool) -> dict[str, Any]:
    """Latency (one connection) and throughput (several) for the bare and the real endpoints."""
    duration = 2.0 if quick else 5.0
    latency_requests = 300 if quick else 1000
    connections = 8
    results: dict[str, Any] = {}
    log("HTTP: bare FastAPI endpoints (the stack's ceiling, and the same from a sync def)")
    with served("bare", ready_path="/constant") as base:
        for name, path in (("bare", "/constant"), ("bare_sync", "/constant-sync")):
            results[name] = {
                "path": path,
                "latency": run_client(base + path, 1, duration, latency_requests),
                "throughput": run_client(base + path, connections, duration, 10**7),
            }
    log("HTTP: the real API on the bundled data")
    with served("real", ready_path="/cmocs?limit=1") as base:
        for name, path in (("cmocs", "/cmocs?mechanism=trust"), ("chains", chains_query)):
            results[name] = {
                "path": path,
                "latency": run_client(base + path, 1, duration, latency_requests),
                "throughput": run_client(base + path, connections, duration, 10**7),
            }
    log("HTTP: the real API with its response cache off (each answer computed)")
    with served("real", ready_path="/cmocs?limit=1", env={"CAUSAL_WEB_RESPONSE_CACHE_MB": "0"}) as base:
        path = "/cmocs?mechanism=trust"
        results["cmocs_uncached"] = {
            "path": path,
            "latency": run_client(base + path, 1, duration, latency_requests),
            "throughput": run_client(base + path, connections, duration, 10**7),
        }
    return results
