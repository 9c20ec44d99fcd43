"""Every class of parameter error says what is wrong and what would be right.

One row per class: JSON Schema keywords (each type, with what the schema's own
pattern, x- annotations, range and examples say), unions, the built-in models'
own validators, and the loading of parameter files.  Schema rows run
:class:`tickgen.schema.SchemaCheck` on a small schema, so a user template's
schema gets the same words; the model rows go through ``tickgen validate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tickgen.cli import main
from tickgen.schema import POSITIVE_DURATION_PATTERN, SchemaCheck
from tickgen.tick.quote import DURATION_RE

DURATION = {"type": "string", "pattern": f"^{DURATION_RE.pattern}$"}
POSITIVE = {"type": "string", "pattern": POSITIVE_DURATION_PATTERN, "examples": ["5m"]}

# class -> (schema, value, expected path, expected message)
SCHEMA_CASES: dict[str, tuple[dict[str, Any], Any, tuple[str | int, ...], str]] = {
    "type string": ({"type": "string"}, 5, (), "5 is not a string"),
    "type string with examples": (
        {"type": "string", "examples": ["telegraf"]},
        5,
        (),
        "5 is not a string (such as 'telegraf')",
    ),
    "type number with range": (
        {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        "x",
        (),
        "'x' is not a number above 0 and at most 100",
    ),
    "type quoted number": (
        {"type": "integer", "minimum": 1, "maximum": 10},
        "7",
        (),
        "'7' is not a whole number from 1 to 10 (write the number without quotes: 7)",
    ),
    "type boolean spelled as text": (
        {"type": "boolean"},
        "yes",
        (),
        "'yes' is not a boolean (true/false) (write true or false without quotes)",
    ),
    "type string read as boolean by YAML": (
        {"type": "string"},
        True,
        (),
        "true is not a string (YAML reads on, off, yes and no as true/false: quote the value)",
    ),
    "type list given a mapping": ({"type": "array"}, {"a": 1}, (), "{'a': 1} is a mapping; write a list"),
    "type mapping given a list": ({"type": "object"}, [1], (), "[1] is a list; write a mapping (key: value)"),
    "type mapping with an example": (
        {"type": "object", "examples": [{"op": ">", "value": 90}, {"op": "<", "value": 1}]},
        5,
        (),
        '5 is not a mapping (key: value) (such as {"op": ">", "value": 90})',
    ),
    "type list given one value": (
        {"type": "array"},
        "web1",
        (),
        "'web1' is not a list (a list of one is written [web1])",
    ),
    "type duration (number without unit)": (
        DURATION,
        5,
        (),
        "5 is not a duration (such as 10s, 5m or 1h); a duration needs its unit: 5s, 5m, ...",
    ),
    "type positive duration, examples from the schema": (
        POSITIVE,
        5,
        (),
        "5 is not a duration greater than zero (such as 5m); a duration needs its unit: 5s, 5m, ...",
    ),
    "type Go template": (
        {"type": "string", "x-go-template": "message"},
        5,
        (),
        "5 is not a string (Go template text, such as '{{ .ID }} is {{ .Level }}')",
    ),
    "type enum of strings": (
        {"type": "string", "enum": ["enabled", "disabled"]},
        1,
        (),
        "1 is not one of 'enabled', 'disabled'",
    ),
    "type union of boolean and duration": (
        {"type": ["boolean", "string"], "pattern": f"^{DURATION_RE.pattern}$"},
        5,
        (),
        "5 is not a duration (such as 10s, 5m or 1h) or a boolean (true/false); "
        "a duration needs its unit: 5s, 5m, ...",
    ),
    "enum with did-you-mean": (
        {"enum": ["mean", "median"]},
        "meen",
        (),
        "'meen' is not one of 'mean', 'median' (did you mean 'mean'?)",
    ),
    "enum with a case slip": (
        {"enum": ["mean", "median"]},
        "MEDIAN",
        (),
        "'MEDIAN' is not one of 'mean', 'median' (did you mean 'median'?)",
    ),
    "const": ({"const": "threshold"}, "relative", (), "must be 'threshold', not 'relative'"),
    "pattern duration": (
        DURATION,
        "1m30s",
        (),
        "'1m30s' is not a duration: write an integer and one unit of u, µ, ms, s, m, h, d, w "
        "(for example 10s, 5m, 1h)",
    ),
    "pattern positive duration, zero": (
        POSITIVE,
        "0s",
        (),
        "'0s' is zero: Kapacitor needs a duration greater than zero here and refuses the task "
        "when it starts; write at least 1s",
    ),
    "pattern positive duration, not a duration": (
        POSITIVE,
        "5 minutes",
        (),
        "'5 minutes' is not a duration: write an integer and one unit of u, µ, ms, s, m, h, d, "
        "w, greater than zero (for example 5m)",
    ),
    "pattern with its reason": (
        {"type": "string", "pattern": "^/", "x-tickgen-error": "is not an absolute path"},
        "a.log",
        (),
        "'a.log' is not an absolute path",
    ),
    "pattern from description and examples": (
        {
            "type": "string",
            "pattern": "^[a-z]+$",
            "description": "A lower-case name. Used in ids.",
            "examples": ["cpu"],
        },
        "CPU",
        (),
        "'CPU' does not match the pattern '^[a-z]+$' (A lower-case name); write one such as 'cpu'",
    ),
    "minimum": ({"type": "integer", "minimum": 2}, 1, (), "1 must be at least 2"),
    "maximum with the range": (
        {"type": "integer", "minimum": 2, "maximum": 10},
        11,
        (),
        "11 must be at most 10 (allowed: from 2 to 10)",
    ),
    "exclusiveMinimum": (
        {"type": "number", "exclusiveMinimum": 0},
        0,
        (),
        "0 must be greater than 0",
    ),
    "exclusiveMaximum": (
        {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
        1,
        (),
        "1 must be less than 1 (allowed: at least 0 and below 1)",
    ),
    "multipleOf": ({"type": "integer", "multipleOf": 5}, 7, (), "7 is not a multiple of 5; write one such as 10"),
    "minLength 1 with purpose": (
        {"type": "string", "minLength": 1, "description": "Database to read from."},
        "",
        (),
        "must not be empty: write a value (Database to read from)",
    ),
    "minLength 1 with example": (
        {"type": "string", "minLength": 1, "examples": ["telegraf"]},
        "",
        (),
        "must not be empty: write a value such as 'telegraf'",
    ),
    "minLength above 1": ({"type": "string", "minLength": 3}, "ab", (), "'ab' has 2 characters; write at least 3"),
    "maxLength": ({"type": "string", "maxLength": 3}, "abcd", (), "'abcd' has 4 characters; write at most 3"),
    "minItems 1": ({"type": "array", "minItems": 1}, [], (), "must not be an empty list: give at least one item"),
    "minItems": ({"type": "array", "minItems": 2}, [1], (), "has 1 item; give at least 2"),
    "maxItems": ({"type": "array", "maxItems": 2}, [1, 2, 3], (), "has 3 items; give at most 2"),
    "uniqueItems": (
        {"type": "array", "uniqueItems": True},
        ["host", "region", "host"],
        (),
        "lists 'host' more than once; give each item once",
    ),
    "minProperties": ({"type": "object", "minProperties": 1}, {}, (), "must not be an empty mapping (it has 0)"),
    "maxProperties": ({"type": "object", "maxProperties": 1}, {"a": 1, "b": 2}, (), "has 2 keys; at most 1 are allowed"),
    "required with example and purpose": (
        {
            "type": "object",
            "required": ["shift"],
            "properties": {
                "shift": {**POSITIVE, "description": "How far back the value lies. More."}
            },
        },
        {},
        (),
        "missing required parameter 'shift'; add it, e.g. shift: 5m (How far back the value lies)",
    ),
    "required, one of several (anyOf)": (
        {"anyOf": [{"required": ["url"]}, {"required": ["endpoint"]}]},
        {},
        (),
        "missing required parameter: give 'url' or 'endpoint'",
    ),
    "dependentRequired": (
        {"type": "object", "dependentRequired": {"lower": ["upper"]}},
        {"lower": 1},
        (),
        "'upper' is needed with 'lower'",
    ),
    "additionalProperties with did-you-mean": (
        {"type": "object", "properties": {"field": {}}, "additionalProperties": False},
        {"feild": 1},
        ("feild",),
        "unknown parameter 'feild' (did you mean 'field'?)",
    ),
    "additionalProperties listing what is allowed": (
        {"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": False},
        {"zzz": 1},
        ("zzz",),
        "unknown parameter 'zzz'; allowed: a, b",
    ),
    "additionalProperties with nothing allowed": (
        {"type": "object", "additionalProperties": False},
        {"x": 1},
        ("x",),
        "unknown parameter 'x': none is allowed here",
    ),
    "propertyNames: said of the key, at the key": (
        {"type": "object", "propertyNames": {"minLength": 1, "description": "A tag name."}},
        {"": ["a"]},
        ("",),
        "the key '': must not be empty: write a value (A tag name)",
    ),
    "anyOf: every type wrong": (
        {"anyOf": [{"type": "number"}, {"type": "string", "examples": ["10"]}]},
        [1],
        (),
        "[1] is a list; write a number or a string (such as '10')",
    ),
    "anyOf: the branch of the right type speaks": (
        {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]},
        0,
        (),
        "0 must be at least 1",
    ),
    "oneOf: no branch": (
        {"oneOf": [{"type": "integer"}, DURATION]},
        True,
        (),
        "true is not a whole number or a duration (such as 10s, 5m or 1h)",
    ),
    "oneOf: more than one branch": (
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        1,
        (),
        "1 fits more than one of the allowed forms; make it fit exactly one",
    ),
    "if/then on a tag (the then's reason)": (
        {
            "type": "object",
            "if": {"properties": {"value": {"type": "boolean"}}, "required": ["value"]},
            "then": {
                "properties": {
                    "op": {"enum": ["==", "!="], "x-tickgen-error": "cannot order booleans; use =="}
                }
            },
        },
        {"op": ">", "value": True},
        ("op",),
        "'>' cannot order booleans; use ==",
    ),
    "not": ({"not": {"const": "x"}}, "x", (), "'x' is not allowed here (it must not be 'x')"),
}


@pytest.mark.parametrize("name", sorted(SCHEMA_CASES))
def test_schema_error_class(name: str) -> None:
    schema, value, path, message = SCHEMA_CASES[name]
    assert SchemaCheck(schema).errors(value) == [(path, message)]


def test_every_keyword_tickgen_schemas_use_has_a_row() -> None:
    """The keywords the shipped schemas can fail on, each covered above."""
    import json

    root = Path(__file__).resolve().parent.parent
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used.update(k for k in node if not k.startswith(("x-", "$")))
            for key, value in node.items():
                if key not in ("properties", "$defs", "examples", "default"):
                    walk(value)
                elif key in ("properties", "$defs"):
                    for sub in value.values():
                        walk(sub)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in [*root.glob("schemas/**/*.schema.json"), *root.glob("examples/**/*.schema.json")]:
        walk(json.loads(path.read_text(encoding="utf-8")))
    failing = used - {
        "description", "title", "default", "examples", "properties", "items", "allOf",
        "discriminator", "if", "then", "$ref", "$defs", "$schema", "$id",
    }  # fmt: skip
    covered = {row.split(" ")[0].rstrip(":") for row in SCHEMA_CASES}
    covered |= {"if", "anyOf", "oneOf"}
    assert failing <= covered, failing - covered


OK = """template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
"""

# The built-in models' own validators and the loading of files, through the command.
# name -> (content, expected line after "tickgen: error: <dir>/<name>")
CLI_CASES: dict[str, tuple[str, str]] = {
    "issue_example.yaml": (
        OK + "aggregate: {function: mean, period: 5, every: 1m}\n",
        ":7: aggregate.period: 5 is not a duration greater than zero (such as 10s, 5m or 1h); "
        "a duration needs its unit: 5s, 5m, ...",
    ),
    "range_reversed.yaml": (
        OK.replace('crit: {op: ">", value: 90}', "crit: {op: inside, lower: 10, upper: 1}"),
        ":6: crit.upper: upper (1) must not be less than lower (10): swap them "
        "(lower: 1, upper: 10)",
    ),
    "flapping_reversed.yaml": (
        OK + "flapping: {low: 0.5, high: 0.2}\n",
        ":7: flapping.high: high (0.2) must not be less than low (0.5): flapping starts above "
        "high and stops below low, e.g. low: 0.25, high: 0.5",
    ),
    "percentile_elsewhere.yaml": (
        OK + "aggregate: {function: mean, period: 1m, every: 1m, percentile: 5}\n",
        ":7: aggregate.percentile: percentile applies to function percentile only, not mean: "
        "remove it, or write function: percentile",
    ),
    "group_by_twice.yaml": (
        OK + "group_by: [host, host]\n",
        ":7: group_by: group_by lists ['host'] more than once: list each tag once",
    ),
    "post_without_url.yaml": (
        OK + "handlers: [{kind: post}]\n",
        ":7: handlers[0]: missing required parameter: give 'url' or 'endpoint'",
    ),
    "crit_not_a_mapping.yaml": (
        OK.replace('crit: {op: ">", value: 90}', "crit: 90"),
        ':6: crit: 90 is not a mapping (key: value) (such as {"op": ">", "value": 90})',
    ),
    "handler_without_kind.yaml": (
        OK + "handlers: [{channel: '#ops'}]\n",
        ":7: handlers[0]: missing required parameter 'kind'",
    ),
    "property_too_new.yaml": (
        OK + "handlers: [{kind: email, to: [a@example.com], to_templates: ['{{.ID}}@x.com']}]\n",
        ":7: handlers[0].to_templates: email handler property to_templates needs Kapacitor "
        "1.6.3 or newer; the target is 1.5: leave it out for that version",
    ),
    "handler_too_new.yaml": (
        OK + "handlers: [{kind: zenoss}]\n",
        ":7: handlers[0]: zenoss handler needs Kapacitor 1.6.0 or newer; the target is 1.5: "
        "send these alerts another way there, or upgrade it",
    ),
    "huge_integer.yaml": (
        OK.replace("value: 90", "value: 99999999999999999999"),
        ":6: crit.value: 99999999999999999999 does not fit in a 64-bit integer: write a whole "
        "number from -9223372036854775807 to 9223372036854775807",
    ),
    "log_mode.yaml": (
        OK + "handlers: [{kind: log, path: /tmp/a.log, mode: '0999'}]\n",
        ":7: handlers[0].mode: '0999' is not a file mode: write a 0 and one to four octal "
        "digits (0-7) in quotes, such as '0644'",
    ),
    "parse_mode.yaml": (
        OK + "handlers: [{kind: telegram, parse_mode: text}]\n",
        ":7: handlers[0].parse_mode: 'text' is not a Telegram parse mode: write Markdown or "
        "HTML (in any case), or leave it empty for plain text",
    ),
    "alert_not_mapping.yaml": (
        "alerts:\n  - 5\n",
        ":2: alerts[0]: an alert must be a mapping of parameters, such as "
        "{template: threshold, id: cpu_high, ...}",
    ),
    "defaults_not_mapping.yaml": (
        "defaults: 5\nalerts: []\n",
        ":1: defaults: must be a mapping of parameters shared by the alerts, such as "
        "{database: telegraf}",
    ),
    "alerts_not_list.yaml": (
        "alerts: {a: 1}\n",
        ":1: alerts: must be a list of alerts (each item a mapping such as "
        "{template: threshold, id: cpu_high, ...})",
    ),
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_model_and_file_error_class(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expected = CLI_CASES[name]
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert main(["validate", "--kapacitor-version", "1.5", str(tmp_path / name)]) == 1
    err = capsys.readouterr().err
    assert f"tickgen: error: {tmp_path}/{name}{expected}\n" in err, err
