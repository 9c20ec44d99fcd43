"""Plan colour: on a terminal (a real pseudo-terminal, a real Kapacitor), never in a pipe or JSON."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from tests import servers
from tests.terminal import run_on_a_terminal
from tickgen.cli import main
from tickgen.cli.colour import GREEN, RED, RESET, colour_plan, wants_colour
from tickgen.dbrp import DBRP
from tickgen.deploy import LiveTask, compute_plan, desired_task
from tickgen.deploy.report import plan_text

ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # no-color.org: only a non-empty value counts
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, False, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_who_decides(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    stream = Terminal() if tty else io.StringIO()
    assert wants_colour(stream, choice, env) is expected


def test_plan_colours_like_terraform_and_git() -> None:
    script = "var x = 1\n\nstream\n    |from()\n        .measurement('cpu')\n"
    dbrps = [DBRP("telegraf", "autogen")]
    desired = [
        desired_task("changed", script.replace("1", "2"), dbrps, template="threshold"),
        desired_task("new", script, dbrps, template="threshold"),
    ]
    was = desired_task("changed", script, dbrps, template="threshold")
    live = [LiveTask(was.id, was.script, was.dbrps, was.status, was.type)]  # deployed by tickgen
    text = plan_text(compute_plan(desired, live, target="prod"))
    coloured = colour_plan(text)
    assert coloured.replace(ESC + "0m", "").count(ESC) == coloured.count(RESET)
    lines = coloured.splitlines()
    assert lines[0] == f"\x1b[1mTarget prod{RESET}"
    assert f"{GREEN}  + create    new      <python>{RESET}" in lines
    assert f"      {RED}-var x = 1{RESET}" in lines
    assert f"      {GREEN}+var x = 2{RESET}" in lines
    assert lines[-1].startswith("\x1b[1mPlan: 1 to create, 1 to update")
    # the colours only add: strip them and the plain text is back
    for code in ("\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", RESET):
        coloured = coloured.replace(code, "")
    assert coloured == text


def on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run tickgen with stdout and stderr on a pseudo-terminal; what it wrote."""
    return run_on_a_terminal([sys.executable, "-m", "tickgen", *args], env=env, cwd=cwd)[1]


def piped(args: list[str], env: dict[str, str], cwd: Path) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tickgen", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120,
    ).stdout  # fmt: skip


@pytest.mark.servers
def test_plan_diff_is_coloured_on_a_terminal_only(
    kapacitor: servers.Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task_id = f"colour-{uuid.uuid4().hex[:8]}"
    alert = {
        "template": "threshold", "id": task_id, "database": "telegraf", "measurement": "cpu",
        "field": "usage_user", "message": "{{.ID}} is {{.Level}}",
        "crit": {"op": ">", "value": 90}, "topic": "tickgen-tests",
    }  # fmt: skip
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "cpu.yaml").write_text(yaml.safe_dump(alert), encoding="utf-8")
    assert main(["apply", str(alerts), "--url", kapacitor.url]) == 0
    capsys.readouterr()
    alert["crit"] = {"op": ">", "value": 95}
    (alerts / "cpu.yaml").write_text(yaml.safe_dump(alert), encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    plan = ["plan", "alerts", "--url", kapacitor.url]

    terminal = on_a_terminal(plan, env, tmp_path)
    assert f"{GREEN}+" in terminal and f"{RED}-" in terminal, terminal
    assert f"{task_id}" in terminal

    plain = piped(plan, env, tmp_path)
    assert "~ update" in plain and ESC not in plain
    assert ESC not in on_a_terminal([*plan, "--output", "json"], env, tmp_path)
    assert ESC not in on_a_terminal(plan, {**env, "NO_COLOR": "1"}, tmp_path)
    assert ESC not in on_a_terminal([*plan, "--color", "never"], env, tmp_path)
    assert f"{GREEN}+" in piped(plan, {**env, "FORCE_COLOR": "1"}, tmp_path)
    assert f"{GREEN}+" in piped([*plan, "--color", "always"], env, tmp_path)
    assert ESC not in piped([*plan, "--color", "never"], {**env, "FORCE_COLOR": "1"}, tmp_path)
