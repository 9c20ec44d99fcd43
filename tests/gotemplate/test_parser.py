"""The Go template parser against Go's parse rules (text/template/parse, Go 1.15 and 1.25).

Cases are derived from Go's lexer and parser source: each names the rule it
exercises; the expected messages are Go's words (``template: NAME:LINE: MSG``).
"""

from __future__ import annotations

import pytest

from tickgen.gotemplate import GoTemplateError, parse
from tickgen.gotemplate.contexts import BUILTINS
from tickgen.gotemplate.lexer import GO115, GO125, ItemType, lex
from tickgen.gotemplate.parser import ActionNode, BranchNode, FieldNode, TextNode

FUNCS = set(BUILTINS)

VALID_BOTH = [
    "",
    "plain text } }} with braces",
    "{{ .Name }}:{{ .Group }}",
    "{{.ID}} is {{.Level}}",
    "a }} b",
    "\\{{.Name}}",
    '{{"{{"}}',
    '{{ "{{" }}',
    "{{`{{`}}",
    '{{ print "{{" }}',
    '{{"{"}}{',
    '{{"}}"}}',
    "{{- .Name -}}",
    "a  {{- .Name -}}  b",
    "{{-3}}",
    "{{ -3 }}{{ +1.5 }}{{ 0x1F }}{{ 0o17 }}{{ 0b101 }}{{ 1e3 }}{{ 1_000 }}{{ .5 }}{{ 1i }}",
    "{{ 'a' }}{{ '\\n' }}{{ '\\'' }}",
    "{{/* a comment */}}",
    "{{- /* a comment */ -}}",
    "{{/* multi\nline */}}",
    "{{ `raw\nstring` }}",
    '{{ index .Tags "host" }}',
    '{{ printf "%s-%d" .Name 3 }}',
    '{{ .Name | printf "%s" | len }}',
    "{{ (.Name) }}{{ (index .Tags `a`).X }}",
    "{{ $x := .Name }}{{ $x }}{{ $x = 1 }}{{ $ }}{{ $.Name }}",
    "{{ if .A }}a{{ end }}",
    "{{ if .A }}a{{ else }}b{{ end }}",
    "{{ if .A }}a{{ else if .B }}b{{ else if .C }}c{{ else }}d{{ end }}",
    "{{ with .Tags }}{{ .host }}{{ else }}none{{ end }}",
    "{{ range .Tags }}{{ . }}{{ else }}none{{ end }}",
    "{{ range $k, $v := .Tags }}{{ $k }}={{ $v }}{{ end }}",
    "{{ range $v := .Tags }}{{ $v }}{{ end }}",
    "{{ if $x := .A }}{{ $x }}{{ else }}{{ $x }}{{ end }}",
    '{{ define "x" }}X{{ end }}{{ template "x" . }}',
    '{{ block "b" . }}B{{ end }}',
    "{{ nil | not }}",
    "{{ and .A .B }}{{ or .A .B }}{{ not .A }}{{ eq .A 1 2 }}{{ ne .A 1 }}",
    "{{ true }}{{ false }}",
    "{{ .A.B.C }}",
    "{{.Tags.host}}",
]


@pytest.mark.parametrize("text", VALID_BOTH)
@pytest.mark.parametrize("syntax", [GO115, GO125], ids=["go1.15", "go1.25"])
def test_valid(text: str, syntax: object) -> None:
    parse(text, "t", FUNCS, syntax)  # type: ignore[arg-type]


