"""docs/configuration.md: its examples do what the page says, in the page's own project.

tests/test_docs_examples.py runs every block of every page (this one's too): each
command, each bad file against the output the page shows.  This file checks what
that generic run cannot: the page's commands and defaults in the project the page
describes, the editor recipe end to end, and the README's section.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePath

import pytest

from tickgen.cli import build_parser, main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
SHIPPED_SCHEMA = ROOT / "schemas" / "project" / "tickgen.schema.json"


def blocks(language: str) -> list[str]:
    """The fenced blocks of one language (``""``: the untagged ones), indented or not."""
    found, inside, lines = [], None, []
    for line in PAGE.splitlines(keepends=True):
        fence = re.fullmatch(r"\s*```(\w*)\n", line)
        if fence and inside is None:
            inside, lines = fence.group(1), []
        elif fence:
            if inside == language:
                indent = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
                found.append("".join(x[indent:] if x.strip() else x for x in lines))
            inside = None
        elif inside is not None:
            lines.append(line)
    return found


COMMANDS, EDITOR = blocks("sh")
# The second and third (bad files whose problems the page shows) are run by
# tests/test_docs_examples.py, which checks each shown output exactly, on stderr.
PROJECT, _, _, TAPLO = blocks("toml")
[ALERTS] = blocks("yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page's project: its tickgen.toml, its alerts, a legacy file and a template dir."""
    for name in ("TICKGEN_CONFIG", "TICKGEN_KAPACITOR_VERSION", "KAPACITOR_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "tickgen.toml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "cpu.yaml").write_text(ALERTS, encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    shutil.copy(ROOT / "examples" / "cpu_mean_threshold.yaml", tmp_path / "legacy" / "cpu.yaml")
    shutil.copytree(ROOT / "examples" / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_commands_run_without_arguments_in_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser()
    lines = [line.split("#")[0].strip() for line in COMMANDS.strip().splitlines()]
    assert [shlex.split(line)[1] for line in lines] == ["validate", "render", "lint", "plan", "apply"]
    for line in lines:
        argv = shlex.split(line)[1:]
        if argv[0] in ("plan", "apply"):  # its targets are example.com: parsed, not run
            parser.parse_args(argv)
            continue
        assert main(argv) == 0, capsys.readouterr().err
    assert "3 alert(s) valid, project file tickgen.toml valid" in capsys.readouterr().out


def test_the_defaults_do_what_the_page_says(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "alerts/cpu.yaml"]) == 0
    out = capsys.readouterr().out
    high, idle = (s.partition("\n")[2] for s in out.split("// task: ")[1:])
    assert "var db = 'telegraf'" in high and ".topic('ops')" in high
    assert "var crit = 90" in high and '"value" > crit' in high  # the project's op, its value
    assert ".topic('capacity')" in idle and '"value" < crit' in idle  # its own
    # a bad default at its line of tickgen.toml: the page's example runs in
    # tests/test_docs_examples.py; a misspelt default: the sentence of the page
    config = project / "tickgen.toml"
    config.write_text(PROJECT.replace("database =", "databse ="), encoding="utf-8")
    assert main(["validate", "tickgen.toml"]) == 1
    said = (
        "tickgen.toml:9: defaults.databse: unknown parameter 'databse': no template takes it "
        "(did you mean 'database'?)"
    )
    assert capsys.readouterr().err.startswith(f"tickgen: error: {said};")
    assert said in " ".join(PAGE.split())


def test_the_editor_recipe_associates_the_shipped_schema(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "tickgen.toml"
    config.write_text(PROJECT.partition("\n")[2], encoding="utf-8")  # without its #:schema
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "-e", "-c", EDITOR], cwd=project, env=env, check=True, timeout=120)
    assert config.read_text(encoding="utf-8").startswith("#:schema ./.tickgen.schema.json\n")
    written = project / ".tickgen.schema.json"
    assert written.read_text(encoding="utf-8") == SHIPPED_SCHEMA.read_text(encoding="utf-8")
    assert main(["validate", "tickgen.toml"]) == 0
    # the .taplo.toml rule: its glob takes the file, its path is the schema written above
    [rule] = tomllib.loads(TAPLO)["rule"]
    assert any(PurePath("tickgen.toml").full_match(g) if sys.version_info >= (3, 13)
               else PurePath("sub/tickgen.toml").match(g.removeprefix("**/"))
               for g in rule["include"])  # fmt: skip
    assert (project / rule["schema"]["path"]).resolve() == written.resolve()
    assert set(rule["schema"]) <= {"path", "enabled"}  # taplo's SchemaOptions keys


def test_the_page_lists_every_key_of_the_schema() -> None:
    import json

    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    for key in schema["properties"]:
        assert f"| `{key}" in PAGE, key
    for key in schema["$defs"]["TargetTable"]["properties"]:
        assert f"`{key}`" in PAGE, key


def test_the_readme_section_runs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The project file") :]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert block is not None
    parser = build_parser()
    commands = [shlex.split(line.split("#")[0]) for line in block.group(1).strip().splitlines()]
    for argv in commands:
        parser.parse_args(argv[1:])  # a usage error would exit
    assert commands[0][1:] == ["validate"]
    assert main(["validate"]) == 0
    (project / "sub").mkdir()
    os.chdir(project / "sub")
    assert main(["render", "../alerts/cpu.yaml", "--config", "../tickgen.toml"]) == 0
    assert "var db = 'telegraf'" in capsys.readouterr().out
