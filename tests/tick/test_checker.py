"""One test per kind of diagnostic, each pinning line, column and message."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests import seed
from tests.servers import delete_started_task
from tickgen.tick import TickSyntaxError, parse
from tickgen.tick.checker import Diagnostic, analyse, check
from tickgen.tick.nodes import CHAIN_METHODS, HANDLERS, PROPERTIES

HANDLER = "\n        .log('/tmp/alerts.log')"  # keeps the no-handler warning out of a test


def errors(text: str, **kwargs: str) -> list[Diagnostic]:
    return [d for d in check(text, **kwargs) if d.severity == "error"]  # type: ignore[arg-type]


def only(text: str, **kwargs: str) -> Diagnostic:
    found = check(text, **kwargs)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def seed_script() -> str:
    script: str = seed.post_body()["script"]
    return script


def test_diagnostic_prints_position_severity_and_message() -> None:
    d = Diagnostic(3, 7, "warning", "something")
    assert str(d) == "line 3:7: warning: something"


def test_a_clean_script_has_no_diagnostics() -> None:
    text = (
        'dbrp "telegraf"."autogen"\n'
        "var crit = 90.0\n"
        "stream\n"
        "    |from()\n"
        "        .measurement('cpu')\n"
        "        .groupBy('host')\n"
        "    |window()\n"
        "        .period(1m)\n"
        "        .every(1m)\n"
        "    |mean('usage_user')\n"
        "        .as('mean')\n"
        "    |alert()\n"
        "        .id('{{ index .Tags \"host\" }}')\n"
        '        .crit(lambda: "mean" > crit)\n'
        "        .slack()\n"
        "        .channel('#ops')\n"
    )
    assert check(text) == []


def test_seed_script_only_warns_that_its_alert_notifies_no_one() -> None:
    found = check(seed_script())
    assert found == [
        Diagnostic(
            58,
            6,
            "warning",
            "alert has no handler and no .topic(): its events reach no topic and notify no one",
        )
    ]


def test_a_task_that_is_only_its_source() -> None:
    assert only('dbrp "db"."rp"\nstream\n    .quiet()\n') == Diagnostic(
        1, 1, "error", "task does nothing"
    )


def test_a_bare_source_does_not_set_the_task_type() -> None:
    # Kapacitor looks at top-level chains and at every var's value (taskTypeFromProgram)
    neither = (
        "the script uses neither stream nor batch, so Kapacitor cannot tell the task type "
        '("invalid task type: invalid")'
    )
    assert errors("stream\nvar s = 5m\n") == [Diagnostic(1, 1, "error", neither)]


def test_a_var_whose_value_is_the_source_sets_the_task_type() -> None:
    # var s = stream, then s|from(): a stream task (Kapacitor's server_test.go does this)
    assert errors("var s = stream\ns\n    |from()\n    |httpOut('x')\n") == []
    assert only("var s = stream\n").message == "task does nothing"


def test_log_handler_path_must_be_absolute() -> None:
    text = "stream\n    |from()\n    |alert()\n        .log('alerts.log')\n"
    assert only(text) == Diagnostic(4, 10, "error", "log path must be absolute: 'alerts.log'")


def test_group_by_star_and_names() -> None:
    text = "stream\n    |from()\n    |groupBy(*, 'host')\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(3, 6, "error", "cannot group by both '*' and named dimensions.")


def test_a_syntax_error_raises_instead_of_returning_a_diagnostic() -> None:
    with pytest.raises(TickSyntaxError):
        check("stream|from(")


def test_unknown_node_suggests_the_closest_name() -> None:
    assert only("stream\n    |from()\n    |wndow()\n") == Diagnostic(
        3, 6, "error", 'no method or property "wndow" on from (did you mean "window"?)'
    )


def test_unknown_property_suggests_the_closest_name() -> None:
    assert only("stream\n    |from()\n        .measurment('cpu')\n    |httpOut('x')\n") == (
        Diagnostic(
            3,
            10,
            "error",
            'no method or property "measurment" on from (did you mean "measurement"?)',
        )
    )


def test_property_written_as_a_chain_uses_kapacitors_wording() -> None:
    text = "stream\n    |from()\n    |window()\n        .periodCount(1)\n        .everyCount(1)\n    |period(1m)\n"
    assert only(text) == Diagnostic(
        6,
        6,
        "error",
        'no chaining method "period" on window, but property does exist. '
        "Use '.' operator instead",
    )


def test_chain_written_as_a_property_names_the_right_operator() -> None:
    text = "stream\n    |from()\n        .window()\n"
    assert only(text) == Diagnostic(
        3,
        10,
        "error",
        'no property method "window" on from, but chaining method does exist. '
        "Use '|' operator instead",
    )


def test_handler_spelling_is_case_sensitive_like_go_reflection() -> None:
    text = "stream\n    |from()\n    |alert()\n        .pushover()\n        .url('x')\n"
    assert only(text) == Diagnostic(
        5, 10, "error", 'no method or property "url" on pushover handler (did you mean "uRL"?)'
    )
    assert check(text.replace(".url(", ".uRL(")) == []


def test_wrong_argument_count() -> None:
    text = "stream\n    |from()\n    |shift(1m, 2m)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(3, 6, "error", "|shift() takes 1 argument, got 2")


def test_int_is_not_a_float_argument() -> None:
    text = "stream\n    |from()\n    |deadman(100, 10s)" + HANDLER + "\n"
    assert only(text) == Diagnostic(
        3,
        14,
        "error",
        "|deadman() argument 1 must be float, got int "
        "(Kapacitor does not convert numbers: write it with a decimal point)",
    )
    assert check(text.replace("100,", "100.0,")) == []


def test_double_quotes_where_a_string_is_wanted() -> None:
    text = "stream\n    |from()\n        .measurement(\"cpu\")\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3,
        22,
        "error",
        ".measurement() argument 1 must be string, got reference "
        "(did you use double quotes instead of single quotes?)",
    )


def test_a_variable_has_the_type_of_its_value() -> None:
    text = "var crit = 10s\nstream\n    |from()\n    |alert()\n        .crit(crit)" + HANDLER
    assert only(text) == Diagnostic(
        5, 15, "error", ".crit() argument 1 must be lambda, got duration"
    )


def test_a_list_as_the_only_argument_is_spread() -> None:
    text = (
        "var groups = ['host', 'dc']\n"
        "var names = ['a', 'b']\n"
        "stream\n"
        "    |from()\n"
        "        .groupBy(groups)\n"
        '    |eval(lambda: "x", lambda: "y")\n'
        "        .as(names)\n"
        "    |httpOut('x')\n"
    )
    assert check(text) == []
    assert only(text.replace("['a', 'b']", "['a']")) == Diagnostic(
        6,
        6,
        "error",
        "must specify same number of expressions and .as() names: "
        "got 1 as names, and 2 expressions.",
    )


def test_undefined_variable_inside_a_lambda() -> None:
    text = 'var crit = 90\nstream\n    |from()\n    |alert()\n        .crit(lambda: "v" > crti)'
    assert only(text + HANDLER) == Diagnostic(
        5, 29, "error", 'name "crti" is undefined (did you mean "crit"?)'
    )


def test_redefined_variable() -> None:
    text = "var x = 1\nvar x = 2\nstream\n    |from()\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(2, 5, "error", "attempted to redefine x, vars are immutable")


def test_stream_and_batch_mixed() -> None:
    text = (
        "stream\n    |from()\n    |httpOut('a')\nbatch\n    |query('SELECT v FROM db.rp.m').every(1m)\n    |httpOut('b')\n"
    )
    assert errors(text) == [
        Diagnostic(
            4,
            1,
            "error",
            "the script uses both stream and batch; a task is one or the other "
            '(Kapacitor: "invalid task type: invalid")',
        )
    ]


def test_neither_stream_nor_batch() -> None:
    assert only("var x = 1\n") == Diagnostic(
        1,
        1,
        "error",
        "the script uses neither stream nor batch, so Kapacitor cannot tell the task type "
        '("invalid task type: invalid")',
    )


def test_expected_kind_differs_from_the_script() -> None:
    text = "batch\n    |query('SELECT v FROM db.rp.m').every(1m)\n    |httpOut('b')\n"
    assert only(text, kind="stream") == Diagnostic(
        1, 1, "error", "this is a batch task, but a stream task was expected"
    )


def test_eval_needs_one_as_name_per_expression() -> None:
    text = "stream\n    |from()\n    |eval(lambda: \"x\" * 2)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3,
        6,
        "error",
        "must specify same number of expressions and .as() names: "
        "got 0 as names, and 1 expressions.",
    )


def test_eval_tags_must_be_as_names() -> None:
    text = "stream\n    |from()\n    |eval(lambda: 'a')\n        .as('x')\n        .tags('y')\n"
    assert only(text + "    |httpOut('x')\n") == Diagnostic(
        3, 6, "error", 'invalid tag name "y", name is not present is .as() names'
    )


JOIN = (
    "var a = stream\n    |from()\n"
    "var b = stream\n    |from()\n"
    "a\n    |join(b)\n        .as({names})\n    |httpOut('x')\n"
)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (
            "'a'",
            "number of prefixes specified by join.as() must match the number of joined streams",
        ),
        ("'a', 'a'", "cannot use the same prefix name see .as() property method"),
        ("'a.x', 'b'", 'cannot use name a.x as field prefix, it contains the delimiter "."'),
        ("'', 'b'", "must provide a prefix name for the join node, see .as() property method"),
    ],
)
def test_join_prefixes(names: str, message: str) -> None:
    assert only(JOIN.format(names=names)) == Diagnostic(6, 6, "error", message)


def test_join_needs_as() -> None:
    text = JOIN.replace("        .as({names})\n", "")
    assert only(text) == Diagnostic(
        6, 6, "error", "a call to join.as() is required to specify the output stream prefixes."
    )
    # Kapacitor checks a template with its typed vars at their zero value: no names
    assert only("var names list\n" + JOIN.format(names="names")) == Diagnostic(
        7, 6, "error", "a call to join.as() is required to specify the output stream prefixes."
    )


def test_combine_needs_as() -> None:
    text = "stream\n    |from()\n    |combine(lambda: TRUE, lambda: TRUE)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3,
        6,
        "error",
        "a call to combine.as() is required to specify the output stream prefixes.",
    )
    assert check(text.replace("TRUE)\n", "TRUE)\n        .as('a', 'b')\n")) == []


def test_nothing_chains_after_influxdbout() -> None:
    text = "stream\n    |from()\n    |influxDBOut()\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        4,
        6,
        "error",
        'no chaining method "httpOut" on influxDBOut: influxDBOut provides no edge, '
        "so nothing can be chained after it",
    )


def test_window_needs_a_stream_edge() -> None:
    text = "batch\n    |query('SELECT v FROM db.rp.m').every(1m)\n    |window()\n        .period(1m)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3, 6, "error", "cannot Window batch edge: |window() needs a stream edge"
    )


def test_unknown_global_function() -> None:
    text = "var x = now(1)\nstream\n    |from()\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(1, 9, "error", 'no global function "now" defined')


def test_handler_newer_than_the_target_version() -> None:
    text = "stream\n    |from()\n    |alert()\n        .zenoss()\n"
    assert check(text, version="1.6") == []
    assert only(text, version="1.5") == Diagnostic(
        4, 10, "error", ".zenoss() needs Kapacitor 1.6.0 or later; the target is 1.5.0"
    )


def test_property_newer_than_the_target_version() -> None:
    text = "stream\n    |from()\n    |alert()\n        .email()\n        .toTemplates('t')\n"
    assert check(text, version="1.6.3") == []
    assert only(text, version="1.6") == Diagnostic(
        5, 10, "error", ".toTemplates() needs Kapacitor 1.6.3 or later; the target is 1.6.0"
    )


def test_handler_field_that_shadows_an_alert_property() -> None:
    text = "stream\n    |from()\n    |alert()\n        .zenoss()\n        .message('down')\n"
    assert only(text) == Diagnostic(
        5,
        10,
        "warning",
        ".message() after .zenoss() sets the zenoss handler's message, not the alert's; "
        "if the alert's was meant, write it before the first handler",
    )
    # with the alert's own message written first, the zenoss one is clearly meant
    assert check(text.replace(".zenoss()", ".message('up')\n        .zenoss()")) == []


def test_handler_fields_that_cannot_be_the_alerts() -> None:
    # .teams() after .opsGenie() is how OpsGenie teams are set, not a Teams handler
    text = "stream\n    |from()\n    |alert()\n        .opsGenie()\n        .teams('ops')\n"
    assert check(text) == []
    # the alert's .details() takes a template; opsGenie2's takes nothing
    assert check(text.replace(".opsGenie()", ".opsGenie2()\n        .details()")) == []


def test_golden_scripts_of_the_handlers_and_chronograf_have_no_errors() -> None:
    golden = Path(__file__).resolve().parents[1] / "golden"
    scripts = sorted([*golden.glob("handlers/*.tick"), *golden.glob("chronograf/*.tick")])
    assert len(scripts) > 20
    for path in scripts:
        assert errors(path.read_text(encoding="utf-8")) == [], path


def test_alert_property_after_a_handler_warns() -> None:
    text = "stream\n    |from()\n    |alert()\n        .slack()\n        .crit(lambda: TRUE)\n"
    assert only(text) == Diagnostic(
        5,
        10,
        "warning",
        ".crit() after .slack() applies to the alert, but reads as if it were the handler's; "
        "write alert properties before the first handler",
    )


def test_tag_in_a_template_that_is_not_grouped_by() -> None:
    text = (
        "stream\n    |from()\n        .groupBy('dc')\n    |alert()\n"
        "        .message('{{ index .Tags \"host\" }} {{ .Tags.dc }} {{ .Tags.rack }}')"
    )
    assert check(text + HANDLER) == [
        Diagnostic(
            5,
            10,
            "warning",
            '.message() reads tag "host", but the pipeline does not group by it, '
            "so the alert may not see it",
        ),
        Diagnostic(
            5,
            10,
            "warning",
            '.message() reads tag "rack", but the pipeline does not group by it, '
            "so the alert may not see it",
        ),
    ]
    assert check(text.replace("'dc'", "*") + HANDLER) == []


def test_alert_without_handler_or_topic_warns() -> None:
    text = "stream\n    |from()\n    |alert()\n        .crit(lambda: TRUE)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3,
        6,
        "warning",
        "alert has no handler and no .topic(): its events reach no topic and notify no one",
    )
    assert check(text.replace("TRUE)", "TRUE)\n        .topic('cpu')")) == []


def test_template_declarations_define_typed_variables() -> None:
    text = (
        "var crit float\nvar period duration\nvar groups list\n"
        "stream\n    |from()\n        .groupBy(groups)\n    |window()\n        .period(period)\n"
        '    |alert()\n        .crit(lambda: "v" > crit)' + HANDLER + "\n"
    )
    assert check(text) == []
    assert only("var t int\nstream\n    |from()\n    |deadman(t, 1m)" + HANDLER) == Diagnostic(
        4,
        14,
        "error",
        "|deadman() argument 1 must be float, got int "
        "(Kapacitor does not convert numbers: write it with a decimal point)",
    )


def test_invalid_declared_type() -> None:
    assert errors("var x strng\nstream\n    |from()\n    |httpOut('x')\n") == [
        Diagnostic(1, 7, "error", 'invalid var type "strng"')
    ]
    # without '= value' the next line's first word is read as the type
    assert errors("var x\nstream\n") == [
        Diagnostic(
            1,
            1,
            "error",
            "the script uses neither stream nor batch, so Kapacitor cannot tell the task type "
            '("invalid task type: invalid")',
        ),
        Diagnostic(
            2,
            1,
            "error",
            "invalid var type \"stream\" (a var needs '= value': the parser read the next "
            "line as its type)",
        ),
    ]


def test_check_is_fast_enough_to_run_on_every_rendered_script() -> None:
    from tickgen.tick import parse

    program = parse(seed_script())
    start = time.perf_counter()
    for _ in range(200):
        check(program)
    per_check = (time.perf_counter() - start) / 200
    assert per_check < 0.005  # measured around 0.1 ms; this only catches a blow-up


def test_argument_counts_with_variadic_and_optional_parameters() -> None:
    text = "stream\n    |from()\n    |top(10)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(3, 6, "error", "|top() takes at least 2 arguments, got 1")
    text = "stream\n    |from()\n    |httpPost('http://a', 'http://b')\n"
    assert only(text) == Diagnostic(3, 6, "error", "|httpPost() takes 0 to 1 arguments, got 2")


def test_a_number_is_not_a_duration_and_a_string_is_not_a_node() -> None:
    text = "stream\n    |from()\n    |shift(5)\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(
        3,
        12,
        "error",
        "|shift() argument 1 must be duration, got int (a duration needs a unit, as in 10s)",
    )
    text = "stream\n    |from()\n    |join('other')\n        .as('a', 'b')\n    |httpOut('x')\n"
    assert errors(text)[0] == Diagnostic(
        3, 11, "error", "|join() argument 1 must be node, got string"
    )


def test_unary_operators_keep_or_make_the_type() -> None:
    text = "var t = -100.0\nvar on = !TRUE\nstream\n    |from()\n    |deadman(t, 10s)"
    assert check(text + HANDLER) == []
    assert only(
        "var t = -100\nstream\n    |from()\n    |deadman(t, 10s)" + HANDLER
    ).message.startswith("|deadman() argument 1 must be float, got int")


def test_time_is_the_only_global_function_and_groups_a_query() -> None:
    text = (
        "batch\n    |query('SELECT mean(v) FROM db.rp.cpu')\n        .every(1m)\n"
        "        .groupBy(time(1m), 'host')\n"
        "    |alert()\n        .message('{{ index .Tags \"host\" }}')\n        .topic('cpu')\n"
    )
    assert check(text) == []
    # an offset is the second argument (Kapacitor's integration tests use one)
    assert check(text.replace("time(1m)", "time(1m, 10s)")) == []
    assert only(text.replace("time(1m)", "time(5)")) == Diagnostic(
        4,
        18,
        "error",
        "time() takes a duration and an optional offset, as in time(1m) or time(1m, 10s)",
    )
    assert only(text.replace("time(1m)", "time(1m, 1s, 2s)")) == Diagnostic(
        4, 18, "error", "time() function expects 1 or 2 args, got 3"
    )
    assert only(text.replace("time(1m)", "time(1m), 1m")) == Diagnostic(
        2, 6, "error", "groupBy cannot have more than one time dimension"
    )


def test_a_value_that_is_not_a_node_cannot_be_chained() -> None:
    text = "var name = 'cpu'\nname\n    |from()\nstream\n    |from()\n    |httpOut('x')\n"
    assert only(text) == Diagnostic(3, 5, "error", "a string value has no |from")


def test_reading_a_property_without_parentheses() -> None:
    text = "var data = stream\n    |from()\n    |httpOut('x')\nvar m = data.nosuch\n"
    assert only(text) == Diagnostic(4, 14, "error", 'no property "nosuch" on httpOut')
    assert check(text.replace("nosuch", "quiet")) == []


def test_combine_delimiter_changes_what_a_prefix_may_contain() -> None:
    text = (
        "stream\n    |from()\n    |combine(lambda: TRUE, lambda: TRUE)\n        .as('a.x', 'b')\n"
        "        .delimiter('_')\n    |httpOut('x')\n"
    )
    assert check(text) == []
    assert only(text.replace("'a.x'", "'a_x'")) == Diagnostic(
        3, 6, "error", "cannot use name a_x as field prefix, it contains the delimiter character _"
    )


_NAMES = sorted(
    {name for methods in (*CHAIN_METHODS.values(), *PROPERTIES.values()) for name in methods}
    | {name for h in HANDLERS.values() for name in h.properties}
    | {"nosuch", "Crit", "url"}
)
_ARGS = [
    "1", "1.5", "-2", "10s", "'s'", "'/tmp/a.log'", '"ref"', "/r/", "TRUE", "*", "x", "y",
    "lambda: \"v\" > x", "['a', 'b']", "['a', *]", "time(1m)", "now()",
]  # fmt: skip


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    statements = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.sampled_from(["stream", "batch", "x", "y", "s"]))
        for _ in range(draw(st.integers(0, 6))):
            op = draw(st.sampled_from("|.@"))
            args = draw(st.lists(st.sampled_from(_ARGS), max_size=3))
            text += f"{op}{draw(st.sampled_from(_NAMES))}({', '.join(args)})"
        name = draw(st.sampled_from(["", "x", "y"]))
        statements.append(f"var {name} = {text}" if name else text)
    return "var s = 's'\n" + "\n".join(statements)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scripts())
def test_check_never_fails_on_a_script_that_parses(text: str) -> None:
    try:
        program = parse(text)
    except TickSyntaxError:
        assume(False)  # the parser's tests cover the scripts it rejects
        return
    for diagnostic in check(program, version=draw_version(text)):
        assert diagnostic.line >= 1
        assert diagnostic.column >= 1
        assert diagnostic.severity in ("error", "warning", "note")
    nodes = analyse(program).pipeline.sorted()
    assert len({node.id for node in nodes}) == len(nodes)  # every node has its own id


def draw_version(text: str) -> str:
    return "1.5" if len(text) % 2 else "1.8"  # both tables of versions, deterministically


# --- Kapacitor's validate() rules and definition-time operators --------------------

V = "var other = stream\n    |from()\n"  # a second stream for joins


RULES = [
    ("stream|from()|httpPost()", "must provide url or endpoint"),
    ("stream|from()|httpPost('u').endpoint('e')", "only one endpoint and url may be specified"),
    ("stream|from()|httpPost('u').header('Authenticate', 'x')",
     "cannot set 'authenticate' header"),
    ("stream|from()|alert().post('u').header('authenticate', 'x')",
     "invalid post: cannot set 'authenticate' header"),
    ("stream|from()|alert().snmpTrap('1.1').data('1.2', 'x', 'v')",
     'invalid SNMP trap "1.1": unsupported data type "x" for data entry "1.2"'),
    ("stream|from()|barrier().idle(1s).period(1s)", "cannot specify both idle and period"),
    ("stream|from()|barrier()", "idle must be greater than zero"),
    ("stream|from()|barrier().period(0s)", "idle must be greater than zero"),
    ("stream|from()|window().period(1m).periodCount(5).everyCount(1)",
     "cannot specify both period and periodCount"),
    ("stream|from()|window().align().periodCount(1).everyCount(1)",
     "can only align windows based off time, not count"),
    ("stream|from()|window().periodCount(2)", "everyCount must be greater than zero"),
    ("stream|from()|window().periodCount(2).everyCount(0)",
     "everyCount must be greater than zero"),
    ("stream|from()|groupBy('host').exclude('a')", "exclude requires '*'"),
    ("stream|from()|barrier().period(-1s)", "period must be greater than zero"),
    ("stream|from()|window().periodCount(1).everyCount(-1)", "everyCount must be greater than zero"),
    ("stream|from()|barrier().idle(-1s)", "idle must be greater than zero"),
    ("stream|from()|alert().snmpTrap('')", 'invalid SNMP trap "": you must supply a trap Oid'),
    ("stream|from()|swarmAutoscale().serviceName('a').replicas(lambda: 1).min(0)",
     "min must be >= 1, got 0"),
    ("stream|from()|k8sAutoscale().resourceName('a').replicas(lambda: 1).kind('pods')",
     "invalid Kind, must be 'deployments', 'replicasets' or 'replicationcontrollers', got pods"),
    ("stream|from().groupBy('')|httpOut('a')", "dimensions cannot not be the empty string"),
    ("stream|from()|groupBy('a', '')|httpOut('a')", "dimensions cannot not be the empty string"),
    ("stream|from()|kapacitorLoopback().retentionPolicy('rp')", "must specify a database"),
    ("stream|from()|kapacitorLoopback().database('db')", "must specify a retention policy"),
    ("stream|from()|k8sAutoscale().replicas(lambda: 1)",
     "must specify exactly one of ResourceName or ResourceNameTag"),
    ("stream|from()|swarmAutoscale().serviceName('a').serviceNameTag('b').replicas(lambda: 1)",
     "must specify exactly one of ServiceName or ServiceNameTag"),
    ("stream|from()|ec2Autoscale().groupName('a')", "must provide a replicas lambda expression"),
    ("var x = 1 + 1.0\nstream|from()|httpOut('a')",
     "mismatched type to binary operator. got int + float. "
     "see bool(), int(), float(), string(), duration()"),
    ("var x = TRUE == 1\nstream|from()|httpOut('a')",
     "mismatched type to binary operator. got boolean == int. "
     "see bool(), int(), float(), string(), duration()"),
    ("var x = 'a' - 'b'\nstream|from()|httpOut('a')", "invalid math operator - for type string"),
    ("var x = 1.5 % 1.0\nstream|from()|httpOut('a')", "invalid math operator % for type float"),
    ("var x = TRUE < FALSE\nstream|from()|httpOut('a')",
     "invalid comparison operator < for type boolean"),
    ("var x = 1 AND 2\nstream|from()|httpOut('a')", "invalid logical operator AND for type int"),
    ("var x = 5m * 5m\nstream|from()|httpOut('a')",
     "mismatched type to binary operator. got duration * duration. "
     "see bool(), int(), float(), string(), duration()"),
]  # fmt: skip


@pytest.mark.parametrize(("script", "message"), RULES)
def test_kapacitor_validate_rules(script: str, message: str) -> None:
    assert [d.message for d in errors(script)] == [message]


# What the node constructors refuse when the task starts (pipeline-validation
# §2.2-2.3, §4): the task is stored, but Kapacitor answers 500 and it does not run.
START_RULES = [
    ("stream|from()|window()|httpOut('a')",
     "window node must have either a non zero period or non zero period count"),
    ("stream|from()|window().period(0s).every(1m)|httpOut('a')",
     "window node must have either a non zero period or non zero period count"),
    ("stream|from()|shift(0s)|httpOut('a')", "invalid shift value: must be non zero duration"),
    ("stream|from()|stats(0s)|httpOut('a')", "stats node must have positive interval"),
    ("stream|from()|stats(-1s)|httpOut('a')", "stats node must have positive interval"),
    ("stream|from()|deadman(1.0, 0s).topic('t')", "stats node must have positive interval"),
    ("stream|from()|sample(0)|httpOut('a')",
     "invalid sample rate: must be positive integer or duration"),
    ("stream|from()|sample(0s)|httpOut('a')",
     "invalid sample rate: must be positive integer or duration"),
    ("batch|query('SELECT v FROM d.r.m')|httpOut('a')", "must define one of 'every' or 'cron'"),
    ("batch|query('SELECT v FROM d.r.m').every(1m).cron('* * * * *')|httpOut('a')",
     "must not set both 'every' and 'cron' properties"),
    ("batch|query('SELECT v FROM d.r.m').every(-1m)|httpOut('a')",
     "'every' duration must must non-negative"),
    ("batch|query('SELECT v FROM d.r.m').every(1m).fill('nope')|httpOut('a')",
     "unexpected fill option nope"),
    ("batch|query('SELECT v FROM d.r.m; SELECT w FROM d.r.m').every(1m)|httpOut('a')",
     "query must be a single select statement, got 2 statements"),
    ("batch|query('SELECT v FROM m').every(1m)|httpOut('a')",
     'batch query is not allowed to request data from "".""'),
    ("batch|query('SELECT v FROM d.r.m').every(1m).groupBy(time(1m), 1m)|httpOut('a')",
     "groupBy cannot have more than one time dimension"),
    (V + "stream|from()|join(other).as('a', 'b').fill('x')|httpOut('a')",
     "unexpected fill option x"),
    ("stream|from()|alert().flapping(0.5, 2.0).topic('t')",
     "alert flap thresholds are percentages and should be between 0 and 1"),
    ("stream|from()|alert().log('/tmp/a.log').mode(0444)",
     "failed to create log alert handler: invalid file mode -r--r--r--, must be user writable"),
    ("stream|from()|alert().post()", "Either URL or endpoint must be non-empty"),
    ("batch|query('SELECT v FROM d.r.m').cron('* * *')|httpOut('a')", "missing field(s)"),
    ("batch|query('SELECT v FROM d.r.m WHERE').every(1m)|httpOut('a')",
     "failed to parse InfluxQL query: found EOF, expected identifier, string, number, bool"),
    ("batch|query('SELECT v').every(1m)|httpOut('a')",
     "failed to parse InfluxQL query: found EOF, expected FROM"),
    ("batch|query('SELECT v, FROM d.r.m').every(1m)|httpOut('a')",
     "failed to parse InfluxQL query: found FROM, expected identifier, string, number, bool"),
    ("batch|query('SELECT v FROM d.r.m LIMIT').every(1m)|httpOut('a')",
     "failed to parse InfluxQL query: found EOF, expected integer"),
]  # fmt: skip

# dbrp statements make the batch source and the loopback target checkable offline
DBRP_RULES = [
    ('dbrp "d"."r"\nbatch|query(\'SELECT v FROM "x"."r"."m"\').every(1m)|httpOut(\'a\')',
     'batch query is not allowed to request data from "x"."r"'),
    ('dbrp "d"."r"\nstream|from()|kapacitorLoopback().database(\'d\').retentionPolicy(\'r\')',
     'loop detected on dbrp: "d"."r"'),
]  # fmt: skip


# a var in a lambda becomes a literal; a node, a list or * cannot be one
LAMBDA_VARS = [
    ("var n = stream|from()\nstream|from()|where(lambda: \"v\" > n)|httpOut('a')",
     "unsupported literal type", 400),
    ("var l = ['a', 'b']\nstream|from()|where(lambda: \"v\" > l)|httpOut('a')",
     "Given node type is not valid evaluation node", 500),
    ("var s = *\nstream|from()|where(lambda: \"v\" > s)|httpOut('a')",
     "Given node type is not valid evaluation node", 500),
]  # fmt: skip


@pytest.mark.parametrize(("script", "words", "status"), LAMBDA_VARS)
def test_a_lambda_cannot_use_a_node_list_or_star_var(script: str, words: str, status: int) -> None:
    found = [d.message for d in errors(script)]
    assert len(found) == 1 and found[0].startswith(words), found


@pytest.mark.parametrize(("script", "words", "status"), LAMBDA_VARS)
def test_lambda_vars_agree_with_the_real_kapacitor(
    kapacitor: Any, unique_id: Any, script: str, words: str, status: int
) -> None:
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        task_id = unique_id("lambda")
        body = {"id": task_id, "script": script, "status": "enabled",
                "dbrps": [{"db": "d", "rp": "r"}]}  # fmt: skip
        response = client.post("/tasks", json=body)
        delete_started_task(client, f"/tasks/{task_id}")
    assert response.status_code == status and words in response.json()["error"]


@pytest.mark.parametrize(("script", "message"), START_RULES + DBRP_RULES)
def test_what_kapacitor_refuses_when_the_task_starts(script: str, message: str) -> None:
    found = [d.message for d in errors(script)]
    assert len(found) == 1 and found[0].startswith(message), found


# the false alarms found on Kapacitor's own scripts, and their neighbours
WHAT_STARTS = [
    "stream|from()|window().period(1m)|httpOut('a')",
    "stream|from()|window().periodCount(1).everyCount(1)|httpOut('a')",
    "stream|from()|shift(-1s)|httpOut('a')",
    "stream|from()|sample(-1)|httpOut('a')",
    "batch|query('SELECT v FROM d.r.m').cron('* * * * *')|httpOut('a')",
    "batch|query('SELECT v FROM d.r.m').every(1m).fill(0.5)|httpOut('a')",
    "batch|query('SELECT v / 2 FROM \"d\".\"r\"./m.*/').every(1m)|httpOut('a')",
    "stream|from()|alert().log('/tmp/a.log').mode(0644)",
    "stream|from()|alert().log('/tmp/a.log').mode(0)",
    "stream|from()|alert().flapping(0.5, 1.0).topic('t')",
    "stream|from()|alert().post('http://127.0.0.1:1')",
    "stream|from()|groupBy('a').exclude()|httpOut('a')",
    "var s = stream\ns|from()|httpOut('a')",
    "stream|from()|alert().pushover().URL('u').URLTitle('t')",
    "stream|from()|Window().Period(1m)|httpOut('a')",
    "stream|from()|barrier().idle(1s).period(0s)|httpOut('a')",
    "stream|from()|window().periodCount(-1).everyCount(1)|httpOut('a')",
    "stream|from()|window().period(0s).periodCount(2).everyCount(1)|httpOut('a')",
    "stream|from()|alert().flapping(-1.0, 0.5).topic('t')",
    "batch|query('SELECT v FROM d.r.m').cron('@hourly')|httpOut('a')",
    "batch|query('SELECT count(*) FROM d.r.m GROUP BY *').every(1m)|httpOut('a')",
    "batch|query('SELECT a, * FROM d.r.m').every(1m)|httpOut('a')",
    "batch|query('SELECT v FROM d.r.m').cron('0 * * * * * *')|httpOut('a')",
    "var x = 5m\nstream|from()|where(lambda: \"v\" > x)|httpOut('a')",
]


@pytest.mark.parametrize("script", WHAT_STARTS)
def test_what_starts(script: str) -> None:
    assert errors(script) == []


def test_what_starts_does_start_on_the_real_kapacitor(kapacitor: Any, unique_id: Any) -> None:
    refused = []
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for script in WHAT_STARTS:
            task_id = unique_id("starts")
            body = {"id": task_id, "script": script, "status": "enabled",
                    "dbrps": [{"db": "d", "rp": "r"}]}  # fmt: skip
            response = client.post("/tasks", json=body)
            delete_started_task(client, f"/tasks/{task_id}")
            if response.status_code != 200:
                refused.append(f"{script!r}: {response.text}")
    assert refused == []


@pytest.mark.parametrize(
    ("script", "needs"),
    [
        ("stream|from()@myudf()|httpOut('a')", "[udf.functions.myudf]"),
        ("stream|from()|httpPost().endpoint('e')", "[[httppost]] endpoint"),
        ("stream|from()|alert().post().endpoint('e')", "[[httppost]] endpoint"),
        ("stream|from()|alert().kafka().cluster('c')", "[[kafka]] with id 'c'"),
        ("stream|from()|k8sAutoscale().resourceName('a').replicas(lambda: 1)", "[kubernetes]"),
        ("stream|from()|sideload().source('file:///x').order('a')", "must exist"),
        ("stream|from()|sideload().source('x').order('a')", "kapacitord exits"),
        ("stream|from()|influxDBOut().cluster('other')", "[[influxdb]] named 'other'"),
    ],
)
def test_what_depends_on_the_server_configuration_is_a_note(script: str, needs: str) -> None:
    found = check(script)
    assert [d.severity for d in found] == ["note"]
    assert needs in found[0].message and "server configuration" in found[0].message


@pytest.mark.parametrize(("script", "message"), START_RULES)
def test_start_rules_agree_with_the_real_kapacitor(
    kapacitor: Any, unique_id: Any, script: str, message: str
) -> None:
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        task_id = unique_id("start")
        body = {"id": task_id, "script": script, "status": "enabled",
                "dbrps": [{"db": "d", "rp": "r"}]}  # fmt: skip
        response = client.post("/tasks", json=body)
        delete_started_task(client, f"/tasks/{task_id}")
    assert response.status_code == 500, response.text
    assert response.json()["error"].startswith(message)


@pytest.mark.parametrize(
    "script",
    [
        "stream|from()|barrier().period(1s)",
        "stream|from()|window().periodCount(5).everyCount(1)",
        "stream|from()|window().period(1m).everyCount(2)",
        "stream|from()|groupBy(*).exclude('a')",
        "var p = 2 * 5m\nvar q = 5m / 2.0\nvar r = 'a' + 'b'\nvar s = 1 % 2\n"
        "stream|from()|window().period(p).every(q)|httpOut(r)",
    ],
)
def test_what_the_validate_rules_let_through(script: str) -> None:
    assert errors(script) == []


TOPIC = ".topic('t')"

# Scripts sent to the real kapacitord: it must accept exactly those the checker
# finds no error in, and where the checker uses Kapacitor's own words, say them.
AGREEMENT = [
    ("stream|from()|alert().teams().channelURL('x').crit(lambda: TRUE)", False),
    ("stream|from()|alert().stateChangesOnly(1m, 2m).topic('t')", False),
    ("stream|from()|alert().pushover().url('x')", False),
    ("stream|from()|deadman(100, 10s).topic('t')", False),
    ("stream|from()|deadman(100.0, 10s).topic('t')", False),
    ("stream|from()|sample(1.0)|httpOut('a')", False),
    ("stream|from()|window()|period(1m)", False),
    ("stream|from()|httpOut('a')|influxDBOut()|httpOut('b')", False),
    ("stream.quiet()", True),
    ("stream|from().measurement(\"cpu\")|httpOut('a')", False),
    ("stream|from()|alert().crit(lambda: \"v\" > nope).topic('t')", False),
    ("var x = 1\nvar x = 2\nstream|from()|httpOut('a')", False),
    ("var x = 1\nbatch|query('SELECT 1')|httpOut('a')\nstream|from()|httpOut('b')", False),
    (V + "stream|from()|join(other).as('a', 'a')|httpOut('a')", True),
    (V + "stream|from()|join(other).as('a', 'b')|httpOut('a')", True),
    (V + "stream|from()|union(other)|httpOut('a')", True),
    ("stream|from()|eval(lambda: 1).as('a').tags('b')|httpOut('a')", True),
]


# accepted and rejected alike; each was sent to kapacitord 1.5.9 once by hand first
MORE_SCRIPTS = [
    "var x = 5\nstream|from()|httpOut('a')",
    "stream|from().where(lambda: \"host\" == 'a')|httpOut('a')",
    "var g = ['a', 'b']\nstream|from().groupBy(g)|httpOut('x')",
    "stream|from().groupBy(['a'])|httpOut('x')",
    "stream|from()|eval(lambda: 1, lambda: 2).as(['a', 'b'])|httpOut('x')",
    "stream|from()|httpOut('x').quiet()",
    "stream|from()|alert().crit(lambda: TRUE).slack().channel('#a').email('x').to('y')",
    "stream|from()|alert().flapping(0.25, 0.5)" + TOPIC,
    "stream|from()|alert().flapping(1, 2)" + TOPIC,
    "stream|from()|alert().history(21.0)" + TOPIC,
    "var l = lambda: \"v\" > 1\nstream|from()|alert().crit(l)" + TOPIC,
    "stream|from().truncate(1s).round(1s)|httpOut('x')",
    "stream|from()|alert().inhibit('cat', 'a', 'b')" + TOPIC,
    "stream|from()|default().field('a', 1).field('b', 1.0).field('c', 'x').field('d', TRUE).tag('t', 'v')",
    "stream|from()|default().field('a', 1s)",
    "stream|from()|sideload().field('a', 1s).source('x').order('a')",
    "stream|from()|where(lambda: \"a\")|httpOut('x')",
    "stream|from()|stateDuration(lambda: TRUE).unit(1m)|httpOut('x')",
    "stream|from()|httpOut('x')|httpOut('y')",
    "stream|from()|alert().topic('a')|alert().topic('b')",
    "stream|from()|log().level('DEBUG').prefix('p')",
    "batch|query('q').groupBy(time(1m), *)|httpOut('x')",
    "batch|query('q').groupBy(time(1m), 'a')|httpOut('x')",
    "batch|query('q').fill('none')|httpOut('x')",
    "batch|query('q').fill(0)|httpOut('x')",
    "batch|query('q').fill(0.0).cron('* * * * *').offset(1m).align().alignGroup()|httpOut('x')",
    "var x = stream|from()\nx.measurement('cpu')|httpOut('a')",
    "stream|from()|alert().id('x').message('y').details('z')" + TOPIC,
    "stream|from()|alert().post().endpoint('e')",
    "stream|from()|alert().exec('/bin/x', 'a')",
    "stream|from()|alert().tcp('a:1')",
    "stream|from()|alert().mqtt('t').qos(1).retained(TRUE).brokerName('b')",
    "stream|from()|alert().sensu().metadata('k', 1).handlers('a', 'b').source('s')",
    "stream|from()|alert().pagerDuty2().link('h')",
    "stream|from()|alert().pagerDuty2().link('h', 't')",
    "stream|from()|alert().kafka().template('x').cluster('c').kafkaTopic('t')",
    "stream|from()|alert().alerta().services('a','b').timeout(1s)",
    "stream|from()|alert().crit(lambda: \"x\" =~ /a/)" + TOPIC,
    "var r = /a/\nstream|from().where(lambda: \"x\" =~ r)|httpOut('x')",
    "var d = 1m + 30s\nstream|from()|window().period(d).every(d)|httpOut('x')",
    "var n = 10\nstream|from()|window().periodCount(n).everyCount(n)|httpOut('x')",
    "stream|from()|derivative('v').unit(1s).nonNegative().as('d')|httpOut('x')",
    "stream|from()|changeDetect('a', 'b')|httpOut('x')",
    "stream|from()|shift(-1m)|httpOut('x')",
    "stream|from()|sample(10)|httpOut('x')",
    "stream|from()|sample(10s)|httpOut('x')",
    "stream|from()|flatten().on('a').dropOriginalFieldName()|httpOut('x')",
    "stream|from()|flatten().on('a').dropOriginalFieldName(TRUE).tolerance(1s).delimiter('_')|httpOut('x')",
    "stream|from()|barrier().idle(1s).delete(TRUE)|httpOut('x')",
    "stream|from()|alert().noRecoveries().all().levelTag('l').levelField('f').idField('i').idTag('t').durationField('d').messageField('m')" + TOPIC,
    "stream|from()|alert().stateChangesOnly()" + TOPIC,
    "stream|from()|alert().details('x').email()",
    "stream|from()|alert().victorOps().routingKey('a').pagerDuty().serviceKey('b')",
    "stream|from()|alert().crit(lambda: TRUE).critReset(lambda: FALSE).info(lambda: TRUE).warnReset(lambda: TRUE)" + TOPIC,
    "stream|from()|alert().category('c').flapLow(0.1).flapHigh(0.2).stateChangesOnlyDuration(1m)" + TOPIC,
    "stream|from()|top(3, 'v', 'host')|httpOut('x')",
    "stream|from()|window()|percentile('v', 90.0)|httpOut('x')",
    "stream|from()|window()|percentile('v', 90)|httpOut('x')",
    "stream|from()|window()|holtWinters('v', 10, 0, 1m)|httpOut('x')",
    "stream|from()|elapsed('v', 1s)|movingAverage('v', 5)|cumulativeSum('v')|httpOut('x')",
    "stream|from()|mean('v').as('m').usePointTimes()|httpOut('x')",
    "stream|from()|combine(lambda: TRUE, lambda: TRUE).as('a', 'b').max(5).tolerance(1s)|httpOut('x')",
    "stream|from()|alert().topic('t')|influxDBOut().database('d').retentionPolicy('r').measurement('m').writeConsistency('any').precision('s').buffer(10).flushInterval(1s).create().tag('a', 'b').cluster('c')",
    "stream|from()|alert().telegram().chatId('1').parseMode('Markdown').disableWebPagePreview().disableNotification()",
    "stream|from()|alert().opsGenie2().teams('a').recipients('b')",
    "stream|from()|alert().opsGenie2().recoveryAction('close')",
    "stream|from()|alert().serviceNow().source('s').node('n').type('t').resource('r').metricName('m').messageKey('k').additionalInfo('a', 1)",
    "stream|from()|alert().bigPanda().appKey('k').primaryProperty('p').secondaryProperty('s')",
    "stream|from()|alert().discord().workspace('w').username('u').avatarURL('a').embedTitle('t')",
    "stream|from()|alert().hipChat().room('r').token('t')",
    "stream|from()|alert().talk()",
    "stream|from()|alert().snmpTrap('1.1').data('1.2', 'i', '1')",
    "stream|from()|alert().pushover().userKey('k').device('d').title('t').uRL('u').uRLTitle('t').sound('s')",
    "var x = 10m\nvar y = x * 2\nstream|from()|window().period(y).every(x)|httpOut('x')",
    "var n = -5\nvar f = -5.0\nstream|from()|httpOut('x')",
    "var b = !TRUE\nstream|from()|httpOut('x')",
    "var s = 'a' + 'b' + 'c'\nstream|from().measurement(s)|httpOut('x')",
    "var s = 'a' < 'b'\nstream|from()|httpOut('x')",
    "var s = 5m < 6m\nstream|from()|httpOut('x')",
    "var s = (1 + 2) * 3\nstream|from()|httpOut('x')",
    "var s = 1 + 2 * 3.0\nstream|from()|httpOut('x')",
    "var s = 1 / 0\nstream|from()|httpOut('x')",
    "var s = 'a' =~ /a/\nstream|from()|httpOut('x')",
]  # fmt: skip


def test_the_checker_agrees_with_the_real_kapacitor(kapacitor: Any) -> None:
    disagreements = []
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for number, (script, same_words) in enumerate(
            [
                *AGREEMENT,
                *((script, True) for script, _ in RULES),
                *((script, False) for script in MORE_SCRIPTS),
            ]
        ):
            task_id = f"agree{number}"
            # what a task refuses when it starts counts too, unless that depends on
            # the server's configuration (a sideload source without a scheme would
            # even make kapacitord exit)
            needs_config = any(
                "server configuration" in d.message or "kapacitord exits" in d.message
                for d in check(script)
            )
            response = client.post(
                "/tasks",
                json={
                    "id": task_id,
                    "script": script,
                    "dbrps": [{"db": "d", "rp": "r"}],
                    "status": "disabled" if needs_config else "enabled",
                },
            )
            delete_started_task(client, f"/tasks/{task_id}")
            theirs = response.json().get("error", "") if response.status_code != 200 else ""
            theirs = re.sub(r"^invalid TICKscript: (line \d+ char \d+: )?", "", theirs).rstrip()
            ours = [d.message for d in errors(script, version=kapacitor.version)]
            if bool(theirs) != bool(ours) or (same_words and theirs and theirs not in ours):
                disagreements.append(f"{script!r}: kapacitor {theirs!r}, checker {ours!r}")
    assert disagreements == []


# Typed declarations make a template; POST /templates checks it with each typed
# var at its zero value.
TEMPLATES = [
    "var x float\nstream|from()|alert().crit(lambda: \"v\" > x).topic('t')",
    "var x int\nstream|from()|deadman(x, 1m).topic('t')",
    "var x float\nstream|from()|deadman(x, 1m).topic('t')",
    "var x duration\nstream|from()|window().period(x)|httpOut('a')",
    "var x string\nstream|from()|window().period(x)|httpOut('a')",
    "var g list\nstream|from().groupBy(g)|httpOut('a')",
    "var n list\nstream|from()|eval(lambda: 1).as(n)|httpOut('a')",
    "var w lambda\nstream|from().where(w)|httpOut('a')",
    "var w lambda\nstream|from()|window().period(w)|httpOut('a')",
    "var x foo\nstream|from()|httpOut('a')",
    "var x float\nvar y = x * 2.0\nstream|from()|httpOut('a')",
]


def test_templates_agree_with_the_real_kapacitor(kapacitor: Any) -> None:
    disagreements = []
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for number, script in enumerate(TEMPLATES):
            template_id = f"template{number}"
            response = client.post("/templates", json={"id": template_id, "script": script})
            client.delete(f"/templates/{template_id}")
            rejected = response.status_code != 200
            ours = errors(script, version=kapacitor.version)
            if rejected != bool(ours):
                disagreements.append(f"{script!r}: kapacitor {response.text!r}, checker {ours!r}")
    assert disagreements == []


def test_a_sideload_without_source_is_an_error() -> None:
    # Kapacitor calls log.Fatal for it: the whole kapacitord exits (not sent to a server)
    (found,) = errors("stream|from()|sideload().order('a')|httpOut('a')")
    assert found.message.startswith("sideload needs a .source()")
    assert "kapacitord exits" in found.message
