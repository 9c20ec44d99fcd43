"""A tiny HTTP/1.1 server on 127.0.0.1 for the faults a real Kapacitor cannot be made
to produce: a slow answer, a connection dropped mid-request, a 500 on demand, a
body that is not JSON.  It records every request and counts connections.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tickgen.client import RetryPolicy

# Fast, bounded retries so fault tests take milliseconds, not seconds.
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection instead of answering


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class FakeServer:
    """An HTTP/1.1 server on 127.0.0.1 whose answers the test chooses."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.reply: Callable[[Seen], Reply] = lambda seen: Reply()
        self.requests: list[Seen] = []
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._tls = tls
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def answer(self, *replies: Reply) -> None:
        """Answer with these replies in turn, repeating the last one."""
        queue = list(replies)

        def next_reply(seen: Seen) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.reply = next_reply

    def close(self) -> None:
        self._stop.set()
        self._accept_thread.join(5)
        for conn in self._conns:  # wakes the threads blocked reading the next request
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        if self._tls is not None:
            try:
                conn = self._tls.wrap_socket(conn, server_side=True)
            except OSError:  # the client refused our certificate: no request arrives
                conn.close()
                return
            self._conns.append(conn)  # the wrapped socket now owns the descriptor
        reader = conn.makefile("rb")
        with conn, reader:
            while not self._stop.is_set():
                try:
                    seen = _read_request(reader)
                except (OSError, ValueError):
                    return
                if seen is None:
                    return
                self.requests.append(seen)
                reply = self.reply(seen)
                if self._stop.wait(reply.delay):
                    return
                if reply.drop:
                    return
                head = [f"HTTP/1.1 {reply.status} X", f"Content-Length: {len(reply.body)}"]
                head += [f"{k}: {v}" for k, v in reply.headers.items()]
                try:
                    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + reply.body)
                except OSError:
                    return


def _read_request(reader: Any) -> Seen | None:
    line = reader.readline()
    if not line:
        return None
    method, path, _ = line.decode().split(" ", 2)
    headers: dict[str, str] = {}
    while (header := reader.readline().decode().rstrip("\r\n")) != "":
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0")))
    return Seen(method, path, headers, body)
