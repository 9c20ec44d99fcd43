"""Correct by construction: any string parameter reaches the script as a string that reads back
to exactly the input, never changes the script's structure, and leaves the script a fixed
point of the formatter."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

import tickgen
from tests.handlers.full_handlers import FULL
from tickgen.cli import main
from tickgen.gotemplate import model_problems
from tickgen.handlers import parse_version
from tickgen.models import HTTP_OUT_PATTERN
from tickgen.render import Renderer, list_declaration
from tickgen.shapes import _VALUE_FIELDS, _derived, _literal
from tickgen.tick import TickSyntaxError, TokenKind, ast, parse, quote, tokenize
from tickgen.tick.quote import LiteralTick, QuoteError

# Every character but surrogates (not encodable) and NUL-free enough for YAML/JSON alike.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NASTY = st.sampled_from(
    [
        "'",
        "\\",
        "\\'",
        "'''",
        '"',
        "\n",
        "{{ .ID }}",
        "{% if %}",
        "|",
        "//",
        "/*",
        "µ",
        "lambda:",
        "TRUE",
    ]
)
STRINGS = st.one_of(TEXT, st.lists(st.one_of(NASTY, TEXT), max_size=6).map("".join))


def _string_value(node: ast.Expr) -> str:
    """The value of a string expression as Kapacitor evaluates it: a literal, or
    the concatenation quote.string writes for what no literal holds."""
    if isinstance(node, ast.String):
        return node.value
    assert isinstance(node, ast.Binary) and node.op == "+" and node.parens
    assert isinstance(node.left, ast.String) and not node.left.triple
    assert isinstance(node.right, ast.String) and node.right.triple
    return node.left.value + node.right.value


@example("''\\")  # quotes, then a trailing backslash: the triple quote would end early
@example("a'''b\\")
@example("\\")
@given(STRINGS)
def test_every_string_is_written_and_reads_back(value: str) -> None:
    literal = quote.string(value)
    program = parse(f"var x = {literal}\n")
    (decl,) = program.statements
    assert isinstance(decl, ast.Declaration)
    assert _string_value(decl.value) == value
    assert isinstance(decl.value, ast.String) == quote.is_literal(value)
    # as an operand next to any operator, it stays one operand
    program = parse(f'var x = lambda: {literal} * "f"\n')
    (decl,) = program.statements
    assert isinstance(decl, ast.Declaration) and isinstance(decl.value, ast.Lambda)
    assert isinstance(decl.value.expr, ast.Binary) and decl.value.expr.op == "*"
    assert _string_value(decl.value.expr.left) == value


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("a'''b\\", "('a\\'\\'\\'b' + '''\\''')"),
        ("''\\", "('\\'\\'' + '''\\''')"),
        ("x'''\\\\", "('x\\'\\'\\'' + '''\\\\''')"),
        ("a\\", "'''a\\'''"),
        ("a'b", "'a\\'b'"),
    ],
)
def test_what_no_literal_holds_is_a_concatenation(value: str, literal: str) -> None:
    assert quote.string(value) == literal


def test_a_list_item_cannot_be_a_concatenation() -> None:
    assert quote.string_list(["a", "b\\"]) == "['a', '''b\\''']"
    with pytest.raises(QuoteError, match="declare it in a var"):
        quote.string_list(["a", "b'''\\"])


def test_list_declaration_puts_such_items_into_vars() -> None:
    text = list_declaration("groupBy", ["a", "b'''\\", "c"])
    assert text == (
        "var groupBy1 = ('b\\'\\'\\'' + '''\\''')\n\nvar groupBy = ['a', groupBy1, 'c']"
    )
    program = parse(text)
    assert [type(s) for s in program.statements] == [ast.Declaration, ast.Declaration]


@pytest.mark.parametrize("name", ["a\\", "\\", "x'''\\"])
def test_a_name_ending_in_a_backslash_is_a_clear_error(name: str) -> None:
    with pytest.raises(QuoteError, match="final backslash would escape the closing quote"):
        quote.reference(name)


@given(STRINGS)
def test_reference_reads_back(value: str) -> None:
    assume(value and not value.endswith("\\"))
    program = parse(f"var x = lambda: {quote.reference(value)}\n")
    (decl,) = program.statements
    assert isinstance(decl, ast.Declaration) and isinstance(decl.value, ast.Lambda)
    assert isinstance(decl.value.expr, ast.Reference)
    assert decl.value.expr.name == value


def test_an_empty_regex_is_refused() -> None:
    """As a call's argument ``//`` starts a comment: the rest of the line is gone."""
    tokens = [(t.kind, t.text) for t in tokenize("x.where(//)\n")]
    assert tokens[-2:] == [(TokenKind.COMMENT, "//)"), (TokenKind.EOF, "")]
    with pytest.raises(QuoteError, match="starts a comment"):
        quote.regex("")


