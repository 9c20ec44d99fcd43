"""The overall deadline (tickgen.client.Deadline): every request of a client is capped
by the time left on it, none starts once it has passed, and a retry never waits past it.

Time here is a clock the test moves (no sleeping, nothing measured); the slow server
of tests/client/hostile_server.py shows the same against real sockets.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import httpx
import pytest

from tickgen.client import (
    AsyncKapacitorClient,
    Deadline,
    DeadlineExceeded,
    KapacitorClient,
    KapacitorError,
    RequestTimeout,
    RetryPolicy,
)
from tickgen.client._core import Call, ClientCore
from tickgen.client.settings import resolve_settings
from tickgen.deploy import plan_tasks, url_target

from .hostile_server import hostile_server


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _list(kind: str, url: str, transport: Any = None, **options: Any) -> list[Any]:
    """Every task, page after page, with the sync or the async client."""
    if kind == "sync":
        sync = httpx.MockTransport(transport) if transport else None
        with KapacitorClient(url, transport=sync, **options) as client:
            return list(client.iter_tasks(page_size=2))

    async def go() -> list[Any]:
        mock = httpx.MockTransport(transport) if transport else None
        async with AsyncKapacitorClient(url, transport=mock, **options) as client:
            return [t async for t in client.iter_tasks(page_size=2)]

    return asyncio.run(go())


@pytest.mark.parametrize("seconds", [0, -1, math.nan, math.inf])
def test_a_deadline_is_a_positive_finite_number_of_seconds(seconds: float) -> None:
    with pytest.raises(ValueError, match="positive number of seconds"):
        Deadline(seconds)


def test_a_deadline_counts_down_on_its_clock_and_moves_when_extended() -> None:
    clock = Clock()
    deadline = Deadline(10, name="the command deadline", hint="--deadline raises it", clock=clock)
    clock.now = 4
    assert deadline.remaining() == 6 and not deadline.expired
    clock.now = 10
    assert deadline.expired
    deadline.extend(5)
    assert deadline.remaining() == 5
    assert deadline.reached() == "the command deadline of 10 seconds was reached; --deadline raises it"


def test_each_request_gets_its_own_deadline_capped_by_the_time_left() -> None:
    clock = Clock()
    core = ClientCore(resolve_settings("http://k", deadline=60, env={},
                                       overall_deadline=Deadline(100, clock=clock)))  # fmt: skip
    call = Call("GET", "tasks", lambda r: None)
    assert core.request_limit(call) == 60
    clock.now = 70
    assert core.request_limit(call) == 30
    assert isinstance(core.too_slow(call, 30), DeadlineExceeded)
    assert not isinstance(core.too_slow(call, 60), DeadlineExceeded)
    clock.now = 100
    with pytest.raises(DeadlineExceeded, match="the overall deadline of 100 seconds was reached"):
        core.request_limit(call)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_no_request_starts_once_the_deadline_has_passed(kind: str) -> None:
    clock = Clock()
    deadline = Deadline(3, clock=clock)
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url.params.get("offset")))
        clock.now += 1  # each page takes a second of the deadline's time
        tasks = [{"id": f"t{len(sent)}-{n}"} for n in range(2)]  # full pages: never the last
        return httpx.Response(200, json={"tasks": tasks})

    with pytest.raises(DeadlineExceeded) as caught:
        _list(kind, "http://kapacitor.invalid:9092", answer, overall_deadline=deadline)
    assert sent == ["0", "2", "4"]  # the fourth page was not asked for
    assert str(caught.value) == (
        "GET /kapacitor/v1/tasks: stopped: the overall deadline of 3 seconds was reached"
    )
    assert isinstance(caught.value, RequestTimeout)  # what callers already catch


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_retry_does_not_wait_past_the_deadline(kind: str) -> None:
    sent: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(1)
        return httpx.Response(503, headers={"Retry-After": "3600"}, text="busy")

    retry = RetryPolicy(max_retries=5, backoff_base=0.01, backoff_max=0.05, retry_after_max=7200)
    with pytest.raises(DeadlineExceeded):
        _list(kind, "http://kapacitor.invalid:9092", answer, overall_deadline=60.0, retry=retry)
    assert sent == [1]  # it gave up at once rather than wait an hour for nothing


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_server_slow_on_every_request_ends_at_the_overall_deadline(kind: str) -> None:
    # each answer is far inside the per-request deadline; the pages never run out
    with hostile_server("slow-pages") as url, pytest.raises(DeadlineExceeded) as caught:
        _list(kind, url, overall_deadline=1.0, deadline=60.0)
    assert "the overall deadline of 1 second was reached" in str(caught.value)


def test_plan_tasks_takes_a_deadline() -> None:
    with hostile_server("slow-pages") as url, pytest.raises(DeadlineExceeded):
        plan_tasks([], url_target(url), deadline=1.0)


def test_a_bad_overall_deadline_is_a_clear_error() -> None:
    with pytest.raises(KapacitorError, match="overall_deadline: a deadline must be a positive"):
        KapacitorClient("http://k", overall_deadline=-1.0)
