"""Every built-in template with every handler fires on data, on each Kapacitor version.

A private kapacitord per template and version (``kapacitor_factory``): one task per
handler kind that the version has, each with every golden option and a topic of its
own, then points that make each template's alert CRITICAL, and the CRITICAL event
read back from each task's topic.  So every handler with every option not only
starts (tests/handlers/test_handler_live.py) but lets its alert fire.

Addresses are pointed at the loopback's discard port first: a firing handler
connects (tcp, post) and the tests talk to 127.0.0.1 only.  Kafka is left out:
it fires only with a [[kafka]] cluster that has brokers, which the test server
has not (its stock 'default' cluster makes kapacitord exit at the first event).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import TypeAdapter

from tests import servers
from tests.handlers.full_handlers import FULL
from tickgen.client import KapacitorClient
from tickgen.client.errors import NotFound
from tickgen.client.models import DBRP
from tickgen.handlers import HANDLER_ORDER, version_problems
from tickgen.models import Alert
from tickgen.render import Renderer

_ALERT: TypeAdapter[Alert] = TypeAdapter(Alert)
_DBRPS = [DBRP(db="telegraf", rp="autogen")]
T0 = 1_700_000_000  # seconds; data time drives stream tasks

TEMPLATES: dict[str, dict[str, Any]] = {
    "threshold": {"field": "usage_user", "crit": {"op": ">", "value": 90}},
    "relative": {
        "field": "usage_user",
        "shift": "10s",
        "change": "percent",
        "crit": {"op": ">", "value": 50},
    },
    "deadman": {"period": "1s"},
}
# (seconds after T0, value): the points that make each template's alert CRITICAL.
# relative: 10 -> 100 ten seconds later is +900 % (the shifted point meets the
# current one at T0+10); the last point keeps it critical.  deadman: one point
# makes the group, then silence for a period sets it CRITICAL (on the wall clock).
POINTS = {
    "threshold": [(0, 95)],
    "relative": [(0, 10), (10, 100), (20, 1000)],
    "deadman": [(0, 1)],
}


def _loopback(value: Any) -> Any:
    """Every URL and host:port of a handler's options, pointed at 127.0.0.1:9."""
    if isinstance(value, str):
        if re.match(r"[a-z]+://", value):
            return "http://127.0.0.1:9/"
        if re.fullmatch(r"[\w.-]+:\d+", value):
            return "127.0.0.1:9"
        return value
    if isinstance(value, list):
        return [_loopback(item) for item in value]
    if isinstance(value, dict):
        return {key: _loopback(item) for key, item in value.items()}
    return value


def _handler(kind: str, tmp: str) -> dict[str, Any]:
    handler = _loopback(FULL[kind][0])
    if kind == "exec":
        handler["command"] = ["/bin/true"]
    if kind == "log":
        handler["path"] = f"{tmp}/alerts.log"
    return dict(handler)


def _critical(client: KapacitorClient, topic: str) -> bool:
    try:
        return bool(client.list_topic_events(topic, min_level="CRITICAL"))
    except NotFound:  # a topic exists from its first event on
        return False


@pytest.mark.slow
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_handler_fires_on_data(
    template: str,
    kapacitor_factory: Callable[..., servers.Server],
    unique_id: Callable[[str], str],
    tmp_path: Any,
) -> None:
    server = kapacitor_factory()
    renderer = Renderer(kapacitor_version=server.version)
    topics: dict[str, str] = {}
    with KapacitorClient(server.url) as client:
        for kind in HANDLER_ORDER:
            if kind == "kafka":
                continue
            handlers = [_handler(kind, str(tmp_path))]
            alert = _ALERT.validate_python(
                {
                    "template": template,
                    "id": unique_id(f"{template}-{kind}"),
                    "database": "telegraf",
                    "measurement": "cpu",
                    "group_by": ["host"],
                    "topic": f"fire-{template}-{kind}",
                    "influxdb_out": None,
                    **TEMPLATES[template],
                    "handlers": handlers,
                }
            )
            if version_problems(alert.handlers, server.version):
                continue  # not on this version: test_handler_live shows it is refused
            task = renderer.render(alert)
            client.create_task(
                task.id, task.script, dbrps=_DBRPS, type="stream", status="enabled"
            )
            topics[kind] = alert.topic or ""
        assert len(topics) >= 20, sorted(topics)
        client.write_points(
            [f"cpu,host=h usage_user={value} {T0 + at}" for at, value in POINTS[template]],
            db="telegraf",
            rp="autogen",
            precision="s",
        )
        deadline = time.monotonic() + 30
        silent = dict(topics)
        while silent and time.monotonic() < deadline:
            for kind, topic in list(silent.items()):
                if _critical(client, topic):
                    del silent[kind]
            time.sleep(0.2)
        assert not silent, f"no CRITICAL event on kapacitord {server.version} from: {sorted(silent)}"
        for task in client.list_tasks():
            assert task.executing and not task.error, (task.id, task.error)
