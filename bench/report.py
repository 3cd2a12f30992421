"""Figures to table rows with pass/fail targets, and the rows to markdown."""

from __future__ import annotations

import math
from typing import Any

from bench.common import Result, Target, fmt_bytes, fmt_ratio, fmt_seconds, geomean
from bench.scale_report import scale_rows

__all__ = ["build_rows", "failed_targets", "render_markdown"]

GIB = 1024**3

# Why a target can be missed and what would fix it: shown in the table's notes when it fails.
WHY = {
    "load": (
        "At 100k CMOCs about half the time is YAML parsing (PyYAML's C parser still makes a "
        "Python object per node), a third is loading ~3.9M quads into pyoxigraph's in-memory "
        "store, the rest is the N-Quads text and the networkx web. Fixes, largest first: build "
        "the store in a thread while the web is built (pyoxigraph releases the GIL while it "
        "loads), parse the record files in two processes, or cache the parsed dataset keyed by "
        "the files' hashes."
    ),
    "rss": (
        "The N-Quads text (~720 MB at 100k) stays cached on KnowledgeBase.nquads after the store "
        "is built, and is copied once more to bytes for the store. Dropping the cached text once "
        "the store holds it, or streaming it to the store graph by graph, saves ~1.4 GB at peak."
    ),
    "growth": (
        "The per-CMOC cost is about a fifth higher at 100k than at 10k (a 3 GiB heap: more cache "
        "misses, page faults, and pyoxigraph's in-memory indexes growing), and the 10k figure "
        "itself swings by ±10% between runs on a shared machine, which moves the ratio by more "
        "than a unit. Overlapping the store load with the web build (see the load row) cuts the "
        "100k time most; causal_web.model.loading.gc_paused already keeps the garbage collector out."
    ),
    "sparql": (
        "See the per-query table: a query whose ratio is low is usually one pyoxigraph plans "
        "badly (evidence-per-source evaluates its UNION once per source; putting the source "
        "pattern inside each UNION branch gives the same rows ~280x faster)."
    ),
    "chains": (
        "Chain search is a bounded depth-first search in Python; a slow p50 means the question "
        "mix reaches hub concepts with thousands of hops. Caching the sorted hop lists per "
        "concept (they are sorted on every expansion) would cut it."
    ),
    "http_p50": (
        "A repeated request is answered from the response cache (api/conventions.py); a miss costs "
        "the filter (concept postings), the per-record views (kept per dataset) and orjson. A slow "
        "p50 on a busy machine is the event loop waiting for a core; see the uncached row."
    ),
    "http_rps": (
        "A repeated /cmocs request is answered from the response cache, which costs less than the "
        "bare endpoint's routing; what is left is uvicorn and the outer middleware (security "
        "headers, CORS, HEAD). Without the cache (the uncached row), FastAPI resolving the "
        "CMOCQuery parameter model is about half of a request (it re-inspects every field's "
        "annotation per request); reading the query string in one pydantic validation of the "
        "model, with the OpenAPI parameters declared once, would halve a miss."
    ),
    "cli": (
        "Commands from other modules are registered lazily (causal_web/cli/main.py LazyGroup), so "
        "`stats` imports only the model, the loader and the evidence summary. What is left is "
        "causal_web's own imports (causal_web.model.records builds its slotted dataclasses and "
        "enums) and reading and checking the bundled data. A precompiled index of the bundled "
        "data (causal-web index) would skip the YAML."
    ),
    "explorer": (
        "vis-network lays out and draws every node and edge; at 2,000 nodes the edges dominate. "
        "Drawing aggregated edges only, precomputed positions with physics off, or hiding "
        "low-evidence edges until zoomed in would fix it."
    ),
}


def _f(figures: dict[str, Any], key: str) -> float | None:
    value = figures.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _spread(figures: dict[str, Any], key: str, fmt: Any = fmt_seconds) -> str:
    low, high = _f(figures, f"{key}#min"), _f(figures, f"{key}#max")
    if low is None or high is None:
        return ""
    return f" (runs: {fmt(low)}–{fmt(high)})"


def _size(n: int) -> str:
    return f"{n // 1000}k CMOCs" if n >= 1000 else f"{n} CMOCs"


