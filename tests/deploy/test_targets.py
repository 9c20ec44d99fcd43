"""Targets from tickgen.toml, and how the CLI picks them; no server needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.conftest import run_cli, write_alerts
from tickgen.dbrp import DBRP
from tickgen.deploy import DeployError, Target, load_targets, resolve_targets, url_target
from tickgen.deploy.desired import desired_for
from tickgen.render import RenderedTask

EXAMPLE = Path(__file__).parents[2] / "examples" / "tickgen.toml"


def test_example_config_loads() -> None:
    targets = load_targets(EXAMPLE)
    assert set(targets) == {"staging", "prod"}
    prod = targets["prod"]
    assert prod.url == "https://kapacitor.prod.example.com:9092"
    assert (prod.username_env, prod.password_env, prod.token_env) == ("KAP_USER", "KAP_PASS", None)
    assert prod.dbrps == (DBRP("telegraf", "autogen"),)
    assert targets["staging"].id_prefix == "staging-"
    assert {t.owner for t in targets.values()} == {"ops-alerts"}  # the top-level owner


def test_owner_comes_from_the_target_the_file_the_prefix_else_the_default(
    tmp_path: Path,
) -> None:
    config = tmp_path / "tickgen.toml"
    targets = '[targets.own]\nurl = "http://k"\nid_prefix = "p-"\nowner = "mine"\n'
    targets += '[targets.prefixed]\nurl = "http://k"\nid_prefix = "p-"\n'
    targets += '[targets.bare]\nurl = "http://k"\n'
    config.write_text(targets)
    owners = {name: t.owner for name, t in load_targets(config).items()}
    assert owners == {"own": "mine", "prefixed": "p-", "bare": "default"}
    config.write_text('owner = "team"\n' + targets)
    owners = {name: t.owner for name, t in load_targets(config).items()}
    assert owners == {"own": "mine", "prefixed": "team", "bare": "team"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[targets.x]\nid_prefix = "a"\n', ":1: targets.x: missing required key 'url'; write url = \"http://HOST:9092\""),
        (
            '[targets.x]\nurl = "http://k"\npassword = "hunter2"\n',
            ":3: targets.x.password: unknown key 'password' (did you mean 'password_env'?)",
        ),
        (
            '[targets.x]\nurl = "http://k"\nid_prefix = "a b"\n',
            ":3: targets.x.id_prefix: 'a b' cannot start a task id: write letters, digits",
        ),
        (
            '[targets.x]\nurl = "http://k"\ndbrps = [{ db = "a" }]\n',
            ":3: targets.x.dbrps[0]: missing required key 'rp'; write { db = \"telegraf\", rp = "
            '"autogen" }',
        ),
        (
            '[targets.x]\nurl = "http://k"\ntoken_env = ""\n',
            ":3: targets.x.token_env: '' is not the name of an environment variable",
        ),
        ("[targets\n", "tickgen.toml:1: invalid TOML: Expected ']'"),
        (
            '[targets.x]\nurl = "http://k"\nowner = "a b"\n',
            ":3: targets.x.owner: 'a b' is not an owner: write 1 to 255 letters",
        ),
        ('owner = 3\n[targets.x]\nurl = "http://k"\n', ':1: owner: 3 is not a string (write it in quotes: "3")'),
        (
            '[targets.x]\nurl = "http://k:99999"\n',
            ":2: targets.x.url: 'http://k:99999' is not a URL: Port out of range 0-65535",
        ),
    ],
)
def test_bad_configs_say_what_is_wrong(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "tickgen.toml"
    config.write_text(body)
    with pytest.raises(DeployError) as info:
        load_targets(config)
    assert f"{config}{message}" in str(info.value) if message.startswith(":") else message in str(
        info.value
    )


def test_resolve_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAPACITOR_URL", raising=False)
    assert resolve_targets([], None, None) == [Target("default", "http://localhost:9092")]
    assert resolve_targets([], "http://k:1", None)[0].url == "http://k:1"
    assert url_target(None, {"KAPACITOR_URL": "http://env:2"}).url == "http://env:2"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DeployError, match="needs a project file"):
        resolve_targets(["prod"], None, None)
    (tmp_path / "tickgen.toml").write_text(EXAMPLE.read_text())  # found in the current dir
    assert [t.name for t in resolve_targets(["prod", "staging", "prod"], None, None)] == [
        "prod",
        "staging",
    ]
    with pytest.raises(DeployError, match="no target named qa; known: prod, staging"):
        resolve_targets(["qa"], None, None)
    with pytest.raises(DeployError, match="either --url or --target"):
        resolve_targets(["prod"], "http://k", None)


def test_credentials_come_from_the_environment_and_are_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prod = load_targets(EXAMPLE)["prod"]
    monkeypatch.delenv("KAP_USER", raising=False)
    with pytest.raises(DeployError, match="environment variable KAP_USER is not set"):
        prod.client()
    monkeypatch.setenv("KAP_USER", "ops")
    monkeypatch.setenv("KAP_PASS", "hunter2")
    client = prod.client()
    assert client._core.settings.auth_scheme == "basic"
    assert "hunter2" not in repr(client)
    assert "hunter2" not in repr(prod)
    assert "hunter2" not in repr(client._core.settings)


def test_prefix_and_default_dbrps() -> None:
    task = RenderedTask("cpu", "threshold", "stream|from()\n", [], "enabled", source="a.yaml:1")
    prod = Target("prod", "http://k", dbrps=(DBRP("telegraf", "autogen"),), id_prefix="prod-")
    (desired,) = desired_for([task], prod)
    assert desired.id == "prod-cpu"
    assert desired.dbrps == (DBRP("telegraf", "autogen"),)
    assert desired.script == "// managed-by: tickgen template=threshold\nstream|from()\n"
    with pytest.raises(DeployError, match=r"a.yaml:1: task 'cpu' has no dbrps"):
        desired_for([task], Target("bare", "http://k"))


def test_unreachable_server_is_an_error_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_alerts(tmp_path / "alerts", ["a"])
    url = "http://user:hunter2@127.0.0.1:9"
    code, out, err = run_cli(capsys, "apply", str(tmp_path / "alerts"), "--url", url)
    assert code == 1
    assert out == ""
    # the first request asks the server's version (deploy.versions)
    assert err.startswith(
        "tickgen: error: target default (http://127.0.0.1:9): cannot read its version: "
        "GET /kapacitor/v1/ping: "
    )
    assert "hunter2" not in err
    # with a pinned version, the first request reads the tasks
    code, out, err = run_cli(
        capsys, "apply", str(tmp_path / "alerts"), "--url", url, "--kapacitor-version", "1.8"
    )
    assert code == 1
    assert err.startswith(
        "tickgen: error: target default (http://127.0.0.1:9): cannot read its tasks: "
        "GET /kapacitor/v1/tasks: "
    )


def test_parameter_problems_stop_the_run_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text("template: threshold\nid: x\n")
    code, _out, err = run_cli(capsys, "plan", str(tmp_path), "--url", "http://127.0.0.1:9")
    assert code == 1
    assert "bad.yaml" in err
    assert "database" in err
    assert "ConnectError" not in err


def test_python_tasks_kapacitor_would_refuse_stop_the_run() -> None:
    target = Target("t", "http://k", dbrps=(DBRP("telegraf", "autogen"),))
    for task, message in (
        (RenderedTask("a b", "x", "stream\n", [], "enabled"), "contains ' '"),
        (RenderedTask("a", "x", "stream\n", [], "on"), "status 'on' is neither"),
        (RenderedTask("a", "x", "stream\n", [], "enabled", type="query"), "type 'query'"),
    ):
        with pytest.raises(DeployError, match=message):
            desired_for([task], target)
