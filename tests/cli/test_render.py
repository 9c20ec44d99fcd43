"""tickgen render: scripts, payloads and files, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tickgen.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_several_scripts_each_get_a_header(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "never", str(EXAMPLES / "services.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("// task: web-api-latency (")
    assert out.count("// task: ") == 3
    assert "\n\n// task: web-shop-latency (" in out


def test_one_script_has_no_header(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "never", str(EXAMPLES / "heartbeat_deadman.yaml")]) == 0
    assert capsys.readouterr().out.startswith("var db = 'telegraf'\n")


def test_several_payloads_are_a_json_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--payload", str(EXAMPLES / "services.yaml")]) == 0
    payloads = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in payloads] == [
        "web-api-latency",
        "web-shop-latency",
        "web-admin-latency",
    ]


def test_directory_input_and_out_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    args = ["render", "--templates", str(EXAMPLES / "templates"), "--out", str(out), str(EXAMPLES)]
    assert main(args) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "dutianze-t.tick" in names and "dutianze-t.json" in names
    assert "var-disk-free.tick" in names
    assert not any(name.startswith(".tickgen-") for name in names)
    payload = json.loads((out / "dutianze-t.json").read_text())
    assert payload["script"] == (out / "dutianze-t.tick").read_text()
    assert "wrote" in capsys.readouterr().err


def test_color_always_highlights(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "always", str(EXAMPLES / "heartbeat_deadman.yaml")]) == 0
    assert "\x1b[" in capsys.readouterr().out


def test_target_version_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    params = tmp_path / "z.yaml"
    params.write_text(
        "template: threshold\nid: z\ndatabase: d\nmeasurement: m\nfield: f\n"
        "crit: {op: '>', value: 1}\nhandlers: [{kind: zenoss}]\n"
    )
    assert main(["render", str(params)]) == 1
    assert "needs Kapacitor 1.6" in capsys.readouterr().err
    assert main(["render", "--kapacitor-version", "1.6", "--color", "never", str(params)]) == 0
    assert ".zenoss()" in capsys.readouterr().out
