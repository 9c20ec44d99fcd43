"""The waiting that differs between the two clients, written once for each.

``_async.py`` is the source of both clients: ``_sync.py`` is generated from it by
renaming (``scripts/gen-sync-client``, table in ``tickgen/_build/unasync.py``).
What renaming cannot express lives here as pairs whose names the table maps onto
each other: ``async_sleep`` → ``sleep``, ``async_receive`` → ``receive``.

Both receives read the whole answer as a stream, at most ``max_response_bytes`` of
body, within ``limit`` seconds (the request's deadline, capped by the time left on
the overall one: ``ClientCore.request_limit``); they differ in how it is kept.  The
async read is cancelled when it passes, by anyio's ``fail_after`` rather than
``asyncio.wait_for``: on Python 3.10 and 3.11 ``wait_for`` swallows a cancellation of
its caller that lands in the loop turn its answer completes in, and ``apply`` stops at
its command deadline by cancelling (a lost cancel left it paging a slow server
forever).  anyio comes with httpx; ``asyncio.timeout`` would do only from 3.11.
A blocking read cannot be interrupted, and a
server may trickle its headers a byte at a time, each within the read timeout:
the headers are awaited in a helper thread that is abandoned at the deadline
(closing the client closes its connection); the body is read in the caller's
thread, each read bounded by the deadline.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import anyio
import httpx

from tickgen.client._core import Call, ClientCore, with_body


async def async_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_receive(
    http: httpx.AsyncClient,
    core: ClientCore,
    call: Call[Any],
    request: httpx.Request,
    limit: float,
) -> httpx.Response:
    """The whole answer, or RequestTimeout (DeadlineExceeded) after ``limit`` seconds."""
    try:
        with anyio.fail_after(limit):
            return await _async_read(http, core, call, request)
    except TimeoutError:
        raise core.too_slow(call, limit) from None


async def _async_read(
    http: httpx.AsyncClient, core: ClientCore, call: Call[Any], request: httpx.Request
) -> httpx.Response:
    limit = core.settings.max_response_bytes
    response = await http.send(request, stream=True)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise core.too_large(call, response.status_code)
            chunks.append(chunk)
    finally:
        await response.aclose()
    return with_body(response, b"".join(chunks))


def receive(
    http: httpx.Client,
    core: ClientCore,
    call: Call[Any],
    request: httpx.Request,
    limit: float,
) -> httpx.Response:
    """The whole answer, or RequestTimeout (DeadlineExceeded) after ``limit`` seconds."""
    settings = core.settings
    give_up = time.monotonic() + limit
    core.bounded_timeout(request, limit)
    answer: list[httpx.Response] = []
    failure: list[BaseException] = []

    def send() -> None:
        try:
            answer.append(http.send(request, stream=True))
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    waiter = threading.Thread(target=send, name="tickgen-request", daemon=True)
    waiter.start()
    waiter.join(limit)
    if waiter.is_alive():
        raise core.too_slow(call, limit)
    if failure:
        raise failure[0]
    response = answer[0]
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > settings.max_response_bytes:
                raise core.too_large(call, response.status_code)
            chunks.append(chunk)
            if time.monotonic() > give_up:
                raise core.too_slow(call, limit)
    finally:
        response.close()
    return with_body(response, b"".join(chunks))
