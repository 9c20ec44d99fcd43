"""The I/O-free core, driven by hand: each flow's requests, step by step.

A flow yields Calls and receives their results (or has their errors thrown in),
so the multi-step operations can be checked without any server.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tickgen.client import DBRP, NotFound, ServerError, Task, TaskOutput, Var, errors
from tickgen.client._core import Call, ClientCore, Flow
from tickgen.client.settings import resolve_settings

CORE = ClientCore(resolve_settings("http://k:9092", env={}))
ENABLED = Task(id="t", status="enabled", executing=True)
DISABLED = Task(id="t", status="disabled")


class Driver:
    """Steps through a flow; records each call as (method, path, json)."""

    def __init__(self, flow: Flow[Any]) -> None:
        self.flow = flow
        self.calls: list[tuple[str, str, Any]] = []
        self.done = False
        self.value: Any = None
        self._step(lambda: next(flow))

    def send(self, result: Any) -> Driver:
        self._step(lambda: self.flow.send(result))
        return self

    def throw(self, error: Exception) -> Driver:
        self._step(lambda: self.flow.throw(error))
        return self

    def _step(self, advance: Any) -> None:
        try:
            call: Call[Any] = advance()
        except StopIteration as stop:
            self.done, self.value = True, stop.value
            return
        self.calls.append((call.method, call.path, call.json))


def test_create_enabled_is_one_post() -> None:
    flow = Driver(CORE.create_task("t", "stream", dbrps=[DBRP(db="d", rp="r")], status="enabled"))
    body = {"id": "t", "script": "stream", "dbrps": [{"db": "d", "rp": "r"}], "status": "enabled"}
    assert flow.calls == [("POST", "tasks", body)]
    flow.send(ENABLED)
    assert (flow.done, flow.value) == (True, ENABLED)


@pytest.mark.parametrize(
    "failure",
    [
        ServerError(500, "failed to create log alert handler: log path must be absolute"),
        errors.ConnectionLost("POST /kapacitor/v1/tasks: peer closed connection"),
        errors.RequestTimeout("POST /kapacitor/v1/tasks: read timeout"),
    ],
)
def test_create_deletes_the_task_when_it_may_be_stored_but_not_running(failure: Exception) -> None:
    # a 500 on create stores the task (enabled, error set, not executing); a lost
    # answer may have stored it: either way the client deletes it again
    flow = Driver(CORE.create_task("t", "stream", status="enabled"))
    flow.throw(failure)
    assert flow.calls[-1] == ("DELETE", "tasks/t", None)
    with pytest.raises(type(failure)) as caught:
        flow.throw(errors.ConnectError("cleanup failed too"))  # the first error wins
    assert caught.value is failure


@pytest.mark.parametrize(
    "failure",
    [
        errors.BadRequest(400, "task t already exists"),  # someone else's task: left alone
        errors.InvalidScript(400, "invalid TICKscript: parser: unexpected EOF"),
        ServerError(500, "task already exists"),  # lost a race for the id: not ours
        errors.ConnectError("POST /kapacitor/v1/tasks: connection refused"),  # never sent
    ],
)
def test_create_deletes_nothing_it_cannot_have_stored(failure: Exception) -> None:
    flow = Driver(CORE.create_task("t", "stream", status="enabled"))
    with pytest.raises(type(failure)):
        flow.throw(failure)
    body = {"id": "t", "script": "stream", "dbrps": [], "status": "enabled"}
    assert flow.calls == [("POST", "tasks", body)]


def test_create_enabled_without_an_id_is_create_disabled_then_enable() -> None:
    # the server picks the id and a failed answer does not tell it, so the task
    # is created disabled (the answer names it) and then enabled
    made = Task(id="0b7a2c", status="disabled")
    flow = Driver(CORE.create_task(None, "stream", status="enabled"))
    assert flow.calls == [("POST", "tasks", {"script": "stream", "dbrps": [], "status": "disabled"})]
    flow.send(made)
    assert flow.calls[-1] == ("PATCH", "tasks/0b7a2c", {"status": "enabled"})
    failure = ServerError(500, "failed to start")
    flow.throw(failure)
    assert flow.calls[-1] == ("DELETE", "tasks/0b7a2c", None)
    with pytest.raises(ServerError) as caught:
        flow.send(None)
    assert caught.value is failure


def test_create_disabled_is_one_request() -> None:
    flow = Driver(CORE.create_task("t", "stream")).send(DISABLED)
    assert (len(flow.calls), flow.done) == (1, True)
    assert flow.calls[0][2]["status"] == "disabled"


def test_update_to_enabled_stops_with_the_change_then_starts() -> None:
    # whatever the task's status was, it ends up running the new definition
    flow = Driver(CORE.update_task("t", script="new", status="enabled"))
    flow.send(DISABLED).send(ENABLED)
    assert flow.calls == [
        ("PATCH", "tasks/t", {"script": "new", "status": "disabled"}),
        ("PATCH", "tasks/t", {"status": "enabled"}),
    ]
    assert (flow.done, flow.value) == (True, ENABLED)


def test_update_of_an_enabled_task_restarts_it() -> None:
    flow = Driver(CORE.update_task("t", script="new"))
    flow.send(ENABLED).send(DISABLED).send(ENABLED)
    assert flow.calls == [
        ("PATCH", "tasks/t", {"script": "new"}),
        ("PATCH", "tasks/t", {"status": "disabled"}),
        ("PATCH", "tasks/t", {"status": "enabled"}),
    ]
    assert flow.done


def test_update_of_a_disabled_task_is_one_request() -> None:
    flow = Driver(CORE.update_task("t", vars={"x": Var.of(1)})).send(DISABLED)
    var = {"type": "int", "value": 1, "description": ""}
    assert flow.calls == [("PATCH", "tasks/t", {"vars": {"x": var}})]
    assert flow.done


def test_update_that_disables_is_one_patch() -> None:
    flow = Driver(CORE.update_task("t", dbrps=[], status="disabled")).send(DISABLED)
    assert flow.calls == [("PATCH", "tasks/t", {"dbrps": [], "status": "disabled"})]
    assert (flow.done, flow.value) == (True, DISABLED)


def test_update_with_only_a_status_is_one_patch() -> None:
    flow = Driver(CORE.update_task("t", status="enabled")).send(ENABLED)
    assert flow.calls == [("PATCH", "tasks/t", {"status": "enabled"})]
    assert flow.done


def test_update_with_nothing_is_a_get() -> None:
    flow = Driver(CORE.update_task("t")).send(DISABLED)
    assert flow.calls == [("GET", "tasks/t", None)]
    assert flow.value == DISABLED


def test_duplicate_reported_as_invalid_json_becomes_conflict() -> None:
    flow = Driver(CORE.create_template("tpl", "stream"))
    flow.throw(errors.BadRequest(400, "invalid JSON"))
    assert flow.calls[-1] == ("GET", "templates/tpl", None)
    with pytest.raises(errors.Conflict, match="template tpl already exists"):
        flow.send(None)


def test_invalid_json_without_a_taken_id_stays() -> None:
    flow = Driver(CORE.create_task("t", "stream")).throw(errors.BadRequest(400, "invalid JSON"))
    with pytest.raises(errors.BadRequest, match="invalid JSON") as caught:
        flow.throw(NotFound(404, "no task exists"))
    assert type(caught.value) is errors.BadRequest


def test_a_failed_probe_leaves_the_original_error() -> None:
    original = errors.BadRequest(400, "invalid JSON")
    flow = Driver(CORE.create_task("t", "stream")).throw(original)
    with pytest.raises(errors.BadRequest) as caught:
        flow.throw(errors.ConnectError("gone"))
    assert caught.value is original


def test_ids_are_quoted_in_paths_but_topic_colons_stay() -> None:
    assert Driver(CORE.get_task("a b/c")).calls[0][1] == "tasks/a%20b%2Fc"
    assert Driver(CORE.list_topic_events("main:t:alert2")).calls[0][1] == (
        "alerts/topics/main:t:alert2/events"
    )


def test_list_parameters_repeat_fields_and_skip_unset() -> None:
    call = next(CORE.list_tasks(pattern="cpu*", fields=["status", "error"], limit=5))
    assert list(call.params) == [
        ("pattern", "cpu*"),
        ("fields", "status"),
        ("fields", "error"),
        ("limit", "5"),
    ]


@pytest.mark.parametrize(
    ("offset", "limit", "received", "expected"),
    [(0, 100, 100, 100), (100, 100, 50, None), (0, 100, 0, None), (200, 50, 50, 250)],
)
def test_next_offset(offset: int, limit: int, received: int, expected: int | None) -> None:
    assert ClientCore.next_offset(offset, limit, received) == expected


def test_write_requires_rp_and_joins_lines() -> None:
    call = next(CORE.write_points(["a v=1 1", "a v=2 2"], db="d", rp="autogen", precision="s"))
    assert (call.method, call.path, call.content) == ("POST", "write", b"a v=1 1\na v=2 2")
    assert list(call.params) == [("db", "d"), ("rp", "autogen"), ("precision", "s")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, Var(type="bool", value=True)),
        (3, Var(type="int", value=3)),
        (2.5, Var(type="float", value=2.5)),
        ("x", Var(type="string", value="x")),
        (timedelta(minutes=1), Var(type="duration", value=60_000_000_000)),
        (["host", "dc"], Var(type="list", value=[{"type": "string", "value": "host"},
                                                 {"type": "string", "value": "dc"}])),
    ],
)  # fmt: skip
def test_var_of(value: Any, expected: Var) -> None:
    assert Var.of(value) == expected


def test_null_collections_decode_empty() -> None:
    task = Task.model_validate({"id": "t", "stats": None, "vars": None, "dbrps": None})
    assert (task.stats, task.vars, task.dbrps) == ({}, {}, [])
    assert TaskOutput.model_validate({"series": None}).series == []


def test_task_output_rows() -> None:
    output = TaskOutput.model_validate(
        {"series": [{"name": "cpu", "tags": {"host": "a"}, "columns": ["time", "v"],
                     "values": [["t1", 1], ["t2", 2]]}]}
    )  # fmt: skip
    assert output.rows() == [
        {"host": "a", "time": "t1", "v": 1},
        {"host": "a", "time": "t2", "v": 2},
    ]


def test_core_repr_hides_credentials() -> None:
    core = ClientCore(resolve_settings("http://u:pw@k:1", env={}))
    assert repr(core) == "ClientCore('http://k:1', auth=basic)"
    assert "pw" not in repr(core.settings)
