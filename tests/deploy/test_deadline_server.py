"""The command deadline reached in the middle of an apply against the real Kapacitor.

Time is made deterministic: the command deadline runs on a clock of the test's
own, and the client's transport is "slow" by moving that clock on by one
second per request (no real sleeping), so the deadline passes at an exact
request whatever the machine's load.  From then on no change starts; the one
in flight either finishes (its second PATCH is answered) or is stuck (its
enabling PATCH never answers, as a server that stalls right then) and the
grace period cuts it off.  Afterwards the server's state must be what the run
reported, no managed task may be disabled without being reported, and the
next plan must show the repair.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import tickgen
import tickgen.client
from tests import servers
from tests.deploy.conftest import run_cli, write_alerts
from tests.deploy.test_interrupts_server import apply_with, second_patch
from tickgen.client import AsyncKapacitorClient, Deadline, KapacitorClient
from tickgen.deploy import apply_tasks, plan_tasks, strip_marker, url_target

IDS = [f"dl-u{n:02}" for n in range(12)]
SECONDS = 9  # virtual: 2 requests to plan, 2 per update; it passes during the 4th update


class Clock:
    """A clock that moves only when told: the deadline's time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.made: list[Deadline] = []

    def __call__(self) -> float:
        return self.now

    def deadline(self, seconds: float, **options: str) -> Deadline:
        made = Deadline(seconds, clock=self, **options)
        self.made.append(made)
        return made

    @property
    def expired(self) -> bool:
        return any(d.expired for d in self.made)


class SlowTransport(httpx.AsyncHTTPTransport):
    """Each request takes one second of the clock's time; with ``stall``, an enabling
    PATCH sent once the deadline has passed never answers."""

    def __init__(self, clock: Clock, *, stall: bool) -> None:
        super().__init__()
        self.clock, self.stall = clock, stall
        self.stalled: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.clock.now += 1.0
        if self.stall and second_patch(request) and self.clock.expired:
            self.stalled.append(request.url.path.rsplit("/", 1)[-1])
            await asyncio.Event().wait()  # never set: only cancellation ends it
        return await super().handle_async_request(request)


@pytest.mark.parametrize("stall", [False, True], ids=["in-flight-finishes", "in-flight-stuck"])
def test_the_deadline_mid_apply_stops_new_changes_and_reports_what_is_left(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stall: bool,
) -> None:
    monkeypatch.setenv("TICKGEN_INTERRUPT_GRACE", "0.5")
    config = project(kapacitor.url, id_prefix="dl-")
    alerts = tmp_path / "alerts"
    args = [str(alerts), "--config", str(config), "--target", "test"]
    write_alerts(alerts, [i.removeprefix("dl-") for i in IDS])
    assert run_cli(capsys, "apply", *args)[0] == 0
    write_alerts(alerts, [i.removeprefix("dl-") for i in IDS], crit=95)  # 12 updates
    with KapacitorClient(kapacitor.url) as client:
        old = {i: client.get_task(i, script_format="raw").script for i in IDS}
        try:
            clock = Clock()
            transport = SlowTransport(clock, stall=stall)
            with monkeypatch.context() as patch:
                patch.setattr(tickgen.client, "Deadline", clock.deadline)
                code, out, err = apply_with(
                    capsys, transport, *args, "--parallel", "1", "--deadline", str(SECONDS)
                )
            assert code == 1, out + err
            assert "Traceback" not in err
            assert f"the command deadline of {SECONDS} seconds was reached" in err, err
            assert "run apply again to finish what is not done" in err
            assert "--deadline SECONDS or $TICKGEN_COMMAND_DEADLINE" in err

            done = set(re.findall(r"^updated (dl-\w+)$", err, re.M))
            not_done = set(re.findall(r"^  not done: update (dl-\w+)$", out, re.M))
            reported = dict(
                re.findall(r"^  interrupted update of (dl-\w+): the server has it (\w+)", out, re.M)
            )
            # every change is accounted for exactly once; some were done, some not started
            assert sorted([*done, *not_done, *reported]) == IDS, out + err
            assert done and not_done, out + err
            if stall:
                assert reported == {transport.stalled[0]: "disabled"}, out
                assert "not enabled as wanted: run apply again to repair it" in out
            else:
                assert not reported and not transport.stalled, out
            # what was reported is what the server has; nothing is disabled unreported
            for task_id in IDS:
                task = client.get_task(task_id, script_format="raw")
                if task_id in done:
                    assert task.status == "enabled" and "crit = 95" in strip_marker(task.script)
                elif task_id in not_done:
                    assert task.status == "enabled" and task.script == old[task_id]
                else:
                    assert task.status == reported[task_id] == "disabled"

            # the next plan shows what is left, the disabled task as a status change
            code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
            assert code == 2, out
            assert f"Plan: 0 to create, {len(not_done) + len(reported)} to update" in out, out
            for task_id in reported:
                assert re.search(rf"~ update\s+{task_id}\s+.*status: disabled -> enabled", out), out
            assert run_cli(capsys, "apply", *args)[0] == 0
            code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
            assert code == 0, out
            for task_id in IDS:
                task = client.get_task(task_id, script_format="raw")
                assert task.status == "enabled" and "crit = 95" in strip_marker(task.script)
        finally:
            for task in client.list_tasks(pattern="dl-*"):
                client.delete_task(task.id)


