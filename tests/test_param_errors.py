"""Malformed parameter files: each gives a clear error naming the file, line and parameter, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen.cli import main

OK = """template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
"""


def _listed(*alerts: str) -> str:
    return "alerts:\n" + "".join("  - " + a.replace("\n", "\n    ").rstrip() + "\n" for a in alerts)


# file name -> (content, expected error line after "tickgen: error: ")
CASES: dict[str, tuple[str, str]] = {
    "wrong_type.yaml": (
        OK.replace("value: 90", "value: [90]"),
        "wrong_type.yaml:6: crit.value: [90] is a list; write a number, a string or a boolean (true/false)",
    ),
    "wrong_type_string.yaml": (
        OK + "group_by: host\n",
        "wrong_type_string.yaml:7: group_by: 'host' is not a list",
    ),
    "unknown_key.yaml": (
        OK + "feild: x\n",
        "unknown_key.yaml:7: feild: unknown parameter 'feild' (did you mean 'field'?)",
    ),
    "unknown_nested_key.yaml": (
        OK.replace('crit: {op: ">", value: 90}', 'crit: {op: ">", value: 90, level: 2}'),
        "unknown_nested_key.yaml:6: crit.level: unknown parameter 'level'",
    ),
    "fractional_duration.yaml": (
        OK + "aggregate: {function: mean, period: 1.5s, every: 1m}\n",
        "fractional_duration.yaml:7: aggregate.period: '1.5s' is not a duration: write an integer and one unit",
    ),
    "nanosecond_duration.yaml": (
        OK + "aggregate: {function: mean, period: 10ns, every: 1m}\n",
        "nanosecond_duration.yaml:7: aggregate.period: '10ns' is not a duration",
    ),
    "compound_duration.yaml": (
        OK + "aggregate: {function: mean, period: 1m30s, every: 1m}\n",
        "compound_duration.yaml:7: aggregate.period: '1m30s' is not a duration",
    ),
    "number_duration.yaml": (
        OK.replace("template: threshold", "template: relative") + "shift: 600\n",
        "number_duration.yaml:7: shift: 600 is not a duration greater than zero (such as 10s, 5m "
        "or 1h); a duration needs its unit: 600s, 600m, ...",
    ),
    "bad_id.yaml": (
        OK.replace("id: cpu", "id: cpu alert!"),
        "bad_id.yaml:2: id: task id 'cpu alert!' contains ' ': Kapacitor allows only letters, digits, '-', '.' and '_'",
    ),
    "empty_id.yaml": (OK.replace("id: cpu", "id: ''"), "empty_id.yaml:2: id: must not be empty"),
    "empty_group_tag.yaml": (
        OK + "group_by: ['']\n",
        "empty_group_tag.yaml:7: group_by[0]: must not be empty",
    ),
    "repeated_group_tag.yaml": (
        OK + "group_by: [host, host]\n",
        "repeated_group_tag.yaml:7: group_by: group_by lists ['host'] more than once",
    ),
    "unknown_template.yaml": (
        OK.replace("template: threshold", "template: treshold"),
        "unknown_template.yaml:1: template: unknown template 'treshold'; known templates: threshold, relative, deadman",
    ),
    "no_template.yaml": (
        OK.replace("template: threshold\n", ""),
        "no_template.yaml:1: missing required parameter 'template' (one of: threshold, relative, deadman)",
    ),
    "broken.yaml": (
        OK + "crit: [\n",
        "broken.yaml:8: invalid YAML: did not find expected node content",
    ),
    "tab_indent.yaml": (OK + "where:\n\thost: [a]\n", "tab_indent.yaml:8: invalid YAML"),
    "missing_field.yaml": (
        OK.replace("field: usage_user\n", ""),
        "missing_field.yaml:1: missing required parameter 'field'",
    ),
    "missing_crit.yaml": (
        OK.replace('crit: {op: ">", value: 90}\n', ""),
        "missing_crit.yaml:1: missing required parameter 'crit'",
    ),
    "bad_operator.yaml": (
        OK.replace('op: ">"', 'op: "=>"'),
        "bad_operator.yaml:6: crit.op: '=>' is not one of '!=', '<', '<=', '==', '>', '>=', 'inside', 'outside' (did you mean '>'?)",
    ),
    "range_without_upper.yaml": (
        OK.replace('crit: {op: ">", value: 90}', "crit: {op: inside, lower: 1}"),
        "range_without_upper.yaml:6: crit: missing required parameter 'upper'",
    ),
    "range_reversed.yaml": (
        OK.replace('crit: {op: ">", value: 90}', "crit: {op: inside, lower: 10, upper: 1}"),
        "range_reversed.yaml:6: crit.upper: upper (1) must not be less than lower (10)",
    ),
    "range_bool_bound.yaml": (
        OK.replace('crit: {op: ">", value: 90}', "crit: {op: outside, lower: true, upper: 3}"),
        "range_bool_bound.yaml:6: crit.lower: true is not a number",
    ),
    "unknown_aggregate.yaml": (
        OK + "aggregate: {function: avg, period: 1m, every: 1m}\n",
        "unknown_aggregate.yaml:7: aggregate.function: 'avg' is not one of 'mean', 'median'",
    ),
    "percentile_out_of_range.yaml": (
        OK + "aggregate: {function: percentile, period: 1m, every: 1m, percentile: 150}\n",
        "percentile_out_of_range.yaml:7: aggregate.percentile: 150 must be at most 100",
    ),
    "percentile_missing.yaml": (
        OK + "aggregate: {function: percentile, period: 1m, every: 1m}\n",
        "percentile_missing.yaml:7: aggregate: function percentile needs the percentile (above 0, at most 100)",
    ),
    "yaml_boolean_status.yaml": (
        OK + "status: on\n",
        "yaml_boolean_status.yaml:7: status: true is not one of 'enabled', 'disabled' (YAML reads "
        "on, off, yes and no as true/false: quote the value)",
    ),
    "duplicate_key.yaml": (
        OK + "database: other\n",
        "duplicate_key.yaml:7: invalid YAML: duplicate key 'database' (first on line 3)",
    ),
    "list_of_numbers.yaml": (
        "- 1\n- 2\n",
        "list_of_numbers.yaml:1: [0]: an alert must be a mapping of parameters",
    ),
    "scalar.yaml": (
        "hello\n",
        "scalar.yaml:1: expected an alert (a mapping with 'template'), a list of alerts",
    ),
    "empty_where_values.yaml": (
        OK + "where: {host: []}\n",
        "empty_where_values.yaml:7: where.host: must not be an empty list",
    ),
    "direction_with_absolute.yaml": (
        OK.replace("template: threshold", "template: relative")
        + "shift: 1m\nchange: absolute\ndirection: increase\n",
        "direction_with_absolute.yaml:9: direction: direction applies to change: percent only",
    ),
    "relative_without_shift.yaml": (
        OK.replace("template: threshold", "template: relative"),
        "relative_without_shift.yaml:1: missing required parameter 'shift'",
    ),
    "deadman_with_crit.yaml": (
        OK.replace("template: threshold", "template: deadman") + "period: 1m\n",
        "deadman_with_crit.yaml:6: crit: unknown parameter 'crit'; allowed:",
    ),
    "negative_deadman_threshold.yaml": (
        "template: deadman\nid: d\ndatabase: db\nmeasurement: m\nperiod: 1m\nthreshold: -1\n",
        "negative_deadman_threshold.yaml:6: threshold: -1 must be at least 0",
    ),
    "unknown_handler.yaml": (
        OK + "handlers: [{kind: pigeon}]\n",
        "unknown_handler.yaml:7: handlers[0].kind: 'pigeon' is not one of 'alerta', 'bigPanda'",
    ),
    "handler_missing_property.yaml": (
        OK + "handlers: [{kind: tcp}]\n",
        "handler_missing_property.yaml:7: handlers[0]: missing required parameter 'address'",
    ),
    "handler_too_new.yaml": (
        OK
        + "handlers: [{kind: email, to: [a@example.com], to_templates: ['{{.ID}}@example.com']}]\n",
        "handler_too_new.yaml:7: handlers[0].to_templates: ",
    ),
    "duplicate_ids.yaml": (
        _listed(OK, OK),
        "duplicate_ids.yaml:9: alerts[1].id: duplicate task id 'cpu': also defined at",
    ),
    "bad_default.yaml": (
        "defaults:\n  database: 5\n" + _listed(OK.replace("database: telegraf\n", "")),
        "bad_default.yaml:2: defaults.database: 5 is not a string",
    ),
    "extra_top_level.yaml": (
        "defaults: {}\nalerts: []\nfoo: 1\n",
        "extra_top_level.yaml:3: foo: unknown key 'foo' next to 'alerts'",
    ),
    "alerts_not_list.yaml": (
        "alerts: {a: 1}\n",
        "alerts_not_list.yaml:1: alerts: must be a list of alerts",
    ),
    "bad_json.json": (
        '{"template": "threshold", "id": }',
        "bad_json.json:1: invalid JSON: Expecting value (column 33)",
    ),
    "duplicate_json_key.json": (
        '{"template": "threshold", "template": "x"}',
        "duplicate_json_key.json:1: invalid JSON: duplicate key 'template'",
    ),
    "json_wrong_type.json": (
        '{\n  "template": "threshold",\n  "id": "j",\n  "database": "db",\n  "measurement": "m",\n'
        '  "field": "f",\n  "crit": {"op": ">", "value": "90"},\n  "history": "many"\n}\n',
        "json_wrong_type.json:8: history: 'many' is not a whole number from 2 to 10000 or null",
    ),
    "bad_toml.toml": (
        'template = "threshold"\nid = \n',
        "bad_toml.toml:2: invalid TOML: Invalid value (column 6)",
    ),
    "toml_wrong_type.toml": (
        'template = "threshold"\nid = "t"\ndatabase = "db"\nmeasurement = "m"\nfield = "f"\n'
        'crit = {op = ">", value = 1}\nno_recoveries = "yes"\n',
        "toml_wrong_type.toml:7: no_recoveries: 'yes' is not a boolean (true/false) (write true or false without quotes)",
    ),
    "wrong_suffix.txt": (
        "x",
        "wrong_suffix.txt: not a parameter file: use .yaml, .yml, .json or .toml",
    ),
}


# Offline commands check for the newest Kapacitor unless told otherwise.
OPTIONS = {"handler_too_new.yaml": ["--kapacitor-version", "1.5"]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, expected = CASES[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["validate", *OPTIONS.get(name, []), str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert f"tickgen: error: {tmp_path}/{expected}" in captured.err, captured.err


def test_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


def test_all_problems_of_all_files_are_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text(OK.replace("value: 90", "value: [1]") + "feild: 1\n")
    (tmp_path / "b.yaml").write_text(
        OK.replace("id: cpu", "id: other").replace("measurement: cpu\n", "")
    )
    assert main(["render", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}/a.yaml:6: crit.value:" in err
    assert f"{tmp_path}/a.yaml:7: feild:" in err
    assert f"{tmp_path}/b.yaml:1: missing required parameter 'measurement'" in err


def test_nothing_is_printed_or_written_when_one_alert_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = OK.replace("id: cpu", "id: good")
    (tmp_path / "params.yaml").write_text(_listed(good, OK.replace("field: usage_user\n", "")))
    out_dir = tmp_path / "out"
    assert main(["render", str(tmp_path / "params.yaml")]) == 1
    assert capsys.readouterr().out == ""
    assert main(["render", "--out", str(out_dir), str(tmp_path / "params.yaml")]) == 1
    assert not out_dir.exists()  # not even the directory: nothing is written


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert f"{tmp_path}/nope.yaml: no such file or directory" in capsys.readouterr().err
