"""The offline verdicts of tests/test_param_semantics.py, proved on the real kapacitord 1.5.9.

For each class of check, the value just inside tickgen's limit renders a task
that Kapacitor accepts and starts (``executing``, no ``error``), and the value
tickgen refuses is refused by Kapacitor too: at create (400), at start (500,
Kapacitor's own text quoted), or, for comparisons that can never be true,
the task starts and the level never fires (a lower level that holds for the
same point fires instead, and the server logs the type error).

The refused values cannot pass tickgen's models, so their scripts are made by
the same template from the accepted alert with only that value changed
(``model_copy`` does not validate), or, where the template's own escaping
refuses the value, by changing that one literal in the rendered script.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from tests import servers
from tickgen import ParameterError
from tickgen.client import KapacitorClient
from tickgen.client.errors import (
    BadRequest,
    Conflict,
    InvalidScript,
    KapacitorError,
    NotFound,
    ServerError,
)
from tickgen.client.models import DBRP, Handler
from tickgen.models import BuiltinAlert
from tickgen.pipeline import load
from tickgen.render import Renderer

_ALERT: TypeAdapter[BuiltinAlert] = TypeAdapter(BuiltinAlert)  # type: ignore[arg-type]
_DBRPS = [DBRP(db="telegraf", rp="autogen")]
_RENDERER = Renderer(kapacitor_version="1.5.9")


def _params(task_id: str, **params: Any) -> dict[str, Any]:
    """A threshold alert's parameters; a value of None leaves that parameter out."""
    merged = {
        "template": "threshold",
        "id": task_id,
        "database": "telegraf",
        "measurement": "semantics",
        "field": "value",
        "crit": {"op": ">", "value": 90},
        "influxdb_out": None,
        "topic": "semantics",
        **params,
    }
    return {
        key: value for key, value in merged.items() if value is not None or key == "influxdb_out"
    }


def _offline(tmp_path: Path, params: dict[str, Any]) -> str:
    """tickgen's verdict on a parameter file: '' when valid, else the problems."""
    path = tmp_path / f"{params['id']}.json"
    path.write_text(json.dumps(params), encoding="utf-8")
    try:
        (alert,) = load(path, kapacitor_version="1.5.9")
        _RENDERER.render(alert)
    except ParameterError as exc:
        return str(exc)
    return ""


def _start(client: KapacitorClient, task_ids: list[str], task_id: str, script: str) -> None:
    """Create the task enabled; it must be executing without an error."""
    client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="enabled")
    task_ids.append(task_id)
    task = client.get_task(task_id)
    assert task.executing, task.error
    assert task.error == ""


def _refused_at_start(client: KapacitorClient, task_id: str, script: str) -> str:
    """Create the task enabled; Kapacitor must answer 500 (the client removes the task)."""
    with pytest.raises(ServerError) as info:
        client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="enabled")
    assert info.value.status == 500
    with pytest.raises(NotFound):
        client.get_task(task_id)
    return info.value.message


# -- zero durations: window period (2.2.1), shift (2.2.2), deadman period (2.2.3) -------

ZERO = [
    pytest.param(
        {"aggregate": {"function": "mean", "period": "1u", "every": "0s"}},
        ("aggregate", "period"),
        "window node must have either a non zero period or non zero period count",
        id="window-period",
    ),
    pytest.param(
        {"template": "relative", "shift": "1u"},
        ("shift",),
        "invalid shift value: must be non zero duration",
        id="shift",
    ),
    pytest.param(
        # a 1u stats ticker would keep a core busy; 1ms is the smallest kind one
        {"template": "deadman", "period": "1ms", "crit": None, "field": None},
        ("period",),
        "stats node must have positive interval",
        id="deadman-period",
    ),
]


@pytest.mark.parametrize(("params", "path", "server_error"), ZERO)
def test_zero_duration(
    params: dict[str, Any],
    path: tuple[str, ...],
    server_error: str,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
    tmp_path: Path,
) -> None:
    good = _params(unique_id("inside"), **params)
    assert _offline(tmp_path, good) == ""
    alert = _ALERT.validate_python(good)
    _start(client, task_ids, alert.id, _RENDERER.render(alert).script)

    bad = json.loads(json.dumps(good))
    target = bad
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "0s"
    bad["id"] = unique_id("zero")
    assert f"{'.'.join(path)}: '0s' is zero" in _offline(tmp_path, bad)
    zero = _with(alert, path, "0s").model_copy(update={"id": bad["id"]})
    message = _refused_at_start(client, bad["id"], _RENDERER.render_text(zero))
    assert message == server_error


