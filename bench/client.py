"""A small HTTP/1.1 keep-alive load client (asyncio, standard library only).

``python -m bench.client URL --connections C --duration S --requests N`` sends GET requests
over C persistent connections until S seconds or N requests have passed, whichever comes
first, after a short warm-up, and prints one JSON line: requests, errors, requests per second
and latency percentiles. It only talks to loopback addresses: the benchmark's own servers.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

from bench.common import percentile

__all__ = ["main", "run_load"]


def _check_loopback(host: str) -> None:
    address = ipaddress.ip_address(socket.gethostbyname(host))
    if not address.is_loopback:
        raise SystemExit(f"refusing to load {host}: the benchmark client only targets loopback")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


async def _worker(
    host: str,
    port: int,
    request: bytes,
    stop_at: float,
    budget: list[int],
    record: list[float],
    errors: list[str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            try:
                status, keep = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                errors.append(type(error).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            record.append(time.perf_counter() - started)
            if status != 200:
                errors.append(str(status))
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def _load(url: str, connections: int, duration: float, requests: int, warmup: float) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    _check_loopback(host)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
        "User-Agent: causal-web-bench\r\n\r\n"
    ).encode("ascii")
    if warmup > 0:
        await asyncio.gather(
            *(
                _worker(host, port, request, time.perf_counter() + warmup, [10**9], [], [])
                for _ in range(connections)
            )
        )
    latencies: list[float] = []
    errors: list[str] = []
    budget = [requests]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _worker(host, port, request, started + duration, budget, latencies, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    return {
        "url": url,
        "connections": connections,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50": percentile(latencies, 50),
        "p90": percentile(latencies, 90),
        "p99": percentile(latencies, 99),
    }


def run_load(url: str, connections: int, duration: float, requests: int, warmup: float = 0.5) -> dict:
    """Load ``url`` and return the figures. Runs its own event loop, in a fresh thread when the
    calling thread already has one running (as under Playwright's sync API in a test run)."""
    job = _load(url, connections, duration, requests, warmup)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds (bound)")
    parser.add_argument("--requests", type=int, default=100_000, help="requests (bound)")
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds of unrecorded requests first")
    args = parser.parse_args(argv)
    print(json.dumps(run_load(args.url, args.connections, args.duration, args.requests, args.warmup)))


if __name__ == "__main__":
    main()
