"""Users' own templates: same pipeline as the built-ins, in Jinja's sandbox, strict about values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tickgen
from tickgen.catalog import Catalog
from tickgen.cli import main
from tickgen.errors import TemplateError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "a test template",
    "type": "object",
    "required": ["template", "id", "database"],
    "properties": {
        "template": {"type": "string"},
        "id": {"type": "string"},
        "database": {"type": "string"},
        "value": {"type": "number", "default": 1},
    },
}


def make_template(
    directory: Path, name: str, body: str, schema: dict[str, object] | None = None
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.tick.j2").write_text(body, encoding="utf-8")
    (directory / f"{name}.schema.json").write_text(json.dumps(schema or SCHEMA), encoding="utf-8")
    return directory


def alert(name: str, **params: object) -> tickgen.CustomAlert:
    return tickgen.CustomAlert(
        template=name, params={"template": name, "id": "t", "database": "db", **params}
    )


GOOD = "stream\n    |from()\n        .measurement('m')\n    |alert()\n        .crit(lambda: \"v\" > {{ value | number }})\n        .topic('x')\n"


def test_example_user_template_renders(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "render",
        "--color",
        "never",
        "--templates",
        str(EXAMPLES / "templates"),
        str(EXAMPLES / "disk_free.yaml"),
    ]
    assert main(args) == 0
    script = capsys.readouterr().out
    assert script.startswith('dbrp "telegraf"."autogen"\n\nvar crit = 5.0\n')
    assert ".id('{{ .TaskName }}:{{ index .Tags \"host\" }}')" in script


def test_script_dbrp_statements_keep_dbrps_out_of_the_payload(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [
        "render",
        "--payload",
        "--templates",
        str(EXAMPLES / "templates"),
        str(EXAMPLES / "disk_free.yaml"),
    ]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "dbrps" not in payload and payload["id"] == "var-disk-free"


def test_user_template_gets_schema_defaults_and_dbrps_from_database(tmp_path: Path) -> None:
    directory = make_template(tmp_path, "mine", GOOD)
    task = tickgen.render_task(alert("mine"), template_dirs=[directory])
    assert '"v" > 1)' in task.script
    assert task.dbrps == (tickgen.DBRP("db", "autogen"),)


def test_unescaped_value_is_refused_with_template_and_line(tmp_path: Path) -> None:
    directory = make_template(
        tmp_path, "raw", "stream\n    |from()\n        .measurement('{{ database }}')\n"
    )
    with pytest.raises(
        TemplateError,
        match=r"template raw, line 3: the template prints 'db' without an escaping filter",
    ):
        tickgen.render(alert("raw"), template_dirs=[directory])


def test_undefined_variable_names_template_line_and_name(tmp_path: Path) -> None:
    directory = make_template(
        tmp_path, "undef", "stream\n    |from()\n        .measurement({{ nope | quote }})\n"
    )
    with pytest.raises(TemplateError, match=r"template undef, line 3: 'nope' is undefined"):
        tickgen.render(alert("undef"), template_dirs=[directory])


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    body = "{{ ''.__class__.__mro__[1].__subclasses__() | quote }}"
    directory = make_template(tmp_path, "escape", body)
    with pytest.raises(TemplateError, match=r"unsafe|__class__"):
        tickgen.render(alert("escape"), template_dirs=[directory])


def test_broken_script_from_a_template_is_a_template_bug(tmp_path: Path) -> None:
    directory = make_template(tmp_path, "broken", "stream\n    |from(\n")
    with pytest.raises(
        tickgen.TemplateBug, match=r"template broken.*does not parse: .*unexpected EOF"
    ):
        tickgen.render(alert("broken"), template_dirs=[directory])


def test_script_failing_the_checker_is_a_template_bug(tmp_path: Path) -> None:
    directory = make_template(tmp_path, "wrong", "stream\n    |from()\n        .measurment('m')\n")
    with pytest.raises(
        tickgen.TemplateBug, match=r"template wrong: .*fails the check: .*measurment"
    ):
        tickgen.render(alert("wrong"), template_dirs=[directory])


def test_jinja_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    directory = make_template(tmp_path, "syntax", "stream\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"template syntax, line 2"):
        tickgen.render(alert("syntax"), template_dirs=[directory])


def test_user_template_cannot_shadow_a_builtin(tmp_path: Path) -> None:
    make_template(tmp_path, "threshold", GOOD)
    with pytest.raises(TemplateError, match="same name as a built-in template"):
        Catalog([tmp_path])


def test_template_without_schema(tmp_path: Path) -> None:
    (tmp_path / "lonely.tick.j2").write_text(GOOD)
    with pytest.raises(TemplateError, match=r"has no schema: add .*lonely.schema.json"):
        Catalog([tmp_path])


def test_user_parameters_are_checked_against_the_user_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = make_template(tmp_path / "t", "mine", GOOD)
    params = tmp_path / "p.yaml"
    params.write_text("template: mine\nid: x\ndatabase: db\nvalue: lots\n")
    assert main(["validate", "--templates", str(directory), str(params)]) == 1
    assert f"{params}:4: value: 'lots' is not a number" in capsys.readouterr().err


def test_templates_command_lists_user_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = make_template(tmp_path, "mine", GOOD)
    assert main(["templates", "--templates", str(directory)]) == 0
    out = capsys.readouterr().out
    assert "threshold" in out and "relative" in out and "deadman" in out
    assert "mine" in out and "a test template" in out


def test_a_batch_template_makes_a_batch_task(tmp_path: Path) -> None:
    body = (
        "batch\n    |query('SELECT mean(\"v\") FROM \"db\".\"autogen\".\"m\"')\n"
        "        .period(5m)\n        .every(1m)\n    |alert()\n"
        "        .crit(lambda: \"mean\" > {{ value | number }})\n        .topic('x')\n"
    )
    directory = make_template(tmp_path, "batchy", body)
    task = tickgen.render_task(alert("batchy"), template_dirs=[directory])
    assert task.type == "batch"
    assert task.payload()["type"] == "batch"


def test_broken_go_template_from_a_parameter_is_the_parameters_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # differential finding D13: a user template quotes `message` into .message();
    # a broken Go template there is the value's fault, not a template bug
    params = tmp_path / "disk.yaml"
    params.write_text(
        "template: disk_free\nid: d\ndatabase: telegraf\npath: /var\nmin_free_gb: 5\n"
        'message: "{{ .Host"\n',
        encoding="utf-8",
    )
    assert main(["validate", "--templates", str(EXAMPLES / "templates"), str(params)]) == 1
    err = capsys.readouterr().err
    assert f"{params}: template disk_free, script line " in err
    assert "template: message:1: unclosed action" in err
    assert "a parameter's value reaches this Go template" in err
    assert "bug" not in err


def test_broken_details_html_from_a_parameter_is_the_parameters_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # .details() is parsed by Go's html/template, whose errors start "html/template:"
    # rather than "template: "; the value is still at fault, not the template
    body = GOOD.replace(".topic('x')", ".details({{ details | quote }})\n        .topic('x')")
    schema = json.loads(json.dumps(SCHEMA))
    schema["properties"]["details"] = {"type": "string"}
    directory = make_template(tmp_path / "templates", "htmly", body, schema)
    params = tmp_path / "h.yaml"
    params.write_text(
        'template: htmly\nid: h\ndatabase: db\ndetails: "<a href=\\"{{ .ID }}"\n', encoding="utf-8"
    )
    assert main(["validate", "--templates", str(directory), str(params)]) == 1
    err = capsys.readouterr().err
    assert f"{params}: template htmly, script line " in err
    assert "html/template:details: ends in a non-text context" in err
    assert "a parameter's value reaches this Go template" in err
    assert "bug" not in err


def test_the_template_time_limit_is_set_by_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    directory = make_template(tmp_path / "templates", "slow", body)
    params = tmp_path / "s.yaml"
    params.write_text("template: slow\nid: s\ndatabase: db\n", encoding="utf-8")
    argv = ["validate", "--templates", str(directory), str(params)]
    monkeypatch.setenv("TICKGEN_TEMPLATE_TIME_LIMIT", "0.2")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "the template ran longer than 0.2 seconds for one alert" in err
    assert "$TICKGEN_TEMPLATE_TIME_LIMIT sets the limit" in err
    for bad in ("0", "-1", "soon", "nan", "7200"):
        monkeypatch.setenv("TICKGEN_TEMPLATE_TIME_LIMIT", bad)
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "$TICKGEN_TEMPLATE_TIME_LIMIT must be a number of seconds above 0" in err, err
        assert "Traceback" not in err
