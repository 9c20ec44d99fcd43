"""Each context's data and functions: what Kapacitor accepts passes, what always fails is refused."""

from __future__ import annotations

import pytest

from tickgen.gotemplate import context, template_problem
from tickgen.gotemplate.kapacitor import TEMPLATE_ARGS, tick_call_problems

V159, V183 = (1, 5, 9), (1, 8, 3)

ACCEPTED = [
    # (data, name, version, template)
    ("idInfo", "id", V159, "{{ .Name }}:{{ .TaskName }}:{{ .Group }}:{{ .Tags.host }}"),
    ("idInfo", "id", V159, "{{ .ServerInfo.Hostname }}{{ .ServerInfo.ClusterID }}"),
    ("idInfo", "id", V159, '{{ index .Tags "host-name" }}{{ .Tags.missing }}'),
    # fails only when the tag exists: a missing key is Go's invalid value, whose fields are empty
    ("idInfo", "id", V159, "{{ .Tags.missing.deeper }}{{ with .Tags }}{{ .a.b }}{{ end }}"),
    ("messageInfo", "message", V159, "{{ .ID }} {{ .Level }} {{ .Fields.x }} {{ .Duration }}"),
    ("messageInfo", "message", V159, "{{ .Time.Unix }} {{ .Time.UTC.Format `2006` }}"),
    ("messageInfo", "message", V159, "{{ .Time.Month.String }} {{ .Duration.Seconds }}"),
    ("messageInfo", "message", V159, "{{ if eq .Level `CRITICAL` }}!{{ end }}"),
    ("messageInfo", "message", V159, "{{ range $k, $v := .Tags }}{{ $k }}={{ $v }},{{ end }}"),
    ("messageInfo", "message", V159, "{{ with .Fields }}{{ .anything.deeper }}{{ end }}"),
    ("messageInfo", "message", V159, "{{ $x := .Tags }}{{ $x.host }}{{ $.Name }}"),
    ("messageInfo", "message", V159, '{{ printf "%.2f" (index .Fields "value") }}'),
    (
        "messageInfo",
        "message",
        V159,
        '{{ define "a" }}{{ .Whatever }}{{ end }}{{ template "a" . }}',
    ),
    ("messageInfo", "message", V183, "{{ .Time.UnixMilli }}"),
    ("detailsInfo", "details", V159, "{{ json . }}{{ .Message }}"),
    ("detailsInfo", "details", V183, "{{ jsonCompact . }}"),
    ("TemplateData", "resource", V159, "{{ .Message }}{{ .Details }}{{ .Level }}{{ .Fields.x }}"),
    ("eventData", "event", V159, "{{ .ID }}{{ .Name }}{{ .TaskName }}{{ .Group }}{{ .Tags.a }}"),
    ("Data", "kafka alert template", V159, "{{ .Level.String }}{{ .PreviousLevel }}"),
    ("Data", "kafka alert template", V159, '{{ if eq .Level.String "CRITICAL" }}!{{ end }}'),
    ("messageInfo", "message", V159, '{{ if eq .Level "CRITICAL" }}!{{ end }}'),  # a string
    ("Data", "kafka alert template", V159, "{{ range .Data.Series }}{{ .Name }}{{ end }}"),
    ("Data", "body", V159, "http://x/{{ json .Data }}"),
    ("EventData", "0", V183, "{{ .Category }}{{ .Result.Series }}{{ .Recoverable }}"),
    ("dataInfo", "node", V159, "{{ .ID }}{{ .Fields.x }}"),
    ("zenoss", "summary", V183, "{{ .Level.String }}{{ .Recoverable }}{{ .Time.Year }}"),
]


@pytest.mark.parametrize(("data", "name", "version", "text"), ACCEPTED)
def test_accepted(data: str, name: str, version: tuple[int, ...], text: str) -> None:
    assert template_problem(text, context(data, name, version)) is None


