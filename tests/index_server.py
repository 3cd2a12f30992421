"""`causal-web serve` with any arguments (--index, --workers) in a subprocess on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from live_server import serve_process


@contextmanager
def serve_with(
    log: Path, args: Sequence[str], port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``causal-web serve ARGS`` on a free port (or ``port``), wait for /health (90 s at
    most), always stop it (SIGTERM, then SIGKILL). Yields the base URL and the process."""
    with serve_process(log, args, port=port, env={**os.environ, **(env or {})}, wait=90.0) as found:
        yield found