def test_the_deadline_while_planning_changes_nothing(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = project(kapacitor.url, id_prefix="dp-")
    alerts = tmp_path / "alerts"
    write_alerts(alerts, ["a", "b"])
    clock = Clock()
    with monkeypatch.context() as patch:
        patch.setattr(tickgen.client, "Deadline", clock.deadline)
        # the ping and the task list take a second each: past a deadline of 1.5
        code, out, err = apply_with(capsys, SlowTransport(clock, stall=False), str(alerts),
                                    "--config", str(config), "--target", "test",
                                    "--deadline", "1.5")  # fmt: skip
    assert code == 1, out + err
    assert "the command deadline of 1.5 seconds was reached before any change" in err, err
    assert "nothing was changed" in err and "Traceback" not in err
    with KapacitorClient(kapacitor.url) as client:
        assert client.list_tasks(pattern="dp-*") == []


def test_apply_tasks_with_a_deadline_cuts_off_and_says_what_it_left(
    kapacitor: servers.Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the library has no grace period: the update in flight when the deadline passes
    # is cut off between its PATCHes, and its error says the task may be left disabled
    ids = [f"dla-{n}" for n in range(6)]
    target = url_target(kapacitor.url)
    write_alerts(tmp_path, ids)
    assert apply_tasks(tickgen.render_paths(tmp_path), target).complete
    write_alerts(tmp_path, ids, crit=95)
    tasks = tickgen.render_paths(tmp_path)
    clock = Clock()
    original = AsyncKapacitorClient.__init__

    def patched(self: AsyncKapacitorClient, *a: Any, **kw: Any) -> None:
        original(self, *a, **{**kw, "transport": SlowTransport(clock, stall=False)})

    try:
        with monkeypatch.context() as patch:
            patch.setattr(AsyncKapacitorClient, "__init__", patched)
            # the ping and the task list take a second each, each PATCH one: the 2nd
            # update's second PATCH is past a deadline of 5
            result = apply_tasks(tasks, target, parallel=1, deadline=clock.deadline(5))
        assert [o.action.task_id for o in result.succeeded] == ["dla-0"]
        [failed] = result.failed
        assert failed.action.task_id == "dla-1"
        assert "stopped: the overall deadline of 5 seconds was reached" in str(failed.error)
        assert "the task may be left disabled" in str(failed.error)
        assert [a.task_id for a in result.not_done] == ids[2:]
        with KapacitorClient(kapacitor.url) as client:
            assert client.get_task("dla-1").status == "disabled"
            assert {client.get_task(i).status for i in ids if i != "dla-1"} == {"enabled"}
        plan = plan_tasks(tasks, target)
        assert [a.task_id for a in plan.changes] == ids[1:]
        assert apply_tasks(tasks, target).complete
    finally:
        with KapacitorClient(kapacitor.url) as client:
            for task in client.list_tasks(pattern="dla-*"):
                client.delete_task(task.id)
