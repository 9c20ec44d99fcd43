"""Each built-in template, end to end on the real Kapacitor: render → create → write
points → the alert fires → change the threshold → the new threshold is the one
applied → disable → delete.  Events are read from the alert's topic."""

from __future__ import annotations

import time
from typing import Any

import pytest

import tickgen
from tests import servers
from tickgen.client import NotFound, Task

DB = "telegraf"


def deploy(client: Any, alert: tickgen.Alert) -> Task:
    """Create the task that tickgen renders for ``alert``."""
    rendered = tickgen.render_task(alert)
    task: Task = client.create_task(
        rendered.id,
        rendered.script,
        dbrps=rendered.dbrps,
        type=rendered.type,
        status=rendered.status,
    )
    return task


def redeploy(client: Any, alert: tickgen.Alert) -> Task:
    rendered = tickgen.render_task(alert)
    task: Task = client.update_task(rendered.id, script=rendered.script)
    return task


def levels(client: Any, topic: str) -> dict[str, str]:
    """The level of each event in ``topic``; none until the first event creates it."""
    try:
        events = client.list_topic_events(topic)
    except NotFound:
        return {}
    return {e.id: e.state.level for e in events}


def collected_by_alert(client: Any, task_id: str) -> int:
    nodes = client.get_task(task_id).stats.get("node-stats", {})
    return sum(s["collected"] for name, s in nodes.items() if name.startswith("alert"))


def write(client: Any, *lines: str) -> None:
    client.write_points(list(lines), db=DB, rp="autogen", precision="s")


def write_and_wait(client: Any, task_id: str, *lines: str) -> None:
    """Write, then wait until the alert node has seen every written point."""
    before = collected_by_alert(client, task_id)
    write(client, *lines)
    servers.wait_for(
        lambda: collected_by_alert(client, task_id) >= before + 1,
        what=f"{task_id}'s alert node to see {lines}",
    )


def finish(client: Any, task_id: str, topic: str) -> None:
    disabled = client.disable_task(task_id)
    assert (disabled.status, disabled.executing) == ("disabled", False)
    client.delete_task(task_id)
    client.delete_topic(topic)
    with pytest.raises(NotFound):
        client.get_task(task_id)


def test_threshold(client: Any, unique_id: Any) -> None:
    task_id, topic = unique_id("threshold"), unique_id("topic")

    def alert(crit: float) -> tickgen.Threshold:
        return tickgen.Threshold(
            id=task_id, database=DB, measurement="cpu", field="usage", group_by=["host"],
            crit={"op": ">", "value": crit}, topic=topic,
        )  # fmt: skip

    assert deploy(client, alert(90)).executing
    try:
        now = int(time.time())
        write(client, f"cpu,host=a usage=95 {now}")
        servers.wait_for(lambda: levels(client, topic), what="the first alert")
        assert levels(client, topic) == {f"{task_id}-host=a": "CRITICAL"}

        write_and_wait(client, task_id, f"cpu,host=b usage=70 {now + 1}")
        assert f"{task_id}-host=b" not in levels(client, topic)  # 70 is under 90

        assert "crit = 50" in redeploy(client, alert(50)).script
        write(client, f"cpu,host=b usage=70 {now + 2}")
        servers.wait_for(
            lambda: levels(client, topic).get(f"{task_id}-host=b") == "CRITICAL",
            what="the new threshold, 50, to fire on 70",
        )
    finally:
        finish(client, task_id, topic)


def test_relative(client: Any, unique_id: Any) -> None:
    task_id, topic = unique_id("relative"), unique_id("topic")

    def alert(crit: float) -> tickgen.Relative:
        return tickgen.Relative(
            id=task_id, database=DB, measurement="cpu", field="usage", group_by=["host"],
            change="percent", shift="10s", crit={"op": ">", "value": crit}, topic=topic,
        )  # fmt: skip

    def change(host: str, start: int, before: float, after: float) -> list[str]:
        # Shifted by 10 s, the first point meets the second in the join.
        return [
            f"cpu,host={host} usage={before} {start}",
            f"cpu,host={host} usage={after} {start + 10}",
        ]

    assert deploy(client, alert(60)).executing
    try:
        now = int(time.time())
        write(client, *change("a", now, 100, 200))  # +100 %
        servers.wait_for(lambda: levels(client, topic), what="the first alert")
        assert levels(client, topic) == {f"{task_id}-host=a": "CRITICAL"}

        write_and_wait(client, task_id, *change("b", now, 100, 150))  # +50 %: under 60
        assert f"{task_id}-host=b" not in levels(client, topic)

        redeploy(client, alert(10))
        write(client, *change("b", now + 100, 100, 150))
        servers.wait_for(
            lambda: levels(client, topic).get(f"{task_id}-host=b") == "CRITICAL",
            what="the new threshold, 10 %, to fire on +50 %",
        )
    finally:
        finish(client, task_id, topic)


def test_deadman(client: Any, unique_id: Any) -> None:
    task_id, topic = unique_id("deadman"), unique_id("topic")

    def alert(threshold: float) -> tickgen.Deadman:
        return tickgen.Deadman(
            id=task_id, database=DB, measurement="heartbeat", period="1s",
            threshold=threshold, topic=topic,
        )  # fmt: skip

    def level_while_feeding() -> str | None:
        # About 20 points a second, while the deadman counts them per second.
        write(client, f"heartbeat,host=a alive=1 {int(time.time())}")
        return levels(client, topic).get(task_id)

    assert deploy(client, alert(1)).executing
    try:
        # No points at all: dead after the first period.
        servers.wait_for(
            lambda: levels(client, topic).get(task_id) == "CRITICAL", what="the deadman to fire"
        )
        servers.wait_for(lambda: level_while_feeding() == "OK", what="recovery once points arrive")
        redeploy(client, alert(100))  # ~20 a second is now too few
        servers.wait_for(
            lambda: level_while_feeding() == "CRITICAL",
            what="the new threshold, 100 a second, to fire",
        )
    finally:
        finish(client, task_id, topic)
