"""Kapacitor's quirks (reference §4), each shown on the real server and then handled
by the client: the raw request shows the quirk, the client call shows the fix."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests import servers
from tickgen.client import DBRP, BadRequest, Conflict, InvalidScript, NotFound, ServerError, Var

DBRPS = [DBRP(db="telegraf", rp="autogen")]
# One line per request in kapacitord's HTTP log: its method and path.
REQUEST = re.compile(r'msg="http request".*? method=(\S+) uri=(\S+)')
# Valid at create time; starting it fails (log paths must be absolute), so status
# enabled makes the server answer 500.
FAILS_TO_START = (
    "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n"
    "        .crit(lambda: TRUE)\n        .log('relative.log')\n"
)


def threshold_script(threshold: int, topic: str) -> str:
    return (
        "stream\n    |from()\n        .measurement('cpu')\n        .groupBy('host')\n"
        f'    |alert()\n        .crit(lambda: "usage" > {threshold})\n'
        f"        .topic('{topic}')\n"
    )


def alert_stats(client: Any, task_id: str) -> dict[str, int]:
    stats: dict[str, int] = client.get_task(task_id).stats.get("node-stats", {}).get("alert2", {})
    return stats


def write_and_wait(client: Any, task_id: str, line: str) -> dict[str, int]:
    """Write one point and wait until the alert node has processed it."""
    before = alert_stats(client, task_id).get("collected", 0)
    client.write_points(f"{line} {int(time.time())}", db="telegraf", rp="autogen", precision="s")
    stats: dict[str, int] = servers.wait_for(
        lambda: (s := alert_stats(client, task_id)).get("collected", 0) > before and s,
        what=f"{task_id} to process {line!r}",
    )
    return stats


def test_create_enabled_that_fails_to_start_leaves_no_task(
    client: Any, kapacitor: servers.Server, unique_id: Any
) -> None:
    raw_id, task_id = unique_id("raw"), unique_id()
    body = {"id": raw_id, "dbrps": [{"db": "telegraf", "rp": "autogen"}], "status": "enabled"}
    raw = httpx.post(f"{kapacitor.url}/kapacitor/v1/tasks", json={**body, "script": FAILS_TO_START})
    try:
        # The quirk: a 500, yet the task is stored, broken, and its id is taken.
        assert raw.status_code == 500
        stored = client.get_task(raw_id)
        assert (stored.executing, "log path must be absolute" in stored.error) == (False, True)
    finally:
        client.delete_task(raw_id)

    with pytest.raises(ServerError, match="log path must be absolute") as caught:
        client.create_task(task_id, FAILS_TO_START, dbrps=DBRPS, status="enabled")
    assert caught.value.status == 500
    with pytest.raises(NotFound):
        client.get_task(task_id)  # the client deleted it again: all or nothing


def test_script_change_needs_a_restart_and_update_task_does_it(
    client: Any, kapacitor: servers.Server, unique_id: Any
) -> None:
    task_id, topic = unique_id(), unique_id("topic")
    client.create_task(task_id, threshold_script(90, topic), dbrps=DBRPS, status="enabled")
    try:
        # The quirk: a raw PATCH of the script changes the stored script only.
        raw = httpx.patch(
            f"{kapacitor.url}/kapacitor/v1/tasks/{task_id}",
            json={"script": threshold_script(50, topic)},
        )
        assert raw.status_code == 200
        assert "> 50" in raw.json()["script"]
        stats = write_and_wait(client, task_id, "cpu,host=a usage=70")
        assert stats["crits_triggered"] == 0  # still the old threshold, 90

        updated = client.update_task(task_id, script=threshold_script(60, topic))
        assert (updated.status, updated.executing) == ("enabled", True)
        assert "> 60" in updated.script
        stats = write_and_wait(client, task_id, "cpu,host=a usage=70")
        assert stats["crits_triggered"] == 1  # the new threshold, 60, is the one running
        events = client.list_topic_events(topic)
        assert [(e.id, e.state.level) for e in events] == [("cpu:host=a", "CRITICAL")]
    finally:
        client.delete_task(task_id)
        client.delete_topic(topic)


def test_update_to_enabled_applies_the_new_script_with_two_patches(
    client: Any, kapacitor: servers.Server, unique_id: Any
) -> None:
    """status="enabled": the change rides on the PATCH that stops the task, a second
    PATCH starts it; the running pipeline is the new one (not the old threshold)."""
    task_id, topic = unique_id(), unique_id("topic")
    client.create_task(task_id, threshold_script(90, topic), dbrps=DBRPS, status="enabled")
    try:
        before = len(REQUEST.findall(kapacitor.read_log()))
        updated = client.update_task(task_id, script=threshold_script(60, topic), status="enabled")
        assert (updated.status, updated.executing) == ("enabled", True)
        # the log is written as requests finish: wait for the update's two lines
        sent = servers.wait_for(
            lambda: (lines := REQUEST.findall(kapacitor.read_log())[before:])[1:] and lines,
            what="the server to log the update's requests",
        )
        assert sent == [("PATCH", f"/kapacitor/v1/tasks/{task_id}")] * 2
        stats = write_and_wait(client, task_id, "cpu,host=a usage=70")
        assert stats["crits_triggered"] == 1  # 70 > 60: the new threshold runs
    finally:
        client.delete_task(task_id)
        client.delete_topic(topic)


def test_update_of_a_disabled_task_leaves_it_disabled(client: Any, unique_id: Any) -> None:
    task_id = unique_id()
    client.create_task(task_id, threshold_script(90, "t"), dbrps=DBRPS)
    try:
        updated = client.update_task(task_id, script=threshold_script(80, "t"))
        assert (updated.status, updated.executing) == ("disabled", False)
        enabled = client.update_task(task_id, script=threshold_script(70, "t"), status="enabled")
        assert (enabled.status, enabled.executing) == ("enabled", True)
        assert "> 70" in client.get_task(task_id).script
    finally:
        client.delete_task(task_id)


def test_patch_vars_replaces_the_whole_set(client: Any, unique_id: Any) -> None:
    template_id, task_id = unique_id("tpl"), unique_id()
    template = (
        "var crit = 90\nvar topic string\n\nstream\n    |from()\n        .measurement('cpu')\n"
        '    |alert()\n        .crit(lambda: "usage" > crit)\n        .topic(topic)\n'
    )
    client.create_template(template_id, template)
    try:
        task = client.create_task(
            task_id,
            template_id=template_id,
            dbrps=DBRPS,
            vars={"crit": Var.of(80), "topic": Var.of("x")},
        )
        assert set(task.vars) == {"crit", "topic"}
        updated = client.update_task(task_id, vars={"topic": Var.of("y")})
        assert updated.vars == {"topic": Var(type="string", value="y")}  # crit is gone
    finally:
        client.delete_task(task_id)
        client.delete_template(template_id)


def test_delete_of_a_missing_id_is_not_an_error(
    client: Any, kapacitor: servers.Server, unique_id: Any
) -> None:
    missing = unique_id("missing")
    assert httpx.delete(f"{kapacitor.url}/kapacitor/v1/tasks/{missing}").status_code == 204
    assert client.delete_task(missing) is None
    assert client.delete_template(missing) is None


def test_duplicate_id_is_a_conflict(client: Any, unique_id: Any) -> None:
    task_id = unique_id()
    client.create_task(task_id, threshold_script(90, "t"), dbrps=DBRPS)
    try:
        with pytest.raises(Conflict, match=f"task {task_id} already exists") as caught:
            client.create_task(task_id, threshold_script(90, "t"), dbrps=DBRPS)
        assert caught.value.status == 400
    finally:
        client.delete_task(task_id)


def test_invalid_script_carries_line_and_char(client: Any, unique_id: Any) -> None:
    with pytest.raises(InvalidScript) as caught:
        client.create_task(unique_id(), "stream|from(", dbrps=DBRPS)
    assert (caught.value.line, caught.value.char) == (1, 13)
    assert caught.value.message.startswith("invalid TICKscript: parser: unexpected EOF")

    with pytest.raises(InvalidScript) as caught:
        client.create_task(unique_id(), "stream\n    |from()\n    |nope()\n", dbrps=DBRPS)
    assert caught.value.line == 3


def test_a_write_error_is_plain_text(client: Any) -> None:
    with pytest.raises(BadRequest) as caught:
        client.write_points("cpu,host=a usage=", db="telegraf", rp="autogen")
    assert caught.value.message == "unable to parse 'cpu,host=a usage=': missing field value"


def test_events_of_an_unknown_topic_are_not_found(
    client: Any, kapacitor: servers.Server, unique_id: Any
) -> None:
    topic = unique_id("topic")
    raw = httpx.get(f"{kapacitor.url}/kapacitor/v1/alerts/topics/{topic}/events")
    assert raw.status_code == 500  # the quirk; the topic itself is a 404
    with pytest.raises(NotFound, match="unknown topic") as caught:
        client.list_topic_events(topic)
    assert caught.value.status == 500
    with pytest.raises(NotFound, match="unknown topic"):
        client.get_topic(topic)
