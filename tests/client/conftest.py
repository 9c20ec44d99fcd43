"""Fixtures for the client tests: every test body runs against both clients.

``make_client`` (and ``client``, bound to the shared kapacitord) is parametrized
over ``sync`` and ``async``.  The async variant is AsyncKapacitorClient behind a
thin blocking facade that runs each coroutine on the fixture's own event loop,
so one test body checks both clients' behaviour, request for request.

``fake_server`` is tests.client.fakes.FakeServer, for the faults a real Kapacitor
cannot be made to produce.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import servers
from tests.client.fakes import FAST_RETRY, FakeServer, Reply
from tickgen.client import AsyncKapacitorClient, KapacitorClient


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


# -- TLS: a self-signed certificate and a fake server that speaks TLS with it ----------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert, key)."""
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[FakeServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = FakeServer(tls=context)
    server.answer(Reply(204, b"", headers={"X-Kapacitor-Version": "1.5.9"}))
    yield server
    server.close()
