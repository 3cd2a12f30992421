"""Shared pieces: timing statistics, results and targets, child processes, synthetic folders."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from causal_web.atomic import write_file_atomic

__all__ = [
    "REPO",
    "Result",
    "Target",
    "fmt_bytes",
    "fmt_ratio",
    "fmt_seconds",
    "geomean",
    "log",
    "machine_info",
    "percentile",
    "run_child",
    "synthetic_folder",
]

REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def geomean(values: Iterable[float]) -> float:
    values = [v for v in values if v > 0 and math.isfinite(v)]
    if not values:
        return math.nan
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_seconds(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def fmt_bytes(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 1024**3:
        return f"{value / 1024**3:.2f} GiB"
    return f"{value / 1024**2:.0f} MiB"


def fmt_ratio(value: float | None, lower_bound: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:,.0f}×" if value >= 100 else f"{value:.1f}×" if value >= 10 else f"{value:.2f}×"
    return f"> {text}" if lower_bound else text


@dataclass(slots=True)
class Target:
    """A pass/fail rule: ``value`` compared with ``bound`` (``op`` is '<=' or '>=')."""

    name: str
    value: float | None
    op: str
    bound: float
    shown: str  # the value as the table shows it
    rule: str  # the target as the table states it
    why_missed: str = ""  # why it can miss and what would fix it (shown when it fails)
    lower_bound: bool = False  # ``value`` is a lower bound (a baseline timed out)
    applies: bool = True  # False: reported for information (e.g. --quick sizes)

    @property
    def passed(self) -> bool | None:
        if not self.applies:
            return None
        if self.value is None or not math.isfinite(self.value):
            return False
        if self.op == "<=":
            return self.value <= self.bound
        # a lower bound that already clears the target passes; one that does not is unproven
        return self.value >= self.bound

    @property
    def status(self) -> str:
        passed = self.passed
        if passed is None:
            return "info"
        return "pass" if passed else "FAIL"


@dataclass(slots=True)
class Result:
    """One row of the table."""

    section: str
    name: str
    size: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: Target | None = None
    note: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


def stop_process(process: subprocess.Popen, grace: float = 20) -> None:
    """Ask a server started here to stop; kill it if it has not stopped within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_child(
    args: Sequence[str], timeout: float, env: dict[str, str] | None = None, cwd: Path | None = None
) -> dict[str, Any]:
    """Run ``python -m <args>`` and return the JSON it prints last on stdout.

    Raises ``TimeoutError`` or ``RuntimeError`` (with the child's stderr) when it fails.
    """
    command = [sys.executable, *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=cwd or REPO,
        )
    except subprocess.TimeoutExpired as error:
        raise TimeoutError(f"{' '.join(args)} took over {timeout:.0f} s") from error
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(args)} printed no result: {done.stderr[-2000:]}")
    return json.loads(lines[-1])


def synthetic_folder(cache: Path, n_cmocs: int, seed: int) -> Path:
    """A synthetic data folder, written once and kept under ``cache`` (keyed by generator version)."""
    from causal_web.model.synthetic import GENERATOR_VERSION, write_synthetic

    folder = cache / f"synthetic-v{GENERATOR_VERSION}-n{n_cmocs}-s{seed}"
    marker = folder / ".complete"
    if marker.is_file():
        return folder
    log(f"writing a synthetic web of {n_cmocs:,} CMOCs to {folder} (once; kept for later runs)")
    started = time.perf_counter()
    write_synthetic(folder, n_cmocs, seed=seed)
    write_file_atomic(marker, f"written in {time.perf_counter() - started:.1f} s\n")
    return folder


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def machine_info() -> dict[str, Any]:
    """What the figures were measured on."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("pyoxigraph", "rdflib", "networkx", "PyYAML", "fastapi", "uvicorn", "playwright"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    memory = _memory_bytes()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory": fmt_bytes(memory) if memory else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "load_average": [round(x, 2) for x in load],
    }


def median(values: Sequence[float]) -> float:
    values = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.median(values) if values else math.nan
