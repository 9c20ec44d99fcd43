"""Broken Go templates through the CLI: validate (file:line, path, exit 1), lint, render."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen.cli import main
from tickgen.gotemplate import GoTemplateError, parse
from tickgen.gotemplate.contexts import BUILTINS
from tickgen.gotemplate.lexer import GO115, GO125, Syntax
from tickgen.gotemplate.parser import ActionNode, StringNode, TextNode
from tickgen.tick import ast as tick_ast
from tickgen.tick import parse as parse_tick
from tickgen.tick import quote

ALERT = """\
template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
message: "{{ foo }} is {{ .Level }}"
handlers:
  - kind: alerta
    event: "{{ .Level }}"
  - kind: post
    url: "http://hooks/{{ .ID"
  - kind: post
    endpoint: configured
    url: "ignored when an endpoint is set {{"
"""


def test_validate_reports_each_broken_template_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cpu.yaml"
    path.write_text(ALERT, encoding="utf-8")
    assert main(["validate", "--kapacitor-version", "1.5.9", str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        f'{path}:7: message: template: message:1: function "foo" not defined (Go template; ' in err
    )
    assert "the functions here are and, call, eq, ge, gt, html, index, js, le, len, lt, " in err
    assert (
        f"{path}:10: handlers[0].event: template: event:1: can't evaluate field Level in type "
        "alerta.eventData (Go template; the fields here are .Group, .ID, .Name, .Tags, .TaskName)"
    ) in err
    assert f"{path}:12: handlers[1].url: template: body:1: unclosed action" in err
    assert "handlers[2]" not in err
    assert "Traceback" not in err


def test_validate_follows_the_kapacitor_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.yaml"
    # a newline inside an action: Go 1.16+ (Kapacitor 1.8) takes it, Go 1.15 (1.5.9) does not
    path.write_text(ALERT.split("message:")[0] + 'message: "{{ .ID\\n}}"\n', encoding="utf-8")
    assert main(["validate", "--kapacitor-version", "1.8.3", str(path)]) == 0
    assert main(["validate", "--kapacitor-version", "1.5.9", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:7: message: template: message:1: unclosed action (Go template; " in err
    assert "Go 1.15 does not allow a newline inside {{ }}" in err


TICK = """\
var message = '{{ .ID }} is {{ .Levle }}'
stream
    |from()
        .measurement('cpu')
    |alert()
        .crit(lambda: "usage_user" > 90)
        .message(message)
        .id('{{ .Name }')
        .details('{{ json . }}')
        .mqtt('alerts/{{ .Name }}')
        .pagerDuty2()
            .link('{{ .ID }}', '{{ .Bad }}')
"""


def test_lint_reports_templates_in_a_tick_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.tick"
    path.write_text(TICK, encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" (Go template")[0] for line in lines] == [
        f"{path}:7:10: error: template: message:1: can't evaluate field Levle in type "
        "kapacitor.messageInfo",
        f'{path}:8:10: error: template: id:1: unexpected "}}" in operand',
        f"{path}:12:14: error: template: text:1: can't evaluate field Bad in type "
        "alert.TemplateData",
    ]


def _printed(text: str, syntax: Syntax) -> str:
    """What Go prints for ``text`` made of plain text and string-constant actions."""
    printed = ""
    for node in parse(text, "id", BUILTINS, syntax).root.nodes:
        if isinstance(node, TextNode):
            printed += node.text
        else:
            assert isinstance(node, ActionNode)
            (arg,) = node.pipe.cmds[0].args
            assert isinstance(arg, StringNode)
            printed += arg.value
    return printed


def test_a_name_with_braces_renders_as_go_text_that_prints_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.yaml"
    name = "cpu {{ high }} {{{"
    path.write_text(
        ALERT.split("message:")[0] + f"name: {name!r}\ngroup_by: [host]\n", encoding="utf-8"
    )
    assert main(["render", str(path)]) == 0
    script = capsys.readouterr().out
    assert f"var name = {quote.string(name)}\n" in script  # the alertName tag stays plain
    (id_var,) = [
        s
        for s in parse_tick(script).statements
        if isinstance(s, tick_ast.Declaration) and s.name.name == "idVar"
    ]
    assert isinstance(id_var.value, tick_ast.Binary)
    left, right = id_var.value.left, id_var.value.right
    assert isinstance(left, tick_ast.String) and isinstance(right, tick_ast.String)
    assert right.value == "-{{.Group}}"
    for syntax in (GO115, GO125):
        assert _printed(left.value, syntax) == name


@pytest.mark.parametrize(
    "value",
    ["", "plain", "{{", "}}", "{{{", "{{{{", "a {{- b -}} c", "{{/* x */}}", "\\{{", "{{.Name}}"],
)
@pytest.mark.parametrize("syntax", [GO115, GO125], ids=["go1.15", "go1.25"])
def test_go_template_text_prints_the_value_exactly(value: str, syntax: Syntax) -> None:
    (declaration,) = parse_tick(f"var x = {quote.go_template_text(value)}\n").statements
    assert isinstance(declaration, tick_ast.Declaration)
    assert isinstance(declaration.value, tick_ast.String)
    assert _printed(declaration.value.value, syntax) == value


def test_go_template_text_refuses_what_is_not_a_string() -> None:
    with pytest.raises(quote.QuoteError):
        quote.go_template_text(3)  # type: ignore[arg-type]


def test_unescaped_braces_would_have_broken_the_id() -> None:
    with pytest.raises(GoTemplateError):
        parse("cpu {{ high-{{.Group}}", "id", BUILTINS)
