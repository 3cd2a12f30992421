#!/usr/bin/env python3
"""A small TCP load balancer for trying causal-web behind one (docs/deployment.md).

Each connection it accepts goes to the next backend in turn (round robin); a backend that
refuses the connection is skipped for that connection and the next one is tried. It forwards
bytes both ways and understands nothing of HTTP, like nginx's ``stream`` module or HAProxy in
``mode tcp``. Standard library only. For trying a deployment on one machine, not for production.

    python scripts/round_robin_proxy.py --listen 127.0.0.1:8000 127.0.0.1:8001 127.0.0.1:8002
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import signal
import sys


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class Balancer:
    def __init__(self, backends: list[tuple[str, int]], timeout: float = 5.0) -> None:
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.timeout = timeout

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        start = next(self.turn)
        for step in range(len(self.backends)):
            host, port = self.backends[(start + step) % len(self.backends)]
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), self.timeout)
            except (OSError, TimeoutError):
                print(f"round-robin: {host}:{port} refused a connection; trying the next", file=sys.stderr)
        return None

    async def handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        backend = await self._connect()
        if backend is None:
            client_writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            with contextlib.suppress(Exception):
                await client_writer.drain()
            client_writer.close()
            return
        backend_reader, backend_writer = backend
        await asyncio.gather(_pipe(client_reader, backend_writer), _pipe(backend_reader, client_writer))


async def _main(listen: tuple[str, int], backends: list[tuple[str, int]]) -> None:
    balancer = Balancer(backends)
    server = await asyncio.start_server(balancer.handle, *listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    names = ", ".join(f"{h}:{p}" for h, p in backends)
    print(f"round-robin: listening on {listen[0]}:{listen[1]}, backends {names}", file=sys.stderr, flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=_address, default=("127.0.0.1", 8000), help="HOST:PORT to accept on")
    parser.add_argument("backends", nargs="+", type=_address, help="HOST:PORT of each server")
    args = parser.parse_args()
    asyncio.run(_main(args.listen, args.backends))


if __name__ == "__main__":
    main()