def _with(model: Any, path: tuple[str, ...], value: Any) -> Any:
    """``model`` with the value at ``path`` replaced, unvalidated."""
    if len(path) == 1:
        return model.model_copy(update={path[0]: value})
    inner = _with(getattr(model, path[0]), path[1:], value)
    return model.model_copy(update={path[0]: inner})


def test_longest_duration(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str], tmp_path: Path
) -> None:
    longest = _params(
        unique_id("longest"), aggregate={"function": "mean", "period": "2562047h", "every": "1m"}
    )
    assert _offline(tmp_path, longest) == ""
    script = _RENDERER.render(_ALERT.validate_python(longest)).script
    _start(client, task_ids, longest["id"], script)

    over = {**longest, "id": unique_id("over")}
    over["aggregate"] = {**longest["aggregate"], "period": "2562048h"}
    assert "aggregate.period: '2562048h' is longer than a Kapacitor duration" in _offline(
        tmp_path, over
    )
    # quote.duration refuses it too, so the literal is changed in the script
    assert "var period = 2562047h\n" in script
    with pytest.raises(InvalidScript) as info:
        client.create_task(
            over["id"],
            script.replace("var period = 2562047h\n", "var period = 2562048h\n"),
            dbrps=_DBRPS,
            type="stream",
            status="enabled",
        )
    assert "2562048h" in info.value.message


# -- log handler mode (4.2) ----------------------------------------------------------------


@pytest.mark.parametrize(("inside", "refused"), [("0200", "0577"), ("0600", "0444")])
def test_log_mode_must_be_user_writable(
    inside: str,
    refused: str,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
    tmp_path: Path,
) -> None:
    log = {"kind": "log", "path": str(tmp_path / "alerts.log"), "mode": inside}
    good = _params(unique_id("mode"), handlers=[log])
    assert _offline(tmp_path, good) == ""
    alert = _ALERT.validate_python(good)
    _start(client, task_ids, alert.id, _RENDERER.render(alert).script)

    bad = {**good, "id": unique_id("mode"), "handlers": [{**log, "mode": refused}]}
    problem = _offline(tmp_path, bad)
    assert "handlers[0].mode: file mode" in problem
    (handler,) = alert.handlers
    unwritable = alert.model_copy(
        update={"id": bad["id"], "handlers": [handler.model_copy(update={"mode": refused})]}
    )
    message = _refused_at_start(client, bad["id"], _RENDERER.render_text(unwritable))
    kapacitor_says = message.removeprefix("failed to create log alert handler: ")
    assert kapacitor_says.endswith(", must be user writable")
    # tickgen's message quotes Kapacitor's, with the same file mode text
    assert f"('{kapacitor_says}')" in problem


# -- kafka cluster (4.3) ----------------------------------------------------------------------


def test_kafka_cluster(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str], tmp_path: Path
) -> None:
    # The stock configuration registers a disabled cluster 'default': a task naming it
    # starts (no event is sent here: the first one would make kapacitord panic, for want
    # of brokers, which is why tickgen has no default cluster).
    good = _params(unique_id("kafka"), handlers=[{"kind": "kafka", "cluster": "default"}])
    assert _offline(tmp_path, good) == ""
    alert = _ALERT.validate_python(good)
    _start(client, task_ids, alert.id, _RENDERER.render(alert).script)

    bad = {**good, "id": unique_id("kafka"), "handlers": [{"kind": "kafka", "cluster": ""}]}
    assert "handlers[0].cluster: must not be empty" in _offline(tmp_path, bad)
    script = _RENDERER.render(alert).script.replace(".cluster('default')\n", "")
    assert ".cluster(" not in script  # what tickgen used to write for an empty cluster
    message = _refused_at_start(client, bad["id"], script)
    assert message == 'failed to create kafka handler: unknown cluster ""'


# -- task ids '.' and '..' (3.1.3 and the HTTP paths) --------------------------------------


