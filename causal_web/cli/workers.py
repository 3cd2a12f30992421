"""``serve --workers N``: N uvicorn servers in forked processes sharing one listening socket.

The parent loads the knowledge base (or opens the index) once, freezes its heap out of the
garbage collector's reach (:func:`gc.freeze`, so the collector never writes to the shared pages)
and forks the children: each runs its own uvicorn server and starts its own SPARQL workers when
its app starts. Every child so shares the loaded records, the causal web and the store with the
parent, copy-on-write.

Where the system has ``SO_REUSEPORT`` (Linux), the parent only binds the address (so that a
port in use is reported before anything forks) and each child listens on a socket of its own
bound to it: the kernel then spreads new connections over the children. On one shared
listening socket the child that wakes first accepts every connection waiting (asyncio accepts
up to the backlog at once), so a client opening a few keep-alive connections together would
have them all served by one child. Without ``SO_REUSEPORT`` the children share the parent's
listening socket.

The parent forwards SIGTERM and SIGINT to the children and waits for them; a child that dies
is started again, and when children keep dying (more than ``MAX_RESTARTS`` within
``RESTART_WINDOW`` seconds) the parent stops the rest and exits with status 1.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import time
import traceback
from typing import Any

__all__ = ["MAX_RESTARTS", "RESTART_WINDOW", "run_server"]

MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
_STOP_GRACE = 20.0
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


_BACKLOG = 2048
_REUSEPORT = hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


def _socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (``SO_REUSEPORT`` set where it is used)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it every response waited about 40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if _REUSEPORT:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _parent_socket(host: str, port: int) -> socket.socket:
    """The parent's socket: bound only, with ``SO_REUSEPORT`` (each child listens on its own);
    else bound and listening, shared by the children."""
    sock = _socket(host, port)
    if not _REUSEPORT:
        sock.listen(_BACKLOG)
        sock.set_inheritable(True)
    return sock


def _child_socket(parent: socket.socket) -> socket.socket:
    """The socket a child serves on: its own, bound to the parent's address. It is left for
    asyncio to put in listening state once the app has started, so the kernel sends no
    connection to a child still starting (it would wait in that child's queue)."""
    if not _REUSEPORT:
        return parent
    host, port = parent.getsockname()[:2]
    return _socket(host, port)


def _child(config: Any, parent: socket.socket) -> None:
    """A forked child: run one uvicorn server on its socket, then exit (never return)."""
    import uvicorn

    code = 0
    try:
        sock = _child_socket(parent)
        if sock is not parent:
            parent.close()
        uvicorn.Server(config).run(sockets=[sock])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # report it; the parent restarts this child
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_server(app: Any, host: str, port: int, workers: int = 1, log_level: str = "info") -> int:
    """Serve ``app`` on ``host``:``port`` with ``workers`` processes; return the exit status.

    One worker runs uvicorn in this process, as ``uvicorn.run`` does.
    """
    import uvicorn

    if workers <= 1:
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return 0
    try:
        sock = _parent_socket(host, port)
    except OSError as error:
        print(f"Error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 2
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level)
    gc.collect()
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects
    return _Supervisor(config, sock, workers).run()


class _Supervisor:
    def __init__(self, config: Any, sock: socket.socket, size: int) -> None:
        self.config = config
        self.sock = sock
        self.size = size
        self.children: dict[int, int] = {}  # pid: slot
        self.stopping = False
        self.deaths: list[float] = []

    def _spawn(self, slot: int) -> None:
        # No signal may reach the child before it has dropped the parent's handlers.
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                for signum in _SIGNALS:
                    signal.signal(signum, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
                _child(self.config, self.sock)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        self.children[pid] = slot

    def _signal(self, signum: int, frame: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        previous = {s: signal.signal(s, self._signal) for s in _SIGNALS}
        status = 0
        try:
            for slot in range(self.size):
                self._spawn(slot)
            print(
                f"causal-web: {self.size} workers (PIDs {', '.join(map(str, sorted(self.children)))}) "
                f"under PID {os.getpid()}",
                file=sys.stderr,
                flush=True,
            )
            while self.children:
                try:
                    pid, code = os.waitpid(-1, 0)
                except ChildProcessError:
                    break
                slot = self.children.pop(pid, None)
                if slot is None or self.stopping:
                    continue
                now = time.monotonic()
                self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW] + [now]
                how = (
                    f"signal {-os.waitstatus_to_exitcode(code)}"
                    if os.WIFSIGNALED(code)
                    else (f"status {os.waitstatus_to_exitcode(code)}")
                )
                if len(self.deaths) > MAX_RESTARTS:
                    print(
                        f"causal-web: worker {pid} exited ({how}); {len(self.deaths)} workers died within "
                        f"{RESTART_WINDOW:g} s, so the service stops. See the messages above.",
                        file=sys.stderr,
                        flush=True,
                    )
                    status = 1
                    self._signal(signal.SIGTERM, None)
                    continue
                print(
                    f"causal-web: worker {pid} exited ({how}); starting another", file=sys.stderr, flush=True
                )
                self._spawn(slot)
        finally:
            self._reap()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.sock.close()
        return status

    def _reap(self) -> None:
        """Wait for the children still running (after SIGTERM), killing any that hang."""
        deadline = time.monotonic() + _STOP_GRACE
        while self.children:
            for pid in list(self.children):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    self.children.pop(pid, None)
            if not self.children:
                break
            if time.monotonic() > deadline:
                for pid in list(self.children):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + _STOP_GRACE
            time.sleep(0.05)
