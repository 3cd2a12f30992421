"""A real Oxigraph server (the `oxigraph` package's CLI) on loopback, for the remote-store tests.

``oxigraph_server()`` starts ``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` on a free
port, waits until its query endpoint answers and always stops it. Its query endpoint is
``/query``, its update endpoint ``/update`` and its Graph Store Protocol address ``/store``.
``remote_live_server()`` pushes the bundled data with the base IRI a live server on a chosen port
will mint (``serve --base-iri self`` mints ``http://localhost:PORT/``) and starts ``causal-web
serve --sparql-endpoint`` on that port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from live_server import free_port, serve_process

ROOT = Path(__file__).resolve().parents[1]
STORE_ENV = "CAUSAL_WEB_TEST_STORE"
STORE_TIMEOUT = 30  # seconds a query may run on the test server


def remote_mode() -> bool:
    """True when the API tests run against a real Oxigraph server (CAUSAL_WEB_TEST_STORE=oxigraph)."""
    return os.environ.get(STORE_ENV, "").strip().lower() == "oxigraph"


def oxigraph_binary() -> str:
    """The `oxigraph` CLI of this environment (the PyPI package puts it beside the Python)."""
    here = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if here.exists():
        return str(here)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` server CLI is not installed: pip install -e '.[test]' brings it")
    return found


@dataclass(frozen=True)
class Oxigraph:
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def query(self) -> str:
        return self.url + "query"

    @property
    def update(self) -> str:
        return self.url + "update"

    @property
    def store(self) -> str:
        return self.url + "store"

    def select(self, query: str) -> list[dict]:
        """SPARQL JSON bindings of a SELECT, asked of the server directly."""
        response = httpx.post(
            self.query,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["results"]["bindings"]


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Oxigraph]:
    """An Oxigraph server storing in ``folder``, on a free loopback port; always stopped."""
    port = free_port()
    log = folder / "oxigraph.log"
    args = [oxigraph_binary(), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    args += ["--timeout-s", str(STORE_TIMEOUT)]  # stops what a timed-out client leaves running
    with log.open("wb") as out:
        process = subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                ask = httpx.get(url + "query", params={"query": "ASK {}"}, timeout=2)
                if ask.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"oxigraph serve did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield Oxigraph(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def run_push(*args: str) -> subprocess.CompletedProcess:
    """`causal-web push ...` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "causal_web", "push", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def push_bundled(server: Oxigraph, base_iri: str | None = None, *extra: str) -> None:
    """Push the bundled data into ``server`` (with ``base_iri``), or fail with push's output."""
    args = ["--endpoint", server.update, *extra]
    if base_iri is not None:
        args += ["--base-iri", base_iri]
    done = run_push(*args)
    if done.returncode != 0:
        pytest.fail(f"causal-web push failed ({done.returncode}):\n{done.stderr}")


@contextmanager
def remote_live_server(
    log: Path,
    server: Oxigraph,
    env: dict[str, str] | None = None,
    self_base: bool = False,
    args: Sequence[str] = (),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`causal-web serve --sparql-endpoint` on a free port, waiting for /health; always stopped.

    With ``self_base`` the data are pushed first under ``http://localhost:PORT/``, the IRIs that
    ``--base-iri self`` mints on that port (the push is made here because the port is chosen
    here); otherwise the data must already be in the store under the base IRI ``env`` gives.
    """
    port = free_port()
    environment = dict(os.environ if env is None else env)
    if self_base:
        push_bundled(server, f"http://localhost:{port}/")
        environment["CAUSAL_WEB_BASE_IRI"] = "self"
    extra = ["--sparql-endpoint", server.query, *args]
    with serve_process(log, extra, port=port, env=environment, wait=120.0) as found:
        yield found