INVALID_BOTH = [
    ("{{.Group", "template: t:1: unclosed action"),
    ("{{ .Name }", 'template: t:1: unexpected "}" in operand'),
    ("{{}}", "template: t:1: missing value for command"),
    ("{{ }}", "template: t:1: missing value for command"),
    ("{{end}}", "template: t:1: unexpected {{end}}"),
    ("{{else}}", "template: t:1: unexpected {{else}}"),
    ("{{ if .X }}a", "template: t:1: unexpected EOF"),
    ("{{ if }}a{{ end }}", "template: t:1: missing value for if"),
    ("{{ $y }}", 'template: t:1: undefined variable "$y"'),
    ("{{ /* c */ }}", 'template: t:1: unexpected "/" in command'),
    ("{{/* c */ }}", "template: t:1: comment ends before closing delimiter"),
    ("{{/* c", "template: t:1: unclosed comment"),
    ("{{-/* c */}}", 'template: t:1: illegal number syntax: "-"'),
    ("{{ .Tags.host-name }}", "template: t:1: bad character U+002D '-'"),
    ("{{ foo }}", 'template: t:1: function "foo" not defined'),
    ("{{ json . }}", 'template: t:1: function "json" not defined'),
    ('{{ "abc }}', "template: t:1: unterminated quoted string"),
    ("{{ `abc }}", "template: t:1: unterminated raw quoted string"),
    ("{{ 'ab' }}", "template: t:1: malformed character constant: 'ab'"),
    ("{{ 'a }}", "template: t:1: unterminated character constant"),
    ("{{ 1 | 2 }}", "template: t:1: non executable command in pipeline stage 2"),
    ("{{ .A | .B | 3 }}", "template: t:1: non executable command in pipeline stage 3"),
    ('{{ "a".B }}', 'template: t:1: unexpected . after term "\\"a\\""'),
    ("{{ (1 }}", "template: t:1: unclosed left paren"),
    ("{{ 3x }}", 'template: t:1: bad number syntax: "3x"'),
    # not octal; ParseFloat takes it, and newNumber calls such a float an overflow
    ("{{ 09 }}", 'template: t:1: integer overflow: "09"'),
    ("{{ 99999999999999999999 }}", 'template: t:1: integer overflow: "99999999999999999999"'),
    ("{{ .A : .B }}", "template: t:1: expected :="),
    ("{{ $x, $y := .A }}", "template: t:1: too many declarations in command"),
    ("{{ range $a, $b, $c := .A }}{{ end }}", "template: t:1: too many declarations in range"),
    ("{{ if .A }}{{ else }}{{ else }}{{ end }}", "template: t:1: expected end; found {{else}}"),
    ("{{ range .A }}{{ else if .B }}{{ end }}", "template: t:1: unexpected <if> in input"),
    ("{{ template .A }}", 'template: t:1: unexpected ".A" in template clause'),
    ('{{ define "x" }}a', "template: t:1: unexpected EOF"),
    (
        '{{ if .A }}{{ define "x" }}{{ end }}{{ end }}',
        "template: t:1: unexpected <define> in command",
    ),
    ("{{ .A \x01 }}", "template: t:1: unrecognized character in action: U+0001"),
    ("line1\nline2 {{ .A }", 'template: t:2: unexpected "}" in operand'),
    ("{{ .A }}\n\n{{ end }}", "template: t:3: unexpected {{end}}"),
    ('{{ "\\q" }}', "template: t:1: invalid syntax"),
    (
        "{{ $x := 1 }}{{ if .A }}{{ $y := 2 }}{{ end }}{{ $y }}",
        'template: t:1: undefined variable "$y"',
    ),
    ('{{ define "x" }}{{ $z }}{{ end }}', 'template: t:1: undefined variable "$z"'),
]


@pytest.mark.parametrize(("text", "message"), INVALID_BOTH)
@pytest.mark.parametrize("syntax", [GO115, GO125], ids=["go1.15", "go1.25"])
def test_invalid(text: str, message: str, syntax: object) -> None:
    with pytest.raises(GoTemplateError) as info:
        parse(text, "t", FUNCS, syntax)  # type: ignore[arg-type]
    assert str(info.value) == message