# -- what an escaping function says it wrote (the shape cache relies on it) ----------

NUMBERS = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(),
    st.sampled_from([0, 0.0, -0.0, 2**63 - 1, 2**63, 1e300, 5e-324, 0.1, 1e22, 100]),
)
DURATIONS = st.one_of(
    st.from_regex(r"[0-9]{1,21}(ms|u|µ|s|m|h|d|w)", fullmatch=True).map(quote.Tick),
    st.from_regex(r"[0-9]{1,21}(ms|u|µ|s|m|h|d|w)", fullmatch=True),
    STRINGS,
)
REGEXES = st.one_of(
    STRINGS,
    st.lists(
        st.sampled_from(["a", "(", ")", "/", "\\/", "\\", "[a-z]", "*", "\r", "{2,1}", ".", "é"]),
        max_size=8,
    ).map("".join),
)
# a str subclass too (a Tick given back to a filter): the node holds a plain str
TEXTS = st.one_of(STRINGS, STRINGS.map(quote.Tick))
ESCAPES: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "string": (quote.string, TEXTS),
    "go_template_text": (quote.go_template_text, TEXTS),
    "reference": (quote.reference, TEXTS),
    "regex": (quote.regex, REGEXES),
    "duration": (quote.duration, DURATIONS),
    "number": (quote.number, NUMBERS),
    "float_number": (quote.float_number, NUMBERS),
    "value": (quote.value, st.one_of(STRINGS, NUMBERS, st.booleans())),
    "boolean": (quote.boolean, st.booleans()),
    "identifier": (quote.identifier, STRINGS),
    "string_list": (quote.string_list, st.lists(STRINGS, max_size=3)),
}
LITERAL_TOKENS = {
    TokenKind.STRING,
    TokenKind.NUMBER,
    TokenKind.DURATION,
    TokenKind.REGEX,
    TokenKind.REFERENCE,
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_literal_tick_is_what_lexing_and_parsing_its_text_gives(
    name: str, data: st.DataObject
) -> None:
    """The shape cache takes a fragment's literal from the function that wrote it
    (``_derived``) instead of lexing, parsing and formatting the fragment on its
    own (``_literal``): for every escaping function and any value, both agree --
    the same slot kind, node type, values (``repr``: ``0.0`` is not ``-0.0``,
    ``1`` not ``1.0``) and printed text, or both say "no slot"."""
    escape, values = ESCAPES[name]
    value = data.draw(values)
    try:
        written = escape(value)
    except QuoteError:
        return
    text = str(written)
    from_text = _literal(text)
    if isinstance(written, LiteralTick):
        # one literal token, spanning the whole text, whose node holds ``value``
        tokens = tokenize(text)
        assert [t.kind in LITERAL_TOKENS for t in tokens] == [True, False]
        assert tokens[0].text == text and tokens[1].kind is TokenKind.EOF
        try:
            (node,) = parse(text).statements
        except TickSyntaxError:
            assert written.escape is quote.regex  # an invalid regex (Go's RE2 refuses it)
        else:
            held = getattr(node, _VALUE_FIELDS[type(node)][0])
            assert (type(held), held) == (type(written.value), written.value)
        from_escape = _derived(written)
    else:
        from_escape = None
    assert from_escape == from_text
    if from_escape is not None and from_text is not None:
        assert repr(from_escape.values) == repr(from_text.values)


def _shape(node: Any) -> Any:
    """The structure of a syntax tree with every string value blanked out."""
    if isinstance(node, list):
        return [_shape(item) for item in node]
    if isinstance(node, (ast.String, ast.Reference)):
        return type(node).__name__
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            tuple(
                _shape(getattr(node, f.name))
                for f in dataclasses.fields(node)
                if f.compare and f.name not in ("comment", "multiline")  # layout, not structure
            ),
        )
    return node


