"""Awkward strings against a real Kapacitor 1.5.9 (the ``kapacitor`` session fixture).

Every value below is written into every string context of a threshold alert
(vars, call arguments, lambda operands, list items, handler properties); the
task is created enabled, read back (the stored script is the one sent, it runs,
no error), and the message and details of a fired alert are the exact text.
Several values end in a backslash and contain ``'''``, which the triple quote
cannot hold: they are written as ``('head' + '''\\''')`` (tickgen.tick.quote).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from tickgen.client import KapacitorClient
from tickgen.client.models import DBRP
from tickgen.models import Alert
from tickgen.render import Renderer
from tickgen.tick import format as tick_format
from tickgen.tick import quote

_ALERT: TypeAdapter[Alert] = TypeAdapter(Alert)
_DBRPS = [DBRP(db="telegraf", rp="autogen")]

AWKWARD = [
    "a'''b\\",  # ''' and a trailing backslash: a concatenation
    "''\\",  # quotes just before the trailing backslash end a triple quote early
    "x'''\\\\",  # several trailing backslashes
    "line one\nline two\\",
    "cr\r\nlf\r",
    'it\'s "quoted" \\\' \\" \\n',
    "\\",
    "'''",
    "grüße 😀 — ''' \\",
    "tab\tand\u2028sep'''\\",
]


def _render(task_id: str, **params: Any) -> str:
    alert = _ALERT.validate_python(
        {
            "template": "threshold",
            "id": task_id,
            "database": "telegraf",
            "measurement": "cpu",
            "field": "usage_user",
            "crit": {"op": ">", "value": 90},
            "influxdb_out": None,
            **params,
        }
    )
    return Renderer(kapacitor_version="1.5.9").render(alert).script


def _create(client: KapacitorClient, task_ids: list[str], task_id: str, script: str) -> None:
    client.create_task(task_id, script, dbrps=_DBRPS, type="stream", status="enabled")
    task_ids.append(task_id)
    task = client.get_task(task_id)
    assert task.error == ""
    assert task.executing
    assert task.status == "enabled"
    assert task.script == script  # formatted by Kapacitor on read: a fixed point
    assert client.get_task(task_id, script_format="raw").script == script


def test_awkward_values_need_concatenation() -> None:
    # the cases this file is about are really the hard ones
    assert sum(not quote.is_literal(v) for v in AWKWARD) >= 4


@pytest.mark.parametrize("index", range(len(AWKWARD)))
def test_awkward_value_in_every_context_is_created_and_runs(
    index: int, client: KapacitorClient, task_ids: list[str], unique_id: Callable[[str], str]
) -> None:
    value = AWKWARD[index]
    task_id = unique_id("awkward")
    script = _render(
        task_id,
        name=value,
        message=value,
        details=value,
        where={"host": [value, "plain"]},
        where_not={"region": [value]},
        group_by=["host", value],
        category=value,
        inhibit=[{"category": value, "tags": ["host", value]}],
        topic=value,
        alert_id=value,
        id_tag=value,
        level_tag=value + "l",
        message_field=value + "m",
        duration_field=value + "d",
        level_field=value + "lf",
        id_field=value + "if",
        crit={"op": "==", "value": value},
        warn={"op": "!=", "value": value},
        http_out=value,
        influxdb_out={"database": value, "retention_policy": value, "measurement": value},
        handlers=[
            {"kind": "slack", "channel": value, "username": value},
            {"kind": "log", "path": "/dev/null"},
            {"kind": "exec", "command": ["/bin/true", value, value]},
            {"kind": "post", "url": "http://127.0.0.1:9/x", "headers": {"X-V": value}},
        ],
    )
    assert tick_format(script) == script
    _create(client, task_ids, task_id, script)


def _wait_for(what: str, probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_awkward_message_and_details_fire_with_the_exact_text(
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
    tmp_path: Path,
) -> None:
    # one task per value, all writing to one log file; told apart by alert id
    path = tmp_path / "alerts.log"
    host = unique_id("host")
    names = {}
    for value in AWKWARD:
        task_id = unique_id("fire")
        name = f"{task_id}:{value}"
        names[name] = value
        script = _render(
            task_id,
            name=name,
            message=value,
            details=value,
            where={"host": [host]},
            handlers=[{"kind": "log", "path": str(path)}],
        )
        _create(client, task_ids, task_id, script)
    client.write_points(
        f"cpu,host={host} usage_user=95 1700000000", db="telegraf", rp="autogen", precision="s"
    )

    def all_events() -> list[dict[str, Any]]:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        lines = text.split("\n")[:-1]  # JSON lines (str.splitlines also splits at U+2028)
        return [json.loads(line) for line in lines] if len(lines) >= len(AWKWARD) else []

    events = _wait_for("one event per task", all_events)
    assert sorted(e["id"] for e in events) == sorted(names)
    for event in events:
        value = names[event["id"]]
        assert event["level"] == "CRITICAL"
        assert event["message"] == value
        assert event["details"] == value
