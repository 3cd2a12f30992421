"""The sockets of ``serve --workers``: each child's own, bound to the parent's address, and the
connections it accepts get TCP_NODELAY from asyncio (without it every response of a worker
waited about 40 ms for the client's delayed ACK, and two workers served less than one)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket

from causal_web.cli import workers


def test_a_childs_connections_have_nodelay() -> None:
    parent = workers._parent_socket("127.0.0.1", 0)
    child = workers._child_socket(parent)
    try:
        assert child.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only on these
        host, port = parent.getsockname()[:2]
        assert child.getsockname()[:2] == (host, port)  # the same address as the parent's

        async def accept_one() -> int:
            accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

            async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                sock = writer.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                writer.close()

            server = await asyncio.start_server(on_connect, sock=child)
            async with server:
                _reader, writer = await asyncio.open_connection(host, port)
                value = await asyncio.wait_for(accepted, 30)
                writer.close()
            return value

        # in a thread of its own: in the whole suite the main thread may already run a loop
        # (Playwright's sync API), where asyncio.run refuses
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            assert pool.submit(asyncio.run, accept_one()).result(timeout=60) != 0
    finally:
        if child is not parent:
            child.close()
        parent.close()


def test_a_port_in_use_is_refused_by_the_parent() -> None:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        try:
            workers._parent_socket("127.0.0.1", port)
        except OSError:
            pass
        else:
            raise AssertionError(f"port {port} is taken, yet the parent bound it")
    finally:
        taken.close()
