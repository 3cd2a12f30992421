"""One pass over every measurement, as a flat dict of figures; several passes, as medians."""

from __future__ import annotations

import math
import statistics
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import import_sheet, scale
from bench.common import log, median, run_child, synthetic_folder

__all__ = ["Config", "aggregate", "run_suite"]

SECTIONS = (
    "load",
    "sparql",
    "chains",
    "http",
    "cli",
    "explorer",
    "import",
    "index",
    "workers",
    "oxigraph",
    "explorer10k",
)
# What bench.chains.time_chains reports and the table shows: speed, then what the chains say.
CHAIN_FIGURES = (
    "p50",
    "p95",
    "mean_chains",
    "truncated_share",
    "signed_share",
    "mean_weakest_bases",
    "nested_join_share",
)


@dataclass(slots=True)
class Config:
    """What one run measures, and how hard."""

    quick: bool
    sizes: list[int]
    sparql_size: int
    explorer_size: int
    seed: int
    cache: Path
    sections: tuple[str, ...] = SECTIONS
    load_repeats: dict[int, int] = field(default_factory=dict)
    sparql_repeats: int = 5
    rdflib_budget: float = 20.0
    rdflib_repeats: int = 3
    chain_repeats: int = 20
    synthetic_chain_repeats: int = 3
    cli_runs: int = 7
    explorer_repeats: int = 3
    load_timeout: float = 900.0
    index_sizes: list[int] = field(default_factory=lambda: [100_000, 1_000_000])
    files_max: int = 100_000  # start-up from the YAML files is measured up to this size
    index_timeout: float = 7200.0  # a 1M build took 42 min on a quiet 2-core machine, over 60 on a busy one
    oxigraph_size: int = 100_000
    oxigraph_budget: float = 60.0  # seconds per named query on each server

    @classmethod
    def make(cls, quick: bool, seed: int, cache: Path, sections: tuple[str, ...] | None) -> Config:
        if quick:
            return cls(
                quick=True,
                sizes=[1000, 5000],
                sparql_size=1000,
                explorer_size=5000,
                seed=seed,
                cache=cache,
                sections=sections or SECTIONS,
                load_repeats={1000: 1, 5000: 1},
                sparql_repeats=3,
                rdflib_budget=5.0,
                rdflib_repeats=2,
                chain_repeats=5,
                synthetic_chain_repeats=1,
                cli_runs=3,
                explorer_repeats=1,
                load_timeout=300.0,
                index_sizes=[1000],
                files_max=0,  # start-up from files is section 1's load, at these sizes
                index_timeout=300.0,
                oxigraph_size=1000,
                oxigraph_budget=30.0,
            )
        return cls(
            quick=False,
            sizes=[1000, 10000, 100000],
            sparql_size=10000,
            explorer_size=10000,
            seed=seed,
            cache=cache,
            sections=sections or SECTIONS,
            load_repeats={1000: 3, 10000: 5, 100000: 1},
        )


def _load(config: Config, figures: dict[str, Any]) -> None:
    for size in config.sizes:
        folder = synthetic_folder(config.cache, size, config.seed)
        runs = []
        for attempt in range(config.load_repeats.get(size, 1)):
            log(f"load + index {size:,} CMOCs in a fresh process ({attempt + 1})")
            chains = config.synthetic_chain_repeats if attempt == 0 else 0
            args = ["-m", "bench.load", str(folder)] + (["--chains", str(chains)] if chains else [])
            runs.append(run_child(args, timeout=config.load_timeout))
        prefix = f"load.{size}"
        for key in ("load_s", "index_s", "total_s"):
            figures[f"{prefix}.{key}"] = median([r[key] for r in runs])
        figures[f"{prefix}.peak_rss"] = max(r["peak_rss"] for r in runs)
        for key in ("cmocs", "concepts", "sources", "quads", "bases", "nestings", "evidence_items"):
            figures[f"{prefix}.{key}"] = runs[0][key]
        chains = runs[0].get("chains")
        if chains:
            for key in CHAIN_FIGURES:
                figures[f"chains.{size}.{key}"] = chains[key]


