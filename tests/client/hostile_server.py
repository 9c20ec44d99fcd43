"""A misbehaving HTTP server on 127.0.0.1, for faults a real Kapacitor cannot produce:
headers or a body trickled a byte at a time, a body that never ends, an error page
that echoes the request's credentials."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MODES = ("trickle-headers", "trickle-body", "endless-body", "echo-error")


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


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.stopping = threading.Event()


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
