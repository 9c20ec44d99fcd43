"""Faults give the right typed error within a bounded time, and unsafe requests are
never retried.  A real kapacitord (our own, killed) where it can produce the fault;
the fake server for a slow answer, a dropped connection, a 500 or a non-JSON body;
httpx.MockTransport only to count attempts after connect failures."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.client.fakes import FAST_RETRY, FakeServer, Reply
from tickgen.client import (
    DBRP,
    ConnectError,
    ConnectionLost,
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    ServerError,
)

DBRPS = [DBRP(db="telegraf", rp="autogen")]
SCRIPT = "stream\n    |from()\n        .measurement('cpu')\n"
TASK_JSON = json.dumps({"id": "x", "status": "disabled"}).encode()

# One call per HTTP method the client uses, each needing exactly one request.
OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "GET": lambda c: c.get_task("x"),
    "POST": lambda c: c.create_task("x", SCRIPT, dbrps=DBRPS),
    "PATCH": lambda c: c.disable_task("x"),
    "DELETE": lambda c: c.delete_task("x"),
}
SAFE = {"GET", "DELETE"}


@contextmanager
def within(seconds: float) -> Iterator[None]:
    start = time.monotonic()
    yield
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"took {elapsed:.2f}s, bound {seconds}s"


@pytest.mark.parametrize("method", OPERATIONS)
def test_server_down_is_a_connect_error(make_client: Any, refused_url: str, method: str) -> None:
    client = make_client(refused_url)
    with within(3), pytest.raises(ConnectError) as caught:
        OPERATIONS[method](client)
    assert f"{method} /kapacitor/v1/" in str(caught.value)


def test_connect_failures_are_retried_for_every_method(make_client: Any) -> None:
    # Nothing was sent when the connect fails, so even a POST is safe to resend.
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        if len(attempts) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, content=TASK_JSON)

    client = make_client("http://kapacitor.invalid:9092", transport=httpx.MockTransport(handler))
    assert client.create_task("x", SCRIPT, dbrps=DBRPS).id == "x"
    assert attempts == ["POST", "POST", "POST"]


def test_connect_retries_are_bounded(make_client: Any) -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client("http://kapacitor.invalid:9092", transport=httpx.MockTransport(handler))
    with pytest.raises(ConnectError):
        client.ping()
    assert len(attempts) == 1 + FAST_RETRY.max_retries


def test_server_killed_between_requests(make_client: Any, kapacitor_factory: Any) -> None:
    server = kapacitor_factory()
    client = make_client(server.url)
    assert client.ping().version == server.version  # leaves a pooled keep-alive connection
    server.kill()
    with within(3), pytest.raises(ConnectError):
        client.ping()
    with within(3), pytest.raises(ConnectError):
        client.create_task("x", SCRIPT, dbrps=DBRPS)


@pytest.mark.parametrize("method", OPERATIONS)
def test_connection_dropped_mid_request(
    make_client: Any, fake_server: FakeServer, method: str
) -> None:
    fake_server.answer(Reply(drop=True))  # reads the request, closes without answering
    client = make_client(fake_server.url)
    with within(3), pytest.raises(ConnectionLost):
        OPERATIONS[method](client)
    # The request may have taken effect, so it is never sent twice.
    assert [r.method for r in fake_server.requests] == [method]


@pytest.mark.parametrize("method", OPERATIONS)
def test_slow_answer_times_out(make_client: Any, fake_server: FakeServer, method: str) -> None:
    fake_server.answer(Reply(delay=3.0))
    client = make_client(fake_server.url, timeout=0.3)
    with within(2.0), pytest.raises(RequestTimeout):
        OPERATIONS[method](client)
    assert len(fake_server.requests) == 1  # a read timeout is never retried


@pytest.mark.parametrize("method", OPERATIONS)
def test_500_is_retried_only_when_safe(
    make_client: Any, fake_server: FakeServer, method: str
) -> None:
    fake_server.answer(Reply(500, b'{\n    "error": "boom"\n}'))
    client = make_client(fake_server.url)
    with within(3), pytest.raises(ServerError) as caught:
        OPERATIONS[method](client)
    assert (caught.value.status, caught.value.message) == (500, "boom")
    expected = 1 + FAST_RETRY.max_retries if method in SAFE else 1
    assert [r.method for r in fake_server.requests] == [method] * expected


def test_a_retried_get_can_succeed(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(503, b"Service Unavailable"), Reply(200, TASK_JSON))
    assert make_client(fake_server.url).get_task("x").id == "x"
    assert len(fake_server.requests) == 2


def test_429_honours_retry_after(make_client: Any, fake_server: FakeServer) -> None:
    busy = Reply(429, b'{"error": "slow down"}', headers={"Retry-After": "0"})
    fake_server.answer(busy, Reply(200, TASK_JSON))
    assert make_client(fake_server.url).get_task("x").id == "x"
    assert len(fake_server.requests) == 2


def test_429_with_an_absurd_retry_after_is_not_waited_for(
    make_client: Any, fake_server: FakeServer
) -> None:
    fake_server.answer(Reply(429, b'{"error": "slow down"}', headers={"Retry-After": "3600"}))
    with within(2), pytest.raises(RateLimited, match="slow down"):
        make_client(fake_server.url).get_task("x")
    assert len(fake_server.requests) == 1


def test_a_body_that_is_not_json(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(200, b"<html>a proxy page</html>"))
    with pytest.raises(InvalidResponse) as caught:
        make_client(fake_server.url).get_task("x")
    assert caught.value.status == 200
    assert "not JSON" in str(caught.value)
    assert "a proxy page" in str(caught.value)
    assert len(fake_server.requests) == 1


def test_json_of_the_wrong_shape(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(200, b'{"tasks": [{"no-id": 1}]}'))
    with pytest.raises(InvalidResponse, match="GET /kapacitor/v1/tasks: unexpected answer"):
        make_client(fake_server.url).list_tasks()


def test_an_error_status_with_a_text_body(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(502, b"Bad Gateway\n"))
    with pytest.raises(ServerError) as caught:
        make_client(fake_server.url).create_task("x", SCRIPT, dbrps=DBRPS)
    assert (caught.value.status, caught.value.message) == (502, "Bad Gateway")


def test_the_16_error_body_is_decoded(make_client: Any, fake_server: FakeServer) -> None:
    body = {"error": "task x already exists", "message": "task x already exists"}
    fake_server.answer(Reply(400, json.dumps(body).encode()))
    with pytest.raises(Exception, match="task x already exists") as caught:
        make_client(fake_server.url).create_task("x", SCRIPT, dbrps=DBRPS)
    assert type(caught.value).__name__ == "Conflict"


def test_invalid_json_for_a_taken_id_is_a_conflict(
    make_client: Any, fake_server: FakeServer
) -> None:
    # Some versions answer a duplicate id with a bare "invalid JSON"; the id exists.
    fake_server.answer(Reply(400, b'{"error": "invalid JSON"}'), Reply(200, TASK_JSON))
    with pytest.raises(Exception, match="task x already exists") as caught:
        make_client(fake_server.url).create_task("x", SCRIPT, dbrps=DBRPS)
    assert type(caught.value).__name__ == "Conflict"
    assert [(r.method, r.path) for r in fake_server.requests] == [
        ("POST", "/kapacitor/v1/tasks"),
        ("GET", "/kapacitor/v1/tasks/x"),
    ]


def test_invalid_json_for_a_free_id_stays_a_bad_request(
    make_client: Any, fake_server: FakeServer
) -> None:
    fake_server.answer(Reply(400, b'{"error": "invalid JSON"}'), Reply(404, b'{"error": "no"}'))
    with pytest.raises(Exception, match="invalid JSON") as caught:
        make_client(fake_server.url).create_task("x", SCRIPT, dbrps=DBRPS)
    assert type(caught.value).__name__ == "BadRequest"


def test_the_same_client_carries_on_after_a_restart(
    make_client: Any, kapacitor_factory: Any
) -> None:
    server = kapacitor_factory()
    client = make_client(server.url)
    client.create_task("survivor", SCRIPT, dbrps=DBRPS, status="enabled")
    server.kill()
    with within(3), pytest.raises(ConnectError):
        client.get_task("survivor")
    restarted = kapacitor_factory(restart=server)
    assert restarted.url == server.url
    task = client.get_task("survivor")  # stored in BoltDB, started again at boot
    assert (task.status, task.executing) == ("enabled", True)
