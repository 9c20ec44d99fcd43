"""The I/O-free half of the client, shared by KapacitorClient and AsyncKapacitorClient.

Every operation is written once, here, as a *flow*: a generator that yields
``Call``s (one HTTP request each, with how to decode its answer) and receives
their decoded results, or has the call's KapacitorError thrown into it.  The
sync and async clients only drive flows (``_run``) and send calls with retries
(``_send``), so the multi-step operations that work around Kapacitor's quirks
(atomic create, restart after an update, duplicate-id detection) exist once.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote, urlsplit

import httpx
import pydantic

from tickgen.client import errors
from tickgen.client.models import (
    Event,
    Handler,
    Level,
    Ping,
    TaskOutput,
    TaskStatus,
    TaskType,
    Template,
    Topic,
    Var,
)
from tickgen.client.models import Task as TaskModel
from tickgen.client.settings import API_PREFIX, Settings
from tickgen.dbrp import DBRP
from tickgen.errors import in_seconds

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)
Flow = Generator["Call[Any]", Any, T]

DEFAULT_PAGE_SIZE = 100  # Kapacitor's own default limit for list endpoints


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request, the statuses that mean success, and how to decode the answer."""

    method: str
    path: str  # relative to .../kapacitor/v1/
    decode: Callable[[httpx.Response], T]
    ok: tuple[int, ...] = (200,)
    params: Sequence[tuple[str, str]] = ()
    json: Any = None
    content: bytes | None = None

    @property
    def label(self) -> str:
        """``GET /kapacitor/v1/tasks/x`` for messages: no host, no query, no secrets."""
        return f"{self.method} /kapacitor/v1/{self.path}"


def _seg(value: str) -> str:
    """A path segment; ':' stays readable because topic ids are full of them."""
    return quote(value, safe=":")


def _params(**values: str | int | Iterable[str] | None) -> list[tuple[str, str]]:
    """Query parameters without the unset ones; iterables repeat the key (fields=)."""
    out: list[tuple[str, str]] = []
    for key, value in values.items():
        name = key.replace("_", "-")
        if value is None:
            continue
        if isinstance(value, (str, int)):
            out.append((name, str(value)))
        else:
            out.extend((name, item) for item in value)
    return out


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        snippet = errors.shown(response.text[:200])
        raise errors.InvalidResponse(
            f"{_label(response)}: {response.status_code} with a body that is not JSON: "
            f"{snippet!r}; {_NOT_KAPACITOR}",
            status=response.status_code,
        ) from None


def _decoder(model: type[M]) -> Callable[[httpx.Response], M]:
    """Decode the body as one ``model``."""

    def decode(response: httpx.Response) -> M:
        return _validate(lambda: model.model_validate(_json_body(response)), response)

    return decode


def _list_decoder(model: type[M], key: str) -> Callable[[httpx.Response], list[M]]:
    """Decode the list of ``model`` under ``key`` (a null list is an empty one)."""

    def decode(response: httpx.Response) -> list[M]:
        body = _json_body(response)
        return _validate(lambda: [model.model_validate(item) for item in body[key] or []], response)

    return decode


def _validate(build: Callable[[], T], response: httpx.Response) -> T:
    try:
        return build()
    except (pydantic.ValidationError, KeyError, TypeError) as exc:
        raise errors.InvalidResponse(
            f"{_label(response)}: unexpected answer: {_one_line(str(exc))}; {_NOT_KAPACITOR}",
            status=response.status_code,
        ) from None


_NOT_KAPACITOR = (
    "Kapacitor's API does not answer like this: is the URL Kapacitor's (not a proxy's "
    "or another service's), and is its version one tickgen supports (1.5 or later)?"
)


