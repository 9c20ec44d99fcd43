"""Reading live tasks: one request per 100, only the fields a plan needs (mocked server)."""

from __future__ import annotations

import json

import httpx

from tickgen.client import DBRP, AsyncKapacitorClient
from tickgen.deploy import read_live
from tickgen.deploy.live import prefix_pattern


def fake_server(count: int, seen: list[httpx.Request]) -> httpx.MockTransport:
    ids = [f"t{i:04d}" for i in range(count)]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        page = [
            {
                "id": task_id,
                "link": {"rel": "self", "href": f"/kapacitor/v1/tasks/{task_id}"},
                "type": "stream",
                "dbrps": [{"db": "telegraf", "rp": "autogen"}],
                "script": "// managed-by: tickgen\nstream|from()\n",
                "status": "enabled",
            }
            for task_id in ids[offset : offset + limit]
        ]
        return httpx.Response(200, content=json.dumps({"tasks": page}))

    return httpx.MockTransport(handle)


async def test_two_hundred_and_fifty_tasks_take_three_requests() -> None:
    seen: list[httpx.Request] = []
    async with AsyncKapacitorClient("http://k:9092", transport=fake_server(250, seen)) as client:
        live = await read_live(client, pattern="t*")
    assert len(live.tasks) == 250
    assert live.requests == len(seen) == 3
    first = seen[0].url
    assert first.path == "/kapacitor/v1/tasks"
    assert first.params.get_list("fields") == ["type", "dbrps", "script", "status"]
    assert first.params["script-format"] == "raw"
    assert first.params["pattern"] == "t*"
    assert [r.url.params["offset"] for r in seen] == ["0", "100", "200"]
    assert {r.url.params["limit"] for r in seen} == {"100"}
    assert live.tasks[0].owned
    assert live.tasks[0].dbrps == (DBRP("telegraf", "autogen"),)


async def test_an_exact_multiple_of_the_page_needs_one_more_request() -> None:
    seen: list[httpx.Request] = []
    async with AsyncKapacitorClient("http://k:9092", transport=fake_server(200, seen)) as client:
        live = await read_live(client)
    assert len(live.tasks) == 200
    assert live.requests == 3  # 100, 100, then an empty page says it was the last
    assert "pattern" not in seen[0].url.params


def test_prefix_pattern() -> None:
    assert prefix_pattern("") is None
    assert prefix_pattern("prod-") == "prod-*"
