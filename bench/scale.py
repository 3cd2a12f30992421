"""Scale and scale-out (issue 14): the on-disk index, start-up, workers, a standalone Oxigraph.

Every server and build runs as a child process of the benchmark, started and stopped by it:

* ``index``: ``causal-web index --data FOLDER -o DIR`` per size: wall time and peak RSS (from
  ``/usr/bin/time -v``, else by polling the process tree with psutil); then the time from
  spawning ``causal-web serve --index DIR`` to its first ``/health`` 200 and the memory the
  service holds once ready (PSS summed over the server and its SPARQL workers), against the
  same for ``serve --data FOLDER`` (skipped above ``files_max`` CMOCs, where it would not fit);
  with the index server up, ``/cmocs?mechanism=trust`` latency with the response cache off.
* ``workers``: ``serve --index`` of the bundled data with ``--workers 1`` and ``2``: requests
  per second on ``/cmocs`` and ``/chains`` from 8 keep-alive connections, response cache off
  (``CAUSAL_WEB_RESPONSE_CACHE_MB=0``), so that each answer is computed (--quick: /chains only).
* ``oxigraph``: the named queries (with --quick, the first three) over HTTP on our ``/sparql``
  (``serve --index``) against ``oxigraph serve-read-only`` on a store loaded by ``oxigraph
  load`` with the same quads (dumped from our index's store), union default graph, same text.

A section whose prerequisite is missing (``causal-web index``, the ``oxigraph`` program) is
skipped with a line saying why; its figures are then absent and its targets not checked.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import REPO, log, median, run_child, stop_process, synthetic_folder
from bench.http import run_client

__all__ = [
    "forget_indexes",
    "index_available",
    "oxigraph_program",
    "oxigraph_section",
    "scale_section",
    "workers_section",
]

NO_CACHE = {"CAUSAL_WEB_RESPONSE_CACHE_MB": "0"}
_BUILT: dict[str, tuple[Path, dict[str, Any]]] = {}  # data folder: its index in this run, and the build
_SCRATCH: list[tempfile.TemporaryDirectory] = []


def _index_of(folder: Path | None, timeout: float) -> tuple[Path, dict[str, Any]]:
    """An index of ``folder`` (None: the bundled data) built in this run: once, then reused by
    the other sections. Removed when the benchmark exits."""
    key = str(folder)
    if key not in _BUILT:
        if not _SCRATCH:
            _SCRATCH.append(tempfile.TemporaryDirectory(prefix="cw-bench-index-"))
            atexit.register(_SCRATCH[0].cleanup)
        out = Path(_SCRATCH[0].name) / f"index-{len(_BUILT)}"
        data = ["--data", str(folder)] if folder is not None else []
        built = _timed_child(_cw("index", *data, "-o", str(out)), timeout)
        built["bytes"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        _BUILT[key] = (out, built)
    return _BUILT[key]


def forget_indexes() -> None:
    """Start a new run: the next section that needs an index builds (and times) its own, and the
    indexes of the run before are removed from disk."""
    for out, _built in _BUILT.values():
        shutil.rmtree(out, ignore_errors=True)
    _BUILT.clear()


def _cw(*args: str) -> list[str]:
    return [sys.executable, "-m", "causal_web", *args]


def index_available() -> str | None:
    """None when this checkout has ``causal-web index`` and ``serve --index``; else why not."""
    try:
        import causal_web.index  # noqa: F401
    except ImportError:
        return "causal-web index is not on this branch (no causal_web.index)"
    return None


def oxigraph_program() -> str | None:
    """The ``oxigraph`` server program (the PyPI package's), beside this interpreter or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree_memory(pid: int) -> float:
    """PSS (else RSS) of a process and all its descendants, in bytes."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            info = proc.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return total


def _timed_child(command: list[str], timeout: float, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command`` to the end: wall seconds and peak RSS (of its largest process)."""
    time_v = Path("/usr/bin/time")
    wrapped = [str(time_v), "-v", *command] if time_v.exists() else command
    started = time.perf_counter()
    process = subprocess.Popen(
        wrapped,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    peak = 0.0
    if not time_v.exists():  # poll the tree instead
        while process.poll() is None and time.perf_counter() - started < timeout:
            peak = max(peak, _tree_memory(process.pid))
            time.sleep(0.2)
    try:
        _out, err = process.communicate(timeout=max(1.0, timeout - (time.perf_counter() - started)))
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise TimeoutError(f"{' '.join(command[:4])} did not finish within {timeout:.0f} s") from None
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed: {err.strip()[-800:]}")
    for line in err.splitlines():
        if "Maximum resident set size" in line:
            peak = float(line.rsplit(":", 1)[1]) * 1024
    return {"seconds": seconds, "peak_rss": peak}


def _get(url: str, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case: uvicorn sends them so) and body of a GET."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@contextmanager
def _server(
    args: list[str], port: int, timeout: float, workers: int = 1, env: dict | None = None
) -> Iterator[dict]:
    """Start ``causal-web serve ...``; yield its URL, ready time and memory; stop it after."""
    started = time.perf_counter()
    process = subprocess.Popen(
        _cw("serve", "--port", str(port), *args),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        ready = None
        pids: set[str] = set()
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {process.stderr.read().decode()[-1500:]}")
            try:
                status, headers, _body = _get(base + "/health", timeout=2)
                if status == 200:
                    ready = ready or time.perf_counter() - started
                    pids.add(headers.get("x-worker-pid", ""))
                    # every worker seen, or 10 s more for them (a busy one may not get a turn)
                    if len(pids) >= workers or time.perf_counter() - started > ready + 10:
                        break
                    continue
            except OSError:
                pass
            time.sleep(0.05)
        if ready is None:
            raise TimeoutError(f"serve {' '.join(args[:2])} did not answer /health within {timeout:.0f} s")
        time.sleep(0.5)  # let the SPARQL workers settle before reading memory
        yield {"base": base, "ready_s": ready, "memory": _tree_memory(process.pid), "workers_seen": len(pids)}
    finally:
        stop_process(process)


def scale_section(config: Any, figures: dict[str, Any]) -> None:
    """Index build, start-up from the index against from files, per size in ``config.index_sizes``."""
    missing = index_available()
    if missing:
        log(f"index: skipped: {missing}")
        figures["index.skipped"] = missing
        return
    figures["index.sizes"] = list(config.index_sizes)
    for size in config.index_sizes:
        folder = synthetic_folder(config.cache, size, config.seed)
        log(f"index: causal-web index of {size:,} CMOCs")
        index_dir, built = _index_of(folder, config.index_timeout)
        figures[f"index.{size}.build_s"] = built["seconds"]
        figures[f"index.{size}.peak_rss"] = built["peak_rss"]
        figures[f"index.{size}.bytes"] = built["bytes"]
        log(f"index: serve --index at {size:,} CMOCs, time to the first /health 200")
        with _server(["--index", str(index_dir)], _free_port(), config.index_timeout, env=NO_CACHE) as up:
            figures[f"startup.{size}.index_s"] = up["ready_s"]
            figures[f"startup.{size}.index_memory"] = up["memory"]
            latency = run_client(up["base"] + "/cmocs?mechanism=trust", 1, 1.0 if config.quick else 3.0, 200)
            figures[f"startup.{size}.cmocs_p50"] = latency["p50"]
        log(f"index: trace_chains over the index of {size:,} CMOCs, in a fresh process")
        chains = run_child(
            ["-m", "bench.index_chains", str(index_dir), "--repeats", "1" if config.quick else "3"],
            timeout=config.index_timeout,
        )
        for key in ("p50", "p95", "max", "calls", "truncated_share", "budget_share", "time_budget"):
            figures[f"chains_index.{size}.{key}"] = chains[key]
        if size <= config.files_max:
            log(f"index: serve --data at {size:,} CMOCs (from the YAML files), time to the first /health 200")
            with _server(["--data", str(folder)], _free_port(), config.index_timeout, env=NO_CACHE) as up:
                figures[f"startup.{size}.files_s"] = up["ready_s"]
                figures[f"startup.{size}.files_memory"] = up["memory"]


def workers_section(config: Any, figures: dict[str, Any]) -> None:
    """Throughput of one and two ``serve --workers`` processes over one index, cache off."""
    missing = index_available()
    if missing:
        log(f"workers: skipped: {missing}")
        figures["workers.skipped"] = missing
        return
    import causal_web
    from bench.chains import chain_queries

    query = chain_queries(causal_web.load().web, 1)[0]
    paths = {"cmocs": "/cmocs?mechanism=trust", "chains": f"/chains?from={query['start']}&to={query['end']}"}
    if config.quick:  # the target's path only
        del paths["cmocs"]
    duration = 1.0 if config.quick else 5.0
    index_dir, _built = _index_of(None, 600)
    for workers in (1, 2):
        log(f"workers: serve --index --workers {workers}, bundled data, response cache off")
        args = ["--index", str(index_dir), "--workers", str(workers)]
        with _server(args, _free_port(), 120, workers=workers, env=NO_CACHE) as up:
            figures[f"workers.{workers}.seen"] = up["workers_seen"]
            figures[f"workers.{workers}.memory"] = up["memory"]
            for name, path in paths.items():
                result = run_client(up["base"] + path, 8, duration, 10**7)
                figures[f"workers.{workers}.{name}.rps"] = result["rps"]
                figures[f"workers.{workers}.{name}.errors"] = result["errors"]
    figures["workers.chains_path"] = paths["chains"]


def explorer_section(config: Any, figures: dict[str, Any]) -> None:
    """The explorer at 10,000 nodes, by bench.explorer's own measure where it has one."""
    from bench import explorer

    measure = getattr(explorer, "measure_explorer_10k", None)
    if measure is not None:
        result = measure(config.explorer_repeats)
    elif config.quick:
        log("explorer10k: skipped in --quick (a 10,000-node web needs a 50,000-CMOC folder)")
        figures["explorer10k.skipped"] = "not measured in --quick (needs a 50,000-CMOC folder)"
        return
    else:  # 10,000 concepts: a synthetic web of 50,000 CMOCs (one concept per five CMOCs)
        folder = synthetic_folder(config.cache, 50_000, config.seed)
        result = explorer.measure_explorer({"web": folder}, config.explorer_repeats, timeout_s=180)["web"]
    for key in ("settled_s", "render_s", "input_s", "nodes", "edges"):
        if key in result:
            figures[f"explorer10k.{key}"] = result[key]


def _named_queries() -> dict[str, str]:
    from causal_web.rdf.named_queries import named_queries

    return {name: query.text for name, query in named_queries().items()}


def _time_query(url: str, repeats: int, budget: float) -> tuple[float | None, int]:
    """Median seconds of a SPARQL GET after one warm-up, and the size of its answer.

    The warm-up gets ``budget`` seconds (both servers are also started with it as their own
    limit): a query that runs out, in the warm-up or a repeat, returns ``(None, 0)``. A slow
    query is repeated fewer times, so that its repeats take about half a budget more.
    """
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})

    def once() -> tuple[float, int]:
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=budget + 30) as response:
            size = len(json.loads(response.read())["results"]["bindings"])
        return time.perf_counter() - began, size

    try:
        warm, size = once()
        if warm > budget:
            return None, 0
        times = [once()[0] for _ in range(max(1, min(repeats, int(budget / 2 / max(warm, 1e-3)))))]
    except (OSError, ValueError, http.client.HTTPException):
        # a time-out answer (HTTP 5xx), a dropped connection, or an answer cut off when a server
        # stopped a streamed result at its time limit: a query that does not finish within the
        # budget every time counts as over it
        return None, 0
    return median(times), size


