"""``tickgen test`` end to end, each run on an ephemeral kapacitord of its own.

The expectations in examples/*.test.yaml and tests/testing/cases/ were worked
out by hand from Kapacitor's semantics (docs/testing.md); here the real server
has to agree with them, and has to disagree once a threshold moves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import pytest

import tickgen
import tickgen.client
from tests import servers
from tickgen.cli import main
from tickgen.client import Deadline, KapacitorClient

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CASES = ROOT / "tests" / "testing" / "cases"


def test_the_examples_pass(
    kapacitord_binary: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junit = tmp_path / "report.xml"
    code = main(["test", str(EXAMPLES), str(CASES), "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "26 passed, 0 failed" in out.splitlines()[-1]
    assert "ephemeral kapacitord" in out
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("26", "0", "0")


def test_a_moved_threshold_fails_with_a_readable_diff(
    kapacitord_binary: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("memory_warn_crit.yaml", "memory_warn_crit.test.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    params = tmp_path / "memory_warn_crit.yaml"
    params.write_text(params.read_text().replace("value: 95,", "value: 97,"))
    code = main(["test", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    failure = out[out.index("FAIL") :]
    assert "memory_warn_crit.test.yaml:6: warns, goes critical" in failure
    # 96 is no longer above the critical threshold: no CRITICAL at 2m, so no WARNING
    # at 4m either (the level never left WARNING)
    table = [line.strip() for line in failure.splitlines()[1:6]]
    assert table == [
        "expected                          actual",
        "1m WARNING memory-used-host=db1   1m WARNING memory-used-host=db1",
        "x 2m CRITICAL                       -",
        "x 4m WARNING                        -",
        "5m OK                             5m OK memory-used-host=db1",
    ]
    assert out.splitlines()[-1].startswith("3 passed, 1 failed")


def test_json_output_has_every_event(
    kapacitord_binary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["test", "--output", "json", str(EXAMPLES / "temperature_range.test.yaml")])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["passed"] == 2 and report["server"]["version"]
    first = next(t for t in report["tests"] if t["name"].startswith("below"))
    assert [(r["actual"]["at"], r["actual"]["level"]) for r in first["rows"]] == [
        ("30s", "CRITICAL"),
        ("1m30s", "OK"),
        ("2m", "CRITICAL"),
        ("2m30s", "OK"),
    ]
    assert first["rows"][0]["actual"]["message"] == "Room r1 is at 14 °C"
    assert "|alert()" in first["script"] and ".post(" in first["script"]


def test_show_script_and_invalid_file(
    kapacitord_binary: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["test", "--show-script", str(EXAMPLES / "queue_growth.test.yaml")]) == 0
    assert "|shift(shift)" in capsys.readouterr().out
    bad = tmp_path / "bad.test.yaml"
    bad.write_text("tests:\n  - name: x\n    alert: nope\n    series: [{values: 1 2}]\n")
    assert main(["test", str(bad)]) == 1
    assert f"{bad}:2: tests[0]: missing required key 'expect'" in capsys.readouterr().err


def test_no_kapacitord_says_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("TICKGEN_CACHE", str(tmp_path))
    monkeypatch.delenv("KAPACITORD", raising=False)
    assert main(["test", str(EXAMPLES / "temperature_range.test.yaml")]) == 1
    err = capsys.readouterr().err
    assert "kapacitord not found" in err and "scripts/kapacitor-build" in err and "--url" in err
    assert "Traceback" not in err


def test_url_mode_leaves_nothing_behind_after_ctrl_c(
    kapacitor_factory: object, tmp_path: Path
) -> None:
    server = kapacitor_factory()  # type: ignore[operator]
    # the deadman test runs for seconds on the wall clock: time to interrupt it
    argv = [sys.executable, "-m", "tickgen", "test", "--url", server.url, str(EXAMPLES)]
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ)
    )
    with KapacitorClient(server.url) as client:
        try:
            servers.wait_for(
                lambda: any(t.id.startswith("tickgen-test-") for t in client.list_tasks()),
                what="tickgen test to create its tasks",
            )
            # past the short tests: only the deadman test's task remains, mid-run
            servers.wait_for(
                lambda: len(client.list_tasks()) == 1, timeout=30, what="the deadman test alone"
            )
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err.decode()
        assert b"interrupted" in err
        assert client.list_tasks() == []
        assert [t.id for t in client.list_topics() if "tickgen-test-" in t.id] == []


def test_url_mode_runs_on_a_server_and_cleans_up(
    kapacitor_factory: object, capsys: pytest.CaptureFixture[str]
) -> None:
    server = kapacitor_factory()  # type: ignore[operator]
    with KapacitorClient(server.url) as client:
        client.create_task(
            "theirs",
            "stream|from().measurement('m')|httpOut('x')",
            type="stream",
            dbrps=[tickgen.DBRP(db="telegraf", rp="autogen")],
        )
        # cases/ holds a .tick test, collected through a topic handler
        assert main(["test", "--url", server.url, "--output", "json", str(CASES)]) == 0
        report = json.loads(capsys.readouterr().out)
        assert (report["passed"], report["server"]["url"]) == (10, server.url)
        assert [t.id for t in client.list_tasks()] == ["theirs"]
        # a topic handler outlives its task (and its topic's listing): ask for it by name
        [tick_test] = [t for t in report["tests"] if t["alert"].endswith("raw.tick")]
        assert tick_test["task_id"].startswith("tickgen-test-")
        assert client.list_topic_handlers(f"main:{tick_test['task_id']}:alert2") == []


class _Clock:
    """The command deadline's clock, moved on by one second per request (no sleeping)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def deadline(self, seconds: float, **options: str) -> Deadline:
        return Deadline(seconds, clock=self, **options)