def _strings(node: Any) -> list[str]:
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, ast.String):
        return [node.value]
    if isinstance(node, ast.Reference):
        return [node.name]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [s for f in dataclasses.fields(node) for s in _strings(getattr(node, f.name))]
    return []


def _alert(**strings: str) -> tickgen.Threshold:
    return tickgen.Threshold(
        id="t",
        database=strings["database"],
        retention_policy=strings["rp"],
        measurement=strings["measurement"],
        field=strings["field"],
        name=strings["name"],
        message=strings["message"],
        details=strings["details"],
        group_by=[strings["tag"], strings["group"]],
        # the prefixes keep the where terms in one order (they are sorted)
        where={"a" + strings["tag"]: [strings["value"]]},
        where_not={"b" + strings["not_tag"]: [strings["value"]]},
        id_tag=strings["id_tag"],
        topic=strings["topic"],
        crit={"op": "==", "value": strings["crit"]},
        influxdb_out={
            "database": strings["out_db"],
            "retention_policy": "autogen",
            "measurement": "m",
        },
        http_out=strings["endpoint"],
        handlers=[
            {"kind": "slack", "channel": strings["channel"]},
            {"kind": "log", "path": "/var/log/" + strings["channel"]},
        ],
    )


FIELDS = (
    "database",
    "rp",
    "measurement",
    "field",
    "name",
    "message",
    "details",
    "tag",
    "group",
    "not_tag",
    "value",
    "id_tag",
    "topic",
    "crit",
    "out_db",
    "endpoint",
    "channel",
)
PLAIN = {name: f"p{index}" for index, name in enumerate(FIELDS)}


VALUES = st.fixed_dictionaries({name: STRINGS.filter(bool) for name in FIELDS})


def _valid(values: dict[str, str]) -> bool:
    """Field and tag names are references, which cannot end in a backslash; a
    slack channel is one line; group_by lists a tag once; message and details
    are Go templates (details also HTML) that must parse."""
    return (
        not values["tag"].endswith("\\")
        and not values["not_tag"].endswith("\\")
        and not values["field"].endswith("\\")
        and "\n" not in values["channel"]
        and "\x00" not in values["channel"]
        and values["tag"] != values["group"]
        # an httpOut name Kapacitor's router can serve (tests/test_param_semantics.py)
        and re.fullmatch(HTTP_OUT_PATTERN, values["endpoint"]) is not None
        # message and details are Go templates: a broken one is refused (tests/gotemplate)
        and "{{" not in values["message"]
        and "{{" not in values["details"]
        # details is parsed as HTML too: a tag left open is refused (tests/gotemplate)
        and "<" not in values["details"]
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example({**PLAIN, "name": "a'''b\\", "group": "''\\", "value": "x'''\\", "crit": "\n'''\\"})
@given(VALUES)
def test_every_string_parameter_is_data_not_structure(values: dict[str, str]) -> None:
    assume(_valid(values))
    # a name with "{{" is written escaped for Go, in another shape (test_go_template_name)
    values["name"] = values["name"].replace("{", "(")
    plain = tickgen.render(_alert(**PLAIN))
    script = tickgen.render(_alert(**values))
    # same structure as with harmless values ...
    assert _shape(_folded(parse(script))) == _shape(parse(plain))
    # ... and each string comes back exactly, in the same place
    mapping = {PLAIN[name]: values[name] for name in FIELDS}
    expected = [_substitute(s, mapping) for s in _strings(parse(plain))]
    assert _strings(_folded(parse(script))) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example({**PLAIN, "tag": "a\nb", "not_tag": "z"})  # a multi-line binary inside a one-line AND
@example({**PLAIN, "value": "v\r\n", "crit": "\n", "group": "\n'''\\"})
@given(VALUES)
def test_rendered_scripts_are_fixed_points_of_the_formatter(values: dict[str, str]) -> None:
    assume(_valid(values))
    script = tickgen.render(_alert(**values))
    assert tickgen.tick.format(script) == script


def _folded(program: ast.Program) -> ast.Program:
    """The program with each concatenation quote.string writes as the one
    string it is, and each list item var of list_declaration put back in
    its list, as Kapacitor evaluates them."""
    item_vars: dict[str, ast.String] = {}
    statements: list[ast.Statement] = []
    for statement in program.statements:
        statement = _fold(statement, item_vars)
        if (
            isinstance(statement, ast.Declaration)
            and re.fullmatch(r"groupBy[0-9]+", statement.name.name)
            and isinstance(statement.value, ast.String)
        ):
            item_vars[statement.name.name] = statement.value
        else:
            statements.append(statement)
    return ast.Program(statements)


def _fold(node: Any, item_vars: dict[str, ast.String]) -> Any:
    if isinstance(node, list):
        return [_fold(item, item_vars) for item in node]
    if isinstance(node, ast.List):
        items = [
            item_vars[i.name] if isinstance(i, ast.Identifier) and i.name in item_vars else i
            for i in node.items
        ]
        return dataclasses.replace(node, items=items)
    if isinstance(node, ast.Binary) and node.parens and node.op == "+":
        left, right = node.left, node.right
        if isinstance(left, ast.String) and isinstance(right, ast.String) and right.triple:
            return ast.String(left.value + right.value)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: _fold(getattr(node, f.name), item_vars)
            for f in dataclasses.fields(node)
            if f.init and f.compare
        }
        return dataclasses.replace(node, **changes)
    return node