REFUSED = [
    ("idInfo", "id", V159, "{{ .ID }}", "can't evaluate field ID in type kapacitor.idInfo"),
    ("idInfo", "id", V159, "{{ .Level }}", "can't evaluate field Level in type kapacitor.idInfo"),
    (
        "messageInfo",
        "message",
        V159,
        "{{ .Message }}",
        "field Message in type kapacitor.messageInfo",
    ),
    (
        "detailsInfo",
        "details",
        V159,
        "{{ .Details }}",
        "field Details in type kapacitor.detailsInfo",
    ),
    ("eventData", "event", V159, "{{ .Level }}", "field Level in type alerta.eventData"),
    ("Data", "body", V159, "{{ .Name }}", "field Name in type alert.Data"),
    ("EventData", "0", V183, "{{ .ID }}", "field ID in type alert.EventData"),
    ("dataInfo", "node", V159, "{{ .Group }}", "field Group in type servicenow.dataInfo"),
    ("zenoss", "summary", V183, "{{ .Fields }}", "can't evaluate field Fields"),
    ("messageInfo", "message", V159, "{{ .Name.Length }}", "field Length in type string"),
    ("messageInfo", "message", V159, "{{ .Time.Hours }}", "field Hours in type time.Time"),
    ("messageInfo", "message", V159, "{{ .Time.UnixMilli }}", "field UnixMilli in type time.Time"),
    ("messageInfo", "message", V159, "{{ $.Nope }}", "field Nope in type kapacitor.messageInfo"),
    ("messageInfo", "message", V159, "{{ json . }}", 'function "json" not defined'),
    ("detailsInfo", "details", V159, "{{ jsonCompact . }}", 'function "jsonCompact" not defined'),
    (
        "messageInfo",
        "message",
        V159,
        "{{ len .Name .ID }}",
        "wrong number of args for len: want 1 got 2",
    ),
    (
        "messageInfo",
        "message",
        V159,
        "{{ .Name | len 1 }}",
        "wrong number of args for len: want 1 got 2",
    ),
    ("messageInfo", "message", V159, "{{ lt 1 }}", "wrong number of args for lt: want 2 got 1"),
    (
        "messageInfo",
        "message",
        V159,
        "{{ index }}",
        "wrong number of args for index: want at least 1 got 0",
    ),
    ("detailsInfo", "details", V159, "{{ json }}", "wrong number of args for json: want 1 got 0"),
    ("messageInfo", "message", V159, '{{ template "x" }}', 'template "x" not defined'),
    (
        "Data",
        "kafka alert template",
        V159,
        '{{ if eq .Level "CRITICAL" }}!{{ end }}',
        "error calling eq: incompatible types for comparison",
    ),
]


@pytest.mark.parametrize(("data", "name", "version", "text", "expected"), REFUSED)
def test_refused(data: str, name: str, version: tuple[int, ...], text: str, expected: str) -> None:
    problem = template_problem(text, context(data, name, version))
    assert problem is not None
    assert problem.startswith(f"template: {name}:1: ")
    assert expected in problem


def test_the_message_says_what_would_be_right() -> None:
    ctx = context("messageInfo", "message", V159)
    unknown_field = template_problem("{{ .Message }}", ctx)
    assert unknown_field == (
        "template: message:1: can't evaluate field Message in type kapacitor.messageInfo "
        "(Go template; the fields here are .Duration, .Fields, .Group, .ID, .Level, .Name, "
        ".ServerInfo, .Tags, .TaskName, .Time)"
    )
    unknown_function = template_problem("{{ foo }}", ctx)
    assert unknown_function == (
        'template: message:1: function "foo" not defined (Go template; the functions here are '
        "and, call, eq, ge, gt, html, index, js, le, len, lt, ne, not, or, print, printf, "
        "println, slice, urlquery)"
    )
    newline = template_problem("{{ .ID\n}}", ctx)
    assert newline is not None and "does not allow a newline inside {{ }}" in newline
    assert template_problem("{{ .ID\n}}", context("messageInfo", "message", V183)) is None


