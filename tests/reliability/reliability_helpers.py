"""Helpers of the reliability tests: a live server with chosen settings, its memory, a loopback
listener that records every connection made to it, small data folders with one defect, and the
CLI's report."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from conftest import FIXTURES, run_cli
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


def good_folder(tmp_path: Path, name: str = "data") -> Path:
    """A writable copy of the small valid fixture folder."""
    folder = tmp_path / name
    shutil.copytree(FIXTURES / "good", folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate_json(folder: Path, *options: str) -> tuple[int, dict, str]:
    """Exit code, the JSON report and stderr of `causal-web validate --json`."""
    result = run_cli("validate", str(folder), "--json", *options)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, json.loads(result.stdout), result.stderr


def problems(report: dict, rule: str) -> list[dict]:
    return [p for p in report["problems"] if p["rule"] == rule]