def test_dot_ids_are_created_but_unreachable(
    kapacitor_factory: Callable[..., servers.Server], tmp_path: Path
) -> None:
    server = kapacitor_factory()  # private: these tasks can never be deleted
    script = _RENDERER.render(_ALERT.validate_python(_params("..."))).script
    body = {"type": "stream", "dbrps": [{"db": "telegraf", "rp": "autogen"}], "script": script}
    with KapacitorClient(server.url) as kapacitor_client:
        # just inside: '...' is an id like any other
        assert _offline(tmp_path, _params("...")) == ""
        kapacitor_client.create_task("...", script, dbrps=_DBRPS, type="stream")
        kapacitor_client.enable_task("...")
        kapacitor_client.delete_task("...")
        for task_id in (".", ".."):
            assert f"id: task id '{task_id}' cannot be used" in _offline(tmp_path, _params(task_id))
            # the create succeeds (the client's URL-quoting is not involved: raw POST)
            created = httpx.post(f"{server.url}/kapacitor/v1/tasks", json={**body, "id": task_id})
            assert created.status_code == 200, created.text
            assert created.json()["id"] == task_id
            # it is stored: the id is taken ...
            with pytest.raises(Conflict):
                kapacitor_client.create_task(task_id, script, dbrps=_DBRPS, type="stream")
            # ... but no request can reach it to change or remove it
            with pytest.raises(NotFound):
                kapacitor_client.enable_task(task_id)
            with pytest.raises(NotFound):
                kapacitor_client.delete_task(task_id)


# -- comparisons that can never be true (2.4.5, 2.4.6) -----------------------------------


def _levels(client: KapacitorClient, task_id: str) -> list[str]:
    """The levels of the events the alert published to its topic, in order."""
    try:
        events = client.list_topic_events("semantics-" + task_id)
    except NotFound:  # the topic exists from its first event on
        return []
    return [event.state.level for event in events]


@pytest.mark.parametrize(
    ("field", "point_value", "crit", "warn", "server_log"),
    [
        pytest.param(
            "flag",
            "true",
            {"op": ">=", "value": True},  # true >= true, were booleans ordered
            {"op": "==", "value": True},
            "invalid comparison operator >= for type boolean",
            id="ordering-boolean",
        ),
        pytest.param(
            "usage",
            "95",
            {"op": ">", "value": "10"},  # 95 > 10, were the string a number
            {"op": ">", "value": 10},
            "mismatched type to binary operator. got float > string",
            id="quoted-number",
        ),
    ],
)
def test_comparison_never_fires(
    field: str,
    point_value: str,
    crit: dict[str, Any],
    warn: dict[str, Any],
    server_log: str,
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
    tmp_path: Path,
) -> None:
    task_id = unique_id("never")
    params = _params(task_id, field=field, crit=crit, warn=warn, topic=f"semantics-{task_id}")
    offline = _offline(tmp_path, params)
    alert = _ALERT.validate_python(params)
    if isinstance(crit["value"], bool):
        assert "crit.op: '>=' cannot compare with a boolean" in offline
    else:
        # a warning: valid, and --strict (tests/test_param_semantics.py) refuses it
        assert offline == ""
        assert [w.path for w in _RENDERER.render(alert).param_warnings] == ["crit.value"]
    _start(client, task_ids, task_id, _RENDERER.render_text(alert))
    client.write_points(
        [f"semantics,host={task_id} {field}={point_value} 1700000000"],
        db="telegraf",
        rp="autogen",
        precision="s",
    )
    # the same point passes warn: the alert fired, but never at the critical level
    assert servers.wait_for(lambda: _levels(client, task_id), what="an event") == ["WARNING"]
    assert server_log in kapacitor.read_log()

    # just inside: the comparison written right fires at the critical level
    fixed_crit = {**crit, "op": "=="} if isinstance(crit["value"], bool) else {**crit, "value": 10}
    fixed_id = unique_id("fires")
    fixed = _params(fixed_id, field=field, crit=fixed_crit, topic=f"semantics-{fixed_id}")
    assert _offline(tmp_path, fixed) == ""
    _start(client, task_ids, fixed_id, _RENDERER.render(_ALERT.validate_python(fixed)).script)
    client.write_points(
        [f"semantics,host={fixed_id} {field}={point_value} 1700000000"],
        db="telegraf",
        rp="autogen",
        precision="s",
    )
    assert servers.wait_for(lambda: _levels(client, fixed_id), what="an event") == ["CRITICAL"]


# -- percentile 0 (InfluxQL's reducer selects no point; Kapacitor never checks it) ---------


