"""The server's version decides what plan/apply/import render and check (deploy.versions).

The live tests run once per Kapacitor version (the ``kapacitor_version`` fixture)
and work out what each server must do from tickgen's own table: an alert with a
handler newer than the server is refused, with the handler, the version that
added it and the server's version, after the ping and before any other request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests import servers
from tests.deploy.conftest import alert_params, plan_json, run_cli
from tickgen.client import KapacitorClient
from tickgen.client.models import Ping
from tickgen.deploy.state import DeployError
from tickgen.deploy.targets import load_targets
from tickgen.deploy.versions import (
    TargetVersion,
    server_version_sync,
    version_from_ping,
)
from tickgen.handlers import version_problems
from tickgen.models import Threshold
from tickgen.project import project_version

ZENOSS_SINCE = "1.6.0"  # tickgen's table: the zenoss handler arrived in Kapacitor 1.6.0


def _zenoss_alert(task_id: str) -> dict[str, object]:
    # no influxDBOut: the private servers have no InfluxDB
    return {**alert_params(task_id), "handlers": [{"kind": "zenoss"}], "influxdb_out": None}


def _server_has_zenoss(version: str) -> bool:
    alert = Threshold.model_validate(_zenoss_alert("z"))
    return not version_problems(alert.handlers, version)


def _handlers_line(path: Path) -> int:
    """The line of the handler item (where the problem is)."""
    return path.read_text().splitlines().index("- kind: zenoss") + 1


def _requests(server: servers.Server, since: int = 0) -> list[str]:
    """``GET /kapacitor/v1/ping`` for each request the server logged after offset ``since``."""
    time.sleep(0.2)  # the access log line is written as the request finishes
    log = server.read_log()[since:]
    return [f"{m} {u}" for m, u in re.findall(r'msg="http request".* method=(\S+) uri=(\S+)', log)]


@pytest.mark.parametrize(
    ("header", "version"),
    [("1.8.3", "1.8.3"), ("v1.7.7", "1.7.7"), ("1.7.0~rc1", "1.7.0"), ("1.6", "1.6")],
)
def test_version_from_ping(header: str, version: str) -> None:
    assert version_from_ping(Ping(version=header, rtt=0.0), "http://k") == version


@pytest.mark.parametrize("header", ["", "unknown", "latest"])
def test_a_server_that_does_not_say_its_version(header: str) -> None:
    with pytest.raises(DeployError) as caught:
        version_from_ping(Ping(version=header, rtt=0.0), "http://k:9092")
    said = repr(header) if header else "nothing"
    assert str(caught.value) == (
        f"the Kapacitor at http://k:9092 does not say which version it is "
        f"(X-Kapacitor-Version: {said}); pin one with kapacitor_version in the target's "
        "tickgen.toml table or with --kapacitor-version"
    )


def test_target_version_text() -> None:
    assert str(TargetVersion("1.8.3", "server")) == "Kapacitor 1.8.3 (reported by the server)"
    assert str(TargetVersion("1.7", "target")) == "Kapacitor 1.7 (pinned by the target)"


def test_targets_and_the_project_may_pin_a_version(tmp_path: Path) -> None:
    config = tmp_path / "tickgen.toml"
    config.write_text(
        'kapacitor_version = "1.7"\n'
        '[targets.old]\nurl = "http://old:9092"\nkapacitor_version = "1.5.9"\n'
        '[targets.new]\nurl = "http://new:9092"\n'
    )
    targets = load_targets(config)
    assert (targets["old"].kapacitor_version, targets["new"].kapacitor_version) == ("1.5.9", None)
    assert project_version(config) == "1.7"
    config.write_text('[targets.bad]\nurl = "http://k"\nkapacitor_version = "newest"\n')
    with pytest.raises(DeployError) as caught:
        load_targets(config)
    assert str(caught.value) == (
        f"{config}:3: targets.bad.kapacitor_version: 'newest' is not a Kapacitor version: "
        'write one such as "1.8" or "1.7.7"'
    )


def test_server_version_is_the_ping_header(kapacitor: servers.Server) -> None:
    with KapacitorClient(kapacitor.url) as client:
        assert server_version_sync(client) == kapacitor.version


def test_plan_renders_for_the_server_version(
    kapacitor_factory: Callable[..., servers.Server],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = kapacitor_factory()
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    path = alerts / "z.yaml"
    path.write_text(yaml.safe_dump({**_zenoss_alert("z"), "dbrps": [{"db": "d", "rp": "r"}]}))
    before = len(server.read_log())
    code, out, err = run_cli(capsys, "plan", str(alerts), "--url", server.url)
    if _server_has_zenoss(server.version):
        assert (code, err) == (0, "")
        header = f"Target default ({server.url}), Kapacitor {server.version} (reported by the server)"
        assert out.splitlines()[0] == header
        assert "+ create    z" in out
        _, plan = plan_json(capsys, str(alerts), "--url", server.url)
        assert (plan["kapacitor_version"], plan["kapacitor_version_from"]) == (
            server.version,
            "server",
        )
    else:
        assert (code, out) == (1, "")
        assert err == (
            f"tickgen: error: for target default ({server.url}), Kapacitor {server.version} "
            f"(reported by the server):\n{path}:{_handlers_line(path)}: handlers[0]: zenoss handler needs Kapacitor "
            f"{ZENOSS_SINCE} or newer; the target is {server.version}: send these alerts another "
            "way there, or upgrade it\n"
        )
        # the version was asked, and nothing else
        assert _requests(server, before) == ["GET /kapacitor/v1/ping"]


def test_a_pinned_target_is_not_asked_and_wins_over_the_server(
    kapacitor_factory: Callable[..., servers.Server],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = kapacitor_factory()
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    path = alerts / "z.yaml"
    path.write_text(yaml.safe_dump({**_zenoss_alert("z"), "dbrps": [{"db": "d", "rp": "r"}]}))
    config = tmp_path / "tickgen.toml"
    config.write_text(f'[targets.old]\nurl = "{server.url}"\nkapacitor_version = "1.5"\n')
    before = len(server.read_log())
    code, out, err = run_cli(
        capsys, "apply", str(alerts), "--config", str(config), "--target", "old"
    )
    assert (code, out) == (1, "")
    assert err == (
        f"tickgen: error: for target old ({server.url}), Kapacitor 1.5 (pinned by the target):\n"
        f"{path}:{_handlers_line(path)}: handlers[0]: zenoss handler needs Kapacitor "
        f"{ZENOSS_SINCE} or newer; "
        "the target is 1.5: send these alerts another way there, or upgrade it\n"
    )
    assert _requests(server, before) == []
    # --kapacitor-version pins every target; where the server has zenoss, apply creates it
    code, out, err = run_cli(
        capsys,
        "apply",
        str(alerts),
        "--config",
        str(config),
        "--target",
        "old",
        "--kapacitor-version",
        server.version,
    )
    if _server_has_zenoss(server.version):
        assert code == 0, err
        assert f"Kapacitor {server.version} (from --kapacitor-version)" in out
        with KapacitorClient(server.url) as client:
            assert ".zenoss()" in client.get_task("z").script
    else:
        assert code == 1
        assert f"the target is {server.version}" in err
