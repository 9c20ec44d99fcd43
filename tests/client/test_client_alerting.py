"""A stream alert created through the client fires on written points, seen three ways:
a topic event, the httpOut output, and the influxDBOut row in the real InfluxDB."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests import servers
from tickgen.client import DBRP, NotFound

SCRIPT = """var alerts = stream
    |from()
        .measurement('cpu')
        .groupBy('host')
    |alert()
        .crit(lambda: "usage" > 90)
        .topic('{topic}')

alerts
    |httpOut('out')

alerts
    |influxDBOut()
        .database('{outdb}')
        .retentionPolicy('autogen')
        .measurement('alerts')
        .flushInterval(50ms)
"""


def test_stream_alert_fires_and_is_observed(client: Any, unique_id: Any, influx_query: Any) -> None:
    task_id, topic, outdb = unique_id("alert"), unique_id("topic"), unique_id("out")
    influx_query(f'CREATE DATABASE "{outdb}"')  # kapacitord writes, so InfluxDB is reached
    script = SCRIPT.format(topic=topic, outdb=outdb)
    task = client.create_task(
        task_id, script, dbrps=[DBRP(db="telegraf", rp="autogen")], status="enabled"
    )
    try:
        assert task.executing
        now = int(time.time())
        client.write_points(
            [f"cpu,host=a usage=95 {now}", f"cpu,host=b usage=12 {now}"],
            db="telegraf",
            rp="autogen",
            precision="s",
        )

        events = servers.wait_for(lambda: client.list_topic_events(topic), what="a topic event")
        assert [(e.id, e.state.level) for e in events] == [("cpu:host=a", "CRITICAL")]
        assert events[0].state.message == "cpu:host=a is CRITICAL"
        assert client.get_topic_event(topic, "cpu:host=a").state.level == "CRITICAL"
        assert client.get_topic(topic).level == "CRITICAL"
        assert topic in [t.id for t in client.list_topics(min_level="CRITICAL")]

        output = servers.wait_for(lambda: client.task_output(task_id, "out").rows(), what="httpOut")
        assert output == [{"host": "a", "time": time_text(now), "usage": 95}]

        query = "SELECT host, usage FROM alerts"
        rows = servers.wait_for(lambda: influx_query(query, db=outdb), what="the influxDBOut row")
        assert rows == [{"time": time_text(now), "host": "a", "usage": 95}]
    finally:
        client.delete_task(task_id)
        client.delete_topic(topic)


def test_task_output_is_not_found_while_the_task_is_disabled(client: Any, unique_id: Any) -> None:
    task_id = unique_id()
    script = "stream\n    |from()\n        .measurement('cpu')\n    |httpOut('out')\n"
    client.create_task(task_id, script, dbrps=[DBRP(db="telegraf", rp="autogen")])
    try:
        with pytest.raises(NotFound):
            client.task_output(task_id, "out")
        client.enable_task(task_id)

        def output() -> Any:
            # the endpoint is registered when the started pipeline reaches httpOut
            try:
                return client.task_output(task_id, "out")
            except NotFound:
                return None

        answer = servers.wait_for(output, what="the httpOut endpoint of the enabled task")
        assert answer.series == []  # {"series": null}
    finally:
        client.delete_task(task_id)


def test_topic_handlers_list_get_delete(client: Any, unique_id: Any, tmp_path: Path) -> None:
    topic = unique_id("topic")
    log = tmp_path / "alerts.log"
    task_id = unique_id()
    script = SCRIPT.split("\nalerts\n")[0].format(topic=topic)
    client.create_task(task_id, script, dbrps=[DBRP(db="telegraf", rp="autogen")], status="enabled")
    try:
        made = client.create_topic_handler(topic, "to-file", "log", options={"path": str(log)})
        assert (made.id, made.kind, made.options) == ("to-file", "log", {"path": str(log)})
        assert [h.id for h in client.list_topic_handlers(topic)] == ["to-file"]
        assert client.get_topic_handler(topic, "to-file").options["path"] == str(log)

        # The handler is live: a firing alert reaches the file it names.
        client.write_points(
            f"cpu,host=a usage=99 {int(time.time())}", db="telegraf", rp="autogen", precision="s"
        )
        servers.wait_for(
            lambda: log.exists() and "CRITICAL" in log.read_text(), what="the log handler"
        )

        client.delete_topic_handler(topic, "to-file")
        assert client.list_topic_handlers(topic) == []
        with pytest.raises(NotFound):
            client.get_topic_handler(topic, "to-file")
    finally:
        client.delete_task(task_id)
        client.delete_topic(topic)
    with pytest.raises(NotFound, match="unknown topic"):
        client.get_topic(topic)


def time_text(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