def test_percentile_zero_never_fires(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str], tmp_path: Path
) -> None:
    measurement = unique_id("percentile")
    aggregate = {"function": "percentile", "period": "1s", "every": "1s", "percentile": 50}
    inside = _params(unique_id("p50"), measurement=measurement, field="usage", aggregate=aggregate)
    inside["topic"] = f"semantics-{inside['id']}"
    assert _offline(tmp_path, inside) == ""
    alert = _ALERT.validate_python(inside)
    _start(client, task_ids, alert.id, _RENDERER.render(alert).script)

    zero_id = unique_id("p0")
    zero = {**inside, "id": zero_id, "topic": f"semantics-{zero_id}"}
    zero["aggregate"] = {**aggregate, "percentile": 0}
    assert "aggregate.percentile: 0 must be greater than 0" in _offline(tmp_path, zero)
    zero_alert = _with(alert, ("aggregate", "percentile"), 0).model_copy(
        update={"id": zero_id, "topic": zero["topic"]}
    )
    _start(client, task_ids, zero_id, _RENDERER.render_text(zero_alert))

    # one point per 1s window; each point closes the window before it
    client.write_points(
        [f"{measurement} usage=95 {t}" for t in range(1700000000, 1700000004)],
        db="telegraf",
        rp="autogen",
        precision="s",
    )
    # disabling a task stops it after its nodes have handled every point it was sent
    client.disable_task(inside["id"])
    client.disable_task(zero_id)
    assert _levels(client, inside["id"]) == ["CRITICAL"]
    assert _levels(client, zero_id) == []


# -- topics no handler can subscribe to (services/alert/dao.go validTopicID) ------------------


@pytest.mark.parametrize(
    ("inside", "outside"),
    [("ops:é.x_-1", "ops alerts"), ("...", ".."), ("ops.eu", "."), ("ops-eu", "ops/eu")],
)
def test_topic_no_handler_can_subscribe_to(
    inside: str,
    outside: str,
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    for topic, accepted in ((inside, True), (outside, False)):
        alert = _ALERT.validate_python(_params(unique_id("topic"), topic=topic))
        task = _RENDERER.render(alert)
        assert [p.path for p in task.param_warnings] == ([] if accepted else ["topic"])
        # Kapacitor takes the task either way ...
        _start(client, task_ids, alert.id, task.script)
        handler_id = unique_id("h")
        handler = _subscribe(client, topic, handler_id)
        if handler is None:  # refused: 400 for a bad character, 404 for '..'
            assert not accepted
            continue
        # ... but a handler meant for a bad topic lands on another one ('.', '/')
        httpx.delete(kapacitor.url + handler.link.href).raise_for_status()
        own = f"/kapacitor/v1/alerts/topics/{topic}/handlers/{handler_id}"
        assert (handler.link.href == own) == accepted, handler.link.href


def _subscribe(client: KapacitorClient, topic: str, handler_id: str) -> Handler | None:
    """A topic handler for ``topic``, or None when Kapacitor refuses it."""
    try:
        return client.create_topic_handler(topic, handler_id, "log", options={"path": "/dev/null"})
    except (BadRequest, NotFound):
        return None


# -- httpOut names the router cleans away (differential-findings D11) ----------------------


@pytest.mark.parametrize(
    ("inside", "outside"),
    [("..x", ".."), ("a/b", "a//b"), ("x", "x/"), ("...", "."), ("b", "/"), (".a", "a/..")],
)
def test_http_out_name_must_survive_path_cleaning(
    inside: str,
    outside: str,
    kapacitor_factory: Callable[..., servers.Server],
    tmp_path: Path,
) -> None:
    server = kapacitor_factory()  # private: a task hidden by its output cannot be deleted
    with KapacitorClient(server.url) as kapacitor_client:
        for name, accepted in ((inside, True), (outside, False)):
            task_id = f"out{int(accepted)}"
            params = _params(task_id, http_out=name)
            problem = _offline(tmp_path, params)
            assert (problem == "") == accepted, problem
            alert = _ALERT.validate_python(_params(task_id, http_out="output"))
            script = _RENDERER.render(alert.model_copy(update={"http_out": name})).script
            kapacitor_client.create_task(
                task_id, script, dbrps=_DBRPS, type="stream", status="enabled"
            )
            # the task itself and its output must both be reachable
            try:
                kapacitor_client.get_task(task_id)
                kapacitor_client.task_output(task_id, name)
            except KapacitorError:
                reachable = False
            else:
                reachable = True
            assert reachable == accepted
