"""The handlers against each real Kapacitor (the ``kapacitor`` session fixture,
once per version in tests/servers.KAPACITOR_VERSIONS).

* Every golden script whose handler and properties the server's version has is
  accepted and starts.  None of the handlers that build their service client at
  start (reference §3.5: pagerDuty2, sensu, snmpTrap, kafka, alerta, post, mqtt,
  discord, bigPanda) refuses the golden options, so all of them must start; the
  options those handlers do refuse at start give the documented 500 on enabling.
* Every golden script that :func:`version_problems` says needs a newer server is
  refused by it, and Kapacitor names exactly the property (or handler) we flagged.
* End to end: a log handler writes one JSON line per event with the mode we
  asked for, and an alert published to a topic shows its events via the client.
"""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from tests import servers
from tests.handlers.test_handler_golden import GOLDEN, golden_params
from tickgen.client import KapacitorClient
from tickgen.client.errors import InvalidScript, ServerError
from tickgen.client.models import DBRP, Event
from tickgen.handlers import HANDLER_ORDER, version_problems
from tickgen.models import Alert
from tickgen.render import Renderer

_ALERT: TypeAdapter[Alert] = TypeAdapter(Alert)
_DBRPS = [DBRP(db="telegraf", rp="autogen")]
# What a server too old for a golden script calls the first thing it does not
# know in it; the names are TICKscript's spelling of what version_problems
# reported first.
REFUSED_WHEN_TOO_OLD = {
    "email": 'no method or property "toTemplates" on *pipeline.EmailHandler',
    "bigPanda": 'no method or property "host" on *pipeline.BigPandaHandler',
    "kafka": 'no method or property "disablePartitionById" on *pipeline.KafkaHandler',
    "alerta": 'no method or property "attribute" on *pipeline.AlertaHandler',
    "zenoss": 'no method or property "zenoss" on *pipeline.AlertNodeData',
}
FIRST_PROBLEM = {
    "email": "[0].to_templates",
    "bigPanda": "[0].host",
    "kafka": "[0].disable_partition_by_id",
    "alerta": "[0].attributes",
    "zenoss": "[0]",
}


def _problems(kind: str, version: str) -> list[tuple[str, str]]:
    return version_problems(_ALERT.validate_python(golden_params(kind)).handlers, version)


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_golden_script_on_the_real_kapacitor(
    kind: str,
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    script = (GOLDEN / f"{kind}.tick").read_text()
    task_id = unique_id("handler")
    problems = _problems(kind, kapacitor.version)
    if problems:
        assert problems[0][0] == FIRST_PROBLEM[kind]
        with pytest.raises(InvalidScript) as info:
            client.create_task(task_id, script, dbrps=_DBRPS, type="stream")
        assert REFUSED_WHEN_TOO_OLD[kind] in info.value.message
        return
    client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="disabled")
    task_ids.append(task_id)
    task = client.enable_task(task_id)
    assert task.executing, task.error
    assert task.error == ""


# Options only the start of the task can refuse: the create succeeds, enabling
# answers 500 with the handler's own error.  (An unconfigured service is not
# one of them: kafka 'default', alerta, sensu... all start.)
START_ERRORS = [
    pytest.param(
        {"kind": "kafka", "cluster": "nope"},
        'failed to create kafka handler: unknown cluster "nope"',
        id="kafka-unknown-cluster",
    ),
    pytest.param(
        {"kind": "mqtt", "topic": "alerts/{{ .Name"},
        "failed to create MQTT handler: template: topic:1: unclosed action",
        id="mqtt-topic-template",
    ),
    pytest.param(
        {"kind": "post", "endpoint": "nope"},
        "failed to create HTTPPostService.Handler: An appropriately formatted url must be "
        "specified if an endpoint is not specified",
        id="post-unknown-endpoint",
    ),
    pytest.param(
        {"kind": "post", "url": "http://hooks/{{ .ID"},
        "failed to create HTTPPostService.Handler: failed to parse template",
        id="post-url-template",
    ),
]


@pytest.mark.parametrize(("handler", "message"), START_ERRORS)
def test_options_refused_at_start(
    handler: dict[str, Any],
    message: str,
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    alert = _ALERT.validate_python({**golden_params("talk"), "handlers": [handler]})
    # render_text: tickgen itself refuses the broken templates (tests/gotemplate/test_live.py)
    script = Renderer(kapacitor_version=kapacitor.version).render_text(alert)
    task_id = unique_id("start")
    client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="disabled")
    task_ids.append(task_id)
    with pytest.raises(ServerError) as info:
        client.enable_task(task_id)
    assert info.value.status == 500
    assert message in info.value.message


def _wait_for(what: str, probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _start_alert(
    client: KapacitorClient, task_ids: list[str], task_id: str, **params: Any
) -> None:
    alert = _ALERT.validate_python(
        {
            "template": "threshold",
            "id": task_id,
            "database": "telegraf",
            "measurement": "cpu",
            "field": "usage_user",
            "message": "{{ .ID }} is {{ .Level }}",
            "crit": {"op": ">", "value": 90},
            "influxdb_out": None,
            **params,
        }
    )
    task = Renderer(kapacitor_version=client.ping().version).render(alert)
    client.create_task(task.id, task.script, dbrps=_DBRPS, type="stream", status="enabled")
    task_ids.append(task.id)


def test_log_handler_writes_json_lines(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "alerts.log"
    task_id = unique_id("log")
    _start_alert(
        client, task_ids, task_id, handlers=[{"kind": "log", "path": str(path), "mode": "0640"}]
    )
    client.write_points(
        [
            f"cpu,host={task_id} usage_user=95 1700000000",
            f"cpu,host={task_id} usage_user=10 1700000010",
        ],
        db="telegraf",
        rp="autogen",
        precision="s",
    )

    def two_lines() -> list[dict[str, Any]]:
        text = path.read_text() if path.exists() else ""
        return [json.loads(line) for line in text.splitlines()] if text.count("\n") >= 2 else []

    events = _wait_for("two events in the log file", two_lines)
    assert [e["level"] for e in events] == ["CRITICAL", "OK"]
    assert events[0]["id"] == task_id
    assert events[0]["message"] == f"{task_id} is CRITICAL"
    assert events[0]["data"]["series"][0]["values"][0][1:] == [95]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_topic_events_are_visible_through_the_client(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str]
) -> None:
    task_id = unique_id("topic")
    topic = f"{task_id}-topic"
    _start_alert(client, task_ids, task_id, topic=topic)
    try:
        client.write_points(
            f"cpu,host={task_id} usage_user=97 1700000000",
            db="telegraf",
            rp="autogen",
            precision="s",
        )

        def critical() -> list[Event]:
            return [e for e in client.list_topic_events(topic) if e.state.level == "CRITICAL"]

        (event,) = _wait_for("a CRITICAL event on the topic", critical)
        assert event.id == task_id
        assert event.state.message == f"{task_id} is CRITICAL"
        assert client.get_topic(topic).level == "CRITICAL"
    finally:
        client.delete_topic(topic)
