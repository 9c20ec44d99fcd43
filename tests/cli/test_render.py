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
    assert "dutianze-t.tick" in names and "dutianze-t.task.json" in names
    assert "var-disk-free.tick" in names
    assert not any(name.startswith(".tickgen-") for name in names)
    payload = json.loads((out / "dutianze-t.task.json").read_text())
    assert payload["script"] == (out / "dutianze-t.tick").read_text()
    assert "wrote" in capsys.readouterr().err


def test_color_always_highlights(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "always", str(EXAMPLES / "heartbeat_deadman.yaml")]) == 0
    assert "\x1b[" in capsys.readouterr().out


def test_target_version_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = tmp_path / "z.yaml"
    params.write_text(
        "template: threshold\nid: z\ndatabase: d\nmeasurement: m\nfield: f\n"
        "crit: {op: '>', value: 1}\nhandlers: [{kind: zenoss}]\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TICKGEN_KAPACITOR_VERSION", raising=False)
    # the default is the newest supported release, which has zenoss (1.6+)
    assert main(["render", "--color", "never", str(params)]) == 0
    assert ".zenoss()" in capsys.readouterr().out
    assert main(["render", "--kapacitor-version", "1.5", str(params)]) == 1
    assert "zenoss handler needs Kapacitor 1.6.0 or newer; the target is 1.5" in (
        capsys.readouterr().err
    )
    # then the project file's version, which the option overrides
    (tmp_path / "tickgen.toml").write_text('kapacitor_version = "1.5.9"\n')
    assert main(["render", str(params)]) == 1
    assert "the target is 1.5.9" in capsys.readouterr().err
    assert main(["render", "--kapacitor-version", "1.6", "--color", "never", str(params)]) == 0
    assert ".zenoss()" in capsys.readouterr().out
    monkeypatch.setenv("TICKGEN_KAPACITOR_VERSION", "1.7")
    assert main(["render", "--color", "never", str(params)]) == 0
    capsys.readouterr()


def test_bad_versions_are_clear_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = EXAMPLES / "heartbeat_deadman.yaml"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TICKGEN_KAPACITOR_VERSION", raising=False)
    assert main(["validate", "--kapacitor-version", "2.x", str(params)]) == 1
    assert capsys.readouterr().err == (
        "tickgen: error: --kapacitor-version: not a Kapacitor version: '2.x' "
        "(expected e.g. 1.5 or 1.6.3)\n"
    )
    (tmp_path / "tickgen.toml").write_text("kapacitor_version = 1.8\n")
    assert main(["validate", str(params)]) == 1
    assert capsys.readouterr().err == (
        'tickgen: error: tickgen.toml:1: kapacitor_version: 1.8 is not a string (write it '
        'in quotes: "1.8")\n'
    )
