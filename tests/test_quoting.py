"""Correct by construction: any string parameter reaches the script as a literal that reads back
to exactly the input, and never changes the script's structure."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import tickgen
from tickgen.models import HTTP_OUT_PATTERN
from tickgen.tick import ast, parse, quote
from tickgen.tick.quote import QuoteError

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


def _writable(value: str) -> bool:
    try:
        quote.string(value)
    except QuoteError:
        return False
    return True


@example("''\\")  # quotes, then a trailing backslash: the triple quote would end early
@example("a'''b\\")
@given(STRINGS)
def test_string_literal_reads_back_or_is_refused(value: str) -> None:
    try:
        literal = quote.string(value)
    except QuoteError:
        # only a trailing backslash forces the triple quote, which can fail
        assert value.endswith("\\")
        return
    program = parse(f"var x = {literal}\n")
    (decl,) = program.statements
    assert isinstance(decl, ast.Declaration)
    assert isinstance(decl.value, ast.String)
    assert decl.value.value == value


@pytest.mark.parametrize("value", ["a'''b\\", "''\\", "x''\\"])
def test_unwritable_string_is_a_clear_error(value: str) -> None:
    with pytest.raises(QuoteError, match="ends in a backslash"):
        quote.string(value)


@given(STRINGS)
def test_reference_reads_back(value: str) -> None:
    assume(value and not value.endswith("\\"))
    program = parse(f"var x = lambda: {quote.reference(value)}\n")
    (decl,) = program.statements
    assert isinstance(decl, ast.Declaration) and isinstance(decl.value, ast.Lambda)
    assert isinstance(decl.value.expr, ast.Reference)
    assert decl.value.expr.name == value


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
        group_by=[strings["tag"]],
        where={strings["tag"]: [strings["value"]]},
        where_not={strings["tag"] + "x": [strings["value"]]},
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
    "value",
    "id_tag",
    "topic",
    "crit",
    "out_db",
    "endpoint",
    "channel",
)
PLAIN = {name: f"p{index}" for index, name in enumerate(FIELDS)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: STRINGS.filter(bool) for name in FIELDS}))
def test_every_string_parameter_is_data_not_structure(values: dict[str, str]) -> None:
    assume(all(_writable(v) for v in values.values()))
    assume(not values["tag"].endswith("\\") and not values["field"].endswith("\\"))
    assume("\n" not in values["channel"] and "\x00" not in values["channel"])
    # an httpOut name Kapacitor's router can serve (tests/test_param_semantics.py)
    assume(re.fullmatch(HTTP_OUT_PATTERN, values["endpoint"]) is not None)
    # message and details are Go templates (a broken one is refused, tests/gotemplate);
    # a name with "{{" is written escaped for Go, in another shape (test_go_template_name)
    for name in ("message", "details", "name"):
        values[name] = values[name].replace("{", "(")
    plain = tickgen.render(_alert(**PLAIN))
    script = tickgen.render(_alert(**values))
    # same structure as with harmless values ...
    assert _shape(parse(script)) == _shape(parse(plain))
    # ... and each string comes back exactly, in the same place
    mapping = {PLAIN[name]: values[name] for name in FIELDS}
    expected = [_substitute(s, mapping) for s in _strings(parse(plain))]
    assert _strings(parse(script)) == expected


def _substitute(text: str, mapping: dict[str, str]) -> str:
    # one pass, longest placeholder first (p1 must not eat p10), no re-substitution
    pattern = "|".join(re.escape(p) for p in sorted(mapping, key=len, reverse=True))
    return re.sub(pattern, lambda m: mapping[m.group()], text)
