"""Every example renders, checks without errors, and the Python example runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tickgen
from tickgen import tick

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".test.yaml"))


@pytest.mark.parametrize("name", FILES)
def test_example_renders_and_checks(name: str) -> None:
    tasks = tickgen.render_paths(EXAMPLES / name, template_dirs=[EXAMPLES / "templates"])
    assert tasks
    for task in tasks:
        assert [d for d in tick.check(task.script) if d.severity == "error"] == []
        assert tick.format(task.script) == task.script


def test_the_examples_the_readme_promises_exist() -> None:
    for name in (
        "account_login_relative.yaml",
        "cpu_mean_threshold.yaml",
        "temperature_range.yaml",
        "memory_warn_crit.yaml",
        "heartbeat_deadman.yaml",
        "services.yaml",
        "build_in_python.py",
    ):
        assert (EXAMPLES / name).exists(), name


def test_python_example_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "build_in_python.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.count("|alert()") == 3
    assert "var whereFilter = lambda: (\"service\" == 'checkout')" in result.stdout


def test_the_examples_directory_is_a_project(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """examples/tickgen.toml: validate without arguments reads every example, with its
    templates; its defaults change none of the scripts the examples render alone."""
    from tickgen.cli import main

    monkeypatch.delenv("TICKGEN_CONFIG", raising=False)
    monkeypatch.delenv("TICKGEN_KAPACITOR_VERSION", raising=False)
    monkeypatch.chdir(EXAMPLES)
    assert main(["validate", "--quiet"]) == 0
    assert main(["render"]) == 0
    in_project = capsys.readouterr().out
    alone = [
        task.script
        for name in FILES
        for task in tickgen.render_paths(EXAMPLES / name, template_dirs=[EXAMPLES / "templates"])
    ]
    assert [s.partition("\n")[2] for s in in_project.split("// task: ")[1:]] == [
        s + ("\n" if i < len(alone) - 1 else "") for i, s in enumerate(alone)
    ]