def test_tick_calls_find_their_context() -> None:
    assert tick_call_problems(None, "message", ["{{ .ID }}"], V159) == []
    (problem,) = tick_call_problems(None, "id", ["{{ .ID }}"], V159)
    assert problem.startswith("template: id:1: can't evaluate field ID")
    (problem,) = tick_call_problems("alerta", "services", ["ok", "{{ .Nope }}"], V159)
    assert problem.startswith("template: service:1: ")
    (problem,) = tick_call_problems("pagerDuty2", "link", ["{{ .ID }}", "{{ x }}"], V159)
    assert problem.startswith('template: text:1: function "x"')
    # string attribute values are templates from 1.8; numbers never are
    assert tick_call_problems("alerta", "attribute", ["k", "{{ x }}"], V159) == []
    assert tick_call_problems("alerta", "attribute", ["k", "{{ x }}"], V183)
    assert tick_call_problems("alerta", "attribute", ["k", 5], V183) == []
    # a non-template property of a handler is left alone
    assert tick_call_problems("alerta", "origin", ["{{"], V159) == []
    # after a handler without .message(), Kapacitor sets the alert's
    assert tick_call_problems("slack", "message", ["{{"], V159)
    # values the checker cannot know (a lambda, a variable of unknown value) are skipped
    assert tick_call_problems(None, "message", [None], V159) == []


def test_every_table_entry_names_a_known_context() -> None:
    for (handler, method), spec in TEMPLATE_ARGS.items():
        ctx = context(spec.data, spec.name, V183)
        assert ctx.data.kind == "struct", (handler, method)


DETAILS = context("detailsInfo", "details", V159)


@pytest.mark.parametrize(
    "text",
    [
        "{{ json . }}",
        "<b>{{ .ID }}</b> 1 < 2 <br/> <a href={{ .ID }}>x</a>",
        "<p class='x'>{{ .Message }}</p><!-- c -->",
        "<script>var d = {{ json . }};</script><style>p { }</style>",
        "{{ if .ID }}<a{{ end }}",  # branches: the end state is not followed
        "a <- b, a <= b, 3<4",
    ],
)
def test_details_html_that_ends_in_text(text: str) -> None:
    assert template_problem(text, DETAILS) is None


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ('<a href="{{ .ID }}', "stateAttr"),
        ("x<b {{ .ID }}", "stateAttrName"),
        ("x<b ", "stateTag"),
        ("<!-- {{ .ID }}", "stateHTMLCmt"),
        ("<script>var d = {{ json . }};", "stateJS"),
        ("<style>p {", "stateCSS"),
        ("<title>{{ .ID }}", "stateRCDATA"),
        ("<a href=", "stateBeforeValue"),
    ],
)
def test_details_html_that_ends_inside_markup_fails_every_event(text: str, state: str) -> None:
    problem = template_problem(text, DETAILS)
    assert problem is not None
    assert problem.startswith(f"html/template:details: ends in a non-text context: {state} (")
    assert "stops the alert node" in problem


def test_details_html_quote_in_attribute_name() -> None:
    problem = template_problem('<a "x">{{ .ID }}</a>', DETAILS)
    assert problem is not None and "in an attribute name" in problem
    # only the details are html/template
    assert template_problem("<a", context("messageInfo", "message", V159)) is None


def test_html_scan_ends_on_any_whitespace_in_a_tag() -> None:
    # \v and Unicode spaces are not HTML whitespace: they belong to an attribute's
    # name (Go's html/template); the scan once looped forever on them
    from tickgen.gotemplate.html import _scan

    assert _scan("<a \x0b") == "stateAttrName"
    assert _scan("<a \u2003b=1>") is None
    assert _scan("<p \x0bclass='x'>text") is None