class _SlowTransport(httpx.HTTPTransport):
    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self.clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.clock.now += 1.0
        return super().handle_request(request)


def test_url_mode_stops_at_the_command_deadline_and_leaves_nothing_behind(
    kapacitor: servers.Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # each request takes a second of the deadline's clock: the ping, the first test's
    # create, write and first look fit in 4 s, nothing after that does
    clock = _Clock()
    transport = _SlowTransport(clock)
    original = KapacitorClient.__init__

    def patched(self: KapacitorClient, *a: Any, **kw: Any) -> None:
        original(self, *a, **{**kw, "transport": transport})

    monkeypatch.setattr(KapacitorClient, "__init__", patched)
    monkeypatch.setattr(tickgen.client, "Deadline", clock.deadline)
    paths = [str(EXAMPLES / f"memory_warn_crit{suffix}") for suffix in (".yaml", ".test.yaml")]
    code = main(["test", "--url", kapacitor.url, "--workers", "1", "--deadline", "4", *paths])
    out, err = capsys.readouterr()
    monkeypatch.undo()
    assert code == 1, out + err
    assert "Traceback" not in err
    reached = "the command deadline of 4 seconds was reached"
    assert f"{reached}: 4 test(s) did not finish" in err, err
    assert "--deadline SECONDS or $TICKGEN_COMMAND_DEADLINE gives it more time" in err
    assert out.count(reached) == 4, out
    with KapacitorClient(kapacitor.url) as client:
        left = [t.id for t in client.list_tasks() if t.id.startswith("tickgen-test-")]
        assert left == []
        assert [t.id for t in client.list_topics() if "tickgen-test-" in t.id] == []


def test_without_arguments_the_project_files_paths_and_defaults_are_tested(
    kapacitord_binary: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test runs the alert as it would be deployed: with tickgen.toml's defaults."""
    (tmp_path / "alerts").mkdir()
    shutil.copy(EXAMPLES / "memory_warn_crit.test.yaml", tmp_path / "alerts")
    params = (EXAMPLES / "memory_warn_crit.yaml").read_text(encoding="utf-8")
    crit = 'crit: {op: ">", value: 95, reset: {op: "<", value: 90}}\n'
    assert crit in params and "database: telegraf\n" in params
    own = params.replace(crit, "").replace("database: telegraf\n", "")
    (tmp_path / "alerts" / "memory_warn_crit.yaml").write_text(own, encoding="utf-8")
    config = tmp_path / "tickgen.toml"
    project = (
        'paths = ["alerts"]\n[defaults]\ndatabase = "telegraf"\n'
        'crit = { op = ">", value = 95, reset = { op = "<", value = 90 } }\n'
    )
    config.write_text(project, encoding="utf-8")
    monkeypatch.delenv("TICKGEN_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    code = main(["test"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "4 passed, 0 failed" in out.splitlines()[-1]
    # the default is what runs: moved, the test fails as it does when the file says 97
    config.write_text(project.replace("value = 95", "value = 97"), encoding="utf-8")
    assert main(["test"]) == 1
    assert "memory_warn_crit.test.yaml:6: warns, goes critical" in capsys.readouterr().out
