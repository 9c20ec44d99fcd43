"""SIGINT and SIGTERM at chosen points of an apply against the real Kapacitor.

The signal is sent by the client's own transport at an exact request (before
it goes out, or once its answer is in), so no test depends on timing: the
first signal lets the changes in flight finish and starts no new one; a second
signal (or the grace period running out on a request that never answers) cuts
them off where they are.  Afterwards the server's state must be what the run
reported, and the next plan must show exactly what is left, the repair of a
task left disabled included.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import servers
from tests.deploy.conftest import run_cli, write_alerts
from tickgen.client import AsyncKapacitorClient, KapacitorClient, NotFound
from tickgen.deploy import strip_marker

Match = Callable[[httpx.Request], bool]


def body(request: httpx.Request) -> dict[str, object]:
    content = request.content
    return json.loads(content) if content else {}


def first_patch(request: httpx.Request) -> bool:  # changes + disable
    return request.method == "PATCH" and "script" in body(request)


def second_patch(request: httpx.Request) -> bool:  # enable
    return request.method == "PATCH" and body(request) == {"status": "enabled"}


def create_of(task_id: str) -> Match:
    return lambda r: r.method == "POST" and body(r).get("id") == task_id


def task_list(request: httpx.Request) -> bool:
    return request.method == "GET" and request.url.path.endswith("/tasks")


class Interrupter(httpx.AsyncHTTPTransport):
    """Sends ``signals`` to this process at the first request ``match`` accepts:
    ``before`` it is sent (then, with ``hang``, the request never answers, as a
    stuck server would) or ``after`` its answer arrived."""

    def __init__(
        self, match: Match, when: str, signals: list[int], *, hang: bool = False, nth: int = 1
    ) -> None:
        super().__init__()
        self.match, self.when, self.signals, self.hang = match, when, signals, hang
        self.left = nth

    def _fires(self, request: httpx.Request) -> bool:
        if self.left and self.match(request):
            self.left -= 1
            return self.left == 0
        return False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fires = self._fires(request)
        if fires and self.when == "before":
            self._send()
            if self.hang:
                await asyncio.Event().wait()  # never set: only cancellation ends it
        response = await super().handle_async_request(request)
        if fires and self.when == "after":
            await response.aread()
            self._send()
        return response

    def _send(self) -> None:
        for signum in self.signals:
            os.kill(os.getpid(), signum)


def apply_with(
    capsys: pytest.CaptureFixture[str], transport: httpx.AsyncBaseTransport, *args: str
) -> tuple[int, str, str]:
    original = AsyncKapacitorClient.__init__

    def patched(self: AsyncKapacitorClient, *a: object, **kw: object) -> None:
        kw["transport"] = transport
        original(self, *a, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(AsyncKapacitorClient, "__init__", patched)
        return run_cli(capsys, "apply", *args)


@dataclass(frozen=True)
class Point:
    name: str
    match: Match
    when: str
    signals: tuple[int, ...]
    hang: bool = False
    code: int = 130


SIGINT, SIGTERM = signal.SIGINT, signal.SIGTERM
POINTS = [
    # one signal: the update in flight finishes (both PATCHes), nothing new starts
    Point("int-after-disable", first_patch, "after", (SIGINT,)),
    Point("term-after-disable", first_patch, "after", (SIGTERM,), code=143),
    Point("int-before-disable", first_patch, "before", (SIGINT,)),
    # two signals: cut off between the PATCHes: the task is left disabled, and said so
    Point("int-int-before-enable", second_patch, "before", (SIGINT, SIGINT), hang=True),
    Point("term-int-after-disable", first_patch, "after", (SIGTERM, SIGINT), code=143),
    # one signal, then the server never answers: the grace period ends it
    Point("term-stuck-enable", second_patch, "before", (SIGTERM,), hang=True, code=143),
    # creates: cut off before the POST went out, and once it was answered
    Point("int-int-before-create", create_of("ix-v1"), "before", (SIGINT, SIGINT), hang=True),
    Point("int-int-after-create", create_of("ix-v1"), "after", (SIGINT, SIGINT)),
    Point("term-stuck-create", create_of("ix-v1"), "before", (SIGTERM,), hang=True, code=143),
]


def status_of(client: KapacitorClient, task_id: str) -> str:
    try:
        return client.get_task(task_id).status or "unknown"
    except NotFound:
        return "absent"


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.name)
def test_interrupted_apply_reports_every_task_it_left_and_the_next_plan_repairs_it(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    point: Point,
) -> None:
    monkeypatch.setenv("TICKGEN_INTERRUPT_GRACE", "0.5")
    config = project(kapacitor.url, id_prefix="ix-")
    alerts = tmp_path / "alerts"
    args = [str(alerts), "--config", str(config), "--target", "test"]
    write_alerts(alerts, ["u1"])
    assert run_cli(capsys, "apply", *args)[0] == 0
    # now: u1 changes (an update), v1 and v2 are new (creates); one change at a time
    write_alerts(alerts, ["u1"], crit=95)
    write_alerts(alerts, ["v1", "v2"])
    with KapacitorClient(kapacitor.url) as client:
        old_script = client.get_task("ix-u1", script_format="raw").script
        try:
            transport = Interrupter(point.match, point.when, list(point.signals), hang=point.hang)
            code, out, err = apply_with(capsys, transport, *args, "--parallel", "1")
            assert code == point.code, out + err
            assert "tickgen: interrupted" in err and "Traceback" not in err

            done = set(re.findall(r"^(?:created|updated) (ix-\w+)$", err, re.M))
            not_done = set(re.findall(r"^  not done: \w+ (ix-\w+)$", out, re.M))
            reported = dict(
                re.findall(r"^  interrupted \w+ of (ix-\w+): the server has it (\w+)", out, re.M)
            )
            # every change is accounted for exactly once
            assert sorted([*done, *not_done, *reported]) == ["ix-u1", "ix-v1", "ix-v2"], out
            # what was reported is what the server has
            for task_id, state in reported.items():
                assert status_of(client, task_id) == state, (task_id, out)
            for task_id in done:
                assert status_of(client, task_id) == "enabled"
            for task_id in not_done:
                if task_id == "ix-u1":
                    assert client.get_task("ix-u1", script_format="raw").script == old_script
                else:
                    assert status_of(client, task_id) == "absent"
            if point.name in ("int-int-before-enable", "term-stuck-enable"):
                assert reported == {"ix-u1": "disabled"}
                assert "not enabled as wanted: run apply again to repair it" in out
            if point.name in ("int-int-before-create", "term-stuck-create"):
                assert reported == {"ix-v1": "absent"}
            if len(point.signals) == 1 and not point.hang:
                assert not reported  # one signal: whatever was in flight finished

            # the next plan shows exactly what is left, a disabled task as a status change
            code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
            left_disabled = [t for t, s in reported.items() if s == "disabled"]
            for task_id in left_disabled:
                assert re.search(rf"~ update\s+{task_id}\s+.*status: disabled -> enabled", out), out
            creates = {t for t in [*not_done, *reported] if status_of(client, t) == "absent"}
            assert f"Plan: {len(creates)} to create" in out, out
            assert run_cli(capsys, "apply", *args)[0] == 0
            code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
            assert code == 0, out
            for task_id in ("ix-u1", "ix-v1", "ix-v2"):
                assert status_of(client, task_id) == "enabled"
            assert "crit = 95" in strip_marker(client.get_task("ix-u1", script_format="raw").script)
        finally:
            for task in client.list_tasks(pattern="ix-*"):
                client.delete_task(task.id)


def test_a_signal_while_planning_stops_before_any_change(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = project(kapacitor.url, id_prefix="ip-")
    alerts = tmp_path / "alerts"
    write_alerts(alerts, ["a", "b"])
    transport = Interrupter(task_list, "before", [SIGTERM], hang=True)
    code, out, err = apply_with(capsys, transport, str(alerts), "--config", str(config),
                                "--target", "test")  # fmt: skip
    assert code == 143, out + err
    assert "tickgen: interrupted" in err
    with KapacitorClient(kapacitor.url) as client:
        assert client.list_tasks(pattern="ip-*") == []
