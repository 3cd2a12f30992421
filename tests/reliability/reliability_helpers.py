"""Helpers of the reliability tests: a live server with chosen settings, its memory, and a
loopback listener that records every connection made to it."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from live_server import serve


@contextmanager
def server_with(log: Path, **settings: str) -> Iterator[tuple[str, psutil.Process]]:
    """`causal-web serve` with ``CAUSAL_WEB_<NAME>`` settings; yields its URL and process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAUSAL_WEB_")}
    env.update({f"CAUSAL_WEB_{name.upper()}": value for name, value in settings.items()})
    with serve(log, env=env) as (url, process):
        yield url, psutil.Process(process.pid)


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of the server and its worker processes, in bytes."""
    total = 0
    for each in [process, *process.children(recursive=True)]:
        with suppress(psutil.NoSuchProcess):
            total += each.memory_info().rss
    return total


def worker_pids(process: psutil.Process) -> set[int]:
    return {child.pid for child in process.children(recursive=True)}


class Listener:
    """A TCP listener on 127.0.0.1 that accepts and counts connections until closed."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(4096))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()
