"""The test servers themselves (tests/servers.py): readiness, logs, failures."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from tests import servers


def test_the_shared_kapacitor_is_ready_and_connected(
    kapacitor: servers.Server, influxdb: servers.Server, kapacitor_version: str
) -> None:
    assert kapacitor.url.startswith("http://127.0.0.1:")
    assert kapacitor.version == kapacitor_version
    assert 0 < kapacitor.started_in < servers.START_TIMEOUT
    log = kapacitor.read_log()
    assert 'msg="listening on"' in log
    assert kapacitor.log_path.name == "kapacitord.log"
    # kapacitord's own service test of its [[influxdb]] cluster reaches our InfluxDB.
    check = httpx.post(
        f"{kapacitor.url}/kapacitor/v1/service-tests/influxdb", json={"cluster": "default"}
    )
    assert check.json() == {"success": True, "message": ""}
    config = httpx.get(f"{kapacitor.url}/kapacitor/v1/config/influxdb").json()
    (element,) = config["elements"]
    assert (element["options"]["enabled"], element["options"]["urls"]) == (True, [influxdb.url])


def test_a_private_kapacitor_can_be_killed(kapacitor_factory: Any) -> None:
    server = kapacitor_factory()
    assert httpx.get(f"{server.url}/kapacitor/v1/ping").status_code == 204
    server.kill()
    assert not server.running
    assert server not in servers.RUNNING
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/kapacitor/v1/ping")


def test_stop_is_graceful(kapacitor_factory: Any) -> None:
    server = kapacitor_factory()
    server.stop()
    assert server.process.returncode == 0
    assert "server shutdown completed" in server.read_log()


def fake_binary(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kapacitord"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_server_that_dies_at_startup_reports_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAPACITORD", str(fake_binary(tmp_path, "echo 'run: bad config'; exit 3")))
    with pytest.raises(servers.ServerError, match="exited with 3") as caught:
        servers.start_kapacitor(tmp_path / "k")
    assert "run: bad config" in str(caught.value)
    assert not isinstance(caught.value, servers.MissingBinary)


def test_a_kapacitord_of_another_version_counts_as_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kapacitor_version: str
) -> None:
    binary = servers.find_binary("kapacitord", kapacitor_version)
    monkeypatch.setenv("KAPACITORD", str(binary))
    with pytest.raises(servers.MissingBinary) as caught:
        servers.start_kapacitor(tmp_path / "k", version="1.0.0")
    assert str(caught.value) == (
        f"kapacitord 1.0.0 not found: {binary} answers as version {kapacitor_version} "
        "(run scripts/kapacitor-build 1.0.0)"
    )
    assert not [s for s in servers.RUNNING if s.workdir == tmp_path / "k"]  # it was stopped


def test_a_missing_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPACITORD", str(tmp_path / "nowhere"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("TICKGEN_CACHE", str(tmp_path))
    with pytest.raises(servers.MissingBinary, match="run scripts/setup-servers"):
        servers.find_binary("influxd")
    with pytest.raises(servers.MissingBinary) as caught:
        servers.find_binary("kapacitord", "9.9.9")
    assert str(caught.value) == "kapacitord 9.9.9 not found (run scripts/kapacitor-build 9.9.9)"


def raise_(error: Exception) -> Any:
    def start() -> servers.Server:
        raise error

    return start


def test_missing_binary_fails_in_ci_and_skips_elsewhere() -> None:
    missing = raise_(servers.MissingBinary("kapacitord not found"))
    with pytest.raises(pytest.fail.Exception, match="in CI: kapacitord not found"):
        servers.start_or_skip(missing, ci=True)
    with pytest.raises(pytest.skip.Exception, match="kapacitord not found"):
        servers.start_or_skip(missing, ci=False)


def test_a_broken_server_fails_even_outside_ci() -> None:
    with pytest.raises(pytest.fail.Exception, match="exited with 1"):
        servers.start_or_skip(raise_(servers.ServerError("kapacitord exited with 1")), ci=False)


def test_failure_reports_get_the_log_tails(kapacitor: servers.Server) -> None:
    def report(outcome: Literal["passed", "failed"]) -> pytest.TestReport:
        return pytest.TestReport("t", ("t.py", 0, "t"), {}, outcome, None, "call")

    failed = report("failed")
    servers.add_log_tails(failed, lines=5)
    sections = dict(failed.sections)
    title = f"kapacitord log ({kapacitor.log_path}), last 5 lines"
    assert sections[title] == kapacitor.log_tail(5)
    assert len(sections[title].splitlines()) == 5

    passed = report("passed")
    servers.add_log_tails(passed)
    assert passed.sections == []


def test_wait_for_is_bounded() -> None:
    assert servers.wait_for(lambda: 42, timeout=1) == 42
    with pytest.raises(AssertionError, match=r"timed out after 0\.2s waiting for nothing"):
        servers.wait_for(lambda: None, timeout=0.2, what="nothing")


def test_a_restart_keeps_url_data_and_the_old_log(kapacitor_factory: Any) -> None:
    server = kapacitor_factory()
    server.stop()
    first_log = server.read_log()
    again = kapacitor_factory(restart=server)
    assert (again.url, again.workdir) == (server.url, server.workdir)
    assert (again.workdir / "kapacitord.1.log").read_text() == first_log
    assert again.read_log().count('msg="listening on"') == 1
