"""A pytest plugin: an ephemeral Kapacitor for a test session, and helpers around it.

Installed with tickgen (entry point ``pytest11``), it gives every test suite:

``tickgen_kapacitor`` (session)
    a :class:`KapacitorUnderTest`: a private kapacitord on 127.0.0.1 started once
    per session (found as ``tickgen test`` finds one), stopped at the end.
``tickgen_alerts``
    :class:`AlertHarness`, for one test: ``create(alert)`` deploys a tickgen alert
    (or ``create_script(...)`` a TICKscript) with its events sent back to the test,
    ``write(...)`` writes points, ``events(...)`` reads every event; all it created
    is deleted after the test.

    def test_cpu_alert(tickgen_alerts):
        alert = tickgen.Threshold(id="cpu", database="telegraf", measurement="cpu",
                                  field="usage", crit={"op": ">", "value": 90})
        task = tickgen_alerts.create(alert)
        tickgen_alerts.write(task, "cpu usage=95 0", "cpu usage=50 60")   # times in s
        assert [e.level for e in tickgen_alerts.events(task, count=2)] == ["CRITICAL", "OK"]

The names start with ``tickgen_`` so that they cannot clash with a suite's own
``kapacitor`` fixture.  Without a kapacitord the fixtures skip the test with the
reason (in CI, ``CI=true``, they fail it).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ..client import DBRP, KapacitorClient
from ..models import Alert, AlertBase
from ..render import Renderer
from . import _render_version
from .events import ActualEvent, parse_event
from .runner import attach_topic_handler, test_variant
from .server import EphemeralKapacitor, KapacitordNotFound

__all__ = ["AlertHarness", "DeployedAlert", "KapacitorUnderTest"]


@dataclass
class KapacitorUnderTest:
    """The session's kapacitord: its URL, version and event sink, and a client."""

    server: EphemeralKapacitor
    client: KapacitorClient

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def version(self) -> str:
        return self.server.version


@dataclass(frozen=True)
class DeployedAlert:
    """An alert created by :class:`AlertHarness`: where to write and where events go."""

    task_id: str
    db: str
    rp: str
    script: str


_ids = itertools.count(1)


class AlertHarness:
    """Deploy alerts, write points, read events; cleans up after its test."""

    def __init__(self, kapacitor: KapacitorUnderTest) -> None:
        self.kapacitor = kapacitor
        self.renderer = Renderer(kapacitor_version=_render_version(kapacitor.version))
        self._created: list[tuple[str, str | None]] = []

    @property
    def client(self) -> KapacitorClient:
        return self.kapacitor.client

    def create(self, alert: Alert) -> DeployedAlert:
        """Render and create ``alert`` with its own task id and database; events come here.

        Its handlers and topic are replaced by a post to this test, and its
        influxDBOut and httpOut are left out (as ``tickgen test`` does).
        """
        if not isinstance(alert, AlertBase):
            raise TypeError("create() takes a built-in alert; use create_script() for others")
        n = next(_ids)
        task_id, db = f"tickgen-pytest-{n}", f"tickgen_pytest_{n}"
        sink = self.kapacitor.server.sink
        changed = alert.model_copy(update=test_variant(alert, task_id, db, sink.url_for(task_id)))
        task = self.renderer.render(changed)
        self._created.append((task_id, None))
        self.client.create_task(
            task_id,
            task.script,
            dbrps=[DBRP(db=db, rp="autogen")],
            type="stream",
            status="enabled",
        )
        return DeployedAlert(task_id, db, "autogen", task.script)

    def create_script(
        self, script: str, *, db: str = "tickgen_pytest", rp: str = "autogen"
    ) -> DeployedAlert:
        """Create a TICKscript as written; its alert node must have a handler of its own."""
        task_id = f"tickgen-pytest-{next(_ids)}"
        self._created.append((task_id, None))
        self.client.create_task(
            task_id, script, dbrps=[DBRP(db=db, rp=rp)], type="stream", status="enabled"
        )
        topic = attach_topic_handler(
            self.client, task_id, "tickgen-pytest", self.kapacitor.server.sink.url_for(task_id)
        )
        if topic is None:
            raise AssertionError(
                "the script's alert has no handler, so Kapacitor publishes no events: add one "
                "(for example .log('/dev/null'))"
            )
        self._created[-1] = (task_id, topic)
        return DeployedAlert(task_id, db, rp, script)

    def write(self, alert: DeployedAlert, *lines: str, precision: str = "s") -> None:
        """Write line protocol to the alert's database (timestamps in ``precision``)."""
        self.kapacitor.server.sink.expect(alert.task_id)
        self.client.write_points(list(lines), db=alert.db, rp=alert.rp, precision=precision)

    def raw_events(
        self, alert: DeployedAlert, *, count: int = 0, settle: float = 0.2
    ) -> list[dict[str, Any]]:
        """Every event so far, as Kapacitor posted it, once none came for ``settle`` s."""
        return self.kapacitor.server.sink.wait(
            alert.task_id,
            count=count,
            settle=settle,
            patience=max(1.0, 5 * settle),
            timeout=10.0,
        )

    def events(
        self, alert: DeployedAlert, *, count: int = 0, start: int = 0, settle: float = 0.2
    ) -> list[ActualEvent]:
        """Every event so far; ``at`` counted in ns from ``start`` (Unix seconds)."""
        return [
            parse_event(raw, start_ns=start * 1_000_000_000)
            for raw in self.raw_events(alert, count=count, settle=settle)
        ]

    def cleanup(self) -> None:
        for task_id, topic in reversed(self._created):
            if topic is not None:
                self.client.delete_topic_handler(topic, "tickgen-pytest")
            self.client.delete_task(task_id)
            self.kapacitor.server.sink.forget(task_id)
        self._created.clear()


@pytest.fixture(scope="session")
def tickgen_kapacitor() -> Iterator[KapacitorUnderTest]:
    """A private kapacitord for the session (``tickgen test``'s binary search)."""
    try:
        server = EphemeralKapacitor().start()
    except KapacitordNotFound as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    try:
        with KapacitorClient(server.url) as client:
            yield KapacitorUnderTest(server, client)
    finally:
        server.stop()


@pytest.fixture
def tickgen_alerts(tickgen_kapacitor: KapacitorUnderTest) -> Iterator[AlertHarness]:
    """Deploy alerts in the session's kapacitord; everything is deleted after the test."""
    harness = AlertHarness(tickgen_kapacitor)
    try:
        yield harness
    finally:
        harness.cleanup()
