"""``tickgen plan`` and ``apply`` with no arguments in a project directory, on a real Kapacitor.

The project file says everything: the paths of the alerts, the target to use
(``default_target``), its id prefix and version, the owner, and defaults that
every alert gets.  A change of a default is a change of every task it reaches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import servers
from tests.deploy.conftest import run_cli
from tickgen.client import KapacitorClient
from tickgen.deploy import read_marker

ALERTS = """\
alerts:
  - template: threshold
    id: cpu
    measurement: cpu
    field: usage_user
    crit: {value: 90}
  - template: threshold
    id: mem
    measurement: mem
    field: used_percent
    crit: {op: ">=", value: 95}
    topic: memory
"""


def write_project(path: Path, url: str, *, topic: str = "ops") -> None:
    (path / "tickgen.toml").write_text(
        f"""\
paths = ["alerts/"]
default_target = "lab"
owner = "project-test"

[defaults]
database = "telegraf"
retention_policy = "autogen"
topic = "{topic}"
crit = {{ op = ">" }}

[targets.lab]
url = "{url}"
id_prefix = "proj-"

[targets.unreachable]
url = "http://127.0.0.1:9"
""",
        encoding="utf-8",
    )


def test_plan_and_apply_with_no_arguments_use_the_project_file(
    kapacitor: servers.Server,
    client: KapacitorClient,
    task_ids: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("KAPACITOR_URL", raising=False)
    monkeypatch.delenv("TICKGEN_CONFIG", raising=False)
    monkeypatch.delenv("TICKGEN_KAPACITOR_VERSION", raising=False)
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "cpu.yaml").write_text(ALERTS, encoding="utf-8")
    write_project(tmp_path, kapacitor.url)
    monkeypatch.chdir(tmp_path)
    task_ids.extend(["proj-cpu", "proj-mem"])

    code, out, err = run_cli(capsys, "plan", "--output", "json", "--detailed-exitcode")
    assert code == 2, err
    plan = json.loads(out)  # one target: one plan
    assert (plan["target"], plan["url"], plan["owner"]) == ("lab", kapacitor.url, "project-test")
    assert {a["id"]: a["action"] for a in plan["actions"]} == {
        "proj-cpu": "create",
        "proj-mem": "create",
    }

    code, out, err = run_cli(capsys, "apply")
    assert code == 0, err
    cpu = client.get_task("proj-cpu")
    mem = client.get_task("proj-mem")
    for task in (cpu, mem):
        assert task.status == "enabled" and task.executing
        assert [(d.db, d.rp) for d in task.dbrps] == [("telegraf", "autogen")]  # the defaults
        marker = read_marker(task.script)
        assert marker is not None and marker.owner == "project-test"
    assert "var crit = 90" in cpu.script and '"value" > crit' in cpu.script  # op: the default
    assert ".topic('ops')" in cpu.script
    assert ".topic('memory')" in mem.script and '"value" >= crit' in mem.script  # its own win

    assert run_cli(capsys, "plan", "--detailed-exitcode")[0] == 0  # converged

    # a default changed in the project file changes every task it reaches, and only those
    write_project(tmp_path, kapacitor.url, topic="ops-night")
    code, out, err = run_cli(capsys, "plan", "--output", "json", "--detailed-exitcode")
    assert code == 2, err
    plan = json.loads(out)
    actions = {a["id"]: a["action"] for a in plan["actions"]}
    assert (actions["proj-cpu"], actions["proj-mem"]) == ("update", "unchanged")
    assert run_cli(capsys, "apply")[0] == 0
    assert ".topic('ops-night')" in client.get_task("proj-cpu").script

    # --target still chooses another
    code, _, err = run_cli(capsys, "plan", "--target", "unreachable")
    assert code == 1 and "target unreachable (http://127.0.0.1:9)" in err
