"""/docs and /redoc render in headless Chromium with every request to the service itself and
no Content-Security-Policy violation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

pytest_plugins = ["browser_fixtures"]

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline(tab, server):
    tab.page.goto(server.url + "docs")
    tab.page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "causal-web API" in tab.page.inner_text(".swagger-ui .info .title")
    tab.page.wait_for_selector(".opblock-tag", timeout=30_000)
    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []


def test_redoc_renders_offline(tab, server):
    tab.page.goto(server.url + "redoc")
    tab.page.wait_for_selector("h1", timeout=30_000)
    assert "causal-web API" in tab.page.inner_text("h1")
    tab.page.wait_for_selector("[data-section-id]", timeout=30_000)
    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []
