"""The hooks of .pre-commit-hooks.yaml, installed by the real pre-commit into a throw-away repo.

pre-commit clones the hook repository at a rev, builds a virtualenv and pip-installs
tickgen into it, exactly as for a user; the hook repository here is a git repo made
from the tracked files of this checkout (their working-tree content), so the hooks
under test are the ones in the tree.  pip runs offline from a wheelhouse that is
filled from PyPI once per session (the ``wheelhouse`` fixture of tests/conftest.py,
shared with tests/test_packaging.py).  Marked slow: the hook environment
takes ~20 s to build on the 2-core development machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging_util import REPO, copy_tracked_files, offline_env

pytestmark = pytest.mark.slow

GOOD = (REPO / "examples" / "cpu_mean_threshold.yaml").read_text(encoding="utf-8")
# the same alert with a duration that is not one
BAD = GOOD.replace("period: 5m", "period: 5")
UNFORMATTED = "stream|from().measurement('cpu')|alert().crit(lambda: \"usage\" > 90)\n"


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def committed(proc: subprocess.CompletedProcess[str]) -> bool:
    return proc.returncode == 0


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> dict[str, str]:
    work = tmp_path_factory.mktemp("pre-commit")
    tree = copy_tracked_files(REPO, work / "hooks-repo")
    environ = offline_env(wheelhouse)
    environ.update(
        PRE_COMMIT_HOME=str(work / "cache"),  # the hook venvs, not the user's ~/.cache
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
        HOME=str(work),
    )  # fmt: skip
    for step in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "hooks")):
        assert committed(git(*step, cwd=tree, env=environ))
    environ["TICKGEN_HOOKS_REPO"] = str(tree)
    return environ


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    """A git repo whose .pre-commit-config.yaml uses tickgen's three hooks, installed."""
    hooks = Path(env["TICKGEN_HOOKS_REPO"])
    rev = git("rev-parse", "HEAD", cwd=hooks, env=env).stdout.strip()
    repo = tmp_path / "project"
    repo.mkdir()
    assert committed(git("init", "-q", "-b", "main", cwd=repo, env=env))
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
        "      - id: tickgen-validate\n      - id: tickgen-fmt\n      - id: tickgen-lint\n",
        encoding="utf-8",
    )
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    assert committed(git("add", ".pre-commit-config.yaml", cwd=repo, env=env))
    assert committed(git("commit", "-q", "-m", "config", cwd=repo, env=env))
    return repo


def add(repo: Path, rel: str, text: str, env: dict[str, str]) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert committed(git("add", rel, cwd=repo, env=env))


def test_a_bad_parameter_file_blocks_the_commit_and_a_good_one_passes(
    project: Path, env: dict[str, str]
) -> None:
    add(project, "alerts/cpu.yaml", BAD, env)
    blocked = git("commit", "-m", "bad alert", cwd=project, env=env)
    assert not committed(blocked)
    output = blocked.stdout + blocked.stderr
    assert "tickgen validate" in output and "Failed" in output
    assert "alerts/cpu.yaml:13: aggregate.period" in output  # file:line and parameter
    assert git("log", "--oneline", cwd=project, env=env).stdout.count("\n") == 1

    add(project, "alerts/cpu.yaml", GOOD, env)
    passed = git("commit", "-m", "good alert", cwd=project, env=env)
    assert committed(passed), passed.stdout + passed.stderr
    hooks_said = passed.stdout + passed.stderr  # git passes the hook's output to stderr
    assert "tickgen validate" in hooks_said and "Passed" in hooks_said


def test_a_bad_project_file_blocks_the_commit_and_its_defaults_reach_the_alerts(
    project: Path, env: dict[str, str]
) -> None:
    add(project, "tickgen.toml", '[defaults]\ndatabse = "telegraf"\n', env)
    blocked = git("commit", "-m", "project file", cwd=project, env=env)
    assert not committed(blocked)
    output = blocked.stdout + blocked.stderr
    assert "tickgen.toml:2: defaults.databse: unknown parameter 'databse'" in output
    assert "(did you mean 'database'?)" in output
    # fixed, it passes; and an alert without a database takes the project's
    add(project, "tickgen.toml", '[defaults]\ndatabase = "telegraf"\n', env)
    without_database = GOOD.replace("database: telegraf\n", "")
    assert "database" not in without_database
    add(project, "alerts/cpu.yaml", without_database, env)
    passed = git("commit", "-m", "project file", cwd=project, env=env)
    assert committed(passed), passed.stdout + passed.stderr


def test_fmt_rewrites_a_tick_file_and_the_commit_goes_through_once_it_is_added(
    project: Path, env: dict[str, str]
) -> None:
    add(project, "tasks/cpu.tick", UNFORMATTED, env)
    first = git("commit", "-m", "script", cwd=project, env=env)
    assert not committed(first)
    assert "files were modified by this hook" in first.stdout + first.stderr
    rewritten = (project / "tasks" / "cpu.tick").read_text(encoding="utf-8")
    assert rewritten != UNFORMATTED and rewritten.startswith("stream\n")
    assert committed(git("add", "tasks/cpu.tick", cwd=project, env=env))
    second = git("commit", "-m", "script", cwd=project, env=env)
    assert committed(second), second.stdout + second.stderr


def test_hook_definitions_name_existing_commands() -> None:
    import yaml

    from tickgen.cli import COMMANDS

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["tickgen-validate", "tickgen-fmt", "tickgen-lint"]
    for hook in hooks:
        program, command, *_ = hook["entry"].split()
        assert program == "tickgen" and command in COMMANDS


def test_test_files_are_not_given_to_validate_or_lint() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        for name, given in [("alerts/cpu.yaml", True), ("alerts/cpu.test.yaml", False)]:
            matched = bool(re.search(hook["files"], name)) and not (
                "exclude" in hook and re.search(hook["exclude"], name)
            )
            assert matched is (given and hook["id"] != "tickgen-fmt"), (hook["id"], name)
