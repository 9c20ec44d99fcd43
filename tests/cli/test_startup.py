"""Offline commands load only what they use (issue 15: start-up).

Each command runs in a fresh interpreter, which then lists the modules it has
loaded.  This asserts which modules, never how long: the CPU figures are in
BENCHMARKS.md ("Start-up").
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tickgen.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "examples" / "account_login_relative.yaml")
SCRIPT = str(ROOT / "tests" / "golden" / "render" / "deadman_threshold.tick")

LOADED = """
import contextlib, io, json, sys
from tickgen.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""

# the deploy side: HTTP client, deploy and import code, asyncio
DEPLOY = (
    "httpx",
    "httpcore",
    "anyio",
    "h11",
    "asyncio",
    "ssl",
    "tickgen.client",
    "tickgen.deploy",
    "tickgen.importer",
    "tickgen.cli.plan",
    "tickgen.cli.apply",
    "tickgen.cli.import_",
)
# build-time generators and what only another command needs
UNUSED = ("tickgen._build", "pygments", "tickgen.cli.graph", "tickgen.cli.templates")
# the alert side: models, templates, parameter files, schemas
RENDERING = ("pydantic", "jinja2", "yaml", "jsonschema", "jsonschema_rs", "tickgen.models")
# what only rendering parameter files needs (PyYAML aside: tickgen.params reads YAML)
RENDERING_CODE = (
    *(m for m in RENDERING if m != "yaml"),
    "tickgen.render",
    "tickgen.pipeline",
)
# what checking a script needs beyond parsing it: fmt only parses and formats
CHECKING = ("tickgen.tick.checker", "tickgen.tick.nodes", "tickgen.gotemplate")
# jsonschema only words the errors of an invalid alert, when jsonschema-rs is there
WORDING = ("jsonschema",) if importlib.util.find_spec("jsonschema_rs") else ()
# the handler models: the seed alert sends to no handler, so it loads none of them
HANDLER_MODULES = (
    "tickgen.handlers._chat",
    "tickgen.handlers._incident",
    "tickgen.handlers._transport",
)