def _substitute(text: str, mapping: dict[str, str]) -> str:
    # one pass, longest placeholder first (p1 must not eat p10), no re-substitution
    pattern = "|".join(re.escape(p) for p in sorted(mapping, key=len, reverse=True))
    return re.sub(pattern, lambda m: mapping[m.group()], text)


# Every template with every string parameter it has, and every handler with
# every property set (tests/handlers/full_handlers.py).
_BASES: dict[str, dict[str, Any]] = {
    "threshold": {"crit": {"op": ">", "value": 90}},
    "relative": {"change": "percent", "shift": "10m", "crit": {"op": ">", "value": 10}},
    "deadman": {"period": "10m", "threshold": 1.0},
}
_ALERT: TypeAdapter[tickgen.Alert] = TypeAdapter(tickgen.Alert)


def _with_strings(template: str, kind: str, value: str) -> tickgen.Alert:
    """An alert of ``template`` with the full ``kind`` handler, where every
    string leaf the models accept ``value`` for is ``value``."""
    params: dict[str, Any] = {
        "template": template,
        "id": "t",
        "database": "db",
        "measurement": "m",
        "name": "n",
        "message": "msg",
        "details": "d",
        "category": "c",
        "topic": "t",
        "http_out": "e",
        "level_field": "lf",
        "id_field": "if",
        "alert_id": "aid",
        "group_by": ["g"],
        "where": {"w": ["v"]},
        "where_not": {"x": ["v"]},
        "inhibit": [{"category": "ic", "tags": ["it"]}],
        "influxdb_out": {"database": "o", "measurement": "om"},
        **_BASES[template],
        "handlers": [FULL[kind][0]],
    }
    if template != "deadman":
        params["field"] = "f"
    alert = _ALERT.validate_python(params)
    for path in list(_string_leaves(params)):
        if path[-1] in ("template", "id", "kind"):
            continue
        trial = _set(params, path, value)
        try:
            candidate = _ALERT.validate_python(trial)
        except pydantic.ValidationError:
            continue
        if model_problems(candidate, parse_version("1.8")):
            continue  # a broken Go template: refused before rendering (tests/gotemplate)
        alert, params = candidate, trial
    return alert


