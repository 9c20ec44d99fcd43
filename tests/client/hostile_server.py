"""A misbehaving HTTP server on 127.0.0.1, for faults a real Kapacitor cannot produce:
headers or a body trickled a byte at a time, a body that never ends, an error page
that echoes the request's credentials, and a server that answers every request
correctly but slowly, with a task list that never ends (every page is full)."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

MODES = ("trickle-headers", "trickle-body", "endless-body", "echo-error", "slow-pages")
SLOW_SECONDS = 0.1  # how long "slow-pages" takes over each answer: far inside any deadline


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        request = b""
        while b"\r\n\r\n" not in request:
            data = sock.recv(65536)
            if not data:
                return
            request += data
        with contextlib.suppress(OSError):  # the client gave up and closed: as intended
            getattr(self, self.server.mode.replace("-", "_"))(sock, request)

    def _running(self) -> bool:
        return not self.server.stopping.is_set()

    def trickle_headers(self, sock: socket.socket, request: bytes) -> None:
        for byte in iter(lambda: b"X", None):  # never a complete status line
            if not self._running():
                return
            sock.sendall(byte)
            time.sleep(0.2)

    def trickle_body(self, sock: socket.socket, request: bytes) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        while self._running():
            sock.sendall(b" ")
            time.sleep(0.2)

    def endless_body(self, sock: socket.socket, request: bytes) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"[" * 65536
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while self._running():
            sock.sendall(framed)

    def echo_error(self, sock: socket.socket, request: bytes) -> None:
        # a proxy's error page quoting the request it got, credentials and all
        body = (
            b"upstream failed for request:\n"
            + request
            + b"\nconfig: password=hunter2-db token=tok-9f8e7d\n"
            + b"x" * 20000
        )
        sock.sendall(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


    def slow_pages(self, sock: socket.socket, request: bytes) -> None:
        # a correct answer to every request, each one slowly: a ping, and pages of
        # unmanaged tasks that never run out (each page is full, so a pager asks again)
        time.sleep(SLOW_SECONDS)
        self.server.answered += 1
        target = urlsplit(request.split(b" ", 2)[1].decode())
        if target.path.endswith("/ping"):
            sock.sendall(
                b"HTTP/1.1 204 No Content\r\nX-Kapacitor-Version: 1.5.9\r\n"
                b"Connection: close\r\n\r\n"
            )
            return
        query = parse_qs(target.query)
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        tasks = [
            {"id": f"slow-{n}", "type": "stream", "status": "enabled", "script": "stream\n",
             "dbrps": [{"db": "telegraf", "rp": "autogen"}]}
            for n in range(offset, offset + limit)
        ]  # fmt: skip
        body = json.dumps({"tasks": tasks}).encode()
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.stopping = threading.Event()
        self.answered = 0  # requests answered ("slow-pages")


@contextmanager
def hostile_server(mode: str) -> Iterator[str]:
    """The URL of a server misbehaving as ``mode`` says, until the block ends."""
    assert mode in MODES
    server = _Server(mode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
