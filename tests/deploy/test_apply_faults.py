"""apply when things go wrong: the server killed halfway, and Ctrl-C.

Each test runs its own kapacitord (no InfluxDB, so the alerts here have no
influxDBOut) on its own data dir, which a restart keeps; ``tickgen apply``
runs as a subprocess whose progress lines (stderr is a pipe, so one plain line
per task) tell the test when half the work is done.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from tests import servers
from tests.deploy.conftest import alert_params, run_cli
from tests.deploy.test_interrupts_server import Interrupter, apply_with
from tickgen.client import KapacitorClient
from tickgen.deploy import read_marker, strip_marker
from tickgen.pipeline import render_paths

CLI = "import sys; from tickgen.cli import main; sys.exit(main(sys.argv[1:]))"

pytestmark = pytest.mark.servers


def start_kapacitor(workdir: Path, version: str) -> servers.Server:
    """A private kapacitord ``version`` on ``workdir`` (its restart keeps the tasks);
    skipped, as the shared fixtures are, when the binary is missing outside CI."""
    return servers.start_or_skip(lambda: servers.start_kapacitor(workdir, version=version))


def write_plain_alerts(directory: Path, count: int) -> list[str]:
    directory.mkdir()
    ids = [f"t{i:03d}" for i in range(count)]
    for task_id in ids:
        params = {**alert_params(task_id), "influxdb_out": None}
        (directory / f"{task_id}.yaml").write_text(yaml.safe_dump(params))
    return ids


def start_apply(alerts: Path, url: str, out: Path) -> subprocess.Popen[str]:
    with out.open("w") as stdout:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", CLI, "apply", str(alerts), "--url", url],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[2],
        )


def finish(process: subprocess.Popen[str], timeout: float) -> tuple[int, str]:
    """Wait for the process; its exit code and the rest of its stderr."""
    assert process.stderr is not None
    with process.stderr:
        rest = process.stderr.read()
    return process.wait(timeout), rest


def wait_for_lines(process: subprocess.Popen[str], pattern: str, count: int) -> list[str]:
    """Read stderr until ``count`` lines match ``pattern`` (or the process ends)."""
    assert process.stderr is not None
    seen: list[str] = []
    for line in process.stderr:
        if re.match(pattern, line):
            seen.append(line)
            if len(seen) == count:
                break
    return seen


@pytest.mark.slow
def test_server_killed_halfway_then_a_second_apply_converges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kapacitor_version: str
) -> None:
    workdir = tmp_path / "kapacitor"
    server = start_kapacitor(workdir, kapacitor_version)
    restarted: servers.Server | None = None
    try:
        alerts = tmp_path / "alerts"
        ids = write_plain_alerts(alerts, 200)
        out = tmp_path / "apply.out"
        process = start_apply(alerts, server.url, out)
        wait_for_lines(process, r"created t\d+$", 100)
        server.kill()
        code, rest = finish(process, 120)
        summary = out.read_text()

        assert code == 1, summary + rest
        match = re.search(r"on default: (\d+) succeeded \(\d+ created\), (\d+) failed", summary)
        assert match is not None, summary
        succeeded, failed = int(match.group(1)), int(match.group(2))
        assert succeeded >= 100
        assert failed > 0
        assert succeeded + failed == 200
        failed_ids = re.findall(r"^  failed to create (t\d+): ", summary, re.M)
        assert len(failed_ids) == failed
        assert "Run apply again to finish" in summary

        restarted = start_kapacitor(workdir, kapacitor_version)  # same data dir: the tasks are kept
        desired = {t.id: t for t in render_paths(alerts)}
        with KapacitorClient(restarted.url) as client:
            live = {t.id: t for t in client.list_tasks(script_format="raw", limit=1000)}
        created_ids = set(ids) - set(failed_ids)
        assert created_ids <= set(live)
        for task_id, task in live.items():
            # No half-made task: whatever the server kept is the whole definition.
            assert strip_marker(task.script) == desired[task_id].script
            assert read_marker(task.script) is not None
            assert [(d.db, d.rp) for d in task.dbrps] == [("telegraf", "autogen")]
            if task_id in created_ids:
                assert task.status == "enabled"

        process = subprocess.run(
            [sys.executable, "-c", CLI, "apply", str(alerts), "--url", restarted.url],
            capture_output=True, text=True, timeout=300, check=False,
        )
        assert process.returncode == 0, process.stdout + process.stderr
        # what the failed creates left behind (stored disabled, or enabled with the
        # answer lost) is finished or already right: at most `failed` changes remain
        again = re.search(r"Apply on default: (\d+) succeeded .*, 0 failed", process.stdout)
        assert again is not None, process.stdout
        assert 0 < int(again.group(1)) <= failed
        with capsys.disabled():
            print(f"\nkilled after {succeeded} creates ({failed} failed); the second apply "
                  f"made {again.group(1)} changes")

        from tickgen.cli import main

        assert main(["plan", str(alerts), "--url", restarted.url, "--detailed-exitcode"]) == 0
        assert capsys.readouterr().out.endswith("200 unchanged.\n")
    finally:
        server.kill()
        if restarted is not None:
            restarted.stop()


def test_ctrl_c_exits_130_and_reports_what_was_done(
    tmp_path: Path, kapacitor_version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ctrl-C arrives once the 10th create has been answered (sent by the client's own
    # transport, so however slow the machine, the same point): the creates in flight
    # finish, none starts after it.
    server = start_kapacitor(tmp_path / "kapacitor", kapacitor_version)
    try:
        alerts = tmp_path / "alerts"
        write_plain_alerts(alerts, 60)
        transport = Interrupter(
            lambda r: r.method == "POST", "after", [signal.SIGINT], nth=10
        )
        code, summary, err = apply_with(capsys, transport, str(alerts), "--url", server.url)
        assert code == 130, summary + err
        assert "tickgen: interrupted" in err
        match = re.search(r"Apply on default: (\d+) succeeded .*, 0 failed, (\d+) not done", summary)
        assert match is not None, summary
        succeeded, not_done_count = int(match.group(1)), int(match.group(2))
        # the 10 answered, plus those in flight when the loop saw the signal (which it
        # reads at its next poll for I/O, and every create needs one): far from all 60
        assert succeeded >= 10 and not_done_count > 0
        assert succeeded + not_done_count == 60
        assert "interrupted" not in summary.replace("interrupted;", "")  # nothing cut off
        not_done = set(re.findall(r"^  not done: create (t\d+)$", summary, re.M))
        assert len(not_done) == not_done_count
        created = set(re.findall(r"^created (t\d+)$", err, re.M))
        with KapacitorClient(server.url) as client:
            live = {t.id: t.status for t in client.list_tasks(fields=["status"], limit=1000)}
        # exactly the changes reported as done are on the server, all enabled
        assert set(live) == created and len(created) == succeeded
        assert set(live.values()) == {"enabled"}
    finally:
        server.stop()


def test_server_lost_between_the_two_patches_of_an_update_is_reported_and_repaired(
    tmp_path: Path, kapacitor_version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The server dies just as the enabling PATCH is to go out: the task stays disabled
    # with its new script. apply says so; after a restart the plan shows the repair.
    workdir = tmp_path / "kapacitor"
    server = start_kapacitor(workdir, kapacitor_version)
    restarted: servers.Server | None = None
    try:
        alerts = tmp_path / "alerts"
        write_plain_alerts(alerts, 1)
        args = [str(alerts), "--url", server.url]
        assert run_cli(capsys, "apply", *args)[0] == 0
        params = {**alert_params("t000", crit=95), "influxdb_out": None}
        (alerts / "t000.yaml").write_text(yaml.safe_dump(params))

        class KillBeforeEnabling(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                if request.method == "PATCH" and request.content == b'{"status":"enabled"}':
                    server.kill()
                return await super().handle_async_request(request)

        code, out, err = apply_with(capsys, KillBeforeEnabling(), *args)
        assert code == 1, out + err
        assert "failed to update t000" in out
        assert "the task may be left disabled; the next plan shows it" in out

        restarted = start_kapacitor(workdir, kapacitor_version)  # same tasks, a new port
        args = [str(alerts), "--url", restarted.url]
        with KapacitorClient(restarted.url) as client:
            task = client.get_task("t000", script_format="raw")
            assert task.status == "disabled" and "crit = 95" in task.script
            code, out, err = run_cli(capsys, "plan", *args, "--detailed-exitcode")
            assert code == 2, out + err
            assert re.search(r"~ update\s+t000\s+status: disabled -> enabled$", out, re.M), out
            assert run_cli(capsys, "apply", *args)[0] == 0
            assert client.get_task("t000").status == "enabled"
    finally:
        server.kill()
        if restarted is not None:
            restarted.stop()
