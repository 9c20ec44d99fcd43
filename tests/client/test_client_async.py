"""What only the async client has: concurrency through one client, ``async with``,
``async for`` over pages.  (Everything else runs for both clients via make_client.)"""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

import pytest

from tests import servers
from tests.client.fakes import FakeServer, Reply
from tickgen.client import DBRP, AsyncKapacitorClient, KapacitorClient, NotFound

SCRIPT = "stream\n    |from()\n        .measurement('cpu')\n    |httpOut('out')\n"
DBRPS = [DBRP(db="telegraf", rp="autogen")]


async def test_many_concurrent_requests_through_one_client(
    kapacitor: servers.Server, unique_id: Any
) -> None:
    ids = [unique_id("conc") for _ in range(40)]
    async with AsyncKapacitorClient(kapacitor.url) as client:
        created = await asyncio.gather(
            *(client.create_task(i, SCRIPT, dbrps=DBRPS, status="enabled") for i in ids)
        )
        assert [t.id for t in created] == ids
        fetched = await asyncio.gather(*(client.get_task(i) for i in ids))
        assert all(t.executing for t in fetched)
        pattern = ids[0].rsplit("-", 1)[0] + "-*"
        listed = [t.id async for t in client.iter_tasks(pattern=pattern, page_size=7)]
        assert sorted(listed) == sorted(ids)
        await asyncio.gather(*(client.delete_task(i) for i in ids))
        results = await asyncio.gather(*(client.get_task(i) for i in ids), return_exceptions=True)
        assert all(isinstance(r, NotFound) for r in results)


async def test_concurrent_requests_overlap(fake_server: FakeServer) -> None:
    fake_server.answer(Reply(204, b"", headers={"X-Kapacitor-Version": "x"}, delay=0.3))
    async with AsyncKapacitorClient(fake_server.url) as client:
        start = time.monotonic()
        pongs = await asyncio.gather(*(client.ping() for _ in range(10)))
        elapsed = time.monotonic() - start
    assert [p.version for p in pongs] == ["x"] * 10
    assert elapsed < 2.0  # ten 0.3 s answers in sequence would take 3 s
    assert fake_server.connections == 10


async def test_async_with_closes_the_client(kapacitor: servers.Server) -> None:
    async with AsyncKapacitorClient(kapacitor.url) as client:
        assert (await client.ping()).version == kapacitor.version
    with pytest.raises(RuntimeError, match="closed"):
        await client.ping()


def test_with_closes_the_client(kapacitor: servers.Server) -> None:
    with KapacitorClient(kapacitor.url) as client:
        assert client.ping().version == kapacitor.version
    with pytest.raises(RuntimeError, match="closed"):
        client.ping()


def test_reprs_name_the_server(kapacitor: servers.Server) -> None:
    with KapacitorClient(kapacitor.url, token="x") as client:
        assert repr(client) == f"KapacitorClient({kapacitor.url!r}, auth=bearer)"
    assert repr(AsyncKapacitorClient(kapacitor.url)).startswith("AsyncKapacitorClient(")


def test_both_clients_offer_the_same_operations() -> None:
    def operations(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in vars(cls).items()
            if callable(member) and not name.startswith("_") and name not in ("close", "aclose")
        }

    sync, asynchronous = operations(KapacitorClient), operations(AsyncKapacitorClient)
    assert sync.keys() == asynchronous.keys()
    assert len(sync) > 25
    for name, signature in sync.items():
        assert signature.parameters == asynchronous[name].parameters, name
        assert inspect.iscoroutinefunction(getattr(AsyncKapacitorClient, name)) or (
            inspect.isasyncgenfunction(getattr(AsyncKapacitorClient, name))
        ), name
