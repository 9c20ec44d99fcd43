"""AsyncKapacitorClient: the asyncio client.  Everything but sending lives in _core.

One client may serve many concurrent requests (``asyncio.gather``, a TaskGroup):
they share its connection pool, and each flow keeps its own state.

This file is also the source of the blocking client: ``scripts/gen-sync-client``
writes ``_sync.py`` from it by renaming (table in ``tickgen/_build/unasync.py``),
and a test fails when the two drift apart.  What renaming cannot express (how to
wait) is in ``_io.py``, once for each client.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

import httpx

from tickgen.client import _core, _io
from tickgen.client.errors import KapacitorError
from tickgen.client.models import (
    Event,
    Handler,
    Level,
    Ping,
    Task,
    TaskOutput,
    TaskStatus,
    TaskType,
    Template,
    Topic,
    Var,
)
from tickgen.client.retry import RetryPolicy
from tickgen.client.settings import resolve_settings
from tickgen.dbrp import DBRP

log = logging.getLogger("tickgen.client")
T = TypeVar("T")


class AsyncKapacitorClient:
    """Kapacitor's HTTP API in its own nouns; ``async with AsyncKapacitorClient() as c:``.

    Settings are resolved as described in tickgen.client.settings; errors are
    the tree in tickgen.client.errors.  One connection pool is reused for every
    request until ``close()``.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        verify: bool | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        timeout: float | httpx.Timeout = 10.0,
        retry: RetryPolicy | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        settings = resolve_settings(
            url,
            username=username,
            password=password,
            token=token,
            verify=verify,
            ca_bundle=ca_bundle,
            timeout=timeout,
            retry=retry,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        self._core = _core.ClientCore(settings)
        self._http = httpx.AsyncClient(transport=transport, **self._core.client_options())

    @property
    def url(self) -> str:
        """The server's base URL, without credentials."""
        return self._core.settings.display_url

    def __repr__(self) -> str:
        return f"AsyncKapacitorClient({self.url!r}, auth={self._core.settings.auth_scheme})"

    async def __aenter__(self) -> AsyncKapacitorClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the sending chain: retries here, the waiting in _io -------------------------------

    async def _send(self, call: _core.Call[Any]) -> Any:
        request = self._http.build_request(**self._core.request_options(call))
        attempt = 0
        while True:
            try:
                response = await _io.async_receive(self._http, self._core, call, request)
            except httpx.TransportError as exc:
                delay = self._core.retry_after_error(exc, attempt)
                if delay is None:
                    raise _core.transport_error(exc, call.label) from exc
                reason = type(exc).__name__
            else:
                delay = self._core.retry_after_response(call, response, attempt)
                if delay is None:
                    return self._core.result(call, response)
                reason = str(response.status_code)
            attempt += 1
            log.debug(
                "retrying %s in %.2fs after %s (retry %d)", call.label, delay, reason, attempt
            )
            await _io.async_sleep(delay)

    async def _run(self, flow: _core.Flow[T]) -> T:
        result: Any = None
        error: KapacitorError | None = None
        while True:
            try:
                call = flow.throw(error) if error is not None else flow.send(result)
            except StopIteration as done:
                return cast(T, done.value)
            try:
                result, error = await self._send(call), None
            except KapacitorError as exc:
                result, error = None, exc

    # -- server --------------------------------------------------------------------------

    async def ping(self) -> Ping:
        """GET /ping: 204 with the server's version."""
        return await self._run(self._core.ping())

    async def routes(self) -> dict[str, list[str]]:
        """GET /:routes: every route pattern with its methods."""
        return await self._run(self._core.routes())

    # -- tasks ---------------------------------------------------------------------------

    async def create_task(
        self,
        task_id: str | None,
        script: str | None = None,
        *,
        template_id: str | None = None,
        dbrps: Sequence[DBRP] = (),
        vars: Mapping[str, Var] | None = None,
        type: TaskType | None = None,
        status: TaskStatus = "disabled",
    ) -> Task:
        """Create a task; with status enabled, all or nothing (see ClientCore.create_task)."""
        flow = self._core.create_task(
            task_id,
            script,
            template_id=template_id,
            dbrps=dbrps,
            vars=vars,
            type=type,
            status=status,
        )
        return await self._run(flow)

    async def get_task(
        self, task_id: str, *, dot_view: str | None = None, script_format: str | None = None
    ) -> Task:
        return await self._run(
            self._core.get_task(task_id, dot_view=dot_view, script_format=script_format)
        )

    async def update_task(
        self,
        task_id: str,
        *,
        script: str | None = None,
        template_id: str | None = None,
        dbrps: Sequence[DBRP] | None = None,
        vars: Mapping[str, Var] | None = None,
        type: TaskType | None = None,
        status: TaskStatus | None = None,
    ) -> Task:
        """Change a task; an enabled one is restarted so the change takes effect."""
        flow = self._core.update_task(
            task_id,
            script=script,
            template_id=template_id,
            dbrps=dbrps,
            vars=vars,
            type=type,
            status=status,
        )
        return await self._run(flow)

    async def enable_task(self, task_id: str) -> Task:
        return await self._run(self._core.set_task_status(task_id, "enabled"))

    async def disable_task(self, task_id: str) -> Task:
        return await self._run(self._core.set_task_status(task_id, "disabled"))

    async def delete_task(self, task_id: str) -> None:
        """DELETE a task; a missing id is not an error (the server answers 204)."""
        await self._run(self._core.delete_task(task_id))

    async def list_tasks(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        dot_view: str | None = None,
        script_format: str | None = None,
    ) -> list[Task]:
        """One page of tasks sorted by id (the server's default limit is 100)."""
        flow = self._core.list_tasks(
            pattern=pattern,
            fields=fields,
            offset=offset,
            limit=limit,
            dot_view=dot_view,
            script_format=script_format,
        )
        return await self._run(flow)

    async def iter_tasks(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = _core.DEFAULT_PAGE_SIZE,
        script_format: str | None = None,
    ) -> AsyncIterator[Task]:
        """Every task, fetched a page at a time."""
        offset: int | None = 0
        while offset is not None:
            page = await self.list_tasks(
                pattern=pattern,
                fields=fields,
                offset=offset,
                limit=page_size,
                script_format=script_format,
            )
            for item in page:
                yield item
            offset = self._core.next_offset(offset, page_size, len(page))

    async def task_output(self, task_id: str, endpoint: str) -> TaskOutput:
        """What the task's ``|httpOut(endpoint)`` serves (404 unless the task runs)."""
        return await self._run(self._core.task_output(task_id, endpoint))

    # -- templates -----------------------------------------------------------------------

    async def create_template(
        self, template_id: str | None, script: str, *, type: TaskType | None = None
    ) -> Template:
        return await self._run(self._core.create_template(template_id, script, type=type))

    async def get_template(self, template_id: str, *, script_format: str | None = None) -> Template:
        return await self._run(self._core.get_template(template_id, script_format=script_format))

    async def update_template(
        self, template_id: str, *, script: str | None = None, type: TaskType | None = None
    ) -> Template:
        return await self._run(self._core.update_template(template_id, script=script, type=type))

    async def delete_template(self, template_id: str) -> None:
        await self._run(self._core.delete_template(template_id))

    async def list_templates(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        script_format: str | None = None,
    ) -> list[Template]:
        flow = self._core.list_templates(
            pattern=pattern,
            fields=fields,
            offset=offset,
            limit=limit,
            script_format=script_format,
        )
        return await self._run(flow)

    async def iter_templates(
        self, *, pattern: str | None = None, page_size: int = _core.DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[Template]:
        offset: int | None = 0
        while offset is not None:
            page = await self.list_templates(pattern=pattern, offset=offset, limit=page_size)
            for item in page:
                yield item
            offset = self._core.next_offset(offset, page_size, len(page))

    # -- points --------------------------------------------------------------------------

    async def write_points(
        self, lines: str | Iterable[str], *, db: str, rp: str, precision: str | None = None
    ) -> None:
        """Write line protocol straight into Kapacitor's stream (POST /write)."""
        await self._run(self._core.write_points(lines, db=db, rp=rp, precision=precision))

    # -- alert topics --------------------------------------------------------------------

    async def list_topics(
        self, *, pattern: str | None = None, min_level: Level | None = None
    ) -> list[Topic]:
        return await self._run(self._core.list_topics(pattern=pattern, min_level=min_level))

    async def get_topic(self, topic: str) -> Topic:
        return await self._run(self._core.get_topic(topic))

    async def delete_topic(self, topic: str) -> None:
        await self._run(self._core.delete_topic(topic))

    async def list_topic_events(self, topic: str, *, min_level: Level | None = None) -> list[Event]:
        return await self._run(self._core.list_topic_events(topic, min_level=min_level))

    async def get_topic_event(self, topic: str, event_id: str) -> Event:
        return await self._run(self._core.get_topic_event(topic, event_id))

    async def list_topic_handlers(self, topic: str, *, pattern: str | None = None) -> list[Handler]:
        return await self._run(self._core.list_topic_handlers(topic, pattern=pattern))

    async def create_topic_handler(
        self,
        topic: str,
        handler_id: str,
        kind: str,
        *,
        options: Mapping[str, Any] | None = None,
        match: str = "",
    ) -> Handler:
        return await self._run(
            self._core.create_topic_handler(topic, handler_id, kind, options=options, match=match)
        )

    async def get_topic_handler(self, topic: str, handler_id: str) -> Handler:
        return await self._run(self._core.get_topic_handler(topic, handler_id))

    async def delete_topic_handler(self, topic: str, handler_id: str) -> None:
        await self._run(self._core.delete_topic_handler(topic, handler_id))