def _string_leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, str):
        yield path
    elif isinstance(data, dict):
        for key, item in data.items():
            yield from _string_leaves(item, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _string_leaves(item, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: str) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _set(data[head], tuple(rest), value)
    return copy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("threshold", "exec", "a'''b\\")
@example("relative", "post", "x\n'''\\")
@example("deadman", "email", "\r\n")
@given(st.sampled_from(sorted(_BASES)), st.sampled_from(sorted(FULL)), STRINGS.filter(bool))
def test_every_template_and_handler_renders_a_fixed_point(
    template: str, kind: str, value: str
) -> None:
    alert = _with_strings(template, kind, value)
    script = Renderer(kapacitor_version="1.8").render(alert).script
    assert tickgen.tick.format(script) == script


AGGREGATE = {"function": "mean", "period": "1m", "every": "1m"}


@pytest.mark.parametrize(
    ("params", "what"),
    [
        ({"field": "f\\"}, r"field\n  'f\\\\'"),
        ({"where": {"t\\": ["v"]}}, r"tag 't\\\\'"),
        ({"where_not": {"t\\": ["v"]}}, r"tag 't\\\\'"),
        (
            {"field": "f\\", "aggregate": AGGREGATE, "field_present_filter": True},
            r"field\n  'f\\\\'",
        ),
    ],
)
def test_a_name_no_reference_can_hold_is_refused_by_the_model(
    params: dict[str, Any], what: str
) -> None:
    base = {"template": "threshold", "id": "t", "database": "d", "measurement": "m", "field": "f"}
    with pytest.raises(pydantic.ValidationError, match=what + " cannot end in a backslash") as info:
        _ALERT.validate_python({**base, "crit": {"op": ">", "value": 1}, **params})
    assert "would escape the closing quote" in str(info.value)


def test_a_field_ending_in_a_backslash_is_written_where_it_is_a_string() -> None:
    params = {"template": "threshold", "id": "t", "database": "d", "measurement": "m"}
    alert = _ALERT.validate_python(
        {**params, "field": "f'''\\", "aggregate": AGGREGATE, "crit": {"op": ">", "value": 1}}
    )
    assert r"|mean(('f\'\'\'' + '''\'''))" in tickgen.render(alert)


def test_where_values_with_a_line_break_render_a_fixed_point() -> None:
    # differential finding D9 (seed 3, index 6): Kapacitor's formatter broke the
    # OR terms after the line break onto lines of their own on a second pass
    alert = _ALERT.validate_python(
        {
            "template": "deadman",
            "id": "d9",
            "database": "d",
            "measurement": "m",
            "period": "1m",
            "field": "f",
            "field_present_filter": True,
            "where": {"zone_b": ["Mem.Free", "10\na", "a", "b"]},
            "where_not": {"zone_b": ["value"]},
        }
    )
    script = tickgen.render(alert)
    assert tickgen.tick.format(script) == script
    assert "'10\na' OR\n    \"zone_b\" == 'a' OR\n" in script


def test_a_double_quote_in_a_dbrp_statement_name_is_a_clear_error(tmp_path: Path) -> None:
    # differential finding D8: Kapacitor's formatter drops the escape of a
    # dbrp name, so the script would not parse after formatting
    examples = Path(__file__).resolve().parents[2] / "examples"
    params = tmp_path / "d8.yaml"
    params.write_text(
        "template: disk_free\nid: d8\ndatabase: 'tele\"graf'\npath: /\nmin_free_gb: 1\n"
    )
    with pytest.raises(tickgen.ParameterError, match="names the database 'tele\"graf'") as info:
        tickgen.render_paths(params, template_dirs=[examples / "templates"])
    assert "would not parse" in str(info.value)
    # a backslash is kept as it is (only \" is an escape in a reference)
    params.write_text("template: disk_free\nid: d8\ndatabase: 'a\\b'\npath: /\nmin_free_gb: 1\n")
    (task,) = tickgen.render_paths(params, template_dirs=[examples / "templates"])
    assert task.script.startswith('dbrp "a\\b"."autogen"\n')


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("field: 'f\\'", "5: field: 'f\\\\' cannot end in a backslash"),
        ("field: f\nwhere: {'t\\': [v]}", "6: where: tag 't\\\\' cannot end in a backslash"),
    ],
)
def test_validate_points_at_the_name_that_cannot_be_written(
    line: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "names.yaml"
    params.write_text(
        f"template: threshold\nid: t\ndatabase: d\nmeasurement: m\n{line}\n"
        "crit: {op: '>', value: 1}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(params)]) == 1
    err = capsys.readouterr().err
    assert f"{params}:{expected}" in err
    assert "Traceback" not in err
