"""D11 (the parts outside SPARQL): responses had no nosniff and no CSP, /docs and /redoc loaded
their scripts from a CDN, and problem details quoted the request path back raw. Bodies are
refused with 413 before they are read on the routes that take none."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from live_server import serve

import causal_web
from causal_web.api.app import create_app
from causal_web.api.docs import DOCS_ASSETS
from causal_web.api.hardening import DEFAULT_CSP, MAX_BODY_BYTES
from causal_web.api.settings import Settings

PATHS = [
    "/health",
    "/cmocs?limit=2",
    "/cmocs/R21-001",
    "/cmocs/R21-001?format=ttl",
    "/cmocs/NOPE",
    "/nothing-here",
    "/openapi.json",
    "/",
    "/static/explorer.js",
    "/docs",
    "/redoc",
    "/docs-assets/swagger-ui-bundle.js",
    "/sparql?query=ASK%7B%7D",
]


@pytest.fixture(scope="module")
def client():
    app = create_app(causal_web.load(), Settings(sparql_workers=1))
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_nosniff_and_a_csp(client, path: str):
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_json_responses_get_the_locked_down_csp(client):
    assert client.get("/health").headers["content-security-policy"] == DEFAULT_CSP


def test_the_docs_pages_load_only_local_scripts(client):
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "http" not in page.text  # no absolute URL: nothing from a CDN
        assert "<script>" not in page.text  # no inline script
    for name in DOCS_ASSETS:
        asset = client.get(f"/docs-assets/{name}")
        assert asset.status_code == 200 and len(asset.content) > 100, name
    assert client.get("/docs-assets/..%2Fpyproject.toml").status_code == 404


def test_a_problem_detail_carries_no_markup(client):
    response = client.get("/nothing/<script>alert(1)</script>")
    assert response.status_code == 404
    assert b"<" not in response.content and b">" not in response.content
    assert "%3Cscript%3E" in response.json()["detail"]
    response = client.get("/cmocs/<img src=x onerror=alert(1)>")
    assert response.status_code == 404
    assert b"<" not in response.content
    # the JSON still says exactly what was asked for
    assert "<img src=x onerror=alert(1)>" in response.json()["detail"]


@pytest.mark.server
def test_an_oversized_body_gets_413_before_it_is_sent(tmp_path):
    with serve(tmp_path / "server.log") as (url, _process):
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            # announce 100 MB and send none of it: the answer must come without the body
            sock.sendall(
                f"POST /cmocs HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {100 * MAX_BODY_BYTES}\r\n\r\n".encode()
            )
            started = time.monotonic()
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            elapsed = time.monotonic() - started
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert json.loads(body)["type"].endswith("/body-too-large")
    assert elapsed < 10
