"""Go templates on the real kapacitord 1.5.9 (the ``kapacitor`` session fixture).

* The parser's verdicts are the server's: every case of the parser tests, used
  as an alert message, is refused at task start with exactly our message, or
  starts (tests/gotemplate/test_parser.py has the cases and Go's rules).
* A template that uses every field of each context starts and, fired, renders
  without the exec error that would stop the alert node: no false alarm.
* A broken one is refused by tickgen offline and by the server at start.
* ``name: "cpu {{ high"`` renders, starts, fires, and the alert id reads back exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import TypeAdapter

from tests import servers
from tests.gotemplate.test_parser import INVALID_BOTH, VALID_BOTH, VERSION_DIFFERENCES
from tickgen.client import KapacitorClient
from tickgen.client.errors import ServerError
from tickgen.client.models import DBRP, Event
from tickgen.errors import ParameterError
from tickgen.gotemplate import GoTemplateError, parse
from tickgen.gotemplate.contexts import BUILTINS
from tickgen.gotemplate.lexer import GO125
from tickgen.handlers import parse_version
from tickgen.models import Alert
from tickgen.render import Renderer
from tickgen.tick import quote

_ALERT: TypeAdapter[Alert] = TypeAdapter(Alert)
_DBRPS = [DBRP(db="telegraf", rp="autogen")]


def _message_script(template: str) -> str:
    return (
        "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n"
        '        .crit(lambda: "usage_user" > 90)\n'
        f"        .message({quote.string(template)})\n        .topic('t')\n"
    )


def _start(client: KapacitorClient, task_ids: list[str], task_id: str, script: str) -> str:
    """Create the task enabled; the start error, or "" when it runs."""
    status, message = 0, ""
    try:
        client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="enabled")
    except ServerError as error:
        status, message = error.status, error.message
    task_ids.append(task_id)  # on a start error too: Kapacitor stores the task first
    if status:
        assert status == 500, message
        return message
    task = client.get_task(task_id)
    assert task.executing and task.error == ""
    return ""


# The kapacitord 1.5.9 of the test fixtures is built with the local Go (1.26), not
# the Go 1.15 of the official 1.5.9 release, so its template syntax is Go 1.25's
# (GO125): that is the rule set this server can judge.  Go 1.15's differences
# (tests/gotemplate/test_parser.py VERSION_DIFFERENCES) come from Go's source.
SERVER_SYNTAX = GO125
CASES = (
    [t for t in VALID_BOTH if "define" not in t and "block" not in t]
    + [text for text, _ in INVALID_BOTH + VERSION_DIFFERENCES if "json" not in text]
    + ["{{ 1) }}", "{{ range .A }}{{ break }}{{ end }}", "{{ break }}"]
)


def _expected(text: str) -> str:
    try:
        parse(text, "message", BUILTINS, SERVER_SYNTAX)
    except GoTemplateError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("text", CASES, ids=lambda v: repr(v)[:40])
def test_the_parser_gives_the_server_s_verdict_in_the_server_s_words(
    text: str, client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str]
) -> None:
    error = _start(client, task_ids, unique_id("gtparse"), _message_script(text))
    assert error == _expected(text)


def _params(task_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "template": "threshold",
        "id": task_id,
        "database": "telegraf",
        "measurement": "cpu",
        "field": "usage_user",
        "crit": {"op": ">", "value": 90},
        "influxdb_out": None,
        "http_out": None,
        **extra,
    }


_TEMPLATE_DATA = (
    "{{ .ID }}{{ .Message }}{{ .Level }}{{ .Time.Unix }}{{ .Duration.Seconds }}{{ .Details }}"
    '{{ .Name }}{{ .TaskName }}{{ .Group }}{{ .Tags.host }}{{ index .Fields "value" }}'
)
EVERY_FIELD = {
    "alert_id": "{{ .Name }}/{{ .TaskName }}/{{ .Group }}/{{ .Tags.host }}/"
    "{{ .ServerInfo.Hostname }}{{ .ServerInfo.ClusterID }}{{ .ServerInfo.ServerID }}",
    "message": "{{ .ID }} {{ .Name }} {{ .TaskName }} {{ .Group }} {{ .Tags.host }} "
    '{{ index .Fields "value" }} {{ .Level }} {{ .Time.Unix }} {{ .Duration }} '
    "{{ .ServerInfo.Hostname }}|{{ .Fields.nothing }}{{ .Tags.nothing.deeper }}|"
    "{{ .Time.UTC.Year }}",
    "details": "<p class='x'>{{ json . }}</p><br/>1 < 2<!-- c -->"
    '{{ .Message }}{{ .ID }}{{ .Level }}{{ .Time.Format "2006" }}'
    "{{ .Duration.String }}{{ .Name }}{{ .TaskName }}{{ .Group }}{{ .Tags }}{{ .Fields }}"
    "{{ .ServerInfo.ServerID }}",
    "handlers": [
        {
            "kind": "alerta",
            "resource": _TEMPLATE_DATA,
            "event": "{{ .ID }}{{ .Name }}{{ .TaskName }}{{ .Group }}{{ .Tags.host }}",
            "environment": _TEMPLATE_DATA,
            "group": _TEMPLATE_DATA,
            "value": _TEMPLATE_DATA,
            "services": [_TEMPLATE_DATA],
            "correlated": [_TEMPLATE_DATA],
        },
        {"kind": "pagerDuty2", "links": [{"href": _TEMPLATE_DATA, "text": _TEMPLATE_DATA}]},
        {"kind": "discord", "embed_title": _TEMPLATE_DATA},
        {"kind": "mqtt", "topic": _TEMPLATE_DATA},
        {"kind": "sensu", "source": _TEMPLATE_DATA},
        {
            "kind": "snmpTrap",
            "trap_oid": "1.3.6.1.4.1.1",
            "data": [{"oid": "1.3.6.1.4.1.1.7", "type": "s", "value": _TEMPLATE_DATA}],
        },
        {
            "kind": "kafka",
            "cluster": "default",  # Kapacitor's default config has a [[kafka]] "default"
            "template": "{{ .ID }}{{ .Message }}{{ .Details }}{{ .Time }}{{ .Duration }}"
            "{{ .Level.String }}{{ .PreviousLevel }}{{ .Recoverable }}"
            "{{ range .Data.Series }}{{ .Name }}{{ .Tags }}{{ .Columns }}{{ .Values }}{{ end }}",
        },
        {"kind": "post", "url": "http://127.0.0.1:9/{{ .ID }}/{{ .Level }}/{{ json .Data }}"},
        {
            "kind": "serviceNow",
            "node": "{{ .ID }}{{ .Name }}{{ .TaskName }}{{ .Tags.host }}{{ .Fields.value }}",
            "type": "{{ .Name }}",
            "resource": "{{ .TaskName }}",
            "metric_name": "{{ .ID }}",
            "message_key": "{{ .Tags }}",
            "additional_info": {"k": "{{ .Fields }}", "n": 1},
        },
    ],
}


def _wait_for(what: str, probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _fire(client: KapacitorClient, topic: str, host: str) -> Event:
    client.write_points(
        f"cpu,host={host} usage_user=97 1700000000", db="telegraf", rp="autogen", precision="s"
    )

    def critical() -> list[Event]:
        return [e for e in client.list_topic_events(topic) if e.state.level == "CRITICAL"]

    (event,) = _wait_for("a CRITICAL event on the topic", critical)
    return event


def test_every_field_of_every_context_starts_and_renders(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str]
) -> None:
    task_id = unique_id("gtall")
    topic = f"{task_id}-topic"
    params = _params(task_id, group_by=["host"], topic=topic, **EVERY_FIELD)
    task = Renderer(kapacitor_version="1.5.9").render(_ALERT.validate_python(params))
    assert _start(client, task_ids, task_id, task.script) == ""
    try:
        event = _fire(client, topic, task_id)
        assert event.id.startswith(f"cpu/{task_id}/host={task_id}/{task_id}/")
        start = f"{event.id} cpu {task_id} host={task_id} {task_id} 97 CRITICAL 1700000000 0s "
        assert event.state.message.startswith(start)
        assert event.state.message.endswith("|<no value><no value>|2023")
        assert event.state.details.startswith("<p class='x'>{&#34;Name&#34;:&#34;cpu&#34;")
        task = client.get_task(task_id)
        assert task.executing and task.error == ""  # no exec error stopped the alert node
    finally:
        client.delete_topic(topic)


BROKEN = [
    pytest.param({"message": "{{ .Message }}"}, "message", id="message-field"),
    pytest.param({"alert_id": "{{ .ID }}"}, "alert_id", id="id-field"),
    pytest.param({"details": "{{ jsonCompact . }}"}, "details", id="details-func-1.8-only"),
    pytest.param({"details": '<a href="{{ .ID }}'}, "details", id="details-html-attr"),
    pytest.param({"details": "x<b {{ .ID }}"}, "details", id="details-html-tag"),
    pytest.param(
        {"handlers": [{"kind": "alerta", "event": "{{ .Level }"}]}, "handlers[0].event", id="alerta"
    ),
    pytest.param(
        {"handlers": [{"kind": "discord", "embed_title": "{{ if .ID }}"}]},
        "handlers[0].embed_title",
        id="discord",
    ),
    pytest.param(
        {"handlers": [{"kind": "sensu", "source": "{{ foo }}"}]}, "handlers[0].source", id="sensu"
    ),
    pytest.param(
        {"handlers": [{"kind": "mqtt", "topic": "alerts/{{ .Name"}]},
        "handlers[0].topic",
        id="mqtt",
    ),
    pytest.param(
        {"handlers": [{"kind": "post", "url": "http://hooks/{{ .ID"}]},
        "handlers[0].url",
        id="post-url",
    ),
]
# Parse errors stop the start; a missing field only fails when an event is
# rendered, which stops the alert node (id, message, details).
_PARSE_ERROR_AT_START = {
    "details",
    "handlers[0].event",
    "handlers[0].embed_title",
    "handlers[0].source",
    "handlers[0].topic",
    "handlers[0].url",
}


@pytest.mark.parametrize(("params", "path"), BROKEN)
def test_a_broken_template_is_refused_by_tickgen_and_by_the_server(
    params: dict[str, Any],
    path: str,
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    task_id = unique_id("gtbroken")
    topic = f"{task_id}-topic"
    alert = _ALERT.validate_python(_params(task_id, topic=topic, **params))
    renderer = Renderer(kapacitor_version=kapacitor.version)
    if "jsonCompact" in str(params) and parse_version(kapacitor.version) >= (1, 8):
        # 1.8 has jsonCompact: tickgen renders it for this server, which starts it
        task = renderer.render(alert)
        assert _start(client, task_ids, task_id, task.script) == ""
        return
    with pytest.raises(ParameterError) as info:
        renderer.render(alert)
    (problem,) = info.value.problems
    assert problem.path == path
    go_error = problem.message.split(" (Go ")[0]
    script = renderer.render_text(alert)  # the same script, without tickgen's check
    error = _start(client, task_ids, task_id, script)
    # html/template's escaper runs at the first event, not at start
    if path in _PARSE_ERROR_AT_START and not go_error.startswith("html/template"):
        assert go_error.split("template: ", 1)[-1].split(":1: ")[-1] in error
        return
    assert error == ""  # Go's parser takes it; every event fails, and stops the node
    try:
        client.write_points(
            "cpu,host=h usage_user=97 1700000000", db="telegraf", rp="autogen", precision="s"
        )
        failed = _wait_for("the alert node to fail", lambda: client.get_task(task_id).error)
        assert go_error.split(":1: ")[-1].split(": state")[0] in failed
    finally:
        client.delete_topic(topic)


def test_name_with_go_template_syntax_is_the_alert_id_exactly(
    client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str]
) -> None:
    task_id = unique_id("gtname")
    topic = f"{task_id}-topic"
    name = "cpu {{ high }} {{{ }}"
    params = _params(
        task_id, name=name, group_by=["host"], topic=topic, message="{{ .ID }} is {{ .Level }}"
    )
    task = Renderer(kapacitor_version="1.5.9").render(_ALERT.validate_python(params))
    assert _start(client, task_ids, task_id, task.script) == ""
    try:
        event = _fire(client, topic, "h1")
        assert event.id == f"{name}-host=h1"
        assert event.state.message == f"{name}-host=h1 is CRITICAL"
    finally:
        client.delete_topic(topic)


def test_level_against_a_string_fails_every_event_in_alert_data_templates(
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    task_id = unique_id("gtlevel")
    topic = f"{task_id}-topic"
    url = 'http://127.0.0.1:9/{{ if eq .Level "CRITICAL" }}crit{{ end }}'
    alert = _ALERT.validate_python(
        _params(task_id, topic=topic, handlers=[{"kind": "post", "url": url}])
    )
    renderer = Renderer(kapacitor_version="1.5.9")
    with pytest.raises(ParameterError) as info:
        renderer.render(alert)
    (problem,) = info.value.problems
    assert problem.path == "handlers[0].url"
    assert "error calling eq: incompatible types for comparison" in problem.message
    assert _start(client, task_ids, task_id, renderer.render_text(alert)) == ""
    try:
        _fire(client, topic, "h")
        _wait_for(
            "the post handler's exec error in the log",
            lambda: "error calling eq: incompatible types for comparison" in kapacitor.read_log(),
        )
    finally:
        client.delete_topic(topic)
