"""`causal-web serve` with any arguments (--index, --workers) in a subprocess on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from live_server import ROOT, free_port


@contextmanager
def serve_with(
    log: Path, args: Sequence[str], port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``causal-web serve ARGS`` on a free port (or ``port``), wait for /health (90 s at
    most), always stop it (SIGTERM, then SIGKILL). Yields the base URL and the process."""
    port = port or free_port()
    command = [sys.executable, "-m", "causal_web", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=dict(os.environ)
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"causal-web serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"causal-web serve did not answer /health within 90 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
