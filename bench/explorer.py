"""Explorer render and settle time in headless Chromium, served by the real API.

The page code sets ``window.causalWeb.settledAt`` (``performance.now()``, so milliseconds from
navigation start) once the network has drawn with physics off and one more frame has passed,
that is when the page is drawn and its main thread is free. The benchmark opens the explorer
at ``/`` and reads that, then clicks the drawing and times the next frame, to check that the
page answers input. Each web is opened several times in fresh pages of one browser.

``explorer at 10k nodes`` (:func:`measure_10k`, target <= 3 s): a synthetic web of 50,000
CMOCs, which the generator gives 10,000 concepts, served by ``causal-web serve`` and opened at
``/``. Its figure is *interactive*: from navigation start until vis-network has handled a real
mouse click (Playwright's, through Chromium's input pipeline) sent as soon as the drawing had
settled, so it counts loading the page and the drawing's JSON, parsing, building the network,
the first frame, and the wait for a busy main thread. The server has built and cached the
drawing before the first page opens (a warm-up request; its time is reported as ``build_s``).

Run alone: ``python -m bench.explorer --cmocs 50000`` (prints JSON).
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import log, median
from bench.http import served

__all__ = ["EXPLORER_10K_CMOCS", "measure_10k", "measure_explorer", "suite_section"]

EXPLORER_10K_CMOCS = 50_000  # synthetic CMOCs for a web of 10,000 concepts (about n/5)


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


# A real click once the drawing has settled, answered when vis-network's click handler runs.
_ARM_CLICK = """() => { window.__cwClickedAt = null;
  window.causalWeb.network.once("click", () => { window.__cwClickedAt = performance.now(); }); }"""


def _open_interactive(browser: Any, url: str, timeout_s: float) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.causalWeb && causalWeb.settledAt !== null && causalWeb.kind === 'web'",
            timeout=timeout_s * 1000,
            polling="raf",
        )
        page.evaluate(_ARM_CLICK)
        box = page.locator("#cw-network canvas").bounding_box()
        page.mouse.click(box["x"] + 8, box["y"] + 8)  # a corner: empty canvas, nothing selected
        page.wait_for_function("() => window.__cwClickedAt !== null", timeout=timeout_s * 1000)
        found = page.evaluate(
            """() => ({settled: causalWeb.settledAt, render: causalWeb.renderMs,
                       clicked: window.__cwClickedAt,
                       nodes: causalWeb.data.nodes.length, edges: causalWeb.data.edges.length,
                       layout: causalWeb.data.layout, physics: causalWeb.data.options.physics.enabled,
                       labelled: (causalWeb.labelled || []).length})"""
        )
    finally:
        page.close()
    return {
        "interactive_s": found["clicked"] / 1000,
        "settled_s": found["settled"] / 1000,
        "render_s": found["render"] / 1000,
        "nodes": found["nodes"],
        "edges": found["edges"],
        "layout": found["layout"],
        "physics": bool(found["physics"]),
        "labelled": found["labelled"],
    }


def measure_10k(
    folder: Path, repeats: int, timeout_s: float = 60, build_timeout_s: float = 1800
) -> dict[str, Any]:
    """The explorer on ``folder`` (a web of about 10,000 concepts), from a warm server."""
    from playwright.sync_api import sync_playwright

    from causal_web.viz.timing import chromium_path, launch_chromium

    if chromium_path() is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    with served("real", data=folder, ready_path="/cmocs?limit=1", timeout=build_timeout_s) as base:
        log("explorer 10k: building the drawing on the server (warm-up)")
        started = time.perf_counter()
        with urllib.request.urlopen(base + "/viz/web", timeout=build_timeout_s) as response:
            payload = len(response.read())
        build_s = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                _open_interactive(browser, base + "/", timeout_s)  # warm-up: fonts, JIT, HTTP cache
                runs = [_open_interactive(browser, base + "/", timeout_s) for _ in range(repeats)]
            finally:
                browser.close()
    return {
        "runs": runs,
        "interactive_s": median([r["interactive_s"] for r in runs]),
        "settled_s": median([r["settled_s"] for r in runs]),
        "render_s": median([r["render_s"] for r in runs]),
        "nodes": runs[0]["nodes"],
        "edges": runs[0]["edges"],
        "layout": runs[0]["layout"],
        "physics": runs[0]["physics"],
        "payload_bytes": payload,
        "build_s": build_s,
    }


def suite_section(config: Any, figures: dict[str, Any]) -> None:
    """The suite's ``explorer`` section: the bundled web, the synthetic web of
    ``config.explorer_size`` CMOCs, and (target <= 3 s, not with ``--quick``) the explorer at
    10k nodes, as ``explorer.10k.*`` figures (``interactive_s`` is the one to check)."""
    from bench.common import synthetic_folder

    folder = synthetic_folder(config.cache, config.explorer_size, config.seed)
    results = measure_explorer({"bundled": None, "synthetic": folder}, config.explorer_repeats)
    for name, result in results.items():
        for key in ("settled_s", "render_s", "input_s", "nodes", "edges"):
            figures[f"explorer.{name}.{key}"] = result[key]
    figures["explorer.synthetic.cmocs"] = config.explorer_size
    if config.quick:  # loading 50,000 CMOCs alone would take --quick past its 3 minutes
        log("explorer at 10k nodes: skipped with --quick")
        return
    log(f"explorer at 10k nodes ({EXPLORER_10K_CMOCS:,} synthetic CMOCs)")
    big = measure_10k(
        synthetic_folder(config.cache, EXPLORER_10K_CMOCS, config.seed), config.explorer_repeats
    )
    for key in ("interactive_s", "settled_s", "render_s", "nodes", "edges", "payload_bytes", "build_s"):
        figures[f"explorer.10k.{key}"] = big[key]
    figures["explorer.10k.layout"] = big["layout"]
    figures["explorer.10k.cmocs"] = EXPLORER_10K_CMOCS


def main(argv: list[str] | None = None) -> None:
    import argparse
    import tempfile

    from bench.common import synthetic_folder

    parser = argparse.ArgumentParser(description="Time the explorer at 10k nodes in headless Chromium.")
    parser.add_argument(
        "--cmocs", type=int, default=EXPLORER_10K_CMOCS, help="synthetic CMOCs (about 1 concept per 5)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "causal-web-bench",
        help="where synthetic data folders are kept (default: %(default)s, as python -m bench)",
    )
    args = parser.parse_args(argv)
    print(
        json.dumps(measure_10k(synthetic_folder(args.cache, args.cmocs, args.seed), args.repeats), indent=1)
    )


if __name__ == "__main__":
    main()