def _loaded(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    report = json.loads(done.stdout)
    return report["code"], report["out"], set(report["modules"])


def _bare_start_modules() -> set[str]:
    """What ``python -c pass`` loads here (site and the environment's .pth files)."""
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return set(json.loads(done.stdout))


def _found(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize(
    ("argv", "also_unused"),
    [
        (["render", SEED], WORDING + HANDLER_MODULES),
        (["validate", SEED], WORDING + HANDLER_MODULES),
        (["lint", SCRIPT], RENDERING_CODE),
        (["fmt", "--check", SCRIPT], RENDERING + CHECKING),
    ],
    ids=["render", "validate", "lint", "fmt"],
)
def test_offline_commands_do_not_import_the_deploy_side(
    argv: list[str], also_unused: tuple[str, ...]
) -> None:
    code, _, modules = _loaded(*argv)
    assert code == 0
    assert _found(modules, DEPLOY + UNUSED + also_unused) == []
    # and the one command module they run, of all the commands
    commands = {f"tickgen.cli.{name}" for name in COMMANDS.values()}
    assert modules & commands == {f"tickgen.cli.{COMMANDS[argv[0]]}"}


def test_version_loads_no_part_of_tickgen_that_does_work() -> None:
    code, out, modules = _loaded("--version")
    assert code == 0
    assert out.startswith("tickgen ")
    assert _found(modules, DEPLOY + UNUSED + RENDERING + ("tickgen.tick", "tickgen.render")) == []
    assert {m for m in modules if m.startswith("tickgen")} <= {
        "tickgen",
        "tickgen._version",
        "tickgen.cli",
    }
    # nor the standard library's heavier modules that a bare start does not load (in
    # this interpreter: a .pth file of the environment may load some at every start)
    heavier = {"typing", "dataclasses", "inspect"} - _bare_start_modules()
    assert heavier & modules == set()


def test_help_still_lists_every_command() -> None:
    code, _, _ = _loaded("--help")
    assert code == 0
    done = subprocess.run(
        [sys.executable, "-m", "tickgen", "--help"], capture_output=True, text=True, check=True
    )
    for name in COMMANDS:
        assert f"    {name}" in done.stdout


def test_the_package_names_load_when_used() -> None:
    """``import tickgen`` is cheap, and every public name still works."""
    code = (
        "import sys, tickgen\n"
        "assert 'pydantic' not in sys.modules and 'tickgen.render' not in sys.modules\n"
        "import tickgen.render as module\n"  # the submodule, imported first by anyone
        "assert callable(tickgen.render) and tickgen.render.__module__ == 'tickgen'\n"
        "alert = tickgen.Deadman(id='hb', database='telegraf', measurement='cpu', period='5m')\n"
        "print(tickgen.render(alert).count('deadman'))\n"
        "assert 'httpx' not in sys.modules\n"
        "for name in tickgen.__all__:\n"
        "    getattr(tickgen, name)\n"
        "assert 'httpx' in sys.modules\n"  # the client's names load the client
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 1


def test_compiled_templates_kept_between_runs_render_the_same(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "TICKGEN_CACHE_DIR": str(cache)}
    first = _loaded("render", SEED, env=env)
    kept = sorted(cache.glob("jinja-*/*.cache"))
    assert kept  # the built-in templates' bytecode
    second = _loaded("render", SEED, env=env)
    assert first[:2] == second[:2]
    assert first[0] == 0
    # no cache (turned off, or a path that cannot be a directory): the same script
    off = _loaded("render", SEED, env={**os.environ, "TICKGEN_CACHE_DIR": ""})
    (tmp_path / "file").write_text("not a directory")
    unusable = _loaded("render", SEED, env={**os.environ, "TICKGEN_CACHE_DIR": str(tmp_path / "file")})
    assert off[:2] == unusable[:2] == first[:2]
    # a directory others can write to is not used: its bytecode would run as code
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert _loaded("render", SEED, env={**os.environ, "TICKGEN_CACHE_DIR": str(shared)})[:2] == first[:2]
    assert list(shared.iterdir()) == []
    # a damaged cache file is compiled again, not trusted
    for path in kept:
        path.write_bytes(b"garbage")
    assert _loaded("render", SEED, env=env)[:2] == first[:2]


def test_a_project_file_loads_no_deploy_side_for_offline_commands() -> None:
    """Reading tickgen.toml (targets included) needs neither httpx nor the deploy code."""
    config = str(ROOT / "examples" / "tickgen.toml")
    for command in ("render", "validate"):
        code, _, modules = _loaded(command, "--config", config, SEED)
        assert code == 0
        assert _found(modules, DEPLOY + UNUSED) == []


def test_an_alert_loads_the_handler_modules_it_uses(tmp_path: Path) -> None:
    """One Slack handler: the chat handlers' module, not the other two."""
    alert = Path(SEED).read_text() + "handlers:\n  - kind: slack\n    channel: '#ops'\n"
    (tmp_path / "slack.yaml").write_text(alert)
    code, out, modules = _loaded("render", str(tmp_path / "slack.yaml"))
    assert code == 0
    assert ".slack()" in out
    assert _found(modules, HANDLER_MODULES) == ["tickgen.handlers._chat"]


def test_the_command_freezes_what_it_loaded_and_collects_during_the_run() -> None:
    """console_main loads the command with the collector off, freezes it, then runs
    with the collector on (the measured reason is at tickgen.cli._load_command)."""
    code = (
        "import gc, sys\n"
        "import tickgen.cli as cli\n"
        "real_main = cli.main\n"
        "def main():\n"
        "    print(gc.isenabled(), gc.get_freeze_count() > 10_000, 'tickgen.cli.render' in sys.modules,\n"
        "          file=sys.stderr)\n"
        "    return real_main()\n"
        "cli.main = main\n"
        f"sys.argv = ['tickgen', 'render', {SEED!r}]\n"
        "cli.console_main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == "True True True"
