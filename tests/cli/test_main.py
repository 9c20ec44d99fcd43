"""The dispatcher: help with examples, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tickgen.cli import COMMANDS, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_explains_itself_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out.lower()
    assert f"tickgen {command}" in out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert "COMMAND" in capsys.readouterr().err


def test_usage_error_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["render", "--no-such-option", "x.yaml"])
    assert exited.value.code == 1
    assert "unrecognized arguments" in capsys.readouterr().err


def test_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tickgen.cli.render as render_command

    def interrupted(*args: object, **kwargs: object) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(render_command, "run", interrupted)
    assert main(["render", str(EXAMPLES / "heartbeat_deadman.yaml")]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_templates_lists_the_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["threshold", "relative", "deadman"]
    assert all("[built-in]" in line for line in lines)


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "deadman"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "period" in schema["required"]


def test_schema_of_unknown_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "nope"]) == 1
    assert (
        "unknown template 'nope'; known templates: threshold, relative, deadman"
        in capsys.readouterr().err
    )


def test_console_script_pipes_cleanly_into_a_closed_reader() -> None:
    # tickgen render ... | head -1 must not print a BrokenPipeError traceback
    render = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tickgen",
            "render",
            "--color",
            "never",
            str(EXAMPLES / "services.yaml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert render.stdout is not None
    render.stdout.readline()
    render.stdout.close()
    _, err = render.communicate(timeout=60)
    assert b"Traceback" not in err