def _one_line(text: str) -> str:
    """pydantic's multi-line report as one line (the CLI prints one line per problem)."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _label(response: httpx.Response) -> str:
    """``GET /kapacitor/v1/tasks/x``: the request without host, query or credentials."""
    return f"{response.request.method} {response.request.url.path}"


def _one(call: Call[T]) -> Flow[T]:
    """The flow of a single call: its decoded result."""
    result = yield call
    return cast(T, result)


def _nothing(response: httpx.Response) -> None:
    return None


def error_message(response: httpx.Response, secrets: tuple[str, ...] = ()) -> str:
    """The server's words from either JSON error body, or the text of any other body;
    truncated, with credentials redacted (a proxy may echo the request's headers)."""
    text = response.text.strip()
    try:
        body = json.loads(text)
    except ValueError:
        return errors.shown(text, secrets) if text else response.reason_phrase
    if isinstance(body, dict):
        for key in ("message", "error"):  # 1.6+ sends both, 1.5 only "error"
            if isinstance(body.get(key), str) and body[key]:
                return errors.shown(str(body[key]), secrets)
    return errors.shown(text, secrets)


_NOT_COPIED = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def with_body(response: httpx.Response, content: bytes) -> httpx.Response:
    """A streamed ``response`` (closed) as an ordinary one holding its decoded body."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _NOT_COPIED]
    whole = httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions=response.extensions,
    )
    with contextlib.suppress(RuntimeError):  # a transport that never timed it (MockTransport)
        whole.elapsed = response.elapsed
    return whole


def transport_error(exc: httpx.TransportError, label: str) -> errors.TransportError:
    """The KapacitorError for an httpx transport failure, saying which server was
    tried, what went wrong in words, and what would help."""
    cls: type[errors.TransportError]
    if isinstance(exc, httpx.TimeoutException):
        cls = errors.RequestTimeout
    elif isinstance(exc, httpx.ConnectError):
        cls = errors.ConnectError
    elif isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        cls = errors.ConnectionLost
    else:
        cls = errors.TransportError
    server = _server_of(exc)
    return cls(f"{label}: {_failure_words(exc, server)}", url=server)


def _server_of(exc: httpx.TransportError) -> str | None:
    """``http://host:port[/prefix]`` of the failed request (no credentials, no query)."""
    try:
        url = exc.request.url
    except RuntimeError:  # an error raised without its request
        return None
    root = url.copy_with(query=None, fragment=None, username=None, password=None)
    return str(root).split(API_PREFIX, 1)[0]


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost error under httpx's and httpcore's wrappers (an OSError, mostly)."""
    seen = {id(exc)}
    cause: BaseException | None = exc
    found = exc
    while cause is not None:
        found = cause
        cause = cause.__cause__ or cause.__context__
        if cause is None or id(cause) in seen:
            break
        seen.add(id(cause))
    return found


def _failure_words(exc: httpx.TransportError, server: str | None) -> str:
    """What happened, for a person: where, why, and what to check."""
    at = server or "the server"
    root = _root_cause(exc)
    detail = str(root) or str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return (
            f"no connection to {at} within the connect timeout ({detail}): is the host "
            "up and the port open to you (a firewall may drop the packets)?"
        )
    if isinstance(exc, httpx.ReadTimeout):
        return (
            f"{at} took the request but sent no answer within the read timeout ({detail}): "
            "the server is overloaded or stuck, or the URL names something that is not Kapacitor"
        )
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out talking to {at} ({detail})"
    if isinstance(root, ssl.SSLCertVerificationError):
        return (
            f"cannot connect to {at}: its TLS certificate is not trusted ({detail}); give the "
            "CA that signed it in $SSL_CERT_FILE (or the client's ca_bundle), or turn "
            "verification off with KAPACITOR_UNSAFE_SSL=true"
        )
    if isinstance(root, ssl.SSLError):
        return (
            f"cannot connect to {at}: the TLS handshake failed ({detail}); if the server "
            "speaks plain HTTP, write its URL with http://"
        )
    if isinstance(root, socket.gaierror):
        host = urlsplit(server).hostname if server else None
        name = f"the host name {host!r}" if host else "the host name"
        return (
            f"cannot connect to {at}: {name} does not resolve ({detail}); check the "
            "host in the URL"
        )
    if isinstance(root, ConnectionRefusedError):
        return (
            f"cannot connect to {at}: connection refused (nothing listens there): is "
            "Kapacitor running, and on that host and port?"
        )
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {at} ({detail})"
    why = (
        "if it speaks TLS, write its URL with https://"
        if server and server.startswith("http://")
        else "it may have restarted or stopped (its log says why)"
    )
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{at} closed the connection without a complete answer ({detail}); {why}"
    return f"the connection to {at} broke off ({detail}); {why}"


def was_not_sent(exc: httpx.TransportError) -> bool:
    """True when the request never left: the connection was not made."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))


class ClientCore:
    """Builds requests, decodes answers, maps errors and decides retries; no I/O."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __repr__(self) -> str:
        return f"ClientCore({self.settings.display_url!r}, auth={self.settings.auth_scheme})"

    # -- sending support ---------------------------------------------------------------

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for httpx.Client / httpx.AsyncClient."""
        headers = {"User-Agent": self.settings.user_agent, "Accept": "application/json"}
        if self.settings.authorization:
            headers["Authorization"] = self.settings.authorization  # httpx masks it in reprs
        return {
            "headers": headers,
            "verify": self.settings.verify,
            "timeout": self.settings.timeout,
        }

    def request_options(self, call: Call[Any]) -> dict[str, Any]:
        """Keyword arguments for ``build_request`` of either httpx client."""
        options: dict[str, Any] = {"params": list(call.params)}
        if call.json is not None:
            options["json"] = call.json
        if call.content is not None:
            options["content"] = call.content
        # An absolute URL: httpx would read the relative ":routes" as a scheme.
        return {"method": call.method, "url": self.settings.base_url + call.path, **options}

    def retry_after_response(
        self, call: Call[Any], response: httpx.Response, attempt: int
    ) -> float | None:
        """Seconds to wait before resending after this answer; None to use it as is."""
        if response.status_code in call.ok:
            return None
        if not self.settings.retry.retry_status(call.method, response.status_code):
            return None
        return self.settings.retry.delay(attempt, response.headers.get("Retry-After"))

    def retry_after_error(self, exc: httpx.TransportError, attempt: int) -> float | None:
        """Seconds to wait before resending after a transport failure; None to raise."""
        if not was_not_sent(exc):
            return None
        return self.settings.retry.delay(attempt)

    def result(self, call: Call[T], response: httpx.Response) -> T:
        """The decoded answer, or the APIError for an error status."""
        if response.status_code in call.ok:
            return call.decode(response)
        raise errors.error_for_status(
            response.status_code,
            error_message(response, self.settings.secrets),
            request=call.label,
        )

    def too_large(self, call: Call[Any], status: int) -> errors.InvalidResponse:
        limit = self.settings.max_response_bytes
        size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit:,} bytes"
        return errors.InvalidResponse(
            f"{call.label}: the answer is larger than {size}; stopped reading "
            "(raise $TICKGEN_MAX_RESPONSE_MB if the server really sends that much)",
            status=status,
        )

    def request_limit(self, call: Call[Any]) -> float:
        """Seconds this request may take: its own deadline, capped by the time left on
        the overall one; DeadlineExceeded if that has passed (the request is not sent)."""
        overall = self.settings.overall
        if overall is None:
            return self.settings.deadline
        left = overall.remaining()
        if left <= 0:
            raise self.past_deadline(call)
        return min(self.settings.deadline, left)

    def retry_pause(self, call: Call[Any], delay: float) -> float:
        """How long to wait before a retry: ``delay``, unless the overall deadline
        passes first (DeadlineExceeded now: waiting could only end in it)."""
        overall = self.settings.overall
        if overall is not None and delay >= overall.remaining():
            raise self.past_deadline(call)
        return delay

    def too_slow(self, call: Call[Any], limit: float | None = None) -> errors.RequestTimeout:
        """The error for a request cut off after ``limit`` seconds (request_limit's answer):
        the overall deadline's when that was the tighter bound."""
        overall = self.settings.overall
        if limit is not None and overall is not None and limit < self.settings.deadline:
            return self.past_deadline(call)
        return errors.RequestTimeout(
            f"{call.label}: no complete answer within {in_seconds(self.settings.deadline)}; "
            "gave up (the server is slow or trickling; $TICKGEN_REQUEST_DEADLINE sets the limit)"
        )

    def past_deadline(self, call: Call[Any]) -> errors.DeadlineExceeded:
        overall = self.settings.overall
        assert overall is not None
        return errors.DeadlineExceeded(f"{call.label}: stopped: {overall.reached()}")

    def bounded_timeout(self, request: httpx.Request, limit: float) -> None:
        """No single read, write or connect may wait longer than the whole ``limit``."""
        timeout = dict(request.extensions.get("timeout", {}))
        for key in ("connect", "read", "write", "pool"):
            value = timeout.get(key)
            timeout[key] = limit if value is None else min(value, limit)
        request.extensions["timeout"] = timeout

    # -- server ------------------------------------------------------------------------

    def ping(self) -> Flow[Ping]:
        def decode(response: httpx.Response) -> Ping:
            version = response.headers.get("X-Kapacitor-Version", "")
            return Ping(version=version, rtt=response.elapsed.total_seconds())

        return (yield from _one(Call("GET", "ping", decode, ok=(204,))))

    def routes(self) -> Flow[dict[str, list[str]]]:
        call = Call("GET", ":routes", lambda r: dict(_json_body(r)))
        return (yield from _one(call))

    # -- tasks -------------------------------------------------------------------------

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
    ) -> Flow[TaskModel]:
        """Create a task; with status enabled, all or nothing.

        One POST carries the status.  A create with status enabled whose pipeline
        fails to start is stored anyway (enabled, with ``error`` set, not
        executing) and answered 500 (reference §4.2); the client then deletes
        it, which also drops anything its start registered, so no half-made task
        is left.  So does an answer lost to the connection, since the task may
        have been stored.  Without an id the server picks one that a failed
        answer does not tell, so such a task is created disabled and then enabled
        (and deleted if enabling fails).
        """
        body = _task_body(
            id=task_id, script=script, template_id=template_id, dbrps=dbrps, vars=vars, type=type
        )
        if status == "disabled" or task_id:
            call = Call("POST", "tasks", _decoder(TaskModel), json={**body, "status": status})
            try:
                return (yield from self._create(call, "tasks", task_id))
            except (errors.ServerError, errors.ConnectionLost, errors.RequestTimeout) as exc:
                if status == "enabled" and task_id and _may_be_stored(exc):
                    yield from self._delete_quietly(self._delete_call("tasks", task_id))
                raise
        call = Call("POST", "tasks", _decoder(TaskModel), json={**body, "status": "disabled"})
        task: TaskModel = yield from self._create(call, "tasks", task_id)
        try:
            task = yield self._patch_task(task.id, {"status": "enabled"})
        except errors.KapacitorError:
            yield from self._delete_quietly(self._delete_call("tasks", task.id))
            raise
        return task

    def get_task(
        self, task_id: str, *, dot_view: str | None = None, script_format: str | None = None
    ) -> Flow[TaskModel]:
        params = _params(dot_view=dot_view, script_format=script_format)
        return (
            yield from _one(
                Call("GET", f"tasks/{_seg(task_id)}", _decoder(TaskModel), params=params)
            )
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
    ) -> Flow[TaskModel]:
        """PATCH the definition, then make the running pipeline match it.

        Kapacitor keeps running the old pipeline of an enabled task whose script,
        vars or dbrps change; only a status change restarts it (reference §4.2;
        ``handleUpdateTask`` starts or stops a task only when its status changes).
        So a task that is to run is stopped by the PATCH that carries the change
        and started by a second one: two requests whatever its status was.  With
        no status given, the PATCH's answer tells whether the task runs, and a
        running one is disabled and enabled again, as ``kapacitor define`` does.
        dbrps and vars replace the old ones (empty vars cannot clear them).
        """
        body = _task_body(script=script, template_id=template_id, dbrps=dbrps, vars=vars, type=type)
        if not body:
            if status is None:
                return (yield from self.get_task(task_id))
            return (yield from _one(self._patch_task(task_id, {"status": status})))
        if status == "disabled":
            return (yield from _one(self._patch_task(task_id, {**body, "status": "disabled"})))
        if status == "enabled":
            yield self._patch_task(task_id, {**body, "status": "disabled"})
            return (yield from _one(self._patch_task(task_id, {"status": "enabled"})))
        task: TaskModel = yield self._patch_task(task_id, body)
        if task.enabled:
            yield self._patch_task(task_id, {"status": "disabled"})
            task = yield self._patch_task(task_id, {"status": "enabled"})
        return task

    def set_task_status(self, task_id: str, status: TaskStatus) -> Flow[TaskModel]:
        return (yield from _one(self._patch_task(task_id, {"status": status})))

    def delete_task(self, task_id: str) -> Flow[None]:
        return (yield from _one(self._delete_call("tasks", task_id)))

    def list_tasks(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        dot_view: str | None = None,
        script_format: str | None = None,
    ) -> Flow[list[TaskModel]]:
        params = _params(
            pattern=pattern,
            fields=fields,
            offset=offset,
            limit=limit,
            dot_view=dot_view,
            script_format=script_format,
        )
        decode = _list_decoder(TaskModel, "tasks")
        return (yield from _one(Call("GET", "tasks", decode, params=params)))

    def task_output(self, task_id: str, endpoint: str) -> Flow[TaskOutput]:
        path = f"tasks/{_seg(task_id)}/{_seg(endpoint)}"
        return (yield from _one(Call("GET", path, _decoder(TaskOutput))))

    # -- templates ---------------------------------------------------------------------

    def create_template(
        self, template_id: str | None, script: str, *, type: TaskType | None = None
    ) -> Flow[Template]:
        body = _task_body(id=template_id, script=script, type=type)
        call = Call("POST", "templates", _decoder(Template), json=body)
        return (yield from self._create(call, "templates", template_id))

    def get_template(self, template_id: str, *, script_format: str | None = None) -> Flow[Template]:
        path = f"templates/{_seg(template_id)}"
        params = _params(script_format=script_format)
        return (yield from _one(Call("GET", path, _decoder(Template), params=params)))

    def update_template(
        self, template_id: str, *, script: str | None = None, type: TaskType | None = None
    ) -> Flow[Template]:
        """PATCH a template; Kapacitor itself updates and restarts the tasks made from it."""
        path = f"templates/{_seg(template_id)}"
        body = _task_body(script=script, type=type)
        decode = _decoder(Template)
        return (yield from _one(Call("PATCH", path, decode, json=body)))

    def delete_template(self, template_id: str) -> Flow[None]:
        return (yield from _one(self._delete_call("templates", template_id)))

    def list_templates(
        self,
        *,
        pattern: str | None = None,
        fields: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
        script_format: str | None = None,
    ) -> Flow[list[Template]]:
        params = _params(
            pattern=pattern, fields=fields, offset=offset, limit=limit, script_format=script_format
        )
        decode = _list_decoder(Template, "templates")
        return (yield from _one(Call("GET", "templates", decode, params=params)))

    # -- points ------------------------------------------------------------------------

    def write_points(
        self, lines: str | Iterable[str], *, db: str, rp: str, precision: str | None = None
    ) -> Flow[None]:
        """POST line protocol to /write.  ``rp`` is required because an empty one
        falls back to the server's default-retention-policy, which is "" unless
        configured and then matches no task's dbrp."""
        text = lines if isinstance(lines, str) else "\n".join(lines)
        params = _params(db=db, rp=rp, precision=precision)
        # 200 is the server's odd answer to a body whose parse error is exactly "EOF".
        call = Call("POST", "write", _nothing, ok=(204, 200), params=params, content=text.encode())
        return (yield from _one(call))

    # -- alert topics, events, handlers ------------------------------------------------

    def list_topics(
        self, *, pattern: str | None = None, min_level: Level | None = None
    ) -> Flow[list[Topic]]:
        params = _params(pattern=pattern, min_level=min_level)
        decode = _list_decoder(Topic, "topics")
        return (yield from _one(Call("GET", "alerts/topics", decode, params=params)))

    def get_topic(self, topic: str) -> Flow[Topic]:
        path = f"alerts/topics/{_seg(topic)}"
        return (yield from _one(Call("GET", path, _decoder(Topic))))

    def delete_topic(self, topic: str) -> Flow[None]:
        return (yield from _one(self._delete_call("alerts/topics", topic)))

    def list_topic_events(self, topic: str, *, min_level: Level | None = None) -> Flow[list[Event]]:
        path = f"alerts/topics/{_seg(topic)}/events"
        decode = _list_decoder(Event, "events")
        return (yield from _one(Call("GET", path, decode, params=_params(min_level=min_level))))

    def get_topic_event(self, topic: str, event_id: str) -> Flow[Event]:
        path = f"alerts/topics/{_seg(topic)}/events/{_seg(event_id)}"
        return (yield from _one(Call("GET", path, _decoder(Event))))

    def list_topic_handlers(self, topic: str, *, pattern: str | None = None) -> Flow[list[Handler]]:
        path = f"alerts/topics/{_seg(topic)}/handlers"
        decode = _list_decoder(Handler, "handlers")
        return (yield from _one(Call("GET", path, decode, params=_params(pattern=pattern))))

    def create_topic_handler(
        self,
        topic: str,
        handler_id: str,
        kind: str,
        *,
        options: Mapping[str, Any] | None = None,
        match: str = "",
    ) -> Flow[Handler]:
        path = f"alerts/topics/{_seg(topic)}/handlers"
        body = {"id": handler_id, "kind": kind, "options": dict(options or {}), "match": match}
        return (yield from _one(Call("POST", path, _decoder(Handler), json=body)))

    def get_topic_handler(self, topic: str, handler_id: str) -> Flow[Handler]:
        path = f"alerts/topics/{_seg(topic)}/handlers/{_seg(handler_id)}"
        return (yield from _one(Call("GET", path, _decoder(Handler))))

    def delete_topic_handler(self, topic: str, handler_id: str) -> Flow[None]:
        return (
            yield from _one(self._delete_call(f"alerts/topics/{_seg(topic)}/handlers", handler_id))
        )

    # -- paging ------------------------------------------------------------------------

    @staticmethod
    def next_offset(offset: int, limit: int, received: int) -> int | None:
        """The offset of the next page, or None after a short (last) page."""
        return offset + received if received >= limit else None

    # -- shared steps ------------------------------------------------------------------

    def _create(self, call: Call[T], collection: str, item_id: str | None) -> Flow[T]:
        """POST a new task or template, reporting a taken id as Conflict.

        Some Kapacitor versions answer a duplicate id with a bare "invalid JSON";
        our body is valid JSON, so if the id now exists, that is what it meant.
        """
        try:
            return (yield from _one(call))
        except errors.BadRequest as exc:
            if exc.message != "invalid JSON" or not item_id:
                raise
            probe = Call("GET", f"{collection}/{_seg(item_id)}", _nothing)
            try:
                yield probe
            except errors.KapacitorError:  # not there, or unknown: the answer stands
                raise exc from None
            raise errors.Conflict(
                exc.status, f"{collection[:-1]} {item_id} already exists", request=exc.request
            ) from exc

    def _patch_task(self, task_id: str, body: dict[str, Any]) -> Call[TaskModel]:
        return Call("PATCH", f"tasks/{_seg(task_id)}", _decoder(TaskModel), json=body)

    def _delete_call(self, collection: str, item_id: str) -> Call[None]:
        return Call("DELETE", f"{collection}/{_seg(item_id)}", _nothing, ok=(204,))

    def _delete_quietly(self, call: Call[None]) -> Flow[None]:
        # Cleanup after a failure: the first error is the one worth reporting.
        with contextlib.suppress(errors.KapacitorError):
            yield call


def _may_be_stored(exc: errors.KapacitorError) -> bool:
    """Whether a failed create may have stored the task: a 5xx other than a taken
    id (a create racing another one for the same id), or an answer that was lost."""
    if isinstance(exc, errors.ServerError):
        return "already exists" not in exc.message
    return isinstance(exc, (errors.ConnectionLost, errors.RequestTimeout))


def _task_body(**fields: Any) -> dict[str, Any]:
    """The JSON of a task or template; unset fields are left out (= unchanged on PATCH)."""
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if key == "dbrps":
            body[key] = [dbrp.to_json() for dbrp in value]
        elif key == "vars":
            body[key] = {name: var.model_dump() for name, var in value.items()}
        elif key == "template_id":
            body["template-id"] = value
        else:
            body[key] = value
    return body
