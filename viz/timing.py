"""Time how long a view takes to draw and settle in headless Chromium.

The page code (``viz/static/causal-web.js``) sets ``window.causalWeb.renderStartedAt`` before
it builds the network and ``window.causalWeb.settledAt`` once the network has drawn with
physics stopped and a frame has passed (both ``performance.now()`` ms, so from navigation
start). :func:`measure_settle` opens a URL or an HTML file and reads them back.

Run ``python -m viz.timing --cmocs 10000`` for a synthetic web of about 2,000 concepts.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_ARGS", "SettleTiming", "chromium_path", "launch_chromium", "measure_settle"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@dataclass(frozen=True, slots=True)
class SettleTiming:
    """Milliseconds: ``settled_ms`` from navigation start to settled, ``render_ms`` from the
    start of building the network to settled, ``wall_ms`` as the test harness saw it."""

    settled_ms: float
    render_ms: float
    wall_ms: float
    nodes: int
    edges: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright cannot download its own browsers here)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_chromium(playwright: Any, executable: str | None = None) -> Any:
    """A headless Chromium from a ``sync_playwright()`` context."""
    path = executable or chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found on PATH: install Debian's chromium package")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


def _url(target: str | Path) -> str:
    text = str(target)
    if text.startswith(("http://", "https://", "file://")):
        return text
    return Path(text).resolve().as_uri()


def measure_settle(
    target: str | Path,
    *,
    viewport: tuple[int, int] = (1600, 1000),
    timeout_s: float = 120.0,
    executable: str | None = None,
) -> SettleTiming:
    """Open ``target`` (a URL or an HTML file) and time it until the view has settled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, executable)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            start = time.perf_counter()
            page.goto(_url(target), wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(
                "() => window.causalWeb && window.causalWeb.settledAt !== null", timeout=timeout_s * 1000
            )
            wall = (time.perf_counter() - start) * 1000
            found = page.evaluate(
                """() => ({settled: causalWeb.settledAt, render: causalWeb.renderMs,
                          nodes: causalWeb.nodes.length, edges: causalWeb.edgeCount})"""
            )
        finally:
            browser.close()
    return SettleTiming(
        settled_ms=round(found["settled"], 1),
        render_ms=round(found["render"], 1),
        wall_ms=round(wall, 1),
        nodes=found["nodes"],
        edges=found["edges"],
    )


def _main() -> None:
    import argparse
    import json
    import tempfile

    parser = argparse.ArgumentParser(description="Time a synthetic causal web settling in Chromium.")
    parser.add_argument("--cmocs", type=int, default=10_000, help="synthetic CMOCs (about 1 concept per 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from causal_web.model.synthetic import generate_dataset
    from causal_web.viz.network import web_network
    from causal_web.viz.template import render_standalone
    from causal_web.web.graph import build_web

    built = time.perf_counter()
    view = web_network(build_web(generate_dataset(args.cmocs, seed=args.seed)))
    html = render_standalone(view)
    build_ms = (time.perf_counter() - built) * 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "web.html"
        path.write_text(html, encoding="utf-8")
        runs = [measure_settle(path).to_dict() for _ in range(args.runs)]
    print(
        json.dumps(
            {"cmocs": args.cmocs, "html_bytes": len(html), "build_ms": round(build_ms, 1), "runs": runs},
            indent=1,
        )
    )


if __name__ == "__main__":
    _main()
