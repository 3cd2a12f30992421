"""`causal-web serve` in a subprocess on 127.0.0.1, for the tests that need a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_process(
    log: Path,
    extra: Sequence[str] = (),
    port: int | None = None,
    env: dict[str, str] | None = None,
    wait: float = 60.0,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``causal-web serve EXTRA`` on 127.0.0.1 (a free port, or ``port``), with ``env`` as its
    whole environment (default: this one). Waits ``wait`` seconds at most for /health, always
    stops it (SIGTERM, then SIGKILL). Yields the base URL and the process; output goes to ``log``."""
    port = port or free_port()
    command = [sys.executable, "-m", "causal_web", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env if env is not None else dict(os.environ),
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                pytest.fail(f"causal-web serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"causal-web serve did not answer /health within {wait:g} s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def serve(
    log: Path, data: Path | list[Path] | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the service on a free port, wait for /health (60 s at most), always stop it.

    ``data`` may be a list of folders, served side by side. Yields the base URL and the
    process; the server's output goes to ``log``.
    """
    folders = data if isinstance(data, list) else [data] if data is not None else []
    with serve_process(log, [arg for folder in folders for arg in ("--data", str(folder))], env=env) as found:
        yield found
