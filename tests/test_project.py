"""The project file (tickgen/project.py): its shipped schema, loading, every problem located."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tickgen._build.schemagen import PROJECT_FILE_SCHEMA, project_file_schema_text
from tickgen.catalog import Catalog
from tickgen.errors import ConfigError, DeployError, ParameterError
from tickgen.project import find_config, load_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "schemas" / PROJECT_FILE_SCHEMA
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
EXAMPLE = ROOT / "examples" / "tickgen.toml"

FULL = """\
#:schema ./schemas/project/tickgen.schema.json
paths = ["alerts/", "extra.yaml"]
template_dirs = ["templates/"]
default_target = "prod"
kapacitor_version = "1.7"
owner = "ops"

[defaults]
database = "telegraf"
crit = { op = ">" }

[targets.prod]
url = "https://kapacitor.example.com:9092"
username_env = "KAP_USER"
password_env = "KAP_PASS"
token_env = "KAP_TOKEN"
dbrps = [{ db = "telegraf", rp = "autogen" }]
id_prefix = "prod-"
kapacitor_version = "1.5.9"
owner = "payments"
"""

# (file, the problem it has): each line as tickgen prints it, FILE:LINE: PATH: message
INVALID = [
    ('kapacitr_version = "1.5"\n',
     "1: kapacitr_version: unknown key 'kapacitr_version' (did you mean 'kapacitor_version'?)"),
    ('path = ["alerts/"]\n', "1: path: unknown key 'path' (did you mean 'paths'?)"),
    ('[targets.x]\nurl = "http://k"\nurll = "x"\n',
     "3: targets.x.urll: unknown key 'urll' (did you mean 'url'?)"),
    ('[targets.x]\nurl = "http://k"\ndbrps = [{ db = "a", rp = "b", rpp = "c" }]\n',
     "3: targets.x.dbrps[0].rpp: unknown key 'rpp' (did you mean 'rp'?)"),
    ("paths = []\n",
     "1: paths: must not be an empty list; name at least one file or directory, or leave "
     "paths out"),
    ('paths = "alerts/"\n', "1: paths: 'alerts/' is not a list; write a list: paths = [\"alerts/\"]"),
    ("template_dirs = [3]\n", '1: template_dirs[0]: 3 is not a string (write it in quotes: "3")'),
    ("defaults = 3\n", "1: defaults: 3 is not a mapping; write a [defaults] table of parameters"),
    ('default_target = ""\n', "1: default_target: must not be empty: write a value such as 'staging' (The target plan and apply use without --target, --url or $KAPACITOR_URL)"),
    ('kapacitor_version = "latest"\n',
     "1: kapacitor_version: 'latest' is not a Kapacitor version: write one such as \"1.8\" or "
     '"1.7.7"'),
    ("kapacitor_version = 1.8\n",
     '1: kapacitor_version: 1.8 is not a string (write it in quotes: "1.8")'),
    ('owner = "a team"\n',
     "1: owner: 'a team' is not an owner: write 1 to 255 letters, digits, '-', '.' or '_'"),
    ('targets = { prod = "http://k" }\n',
     "1: targets.prod: 'http://k' is not a mapping; write a [targets.prod] table with "
     'url = "http://HOST:9092"'),
    ("targets = 3\n",
     '1: targets: 3 is not a mapping; write one table per server: [targets.NAME] with url = "..."'),
    ('[targets.x]\nid_prefix = "a"\n',
     "1: targets.x: missing required key 'url'; write url = \"http://HOST:9092\""),
    ('[targets.x]\nurl = "kapacitor:9092"\n',
     "2: targets.x.url: 'kapacitor:9092' is not an http(s) URL: write http://HOST:PORT or "
     "https://HOST:PORT"),
    ('[targets.x]\nurl = "http://k"\npassword_env = "hunter2!"\n',
     "3: targets.x.password_env: 'hunter2!' is not the name of an environment variable: write "
     "letters, digits and '_', not starting with a digit (the variable's name, never the secret)"),
    ('[targets.x]\nurl = "http://k"\nid_prefix = "a/b"\n',
     "3: targets.x.id_prefix: 'a/b' cannot start a task id: write letters, digits, '-', '.' or "
     "'_'"),
    ('default_target = "prd"\n[targets.prod]\nurl = "http://k"\n',
     "1: default_target: no target named 'prd' (did you mean 'prod'?); known: prod"),
    ('default_target = "prod"\n',
     "1: default_target: no target named 'prod'; add a [targets.NAME] table"),
    ('[targets.x]\nurl = "http://k"\n[targets\n',
     "3: invalid TOML: Expected ']' at the end of a table declaration (column 9)"),
]  # fmt: skip


def test_shipped_schema_is_generated_from_the_model() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == project_file_schema_text(), (
        "run scripts/gen-schemas"
    )
    Draft202012Validator.check_schema(SCHEMA)
    assert '"default": null' not in SCHEMA_PATH.read_text(encoding="utf-8")  # TOML has no null


@pytest.mark.parametrize("text", [FULL, EXAMPLE.read_text(encoding="utf-8"), ""])
def test_valid_files_pass_the_shipped_schema_and_load(tmp_path: Path, text: str) -> None:
    assert list(Draft202012Validator(SCHEMA).iter_errors(tomllib.loads(text))) == []
    config = tmp_path / "tickgen.toml"
    config.write_text(text, encoding="utf-8")
    load_project(config)


@pytest.mark.parametrize(("text", "expected"), INVALID, ids=[e[1][:40] for e in INVALID])
def test_invalid_files_say_where_and_what_would_be_right(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = tmp_path / "tickgen.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(config)
    assert str(caught.value) == f"{config}:{expected}"
    # one error, both a parameter problem (validate) and a deploy stop (plan, apply)
    assert isinstance(caught.value, ParameterError) and isinstance(caught.value, DeployError)
    data = tomllib.loads(text) if "[targets\n" not in text else None
    if data is not None and "cannot start" not in expected and "no target" not in expected:
        # what the schema refuses, an editor using it refuses too
        assert list(Draft202012Validator(SCHEMA).iter_errors(data))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    config = tmp_path / "tickgen.toml"
    config.write_text('ownr = "a"\n[targets.x]\nurll = "http://k"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(config)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (1, "ownr"),
        (2, "targets.x"),
        (3, "targets.x.urll"),
    ]


def test_paths_are_relative_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "project").mkdir()
    config = tmp_path / "project" / "tickgen.toml"
    config.write_text(FULL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    project = load_project(config)
    assert project.paths == ("project/alerts", "project/extra.yaml")
    assert project.template_dirs == ("project/templates",)
    monkeypatch.chdir(tmp_path / "project")
    assert load_project(Path("tickgen.toml")).paths == ("alerts", "extra.yaml")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # not below it: shown in full
    assert load_project(config).paths == (f"{tmp_path}/project/alerts", f"{tmp_path}/project/extra.yaml")


def test_found_by_option_then_variable_then_current_directory(tmp_path: Path) -> None:
    (tmp_path / "tickgen.toml").write_text("", encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text("", encoding="utf-8")
    assert find_config(None, cwd=tmp_path, env={}) == tmp_path / "tickgen.toml"
    assert find_config(None, cwd=tmp_path, env={"TICKGEN_CONFIG": str(other)}) == other
    assert find_config(str(other), cwd=tmp_path, env={"TICKGEN_CONFIG": "x"}) == other
    assert find_config(None, cwd=tmp_path / "nowhere", env={}) is None
    with pytest.raises(DeployError, match=r"--config missing.toml: no such file"):
        find_config("missing.toml", env={})
    with pytest.raises(DeployError, match=r"\$TICKGEN_CONFIG is gone.toml, which is not a file"):
        find_config(None, env={"TICKGEN_CONFIG": "gone.toml"})


def test_defaults_keys_are_checked_against_the_templates(tmp_path: Path) -> None:
    config = tmp_path / "tickgen.toml"
    config.write_text(
        '[defaults]\ndatabase = "telegraf"\nshift = "1h"\ndatabse = "x"\n', encoding="utf-8"
    )
    project = load_project(config)
    [problem] = project.default_problems(Catalog([]))  # shift: a relative alert takes it
    assert str(problem) == (
        f"{config}:4: defaults.databse: unknown parameter 'databse': no template takes it "
        "(did you mean 'database'?); templates: threshold, relative, deadman"
    )


def test_the_python_api_takes_the_project_defaults(tmp_path: Path) -> None:
    """``tickgen.load`` and ``render_paths`` merge a project's defaults as the commands do."""
    import tickgen

    (tmp_path / "tickgen.toml").write_text(
        '[defaults]\ndatabase = "metrics"\nretention_policy = "weekly"\n', encoding="utf-8"
    )
    alert = tmp_path / "cpu.yaml"
    alert.write_text(
        "template: threshold\nid: cpu\nmeasurement: cpu\nfield: usage_user\n"
        "crit: {op: '>', value: 90}\n",
        encoding="utf-8",
    )
    project = load_project(tmp_path / "tickgen.toml").defaults_source()
    assert project is not None
    (loaded,) = tickgen.load(alert, project=project)
    assert (loaded.database, loaded.retention_policy) == ("metrics", "weekly")  # type: ignore[union-attr]
    (task,) = tickgen.render_paths(alert, project=project)
    assert "var db = 'metrics'" in task.script
    # without the project, the file alone lacks its database
    with pytest.raises(ParameterError, match="database"):
        tickgen.load(alert)