def _load_rows(figures: dict[str, Any], quick: bool, sizes: list[int]) -> list[Result]:
    rows = []
    for size in sizes:
        total = _f(figures, f"load.{size}.total_s")
        if total is None:
            continue
        load, index = _f(figures, f"load.{size}.load_s"), _f(figures, f"load.{size}.index_s")
        rss = _f(figures, f"load.{size}.peak_rss")
        concepts = _f(figures, f"load.{size}.concepts") or 0
        quads = _f(figures, f"load.{size}.quads") or 0
        items, nestings = _f(figures, f"load.{size}.evidence_items"), _f(figures, f"load.{size}.nestings")
        extent = f"{items:,.0f} evidence items, {nestings:,.0f} nestings, " if items is not None else ""
        rows.append(
            Result(
                "1. Load",
                "load + validate + index",
                f"{_size(size)}, {concepts:,.0f} concepts",
                f"{fmt_seconds(total)} (load {fmt_seconds(load)} + index {fmt_seconds(index)}); "
                f"peak RSS {fmt_bytes(rss)}",
                note=f"{extent}{quads:,.0f} quads" + _spread(figures, f"load.{size}.total_s"),
            )
        )
    big, small = sizes[-1], sizes[-2] if len(sizes) > 1 else None
    total, rss = _f(figures, f"load.{big}.total_s"), _f(figures, f"load.{big}.peak_rss")
    at_100k = big >= 100_000
    if total is not None:
        rows.append(
            Result(
                "1. Load",
                "load + index time",
                _size(big),
                fmt_seconds(total),
                target=Target(
                    "load",
                    total,
                    "<=",
                    60.0,
                    fmt_seconds(total),
                    "≤ 60 s at 100k",
                    WHY["load"],
                    applies=at_100k,
                ),
            )
        )
    if rss is not None:
        rows.append(
            Result(
                "1. Load",
                "peak RSS",
                _size(big),
                fmt_bytes(rss),
                target=Target(
                    "rss", rss, "<=", 4 * GIB, fmt_bytes(rss), "≤ 4 GiB at 100k", WHY["rss"], applies=at_100k
                ),
            )
        )
    if small is not None and total is not None and _f(figures, f"load.{small}.total_s") is not None:
        growth = _ratio(total, _f(figures, f"load.{small}.total_s"))
        factor = big / small
        bound = 12.0 if (small, big) == (10_000, 100_000) else 1.2 * factor
        rows.append(
            Result(
                "1. Load",
                f"growth {_size(small)} → {_size(big)}",
                f"{factor:.0f}× the data",
                fmt_ratio(growth),
                target=Target(
                    "growth",
                    growth,
                    "<=",
                    bound,
                    fmt_ratio(growth),
                    f"≤ {bound:.0f}× (near-linear)",
                    WHY["growth"],
                    applies=(small, big) == (10_000, 100_000),
                ),
            )
        )
    return rows


def _sparql_rows(figures: dict[str, Any]) -> tuple[list[Result], list[list[str]]]:
    size = int(_f(figures, "sparql.size") or 0)
    names = sorted(
        {k.split(".")[2] for k in figures if k.startswith("sparql.q.") and k.endswith(".embedded")}
    )
    detail: list[list[str]] = []
    ratios: list[float] = []
    any_bound = False
    for name in names:
        ours = _f(figures, f"sparql.q.{name}.embedded")
        theirs = _f(figures, f"sparql.q.{name}.rdflib")
        bound = (_f(figures, f"sparql.q.{name}.timed_out") or 0) > 0.5
        ratio = _ratio(theirs, ours)
        if ratio is not None:
            ratios.append(ratio)
        any_bound |= bound
        rows = _f(figures, f"sparql.q.{name}.rows") or 0
        agree = _f(figures, f"sparql.q.{name}.rows_agree")
        check = "" if agree is None else (" ✓" if agree > 0.5 else " ✗ rows differ")
        detail.append(
            [
                f"`{name}`",
                f"{rows:,.0f}{check}",
                fmt_seconds(ours),
                ("> " if bound else "") + fmt_seconds(theirs),
                fmt_ratio(ratio, bound),
                "" if ratio is None or ratio >= 50 else "below 50×",
            ]
        )
    if not names:
        return [], detail
    mean = geomean(ratios)
    low = min(ratios) if ratios else None
    at_10k = size == 10_000
    row = Result(
        "2. SPARQL",
        f"{len(names)} named queries, geometric mean",
        _size(size),
        f"embedded store (pyoxigraph); slowest ratio {fmt_ratio(low)}",
        baseline=f"rdflib in-memory Dataset, parse {fmt_seconds(_f(figures, 'sparql.build.rdflib'))}",
        ratio=fmt_ratio(mean, any_bound),
        target=Target(
            "sparql",
            mean,
            ">=",
            50.0,
            fmt_ratio(mean, any_bound),
            "≥ 50× at 10k",
            WHY["sparql"],
            lower_bound=any_bound,
            applies=at_10k,
        ),
        note="per query below; '>' where rdflib ran out of its budget (ratio is then a lower bound)",
    )
    return [row], detail