# Where Kapacitor 1.5.9 (Go 1.15) and 1.8.3 (Go 1.25) disagree (reference §4.4).
VERSION_DIFFERENCES = [
    ("{{ .A\n}}", "template: t:1: unclosed action"),
    ("{{\n.A }}", "template: t:1: unclosed action"),
    ("{{ range .A }}{{ break }}{{ end }}", 'template: t:1: function "break" not defined'),
    ("{{ range .A }}{{ continue }}{{ end }}", 'template: t:1: function "continue" not defined'),
    ("{{ with .A }}a{{ else with .B }}b{{ end }}", "template: t:1: unexpected <with> in else"),
    # Go 1.15: "-\n" is no trim marker, so "-" is a number
    ("{{-\n.A\n-}}", 'template: t:1: illegal number syntax: "-"'),
]


@pytest.mark.parametrize(("text", "go115_message"), VERSION_DIFFERENCES)
def test_go115_refuses_what_go125_accepts(text: str, go115_message: str) -> None:
    parse(text, "t", FUNCS, GO125)
    with pytest.raises(GoTemplateError) as info:
        parse(text, "t", FUNCS, GO115)
    assert str(info.value) == go115_message


def test_a_stray_right_paren_is_worded_per_release() -> None:
    # Go 1.15's lexer emits the ")" before its error, so the parser reports the token;
    # Go 1.20+ reports the lexer's error instead.
    for syntax, message in (
        (GO115, 'template: t:1: unexpected ")" in command'),
        (GO125, "template: t:1: unexpected right paren"),
    ):
        with pytest.raises(GoTemplateError) as info:
            parse("{{ 1) }}", "t", FUNCS, syntax)
        assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ break }}", "template: t:1: {{break}} outside {{range}}"),
        ("{{ if .A }}{{ continue }}{{ end }}", "template: t:1: {{continue}} outside {{range}}"),
        ("{{ range .A }}{{ break 1 }}{{ end }}", 'template: t:1: unexpected "1" in {{break}}'),
    ],
)
def test_break_and_continue_need_a_range_in_go125(text: str, message: str) -> None:
    with pytest.raises(GoTemplateError) as info:
        parse(text, "t", FUNCS, GO125)
    assert str(info.value) == message


def test_long_token_is_abbreviated_as_go_does() -> None:
    with pytest.raises(GoTemplateError) as info:
        parse('{{ .A "0123456789abc" }', "t", FUNCS)
    assert str(info.value) == 'template: t:1: unexpected "}" in operand'
    with pytest.raises(GoTemplateError) as info:
        parse("{{ template .Abcdefghijklm }}", "t", FUNCS)
    assert str(info.value) == 'template: t:1: unexpected ".Abcdefghi"... in template clause'


def test_trim_markers_remove_surrounding_whitespace() -> None:
    tree = parse("a \n\t{{- .Name -}} \n b", "t", FUNCS)
    texts = [n.text for n in tree.root.nodes if isinstance(n, TextNode)]
    assert texts == ["a", "b"]


def test_minus_without_space_is_a_number_not_a_trim() -> None:
    items = [i for i in lex("{{-3}}") if i.typ is ItemType.NUMBER]
    assert [i.val for i in items] == ["-3"]


def test_structure_of_a_pipeline() -> None:
    tree = parse("x{{ if .A }}{{ .B.C }}{{ end }}", "t", FUNCS)
    text, branch = tree.root.nodes
    assert isinstance(text, TextNode) and text.text == "x"
    assert isinstance(branch, BranchNode) and branch.kind == "if"
    (action,) = branch.list.nodes
    assert isinstance(action, ActionNode)
    (arg,) = action.pipe.cmds[0].args
    assert isinstance(arg, FieldNode) and arg.idents == ["B", "C"]


def test_defined_templates_are_collected() -> None:
    tree = parse('{{ define "a" }}A{{ end }}{{ block "b" . }}B{{ end }}', "t", FUNCS)
    assert sorted(tree.defined) == ["a", "b"]


def test_line_numbers_count_newlines_in_text_raw_strings_and_comments() -> None:
    for text in ("a\nb\n{{ foo }}", "{{ `x\ny` }}\n{{ foo }}", "{{/*\n*/}}\n{{ foo }}"):
        with pytest.raises(GoTemplateError) as info:
            parse(text, "t", FUNCS)
        assert info.value.line == 3, text
