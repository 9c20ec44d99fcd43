"""Run loaded tests on a Kapacitor: create each alert, write its points, collect, compare.

Each test gets its own task id and (for parameter-file alerts) its own
database, so tests run side by side in one server without seeing each other's
points (alert-testing reference 4.2).  A built-in alert is rendered as
written, except what must not leave a test: its handlers and topic are
replaced by one ``post`` to the runner's :class:`EventSink`, and
``influxDBOut``/``httpOut`` are left out.  A ``.tick`` file (or a user
template) is created as written; its events are collected by a topic handler on
the alert node's anonymous topic, which Kapacitor feeds only when the alert has
a handler of its own (reference 2.2).

Deadman alerts run on the wall clock (reference 3): their period is replaced
by ``deadman_period`` (1 s by default) and the test's time is scaled by the
same factor; their events are matched within two periods.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from ..client import DBRP, KapacitorClient, KapacitorError, NotFound
from ..errors import TickgenError
from ..handlers import PostHandler
from ..models import AlertBase, CustomAlert, Deadman
from ..render import Renderer
from ..tick.quote import duration_nanoseconds
from .events import ActualEvent, Row, compare, format_offset, parse_event
from .loader import LoadedCase
from .points import Point, flush_points, series_points, shift_lines
from .server import EventSink

__all__ = ["TestResult", "TestRunner"]

EVENT_TIMEOUT = 10.0  # s to wait for the expected number of events before comparing
_TOPIC_HANDLER = "tickgen-test"


@dataclass
class TestResult:
    """The outcome of one test."""

    __test__ = False

    name: str
    file: str
    line: int | None
    alert: str
    status: str  # passed, failed, error
    rows: list[Row] = field(default_factory=list)
    actual: list[ActualEvent] = field(default_factory=list)
    error: str = ""
    script: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    task_id: str = ""

    @property
    def label(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class _Prepared:
    loaded: LoadedCase
    task_id: str
    script: str
    dbrps: tuple[DBRP, ...]
    points: list[Point]
    needs_topic_handler: bool
    scale: float = 1.0  # wall-clock seconds per test second (deadman)
    tolerance: int = 0
    notes: list[str] = field(default_factory=list)


_EDGE = re.compile(r'^(\w+) -> (\w+) \[processed="(\d+)"\]', re.M)


def _progress(dot: str, node_stats: dict[str, Any], points: int) -> tuple[bool, int]:
    """Whether every message is through the task, and how many events its alert nodes sent.

    The dot gives what each node put on each edge (``processed``); the node
    stats give what each node took off its edges (``collected``).  When every
    node has taken everything put before it, and the stream node has taken
    every point written, nothing is left in the pipeline.
    """
    into: dict[str, int] = {}
    for _, child, count in _EDGE.findall(dot):
        into[child] = into.get(child, 0) + int(count)
    drained = True
    triggered = 0
    for name, stats in node_stats.items():
        collected = int(stats.get("collected", 0))
        expected = points if name.startswith("stream") else into.get(name, 0)
        drained = drained and collected >= expected
        triggered += int(stats.get("alerts_triggered", 0))
    return drained, triggered


def attach_topic_handler(
    client: KapacitorClient, task_id: str, handler_id: str, url: str, *, wait: float = 2.0
) -> str | None:
    """Post the events of a script as written to ``url``; None when it publishes none.

    A handler goes on the alert node's anonymous topic ``main:<task>:<node>``
    (reference 2.1), which Kapacitor lists once the task has started, and feeds
    only when the alert node has a handler of its own.
    """
    deadline = time.monotonic() + wait
    while True:
        topics = client.list_topics(pattern=f"main:{task_id}:*")
        if topics:
            break
        if time.monotonic() > deadline:
            return None
        time.sleep(0.02)
    client.create_topic_handler(topics[0].id, handler_id, "post", options={"url": url})
    return topics[0].id


def test_variant(alert: AlertBase, task_id: str, db: str, events_url: str) -> dict[str, Any]:
    """What changes in a built-in alert under test (``model_copy(update=...)``).

    Its own task id and database; its handlers and topic replaced by one post
    of the events to ``events_url``, so a test never notifies anyone; no
    influxDBOut or httpOut.  ``name`` keeps the alert id and messages as in
    production.
    """
    return {
        "id": task_id,
        "name": alert.alert_name,
        "database": db,
        "retention_policy": "autogen",
        "dbrps": None,
        "handlers": [PostHandler(kind="post", url=events_url)],
        "topic": None,
        "influxdb_out": None,
        "http_out": None,
        "status": "enabled",
    }


test_variant.__test__ = False  # type: ignore[attr-defined]


class TestRunner:
    """Runs tests on the Kapacitor behind ``client``; events come back through ``sink``."""

    __test__ = False

    def __init__(
        self,
        client: KapacitorClient,
        sink: EventSink,
        renderer: Renderer,
        *,
        prefix: str | None = None,
        settle: float = 0.1,
        workers: int = 8,
        deadman_period: str = "1s",
    ) -> None:
        self.client = client
        self.sink = sink
        self.renderer = renderer
        self.run_id = prefix or f"tickgen-test-{secrets.token_hex(3)}"
        self.settle = settle
        self.workers = max(1, workers)
        self.deadman_period = deadman_period
        self._counter = 0
        self._lock = threading.Lock()
        self._db_locks: dict[DBRP, threading.Lock] = {}
        self._created: dict[str, str | None] = {}  # task id -> topic with our handler
        self._stop = threading.Event()

    # -- bookkeeping ------------------------------------------------------------------------

    def _next_id(self) -> tuple[str, str]:
        with self._lock:
            self._counter += 1
            n = self._counter
        return f"{self.run_id}-{n}", f"{self.run_id.replace('-', '_')}_{n}"

    def _db_lock(self, dbrp: DBRP) -> threading.Lock:
        with self._lock:
            return self._db_locks.setdefault(dbrp, threading.Lock())

    def cleanup(self) -> None:
        """Delete every task and topic handler this runner created and has not deleted yet."""
        with self._lock:
            left = list(self._created.items())
        for task_id, topic in left:
            self._delete(task_id, topic)

    def _delete(self, task_id: str, topic: str | None) -> None:
        try:
            if topic is not None:
                self.client.delete_topic_handler(topic, _TOPIC_HANDLER)
            self.client.delete_task(task_id)
        except NotFound:
            pass  # already gone
        with self._lock:
            self._created.pop(task_id, None)
        self.sink.forget(task_id)

    # -- preparing ------------------------------------------------------------------------

    def prepare(self, loaded: LoadedCase) -> _Prepared:
        case = loaded.case
        task_id, db = self._next_id()
        alert = loaded.alert
        notes: list[str] = []
        scale, tolerance = 1.0, 0
        if loaded.tick_path is not None:
            script = loaded.tick_path.read_text(encoding="utf-8")
            dbrps: tuple[DBRP, ...] = (DBRP(case.database, case.retention_policy),)
            topic_handler = True
        elif isinstance(alert, CustomAlert):
            task = self.renderer.render(alert.model_copy(), source=loaded.alert_source)
            script, dbrps, topic_handler = task.script, task.dbrps, True
        else:
            assert isinstance(alert, AlertBase)
            update = test_variant(alert, task_id, db, self.sink.url_for(task_id))
            if isinstance(alert, Deadman):
                real = duration_nanoseconds(self.deadman_period)
                period = duration_nanoseconds(alert.period)
                scale = real / period
                tolerance = 2 * period
                update["period"] = self.deadman_period
                notes.append(
                    f"deadman runs on the wall clock: period {alert.period} ran as "
                    f"{self.deadman_period}, the test's time {1 / scale:g}x faster; events "
                    f"matched within ±{format_offset(tolerance)}"
                )
            task = self.renderer.render(alert.model_copy(update=update), source=loaded.alert_source)
            script, dbrps, topic_handler = task.script, task.dbrps, False
        points = self._points(loaded, dbrps)
        if points and not topic_handler and getattr(alert, "aggregate", None) and case.flush:
            every = duration_nanoseconds(alert.aggregate.every)  # type: ignore[union-attr]
            flush = flush_points(points, every)
            points.extend(flush)
            notes.append(
                f"added {len(flush)} point(s) at the end of the last window so that it is emitted"
            )
        points.sort(key=lambda p: p.ns)
        return _Prepared(
            loaded, task_id, script, dbrps, points, topic_handler, scale, tolerance, notes
        )

    def _points(self, loaded: LoadedCase, dbrps: tuple[DBRP, ...]) -> list[Point]:
        case = loaded.case
        start_ns = case.start * 1_000_000_000
        alert = loaded.alert
        points: list[Point] = []
        for series in case.series:
            measurement = series.measurement or getattr(alert, "measurement", None)
            field_name = series.field or getattr(alert, "field", None) or "value"
            if measurement is None:
                raise TickgenError(f"{loaded.label}: give each series its 'measurement'")
            points += series_points(
                series,
                start_ns=start_ns,
                interval=case.interval,
                measurement=measurement,
                field=field_name,
            )
        if case.lines is not None:
            try:
                points += shift_lines(case.lines, start_ns=start_ns, precision=case.precision)
            except ValueError as exc:
                raise TickgenError(f"{loaded.label}: lines: {exc}") from None
        return points

    # -- running --------------------------------------------------------------------------

    def run(
        self,
        cases: Sequence[LoadedCase],
        on_result: Callable[[TestResult], None] | None = None,
        on_progress: Callable[[TestResult], None] | None = None,
    ) -> list[TestResult]:
        """Run every case (in parallel where safe); results in the order of ``cases``.

        ``on_result`` sees the results in that order too (a deterministic report);
        ``on_progress`` sees each as it finishes.  Wall-clock (deadman) tests
        start first, so that their seconds overlap the others.
        """
        results: list[TestResult | None] = [None] * len(cases)
        reported = 0
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="tickgen-test")
        futures: dict[Future[TestResult], int] = {}
        order = sorted(range(len(cases)), key=lambda i: not isinstance(cases[i].alert, Deadman))
        try:
            for index in order:
                futures[pool.submit(self.run_one, cases[index])] = index
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    results[futures[future]] = result
                    if on_progress is not None:
                        on_progress(result)
                while reported < len(results) and results[reported] is not None:
                    if on_result is not None:
                        on_result(results[reported])  # type: ignore[arg-type]
                    reported += 1
        except BaseException:
            self._stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            self.cleanup()
            raise
        pool.shutdown(wait=True)
        return [r for r in results if r is not None]

    def run_one(self, loaded: LoadedCase) -> TestResult:
        began = time.monotonic()
        case = loaded.case
        result = TestResult(case.name, loaded.file, loaded.line, loaded.alert_source, "error")
        try:
            prepared = self.prepare(loaded)
        except TickgenError as exc:
            result.error = str(exc)
            return result
        result.script = prepared.script
        result.notes = prepared.notes
        result.task_id = prepared.task_id
        dbrp = prepared.dbrps[0] if prepared.dbrps else DBRP("", "")
        # tests that share a database (.tick files, user templates) must not overlap
        lock = self._db_lock(dbrp) if prepared.needs_topic_handler else None
        try:
            if lock is not None:
                lock.acquire()
            if self._stop.is_set():
                result.error = "interrupted"
                return result
            raw = self._execute(prepared, dbrp)
        except (KapacitorError, TickgenError) as exc:
            result.error = str(exc)
            return result
        finally:
            if lock is not None:
                lock.release()
            result.seconds = time.monotonic() - began
        start_ns = case.start * 1_000_000_000 if prepared.scale == 1.0 else raw[1]
        actual = [parse_event(e, start_ns=start_ns, scale=prepared.scale) for e in raw[0]]
        result.actual = actual
        result.rows = compare(case.expect, actual, tolerance=prepared.tolerance)
        result.status = "passed" if all(r.ok for r in result.rows) else "failed"
        return result

    def _execute(self, prepared: _Prepared, dbrp: DBRP) -> tuple[list[Any], int]:
        task_id = prepared.task_id
        with self._lock:
            self._created[task_id] = None
        try:
            self.client.create_task(
                task_id,
                prepared.script,
                dbrps=prepared.dbrps,
                type="stream",
                status="enabled",
            )
            if prepared.needs_topic_handler:
                topic = self._attach(task_id, prepared.loaded)
                with self._lock:
                    self._created[task_id] = topic
            if prepared.scale != 1.0:
                return self._write_on_wall_clock(prepared, dbrp)
            self.sink.expect(task_id)
            if prepared.points:
                self.client.write_points(
                    [p.line() for p in prepared.points], db=dbrp.db, rp=dbrp.rp, precision="ns"
                )
            return self._wait_until_done(task_id, len(prepared.points)), 0
        finally:
            with self._lock:
                attached = self._created.get(task_id)
            self._delete(task_id, attached)

    def _wait_until_done(self, task_id: str, points: int) -> list[Any]:
        """The task's events, once Kapacitor has handled every point and sent every event.

        Kapacitor acknowledges a write before it has processed it (reference 2.3).
        Done is when the task's own counters say so, twice ``settle`` s apart:
        every message is through the pipeline (:func:`_progress`) and the sink
        has received every event the alert nodes sent.
        """
        deadline = time.monotonic() + EVENT_TIMEOUT
        previous: tuple[str, int] | None = None
        while True:
            task = self.client.get_task(task_id)
            drained, triggered = _progress(task.dot, task.stats.get("node-stats", {}), points)
            received = len(self.sink.events(task_id))
            state = (task.dot.split("\n", 2)[-1], received)
            done = drained and received >= triggered and state == previous
            if done or time.monotonic() > deadline or self._stop.is_set():
                return self.sink.events(task_id)
            previous = state if drained and received >= triggered else None
            self._stop.wait(self.settle)

    def _attach(self, task_id: str, loaded: LoadedCase) -> str:
        topic = attach_topic_handler(
            self.client, task_id, _TOPIC_HANDLER, self.sink.url_for(task_id)
        )
        if topic is None:
            raise TickgenError(
                f"{loaded.label}: the alert in {loaded.alert_source} has no handler, so "
                "Kapacitor publishes none of its events: give it one (for example "
                ".log('/dev/null'))"
            )
        return topic

    def _write_on_wall_clock(
        self, prepared: _Prepared, dbrp: DBRP
    ) -> tuple[list[Any], int]:
        """Deadman: points are written at scaled wall-clock times, stamped with "now"."""
        case = prepared.loaded.case
        start_ns = case.start * 1_000_000_000
        wall_start = time.time_ns()
        began = time.monotonic()
        for point in prepared.points:
            due = began + (point.ns - start_ns) / 1e9 * prepared.scale
            if self._stop.wait(max(0.0, due - time.monotonic())):
                raise TickgenError("interrupted")
            self.client.write_points(
                [point.line(time.time_ns())], db=dbrp.db, rp=dbrp.rp, precision="ns"
            )
        last_point = max((p.ns - start_ns for p in prepared.points), default=0)
        last_expected = max((duration_nanoseconds(e.at) for e in case.expect), default=0)
        end = max(last_point, last_expected) + prepared.tolerance
        if self._stop.wait(max(0.0, began + end / 1e9 * prepared.scale - time.monotonic())):
            raise TickgenError("interrupted")
        return self.sink.events(prepared.task_id), wall_start