def _chain_rows(figures: dict[str, Any], sizes: list[int]) -> list[Result]:
    rows = []
    for label, size in [("bundled", None), *((str(s), s) for s in sizes if s >= 5000)]:
        p50, p95 = _f(figures, f"chains.{label}.p50"), _f(figures, f"chains.{label}.p95")
        if p50 is None:
            continue
        mean = _f(figures, f"chains.{label}.mean_chains") or 0
        signed = _f(figures, f"chains.{label}.signed_share")
        weakest = _f(figures, f"chains.{label}.mean_weakest_bases")
        nested = _f(figures, f"chains.{label}.nested_join_share")
        quality = ""
        if signed is not None and weakest is not None and nested is not None:
            quality = (
                f"; {signed:.0%} with a signed valence, {weakest:.1f} evidence bases on the weakest hop, "
                f"{nested:.0%} of joins on a recorded nesting"
            )
        target = None
        if label == "bundled":
            target = Target("chains", p50, "<=", 0.005, fmt_seconds(p50), "p50 ≤ 5 ms", WHY["chains"])
        rows.append(
            Result(
                "3. Chains",
                "trace_chains p50 / p95 (in-process)",
                "bundled data" if size is None else _size(size),
                f"{fmt_seconds(p50)} / {fmt_seconds(p95)}",
                target=target,
                note=f"24 questions, 4 hops, 20 chains; {mean:.1f} chains found on average{quality}",
            )
        )
    return rows


def _http_rows(figures: dict[str, Any]) -> list[Result]:
    bare = _f(figures, "http.bare.throughput.rps")
    if bare is None:
        return []
    rows = [
        Result(
            "4. HTTP",
            "bare FastAPI endpoint, async def (ceiling)",
            "GET /constant",
            f"{bare:,.0f} req/s; p50 {fmt_seconds(_f(figures, 'http.bare.latency.p50'))}, "
            f"p99 {fmt_seconds(_f(figures, 'http.bare.latency.p99'))}",
            note="uvicorn, 1 worker, 127.0.0.1, access log off; 8 keep-alive connections",
        )
    ]
    bare_sync = _f(figures, "http.bare_sync.throughput.rps")
    if bare_sync is not None:
        rows.append(
            Result(
                "4. HTTP",
                "bare FastAPI endpoint, plain def",
                "GET /constant-sync",
                f"{bare_sync:,.0f} req/s; p50 {fmt_seconds(_f(figures, 'http.bare_sync.latency.p50'))}, "
                f"p99 {fmt_seconds(_f(figures, 'http.bare_sync.latency.p99'))}",
                baseline=f"{bare:,.0f} req/s (ceiling)",
                ratio=f"{bare_sync / bare:.0%}",
                note="what a plain def costs: FastAPI runs it in its thread pool",
            )
        )
    for name, path in (
        ("cmocs", "GET /cmocs?mechanism=trust"),
        ("cmocs_uncached", "GET /cmocs?mechanism=trust, response cache off"),
        ("chains", "GET " + figures.get("http.chains_path", "/chains")),
    ):
        rps = _f(figures, f"http.{name}.throughput.rps")
        p50 = _f(figures, f"http.{name}.latency.p50")
        p99 = _f(figures, f"http.{name}.latency.p99")
        if rps is None:
            continue
        share = _ratio(rps, bare)
        errors = (_f(figures, f"http.{name}.throughput.errors") or 0) + (
            _f(figures, f"http.{name}.latency.errors") or 0
        )
        note = "bundled data" + (f"; {errors:.0f} non-200 responses" if errors else "")
        rows.append(
            Result(
                "4. HTTP",
                f"{name.replace('_uncached', ', uncached')} throughput",
                path,
                f"{rps:,.0f} req/s",
                baseline=f"{bare:,.0f} req/s (bare)",
                ratio=f"{share:.0%}" if share is not None else "–",
                target=Target(
                    "http_rps",
                    share,
                    ">=",
                    0.7,
                    f"{share:.0%}" if share is not None else "–",
                    "≥ 70% of bare",
                    WHY["http_rps"],
                    applies=name == "cmocs",
                ),
                note=note,
            )
        )
        rows.append(
            Result(
                "4. HTTP",
                f"{name.replace('_uncached', ', uncached')} latency p50 / p99",
                path,
                f"{fmt_seconds(p50)} / {fmt_seconds(p99)}",
                baseline=f"{fmt_seconds(_f(figures, 'http.bare.latency.p50'))} (bare p50)",
                target=Target(
                    "http_p50",
                    p50,
                    "<=",
                    0.005,
                    fmt_seconds(p50),
                    "p50 ≤ 5 ms",
                    WHY["http_p50"],
                    applies=name == "cmocs",
                ),
                note="one connection, one request at a time",
            )
        )
    return rows


