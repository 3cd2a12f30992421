"""CLI cold start: ``causal-web stats`` against importing its dependencies alone.

The dependency list is computed, not written down: a child process runs the stats command
in-process and lists every module it imported that is not part of the project (causal_web, and
the api and viz packages whose commands the CLI registers): third-party and standard library
alike, in import order. The baseline is a fresh interpreter that imports
exactly those modules. Both include the interpreter's own start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, median

__all__ = ["measure_cli", "stats_dependencies"]

_LIST_DEPS = r"""
import contextlib, io, json, sys
before = set(sys.modules)
from causal_web.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["stats"], standalone_mode=False)
    except SystemExit:
        pass
own = ("causal_web", "bench")  # the project's own packages are not dependencies
mods = [m for m in sys.modules if m not in before and m.split(".")[0] not in own]
print(json.dumps(mods))
"""

_IMPORT_DEPS = r"""
import importlib, json, sys
for name in json.load(open(sys.argv[1])):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def _command() -> list[str]:
    script = Path(sys.executable).with_name("causal-web")
    if script.is_file():
        return [str(script), "stats"]
    return [sys.executable, "-m", "causal_web", "stats"]


def stats_dependencies() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LIST_DEPS], capture_output=True, text=True, cwd=REPO, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _time(command: list[str], runs: int) -> list[float]:
    """Wall time of ``command``, waited on with a blocking wait.

    (``subprocess.run(timeout=...)`` polls the child with sleeps of up to 50 ms, which would
    round every figure up to the next 50 ms; a timer kills a hung child instead.)
    """
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
        watchdog = threading.Timer(120, process.kill)
        watchdog.start()
        try:
            code = process.wait()
        finally:
            watchdog.cancel()
        times.append(time.perf_counter() - started)
        if code != 0:
            raise RuntimeError(f"{' '.join(command)} exited {code}")
    return times


def measure_cli(runs: int) -> dict[str, Any]:
    """Median wall time of the stats command and of importing its dependencies, alternated."""
    deps = stats_dependencies()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(deps, handle)
        deps_file = handle.name
    try:
        baseline_cmd = [sys.executable, "-c", _IMPORT_DEPS, deps_file]
        _time(_command(), 1)  # warm the file cache and the bytecode
        _time(baseline_cmd, 1)
        stats_times: list[float] = []
        deps_times: list[float] = []
        for _ in range(runs):  # alternate, so drift on a shared machine hits both alike
            stats_times += _time(_command(), 1)
            deps_times += _time(baseline_cmd, 1)
    finally:
        os.unlink(deps_file)
    top_level = sorted({m.split(".")[0] for m in deps if not m.startswith("_")})
    third_party = [m for m in top_level if m not in sys.stdlib_module_names]
    return {
        "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(_command())),
        "stats_s": median(stats_times),
        "deps_s": median(deps_times),
        "stats_times": stats_times,
        "deps_times": deps_times,
        "modules": len(deps),
        "third_party": third_party,
    }
