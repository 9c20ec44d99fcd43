"""What `render --out` writes can be read back: validate, lint, plan and apply know
rendered tasks (<id>.tick, <id>.task.json) from parameter files; `templates` prints
plain text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import servers
from tickgen.cli import main
from tickgen.schema import plain_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEMPLATES = ["--templates", str(EXAMPLES / "templates")]

ALERT = """template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
topic: ops
"""


@pytest.fixture(autouse=True)
def no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no tickgen.toml of the repository is found
    for name in ("KAPACITOR_URL", "TICKGEN_CONFIG", "TICKGEN_KAPACITOR_VERSION"):
        monkeypatch.delenv(name, raising=False)


def _rendered(tmp_path: Path, *options: str) -> Path:
    out = tmp_path / "build"
    assert main(["render", *TEMPLATES, *options, "--out", str(out), str(EXAMPLES)]) == 0
    return out


@pytest.mark.parametrize("options", [[], ["--payload"]])
def test_validate_and_lint_a_rendered_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    out = _rendered(tmp_path, *options)
    names = sorted(p.name for p in out.iterdir())
    assert names and all(n.endswith((".tick", ".task.json")) for n in names)
    assert len([n for n in names if n.endswith(".tick")]) * 2 == len(names)
    capsys.readouterr()

    assert main(["validate", *TEMPLATES, str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "0 alert(s) valid\n"
    assert captured.err == (
        f"{out}: note: only rendered tasks here (*.tick, *.task.json), no parameter files: "
        "nothing to validate (tickgen lint checks their scripts)\n"
    )

    assert main(["lint", *TEMPLATES, str(out)]) == 0
    err = capsys.readouterr()
    assert "error" not in err.out + err.err
    assert ".task.json" not in err.out  # each script is checked once, in its .tick file


def test_lint_finds_a_hand_edited_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _rendered(tmp_path)
    script = out / "cpu_high.tick"
    text = script.read_text()
    line = text[: text.index(".measurement(")].count("\n") + 1
    script.write_text(text.replace(".measurement(", ".measurment(", 1))
    capsys.readouterr()
    assert main(["lint", str(out)]) == 1
    found = capsys.readouterr().out
    assert f"{script}:{line}:" in found
    assert 'error: no method or property "measurment" on from (did you mean "measurement"?)' in found


def test_lint_checks_a_payload_without_its_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _rendered(tmp_path)
    (out / "cpu_high.tick").unlink()
    payload = out / "cpu_high.task.json"
    body = json.loads(payload.read_text())
    body["script"] = body["script"].replace(".measurement(", ".measurment(", 1)
    payload.write_text(json.dumps(body))
    capsys.readouterr()
    assert main(["lint", str(out)]) == 1
    found = capsys.readouterr().out
    assert f"{payload}: task cpu_high: line " in found
    assert 'no method or property "measurment"' in found
    assert main(["lint", str(payload)]) == 1  # named on its own, too
    assert f"{payload}: task cpu_high: line " in capsys.readouterr().out


def test_rendered_files_beside_the_parameters_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "cpu.yaml").write_text(ALERT)
    assert main(["render", "--out", str(alerts), str(alerts)]) == 0
    assert sorted(p.name for p in alerts.iterdir()) == ["cpu.task.json", "cpu.tick", "cpu.yaml"]
    capsys.readouterr()
    assert main(["validate", str(alerts)]) == 0
    assert capsys.readouterr().out == "1 alert(s) valid\n"
    assert main(["lint", str(alerts)]) == 0
    assert main(["render", "--payload", str(alerts)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "cpu"


def test_a_payload_named_as_a_parameter_file_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "cpu.yaml").write_text(ALERT)
    assert main(["render", "--payload", str(alerts / "cpu.yaml")]) == 0
    # an older render --out wrote <id>.json; `render --payload > tasks.json` does too
    (alerts / "tasks.json").write_text(capsys.readouterr().out)
    assert main(["validate", str(alerts)]) == 1
    assert capsys.readouterr().err == (
        f"tickgen: error: {alerts}/tasks.json:1: this is a Kapacitor task payload (as "
        "'tickgen render --payload' or '--out' writes it), not a parameter file: give the "
        "parameter file it was rendered from; name payloads <id>.task.json so that "
        "directories skip them; tickgen lint checks its script\n"
    )
    assert main(["lint", str(alerts / "tasks.json")]) == 0  # lint reads it as a payload


def test_plan_and_apply_refuse_a_directory_of_rendered_tasks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _rendered(tmp_path)
    capsys.readouterr()
    for command in ("plan", "apply"):
        # before any request: the URL is never tried
        assert main([command, str(out), "--url", "http://127.0.0.1:9"]) == 1
        err = capsys.readouterr().err
        assert err == (
            f"tickgen: error: {out}: no parameter files here, only rendered tasks (*.tick, "
            "*.task.json, as 'tickgen render --out' writes them); give the directory of the "
            ".yaml, .yml, .json or .toml files they were rendered from (tickgen lint checks "
            "the scripts)\n"
        )


def test_plan_reads_only_the_parameters_of_a_mixed_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kapacitor: servers.Server
) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "cpu.yaml").write_text(ALERT.replace("id: cpu", "id: roundtrip-cpu"))
    assert main(["render", "--out", str(alerts), str(alerts)]) == 0
    capsys.readouterr()
    assert main(["plan", str(alerts), "--url", kapacitor.url, "--output", "json"]) == 0
    plan: Any = json.loads(capsys.readouterr().out)
    assert [(a["action"], a["id"]) for a in plan["actions"]] == [("create", "roundtrip-cpu")]


def test_templates_prints_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", *TEMPLATES]) == 0
    out = capsys.readouterr().out
    assert "`" not in out
    assert "relative   Alert on the change of the value against the value 'shift' ago." in out


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("the value ``shift`` ago", "the value 'shift' ago"),
        ("see :func:`tickgen.render`", "see 'tickgen.render'"),
        ("a `markdown` literal", "a 'markdown' literal"),
        ("two\n   lines", "two lines"),
    ],
)
def test_plain_text(text: str, plain: str) -> None:
    assert plain_text(text) == plain


def test_a_user_templates_markdown_is_plain_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(EXAMPLES / "templates", mine)
    schema = json.loads((mine / "disk_free.schema.json").read_text())
    schema["description"] = "Alert when `path` is full."
    (mine / "disk_free.schema.json").write_text(json.dumps(schema))
    assert main(["templates", "--templates", str(mine)]) == 0
    assert "disk_free  Alert when 'path' is full.  [" in capsys.readouterr().out