def _cli_rows(figures: dict[str, Any]) -> list[Result]:
    stats, deps = _f(figures, "cli.stats_s"), _f(figures, "cli.deps_s")
    if stats is None:
        return []
    ratio = _ratio(stats, deps)
    return [
        Result(
            "5. CLI",
            "cold start",
            f"`{figures.get('cli.command', 'causal-web stats')}`",
            fmt_seconds(stats),
            baseline=f"{fmt_seconds(deps)} importing its {figures.get('cli.modules', 0):.0f} "
            "dependency modules",
            ratio=fmt_ratio(ratio),
            target=Target("cli", ratio, "<=", 1.5, fmt_ratio(ratio), "≤ 1.5×", WHY["cli"]),
            note=f"third-party: {figures.get('cli.third_party', '')}; both include interpreter start-up",
        )
    ]


def _explorer_rows(figures: dict[str, Any]) -> list[Result]:
    rows = []
    for name in ("bundled", "synthetic"):
        settled = _f(figures, f"explorer.{name}.settled_s")
        if settled is None:
            continue
        nodes = _f(figures, f"explorer.{name}.nodes") or 0
        edges = _f(figures, f"explorer.{name}.edges") or 0
        render = _f(figures, f"explorer.{name}.render_s")
        big = nodes >= 2000
        size = (
            "bundled web"
            if name == "bundled"
            else f"synthetic, {_f(figures, 'explorer.synthetic.cmocs') or 0:,.0f} CMOCs"
        )
        rows.append(
            Result(
                "6. Explorer",
                "settled and interactive (from navigation)",
                f"{size}: {nodes:,.0f} nodes, {edges:,.0f} edges",
                f"{fmt_seconds(settled)} (drawing {fmt_seconds(render)})",
                target=Target(
                    "explorer",
                    settled,
                    "<=",
                    3.0,
                    fmt_seconds(settled),
                    "≤ 3 s at 2,000 nodes",
                    WHY["explorer"],
                    applies=big and name == "synthetic",
                ),
                note=f"click to next frame {fmt_seconds(_f(figures, f'explorer.{name}.input_s'))}; "
                "headless Chromium",
            )
        )
    return rows


def build_rows(figures: dict[str, Any], sizes: list[int]) -> tuple[list[Result], list[list[str]]]:
    quick = max(sizes) < 100_000
    rows = _load_rows(figures, quick, sizes)
    sparql, detail = _sparql_rows(figures)
    rows += (
        sparql
        + _chain_rows(figures, sizes)
        + _http_rows(figures)
        + _cli_rows(figures)
        + _explorer_rows(figures)
        + scale_rows(figures, quick)
    )
    return rows, detail


def failed_targets(rows: list[Result]) -> list[Target]:
    return [r.target for r in rows if r.target is not None and r.target.passed is False]


def _table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return "\n".join(lines)


def render_markdown(rows: list[Result], detail: list[list[str]], errors: dict[str, str]) -> str:
    body = []
    for row in rows:
        target = row.target
        body.append(
            [
                row.section,
                row.name,
                row.size,
                row.value,
                row.baseline,
                row.ratio,
                target.rule if target else "",
                f"**{target.status}**"
                if target and target.status == "FAIL"
                else (target.status if target else ""),
                row.note,
            ]
        )
    parts = [
        _table(
            [
                "Section",
                "Measurement",
                "Size",
                "Result",
                "Baseline (same run)",
                "Ratio",
                "Target",
                "Status",
                "Notes",
            ],
            body,
        )
    ]
    if detail:
        parts.append("\nSPARQL, query by query (medians; rows checked against rdflib where it finished):\n")
        parts.append(_table(["Query", "Rows", "pyoxigraph", "rdflib", "Ratio", ""], detail))
    missed = [r for r in rows if r.target is not None and r.target.passed is False]
    if missed or errors:
        parts.append("\n### Missed targets and failed measurements\n")
        for row in missed:
            target = row.target
            assert target is not None
            parts.append(
                f"- **{row.section}, {row.name} ({row.size})**: {target.shown} against {target.rule}. "
                f"{target.why_missed}"
            )
        for section, error in errors.items():
            parts.append(f"- **{section}** could not be measured: {error}")
    return "\n".join(parts) + "\n"
