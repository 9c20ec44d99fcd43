"""Two owners on one real Kapacitor: --prune of one never touches the other's tasks.

Both teams deploy under the same id prefix (so each sees the other's tasks in
its listing) and differ only in ``owner``; a task marked before owners existed
counts as the default owner's.  Deleting asks first: on a terminal a person
types yes, elsewhere ``--yes`` must be given.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import servers
from tests.deploy.conftest import plan_json, run_cli, write_alerts
from tickgen.client import DBRP, KapacitorClient
from tickgen.deploy import read_marker
from tickgen.deploy.ownership import Marker, mark

CLI = "import sys; from tickgen.cli import main; sys.exit(main(sys.argv[1:]))"
LEGACY_SCRIPT = "stream\n    |from()\n        .measurement('legacy')\n    |alert()\n"


def two_owners(path: Path, url: str, prefix: str) -> Path:
    config = path / "tickgen.toml"
    config.write_text(
        f'owner = "team-a"\n'
        f'[targets.a]\nurl = "{url}"\nid_prefix = "{prefix}"\n'
        f'[targets.b]\nurl = "{url}"\nid_prefix = "{prefix}"\nowner = "team-b"\n'
    )
    return config


@pytest.fixture
def shared(kapacitor: servers.Server, tmp_path: Path) -> Iterator[tuple[Path, KapacitorClient]]:
    """Team a deployed a1, a2; team b deployed b1, b2; a legacy-marked task sits beside them."""
    prefix = "own-"
    config = two_owners(tmp_path, kapacitor.url, prefix)
    write_alerts(tmp_path / "a", ["a1", "a2"])
    write_alerts(tmp_path / "b", ["b1", "b2"])
    with KapacitorClient(kapacitor.url) as client:
        client.create_task(
            "own-legacy", mark(LEGACY_SCRIPT, Marker()), dbrps=[DBRP(db="telegraf", rp="autogen")]
        )
        try:
            for team in ("a", "b"):
                code = subprocess.run(
                    [sys.executable, "-c", CLI, "apply", str(tmp_path / team),
                     "--config", str(config), "--target", team],
                    capture_output=True, text=True, timeout=120, check=False,
                ).returncode
                assert code == 0
            yield config, client
        finally:
            for task in client.list_tasks(pattern="own-*"):
                client.delete_task(task.id)


def live_ids(client: KapacitorClient) -> set[str]:
    return {t.id for t in client.list_tasks(pattern="own-*")}


def test_marks_name_the_owner(shared: tuple[Path, KapacitorClient]) -> None:
    _, client = shared
    owners = {
        t.id: getattr(read_marker(t.script), "owner", None)
        for t in client.list_tasks(pattern="own-*", script_format="raw")
    }
    assert owners == {
        "own-a1": "team-a", "own-a2": "team-a", "own-b1": "team-b", "own-b2": "team-b",
        "own-legacy": "default",
    }


def test_prune_of_one_owner_never_plans_deleting_the_others(
    shared: tuple[Path, KapacitorClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, client = shared
    only_a1 = tmp_path / "a" / "a1.yaml"
    args = [str(only_a1), "--config", str(config), "--target", "a"]

    code, plan = plan_json(capsys, *args, "--prune", "--detailed-exitcode")
    assert code == 2
    actions = plan["actions"]
    assert isinstance(actions, list)
    assert [(a["action"], a["id"]) for a in actions] == [
        ("unchanged", "own-a1"), ("delete", "own-a2")
    ]
    assert plan["other_owners"] == 3  # b1, b2 and the legacy (default owner) task
    assert plan["owner"] == "team-a"

    # without --prune: what prune would delete, and what it leaves alone
    code, out, _ = run_cli(capsys, "plan", *args)
    assert code == 0
    assert "1 managed task has no file; --prune would delete it: own-a2\n" in out
    assert "3 managed tasks of other owners left alone (this configuration's owner: team-a)" in out

    # team b with only a new alert, pruning: deletes its own two and nothing else
    write_alerts(tmp_path / "b-new", ["b3"])
    code, plan = plan_json(
        capsys, str(tmp_path / "b-new"), "--config", str(config), "--target", "b", "--prune"
    )
    actions = plan["actions"]
    assert isinstance(actions, list)
    assert sorted((a["action"], a["id"]) for a in actions) == [
        ("create", "own-b3"), ("delete", "own-b1"), ("delete", "own-b2")
    ]
    assert plan["other_owners"] == 3  # a1, a2 and the legacy task

    code, out, err = run_cli(capsys, "apply", *args, "--prune", "--yes")
    assert code == 0, out + err
    assert live_ids(client) == {"own-a1", "own-b1", "own-b2", "own-legacy"}


def test_a_desired_id_of_another_owner_is_a_conflict(
    shared: tuple[Path, KapacitorClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, client = shared
    write_alerts(tmp_path / "b", ["a1"])  # team b now also wants a1
    code, out, _ = run_cli(
        capsys, "plan", str(tmp_path / "b"), "--config", str(config), "--target", "b"
    )
    assert code == 0
    assert "! conflict  own-a1" in out and "for owner team-a" in out
    before = client.get_task("own-a1", script_format="raw").script
    code, out, _ = run_cli(
        capsys, "apply", str(tmp_path / "b"), "--config", str(config), "--target", "b"
    )
    assert code == 1
    assert client.get_task("own-a1", script_format="raw").script == before


def test_a_task_marked_before_owners_existed_is_taken_over_once(
    shared: tuple[Path, KapacitorClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, client = shared
    write_alerts(tmp_path / "a", ["legacy"])
    args = [str(tmp_path / "a"), "--config", str(config), "--target", "a"]
    code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
    assert code == 2
    assert "~ update" in out and "own-legacy" in out and "(owner default -> team-a)" in out
    assert run_cli(capsys, "apply", *args)[0] == 0
    marker = read_marker(client.get_task("own-legacy", script_format="raw").script)
    assert marker is not None and marker.owner == "team-a"
    code, out, _ = run_cli(capsys, "plan", *args, "--detailed-exitcode")
    assert code == 0, out


def test_prune_refuses_to_delete_without_yes_when_nobody_can_confirm(
    shared: tuple[Path, KapacitorClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, client = shared
    args = [str(tmp_path / "a" / "a1.yaml"), "--config", str(config), "--target", "a"]
    # pytest's stdin is not a terminal: a CI run
    code, _, err = run_cli(capsys, "apply", *args, "--prune")
    assert code == 1
    assert "--prune would delete 1 task and nobody is here to confirm it" in err
    assert "--yes" in err and "Traceback" not in err
    assert "own-a2" in live_ids(client)
    # --auto-approve is --yes
    code, _, err = run_cli(capsys, "apply", *args, "--prune", "--auto-approve")
    assert code == 0, err
    assert "own-a2" not in live_ids(client)


def apply_on_a_terminal(argv: list[str], answer: bytes) -> tuple[int, str]:
    """Run apply with stdin and stderr on a pseudo-terminal; answer its question."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, "apply", *argv],
        stdin=terminal, stdout=subprocess.PIPE, stderr=terminal,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(terminal)
    seen = b""
    answered = False
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        assert ready, seen  # nothing for two minutes: hung
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"Only 'yes' goes ahead: " in seen:
            os.write(controller, answer)
            answered = True
    os.close(controller)
    assert proc.stdout is not None
    with proc.stdout:
        proc.stdout.read()
    return proc.wait(timeout=60), seen.decode("utf-8", "replace")


@pytest.mark.parametrize("answer", [b"no\n", b"yes\n"])
def test_prune_asks_on_a_terminal(
    shared: tuple[Path, KapacitorClient], tmp_path: Path, answer: bytes
) -> None:
    config, client = shared
    argv = [str(tmp_path / "a" / "a1.yaml"), "--config", str(config), "--target", "a", "--prune"]
    code, seen = apply_on_a_terminal(argv, answer)
    assert "Delete 1 task as planned above? Only 'yes' goes ahead: " in seen
    if answer == b"yes\n":
        assert code == 0, seen
        assert live_ids(client) == {"own-a1", "own-b1", "own-b2", "own-legacy"}
    else:
        assert code == 1, seen
        assert "apply cancelled (answered 'no'): nothing was changed" in seen
        assert "own-a2" in live_ids(client)
