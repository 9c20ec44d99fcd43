"""Helpers for the deploy tests: parameter files by the hundred, and a project config."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tickgen.cli import main


def alert_params(task_id: str, *, crit: float = 90, measurement: str = "cpu") -> dict[str, object]:
    return {
        "template": "threshold",
        "id": task_id,
        "database": "telegraf",
        "measurement": measurement,
        "field": "usage_user",
        "group_by": ["host"],
        "message": "{{.ID}} is {{.Level}}",
        "crit": {"op": ">", "value": crit},
        "topic": "tickgen-tests",
    }


def write_alerts(directory: Path, ids: list[str], *, crit: float = 90) -> dict[str, Path]:
    """One YAML parameter file per id; returns id -> file."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for task_id in ids:
        path = directory / f"{task_id}.yaml"
        path.write_text(yaml.safe_dump(alert_params(task_id, crit=crit)))
        files[task_id] = path
    return files


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """``project(url, prefix)`` writes tickgen.toml with target ``test`` and returns its path."""

    def make(url: str, id_prefix: str = "", name: str = "test") -> Path:
        config = tmp_path / "tickgen.toml"
        body = f'[targets.{name}]\nurl = "{url}"\n'
        if id_prefix:
            body += f'id_prefix = "{id_prefix}"\n'
        with config.open("a") as out:
            out.write(body)
        return config

    return make


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def plan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, err = run_cli(capsys, "plan", *argv, "--output", "json")
    assert code in (0, 2), err
    return code, json.loads(out)
