"""plan / apply / prune against the real Kapacitor (the session fixture).

Each test deploys under its own id prefix (a target of a tickgen.toml) so the
tests sharing the server never see each other's tasks.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import tickgen
from tests import servers
from tests.deploy.conftest import plan_json, run_cli, write_alerts
from tickgen.client import DBRP, AsyncKapacitorClient, KapacitorClient, NotFound
from tickgen.deploy import (
    DeployError,
    Target,
    apply_plan,
    apply_tasks,
    compute_plan,
    desired_task,
    plan_tasks,
    read_live,
    read_marker,
    strip_marker,
)
from tickgen.pipeline import render_paths


class CountingTransport(httpx.AsyncHTTPTransport):
    """Counts the requests of each method and path that go through it."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        return await super().handle_async_request(request)


@pytest.mark.slow
def test_two_hundred_alerts_plan_apply_edit_prune(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = project(kapacitor.url, id_prefix="big-")
    alerts = tmp_path / "alerts"
    ids = [f"cpu{i:03d}" for i in range(200)]
    files = write_alerts(alerts, ids)
    args = [str(alerts), "--config", str(config), "--target", "test"]

    code, plan = plan_json(capsys, *args, "--detailed-exitcode")
    assert code == 2
    assert plan["summary"] == {
        "create": 200, "update": 0, "delete": 0, "unchanged": 0, "conflict": 0
    }

    started = time.monotonic()
    code, out, err = run_cli(capsys, "apply", *args)
    apply_seconds = time.monotonic() - started
    assert code == 0, out + err
    assert "Apply on test: 200 succeeded (200 created), 0 failed" in out
    assert err.count("created big-cpu") == 200  # plain progress lines: stderr is no tty
    with capsys.disabled():
        print(f"\napply of 200 creates: {apply_seconds:.1f}s")

    code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
    assert code == 0
    assert out.endswith("Plan: 0 to create, 0 to update, 0 to delete, 200 unchanged.\n")

    # What the server holds is the rendered script plus the mark, enabled.
    with KapacitorClient(kapacitor.url) as client:
        task = client.get_task("big-cpu007", script_format="raw")
    rendered = {t.id: t for t in render_paths(files["cpu007"])}["cpu007"]
    assert strip_marker(task.script) == rendered.script
    marker = read_marker(task.script)
    assert marker is not None
    assert marker.template == "threshold"
    assert marker.params_hash == rendered.params_hash
    assert task.status == "enabled"
    assert task.executing

    # Edit three files, delete two.
    for task_id in ("cpu010", "cpu020", "cpu030"):
        write_alerts(alerts, [task_id], crit=95)
    for task_id in ("cpu100", "cpu199"):
        files[task_id].unlink()

    code, out, _ = run_cli(capsys, "plan", *args, "--prune", "--detailed-exitcode")
    assert code == 2
    assert out.count("  ~ update    big-cpu") == 3
    assert "  ~ update    big-cpu010  script" in out
    assert "      -var crit = 90" in out
    assert "      +var crit = 95" in out
    assert "  - delete    big-cpu100" in out
    assert "  - delete    big-cpu199" in out
    assert out.endswith("Plan: 0 to create, 3 to update, 2 to delete, 195 unchanged.\n")

    code, out, err = run_cli(capsys, "apply", *args, "--prune", "--yes")
    assert code == 0, out + err
    assert "5 succeeded (3 updated, 2 deleted), 0 failed" in out

    # Plan again: nothing to do, and reading 198 live tasks took two list requests
    # (after the ping that asks the server's version).
    transport = CountingTransport()
    code, plan = _plan_with_transport(capsys, transport, *args, "--prune", "--detailed-exitcode")
    assert code == 0
    assert plan["summary"]["unchanged"] == 198
    assert plan["live_requests"] == 2
    assert (plan["kapacitor_version"], plan["kapacitor_version_from"]) == (
        kapacitor.version,
        "server",
    )
    assert transport.requests == [
        ("GET", "/kapacitor/v1/ping"),
        ("GET", "/kapacitor/v1/tasks"),
        ("GET", "/kapacitor/v1/tasks"),
    ]
    with capsys.disabled():
        print(f"plan of 198 live tasks: {len(transport.requests)} requests")

    with KapacitorClient(kapacitor.url) as client:
        updated = client.get_task("big-cpu020", script_format="raw")
        assert "var crit = 95" in updated.script
        assert updated.executing  # restarted with the new script
        for pruned in ("big-cpu100", "big-cpu199"):
            with pytest.raises(NotFound):
                client.get_task(pruned)
        for task_id in ids:
            client.delete_task(f"big-{task_id}")


def _plan_with_transport(
    capsys: pytest.CaptureFixture[str], transport: httpx.AsyncBaseTransport, *args: str
) -> tuple[int, dict[str, object]]:
    """``tickgen plan`` whose async clients send through ``transport``."""
    original = AsyncKapacitorClient.__init__

    def patched(self: AsyncKapacitorClient, *a: object, **kw: object) -> None:
        kw["transport"] = transport
        original(self, *a, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(AsyncKapacitorClient, "__init__", patched)
        return plan_json(capsys, *args)


def test_hand_made_tasks_are_neither_overwritten_nor_pruned(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = project(kapacitor.url, id_prefix="hand-")
    alerts = tmp_path / "alerts"
    write_alerts(alerts, ["mine", "taken"])
    hand_script = "stream\n    |from()\n        .measurement('by_hand')\n    |alert()\n"
    dbrp = [DBRP(db="telegraf", rp="autogen")]
    args = [str(alerts), "--config", str(config), "--target", "test"]
    with KapacitorClient(kapacitor.url) as client:
        client.create_task("hand-taken", hand_script, dbrps=dbrp, status="enabled")
        client.create_task("hand-other", hand_script, dbrps=dbrp)
        try:
            code, out, _ = run_cli(capsys, "plan", *args, "--prune", "--detailed-exitcode")
            assert code == 2
            assert "  ! conflict  hand-taken" in out
            assert "hand-other" not in out
            assert out.endswith(
                "1 to create, 0 to update, 0 to delete, 0 unchanged, 1 conflict left alone.\n"
            )

            code, out, _ = run_cli(capsys, "apply", *args, "--prune")
            assert code == 1  # the conflicting alert was not deployed
            assert "1 succeeded (1 created), 0 failed" in out
            assert "left alone: hand-taken" in out
            assert client.get_task("hand-taken", script_format="raw").script == hand_script
            assert client.get_task("hand-other", script_format="raw").script == hand_script

            # Only "mine" desired: prune keeps it and never deletes the hand-made ones.
            code, out, _ = run_cli(
                capsys, "apply", str(alerts / "mine.yaml"), "--config", str(config), "--target",
                "test", "--prune",
            )
            assert code == 0, out
            assert {t.id for t in client.list_tasks(pattern="hand-*")} == {
                "hand-mine", "hand-other", "hand-taken"
            }

            # --adopt takes the hand-made task over: it is overwritten and marked.
            code, out, _ = run_cli(capsys, "apply", *args, "--adopt")
            assert code == 0, out
            adopted = client.get_task("hand-taken", script_format="raw").script
            assert read_marker(adopted) is not None
        finally:
            for task_id in ("hand-taken", "hand-other", "hand-mine"):
                client.delete_task(task_id)


def test_update_restarts_running_task_and_status_changes(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = project(kapacitor.url, id_prefix="upd-")
    alerts = tmp_path / "alerts"
    files = write_alerts(alerts, ["a"])
    args = [str(alerts), "--config", str(config), "--target", "test"]
    with KapacitorClient(kapacitor.url) as client:
        try:
            assert run_cli(capsys, "apply", *args)[0] == 0
            before = client.get_task("upd-a")
            write_alerts(alerts, ["a"], crit=50)
            assert run_cli(capsys, "apply", *args)[0] == 0
            after = client.get_task("upd-a")
            assert after.executing
            # a restart shows in last-enabled; a bare PATCH of the script would not
            assert after.last_enabled is not None
            assert before.last_enabled is not None
            assert after.last_enabled > before.last_enabled
            assert "var crit = 50" in client.get_task("upd-a", script_format="raw").script

            files["a"].write_text(files["a"].read_text() + "status: disabled\n")
            out = run_cli(capsys, "plan", *args)[1]
            # the status is a parameter too, but the script stays as it is: only the
            # status changes (a new params hash alone is no change of the script)
            assert "~ update    upd-a  status: enabled -> disabled" in out
            assert "+// managed-by:" not in out
            assert run_cli(capsys, "apply", *args)[0] == 0
            assert client.get_task("upd-a").status == "disabled"
        finally:
            client.delete_task("upd-a")


async def test_failed_update_puts_the_previous_definition_back(
    kapacitor: servers.Server, unique_id: Callable[[str], str]
) -> None:
    """A script Kapacitor accepts but cannot start (a relative log path) must not
    leave the task stopped or half-changed: the old definition runs on."""
    task_id = unique_id("restore")
    good = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .log('/tmp/ok.log')\n"
    bad = good.replace("/tmp/ok.log", "relative.log")
    dbrps = [DBRP("telegraf", "autogen")]
    async with AsyncKapacitorClient(kapacitor.url) as client:
        try:
            first = compute_plan([desired_task(task_id, good, dbrps)], [])
            assert (await apply_plan(first, client)).complete
            live = (await read_live(client, pattern=task_id)).tasks
            plan = compute_plan([desired_task(task_id, bad, dbrps)], live)
            assert [a.kind for a in plan.actions] == ["update"]
            result = await apply_plan(plan, client)
            (failure,) = result.failed
            assert "(the previous definition was restored)" in str(failure.error)
            task = await client.get_task(task_id, script_format="raw")
            assert task.script == live[0].script
            assert task.status == "enabled"
            assert task.executing
        finally:
            await client.delete_task(task_id)


def test_several_targets_in_one_run(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project(kapacitor.url, id_prefix="blue-", name="blue")
    config = project(kapacitor.url, id_prefix="green-", name="green")
    alerts = tmp_path / "alerts"
    write_alerts(alerts, ["a", "b"])
    args = [str(alerts), "--config", str(config), "--target", "blue", "--target", "green"]
    with KapacitorClient(kapacitor.url) as client:
        try:
            code, out, err = run_cli(capsys, "apply", *args)
            assert code == 0, out + err
            assert "Apply on blue: 2 succeeded (2 created), 0 failed" in out
            assert "Apply on green: 2 succeeded (2 created), 0 failed" in out
            assert {"blue: created blue-a", "green: created green-b"} <= set(err.splitlines())
            code, plan = plan_json(capsys, *args, "--detailed-exitcode")
            assert code == 0
            assert [p["target"] for p in plan] == ["blue", "green"]  # type: ignore[index]
            assert {t.id for t in client.list_tasks(pattern="*-[ab]")} >= {
                "blue-a", "blue-b", "green-a", "green-b"
            }
        finally:
            for task_id in ("blue-a", "blue-b", "green-a", "green-b"):
                client.delete_task(task_id)


def test_python_api_plans_and_applies_rendered_tasks(kapacitor: servers.Server) -> None:
    alert = tickgen.Threshold(
        id="cpu", database="telegraf", measurement="cpu", field="usage_user",
        crit={"op": ">", "value": 90}, topic="ops",
    )
    tasks = [tickgen.render_task(alert)]
    target = Target("py", kapacitor.url, id_prefix="py-")
    try:
        planned = plan_tasks(tasks, target)
        assert planned.summary() == "Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged."
        result = apply_tasks(tasks, target)
        assert result.complete
        assert [o.action.task_id for o in result.succeeded] == ["py-cpu"]
        assert not plan_tasks(tasks, target).has_changes
        pruned = apply_tasks([], target, prune=True)
        assert [(o.action.kind, o.action.task_id) for o in pruned.succeeded] == [("delete", "py-cpu")]
    finally:
        with KapacitorClient(kapacitor.url) as client:
            client.delete_task("py-cpu")


def test_python_api_checks_scripts_for_the_servers_version(
    kapacitor: servers.Server, kapacitor_version: str
) -> None:
    # rendered for 1.8 in Python: bigPanda's host exists from 1.6.3 on
    alert = tickgen.Threshold(
        id="panda", database="telegraf", measurement="cpu", field="usage_user",
        crit={"op": ">", "value": 90},
        handlers=[{"kind": "bigPanda", "app_key": "k", "host": "h1"}],
    )
    tasks = [tickgen.render_task(alert, kapacitor_version="1.8")]
    target = Target("py", kapacitor.url, id_prefix="py-")
    try:
        if kapacitor_version.startswith("1.5"):
            for call in (plan_tasks, apply_tasks):
                with pytest.raises(DeployError) as info:
                    call(tasks, target)
                message = str(info.value)
                assert f"runs Kapacitor {kapacitor_version} (reported by the server)" in message
                assert "task panda:" in message and ".host() needs Kapacitor 1.6.3" in message
            with KapacitorClient(kapacitor.url) as client, pytest.raises(NotFound):
                client.get_task("py-panda")  # nothing was written
        else:
            assert apply_tasks(tasks, target).complete
    finally:
        with KapacitorClient(kapacitor.url) as client, contextlib.suppress(NotFound):
            client.delete_task("py-panda")


def test_a_user_template_with_its_own_dbrp_statement_deploys_and_then_plans_clean(
    kapacitor: servers.Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # examples/templates/disk_free writes `dbrp "telegraf"."autogen"` in its script, so
    # the task takes no dbrps besides (Kapacitor refuses both), even from a target
    # that has default dbrps, and Kapacitor's read-back dbrps are not a change
    examples = Path(__file__).resolve().parents[2] / "examples"
    config = tmp_path / "tickgen.toml"
    config.write_text(
        f'[targets.t]\nurl = "{kapacitor.url}"\nid_prefix = "own-dbrp-"\n'
        'dbrps = [{ db = "other", rp = "autogen" }]\n',
        encoding="utf-8",
    )
    argv = ["--config", str(config), "--target", "t", "--templates", str(examples / "templates")]
    params = str(examples / "disk_free.yaml")
    try:
        code, out, err = run_cli(capsys, "apply", params, *argv)
        assert code == 0, out + err
        with KapacitorClient(kapacitor.url) as client:
            task = client.get_task("own-dbrp-var-disk-free")
            assert task.executing, task.error
            assert [d.to_json() for d in task.dbrps] == [{"db": "telegraf", "rp": "autogen"}]
        code, out, err = run_cli(capsys, "plan", params, *argv, "--detailed-exitcode")
        assert code == 0, out + err
    finally:
        with KapacitorClient(kapacitor.url) as client, contextlib.suppress(NotFound):
            client.delete_task("own-dbrp-var-disk-free")
