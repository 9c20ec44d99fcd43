"""Fixtures for the client tests: every test body runs against both clients.

``make_client`` (and ``client``, bound to the shared kapacitord) is parametrized
over ``sync`` and ``async``.  The async variant is AsyncKapacitorClient behind a
thin blocking facade that runs each coroutine on the fixture's own event loop,
so one test body checks both clients' behaviour, request for request.

``fake_server`` is a tiny HTTP/1.1 server on 127.0.0.1 for the faults a real
Kapacitor cannot be made to produce (a slow answer, a connection dropped
mid-request, a 500 on demand); it counts connections and requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests import servers
from tickgen.client import AsyncKapacitorClient, KapacitorClient, RetryPolicy

# Fast, bounded retries so fault tests take milliseconds, not seconds.
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05)


class BlockingAsyncClient:
    """AsyncKapacitorClient driven from blocking code: same methods, same results."""

    def __init__(self, client: AsyncKapacitorClient, loop: asyncio.AbstractEventLoop) -> None:
        self.inner = client
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            if inspect.isasyncgen(result):
                return iter(self._loop.run_until_complete(_collect(result)))
            if inspect.iscoroutine(result):
                return self._loop.run_until_complete(result)
            return result

        return call

    def __repr__(self) -> str:
        return repr(self.inner)


async def _collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


MakeClient = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest) -> Iterator[MakeClient]:
    """``make_client(url, **options)`` → a KapacitorClient, or the async one behind a facade."""
    kind: str = request.param
    loop = asyncio.new_event_loop() if kind == "async" else None
    made: list[Any] = []

    def make(url: str, **options: Any) -> Any:
        options.setdefault("retry", FAST_RETRY)
        client: Any
        if loop is None:
            client = KapacitorClient(url, **options)
        else:
            client = BlockingAsyncClient(AsyncKapacitorClient(url, **options), loop)
        made.append(client)
        return client

    yield make
    for client in made:
        if loop is None:
            client.close()
        else:
            loop.run_until_complete(client.inner.aclose())
    if loop is not None:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture
def client(make_client: MakeClient, kapacitor: servers.Server) -> Any:
    """A client (sync, or async behind a facade) for the shared kapacitord."""
    return make_client(kapacitor.url)


@pytest.fixture
def influx_query(influxdb: servers.Server) -> Callable[..., list[dict[str, Any]]]:
    """``influx_query("SELECT ...", db=...)`` → rows as dicts, from the real InfluxDB."""

    def query(q: str, db: str | None = None) -> list[dict[str, Any]]:
        params = {"q": q, **({"db": db} if db else {})}
        response = httpx.post(f"{influxdb.url}/query", params=params, timeout=10)
        response.raise_for_status()
        rows: list[dict[str, Any]] = []
        for result in response.json()["results"]:
            assert "error" not in result, result["error"]
            for series in result.get("series", []):
                rows += [dict(zip(series["columns"], v, strict=True)) for v in series["values"]]
        return rows

    return query


# -- a fake HTTP server for faults -------------------------------------------------------


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

    def __init__(self) -> None:
        self.reply: Callable[[Seen], Reply] = lambda seen: Reply()
        self.requests: list[Seen] = []
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
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


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def refused_url() -> str:
    """A loopback URL where nothing listens: the port was bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
