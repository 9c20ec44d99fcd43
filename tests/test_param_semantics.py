"""What Kapacitor refuses when it builds or starts a task, refused offline at the parameter.

Each case is a parameter file that passes the types but would be refused by
Kapacitor (pipeline-validation.md: the row is named with each case), or that
renders an alert whose level can never be reached.  ``tickgen validate``
must say so at file:line with the parameter path and what would be right,
exit 1, and print nothing on stdout.  tests/test_semantics_live.py proves the
limits against the real kapacitord.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tickgen import ParameterError, Relative, Threshold
from tickgen.cli import main
from tickgen.models import HTTP_OUT_REASON, comparison_findings, task_id_problem
from tickgen.render import Renderer

OK = """template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
"""
RELATIVE = OK.replace("template: threshold", "template: relative") + "shift: 10m\n"
DEADMAN = "template: deadman\nid: d\ndatabase: telegraf\nmeasurement: cpu\nperiod: 1m\n"
BOOL_ORDER = (
    "cannot compare with a boolean: Kapacitor orders numbers, strings and durations, never "
    "booleans, so this level could never be reached (every point logs a type error); "
    "use == or != with a boolean"
)


def _zero(value: str, unit: str) -> str:
    return (
        f"{value!r} is zero: Kapacitor needs a duration greater than zero here and refuses "
        f"the task when it starts; write at least 1{unit}"
    )


# file name -> (content, the whole error line after "tickgen: error: <dir>/")
CASES: dict[str, tuple[str, str]] = {
    # 2.2.1 window node must have either a non zero period or non zero period count
    "zero_window_period.yaml": (
        OK + "aggregate: {function: mean, period: 0s, every: 1m}\n",
        "zero_window_period.yaml:7: aggregate.period: " + _zero("0s", "s"),
    ),
    "zeros_window_period.yaml": (
        OK + "aggregate: {function: mean, period: 000m, every: 1m}\n",
        "zeros_window_period.yaml:7: aggregate.period: " + _zero("000m", "m"),
    ),
    # 2.2.2 invalid shift value: must be non zero duration
    "zero_shift.yaml": (
        RELATIVE.replace("shift: 10m", "shift: 0ms"),
        "zero_shift.yaml:7: shift: " + _zero("0ms", "ms"),
    ),
    # 2.2.3 stats node must have positive interval (deadman builds stats)
    "zero_deadman_period.yaml": (
        DEADMAN.replace("period: 1m", "period: 0h"),
        "zero_deadman_period.yaml:5: period: " + _zero("0h", "h"),
    ),
    "bad_positive_duration.yaml": (
        DEADMAN.replace("period: 1m", "period: 1.5m"),
        "bad_positive_duration.yaml:5: period: '1.5m' is not a duration: write an integer and "
        "one unit of u, µ, ms, s, m, h, d, w, greater than zero (for example 10s, 5m, 1h)",
    ),
    # the lexer's int64 nanoseconds
    "duration_overflow.yaml": (
        DEADMAN.replace("period: 1m", "period: 15251w"),
        "duration_overflow.yaml:5: period: '15251w' is longer than a Kapacitor duration can be "
        "(about 292 years, 2562047h); write a shorter one",
    ),
    "handler_duration_overflow.yaml": (
        OK + "handlers: [{kind: post, url: 'http://x', timeout: 2562048h}]\n",
        "handler_duration_overflow.yaml:7: handlers[0].timeout: '2562048h' is longer than a "
        "Kapacitor duration can be (about 292 years, 2562047h); write a shorter one",
    ),
    # 4.2 invalid file mode %v, must be user writable
    "log_mode_not_writable.yaml": (
        OK + "handlers: [{kind: log, path: /var/log/a.log, mode: '0444'}]\n",
        "log_mode_not_writable.yaml:7: handlers[0].mode: file mode 0444 (-r--r--r--) is not "
        "writable by its owner: Kapacitor refuses it when the task starts ('invalid file mode "
        "-r--r--r--, must be user writable'); add the owner's write permission, e.g. 0644",
    ),
    "log_mode_number_not_writable.yaml": (
        OK + "handlers: [{kind: log, path: /var/log/a.log, mode: 0577}]\n",
        "log_mode_number_not_writable.yaml:7: handlers[0].mode: file mode 0577 (-r-xrwxrwx) is "
        "not writable by its owner: Kapacitor refuses it when the task starts ('invalid file "
        "mode -r-xrwxrwx, must be user writable'); add the owner's write permission, e.g. 0777",
    ),
    "log_mode_short.yaml": (
        OK + "handlers: [{kind: log, path: /var/log/a.log, mode: '07'}]\n",
        "log_mode_short.yaml:7: handlers[0].mode: file mode 07 (-------rwx) is not writable by "
        "its owner: Kapacitor refuses it when the task starts ('invalid file mode -------rwx, "
        "must be user writable'); add the owner's write permission, e.g. 0207",
    ),
    "log_mode_zero.yaml": (
        OK + "handlers: [{kind: log, path: /var/log/a.log, mode: '00'}]\n",
        "log_mode_zero.yaml:7: handlers[0].mode: file mode 0 is Kapacitor's default 0600: "
        "leave mode out instead",
    ),
    # 4.1 log path must be absolute
    "log_path_relative.yaml": (
        OK + "handlers: [{kind: log, path: alerts.log}]\n",
        "log_path_relative.yaml:7: handlers[0].path: 'alerts.log' is not an absolute path: "
        "Kapacitor refuses a relative log path when the task starts ('log path must be "
        "absolute'); write it from /, e.g. /var/log/kapacitor/alerts.log",
    ),
    # 4.3 unknown cluster "": no cluster has an empty id
    "kafka_empty_cluster.yaml": (
        OK + "handlers: [{kind: kafka, cluster: ''}]\n",
        "kafka_empty_cluster.yaml:7: handlers[0].cluster: must not be empty: write a value (Id "
        "of a [[kafka]] cluster in Kapacitor's configuration, enabled and with brokers)",
    ),
    # 3.1.3 and the HTTP paths: '.' and '..'
    "dot_id.yaml": (
        OK.replace("id: cpu", "id: '.'"),
        "dot_id.yaml:2: id: task id '.' cannot be used: Kapacitor creates it, but its URL "
        "/kapacitor/v1/tasks/. means another path, so the task could never be updated or "
        "deleted; use an id with a letter or digit, such as 'cpu.high'",
    ),
    "dot_dot_id.yaml": (
        OK.replace("id: cpu", "id: '..'"),
        "dot_dot_id.yaml:2: id: task id '..' cannot be used: Kapacitor creates it, but its URL "
        "/kapacitor/v1/tasks/.. means another path, so the task could never be updated or "
        "deleted; use an id with a letter or digit, such as 'cpu.high'",
    ),
    # D11 in differential-findings: the router cleans the output's path
    "http_out_dot.yaml": (
        OK + "http_out: .\n",
        "http_out_dot.yaml:7: http_out: '.' " + HTTP_OUT_REASON,
    ),
    "http_out_up.yaml": (
        OK + "http_out: a/..\n",
        "http_out_up.yaml:7: http_out: 'a/..' " + HTTP_OUT_REASON,
    ),
    "http_out_slashes.yaml": (
        OK + "http_out: a//b\n",
        "http_out_slashes.yaml:7: http_out: 'a//b' " + HTTP_OUT_REASON,
    ),
    # 2.4.6 invalid comparison operator > for type boolean (runtime, every point)
    "ordering_boolean.yaml": (
        OK.replace("value: 90", "value: true"),
        f"ordering_boolean.yaml:6: crit.op: '>' {BOOL_ORDER}",
    ),
    "ordering_boolean_reset.yaml": (
        OK + "warn: {op: '==', value: true, reset: {op: '<=', value: false}}\n",
        f"ordering_boolean_reset.yaml:7: warn.reset.op: '<=' {BOOL_ORDER}",
    ),
    "ordering_boolean_range_reset.yaml": (
        OK + "info: {op: inside, lower: 1, upper: 2, reset: {op: '>=', value: false}}\n",
        f"ordering_boolean_range_reset.yaml:7: info.reset.op: '>=' {BOOL_ORDER}",
    ),
    # 2.4.5 mismatched type to binary operator, where the template fixes the type
    "relative_string_value.yaml": (
        RELATIVE.replace("value: 90", "value: '90'"),
        "relative_string_value.yaml:6: crit.value: '90' is not a number, but the value "
        "compared is the percent change (always a float): Kapacitor never matches a number "
        "with a string, so this level could never be reached; write the number without "
        "quotes: value: 90",
    ),
    "relative_boolean_value.yaml": (
        RELATIVE.replace('op: ">", value: 90', 'op: "==", value: false') + "change: absolute\n",
        "relative_boolean_value.yaml:6: crit.value: false is not a number, but the value "
        "compared is the absolute change (always a float): Kapacitor never matches a number "
        "with a boolean, so this level could never be reached; write a number",
    ),
    "mean_string_value.yaml": (
        OK.replace("value: 90", "value: ' 2.5e1 '")
        + "aggregate: {function: mean, period: 1m, every: 1m}\n",
        "mean_string_value.yaml:6: crit.value: ' 2.5e1 ' is not a number, but the value "
        "compared is the mean of the field (a number): Kapacitor never matches a number with "
        "a string, so this level could never be reached; write the number without quotes: "
        "value: 25.0",
    ),
    "count_word_value.yaml": (
        OK.replace("value: 90", "value: high")
        + "aggregate: {function: count, period: 1m, every: 1m}\n",
        "count_word_value.yaml:6: crit.value: 'high' is not a number, but the value compared "
        "is the count of the field (a number): Kapacitor never matches a number with a "
        "string, so this level could never be reached; write a number",
    ),
    # InfluxQL's percentile reducer: point floor(n * p / 100 + 0.5) - 1, none below 0
    "percentile_zero.yaml": (
        OK + "aggregate: {function: percentile, period: 1m, every: 1m, percentile: 0}\n",
        "percentile_zero.yaml:7: aggregate.percentile: 0 must be greater than 0: percentile 0 "
        "selects no point of any window, so the alert would start and never fire "
        "(e.g. 1, 50, 95)",
    ),
    "quoted_number_where_number.yaml": (
        OK + "aggregate: {function: percentile, period: 1m, every: 1m, percentile: '95'}\n",
        "quoted_number_where_number.yaml:7: aggregate.percentile: '95' is not a number above 0 "
        "and at most 100 or null "
        "(write the number without quotes: 95)",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_at_the_parameter(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expected = CASES[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err == f"tickgen: error: {tmp_path}/{expected}\n"


# The value just inside each limit passes (tests/test_semantics_live.py starts them).
ACCEPTED = {
    "one_microsecond_window": OK + "aggregate: {function: mean, period: 1u, every: 0s}\n",
    "longest_deadman_period": DEADMAN.replace("period: 1m", "period: 2562047h"),
    "shift_1ms": RELATIVE.replace("shift: 10m", "shift: 1ms"),
    "percentile_tiny": OK
    + "aggregate: {function: percentile, period: 1m, every: 1m, percentile: 0.001}\n",
    "http_out_path": OK + "http_out: alerts/..x/.y/...\n",
    "mode_0200": OK + "handlers: [{kind: log, path: /var/log/a.log, mode: '0200'}]\n",
    "kafka_named_cluster": OK + "handlers: [{kind: kafka, cluster: events}]\n",
    "id_with_dots": OK.replace("id: cpu", "id: '...'"),
    "boolean_equality": OK.replace('op: ">", value: 90', 'op: "!=", value: true'),
    "ordering_strings": OK.replace("value: 90", "value: abc"),
    "topic_with_colon_and_letters": OK + "topic: ops:é.x_-1\n",
    "mode_aggregate_string": OK.replace("value: 90", "value: idle")
    + "aggregate: {function: mode, period: 1m, every: 1m}\n",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_inside_the_limit_is_valid(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.yaml"
    text = ACCEPTED[name]
    # a topic, so that the checker has nothing to warn about (events reach no one)
    path.write_text(text if "topic:" in text else text + "topic: semantics\n", encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) == 0, capsys.readouterr().err
    assert "alert(s) valid" in capsys.readouterr().out


QUOTED = OK.replace("value: 90", "value: '90'") + "handlers: [{kind: tcp, address: 'a:1'}]\n"
QUOTED_WARNING = (
    "quoted.yaml:6: crit.value: {}'90' is a string that looks like a number: it matches only a "
    "field that holds strings, and Kapacitor never matches a number with a string; if the "
    "field is numeric, write the number without quotes: value: 90"
)


def test_quoted_number_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "1 alert(s) valid\n"
    assert captured.err == f"{tmp_path}/{QUOTED_WARNING.format('warning: ')}\n"
    assert main(["render", str(path)]) == 0
    assert captured.err == capsys.readouterr().err


def test_quoted_number_fails_validate_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED, encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"tickgen: error: {tmp_path}/{QUOTED_WARNING.format('')}\n"


def test_quoted_number_in_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED, encoding="utf-8")
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path}/{QUOTED_WARNING.format('warning: ')}\n"
    assert main(["lint", "--strict", str(path)]) == 1
    assert capsys.readouterr().out == f"{tmp_path}/{QUOTED_WARNING.format('warning: ')}\n"


def test_topic_no_handler_can_subscribe_to_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(OK + "topic: ops alerts/eu\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == (
        f"{path}:7: topic: warning: topic 'ops alerts/eu' contains ' ': Kapacitor publishes "
        "to it, but refuses every handler for it (a topic handler's topic may hold only "
        "letters, digits, '-', ':', '.' and '_'), so no topic handler could deliver its "
        "events; write e.g. 'ops-alerts-eu'\n"
    )
    path.write_text(OK + "topic: '..'\n", encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"tickgen: error: {path}:7: topic: topic '..' cannot be used: its URL "
        "/kapacitor/v1/alerts/topics/.. means another path, so no handler could subscribe to "
        "it; use a name with a letter or digit\n"
    )


def test_validate_strict_fails_on_script_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # no handler: the checker warns the events go nowhere
    path = tmp_path / "quiet.yaml"
    path.write_text(OK, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "warning: alert has no handler" in capsys.readouterr().err
    assert main(["validate", "--strict", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tickgen: error: {path}: task cpu: line ")
    assert "warning: alert has no handler" in err


def test_python_api_refuses_and_warns_too() -> None:
    renderer = Renderer()
    base = {"id": "cpu", "database": "db", "measurement": "m", "field": "f"}
    with pytest.raises(ParameterError) as info:
        renderer.render(Threshold(**base, crit={"op": "<", "value": False}))
    assert str(info.value) == f"<python>: crit.op: '<' {BOOL_ORDER}"
    task = renderer.render(Threshold(**base, crit={"op": ">", "value": "7"}))
    assert [str(p) for p in task.param_warnings] == [
        "<python>: crit.value: '7' is a string that looks like a number: it matches only a "
        "field that holds strings, and Kapacitor never matches a number with a string; if the "
        "field is numeric, write the number without quotes: value: 7"
    ]
    with pytest.raises(ParameterError, match=r"crit\.value: 'x' is not a number"):
        renderer.render(Relative(**base, shift="1m", crit={"op": ">", "value": "x"}))


@pytest.mark.parametrize(
    ("value", "finding"),
    [
        ("10", "warning"),
        ("-1.5", "warning"),
        (".5", "warning"),
        ("1e3", "warning"),
        ("10s", None),
        ("nan", None),
        ("inf", None),
        ("0x10", None),
        ("", None),
        (10, None),
        (True, None),
    ],
)
def test_what_looks_like_a_number(value: object, finding: str | None) -> None:
    alert = Threshold(
        id="c", database="d", measurement="m", field="f", crit={"op": "==", "value": value}
    )
    assert [f[2] for f in comparison_findings(alert)] == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("task_id", "refused"),
    [(".", True), ("..", True), ("...", False), (".a", False), ("a.", False), ("", True)],
)
def test_dot_ids(task_id: str, refused: bool) -> None:
    assert (task_id_problem(task_id) is not None) == refused
    # a deploy target's id prefix may be a dot: '.' + 'cpu' is a fine id
    assert task_id_problem(".", whole=False) is None


def test_kafka_handler_needs_a_named_cluster() -> None:
    # No default: the stock configuration's 'default' cluster is disabled and has no
    # brokers, and kapacitord panics at the first event sent to it (differential D12).
    with pytest.raises(ValidationError, match="cluster"):
        Threshold(
            id="c",
            database="d",
            measurement="m",
            field="f",
            crit={"op": ">", "value": 1},
            handlers=[{"kind": "kafka"}],
        )
    alert = Threshold(
        id="c",
        database="d",
        measurement="m",
        field="f",
        crit={"op": ">", "value": 1},
        handlers=[{"kind": "kafka", "cluster": "events"}],
    )
    script = Renderer().render(alert).script
    assert ".kafka()\n        .cluster('events')\n" in script
