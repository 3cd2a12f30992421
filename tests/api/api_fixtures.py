"""Fixtures for the API tests: the app in process, and a real uvicorn server on loopback.

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

import causal_web
from causal_web.api.app import create_app
from causal_web.api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LIVE_TIMEOUT = 2.0  # seconds: the live server's SPARQL time limit


@pytest.fixture(scope="session")
def app():
    """The app over the bundled data, as `causal-web serve` would build it (default base IRI)."""
    application = create_app(causal_web.load(), Settings(sparql_timeout=10, sparql_workers=2))
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
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
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
    with serve(log, env=env) as (url, process):
        yield LiveServer(url, process, log)