def _sparql(config: Config, figures: dict[str, Any]) -> None:
    folder = synthetic_folder(config.cache, config.sparql_size, config.seed)
    log(f"SPARQL on the embedded store, {config.sparql_size:,} CMOCs")
    embedded = run_child(
        ["-m", "bench.sparql", "embedded", str(folder), "--repeats", str(config.sparql_repeats)], timeout=1800
    )
    log(f"SPARQL on rdflib, same data, {config.rdflib_budget:.0f} s budget per query")
    queries = len(embedded["queries"])
    baseline = run_child(
        [
            "-m",
            "bench.sparql",
            "rdflib",
            str(folder),
            "--repeats",
            str(config.rdflib_repeats),
            "--budget",
            str(config.rdflib_budget),
        ],
        timeout=600 + queries * config.rdflib_budget * (config.rdflib_repeats + 1),
    )
    figures["sparql.size"] = config.sparql_size
    figures["sparql.quads.embedded"] = embedded["quads"]
    figures["sparql.quads.rdflib"] = baseline["quads"]
    figures["sparql.build.rdflib"] = baseline["build_s"]
    figures["sparql.build.embedded"] = embedded["build_s"]
    for name, ours in embedded["queries"].items():
        theirs = baseline["queries"].get(name, {})
        figures[f"sparql.q.{name}.embedded"] = median(ours["times"])
        figures[f"sparql.q.{name}.rows"] = ours["rows"]
        if theirs.get("timed_out") or not theirs.get("times"):
            figures[f"sparql.q.{name}.rdflib"] = theirs.get("budget", config.rdflib_budget)
            figures[f"sparql.q.{name}.timed_out"] = 1.0
        else:
            figures[f"sparql.q.{name}.rdflib"] = median(theirs["times"])
            figures[f"sparql.q.{name}.timed_out"] = 0.0
            figures[f"sparql.q.{name}.rows_agree"] = float(theirs.get("rows") == ours["rows"])


def _chains(config: Config, figures: dict[str, Any]) -> None:
    import causal_web
    from bench.chains import time_chains

    log("chain tracing on the bundled data, in-process")
    timing = time_chains(causal_web.load().web, repeats=config.chain_repeats)
    for key in CHAIN_FIGURES:
        figures[f"chains.bundled.{key}"] = timing[key]


def _http(config: Config, figures: dict[str, Any]) -> None:
    import causal_web
    from bench.chains import chain_queries
    from bench.http import measure_http

    query = chain_queries(causal_web.load().web, 1)[0]
    path = f"/chains?from={query['start']}&to={query['end']}"
    results = measure_http(path, config.quick)
    figures["http.chains_path"] = path
    for name, result in results.items():
        for mode in ("latency", "throughput"):
            for key in ("rps", "p50", "p99", "errors", "requests"):
                figures[f"http.{name}.{mode}.{key}"] = result[mode][key]


def _cli(config: Config, figures: dict[str, Any]) -> None:
    from bench.cli_start import measure_cli

    log("CLI cold start")
    result = measure_cli(config.cli_runs)
    figures["cli.stats_s"] = result["stats_s"]
    figures["cli.deps_s"] = result["deps_s"]
    figures["cli.modules"] = result["modules"]
    figures["cli.third_party"] = ", ".join(result["third_party"])
    figures["cli.command"] = result["command"]


def _explorer(config: Config, figures: dict[str, Any]) -> None:
    from bench.explorer import measure_explorer

    folder = synthetic_folder(config.cache, config.explorer_size, config.seed)
    webs = {"bundled": None, "synthetic": folder}
    results = measure_explorer(webs, config.explorer_repeats)
    for name, result in results.items():
        for key in ("settled_s", "render_s", "input_s", "nodes", "edges"):
            figures[f"explorer.{name}.{key}"] = result[key]
    figures["explorer.synthetic.cmocs"] = config.explorer_size


_MEASURE = {
    "load": _load,
    "sparql": _sparql,
    "chains": _chains,
    "http": _http,
    "cli": _cli,
    "explorer": _explorer,
    "import": import_sheet.suite_section,  # a synthetic 10,000-row sheet through causal-web import
    "index": scale.scale_section,  # causal-web index, and start-up from it against from files
    "workers": scale.workers_section,  # serve --workers 1 and 2
    "oxigraph": scale.oxigraph_section,  # named queries against a standalone Oxigraph server
    "explorer10k": scale.explorer_section,  # the explorer at 10,000 nodes
}


def run_suite(config: Config) -> dict[str, Any]:
    """Every selected measurement once; a measurement that fails is reported, not fatal."""
    figures: dict[str, Any] = {}
    errors: dict[str, str] = {}
    started = time.perf_counter()
    scale.forget_indexes()  # each run builds and times its own indexes
    for section in config.sections:
        try:
            _MEASURE[section](config, figures)
        except Exception as error:  # report it in the table and carry on with the rest
            log(f"{section} failed: {error}")
            log(traceback.format_exc(limit=3))
            errors[section] = f"{type(error).__name__}: {str(error).strip().splitlines()[-1][:300]}"
    figures["run.seconds"] = time.perf_counter() - started
    figures["errors"] = errors
    return figures


def aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs (text figures: the last run's)."""
    keys = list(dict.fromkeys(k for run in runs for k in run))
    result: dict[str, Any] = {"runs": len(runs)}
    for key in keys:
        values = [run[key] for run in runs if key in run]
        if key == "errors":
            merged: dict[str, str] = {}
            for value in values:
                merged.update(value)
            result[key] = merged
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            numbers = [float(v) for v in values if math.isfinite(float(v))]
            result[key] = statistics.median(numbers) if numbers else math.nan
            if len(numbers) > 1:
                result[f"{key}#min"] = min(numbers)
                result[f"{key}#max"] = max(numbers)
        else:
            result[key] = values[-1]
    result["run.seconds.total"] = sum(run.get("run.seconds", 0) for run in runs)
    return result
