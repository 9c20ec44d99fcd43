"""Helpers for the deploy tests: parameter files by the hundred, and a project config."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tickgen.cli import main

# One alert of each built-in template, with most of what each can say.
BUILTIN_ALERTS = [
    {
        "template": "threshold", "id": "threshold-full", "database": "telegraf",
        "retention_policy": "two_weeks", "measurement": "cpu", "field": "usage_user",
        "group_by": ["host", "cpu"], "where": {"cpu": ["cpu-total"]},
        "where_not": {"env": ["dev", "test"]}, "field_present_filter": True,
        "aggregate": {"function": "percentile", "period": "5m", "every": "1m", "percentile": 95},
        "crit": {"op": ">", "value": 90, "reset": {"op": "<", "value": 80}},
        "warn": {"op": "inside", "lower": 70, "upper": 90.5},
        "info": {"op": ">=", "value": 50.25},
        "message": "{{.ID}} is {{.Level}}", "details": "{{ json . }}",
        "state_changes_only": "10m", "no_recoveries": True, "topic": "ops", "category": "cpu",
        "history": 30, "flapping": {"low": 0.25, "high": 0.5}, "level_field": "lvl",
        "influxdb_out": {"database": "alerts", "retention_policy": "autogen", "measurement": "cpu"},
        "http_out": "last",
        "handlers": [
            {"kind": "log", "path": "/tmp/tickgen-import-test.log"},
            {"kind": "slack", "channel": "#ops", "icon_emoji": ":fire:"},
            {"kind": "email", "to": ["a@example.com", "b@example.com"]},
            {"kind": "post", "url": "http://127.0.0.1:1/hook", "headers": {"X-Team": "ops"}},
            {"kind": "pagerDuty2", "routing_key": "rk"},
        ],
    },
    {
        "template": "threshold", "id": "threshold-string", "database": "telegraf",
        "measurement": "status", "field": "state", "crit": {"op": "==", "value": "down's"},
        "influxdb_out": None, "http_out": None, "alert_id": "status:{{.Group}}",
        "state_changes_only": False, "topic": "ops",
    },
    {
        "template": "relative", "id": "relative-abs", "name": "requests drop",
        "database": "web", "measurement": "requests", "field": "count", "shift": "1h",
        "change": "absolute", "crit": {"op": "<", "value": -100}, "topic": "ops",
    },
    {
        "template": "relative", "id": "relative-up", "database": "web", "measurement": "latency",
        "field": "p99", "shift": "1d", "direction": "increase", "crit": {"op": ">", "value": 50},
        "topic": "ops", "status": "disabled",
    },
    {
        "template": "deadman", "id": "deadman", "database": "telegraf", "measurement": "cpu",
        "period": "10m", "threshold": 5, "group_by": ["host"], "topic": "ops",
        "dbrps": [{"db": "telegraf", "rp": "autogen"}, {"db": "telegraf", "rp": "two_weeks"}],
    },
]


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
