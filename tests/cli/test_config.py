"""tickgen.toml as the project file, used through the CLI in a project directory.

Each key of the file, ``--config`` and ``$TICKGEN_CONFIG``, and where a problem
is reported: at its line of tickgen.toml with its key path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tickgen.cli import main

ROOT = Path(__file__).resolve().parents[2]

ALERTS = """\
defaults:
  measurement: cpu
alerts:
  - template: threshold
    id: cpu_high
    field: usage
    crit: {value: 90}
  - template: threshold
    id: cpu_low
    field: idle
    database: own_db
    crit: {op: "<", value: 5}
"""

CONFIG = """\
paths = ["alerts/"]
kapacitor_version = "1.7"

[defaults]
database = "telegraf"
topic = "ops"
crit = { op = ">" }
"""


def tickgen(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory, the current one: tickgen.toml and alerts/cpu.yaml."""
    monkeypatch.delenv("TICKGEN_CONFIG", raising=False)
    monkeypatch.delenv("TICKGEN_KAPACITOR_VERSION", raising=False)
    monkeypatch.delenv("KAPACITOR_URL", raising=False)
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "cpu.yaml").write_text(ALERTS, encoding="utf-8")
    (tmp_path / "tickgen.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scripts(out: str) -> dict[str, str]:
    """``// task: ID (FILE)`` sections of render's output, by id."""
    found = {}
    for section in out.split("// task: ")[1:]:
        header, _, script = section.partition("\n")
        found[header.split()[0]] = script
    return found


def test_paths_are_what_commands_read_without_arguments(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tickgen(capsys, "validate") == (0, "2 alert(s) valid, project file tickgen.toml valid\n", "")
    code, out, _ = tickgen(capsys, "render")
    assert code == 0
    assert set(scripts(out)) == {"cpu_high", "cpu_low"}
    assert "// task: cpu_high (alerts/cpu.yaml (alerts[0]))" in out  # as if typed: alerts/
    code, out, _ = tickgen(capsys, "lint", "--output", "json")
    assert code == 0 and json.loads(out)["summary"]["errors"] == 0
    # arguments on the command line win over the file's paths
    (project / "one.yaml").write_text(
        "template: threshold\nid: one\nmeasurement: m\nfield: f\ncrit: {value: 1}\n", "utf-8"
    )
    code, out, _ = tickgen(capsys, "render", "one.yaml")
    assert code == 0 and out.startswith("var db = 'telegraf'")  # one alert: no header
    assert tickgen(capsys, "validate", "one.yaml")[1] == (
        "1 alert(s) valid, project file tickgen.toml valid\n"
    )


def test_without_paths_anywhere_the_error_says_what_to_do(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tickgen.toml").write_text('kapacitor_version = "1.7"\n', encoding="utf-8")
    for command in ("render", "validate", "lint", "plan", "apply"):
        code, out, err = tickgen(capsys, command)
        assert (code, out) == (1, "")
        assert err == (
            "tickgen: error: the following arguments are required: FILE|DIR (tickgen.toml sets "
            'no paths; name parameter files or directories, or set paths = ["alerts/"] in '
            "tickgen.toml)\n"
        )
    (project / "tickgen.toml").unlink()
    assert "(there is no tickgen.toml here;" in tickgen(capsys, "render")[2]


def test_defaults_merge_under_the_files_defaults_and_the_alerts_values(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = tickgen(capsys, "render")
    assert code == 0
    high, low = scripts(out)["cpu_high"], scripts(out)["cpu_low"]
    assert "var db = 'telegraf'" in high  # the project's
    assert "var db = 'own_db'" in low  # the alert's own wins
    assert "var measurement = 'cpu'" in high  # the file's defaults, with the project's
    # crit merges key by key: op from the project, value from the alert; or the alert's op
    assert 'var crit = 90' in high and '"value" > crit' in high
    assert '"value" < crit' in low
    assert ".topic('ops')" in high
    # a file's own defaults win over the project's
    (project / "alerts" / "cpu.yaml").write_text(
        ALERTS.replace("  measurement: cpu\n", "  measurement: cpu\n  database: file_db\n"),
        encoding="utf-8",
    )
    code, out, _ = tickgen(capsys, "render")
    assert "var db = 'file_db'" in scripts(out)["cpu_high"]


def test_a_bad_default_is_reported_once_at_its_line_of_tickgen_toml(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tickgen.toml").write_text(
        CONFIG.replace('topic = "ops"', 'topic = "ops"\nhistory = "many"'), encoding="utf-8"
    )
    code, out, err = tickgen(capsys, "validate")
    assert (code, out) == (1, "")
    assert err == (
        "tickgen: error: tickgen.toml:7: defaults.history: 'many' is not a whole number from 2 to 10000 or null "
        "(merged into the alert of alerts/cpu.yaml (alerts[0]))\n"
    )
    # a value from a nested mapping of the defaults: its own line
    (project / "tickgen.toml").write_text(
        CONFIG.replace('crit = { op = ">" }', '[defaults.crit]\nop = "bigger"'), encoding="utf-8"
    )
    code, out, err = tickgen(capsys, "render")
    assert code == 1
    assert err.startswith("tickgen: error: tickgen.toml:8: defaults.crit.op: 'bigger' is not one of")
    assert err.count("defaults.crit.op") == 1
    # the same in the machine-readable formats, for CI annotations
    code, out, _ = tickgen(capsys, "validate", "--output", "json")
    [finding] = json.loads(out)["findings"]
    assert (finding["file"], finding["line"], finding["parameter"]) == (
        "tickgen.toml", 8, "defaults.crit.op"
    )


def test_a_default_no_template_takes_is_said_once_with_did_you_mean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "tickgen.toml").write_text(CONFIG + 'databse = "x"\n', encoding="utf-8")
    code, _, err = tickgen(capsys, "validate")
    assert code == 1
    assert err == (
        "tickgen: error: tickgen.toml:8: defaults.databse: unknown parameter 'databse': no "
        "template takes it (did you mean 'database'?); templates: threshold, relative, deadman\n"
    )
    code, _, err = tickgen(capsys, "render")  # each alert's own check finds it too, once
    assert code == 1
    assert err.count("defaults.databse: unknown parameter 'databse' (did you mean 'database'?)") == 1


def test_template_dirs_are_the_projects_templates_unless_given(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples" / "templates", project / "templates")
    disk = (ROOT / "examples" / "disk_free.yaml").read_text(encoding="utf-8")
    (project / "alerts" / "cpu.yaml").write_text(disk, encoding="utf-8")
    config = 'paths = ["alerts"]\n[defaults]\ndatabase = "telegraf"\n'
    (project / "tickgen.toml").write_text(config, encoding="utf-8")
    code, _, err = tickgen(capsys, "validate")
    assert code == 1 and "unknown template 'disk_free'" in err
    (project / "tickgen.toml").write_text('template_dirs = ["templates"]\n' + config, "utf-8")
    assert tickgen(capsys, "validate")[0] == 0
    # a default must suit every alert it reaches: disk_free has no crit
    (project / "tickgen.toml").write_text(
        'template_dirs = ["templates"]\n' + config + 'crit = { op = ">" }\n', "utf-8"
    )
    code, _, err = tickgen(capsys, "validate")
    assert err.startswith(
        "tickgen: error: tickgen.toml:5: defaults.crit: unknown parameter 'crit'; allowed: "
    )
    assert err.endswith("(merged into the alert of alerts/cpu.yaml)\n")
    (project / "tickgen.toml").write_text('template_dirs = ["templates"]\n' + config, "utf-8")
    assert "disk_free" in tickgen(capsys, "templates")[1]
    # --templates replaces them
    (project / "elsewhere").mkdir()
    code, _, err = tickgen(capsys, "validate", "--templates", "elsewhere")
    assert code == 1 and "unknown template 'disk_free'" in err


def test_kapacitor_version_is_what_offline_commands_check_for(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "alerts" / "cpu.yaml").write_text(
        ALERTS.replace("    crit: {value: 90}\n", "    crit: {value: 90}\n"
                       "    handlers: [{kind: bigPanda, host: web}]\n"),
        encoding="utf-8",
    )  # fmt: skip
    assert tickgen(capsys, "validate")[0] == 0  # 1.7 has bigPanda's host
    (project / "tickgen.toml").write_text(
        CONFIG.replace('"1.7"', '"1.5"'), encoding="utf-8"
    )
    code, _, err = tickgen(capsys, "validate")
    assert code == 1 and "1.6.3" in err
    assert tickgen(capsys, "validate", "--kapacitor-version", "1.8")[0] == 0  # the option wins


def test_config_elsewhere_by_option_or_variable(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert tickgen(capsys, "validate")[0] == 1  # no tickgen.toml here, no paths
    code, out, _ = tickgen(capsys, "validate", "--config", "../tickgen.toml")
    # the paths of the file are relative to the file, not to the current directory
    assert (code, out) == (0, "2 alert(s) valid, project file ../tickgen.toml valid\n")
    monkeypatch.setenv("TICKGEN_CONFIG", str(project / "tickgen.toml"))
    code, out, _ = tickgen(capsys, "render")
    assert code == 0 and set(scripts(out)) == {"cpu_high", "cpu_low"}
    assert "// task: cpu_high (../alerts/cpu.yaml (alerts[0]))" not in out  # not below: in full
    assert f"// task: cpu_high ({project}/alerts/cpu.yaml (alerts[0]))" in out
    monkeypatch.setenv("TICKGEN_CONFIG", "missing.toml")
    assert tickgen(capsys, "render")[2] == (
        "tickgen: error: $TICKGEN_CONFIG is missing.toml, which is not a file; name the project "
        "file or unset TICKGEN_CONFIG to use ./tickgen.toml\n"
    )
    code, _, err = tickgen(capsys, "render", "--config", "nope.toml")
    assert code == 1
    assert err == "tickgen: error: --config nope.toml: no such file; name the project file (tickgen.toml)\n"


def test_validate_the_project_file_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "alerts" / "cpu.yaml").write_text("not: [valid", encoding="utf-8")
    # the alerts are not read: only the file
    assert tickgen(capsys, "validate", "tickgen.toml") == (
        0, "project file tickgen.toml valid\n", ""
    )
    (project / "tickgen.toml").write_text(
        'kapacitor_verison = "1.7"\n[targets.prod]\nurl = "http://k:9092"\nid_prefx = "p-"\n',
        encoding="utf-8",
    )
    code, out, err = tickgen(capsys, "validate", "tickgen.toml")
    assert (code, out) == (1, "")
    assert err == (
        "tickgen: error: tickgen.toml:1: kapacitor_verison: unknown key 'kapacitor_verison' "
        "(did you mean 'kapacitor_version'?)\n"
        "tickgen.toml:4: targets.prod.id_prefx: unknown key 'id_prefx' (did you mean "
        "'id_prefix'?)\n"
    )
    code, out, _ = tickgen(capsys, "validate", "tickgen.toml", "--output", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=tickgen.toml,line=1,title=tickgen validate%3A kapacitor_verison::unknown "
        "key 'kapacitor_verison' (did you mean 'kapacitor_version'?)"
    )
    # every command that reads the project stops at it
    for argv in (["render", "alerts"], ["lint"], ["plan"], ["templates"]):
        code, _, err = tickgen(capsys, *argv)
        assert code == 1 and err.startswith("tickgen: error: tickgen.toml:1: kapacitor_verison:")


def test_a_project_file_is_not_read_as_alerts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = tickgen(capsys, "render", "tickgen.toml")
    assert code == 1
    assert err == (
        "tickgen: error: tickgen.toml: this is the project file, not a parameter file: check it "
        "with 'tickgen validate tickgen.toml', or use it with --config tickgen.toml\n"
    )
    assert tickgen(capsys, "lint", "tickgen.toml")[0] == 0  # checked as the project file


def test_schema_prints_the_project_files_schema(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = tickgen(capsys, "schema", "tickgen.toml")
    assert code == 0
    shipped = ROOT / "schemas" / "project" / "tickgen.schema.json"
    assert out == shipped.read_text(encoding="utf-8")


def test_default_target_is_used_without_target_url_or_variable(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No server listens on port 9: the error names the target the run chose."""
    (project / "tickgen.toml").write_text(
        'default_target = "lab"\n' + CONFIG + '\n[targets.lab]\nurl = "http://127.0.0.1:9"\n[targets.other]\nurl = "http://127.0.0.1:7"\n',
        encoding="utf-8",
    )
    code, _, err = tickgen(capsys, "plan")
    assert code == 1 and err.startswith("tickgen: error: target lab (http://127.0.0.1:9):")
    code, _, err = tickgen(capsys, "plan", "--target", "other")
    assert err.startswith("tickgen: error: target other (http://127.0.0.1:7):")
    code, _, err = tickgen(capsys, "plan", "--url", "http://127.0.0.1:8")
    assert err.startswith("tickgen: error: target default (http://127.0.0.1:8):")
    monkeypatch.setenv("KAPACITOR_URL", "http://127.0.0.1:6")
    code, _, err = tickgen(capsys, "apply")
    assert err.startswith("tickgen: error: target default (http://127.0.0.1:6):")


def test_graph_of_a_parameter_file_uses_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = tickgen(capsys, "graph", "alerts/cpu.yaml")
    assert code == 0, err  # database and crit's op come from the project's defaults
    assert out.startswith("digraph cpu_high {") and "digraph cpu_low {" in out
    code, _, err = tickgen(capsys, "graph", "alerts/cpu.yaml", "--config", "/dev/null/x.toml")
    assert code == 1 and "--config /dev/null/x.toml: no such file" in err