@contextmanager
def _oxigraph_server(program: str, location: Path, budget: float) -> Iterator[int]:
    """``oxigraph serve-read-only`` on a free loopback port, union default graph, with a time-out."""
    port = _free_port()
    command = [program, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    command += ["--union-default-graph", "--timeout-s", f"{budget:g}"]
    other = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/query?query=" + urllib.parse.quote("ASK {}"))
                break
            except OSError:
                if time.monotonic() > deadline or other.poll() is not None:
                    raise RuntimeError("the Oxigraph server did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        stop_process(other)


def oxigraph_section(config: Any, figures: dict[str, Any]) -> None:
    """Named queries on our /sparql against a standalone Oxigraph server, same quads."""
    program = oxigraph_program()
    missing = index_available() or (
        None if program else "the oxigraph program is not installed (pip install oxigraph)"
    )
    if missing:
        log(f"oxigraph: skipped: {missing}")
        figures["oxigraph.skipped"] = missing
        return
    size = config.oxigraph_size
    folder = synthetic_folder(config.cache, size, config.seed)
    with tempfile.TemporaryDirectory(prefix="cw-bench-oxigraph-") as scratch:
        theirs, dump = Path(scratch) / "oxigraph", Path(scratch) / "all.nq"
        log(
            f"oxigraph: index {size:,} CMOCs (or reuse this run's), dump its store into a standalone Oxigraph"
        )
        index_dir, _built = _index_of(folder, config.index_timeout)
        subprocess.run(
            [program, "dump", "--location", str(index_dir / "store"), "--file", str(dump)],
            check=True,
            capture_output=True,
            timeout=config.index_timeout,
        )
        loaded = _timed_child(
            [program, "load", "--location", str(theirs), "--file", str(dump)], config.index_timeout
        )
        figures["oxigraph.load_s"] = loaded["seconds"]
        env = {
            **NO_CACHE,
            "CAUSAL_WEB_SPARQL_MAX_ROWS": "100000000",
            "CAUSAL_WEB_SPARQL_TIMEOUT": f"{config.oxigraph_budget:g}",
        }
        with _server(["--index", str(index_dir)], _free_port(), config.index_timeout, env=env) as up:
            repeats = 1 if config.quick else config.sparql_repeats
            queries = list(_named_queries().items())
            for name, text in queries[:3] if config.quick else queries:
                encoded = urllib.parse.quote(text)
                log(f"oxigraph: {name}")
                ours, rows = _time_query(
                    f"{up['base']}/sparql?query={encoded}", repeats, config.oxigraph_budget
                )
                # a fresh server for each query, so that one left running past its time-out does
                # not take the CPU from the next (the warm-up run warms its caches)
                with _oxigraph_server(program, theirs, config.oxigraph_budget) as port:
                    them, their_rows = _time_query(
                        f"http://127.0.0.1:{port}/query?query={encoded}", repeats, config.oxigraph_budget
                    )
                # a query over the budget is recorded at the budget, flagged: its ratio is a bound
                figures[f"oxigraph.q.{name}.ours"] = config.oxigraph_budget if ours is None else ours
                figures[f"oxigraph.q.{name}.theirs"] = config.oxigraph_budget if them is None else them
                figures[f"oxigraph.q.{name}.ours_timed_out"] = float(ours is None)
                figures[f"oxigraph.q.{name}.theirs_timed_out"] = float(them is None)
                if ours is not None and them is not None:
                    figures[f"oxigraph.q.{name}.rows_agree"] = float(rows == their_rows)
            figures["oxigraph.budget_s"] = config.oxigraph_budget
    figures["oxigraph.size"] = size
