"""Fixtures of the browser tests (a plugin, not a conftest: tests elsewhere import the root
conftest by name). Headless Chromium, Debian's, driven by Playwright, against a real
`causal-web serve`.

Every page records the requests it makes, its console errors and any Content-Security-Policy
violation, so a test can check that nothing leaves the server. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import ARTIFACTS, PAYLOAD, ROOT
from live_server import serve

from causal_web.viz.timing import chromium_path, launch_chromium

DATA = ROOT / "data" / "cmocs"

_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@dataclass
class Tab:
    """A page and what it did."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to anywhere but ``origin`` (data: and blob: URLs stay in the page)."""
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and _origin(url) != _origin(origin)
        ]

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (Debian: apt install chromium); the browser tests drive it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tab(browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    record = Tab(page)
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and record.errors.append(message.text))
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.add_init_script(_RECORD_VIOLATIONS)
    try:
        yield record
    finally:
        context.close()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def _serve(data: Path | None, log: Path) -> Iterator[Server]:
    with serve(log, data) as (url, process):
        yield Server(url, process, log)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The service on the bundled data."""
    yield from _serve(None, tmp_path_factory.mktemp("serve") / "server.log")


def write_xss_data(folder: Path) -> Path:
    """A copy of the bundled data whose CMOC R21-016 has a script for its mechanism label."""
    shutil.copytree(DATA, folder)
    path = folder / "review-2021.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: R21-016")
    at = text.index("label: Reduced conflict", start)
    path.write_text(
        text[:at] + f"label: '{PAYLOAD}'" + text[at + len("label: Reduced conflict") :], encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def xss_data(tmp_path_factory) -> Path:
    return write_xss_data(tmp_path_factory.mktemp("xss") / "cmocs")


@pytest.fixture(scope="session")
def xss_server(tmp_path_factory, xss_data) -> Iterator[Server]:
    """The service on data with a malicious label."""
    yield from _serve(xss_data, tmp_path_factory.mktemp("serve-xss") / "server.log")
