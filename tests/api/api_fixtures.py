"""Fixtures for the API tests: the app in process, and a real uvicorn server on loopback.

With CAUSAL_WEB_TEST_STORE=oxigraph the same fixtures serve the bundled data from a real
Oxigraph server instead of the embedded store: a session-wide ``oxigraph serve`` is started,
the data are pushed into it with ``causal-web push``, and the app is built with
:func:`causal_web.remote.load_remote` (the live server runs ``serve --sparql-endpoint``).
Tests that are about the embedded store itself are skipped in that mode, each with its reason
(``EMBEDDED_ONLY``).

Test modules load it with ``pytest_plugins = ["api_fixtures"]``. It is not a conftest.py on
purpose: the tests in tests/ import helpers with ``from conftest import ...``, which only works
while tests/conftest.py is the one module named conftest.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import serve
from remote_store import oxigraph_server, push_bundled, remote_live_server, remote_mode

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LIVE_TIMEOUT = 2.0  # seconds: the live server's SPARQL time limit


# Tests about the embedded store itself, skipped against a remote one: node ID -> reason.
EMBEDDED_ONLY: dict[str, str] = {
    "test_live_server.py::test_a_runaway_query_is_stopped_and_the_server_keeps_answering": (
        "it counts the query worker processes the embedded store forks and sees one replaced; "
        "a remote store's runaway query is timed out in tests/test_remote.py"
    ),
}


def pytest_collection_modifyitems(config, items) -> None:
    if not remote_mode():
        return
    for item in items:
        for node, reason in EMBEDDED_ONLY.items():
            if item.nodeid.endswith(node):
                item.add_marker(pytest.mark.skip(reason=f"embedded store only: {reason}"))


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory):
    """A real Oxigraph server holding the bundled data (default base IRI), for the whole session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        push_bundled(server)
        yield server


@pytest.fixture(scope="session")
def app(request):
    """The app over the bundled data, as `causal-web serve` would build it (default base IRI):
    from the embedded store, or from a real Oxigraph server with CAUSAL_WEB_TEST_STORE=oxigraph."""
    if remote_mode():
        from causal_web.remote import load_remote

        kb = load_remote(request.getfixturevalue("remote_store").query)
    else:
        kb = causal_web.load()
    application = create_app(kb, Settings(sparql_timeout=10, sparql_workers=2))
    yield application
    application.state.sparql.close()


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    """An in-process client; the lifespan runs, so the SPARQL workers start and stop with it."""
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path
    sparql_timeout: float = LIVE_TIMEOUT

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path.lstrip("/"), timeout=30, **kwargs)


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    """`causal-web serve --base-iri self` in a subprocess on 127.0.0.1 and a free port, with a
    2 s SPARQL limit.

    Waits for /health; always stopped at the end of the session.
    """
    log = tmp_path_factory.mktemp("server") / "serve.log"
    env = {
        **os.environ,
        "CAUSAL_WEB_SPARQL_TIMEOUT": str(LIVE_TIMEOUT),
        "CAUSAL_WEB_SPARQL_WORKERS": "2",
        "CAUSAL_WEB_CORS_ORIGINS": "http://example.org",
    }
    # told to mint the data IRIs under its own address, so that they resolve to it
    env["CAUSAL_WEB_BASE_IRI"] = "self"
    if remote_mode():
        store = request.getfixturevalue("remote_store")
        with remote_live_server(log, store, env=env, self_base=True) as (url, process):
            yield LiveServer(url, process, log)
        return
    with serve(log, env=env) as (url, process):
        yield LiveServer(url, process, log)
