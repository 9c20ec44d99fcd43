"""250 tasks listed across pages: Kapacitor answers 100 by default, sorted by id."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests import servers
from tickgen.client import DBRP, AsyncKapacitorClient

COUNT = 250
SCRIPT = "stream\n    |from()\n        .measurement('cpu')\n    |httpOut('out')\n"


@pytest.fixture(scope="module")
def many_tasks(kapacitor: servers.Server) -> Iterator[list[str]]:
    """250 disabled tasks, created concurrently through one AsyncKapacitorClient."""
    ids = [f"paging-{n:03d}" for n in range(COUNT)]
    dbrps = [DBRP(db="telegraf", rp="autogen")]

    async def create() -> None:
        async with AsyncKapacitorClient(kapacitor.url) as client:
            await asyncio.gather(*(client.create_task(i, SCRIPT, dbrps=dbrps) for i in ids))

    async def delete() -> None:
        async with AsyncKapacitorClient(kapacitor.url) as client:
            await asyncio.gather(*(client.delete_task(i) for i in ids))

    asyncio.run(create())
    yield ids
    asyncio.run(delete())


def test_iterator_walks_every_page(client: Any, many_tasks: list[str]) -> None:
    assert [t.id for t in client.iter_tasks(pattern="paging-*")] == many_tasks


@pytest.mark.parametrize("page_size", [3, 7, 100, 249, 250, 1000])
def test_iterator_with_any_page_size(client: Any, many_tasks: list[str], page_size: int) -> None:
    found = [t.id for t in client.iter_tasks(pattern="paging-*", page_size=page_size)]
    assert found == many_tasks


def test_iterator_stops_after_a_full_last_page(client: Any, many_tasks: list[str]) -> None:
    # paging-000 … paging-099: two full pages of 50, then an empty one ends it.
    found = [t.id for t in client.iter_tasks(pattern="paging-0*", page_size=50)]
    assert found == many_tasks[:100]


def test_iterator_passes_fields(client: Any, many_tasks: list[str]) -> None:
    tasks = list(client.iter_tasks(pattern="paging-*", fields=["status"]))
    assert {t.status for t in tasks} == {"disabled"}
    assert {t.script for t in tasks} == {""}
    assert len(tasks) == COUNT


def test_the_server_default_page_is_100(client: Any, many_tasks: list[str]) -> None:
    assert [t.id for t in client.list_tasks(pattern="paging-*")] == many_tasks[:100]


@pytest.mark.parametrize(("offset", "limit"), [(0, 100), (100, 100), (200, 100), (240, 5)])
def test_offset_and_limit(client: Any, many_tasks: list[str], offset: int, limit: int) -> None:
    page = client.list_tasks(pattern="paging-*", offset=offset, limit=limit)
    assert [t.id for t in page] == many_tasks[offset : offset + limit]


def test_offset_past_the_end_is_empty(client: Any, many_tasks: list[str]) -> None:
    assert client.list_tasks(pattern="paging-*", offset=COUNT) == []
