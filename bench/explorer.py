"""Explorer render and settle time in headless Chromium, served by the real API.

The page code sets ``window.causalWeb.settledAt`` (``performance.now()``, so milliseconds from
navigation start) once the network has drawn with physics off and one more frame has passed,
that is when the page is drawn and its main thread is free. The benchmark opens the explorer
at ``/`` and reads that, then clicks the drawing and times the next frame, to check that the
page answers input. Each web is opened several times in fresh pages of one browser.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import log, median
from bench.http import served

__all__ = ["measure_explorer"]


_READ = """() => ({settled: window.causalWeb.settledAt, render: window.causalWeb.renderMs,
                  nodes: window.causalWeb.data.nodes.length, edges: window.causalWeb.data.edges.length})"""
_CLICK_TO_FRAME = """async () => {
  const canvas = document.querySelector("canvas");
  const box = canvas.getBoundingClientRect();
  const started = performance.now();
  canvas.dispatchEvent(new MouseEvent("click", {bubbles: true, clientX: box.x + box.width / 2,
                                                clientY: box.y + box.height / 2}));
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return performance.now() - started;
}"""


def _open(browser: Any, url: str, timeout_s: float) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.causalWeb && window.causalWeb.settledAt !== null", timeout=timeout_s * 1000
        )
        wall = time.perf_counter() - started
        found = page.evaluate(_READ)
        input_ms = page.evaluate(_CLICK_TO_FRAME)
    finally:
        page.close()
    return {
        "settled_s": found["settled"] / 1000,
        "render_s": found["render"] / 1000,
        "wall_s": wall,
        "input_s": input_ms / 1000,
        "nodes": found["nodes"],
        "edges": found["edges"],
    }


def measure_explorer(webs: dict[str, Path | None], repeats: int, timeout_s: float = 60) -> dict[str, Any]:
    """Settle times per web (name to data folder; None is the bundled data)."""
    from playwright.sync_api import sync_playwright

    from causal_web.viz.timing import chromium_path, launch_chromium

    if chromium_path() is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")

    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for name, folder in webs.items():
                log(f"explorer: {name}")
                with served("real", data=folder, ready_path="/cmocs?limit=1") as base:
                    _open(browser, base + "/", timeout_s)  # warm-up: caches, fonts, first JIT
                    runs = [_open(browser, base + "/", timeout_s) for _ in range(repeats)]
                results[name] = {
                    "runs": runs,
                    "settled_s": median([r["settled_s"] for r in runs]),
                    "render_s": median([r["render_s"] for r in runs]),
                    "input_s": median([r["input_s"] for r in runs]),
                    "nodes": runs[0]["nodes"],
                    "edges": runs[0]["edges"],
                }
        finally:
            browser.close()
    return results
