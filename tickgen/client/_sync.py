"""KapacitorClient: the blocking client, GENERATED from _async.py: do not edit.

Change tickgen/client/_async.py (or the renames in tickgen/_build/unasync.py) and
run scripts/gen-sync-client; tests/client/test_sync_generated.py fails when this
file is not what the generator makes of _async.py.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


class KapacitorClient:
    """Kapacitor's HTTP API in its own nouns; ``with KapacitorClient() as c:``.

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
        transport: httpx.BaseTransport | None = None,
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
        self._http = httpx.Client(transport=transport, **self._core.client_options())

    @property
    def url(self) -> str:
        """The server's base URL, without credentials."""
        return self._core.settings.display_url

    def __repr__(self) -> str:
        return f"KapacitorClient({self.url!r}, auth={self._core.settings.auth_scheme})"

    def __enter__(self) -> KapacitorClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- the sending chain: retries here, the waiting in _io -------------------------------

    def _send(self, call: _core.Call[Any]) -> Any:
        request = self._http.build_request(**self._core.request_options(call))
        attempt = 0
        while True:
            try:
                response = _io.receive(self._http, self._core, call, request)
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
            _io.sleep(delay)

    def _run(self, flow: _core.Flow[T]) -> T:
        result: Any = None
        error: KapacitorError | None = None
        while True:
            try:
                call = flow.throw(error) if error is not None else flow.send(result)
            except StopIteration as done:
                return cast(T, done.value)
            try:
                result, error = self._send(call), None
            except KapacitorError as exc:
                result, error = None, exc

    # -- server --------------------------------------------------------------------------

    def ping(self) -> Ping:
        """GET /ping: 204 with the server's version."""
        return self._run(self._core.ping())

    def routes(self) -> dict[str, list[str]]:
        """GET /:routes: every route pattern with its methods."""
        return self._run(self._core.routes())

    # -- tasks ---------------------------------------------------------------------------

    def create_task(
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
        return self._run(flow)

    def get_task(
        self, task_id: str, *, dot_view: str | None = None, script_format: str | None = None
    ) -> Task:
        return self._run(
            self._core.get_task(task_id, dot_view=dot_view, script_format=script_format)
        )

    def update_task(
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
        return self._run(flow)

    def enable_task(self, task_id: str) -> Task:
        return self._run(self._core.set_task_status(task_id, "enabled"))

    def disable_task(self, task_id: str) -> Task:
        return self._run(self._core.set_task_status(task_id, "disabled"))

    def delete_task(self, task_id: str) -> None:
        """DELETE a task; a missing id is not an error (the server answers 204)."""
        self._run(self._core.delete_task(task_id))

    def list_tasks(
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
        return self._run(flow)

    def iter_tasks(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = _core.DEFAULT_PAGE_SIZE,
        script_format: str | None = None,
    ) -> Iterator[Task]:
        """Every task, fetched a page at a time."""
        offset: int | None = 0
        while offset is not None:
            page = self.list_tasks(
                pattern=pattern,
                fields=fields,
                offset=offset,
                limit=page_size,
                script_format=script_format,
            )
            for item in page:
                yield item
            offset = self._core.next_offset(offset, page_size, len(page))

    def task_output(self, task_id: str, endpoint: str) -> TaskOutput:
        """What the task's ``|httpOut(endpoint)`` serves (404 unless the task runs)."""
        return self._run(self._core.task_output(task_id, endpoint))

    # -- templates -----------------------------------------------------------------------

    def create_template(
        self, template_id: str | None, script: str, *, type: TaskType | None = None
    ) -> Template:
        return self._run(self._core.create_template(template_id, script, type=type))

    def get_template(self, template_id: str, *, script_format: str | None = None) -> Template:
        return self._run(self._core.get_template(template_id, script_format=script_format))

    def update_template(
        self, template_id: str, *, script: str | None = None, type: TaskType | None = None
    ) -> Template:
        return self._run(self._core.update_template(template_id, script=script, type=type))

    def delete_template(self, template_id: str) -> None:
        self._run(self._core.delete_template(template_id))

    def list_templates(
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
        return self._run(flow)

    def iter_templates(
        self, *, pattern: str | None = None, page_size: int = _core.DEFAULT_PAGE_SIZE
    ) -> Iterator[Template]:
        offset: int | None = 0
        while offset is not None:
            page = self.list_templates(pattern=pattern, offset=offset, limit=page_size)
            for item in page:
                yield item
            offset = self._core.next_offset(offset, page_size, len(page))

    # -- points --------------------------------------------------------------------------

    def write_points(
        self, lines: str | Iterable[str], *, db: str, rp: str, precision: str | None = None
    ) -> None:
        """Write line protocol straight into Kapacitor's stream (POST /write)."""
        self._run(self._core.write_points(lines, db=db, rp=rp, precision=precision))

    # -- alert topics --------------------------------------------------------------------

    def list_topics(
        self, *, pattern: str | None = None, min_level: Level | None = None
    ) -> list[Topic]:
        return self._run(self._core.list_topics(pattern=pattern, min_level=min_level))

    def get_topic(self, topic: str) -> Topic:
        return self._run(self._core.get_topic(topic))

    def delete_topic(self, topic: str) -> None:
        self._run(self._core.delete_topic(topic))

    def list_topic_events(self, topic: str, *, min_level: Level | None = None) -> list[Event]:
        return self._run(self._core.list_topic_events(topic, min_level=min_level))

    def get_topic_event(self, topic: str, event_id: str) -> Event:
        return self._run(self._core.get_topic_event(topic, event_id))

    def list_topic_handlers(self, topic: str, *, pattern: str | None = None) -> list[Handler]:
        return self._run(self._core.list_topic_handlers(topic, pattern=pattern))

    def create_topic_handler(
        self,
        topic: str,
        handler_id: str,
        kind: str,
        *,
        options: Mapping[str, Any] | None = None,
        match: str = "",
    ) -> Handler:
        return self._run(
            self._core.create_topic_handler(topic, handler_id, kind, options=options, match=match)
        )

    def get_topic_handler(self, topic: str, handler_id: str) -> Handler:
        return self._run(self._core.get_topic_handler(topic, handler_id))

    def delete_topic_handler(self, topic: str, handler_id: str) -> None:
        self._run(self._core.delete_topic_handler(topic, handler_id))
