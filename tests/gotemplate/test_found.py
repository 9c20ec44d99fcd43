"""Regressions for the differential test's Go-template classes (notes D2, D3, D4).

Each reproducer was refused by kapacitord 1.5.9 at task start (HTTP 500) with the
text shown; tickgen now refuses it first, offline, with the same Go words, the
file:line and the parameter path (D3, the name, is written escaped and accepted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen.cli import main

BASE = """\
template: threshold
id: found
database: telegraf
measurement: cpu
field: usage
crit: {op: '>', value: 90}
topic: found
"""

FOUND = [
    ("message: '{{ .Name'", "message", "template: message:1: unclosed action"),
    ("details: '{{/* x }}'", "details", "template: details:1: unclosed comment"),
    (
        "alert_id: '{{ nosuchfunc }}'",
        "alert_id",
        'template: id:1: function "nosuchfunc" not defined',
    ),
    ("message: '{{ end }}'", "message", "template: message:1: unexpected {{end}}"),
    ("message: '{{ $x }}'", "message", 'template: message:1: undefined variable "$x"'),
    ("message: 'a{{10%}\\'", "message", 'template: message:1: unexpected "%" in operand'),
    ("message: '{{ .Name/*a'", "message", "template: message:1: bad character U+002F '/'"),
    (
        "message: '{{ \"unterminated }}'",
        "message",
        "template: message:1: unterminated quoted string",
    ),
    ("message: '{{ }}'", "message", "template: message:1: missing value for command"),
    ("message: '{{ if .Name }}'", "message", "template: message:1: unexpected EOF"),
    (
        "details: '{{/* x */ }}'",
        "details",
        "template: details:1: comment ends before closing delimiter",
    ),
    ("message: '{{ a\\b }}'", "message", "template: message:1: bad character U+005C '\\'"),
    (
        "handlers: [{kind: alerta, resource: '{{ .Name'}]",
        "handlers[0].resource",
        "template: resource:1: unclosed action",
    ),
    (
        "handlers: [{kind: mqtt, topic: '{{ .Name'}]",
        "handlers[0].topic",
        "template: topic:1: unclosed action",
    ),
    (
        "handlers: [{kind: pagerDuty2, links: [{href: '{{ .Name'}]}]",
        "handlers[0].links[0].href",
        "template: href:1: unclosed action",
    ),
    (
        "handlers: [{kind: sensu, source: '{{ .Name'}]",
        "handlers[0].source",
        "template: source:1: unclosed action",
    ),
    (
        "handlers: [{kind: snmpTrap, trap_oid: '1.1', data: [{oid: '1.1.1', type: s, "
        "value: '{{ .Name'}]}]",
        "handlers[0].data[0].value",
        "template: data:1: unclosed action",
    ),
    (
        "handlers: [{kind: post, url: '{{ .Name'}]",
        "handlers[0].url",
        "template: body:1: unclosed action",
    ),
    (
        "handlers: [{kind: alerta, services: [ok, '{{ .Name']}]",
        "handlers[0].services[1]",
        "template: service:1: unclosed action",
    ),
    (
        "handlers: [{kind: pagerDuty2, links: [{href: x, text: '{{ .Name'}]}]",
        "handlers[0].links[0].text",
        "template: text:1: unclosed action",
    ),
]


@pytest.mark.parametrize(
    ("extra", "path", "server_says"), FOUND, ids=[f[1] + ":" + f[2][-20:] for f in FOUND]
)
def test_refused_offline_with_the_server_s_words(
    extra: str, path: str, server_says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "found.yaml"
    file.write_text(BASE + extra + "\n", encoding="utf-8")
    assert main(["validate", "--kapacitor-version", "1.5.9", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:8: {path}: {server_says} (Go template" in err


@pytest.mark.parametrize("name", ["cpu {{ high", "true{{ .Namecpu", "{{", "a {{- b }}"])
def test_a_name_with_braces_is_valid(name: str, tmp_path: Path) -> None:
    file = tmp_path / "found.yaml"
    file.write_text(BASE + f"name: {name!r}\ngroup_by: [host]\n", encoding="utf-8")
    assert main(["validate", "--kapacitor-version", "1.5.9", str(file)]) == 0
